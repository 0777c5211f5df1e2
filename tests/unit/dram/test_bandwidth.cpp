// Bandwidth validation (issue 5 section 5): sequential reads near peak but
// under the refresh ceiling, random reads at the tFAW bound, and a bank-on-top
// mapping that loses sequential bandwidth.
#include <gtest/gtest.h>

#include "models/dram/dram_system.h"
#include "models/dram/presets.h"
#include "models/dram/run.h"

namespace tessera::dram {
namespace {

RunSummary run_pattern(const DramSpec& spec, const std::string& pattern, std::uint64_t n,
                       std::uint64_t seed = 1) {
  DramSystem dram(spec);
  PatternSource src(parse_pattern(pattern), spec.capacity_bytes(), n, 64, seed);
  return run_core(dram, src);
}

TEST(DramBandwidth, Ddr4StreamReachesPeakUnderRefreshCeiling) {
  const DramSpec s = preset("DDR4-3200");
  // 200k x 64 B = 12.8 MB: about 500 us, 40 refresh intervals.
  const RunSummary r = run_pattern(s, "stream", 200000);
  // Peak: 64 bit x 2 beats / 625 ps = 25.6 GB/s.
  EXPECT_NEAR(r.peak_bandwidth_gbps, 25.6, 1e-9);
  // Refresh ceiling: 1 - tRFC / tREFI = 1 - 560 / 12480 = 0.9551.
  const double ceiling = 1.0 - 560.0 / 12480.0;
  EXPECT_GE(r.bandwidth_gbps, 0.93 * r.peak_bandwidth_gbps);
  EXPECT_LE(r.bandwidth_gbps, ceiling * r.peak_bandwidth_gbps);
  EXPECT_EQ(r.requests, 200000u);
  EXPECT_GT(r.refreshes, 30u);
  // An 8 KB row holds 128 bursts, so a row is opened every 128 reads, plus at
  // most one re-open per bank (16) after each refresh closed it.
  EXPECT_EQ(r.row_hits + r.row_misses + r.row_conflicts, 200000u);
  EXPECT_LE(r.activates, 200000u / 128 + 1 + 16 * r.refreshes);
  EXPECT_GE(r.row_hits, 200000u - r.activates);
}

TEST(DramBandwidth, Ddr4RandomReadsAtTheFawBound) {
  const DramSpec s = preset("DDR4-3200");
  const RunSummary r = run_pattern(s, "random", 100000);
  // tFAW bound: 4 activations x 64 B per tFAW = 256 B / (34 x 625 ps) = 12.047 GB/s.
  const double bound = 4.0 * 64.0 / (34.0 * 625e-12) / 1e9;
  EXPECT_LE(r.bandwidth_gbps, bound);
  EXPECT_GE(r.bandwidth_gbps, 0.85 * bound);
  EXPECT_GT(r.row_conflicts + r.row_misses, 99000u);
}

TEST(DramBandwidth, BankBitsOnTopLoseSequentialBandwidth) {
  DramSpec s = preset("DDR4-3200");
  const RunSummary good = run_pattern(s, "stream", 50000);
  s.controller.mapping = "BaBgRaRoCoCh";
  const RunSummary bad = run_pattern(s, "stream", 50000);
  // One bank group: tCCD_L = 8 cycles per 4-cycle burst halves the bandwidth at best.
  EXPECT_LT(bad.bandwidth_gbps, 0.6 * good.bandwidth_gbps);
  EXPECT_LE(bad.bandwidth_gbps, 0.5 * bad.peak_bandwidth_gbps);
}

TEST(DramBandwidth, EveryPresetStreamsCloseToItsPeak) {
  for (const std::string& name : preset_names()) {
    SCOPED_TRACE(name);
    DramSpec s = preset(name);
    const RunSummary r = run_pattern(s, "stream", 40000);
    const double ceiling = 1.0 - static_cast<double>(s.timing.rfc) / s.timing.refi;
    EXPECT_LE(r.bandwidth_gbps, r.peak_bandwidth_gbps);
    EXPECT_GE(r.bandwidth_gbps, 0.80 * ceiling * r.peak_bandwidth_gbps);
    EXPECT_GT(r.energy_pj_per_bit, 0.5);
    EXPECT_LT(r.energy_pj_per_bit, 40.0);
  }
}

TEST(DramBandwidth, Ddr4EnergyPerBitFromCurrents) {
  const DramSpec s = preset("DDR4-3200");
  // RD: (184.5 - 44) mA x 1.2 V x 2.5 ns x 8 devices = 3372 pJ per 64 B burst.
  EXPECT_NEAR(s.energy.read_pj, 3372.0, 1e-6);
  // ACT+PRE: (60.75 x 46.25 - 44 x 32.5 - 38.25 x 13.75) x 1.2 x 8 = 8196.6 pJ.
  EXPECT_NEAR(s.energy.act_pre_pj, (60.75 * 46.25 - 44.0 * 32.5 - 38.25 * 13.75) * 1.2 * 8, 1e-6);
  // Background 44 mA x 1.2 V x 8 = 422.4 mW.
  EXPECT_NEAR(s.energy.background_mw, 422.4, 1e-9);
}

}  // namespace
}  // namespace tessera::dram

// DRAM energy from IDD currents (models/dram/energy.h): per-command energies
// of every preset worked by hand from its currents and timings, the energy
// of a tiny command sequence, and invariants over seeded traffic.
#include <gtest/gtest.h>

#include <string>

#include "models/core/error.h"
#include "models/dram/dram_system.h"
#include "models/dram/presets.h"
#include "models/dram/run.h"

namespace tessera::dram {
namespace {

struct Expected {
  double act_pre_pj, read_pj, write_pj, refresh_pj, refresh_pb_pj, background_mw;
};

void expect_energy(const std::string& name, const Expected& x) {
  SCOPED_TRACE(name);
  const EnergySpec e = preset(name).energy;
  EXPECT_NEAR(e.act_pre_pj, x.act_pre_pj, 1e-6 * x.act_pre_pj);
  EXPECT_NEAR(e.read_pj, x.read_pj, 1e-6 * x.read_pj);
  EXPECT_NEAR(e.write_pj, x.write_pj, 1e-6 * x.write_pj);
  EXPECT_NEAR(e.refresh_pj, x.refresh_pj, 1e-6 * x.refresh_pj);
  EXPECT_NEAR(e.refresh_pb_pj, x.refresh_pb_pj, 1e-6 * x.refresh_pb_pj + 1e-12);
  EXPECT_NEAR(e.background_mw, x.background_mw, 1e-9 * x.background_mw);
}

// Each figure: (current difference in mA) x V x (time in ns) x devices x share.
TEST(DramEnergy, Ddr4FromMicronDdr4Currents) {
  // tCK 0.625 ns: tRC 74 = 46.25 ns, tRAS 52 = 32.5 ns, burst 4 = 2.5 ns, tRFC 560 = 350 ns.
  expect_energy("DDR4-3200", {(60.75 * 46.25 - 44.0 * 32.5 - 38.25 * 13.75) * 1.2 * 8,
                              (184.5 - 44.0) * 1.2 * 2.5 * 8,  // 3372 pJ per 64 B
                              (168.75 - 44.0) * 1.2 * 2.5 * 8, (118.0 - 44.0) * 1.2 * 350.0 * 8,
                              0.0, 44.0 * 1.2 * 8});
}

TEST(DramEnergy, Ddr5FromMicronDdr5Currents) {
  // tCK 0.416 ns: tRC 116 = 48.256 ns, burst 8 = 3.328 ns, tRFC 710 = 295.36 ns
  // (295 ns rounded up);
  // 4 x8 devices per 32-bit sub-channel, 32 banks. ACT+PRE: (IDD0 - IDD2N) tRC
  // (the data sheet's IDD3N exceeds its IDD0).
  const double refresh = (277.0 - 142.0) * 1.1 * 295.36 * 4;
  expect_energy("DDR5-4800",
                {(122.0 - 92.0) * 48.256 * 1.1 * 4, (530.0 - 142.0) * 1.1 * 3.328 * 4,
                 (479.0 - 142.0) * 1.1 * 3.328 * 4, refresh, refresh / 32, 142.0 * 1.1 * 4});
}

TEST(DramEnergy, Lpddr5FromLpddr4CurrentsOnLpddr5Rails) {
  // tCK 1.25 ns: tRC 49 = 61.25 ns, tRAS 34 = 42.5 ns, burst 2 = 2.5 ns,
  // tRFCab 224 = 280 ns; rails VDD1 1.8 V and VDD2H 1.05 V; 16 banks.
  const double act = (3.5 * 61.25 - 2.25 * 42.5 - 2.0 * 18.75) * 1.8 +
                     (45.0 * 61.25 - 30.0 * 42.5 - 27.0 * 18.75) * 1.05;
  const double refresh = (10.0 - 2.25) * 1.8 * 280.0 + (90.0 - 30.0) * 1.05 * 280.0;
  expect_energy("LPDDR5-6400", {act, (275.0 - 30.0) * 1.05 * 2.5, (210.0 - 30.0) * 1.05 * 2.5,
                                refresh, refresh / 16, 2.25 * 1.8 + 30.0 * 1.05});
}

TEST(DramEnergy, Gddr6FromGddr5xCurrentsHalfADevicePerChannel) {
  // tCK 0.57 ns: tRC 79 = 45.03 ns, tRAS 53 = 30.21 ns, burst 2 = 1.14 ns,
  // tRFC 210 = 119.7 ns; a x16 channel is half the x32 device; 16 banks.
  const double refresh = (286.0 - 55.0) * 1.35 * 119.7 * 0.5;
  expect_energy("GDDR6", {(75.0 * 45.03 - 55.0 * 30.21 - 45.0 * 14.82) * 1.35 * 0.5,
                          (211.0 - 55.0) * 1.35 * 1.14 * 0.5, (198.0 - 55.0) * 1.35 * 1.14 * 0.5,
                          refresh, refresh / 16, 55.0 * 1.35 * 0.5});
}

TEST(DramEnergy, Hbm2eFromHbm2ChannelCurrentsHalfPerPseudoChannel) {
  // tCK 0.625 ns: tRC 68 = 42.5 ns, tRAS 45 = 28.125 ns, burst 2 = 1.25 ns,
  // tRFC 352 = 220 ns; a pseudo-channel is half a channel; 16 banks.
  const double refresh = (250.0 - 55.0) * 1.2 * 220.0 * 0.5;
  expect_energy("HBM2E", {(65.0 * 42.5 - 55.0 * 28.125 - 40.0 * 14.375) * 1.2 * 0.5,
                          (390.0 - 55.0) * 1.2 * 1.25 * 0.5, (500.0 - 55.0) * 1.2 * 1.25 * 0.5,
                          refresh, refresh / 16, 55.0 * 1.2 * 0.5});
}

TEST(DramEnergy, Hbm3FromHbm2CurrentsAtOnePointOneVolt) {
  // As HBM2E at VDD 1.1 V; tRFC 560 = 350 ns; burst BL8 at 4 beats per CK = 2 cycles.
  const double refresh = (250.0 - 55.0) * 1.1 * 350.0 * 0.5;
  expect_energy("HBM3", {(65.0 * 42.5 - 55.0 * 28.125 - 40.0 * 14.375) * 1.1 * 0.5,
                         (390.0 - 55.0) * 1.1 * 1.25 * 0.5, (500.0 - 55.0) * 1.1 * 1.25 * 0.5,
                         refresh, refresh / 16, 55.0 * 1.1 * 0.5});
}

TEST(DramEnergy, NegativeEnergyFromInconsistentCurrentsIsAnError) {
  IddCurrents c;
  c.rails.push_back({1.2, 10.0, 40.0, 60.0, 100.0, 100.0, 100.0});  // IDD0 far below standby
  const DramSpec s = preset("DDR4-3200");
  EXPECT_THROW(energy_from_currents(c, s.org, s.timing), RuntimeError);
}

// One ACT, two reads (a miss, then a hit in the same row), one write, refresh
// off: energy = ACT+PRE + 2 RD + WR + background x time x controllers.
TEST(DramEnergy, TinyCommandSequenceOnEveryPreset) {
  for (const std::string& name : preset_names()) {
    SCOPED_TRACE(name);
    DramSpec spec = preset(name);
    spec.controller.refresh = RefreshMode::kOff;
    DramSystem dram(spec);
    const std::uint32_t bb = static_cast<std::uint32_t>(spec.org.burst_bytes());
    DecodedAddress d;  // columns 0, 1, 2 of row 5 in bank 0 of controller 0
    d.row = 5;
    std::uint64_t at[3];
    for (std::uint32_t col = 0; col < 3; ++col) {
      d.column = col;
      at[col] = dram.mapping().encode(d);
    }
    dram.submit({at[0], false, bb, 0, 0});
    dram.submit({at[1], false, bb, 0, 1});
    dram.submit({at[2], true, bb, 0, 2});
    const Picoseconds end = dram.drain();
    const ChannelStats st = dram.total_stats();
    ASSERT_EQ(st.activates, 1u);
    ASSERT_EQ(st.reads, 2u);
    ASSERT_EQ(st.writes, 1u);
    const EnergySpec& e = spec.energy;
    const double expected =
        e.act_pre_pj + 2 * e.read_pj + e.write_pj +
        e.background_mw * 1e-3 * static_cast<double>(end) * spec.org.controllers() * spec.org.ranks;
    EXPECT_NEAR(dram.energy_pj(end), expected, 1e-9 * expected);
  }
}

RunSummary run_pattern(const DramSpec& spec, const std::string& pattern, std::uint64_t n) {
  DramSystem dram(spec);
  PatternSource src(parse_pattern(pattern), spec.capacity_bytes(), n, 64, 7);
  return run_core(dram, src);
}

// Documented plausible range (docs/dram.md): 0.5 to 40 pJ per bit moved, core
// energy only; random reads cost more per bit than streaming (an ACT+PRE per
// 64 B instead of per row); more commands cost more energy.
TEST(DramEnergy, InvariantsOverSeededTraffic) {
  for (const std::string& name : preset_names()) {
    SCOPED_TRACE(name);
    const DramSpec spec = preset(name);
    const RunSummary stream = run_pattern(spec, "stream", 20000);
    const RunSummary random = run_pattern(spec, "random", 20000);
    const RunSummary random_half = run_pattern(spec, "random", 10000);
    for (const RunSummary* r : {&stream, &random, &random_half}) {
      EXPECT_GT(r->energy_pj_per_bit, 0.5);
      EXPECT_LT(r->energy_pj_per_bit, 40.0);
    }
    EXPECT_GT(random.energy_pj_per_bit, stream.energy_pj_per_bit);
    EXPECT_GT(random.energy_pj, random_half.energy_pj);
    EXPECT_GT(random.activates, stream.activates);
  }
}

}  // namespace
}  // namespace tessera::dram

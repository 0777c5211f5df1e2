// The LT platform's approximate DRAM model (models/platform/lt_dram.h):
// hand-worked latencies on LPDDR5-6400, the DRAM timing core's exact answer
// for isolated requests on every preset, refresh, page policy, tFAW, and a
// saturating stream close to the core's bandwidth.
#include <gtest/gtest.h>

#include <vector>

#include "models/dram/dram_system.h"
#include "models/dram/presets.h"
#include "models/platform/lt_dram.h"

namespace tessera::platform {
namespace {

// LPDDR5-6400 (models/dram/presets.cpp): tCK 1250 ps, CL 20, CWL 11, tRCD 15,
// tRP 15, tRAS 34, BL16 on a x16 bus at 8 beats per tCK: a 32 B burst holds
// the data bus 2 cycles.
constexpr Picoseconds kTck = 1250;

dram::DramSpec lpddr5(dram::RefreshMode refresh = dram::RefreshMode::kOff) {
  dram::DramSpec s = dram::preset("LPDDR5-6400");
  s.controller.refresh = refresh;
  return s;
}

std::uint64_t address(const dram::AddressMapping& m, std::uint32_t group, std::uint32_t bank,
                      std::uint32_t row, std::uint32_t column) {
  dram::DecodedAddress d;
  d.bank_group = group;
  d.bank = bank;
  d.row = row;
  d.column = column;
  return m.encode(d);
}

TEST(LtDram, HandWorkedLatenciesOnLpddr5) {
  LtDram dram(lpddr5());
  const auto& m = dram.mapping();
  // Closed bank: ACT at 0, RD at tRCD 15, data CL 20 later, 2 cycles of data.
  EXPECT_EQ(dram.access(address(m, 0, 0, 7, 0), false, 32, 0), (15 + 20 + 2) * kTck);
  // Same row, 1 us later: a row hit, CL + burst.
  const Picoseconds t1 = 1'000'000;
  EXPECT_EQ(dram.access(address(m, 0, 0, 7, 3), false, 32, t1), t1 + (20 + 2) * kTck);
  // Another row of the same bank: PRE, tRP, ACT, tRCD, RD.
  const Picoseconds t2 = 2'000'000;
  EXPECT_EQ(dram.access(address(m, 0, 0, 9, 0), false, 32, t2), t2 + (15 + 15 + 20 + 2) * kTck);
  // A write to the open row: CWL + burst.
  const Picoseconds t3 = 3'000'000;
  EXPECT_EQ(dram.access(address(m, 0, 0, 9, 1), true, 32, t3), t3 + (11 + 2) * kTck);
  // Arriving between clock edges: seen at the next edge.
  const Picoseconds t4 = 4'000'000 + 1;
  EXPECT_EQ(dram.access(address(m, 0, 0, 9, 2), false, 32, t4), 4'000'000 + (1 + 20 + 2) * kTck);
  const dram::ChannelStats s = dram.stats(0, 5'000'000);
  EXPECT_EQ(s.reads, 4u);
  EXPECT_EQ(s.writes, 1u);
  EXPECT_EQ(s.row_hits, 3u);
  EXPECT_EQ(s.row_misses, 1u);
  EXPECT_EQ(s.row_conflicts, 1u);
  EXPECT_EQ(s.activates, 2u);
  EXPECT_EQ(s.precharges, 1u);
  EXPECT_EQ(s.bytes, 5u * 32u);
  EXPECT_EQ(s.refreshes, 0u);
}

TEST(LtDram, BackToBackBurstsShareTheBankAndTheBus) {
  LtDram dram(lpddr5());
  const auto& m = dram.mapping();
  // A 64 B request is two bursts: with the default mapping (RoRaBaCoBgCh)
  // they go to bank groups 0 and 1, each opened by its own ACT; the second
  // ACT waits tRRD (4), so its read issues at 4 + 15 and ends 19 + 22.
  const std::uint64_t a = address(m, 0, 0, 3, 0);
  EXPECT_EQ(m.decode(a + 32).bank_group, 1u);
  EXPECT_EQ(dram.access(a, false, 64, 0), (4 + 15 + 20 + 2) * kTck);
  // The next 64 B go to groups 2 and 3: ACTs at 8 and 12 (tRRD after the
  // previous ones), the last read at 12 + 15 = 27, ending 22 cycles later.
  EXPECT_EQ(dram.access(a + 64, false, 64, 0), (12 + 15 + 20 + 2) * kTck);
  // The next burst is column 1 of group 0's open row: a hit, but its read
  // waits for the data bus (the previous read at 27 holds it 2 cycles).
  EXPECT_EQ(m.decode(a + 128).bank_group, 0u);
  EXPECT_EQ(dram.access(a + 128, false, 32, 0), (27 + 2 + 20 + 2) * kTck);
  EXPECT_EQ(dram.stats(0, 0).row_hits, 1u);
}

TEST(LtDram, IsolatedRequestsTakeTheCoresExactTimeOnEveryPreset) {
  // Spaced so that nothing overlaps: the unloaded hit, miss and conflict
  // latencies of reads and writes must be the core's to the picosecond.
  for (const std::string& name : dram::preset_names()) {
    SCOPED_TRACE(name);
    dram::DramSpec spec = dram::preset(name);
    spec.controller.refresh = dram::RefreshMode::kOff;
    LtDram lt(spec);
    dram::DramSystem core(spec);
    const auto& m = lt.mapping();
    struct Access {
      std::uint32_t row, column;
      bool write;
    };
    const std::vector<Access> accesses = {{5, 0, false}, {5, 1, false}, {6, 0, false},
                                          {6, 2, true},  {8, 0, true},  {8, 3, false}};
    Picoseconds at = 0;
    for (const Access& x : accesses) {
      const std::uint64_t addr = address(m, 0, 0, x.row, x.column);
      const std::uint32_t bytes = static_cast<std::uint32_t>(spec.org.burst_bytes());
      core.submit({addr, x.write, bytes, at, 0});
      const Picoseconds core_done = core.drain();
      EXPECT_EQ(lt.access(addr, x.write, bytes, at), core_done) << "row " << x.row;
      at += 1'000'000;
    }
    for (std::uint32_t c = 0; c < lt.controllers(); ++c) {
      const dram::ChannelStats a = lt.stats(c, at);
      const dram::ChannelStats b = core.stats(c);
      EXPECT_EQ(a.row_hits, b.row_hits);
      EXPECT_EQ(a.row_misses, b.row_misses);
      EXPECT_EQ(a.row_conflicts, b.row_conflicts);
      EXPECT_EQ(a.activates, b.activates);
    }
  }
}

TEST(LtDram, RefreshBlocksItsWindowAndClosesRows) {
  // All-bank refresh (one rank): first at tREFI = 3124 cycles, tRFC 224.
  const dram::DramSpec spec = lpddr5(dram::RefreshMode::kAllBank);
  ASSERT_EQ(spec.timing.refi, 3124u);
  ASSERT_EQ(spec.timing.rfc, 224u);
  LtDram dram(spec);
  const auto& m = dram.mapping();
  const std::uint64_t a = address(m, 0, 0, 4, 0);
  EXPECT_EQ(dram.access(a, false, 32, 0), 37 * kTck);
  // Inside the window: the ACT waits for its end (3124 + 224), and the row
  // opened before it was closed by the refresh (a miss, not a hit).
  EXPECT_EQ(dram.access(a, false, 32, 3200 * kTck), (3124 + 224 + 37) * kTck);
  dram::ChannelStats s = dram.stats(0, 3400 * kTck);
  EXPECT_EQ(s.row_misses, 2u);
  EXPECT_EQ(s.row_hits, 0u);
  EXPECT_EQ(s.precharges, 1u);  // the refresh's
  EXPECT_EQ(s.refreshes, 1u);
  EXPECT_EQ(s.refresh_busy_cycles, 224u);
  // Refreshes are counted up to the end asked for.
  EXPECT_EQ(dram.stats(0, (3124 * 3 + 5) * kTck).refreshes, 3u);
  // Energy: the core's formula on these counters.
  const dram::EnergySpec& e = spec.energy;
  const Picoseconds end = 3400 * kTck;
  const double expected = 2 * e.act_pre_pj + 2 * e.read_pj + e.refresh_pj +
                          e.background_mw * 1e-3 * static_cast<double>(end);
  EXPECT_DOUBLE_EQ(dram.energy_pj(end), expected);
}

TEST(LtDram, ClosedPagePolicyMakesEveryAccessAMiss) {
  dram::DramSpec spec = lpddr5();
  spec.controller.page_policy = dram::PagePolicy::kClosed;
  LtDram dram(spec);
  const auto& m = dram.mapping();
  dram.access(address(m, 0, 0, 4, 0), false, 32, 0);
  // Same row 1 us later: closed after the first read, so ACT + RD again.
  EXPECT_EQ(dram.access(address(m, 0, 0, 4, 1), false, 32, 1'000'000), 1'000'000 + 37 * kTck);
  const dram::ChannelStats s = dram.stats(0, 2'000'000);
  EXPECT_EQ(s.row_misses, 2u);
  EXPECT_EQ(s.precharges, 2u);
}

TEST(LtDram, FourActivationWindowDelaysTheFifthActivate) {
  // Five reads to five closed banks at time 0. ACTs every tRRD (4 cycles):
  // 0, 4, 8, 12; the fifth waits for tFAW (16) after the first: 16.
  LtDram dram(lpddr5());
  const auto& m = dram.mapping();
  Picoseconds last = 0;
  for (std::uint32_t i = 0; i < 5; ++i)
    last = dram.access(address(m, i % 4, i / 4, 1, 0), false, 32, 0);
  EXPECT_EQ(last, (16 + 15 + 20 + 2) * kTck);
}

TEST(LtDram, SaturatingStreamIsNearTheCoresBandwidth) {
  // 64 KiB of sequential reads all arriving at once: the LT model serves them
  // in order, the core through its queues with FR-FCFS; both are bound by the
  // data bus and refresh. The LT end time is within 5% of the core's.
  const dram::DramSpec spec = lpddr5(dram::RefreshMode::kAllBank);
  LtDram lt(spec);
  dram::DramSystem core(spec);
  const std::uint32_t bytes = 64;
  const std::uint64_t n = 64 * 1024 / bytes;
  Picoseconds lt_done = 0;
  std::uint64_t next = 0;
  for (std::uint64_t i = 0; i < n; ++i)
    lt_done = std::max(lt_done, lt.access(i * bytes, false, bytes, 0));
  Picoseconds core_done = 0;
  for (Picoseconds t = 0; next < n || core.outstanding() > 0;) {
    while (next < n && core.can_accept(next * bytes, false, bytes)) {
      core.submit({next * bytes, false, bytes, std::max(t, core.now_ps()), next});
      ++next;
    }
    t = core.next_event_ps();
    core.advance_to(t + 1);
    dram::DramCompletion c;
    while (core.pop_completion(t + 1, c)) core_done = std::max(core_done, c.done_ps);
  }
  // Never faster than the data bus: 2 cycles per 32 B burst.
  EXPECT_GE(lt_done, n * 2 * 2 * kTck);
  const double ratio = static_cast<double>(lt_done) / static_cast<double>(core_done);
  EXPECT_NEAR(ratio, 1.0, 0.05) << "lt " << lt_done << " core " << core_done;
}

}  // namespace
}  // namespace tessera::platform

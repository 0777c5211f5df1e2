// Unloaded latencies, to the cycle (issue 5 section 5).
#include <gtest/gtest.h>

#include "models/dram/dram_system.h"
#include "models/dram/presets.h"

namespace tessera::dram {
namespace {

struct One {
  Picoseconds data_latency;
  Picoseconds done_latency;
};

// Issues one read at `at` on an otherwise idle system and returns its latencies.
// One burst (burst_bytes), so the latency is that of a single column access.
One read_once(DramSystem& dram, std::uint64_t address, Picoseconds at) {
  const auto bytes = static_cast<std::uint32_t>(dram.spec().org.burst_bytes());
  dram.submit({address, false, bytes, at, 7});
  dram.drain();
  DramCompletion c;
  EXPECT_TRUE(dram.pop_completion(DramSystem::kNever - 1, c));
  EXPECT_EQ(c.tag, 7u);
  return {c.data_ps - at, c.done_ps - at};
}

DramSpec no_refresh(const std::string& name) {
  DramSpec s = preset(name);
  s.controller.refresh = RefreshMode::kOff;
  return s;
}

TEST(DramLatency, Ddr4RowMissHitConflictToTheCycle) {
  const DramSpec s = no_refresh("DDR4-3200");
  DramSystem dram(s);
  const Picoseconds tck = s.timing.tck_ps;  // 625 ps
  const AddressMapping& m = dram.mapping();
  const std::uint64_t a = m.encode({0, 0, 1, 2, 100, 3});
  const std::uint64_t b = m.encode({0, 0, 1, 2, 100, 9});  // same row
  const std::uint64_t c = m.encode({0, 0, 1, 2, 555, 0});  // same bank, other row
  // Closed bank: ACT, then RD after tRCD = 22, data CL = 22 later: 44 cycles = 27.5 ns.
  One miss = read_once(dram, a, 1'000'000);
  EXPECT_EQ(miss.data_latency, (22u + 22u) * tck);
  // The burst adds BL / 2 = 4 cycles: 48 cycles.
  EXPECT_EQ(miss.done_latency, (22u + 22u + 4u) * tck);
  // Row hit long after: CL = 22 cycles = 13.75 ns to the first beat.
  One hit = read_once(dram, b, 2'000'000);
  EXPECT_EQ(hit.data_latency, 22u * tck);
  EXPECT_EQ(hit.done_latency, 26u * tck);
  // Row conflict: PRE, ACT after tRP, RD after tRCD, data after CL: 66 cycles = 41.25 ns.
  One conflict = read_once(dram, c, 3'000'000);
  EXPECT_EQ(conflict.data_latency, (22u + 22u + 22u) * tck);
  EXPECT_EQ(conflict.done_latency, (66u + 4u) * tck);
  const ChannelStats st = dram.total_stats();
  EXPECT_EQ(st.row_misses, 1u);
  EXPECT_EQ(st.row_hits, 1u);
  EXPECT_EQ(st.row_conflicts, 1u);
}

TEST(DramLatency, EveryPresetConflictIsRpPlusRcdPlusCl) {
  for (const std::string& name : preset_names()) {
    SCOPED_TRACE(name);
    const DramSpec s = no_refresh(name);
    DramSystem dram(s);
    const Timing& t = s.timing;
    const Picoseconds tck = t.tck_ps;
    const AddressMapping& m = dram.mapping();
    read_once(dram, m.encode({0, 0, 0, 1, 10, 0}), 1000 * tck);
    const One hit = read_once(dram, m.encode({0, 0, 0, 1, 10, 1}), 2000 * tck);
    EXPECT_EQ(hit.data_latency, t.cl * tck);
    const One conflict = read_once(dram, m.encode({0, 0, 0, 1, 11, 0}), 3000 * tck);
    EXPECT_EQ(conflict.data_latency, (t.rp + t.rcd_rd + t.cl) * tck);
    EXPECT_EQ(conflict.done_latency,
              (t.rp + t.rcd_rd + t.cl + t.burst_cycles(s.org.burst_length)) * tck);
  }
}

TEST(DramLatency, ArrivalBetweenClockEdgesWaitsForTheNextEdge) {
  const DramSpec s = no_refresh("DDR4-3200");
  DramSystem dram(s);
  // Arrives 1 ps after edge 1000: seen at edge 1001, data CL + tRCD later.
  const Picoseconds at = 1000 * 625 + 1;
  dram.submit({0, false, 64, at, 1});
  dram.drain();
  DramCompletion c;
  ASSERT_TRUE(dram.pop_completion(DramSystem::kNever - 1, c));
  EXPECT_EQ(c.data_ps, (1001u + 44u) * 625u);
}

TEST(DramLatency, WriteCompletesAfterCwlAndBurst) {
  const DramSpec s = no_refresh("DDR4-3200");
  DramSystem dram(s);
  const Picoseconds at = 625 * 500;
  dram.submit({0, true, 64, at, 3});
  dram.drain();
  DramCompletion c;
  ASSERT_TRUE(dram.pop_completion(DramSystem::kNever - 1, c));
  EXPECT_TRUE(c.is_write);
  // ACT, WR after tRCD = 22, data CWL = 16 later, burst 4: 42 cycles.
  EXPECT_EQ(c.done_ps - at, 42u * 625u);
}

}  // namespace
}  // namespace tessera::dram

// A set-associative shared cache in a timed run, worked by hand: one tile,
// a direct-mapped cache of two 64-byte lines, the same GEMM twice. Hits,
// misses, fills, the dirty write-back and every cycle of the second operator
// follow from the line placement and the DRAM core's own completion times.
#include <gtest/gtest.h>

#include "models/dram/dram_system.h"
#include "models/dram/presets.h"
#include "models/platform/result.h"
#include "models/tlm/platform_run.h"
#include "tests/tlm/platform_test_util.h"

namespace tessera {
namespace {

// A on line 0 (set 0), B on line 1 (set 1), C on line 2 (set 0).
constexpr std::uint64_t kA = 0x0, kB = 0x40, kC = 0x80;

workload::Trace gemm_twice() {
  // C[4x4] = A[4x8] * B[8x4], fp16: A 64 B, B 64 B, C 32 B; twice.
  workload::Trace t;
  const auto a = t.add_tensor({"a", 64, kA, workload::TensorRole::kInput});
  const auto b = t.add_tensor({"b", 64, kB, workload::TensorRole::kWeight});
  const auto c = t.add_tensor({"c", 32, kC, workload::TensorRole::kOutput});
  for (const char* name : {"gemm", "gemm2"}) {
    workload::OpInfo op;
    op.name = name;
    op.kind = workload::OpKind::kGemm;
    op.m = 4, op.n = 4, op.k = 8, op.flops = 2 * 4 * 4 * 8;
    const auto id = t.add_op(op);
    t.access(a, id, workload::AccessKind::kRead);
    t.access(b, id, workload::AccessKind::kRead);
    t.access(c, id, workload::AccessKind::kWrite);
  }
  return t;
}

struct Request {
  std::uint64_t address;
  bool write;
  Picoseconds at;
};

// When the DRAM core completes the last of `requests` (submitted in order).
Picoseconds dram_done_of_last(const std::vector<Request>& requests) {
  dram::DramSystem core(dram::preset("DDR4-3200"));
  for (std::size_t i = 0; i < requests.size(); ++i) {
    core.submit({requests[i].address, requests[i].write, 64, requests[i].at, i});
  }
  core.drain();
  Picoseconds done = 0;
  dram::DramCompletion c;
  while (core.pop_completion(~Picoseconds{0} - 1, c)) {
    if (c.tag == requests.size() - 1) done = c.done_ps;
  }
  return done;
}

TEST(PlatformSetAssoc, DirectMappedGemmTwiceByHand) {
  const workload::Trace trace = gemm_twice();
  config::PlatformConfig platform = testing::test_platform(1, 128);
  platform.cache.organization = config::CacheOrganization::kSetAssociative;
  platform.cache.ways = 1;
  platform.cache.line_bytes = 64;
  platform.tiles.double_buffering = false;
  const auto runs = tlm_platform::run_timed(trace, platform, {});
  ASSERT_EQ(runs.size(), 1u);
  const platform::RunRecord& rec = runs[0].record;

  // Lookups: A miss, B miss, C write miss (allocates in set 0, evicting clean A);
  // A miss (evicts dirty C: 64 B written back at 0x80), B hit, C write miss
  // (evicts clean A). Three line fills of 64 B.
  EXPECT_EQ(rec.cache.lookups, 6u);
  EXPECT_EQ(rec.cache.lookup_hits, 1u);
  EXPECT_EQ(rec.cache.read_hits, 1u);
  EXPECT_EQ(rec.cache.read_misses, 3u);
  EXPECT_EQ(rec.cache.write_hits, 0u);
  EXPECT_EQ(rec.cache.write_misses, 2u);
  EXPECT_EQ(rec.cache.read_hit_bytes, 64u);
  EXPECT_EQ(rec.cache.read_miss_bytes, 192u);
  EXPECT_EQ(rec.cache.write_miss_bytes, 64u);
  EXPECT_EQ(rec.cache.fill_bytes, 192u);
  EXPECT_EQ(rec.cache.writeback_bytes, 64u);
  EXPECT_EQ(rec.channels[0].read_bytes, 192u);
  EXPECT_EQ(rec.channels[0].write_bytes, 64u);
  // 6 tile bursts, 3 fills, 1 write-back.
  EXPECT_EQ(rec.transactions, 10u);

  // Times (P = 1 ns; interconnect L = 4 cycles each way, 32 B per cycle; hit
  // latency H = 10; 8x8 output-stationary array: 30 cycles per GEMM).
  const Picoseconds P = 1000;
  ASSERT_EQ(rec.tiles[0].size(), 2u);
  const platform::TileOpRecord& first = rec.tiles[0][0];
  const platform::TileOpRecord& second = rec.tiles[0][1];
  // First operator as in the tensor cache's single-GEMM case: A reaches DRAM
  // after its tag check at 14P, B at 16P; compute after the later response
  // plus L back.
  const Picoseconds a_done = dram_done_of_last({{kA, false, 14 * P}});
  const Picoseconds b_done = dram_done_of_last({{kA, false, 14 * P}, {kB, false, 16 * P}});
  EXPECT_EQ(first.compute_start_ps, std::max(a_done, b_done) + 4 * P);
  EXPECT_EQ(first.compute_cycles, 30u);
  // The second operator starts at E, when C's write was granted (C holds the
  // port 1 cycle). A: granted E+1P, at the cache E+5P: its lookup evicts dirty C,
  // whose write-back leaves for DRAM at once (E+5P); A's fill after the tag
  // check (E+15P). B: granted E+3P, at the cache E+7P, hit answered E+17P, at
  // the tile E+21P.
  const Picoseconds E = second.start_ps;
  EXPECT_EQ(E, first.end_ps);
  const Picoseconds a2_done = dram_done_of_last(
      {{kA, false, 14 * P}, {kB, false, 16 * P}, {kC, true, E + 5 * P}, {kA, false, E + 15 * P}});
  const Picoseconds compute2 = std::max(a2_done + 4 * P, E + 21 * P);
  EXPECT_EQ(second.compute_start_ps, compute2);
  // C's write misses set 0 (A there, clean), allocates and answers after
  // L + H + L = 18 cycles.
  EXPECT_EQ(platform::total_time_ps(runs[0]), compute2 + 30 * P + 18 * P);
}

TEST(PlatformSetAssoc, LtMatchesTheHandWorkedCounts) {
  const workload::Trace trace = gemm_twice();
  config::PlatformConfig platform = testing::test_platform(1, 128);
  platform.cache.organization = config::CacheOrganization::kSetAssociative;
  platform.cache.ways = 1;
  platform.cache.line_bytes = 64;
  platform.tiles.double_buffering = false;
  tlm_platform::RunOptions options;
  options.lt_modes = {true};
  const auto runs = tlm_platform::run_timed(trace, platform, options);
  const platform::RunRecord& rec = runs[0].record;
  EXPECT_EQ(rec.cache.lookup_hits, 1u);
  EXPECT_EQ(rec.cache.read_misses, 3u);
  EXPECT_EQ(rec.cache.fill_bytes, 192u);
  EXPECT_EQ(rec.cache.writeback_bytes, 64u);
  EXPECT_EQ(rec.transactions, 10u);
}

}  // namespace
}  // namespace tessera

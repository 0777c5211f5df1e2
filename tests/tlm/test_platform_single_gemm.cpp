// One GEMM on one tile with a cache large enough for everything, worked by
// hand: the run takes exactly the compute formula plus the cold-fetch time of
// the modelled path (interconnect, cache tag check, DRAM, and back) plus the
// write-back path of the result.
#include <gtest/gtest.h>

#include "models/dram/dram_system.h"
#include "models/dram/from_config.h"
#include "models/dram/presets.h"
#include "models/platform/result.h"
#include "models/tlm/platform_run.h"
#include "tests/tlm/platform_test_util.h"

namespace tessera {
namespace {

constexpr std::uint64_t kA = 0x0, kB = 0x10000, kC = 0x20000;

workload::Trace one_gemm() {
  // C[4x4] = A[4x8] * B[8x4], fp16: A 64 B, B 64 B, C 32 B (one burst each).
  workload::Trace t;
  const auto a = t.add_tensor({"a", 64, kA, workload::TensorRole::kInput});
  const auto b = t.add_tensor({"b", 64, kB, workload::TensorRole::kWeight});
  const auto c = t.add_tensor({"c", 32, kC, workload::TensorRole::kOutput});
  workload::OpInfo op;
  op.name = "gemm";
  op.kind = workload::OpKind::kGemm;
  op.m = 4, op.n = 4, op.k = 8, op.flops = 2 * 4 * 4 * 8;
  const auto id = t.add_op(op);
  t.access(a, id, workload::AccessKind::kRead);
  t.access(b, id, workload::AccessKind::kRead);
  t.access(c, id, workload::AccessKind::kWrite);
  return t;
}

// DRAM completion times of the two cold reads, from the DRAM core itself,
// submitted when the cache sends them.
std::pair<Picoseconds, Picoseconds> dram_done(
    Picoseconds a_at, Picoseconds b_at, const dram::DramSpec& spec = dram::preset("DDR4-3200")) {
  dram::DramSystem core(spec);
  core.submit({kA, false, 64, a_at, 1});
  core.submit({kB, false, 64, b_at, 2});
  core.drain();
  Picoseconds done_a = 0, done_b = 0;
  dram::DramCompletion c;
  while (core.pop_completion(~Picoseconds{0} - 1, c)) (c.tag == 1 ? done_a : done_b) = c.done_ps;
  return {done_a, done_b};
}

TEST(PlatformSingleGemm, ComputeFormulaPlusColdFetchPath) {
  const workload::Trace trace = one_gemm();
  const config::PlatformConfig platform = testing::test_platform(1, 1 * kMiB);
  const auto runs = tlm_platform::run_timed(trace, platform, {});
  ASSERT_EQ(runs.size(), 1u);
  const platform::RunRecord& rec = runs[0].record;

  // Platform: 1 GHz (P = 1000 ps), interconnect latency L = 4 cycles, 32 B per
  // cycle, cache hit latency H = 10 cycles, 8x8 output-stationary array.
  const Picoseconds P = 1000;
  // A: granted at 0 (occupies the port 64/32 = 2 cycles), at the cache at 4P,
  //    tag check until 14P, then DRAM.
  // B: granted when the port frees at 2P, at the cache at 6P, DRAM at 16P.
  const auto [done_a, done_b] = dram_done(14 * P, 16 * P);
  // Responses come back through the interconnect (L) to the tile.
  const Picoseconds compute_start = std::max(done_a, done_b) + 4 * P;
  // SCALE-Sim OS: folds = ceil(4/8) * ceil(4/8) = 1; 2*8 + 8 + 8 - 2 = 30 cycles.
  const Picoseconds compute_end = compute_start + 30 * P;
  // C (32 B) goes out at compute end: L to the cache, a write that allocates
  // answers after H, L back: 4 + 10 + 4 = 18 cycles.
  const Picoseconds finish = compute_end + 18 * P;

  ASSERT_EQ(rec.tiles[0].size(), 1u);
  const platform::TileOpRecord& op = rec.tiles[0][0];
  EXPECT_EQ(op.compute_cycles, 30u);
  EXPECT_EQ(op.start_ps, 0u);
  EXPECT_EQ(op.compute_start_ps, compute_start);
  EXPECT_EQ(op.stall_ps[static_cast<int>(platform::StallReason::kOperandFetch)], compute_start);
  EXPECT_EQ(op.stall_ps[static_cast<int>(platform::StallReason::kIssueBlocked)], 0u);
  EXPECT_EQ(op.stall_ps[static_cast<int>(platform::StallReason::kDrain)], 18 * P);
  EXPECT_EQ(op.end_ps, finish);
  EXPECT_EQ(platform::total_time_ps(runs[0]), finish);

  // Two cold read misses, one write that allocates; 3 tile + 2 DRAM transactions.
  EXPECT_EQ(rec.cache.read_misses, 2u);
  EXPECT_EQ(rec.cache.read_hits, 0u);
  EXPECT_EQ(rec.cache.write_misses, 1u);
  EXPECT_EQ(rec.cache.fill_bytes, 128u);
  EXPECT_EQ(rec.transactions, 5u);
  EXPECT_EQ(rec.channels[0].read_bytes, 128u);
  EXPECT_EQ(rec.channels[0].latency.count(), 2u);
}

TEST(PlatformSingleGemm, DramOverridesOfThePlatformChangeTheColdFetch) {
  // The same GEMM on a DDR4-3200 whose tRCD and CL are 20 cycles longer
  // (dram.timing overrides in the platform): the cold fetch takes exactly
  // what the overridden DRAM core says, later than the preset's.
  const workload::Trace trace = one_gemm();
  config::PlatformConfig platform = testing::test_platform(1, 1 * kMiB);
  const dram::DramSpec base = dram::preset("DDR4-3200");
  platform.dram.config.timing.push_back({"tRCD", base.timing.rcd_rd + 20, false, "test"});
  platform.dram.config.timing.push_back({"CL", base.timing.cl + 20, false, "test"});
  const auto runs = tlm_platform::run_timed(trace, platform, {});
  const Picoseconds P = 1000;
  config::DramConfig slow;
  slow.timing = platform.dram.config.timing;
  const auto [done_a, done_b] = dram_done(14 * P, 16 * P, dram::spec_from_config(slow));
  const auto [base_a, base_b] = dram_done(14 * P, 16 * P);
  const Picoseconds compute_start = std::max(done_a, done_b) + 4 * P;
  EXPECT_GT(compute_start, std::max(base_a, base_b) + 4 * P);
  EXPECT_EQ(runs[0].record.tiles[0][0].compute_start_ps, compute_start);
  EXPECT_EQ(platform::total_time_ps(runs[0]), compute_start + 30 * P + 18 * P);
}

TEST(PlatformSingleGemm, SecondUseOfTheOperandsHitsTheCache) {
  // The same GEMM twice: the second reads A and B from the cache (hit
  // latency path only) and finds C resident.
  workload::Trace trace = one_gemm();
  workload::OpInfo op = trace.ops[0];
  op.name = "gemm2";
  const auto id = trace.add_op(op);
  trace.access(0, id, workload::AccessKind::kRead);
  trace.access(1, id, workload::AccessKind::kRead);
  trace.access(2, id, workload::AccessKind::kWrite);
  config::PlatformConfig platform = testing::test_platform(1, 1 * kMiB);
  platform.tiles.double_buffering = false;
  const auto runs = tlm_platform::run_timed(trace, platform, {});
  const platform::RunRecord& rec = runs[0].record;
  EXPECT_EQ(rec.cache.read_hits, 2u);
  EXPECT_EQ(rec.cache.read_misses, 2u);
  EXPECT_EQ(rec.cache.write_hits, 1u);
  EXPECT_EQ(rec.cache.fill_bytes, 128u);
  const Picoseconds P = 1000;
  const platform::TileOpRecord& second = rec.tiles[0][1];
  // Without double buffering the second operator starts (at E) when the first
  // one's write of C was granted; C holds the port for 1 cycle (32 B / 32).
  // A: granted at E+1P (port busy), holds it 2 cycles, at the cache at E+5P,
  //    hit answered at E+15P, back at the tile at E+19P.
  // B: granted at E+3P, at the cache at E+7P, answered at E+17P, back at E+21P.
  EXPECT_EQ(second.compute_start_ps - second.start_ps, 21 * P);
  EXPECT_EQ(second.compute_cycles, 30u);
}

}  // namespace
}  // namespace tessera

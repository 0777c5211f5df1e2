#include <gtest/gtest.h>

#include "models/platform/schedule.h"

namespace tessera::platform {
namespace {

workload::Trace one_gemm() {
  workload::Trace t;
  const auto a = t.add_tensor({"a", 80, 0, workload::TensorRole::kActivation});
  const auto b = t.add_tensor({"b", 40, 4096, workload::TensorRole::kWeight});
  const auto c = t.add_tensor({"c", 64, 8192, workload::TensorRole::kActivation});
  workload::OpInfo op;
  op.name = "gemm";
  op.kind = workload::OpKind::kGemm;
  op.m = 8, op.n = 4, op.k = 5, op.flops = 2 * 8 * 4 * 5;
  const auto id = t.add_op(op);
  t.access(a, id, workload::AccessKind::kRead);
  t.access(c, id, workload::AccessKind::kWrite);  // writes are moved after the reads
  t.access(b, id, workload::AccessKind::kRead);
  return t;
}

config::PlatformConfig small_platform(std::uint32_t tiles) {
  config::PlatformConfig p;
  p.tiles.count = tiles;
  p.tiles.rows = 4, p.tiles.cols = 4;
  p.interconnect.burst_bytes = 64;
  return p;
}

TEST(BurstCount, AlignedAndUnaligned) {
  EXPECT_EQ(burst_count(0, 64, 64), 1u);
  EXPECT_EQ(burst_count(0, 65, 64), 2u);
  EXPECT_EQ(burst_count(40, 40, 64), 2u);  // [40, 80) crosses 64
  EXPECT_EQ(burst_count(10, 0, 64), 0u);
}

TEST(Schedule, OneTileGetsEverything) {
  const auto s = build_schedule(one_gemm(), small_platform(1));
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(s[0].ops.size(), 1u);
  const TileOp& op = s[0].ops[0];
  EXPECT_EQ(op.compute_cycles, 30u);  // OS 4x4: 2 folds x 15 (test_systolic)
  EXPECT_EQ(op.seg_write - op.seg_begin, 2u);
  EXPECT_EQ(op.seg_end - op.seg_write, 1u);
  EXPECT_EQ(s[0].segments[0].address, 0u);  // a, then b (reads in trace order)
  EXPECT_EQ(s[0].segments[1].address, 4096u);
  EXPECT_EQ(s[0].segments[2].address, 8192u);  // c last
  EXPECT_TRUE(s[0].segments[2].write);
  EXPECT_EQ(s[0].read_bytes, 120u);
  EXPECT_EQ(s[0].write_bytes, 64u);
  // a: [0,80) 2 bursts; b: [4096,4136) 1; c: [8192,8256) 1.
  EXPECT_EQ(s[0].transactions, 4u);
}

TEST(Schedule, TwoTilesSplitByFolds) {
  // 2 folds: tile 0 takes fold 0, tile 1 fold 1; each takes half of every access.
  const auto s = build_schedule(one_gemm(), small_platform(2));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].ops[0].compute_cycles, 15u);
  EXPECT_EQ(s[1].ops[0].compute_cycles, 15u);
  EXPECT_EQ(s[0].segments[0].address, 0u);
  EXPECT_EQ(s[0].segments[0].bytes, 40u);
  EXPECT_EQ(s[1].segments[0].address, 40u);
  EXPECT_EQ(s[1].segments[0].bytes, 40u);
  EXPECT_EQ(s[1].segments[0].access_address, 0u);
  EXPECT_EQ(s[1].segments[0].access_bytes, 80u);
  // tile 0: a [0,40) 1, b [4096,4116) 1, c [8192,8224) 1 = 3
  // tile 1: a [40,80) 2, b [4116,4136) 1, c [8224,8256) 1 = 4
  EXPECT_EQ(s[0].transactions, 3u);
  EXPECT_EQ(s[1].transactions, 4u);
  EXPECT_EQ(s[0].read_bytes + s[1].read_bytes, 120u);
  EXPECT_EQ(s[0].write_bytes + s[1].write_bytes, 64u);
}

TEST(Schedule, MoreTilesThanUnitsLeavesSomeIdle) {
  // 2 folds over 4 tiles: tiles 0 and 2 get nothing (floor(2t/4) boundaries 0,0,1,1,2).
  const auto s = build_schedule(one_gemm(), small_platform(4));
  Bytes read = 0;
  Cycles compute = 0;
  for (const auto& tile : s) {
    read += tile.read_bytes;
    compute += tile.compute_cycles;
  }
  EXPECT_EQ(read, 120u);
  EXPECT_EQ(compute, 30u);
  EXPECT_EQ(s[0].compute_cycles, 0u);
  EXPECT_EQ(s[0].segments.size(), 0u);
}

TEST(Schedule, LookupSequenceFollowsIssueOrderTileByTile) {
  // op0 reads a, b and writes c; op1 reads c (op0's result) and d, writes e.
  workload::Trace t;
  const auto a = t.add_tensor({"a", 128, 0, workload::TensorRole::kActivation});
  const auto b = t.add_tensor({"b", 128, 4096, workload::TensorRole::kWeight});
  const auto c = t.add_tensor({"c", 128, 8192, workload::TensorRole::kActivation});
  const auto d = t.add_tensor({"d", 128, 12288, workload::TensorRole::kWeight});
  const auto e = t.add_tensor({"e", 128, 16384, workload::TensorRole::kActivation});
  workload::OpInfo op;
  op.kind = workload::OpKind::kGemm;
  op.m = 8, op.n = 8, op.k = 8, op.flops = 2 * 8 * 8 * 8;
  op.name = "op0";
  const auto o0 = t.add_op(op);
  t.access(a, o0, workload::AccessKind::kRead);
  t.access(b, o0, workload::AccessKind::kRead);
  t.access(c, o0, workload::AccessKind::kWrite);
  op.name = "op1";
  const auto o1 = t.add_op(op);
  t.access(c, o1, workload::AccessKind::kRead);
  t.access(d, o1, workload::AccessKind::kRead);
  t.access(e, o1, workload::AccessKind::kWrite);
  config::PlatformConfig p = small_platform(2);
  const auto tensors_in_order = [&](const std::vector<TileSchedule>& s) {
    std::vector<std::uint32_t> out;
    for (const Segment* seg : lookup_sequence(s)) out.push_back(seg ? seg->tensor_id : 99);
    return out;
  };
  // Double buffering: op0's reads, op1's independent read (d), op0's write,
  // op1's read of c, op1's write; tile 0 then tile 1 for each access.
  std::vector<TileSchedule> s = build_schedule(t, p);
  EXPECT_EQ(tensors_in_order(s), (std::vector<std::uint32_t>{a, a, b, b, d, d, c, c, c, c, e, e}));
  EXPECT_EQ(s[1].segments[0].lookup, 1u);  // tile 1's part of a
  p.tiles.double_buffering = false;
  s = build_schedule(t, p);
  // Without: operator by operator, independent reads before dependent ones.
  EXPECT_EQ(tensors_in_order(s), (std::vector<std::uint32_t>{a, a, b, b, c, c, d, d, c, c, e, e}));
}

}  // namespace
}  // namespace tessera::platform

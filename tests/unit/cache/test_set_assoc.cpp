// The set-associative organization through the replay API, worked by hand,
// and the latency model's figures.
#include <gtest/gtest.h>

#include "models/cache/replay.h"
#include "models/core/error.h"

namespace tessera::cache {
namespace {

using workload::AccessKind;
using workload::Trace;

// T0: 128 bytes at 0 (lines 0, 1); T1: 64 bytes at 256 (line 4).
Trace two_tensor_trace(const std::vector<std::pair<std::uint32_t, AccessKind>>& accesses) {
  Trace t;
  t.add_tensor({"t0", 128, 0, workload::TensorRole::kActivation});
  t.add_tensor({"t1", 64, 256, workload::TensorRole::kActivation});
  t.add_op({});
  for (const auto& [tensor, kind] : accesses) t.access(tensor, 0, kind);
  return t;
}

ReplaySpec set_assoc(Bytes capacity, std::uint32_t ways) {
  ReplaySpec spec;
  spec.policy = "lru";
  spec.capacity_bytes = capacity;
  spec.organization = Organization::kSetAssoc;
  spec.geometry.ways = ways;
  spec.geometry.line_bytes = 64;
  return spec;
}

TEST(SetAssoc, DirectMappedConflict) {
  // 128 bytes, 1 way, 64-byte lines: 2 sets. Line n goes to set n mod 2.
  // T0 T1 T0 -> lines 0 1 | 4 | 0 1.  L0 m (set 0), L1 m (set 1),
  // L4 m (set 0) evicts L0, L0 m evicts L4, L1 h.
  const Trace t =
      two_tensor_trace({{0, AccessKind::kRead}, {1, AccessKind::kRead}, {0, AccessKind::kRead}});
  const ReplayResult r = replay(t, set_assoc(128, 1));
  EXPECT_EQ(r.counters.accesses, 5u);
  EXPECT_EQ(r.counters.hits, 1u);
  EXPECT_EQ(r.counters.misses, 4u);
  EXPECT_EQ(r.counters.evictions, 2u);
  EXPECT_EQ(r.counters.bytes_read_from_dram, 4u * 64);
}

TEST(SetAssoc, TwoWaysHoldBothConflictingLines) {
  // 256 bytes, 2 ways: still 2 sets; set 0 holds L0 and L4 together.
  const Trace t =
      two_tensor_trace({{0, AccessKind::kRead}, {1, AccessKind::kRead}, {0, AccessKind::kRead}});
  const ReplayResult r = replay(t, set_assoc(256, 2));
  EXPECT_EQ(r.counters.hits, 2u);
  EXPECT_EQ(r.counters.misses, 3u);
  EXPECT_EQ(r.counters.evictions, 0u);
}

TEST(SetAssoc, DirtyLinesAreWrittenBack) {
  // 2 sets x 1 way. T0 written: L0, L1 dirty (no read). T1 read: L4 evicts
  // dirty L0 (64 written), reads 64. T0 read: L0 evicts clean L4, reads 64;
  // L1 hits (still dirty at the end).
  const Trace t =
      two_tensor_trace({{0, AccessKind::kWrite}, {1, AccessKind::kRead}, {0, AccessKind::kRead}});
  const ReplayResult r = replay(t, set_assoc(128, 1));
  EXPECT_EQ(r.counters.bytes_written_to_dram, 64u);
  EXPECT_EQ(r.counters.bytes_read_from_dram, 128u);
  EXPECT_EQ(r.counters.writebacks, 1u);
  EXPECT_EQ(r.dirty_bytes_at_end, 64u);
}

TEST(SetAssoc, CapacityMustBeWholeSets) {
  const Trace t = two_tensor_trace({{0, AccessKind::kRead}});
  EXPECT_THROW(replay(t, set_assoc(100, 1)), InputError);
  EXPECT_THROW(replay(t, set_assoc(64, 2)), InputError);
}

TEST(ReplayLatency, PrototypeFiguresFromTheLatencyModel) {
  // Tensor organization, 1 MiB, LRU. A (2 MiB) bypasses, B (0.5 MiB) read
  // twice: accesses 3, hits 1, misses 2; missed bytes 2.5 MiB.
  // total = 1 x 0.01 + 2.5 x 0.1 + 2.5 MiB / 1e9 B/s
  //       = 0.01 + 0.25 + 2621440 / 1e9 s (= 2.62144 ms) = 2.88144 ms.
  Trace t;
  t.add_tensor({"a", 2 * kMiB, 0, workload::TensorRole::kWeight});
  t.add_tensor({"b", kMiB / 2, 4 * kMiB, workload::TensorRole::kWeight});
  t.add_op({});
  t.access(0, 0, AccessKind::kRead);
  t.access(1, 0, AccessKind::kRead);
  t.access(1, 0, AccessKind::kRead);
  ReplaySpec spec;
  spec.capacity_bytes = kMiB;
  spec.latency.bandwidth_bytes_per_s = 1e9;
  const ReplayResult r = replay(t, spec);
  EXPECT_EQ(r.counters.hits, 1u);
  EXPECT_EQ(r.counters.misses, 2u);
  EXPECT_NEAR(r.bandwidth_wait_time_ms, 2.62144, 1e-12);
  EXPECT_NEAR(r.total_latency_ms, 2.88144, 1e-12);
  EXPECT_DOUBLE_EQ(r.hit_rate(), 1.0 / 3);
  EXPECT_DOUBLE_EQ(r.byte_hit_rate(), 0.5 / 3.0);
}

TEST(ReplayApi, NextUseIndexIsOneBackwardPass) {
  EXPECT_EQ(next_use_index({0, 1, 0, 2, 1, 0}, 3),
            (std::vector<std::uint64_t>{2, 4, 5, kNever, kNever, kNever}));
}

}  // namespace
}  // namespace tessera::cache

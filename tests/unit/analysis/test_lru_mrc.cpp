#include <gtest/gtest.h>

#include <list>

#include "models/analysis/lru_mrc.h"
#include "models/core/error.h"
#include "trace_builder.h"

namespace tessera::analysis {
namespace {

using testing::make_trace;
using testing::random_trace;

// A plain LRU simulation written from the cache's rules (variable sizes; a
// miss evicts least-recent entries until the tensor fits; a tensor larger
// than the capacity bypasses), slow but obviously right.
std::uint64_t simulate_lru_hits(const workload::Trace& trace, Bytes capacity) {
  std::list<std::uint32_t> stack;  // most recent first
  std::vector<bool> resident(trace.tensors.size(), false);
  Bytes used = 0;
  std::uint64_t hits = 0;
  for (const auto& e : trace.events) {
    const std::uint32_t t = e.tensor_id;
    const Bytes size = trace.tensors[t].bytes;
    if (resident[t]) {
      ++hits;
      stack.remove(t);
      stack.push_front(t);
      continue;
    }
    if (size > capacity) continue;
    while (used + size > capacity) {
      used -= trace.tensors[stack.back()].bytes;
      resident[stack.back()] = false;
      stack.pop_back();
    }
    stack.push_front(t);
    resident[t] = true;
    used += size;
  }
  return hits;
}

// Sequence A B C A B B D A, sizes A=10 B=20 C=30 D=40 (see test_reuse_distance).
// C = 60 (>= every tensor, a plain stack algorithm): hit iff bytes + size <= 60
//   i=3 A: 50 + 10 = 60 hit; i=4 B: 40 + 20 = 60 hit; i=5 B: 0 + 20 hit;
//   i=7 A: 60 + 10 = 70 miss  -> 3 hits, 5 misses.
// C = 30 (D = 40 bypasses): cache [A] [B A] [C] (evicts A, B) [A] (evicts C)
//   [B A] hit-B [B A] D bypasses, A hits -> 2 hits (i=5, i=7).
//   By the rule: i=7 A: tensors <= 30 in between = {B} -> 20 + 10 <= 30: hit,
//   although its byte distance + size is 70.
// C = 100: every reuse hits (largest b + s = 70) -> 4 hits.
TEST(LruMrc, HandWorkedBytes) {
  const auto trace = make_trace({10, 20, 30, 40}, {0, 1, 2, 0, 1, 1, 3, 0});
  const LruMrc mrc = compute_lru_mrc(trace, {100, 30, 60});
  ASSERT_EQ(mrc.by_bytes.size(), 3u);
  EXPECT_EQ(mrc.by_bytes[0].capacity_bytes, 30u);
  EXPECT_EQ(mrc.by_bytes[0].hits, 2u);
  EXPECT_EQ(mrc.by_bytes[0].misses, 6u);
  EXPECT_EQ(mrc.by_bytes[1].capacity_bytes, 60u);
  EXPECT_EQ(mrc.by_bytes[1].hits, 3u);
  EXPECT_EQ(mrc.by_bytes[2].hits, 4u);
  EXPECT_DOUBLE_EQ(mrc.by_bytes[1].miss_ratio(), 5.0 / 8.0);
  EXPECT_EQ(mrc.accesses, 8u);
  EXPECT_EQ(mrc.cold, 4u);
}

// The growth rule, by hand. Tensors A, B, C (table size 100 each); accesses
// (tensor:bytes) A:10 B:10 A:5 B:20 A:10 C:8 B:15 A:30 C:8. Extents (running
// maxima): A 10 -> 30 at i=7, B 10 -> 20 at i=3, C 8. Growth misses at every
// capacity: i=3 (B 10 -> 20) and i=7 (A 10 -> 30); cold: i=0, 1, 5.
// Largest access 30, so 10 and 25 take the per-capacity path, 100 the
// histogram:
//   C = 100: hit iff b + e <= 100: i=2 (10+10), i=4 (20+10), i=6 (10+8+20),
//            i=8 (20+30+8) -> 4 hits, bytes 5 + 10 + 15 + 8 = 38.
//   C = 25:  [A] [B A] i=2 A hit [A B]; i=3 B grows: drop 10, insert 20 ->
//            30 > 25, evict A [B]; i=4 A miss, evict B [A]; i=5 C [C A] 18;
//            i=6 B (extent 20, not resident) evicts A, C [B]; i=7 A (30)
//            bypasses; i=8 C misses -> 1 hit, 5 bytes.
//   C = 10:  [A] [B] i=2 A:5 misses and inserts A's extent 10 [A]; i=3 B (20)
//            bypasses; i=4 A hits; i=5 C evicts A [C]; i=6 B, i=7 A bypass;
//            i=8 C hits although b + e = 58 -> 2 hits, 10 + 8 = 18 bytes.
TEST(LruMrc, HandWorkedGrowthMisses) {
  const auto trace = testing::make_part_trace(
      {100, 100, 100},
      {{0, 10}, {1, 10}, {0, 5}, {1, 20}, {0, 10}, {2, 8}, {1, 15}, {0, 30}, {2, 8}});
  const LruMrc mrc = compute_lru_mrc(trace, {10, 25, 100});
  EXPECT_EQ(mrc.cold, 3u);
  EXPECT_EQ(mrc.growth, 2u);
  ASSERT_EQ(mrc.by_bytes.size(), 3u);
  const std::uint64_t hits[] = {2, 1, 4};
  const Bytes bytes_hit[] = {18, 5, 38};
  for (std::size_t k = 0; k < 3; ++k) {
    const MrcPoint& p = mrc.by_bytes[k];
    EXPECT_EQ(p.hits, hits[k]) << p.capacity_bytes;
    EXPECT_EQ(p.misses, 9 - hits[k]) << p.capacity_bytes;
    EXPECT_EQ(p.bytes_accessed, 116u);
    EXPECT_EQ(p.bytes_hit, bytes_hit[k]) << p.capacity_bytes;
    EXPECT_EQ(p.bytes_missed, 116 - bytes_hit[k]) << p.capacity_bytes;
  }
  // By entries, growth misses miss too: reuse distances of the hittable
  // reuses i=2 (1), i=4 (1), i=6 (2), i=8 (2).
  EXPECT_EQ(mrc.object_hist, (std::vector<std::uint64_t>{0, 2, 2}));
}

// A grown entry that no longer fits leaves a hole, which a later insert
// fills without evicting: the resident set is then not the longest prefix of
// the recency stack that fits. Accesses A:10 B:10 C:5 B:25 A:10.
//   C = 20: [A] [B A] i=2 C: 25 > 20, evict A [C B]; i=3 B grows to 25 > 20:
//           its 10 bytes are dropped and it bypasses [C] (5 used); i=4 A
//           misses (evicted at i=2), although the tensors of at most 20
//           bytes used since A's last use (C) plus A fit in 20.
//   C = 39: after i=3 B (25) evicts A [B C] 30 -> i=4 misses.
//   C = 40: [B C A] 40 -> i=4 A hits (b + e = 25 + 5 + 10 = 40).
TEST(LruMrc, HandWorkedGrowthBeyondCapacityLeavesAHole) {
  const auto trace =
      testing::make_part_trace({100, 100, 100}, {{0, 10}, {1, 10}, {2, 5}, {1, 25}, {0, 10}});
  const LruMrc mrc = compute_lru_mrc(trace, {20, 39, 40});
  ASSERT_EQ(mrc.by_bytes.size(), 3u);
  EXPECT_EQ(mrc.by_bytes[0].hits, 0u);
  EXPECT_EQ(mrc.by_bytes[1].hits, 0u);
  EXPECT_EQ(mrc.by_bytes[2].hits, 1u);
  EXPECT_EQ(mrc.by_bytes[2].bytes_hit, 10u);
}

// Object counts, same sequence: reuse distances 2, 2, 0, 2.
//   1 entry: only d = 0 hits (i=5) -> 1;  2 entries: still 1;  3 entries: all 4.
TEST(LruMrc, HandWorkedObjects) {
  const auto trace = make_trace({10, 20, 30, 40}, {0, 1, 2, 0, 1, 1, 3, 0});
  const LruMrc mrc = compute_lru_mrc(trace, {1});
  const std::vector<std::uint64_t> hist = {1, 0, 3};
  EXPECT_EQ(mrc.object_hist, hist);
  EXPECT_EQ(mrc.hits_with_entries(0), 0u);
  EXPECT_EQ(mrc.hits_with_entries(1), 1u);
  EXPECT_EQ(mrc.hits_with_entries(2), 1u);
  EXPECT_EQ(mrc.hits_with_entries(3), 4u);
  EXPECT_EQ(mrc.hits_with_entries(1000), 4u);
  EXPECT_DOUBLE_EQ(mrc.miss_ratio_with_entries(3), 0.5);
}

// The one-pass curve equals a direct simulation at every capacity, on seeded
// random traces with variable sizes, capacities below the largest tensor
// (bypass) and above it, uniform and skewed draws.
TEST(LruMrc, EqualsDirectSimulationOnRandomTraces) {
  struct Case {
    std::uint64_t seed;
    std::uint32_t tensors;
    Bytes lo, hi;
    bool skewed;
  };
  for (const Case c : {Case{11, 50, 1, 1000, false}, Case{12, 200, 100, 5000, true},
                       Case{13, 20, 64, 64, false}, Case{14, 500, 1, 1 << 16, true}}) {
    const auto trace = random_trace(c.seed, c.tensors, 4000, c.lo, c.hi, c.skewed);
    const std::vector<Bytes> caps = log_spaced_capacities(c.lo, 40 * c.hi, 12);
    const LruMrc mrc = compute_lru_mrc(trace, caps);
    ASSERT_EQ(mrc.by_bytes.size(), caps.size());
    for (const MrcPoint& p : mrc.by_bytes) {
      EXPECT_EQ(p.hits, simulate_lru_hits(trace, p.capacity_bytes))
          << "seed " << c.seed << " capacity " << p.capacity_bytes;
      EXPECT_EQ(p.hits + p.misses, trace.events.size());
    }
  }
}

// With equal sizes s, a byte capacity C holds floor(C / s) entries: the byte
// curve and the object curve must agree.
TEST(LruMrc, EqualSizesMatchObjectCurve) {
  const auto trace = random_trace(21, 100, 3000, 16, 16, true);
  const LruMrc mrc = compute_lru_mrc(trace, {16, 48, 160, 800, 1600});
  for (const MrcPoint& p : mrc.by_bytes) {
    EXPECT_EQ(p.hits, mrc.hits_with_entries(p.capacity_bytes / 16)) << p.capacity_bytes;
  }
}

TEST(LruMrc, LogSpacedCapacities) {
  // 1 KiB to 1 MiB in 4 points: ratio 1024^(1/3) = 10.079...
  //   1024, 1024 * 10.0794 = 10321.3 -> 10321, 1024 * 101.5937 = 104031.9 -> 104032, 1048576
  const std::vector<Bytes> expected = {1024, 10321, 104032, 1048576};
  EXPECT_EQ(log_spaced_capacities(1024, 1048576, 4), expected);
  EXPECT_EQ(log_spaced_capacities(5, 5, 3), std::vector<Bytes>{5});
  EXPECT_THROW(log_spaced_capacities(0, 10, 3), InputError);
  EXPECT_THROW(log_spaced_capacities(10, 5, 3), InputError);
  EXPECT_THROW(compute_lru_mrc(make_trace({1}, {0}), {0}), InputError);
}

}  // namespace
}  // namespace tessera::analysis

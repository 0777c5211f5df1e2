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

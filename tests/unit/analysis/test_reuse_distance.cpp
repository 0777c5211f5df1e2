#include <gtest/gtest.h>

#include <set>

#include "models/analysis/reuse_distance.h"
#include "models/core/error.h"
#include "trace_builder.h"

namespace tessera::analysis {
namespace {

using testing::make_trace;
using testing::random_trace;

// Sequence A B C A B B D A with sizes A=10, B=20, C=30, D=40.
//   i=0 A cold   i=1 B cold   i=2 C cold
//   i=3 A: since i=0 saw {B, C}: d = 2, bytes = 20 + 30 = 50, time = 3 - 0 = 3
//   i=4 B: since i=1 saw {C, A}: d = 2, bytes = 30 + 10 = 40, time = 4 - 1 = 3
//   i=5 B: nothing in between:   d = 0, bytes = 0,            time = 1
//   i=6 D cold
//   i=7 A: since i=3 saw {B, D} (B twice, counted once): d = 2, bytes = 20 + 40 = 60, time = 4
TEST(ReuseDistance, HandWorkedSequence) {
  const auto trace = make_trace({10, 20, 30, 40}, {0, 1, 2, 0, 1, 1, 3, 0});
  const ReuseDistances r = compute_reuse_distances(trace);
  const std::vector<std::uint64_t> tensors = {kCold, kCold, kCold, 2, 2, 0, kCold, 2};
  const std::vector<std::uint64_t> bytes = {kCold, kCold, kCold, 50, 40, 0, kCold, 60};
  const std::vector<std::uint64_t> time = {kCold, kCold, kCold, 3, 3, 1, kCold, 4};
  EXPECT_EQ(r.tensors, tensors);
  EXPECT_EQ(r.bytes, bytes);
  EXPECT_EQ(r.time, time);
  EXPECT_EQ(r.cold, 4u);
}

// Byte distances count each tensor at its extent, the running maximum of the
// bytes its accesses touched so far, as it stands at its last access.
// Sizes 100 each; accesses A:10 B:30 B:5 A:40 B:50 A:40
//   i=2 B: nothing in between: 0
//   i=3 A: {B} at extent 30 -> 30 (B:5 did not shrink it)
//   i=4 B: {A} at extent 40 -> 40
//   i=5 A: {B} at extent 50 -> 50
TEST(ReuseDistance, BytesUseRunningMaximumExtents) {
  const auto trace =
      testing::make_part_trace({100, 100}, {{0, 10}, {1, 30}, {1, 5}, {0, 40}, {1, 50}, {0, 40}});
  const ReuseDistances r = compute_reuse_distances(trace);
  const std::vector<std::uint64_t> bytes = {kCold, kCold, 0, 30, 40, 50};
  EXPECT_EQ(r.bytes, bytes);
}

// A cyclic scan of 3 tensors: every reuse has the other two in between.
//   A B C A B C: i=3..5 each d = 2, time = 3; bytes = the other two sizes.
TEST(ReuseDistance, CyclicScan) {
  const auto trace = make_trace({1, 2, 4}, {0, 1, 2, 0, 1, 2});
  const ReuseDistances r = compute_reuse_distances(trace);
  EXPECT_EQ(r.tensors[3], 2u);
  EXPECT_EQ(r.tensors[4], 2u);
  EXPECT_EQ(r.tensors[5], 2u);
  EXPECT_EQ(r.bytes[3], 2u + 4u);  // B, C
  EXPECT_EQ(r.bytes[4], 4u + 1u);  // C, A
  EXPECT_EQ(r.bytes[5], 1u + 2u);  // A, B
  EXPECT_EQ(r.time[5], 3u);
}

// Brute force from the definition, O(n^2): the set of tensors strictly between.
void brute_force_check(const workload::Trace& trace) {
  const ReuseDistances r = compute_reuse_distances(trace);
  const auto& ev = trace.events;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    std::size_t j = i;
    bool found = false;
    while (j > 0) {
      --j;
      if (ev[j].tensor_id == ev[i].tensor_id) {
        found = true;
        break;
      }
    }
    if (!found) {
      ASSERT_EQ(r.tensors[i], kCold) << "event " << i;
      continue;
    }
    std::set<std::uint32_t> between;
    for (std::size_t k = j + 1; k < i; ++k) between.insert(ev[k].tensor_id);
    std::uint64_t bytes = 0;
    for (auto t : between) bytes += trace.tensors[t].bytes;
    ASSERT_EQ(r.tensors[i], between.size()) << "event " << i;
    ASSERT_EQ(r.bytes[i], bytes) << "event " << i;
    ASSERT_EQ(r.time[i], i - j) << "event " << i;
  }
}

// Few tensors and many events force the time window to be compacted many
// times (window = 2 T + 64 slots).
TEST(ReuseDistance, MatchesBruteForceAcrossCompactions) {
  brute_force_check(random_trace(1, 5, 2000, 1, 100, false));
  brute_force_check(random_trace(2, 40, 3000, 1, 1 << 20, true));
  brute_force_check(random_trace(3, 300, 2000, 7, 7, false));
}

TEST(ReuseDistance, RejectsTensorIdOutsideTable) {
  auto trace = make_trace({8}, {0});
  trace.events[0].tensor_id = 5;
  try {
    compute_reuse_distances(trace);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "event 0: tensor_id: expected < 1 (tensors in the table), found 5");
  }
}

TEST(ReuseDistance, EmptyTrace) {
  const ReuseDistances r = compute_reuse_distances(make_trace({4}, {}));
  EXPECT_TRUE(r.tensors.empty());
  EXPECT_EQ(r.cold, 0u);
}

}  // namespace
}  // namespace tessera::analysis

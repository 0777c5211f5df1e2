#include <gtest/gtest.h>

#include "models/analysis/locality.h"
#include "models/analysis/trace_stats.h"
#include "trace_builder.h"

namespace tessera::analysis {
namespace {

using testing::make_trace;

TEST(Locality, Log2Bins) {
  EXPECT_EQ(log2_bin(0), 0);
  EXPECT_EQ(log2_bin(1), 1);
  EXPECT_EQ(log2_bin(2), 2);
  EXPECT_EQ(log2_bin(3), 2);
  EXPECT_EQ(log2_bin(4), 3);
  EXPECT_EQ(log2_bin(1023), 10);
  EXPECT_EQ(log2_bin(1024), 11);
  EXPECT_EQ(log2_bin(~std::uint64_t{0}), 64);
  EXPECT_EQ(log2_bin_low(11), 1024u);
}

TEST(Locality, EntropyBits) {
  EXPECT_DOUBLE_EQ(entropy_bits({2, 2}), 1.0);
  EXPECT_DOUBLE_EQ(entropy_bits({1, 1, 1, 1}), 2.0);
  EXPECT_DOUBLE_EQ(entropy_bits({4}), 0.0);
  EXPECT_DOUBLE_EQ(entropy_bits({}), 0.0);
  // p = (1/2, 1/4, 1/4): H = 1/2 + 2 * 1/4 * 2 = 1.5 bits.
  EXPECT_DOUBLE_EQ(entropy_bits({2, 0, 1, 1}), 1.5);
}

// A B C | A B B | D A with sizes 10, 20, 30, 40, windows of 3 events:
//   {A, B, C} = 60, {A, B} = 30, {D, A} = 50.
TEST(Locality, WorkingSetByHand) {
  const auto trace = make_trace({10, 20, 30, 40}, {0, 1, 2, 0, 1, 1, 3, 0});
  const WorkingSet ws = working_set(trace, 3);
  EXPECT_EQ(ws.bytes, (std::vector<Bytes>{60, 30, 50}));
  EXPECT_EQ(working_set(trace, 100).bytes, std::vector<Bytes>{100});
}

// Same sequence: reuse distances 2, 2, 0, 2 -> log2 bins {0: 1, 2: 3};
// entropy of (1/4, 3/4) = 0.8113 bits. Reuse times 3, 3, 1, 4: with W = 3,
// 3 of the 8 accesses are reuses within W -> 0.375.
TEST(Locality, TraceStatsByHand) {
  const auto trace = make_trace({10, 20, 30, 40}, {0, 1, 2, 0, 1, 1, 3, 0});
  StatsOptions opts;
  opts.locality_window_events = 3;
  opts.working_set_window_events = 3;
  opts.capacities_bytes = {60};
  const TraceStats st = compute_trace_stats(trace, opts);
  EXPECT_EQ(st.events, 8u);
  EXPECT_EQ(st.tensors_touched, 4u);
  EXPECT_EQ(st.distinct_bytes, 100u);
  EXPECT_EQ(st.accessed_bytes, 10u + 20 + 30 + 10 + 20 + 20 + 40 + 10);
  EXPECT_EQ(st.cold, 4u);
  EXPECT_EQ(st.reuses, 4u);
  EXPECT_EQ(st.distance_hist, (std::vector<std::uint64_t>{1, 0, 3}));
  EXPECT_NEAR(st.reuse_entropy_bits, 0.8112781245, 1e-9);
  EXPECT_DOUBLE_EQ(st.temporal_locality, 0.375);
  EXPECT_DOUBLE_EQ(st.mean_distance_tensors, 1.5);
  EXPECT_DOUBLE_EQ(st.mean_distance_bytes, (50.0 + 40 + 0 + 60) / 4);
  EXPECT_DOUBLE_EQ(st.mean_time_events, (3.0 + 3 + 1 + 4) / 4);
  EXPECT_EQ(st.max_distance_tensors, 2u);
  EXPECT_EQ(st.mrc.by_bytes.at(0).hits, 3u);
  EXPECT_EQ(st.working_set.bytes, (std::vector<Bytes>{60, 30, 50}));
  // Sizes 10, 20, 30, 40 -> log2 bins 4 (8..15), 5 (16..31), 5, 6 (32..63).
  EXPECT_EQ(st.tensor_size_hist, (std::vector<std::uint64_t>{0, 0, 0, 0, 1, 2, 1}));
}

}  // namespace
}  // namespace tessera::analysis

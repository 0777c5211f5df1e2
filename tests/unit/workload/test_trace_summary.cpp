#include <gtest/gtest.h>

#include "models/workload/trace_summary.h"
#include "tests/unit/workload/trace_io_test_util.h"

namespace tessera::workload {
namespace {

TEST(TraceSummary, SmallTraceByHand) {
  const TraceSummary s = summarize(testing::small_trace());
  EXPECT_EQ(s.events, 6u);
  EXPECT_EQ(s.reads, 4u);   // x, w, and y's two halves
  EXPECT_EQ(s.writes, 2u);  // y by fc0 and by act0
  EXPECT_EQ(s.tensors, 3u);
  EXPECT_EQ(s.distinct_tensors, 3u);
  EXPECT_EQ(s.ops, 2u);
  EXPECT_EQ(s.layers, 1u);
  // 64 + 512 + 32 + 16 + 16 + 32 = 672 bytes moved; 64 + 512 + 32 = 608 distinct.
  EXPECT_EQ(s.total_bytes, 672u);
  EXPECT_EQ(s.distinct_bytes, 608u);
  EXPECT_EQ(s.flops, 264u);  // 256 + 8, each op once although fc0 has 3 events
  const OpKindSummary& gemm = s.by_kind[static_cast<int>(OpKind::kGemm)];
  EXPECT_EQ(gemm.ops, 1u);
  EXPECT_EQ(gemm.events, 3u);
  EXPECT_EQ(gemm.bytes, 608u);
  EXPECT_EQ(gemm.flops, 256u);
  const OpKindSummary& ew = s.by_kind[static_cast<int>(OpKind::kElementwise)];
  EXPECT_EQ(ew.ops, 1u);
  EXPECT_EQ(ew.events, 3u);
  EXPECT_EQ(ew.bytes, 64u);
  EXPECT_EQ(ew.flops, 8u);
  EXPECT_EQ(s.by_kind[static_cast<int>(OpKind::kSoftmax)].ops, 0u);
}

TEST(TraceSummary, UntouchedTensorsDoNotCountAsDistinct) {
  Trace t = testing::small_trace();
  t.add_tensor({"unused", 4096, 4096, TensorRole::kWeight});
  const TraceSummary s = summarize(t);
  EXPECT_EQ(s.tensors, 4u);
  EXPECT_EQ(s.distinct_tensors, 3u);
  EXPECT_EQ(s.distinct_bytes, 608u);
}

TEST(TraceSummary, PerKindFiguresAddUpOnRandomTraces) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const Trace t = testing::random_trace(seed, 1000);
    const TraceSummary s = summarize(t);
    std::uint64_t ops = 0, events = 0, bytes = 0, flops = 0;
    for (const OpKindSummary& k : s.by_kind) {
      ops += k.ops;
      events += k.events;
      bytes += k.bytes;
      flops += k.flops;
    }
    EXPECT_EQ(ops, s.ops);
    EXPECT_EQ(events, s.events);
    EXPECT_EQ(bytes, s.total_bytes);
    EXPECT_EQ(flops, s.flops);  // wraps identically on both sides
    EXPECT_EQ(s.reads + s.writes, s.events);
    EXPECT_LE(s.distinct_tensors, s.tensors);
  }
}

}  // namespace
}  // namespace tessera::workload

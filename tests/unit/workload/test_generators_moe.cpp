// MoE routing: only routed experts are touched, routing is seeded and
// deterministic, a new seed changes the routing and nothing else, and a Zipf
// skew is measurably skewed.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "models/workload/generators/moe_router.h"
#include "tests/unit/workload/generator_test_util.h"

namespace tessera::workload {
namespace {
using namespace tessera::workload::testing;

std::string moe_yaml(std::uint64_t experts, std::uint64_t top_k, std::uint64_t seq,
                     std::uint64_t layers, const std::string& extra = "") {
  return "  family: moe\n  hidden_size: 8\n  num_heads: 2\n  vocab_size: 16\n  ffn_size: 16\n"
         "  num_layers: " +
         std::to_string(layers) + "\n  seq_length: " + std::to_string(seq) +
         "\n  num_experts: " + std::to_string(experts) + "\n  top_k: " + std::to_string(top_k) +
         "\n" + extra;
}

// Tokens routed to expert e of `layer` (0 when its op is absent): the m of its up op.
std::vector<std::uint64_t> tokens_per_expert(const Trace& t, const std::string& step_layer,
                                             std::uint64_t experts) {
  std::vector<std::uint64_t> out(experts, 0);
  for (std::uint64_t e = 0; e < experts; ++e) {
    const std::string name = step_layer + ".moe.expert" + std::to_string(e) + ".up";
    for (const OpInfo& op : t.ops) {
      if (op.name == name) out[e] = op.m;
    }
  }
  return out;
}

bool is_expert_op(const std::string& name) {
  return name.find(".moe.expert") != std::string::npos;
}

TEST(MoeRouting, OnlyRoutedExpertsWeightsAreRead) {
  // 3 tokens, top-1 of 8 experts: at most 3 experts per layer can be touched.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(seed);
    const Trace t = generate(moe_yaml(8, 1, 3, 2), seed);
    for (int layer = 1; layer <= 2; ++layer) {
      const std::string p = "layer" + std::to_string(layer);
      const auto counts = tokens_per_expert(t, p, 8);
      std::uint64_t routed = 0, experts_used = 0;
      for (std::uint64_t e = 0; e < 8; ++e) {
        routed += counts[e];
        experts_used += counts[e] > 0 ? 1 : 0;
        const std::string w = p + ".moe.expert" + std::to_string(e) + ".";
        // Weights read once per op that uses them, never otherwise.
        EXPECT_EQ(count_reads_of(t, tensor_id(t, w + "w_up")), counts[e] > 0 ? 1u : 0u);
        EXPECT_EQ(count_reads_of(t, tensor_id(t, w + "w_down")), counts[e] > 0 ? 1u : 0u);
      }
      EXPECT_EQ(routed, 3u);  // T x top_k
      EXPECT_LE(experts_used, 3u);
    }
  }
}

TEST(MoeRouting, ExpertSlicesTileTheDispatchBuffer) {
  const Trace t = generate(moe_yaml(4, 2, 10, 1), 9);
  // Slices of the dispatch buffer are consecutive in expert order and cover
  // all T x top_k = 20 rows of 16 bytes.
  const TensorInfo& disp = t.tensors[tensor_id(t, "layer1.moe.dispatched")];
  EXPECT_EQ(disp.bytes, 20u * 16);
  std::uint64_t next = disp.address;
  for (const TraceEvent& e : t.events) {
    if (e.tensor_id != tensor_id(t, "layer1.moe.dispatched") ||
        !is_expert_op(t.ops[e.op_id()].name)) {
      continue;
    }
    EXPECT_EQ(e.address, next);
    next += e.bytes;
  }
  EXPECT_EQ(next, disp.address + disp.bytes);
}

TEST(MoeRouting, AnotherSeedChangesRoutingAndNothingElse) {
  const std::string yaml = moe_yaml(8, 2, 16, 2, "  decode_tokens: 2\n");
  const Trace a = generate(yaml, 1), b = generate(yaml, 2);
  // Same tensor table: names, sizes and addresses never depend on routing.
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (std::size_t i = 0; i < a.tensors.size(); ++i) {
    EXPECT_EQ(a.tensors[i].name, b.tensors[i].name);
    EXPECT_EQ(a.tensors[i].bytes, b.tensors[i].bytes);
    EXPECT_EQ(a.tensors[i].address, b.tensors[i].address);
  }
  // Outside the expert ops, the same events in the same order.
  auto non_expert = [](const Trace& t) {
    std::vector<std::string> out;
    for (const TraceEvent& e : t.events) {
      const std::string& op = t.ops[e.op_id()].name;
      if (is_expert_op(op)) continue;
      out.push_back(op + "|" + std::to_string(e.tensor_id) + "|" + std::to_string(e.address) + "|" +
                    std::to_string(e.bytes) + "|" + (e.is_write() ? "w" : "r"));
    }
    return out;
  };
  EXPECT_EQ(non_expert(a), non_expert(b));
  // The routing itself differs.
  EXPECT_NE(tokens_per_expert(a, "layer1", 8), tokens_per_expert(b, "layer1", 8));
}

TEST(MoeRouting, ZipfSkewIsMeasurable) {
  // 2000 tokens, top-1 of 8. Zipf s = 1.2: P(e) = (e+1)^-1.2 / H, H = 2.3338,
  // so expert 0 expects 2000 x 0.4285 = 857 tokens (sd 22) and expert 7
  // 2000 x 0.0354 = 71; uniform expects 250 each (sd 15).
  const Trace z = generate(moe_yaml(8, 1, 2000, 1, "  routing: zipf\n  zipf_s: 1.2\n"), 3);
  const auto zc = tokens_per_expert(z, "layer1", 8);
  EXPECT_GT(zc[0], 857u - 88);
  EXPECT_LT(zc[0], 857u + 88);
  EXPECT_GT(zc[0], 5 * zc[7]);
  for (int e = 1; e < 8; ++e) EXPECT_GT(zc[e - 1] + 40, zc[e]);  // non-increasing up to noise

  const Trace u = generate(moe_yaml(8, 1, 2000, 1, "  routing: uniform\n"), 3);
  const auto uc = tokens_per_expert(u, "layer1", 8);
  for (int e = 0; e < 8; ++e) {
    EXPECT_GT(uc[e], 250u - 60);
    EXPECT_LT(uc[e], 250u + 60);
  }
}

TEST(MoeRouter, TopKPicksDistinctExperts) {
  // top-k = E: every token must take every expert exactly once, even under a
  // steep skew where sampling with replacement would repeat expert 0.
  MoeRouter r(7, 4, 4, true, 8.0);
  r.route(100);
  for (std::uint64_t e = 0; e < 4; ++e) EXPECT_EQ(r.tokens_of(e), 100u);
  MoeRouter two(7, 5, 2, false, 1.0);
  two.route(1000);
  std::uint64_t total = 0;
  for (std::uint64_t e = 0; e < 5; ++e) {
    EXPECT_LE(two.tokens_of(e), 1000u);  // at most once per token
    total += two.tokens_of(e);
  }
  EXPECT_EQ(total, 2000u);
}

}  // namespace
}  // namespace tessera::workload

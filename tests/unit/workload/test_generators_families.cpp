// Tiny models of each family, traced and checked against tensor tables and
// event counts worked out by hand.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/unit/workload/generator_test_util.h"

namespace tessera::workload {
namespace {
using namespace tessera::workload::testing;

struct Expected {
  std::string name;
  Bytes bytes;
  TensorRole role;
};

void expect_tensors(const Trace& t, const std::vector<Expected>& expected) {
  ASSERT_EQ(t.tensors.size(), expected.size());
  std::uint64_t address = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].name);
    EXPECT_EQ(t.tensors[i].name, expected[i].name);
    EXPECT_EQ(t.tensors[i].bytes, expected[i].bytes);
    EXPECT_EQ(t.tensors[i].role, expected[i].role);
    // Allocator: creation order, each tensor at the next multiple of 256 B.
    EXPECT_EQ(t.tensors[i].address, address);
    address += (expected[i].bytes + 255) / 256 * 256;
  }
}

constexpr auto W = TensorRole::kWeight;
constexpr auto A = TensorRole::kActivation;
constexpr auto KV = TensorRole::kKvCache;
constexpr auto IN = TensorRole::kInput;
constexpr auto OUT = TensorRole::kOutput;

// hidden d = 8, 2 heads (head dim 4), KV heads default 2 (kv_dim 8), FFN
// default 4d = 32, vocab 16, 1 layer, prompt 4, batch 1, fp16 (2 B): T = 4 tokens.
const char* kTinyDecoder =
    "  family: transformer\n  hidden_size: 8\n  num_heads: 2\n  num_layers: 1\n"
    "  vocab_size: 16\n  seq_length: 4\n  batch: 1\n  dtype: fp16\n";

TEST(TransformerGenerator, TinyDecoderPrefillTensorsAndEvents) {
  const Trace t = generate(kTinyDecoder);
  EXPECT_EQ(t.family, "transformer");
  EXPECT_EQ(t.model, "custom-transformer");
  expect_tensors(
      t, {
             // Weights first, in model order.
             {"embed.tokens", 16 * 8 * 2, W},            // vocab x d = 256
             {"layer1.attn_norm.weight", 2 * 8 * 2, W},  // LayerNorm scale+shift = 32
             {"layer1.attn.wq", 8 * 8 * 2, W},           // 128
             {"layer1.attn.wk", 8 * 8 * 2, W},           // d x kv_dim = 128
             {"layer1.attn.wv", 8 * 8 * 2, W},
             {"layer1.attn.wo", 8 * 8 * 2, W},
             {"layer1.ffn_norm.weight", 2 * 8 * 2, W},
             {"layer1.ffn.w_up", 8 * 32 * 2, W},    // 512
             {"layer1.ffn.w_down", 32 * 8 * 2, W},  // 512
             {"head.norm.weight", 2 * 8 * 2, W},
             {"head.lm_head", 8 * 16 * 2,
              W},  // untied: 256
                   // KV caches: (prompt 4 + 0 decode) positions x batch 1 x kv_dim 8 x 2 B = 64.
             {"layer1.attn.k_cache", 4 * 1 * 8 * 2, KV},
             {"layer1.attn.v_cache", 4 * 1 * 8 * 2, KV},
             // Prefill activations, T x d x 2 B = 64 unless noted.
             {"input.token_ids", 4 * 4, IN},  // int32 ids
             {"embed.out", 64, A},
             {"layer1.attn_norm.out", 64, A},
             {"layer1.attn.q", 64, A},
             {"layer1.attn.context", 64, A},
             {"layer1.attn.out", 64, A},
             {"layer1.attn_residual.out", 64, A},
             {"layer1.ffn_norm.out", 64, A},
             {"layer1.ffn.hidden", 4 * 32 * 2, A},  // T x FFN = 256
             {"layer1.ffn.out", 64, A},
             {"layer1.ffn_residual.out", 64, A},
             {"head.norm.out", 64, A},
             {"head.logits", 4 * 16 * 2, OUT},  // T x vocab = 128
         });
  // Events: embed = ids + 4 token rows + write = 6; block = norm 3 + q 3 +
  // k 3 + v 3 + attention 4 (q, K, V, write) + o 3 + residual 3 + norm 3 +
  // up 3 + down 3 + residual 3 = 34; head = norm 3 + lm_head 3 = 6. 46 total.
  EXPECT_EQ(t.events.size(), 46u);
  EXPECT_EQ(t.ops.size(), 14u);
  // Weights: 256+32+4*128+32+2*512+32+256 = 2144 bytes.
  EXPECT_EQ(weight_bytes(t), 2144u);

  // FLOPs and GEMM views: q_proj 2*T*d*d = 512; attention 4*B*h*S*ctx*hd =
  // 4*1*2*4*4*4 = 512 with view batch B*h = 2, m 4, n 4, k 4; up 2*4*32*8 = 2048.
  EXPECT_EQ(op_named(t, "layer1.attn.q_proj").flops, 512u);
  const OpInfo& att = op_named(t, "layer1.attn.attention");
  EXPECT_EQ(att.kind, OpKind::kAttention);
  EXPECT_EQ(att.flops, 512u);
  EXPECT_EQ(att.batch, 2u);
  EXPECT_EQ(att.m, 4u);
  EXPECT_EQ(att.n, 4u);
  EXPECT_EQ(att.k, 4u);
  EXPECT_EQ(op_named(t, "layer1.ffn.up").flops, 2048u);
  EXPECT_EQ(op_named(t, "layer1.attn.q_proj").layer, 1u);
  EXPECT_EQ(op_named(t, "embed").layer, 0u);
  EXPECT_EQ(op_named(t, "head.lm_head").layer, 2u);

  // q_proj reads the norm output and wq, writes q: in that order.
  const auto q = events_of(t, "layer1.attn.q_proj");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].tensor_id, tensor_id(t, "layer1.attn_norm.out"));
  EXPECT_FALSE(q[0].is_write());
  EXPECT_EQ(q[1].tensor_id, tensor_id(t, "layer1.attn.wq"));
  EXPECT_EQ(q[2].tensor_id, tensor_id(t, "layer1.attn.q"));
  EXPECT_TRUE(q[2].is_write());
  EXPECT_EQ(q[2].bytes, 64u);

  // The embedding reads one 16-byte row per token inside the table.
  const auto emb = events_of(t, "embed");
  ASSERT_EQ(emb.size(), 6u);
  const TensorInfo& table = t.tensors[tensor_id(t, "embed.tokens")];
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(emb[i].bytes, 16u);
    EXPECT_EQ((emb[i].address - table.address) % 16, 0u);
    EXPECT_LT(emb[i].address, table.address + table.bytes);
  }
}

TEST(TransformerGenerator, DecodeGrowsTheKvCacheOnePositionPerToken) {
  const Trace t = generate(std::string(kTinyDecoder) + "  decode_tokens: 3\n");
  // Caches now hold 4 + 3 = 7 positions: 7 x 1 x 8 x 2 B = 112 bytes.
  const std::uint32_t k = tensor_id(t, "layer1.attn.k_cache");
  EXPECT_EQ(t.tensors[k].bytes, 112u);
  const std::uint64_t base = t.tensors[k].address;
  // Prefill: k_proj writes positions [0, 4) = 64 B; attention reads them.
  auto kp = events_of(t, "layer1.attn.k_proj");
  ASSERT_EQ(kp.size(), 3u);
  EXPECT_EQ(kp[2].address, base);
  EXPECT_EQ(kp[2].bytes, 64u);
  auto at = events_of(t, "layer1.attn.attention");
  ASSERT_EQ(at.size(), 4u);
  EXPECT_EQ(at[1].tensor_id, k);
  EXPECT_EQ(at[1].bytes, 64u);
  // Decode step t writes position 4 + t - 1 (16 B at offset 16 (3 + t)) and
  // reads the first 4 + t positions: 80, 96, 112 bytes.
  for (int step = 1; step <= 3; ++step) {
    SCOPED_TRACE(step);
    const std::string p = "dec" + std::to_string(step) + ".layer1.attn.";
    kp = events_of(t, p + "k_proj");
    ASSERT_EQ(kp.size(), 3u);
    EXPECT_TRUE(kp[2].is_write());
    EXPECT_EQ(kp[2].tensor_id, k);
    EXPECT_EQ(kp[2].address, base + 16u * (3 + step));
    EXPECT_EQ(kp[2].bytes, 16u);
    at = events_of(t, p + "attention");
    ASSERT_EQ(at.size(), 4u);
    EXPECT_EQ(at[1].address, base);
    EXPECT_EQ(at[1].bytes, 16u * (4 + step));
    EXPECT_EQ(at[2].bytes, 16u * (4 + step));
    // One new token: attention flops 4*B*h*1*ctx*hd = 4*2*(4+t)*4.
    EXPECT_EQ(op_named(t, p + "attention").flops, 32u * (4 + step));
  }
  // Events: prefill 46; each decode step embed 3 (ids, 1 row, write) + block 34 + head 6 = 43.
  EXPECT_EQ(t.events.size(), 46u + 3 * 43u);
}

TEST(TransformerGenerator, DecodeOnlyAssumesAFilledCache) {
  const Trace t = generate(std::string(kTinyDecoder) + "  decode_tokens: 2\n  phases: [decode]\n");
  EXPECT_EQ(t.events.size(), 2 * 43u);
  const auto at = events_of(t, "dec1.layer1.attn.attention");
  ASSERT_EQ(at.size(), 4u);
  EXPECT_EQ(at[1].bytes, 5u * 16);
}

TEST(TransformerGenerator, EncoderWithGqaBiasAndPositions) {
  // hidden 8, 4 heads (hd 2), 2 KV heads (kv_dim 4), bias, learned positions
  // (8 rows), tied head off, encoder (no LM head): T = batch 2 x seq 3 = 6.
  const Trace t = generate(
      "  family: transformer\n  kind: encoder\n  hidden_size: 8\n  num_heads: 4\n"
      "  num_kv_heads: 2\n  ffn_size: 16\n  num_layers: 1\n  vocab_size: 10\n  seq_length: 3\n"
      "  batch: 2\n  max_positions: 8\n  bias: true\n  dtype: fp32\n");
  // wk: (8 x 4 + 4 bias) x 4 B = 144; wq: (64 + 8) x 4 = 288; positions 8 x 8 x 4 = 256.
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.attn.wk")].bytes, 144u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.attn.wq")].bytes, 288u);
  EXPECT_EQ(t.tensors[tensor_id(t, "embed.positions")].bytes, 256u);
  // Encoder K and V are activations of T x kv_dim x 4 B = 96.
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.attn.k")].bytes, 96u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.attn.k")].role, TensorRole::kActivation);
  // No LM head: the final norm's output is the model output.
  EXPECT_EQ(t.tensors.back().name, "head.norm.out");
  EXPECT_EQ(t.tensors.back().role, TensorRole::kOutput);
  // Events: embed = ids + 6 rows + positions + write = 9; block 34; head norm 3.
  EXPECT_EQ(t.events.size(), 9u + 34 + 3);
  // Weights: tokens 320 + positions 256 + 2 norms 2x64 + wq 288 + wk 144 + wv 144
  // + wo 288 + up (128+16)x4 = 576 + down (128+8)x4 = 544 + final norm 64 = 2752.
  EXPECT_EQ(weight_bytes(t), 2752u);
}

TEST(MoeGenerator, TinyMoeTensorsAndEventsWhenEveryExpertIsRouted) {
  // 4 experts, top 4: every token goes to every expert, so the trace is fixed.
  const Trace t = generate(
      "  family: moe\n  hidden_size: 8\n  num_heads: 2\n  num_layers: 1\n  vocab_size: 16\n"
      "  seq_length: 4\n  ffn_size: 16\n  ffn: swiglu\n  num_experts: 4\n  top_k: 4\n");
  // Router d x E x 2 B = 64; each expert gate/up/down d x F x 2 B = 256.
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.moe.router")].bytes, 64u);
  for (int e = 0; e < 4; ++e) {
    const std::string p = "layer1.moe.expert" + std::to_string(e) + ".";
    EXPECT_EQ(t.tensors[tensor_id(t, p + "w_gate")].bytes, 256u);
    EXPECT_EQ(t.tensors[tensor_id(t, p + "w_up")].bytes, 256u);
    EXPECT_EQ(t.tensors[tensor_id(t, p + "w_down")].bytes, 256u);
    // Each expert gets all 4 tokens: its slice is 4 rows x 16 B at row 4e.
    const auto gu = events_of(t, p + "gate_up");
    ASSERT_EQ(gu.size(), 4u);
    EXPECT_EQ(gu[0].bytes, 64u);
    EXPECT_EQ(gu[0].address, t.tensors[tensor_id(t, "layer1.moe.dispatched")].address + 64u * e);
    EXPECT_EQ(op_named(t, p + "gate_up").flops, 2u * 4 * 32 * 8);  // m 4, n 2F, k d
  }
  // Buffers sized T x top_k rows: dispatched 16 x 8 x 2 = 256, hidden 16 x 16 x 2 = 512.
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.moe.dispatched")].bytes, 256u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.moe.expert_hidden")].bytes, 512u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.moe.router_logits")].bytes, 4u * 4 * 2);
  // Events: embed 6 + the block without its FFN 28 (attn_norm 3, q 3, k 3,
  // v 3, attention 4, o 3, residual 3, ffn_norm 3, ffn residual 3) + router 3
  // + dispatch 3 + 4 experts x (gate_up 4 + down 3) + combine 3 + head 6.
  EXPECT_EQ(t.events.size(), 6u + 28 + 3 + 3 + 4 * 7 + 3 + 6);
}

TEST(MlpGenerator, TinyMlp) {
  // widths 4 -> 8 -> 2, batch 2, fp16, bias.
  const Trace t = generate("  family: mlp\n  widths: [4, 8, 2]\n  batch: 2\n");
  expect_tensors(t, {
                        {"input.x", 2 * 4 * 2, IN},                // 16
                        {"layer1.fc.weight", (4 * 8 + 8) * 2, W},  // 80
                        {"layer1.fc.out", 2 * 8 * 2, A},           // 32
                        {"layer2.fc.weight", (8 * 2 + 2) * 2, W},  // 36
                        {"layer2.fc.out", 2 * 2 * 2, OUT},         // 8
                    });
  EXPECT_EQ(t.events.size(), 6u);  // 2 layers x (read x, read W, write y)
  const OpInfo& fc1 = op_named(t, "layer1.fc");
  EXPECT_EQ(fc1.flops, 2u * 2 * 8 * 4);
  EXPECT_EQ(fc1.m, 2u);
  EXPECT_EQ(fc1.n, 8u);
  EXPECT_EQ(fc1.k, 4u);
}

TEST(CnnGenerator, TinyConvPoolFc) {
  // 1x4x4 image; conv 2 channels 3x3 pad 1 (bias) -> 2x4x4; max pool 2 -> 2x2x2; fc 3.
  const Trace t = generate(
      "  family: cnn\n  image: [1, 4, 4]\n  layers:\n"
      "    - {type: conv, out_channels: 2, kernel: 3}\n"
      "    - {type: pool, kind: max, kernel: 2}\n"
      "    - {type: fc, out_features: 3}\n");
  expect_tensors(t, {
                        {"input.image", 1 * 4 * 4 * 2, IN},              // 32
                        {"layer1.conv.weight", (2 * 1 * 9 + 2) * 2, W},  // 40
                        {"layer1.conv.out", 2 * 4 * 4 * 2, A},           // 64
                        {"layer2.pool.out", 2 * 2 * 2 * 2, A},           // 16
                        {"layer3.fc.weight", (8 * 3 + 3) * 2, W},        // 54
                        {"layer3.fc.out", 3 * 2, OUT},                   // 6
                    });
  EXPECT_EQ(t.events.size(), 8u);  // conv 3 + pool 2 + fc 3
  // conv: 2 * (B*Ho*Wo = 16) * (Cout = 2) * (Cin*k*k = 9) = 576.
  EXPECT_EQ(op_named(t, "layer1.conv").flops, 576u);
  EXPECT_EQ(op_named(t, "layer2.pool").flops, 8u * 4);  // 8 outputs x 4-element window
}

TEST(CnnGenerator, BottleneckWithProjection) {
  // 4x4x4 input, bottleneck mid 2 (out 8), stride 2.
  const Trace t = generate(
      "  family: cnn\n  image: [4, 4, 4]\n  layers:\n"
      "    - {type: bottleneck, mid_channels: 2, stride: 2}\n");
  // conv1 1x1 4->2 + BN: (8 + 4) x 2 B = 24; conv2 3x3 2->2 + BN: (36 + 4) x 2 = 80;
  // conv3 1x1 2->8 + BN: (16 + 16) x 2 = 64; downsample 1x1 4->8 + BN: (32 + 16) x 2 = 96.
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.block1.conv1.weight")].bytes, 24u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.block1.conv2.weight")].bytes, 80u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.block1.conv3.weight")].bytes, 64u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.block1.downsample.weight")].bytes, 96u);
  // conv2 halves 4x4 to 2x2: outputs 2x2x2x2 = 16 B; conv3 and the add 8x2x2x2 = 64 B.
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.block1.conv2.out")].bytes, 16u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.block1.add.out")].bytes, 64u);
  EXPECT_EQ(t.tensors[tensor_id(t, "layer1.block1.add.out")].role, TensorRole::kOutput);
  EXPECT_EQ(t.events.size(), 4u * 3 + 3);  // four convs and the add
  const auto add = events_of(t, "layer1.block1.add");
  ASSERT_EQ(add.size(), 3u);
  EXPECT_EQ(add[1].tensor_id, tensor_id(t, "layer1.block1.downsample.out"));
}

TEST(Generator, SameConfigAndSeedGiveIdenticalTraces) {
  const std::string yaml =
      "  preset: mixtral-8x7b\n  num_layers: 2\n  seq_length: 16\n  decode_tokens: 2\n"
      "  reuse_probability: 0.3\n";
  const Trace a = generate(yaml, 5), b = generate(yaml, 5);
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    ASSERT_EQ(a.events[i].address, b.events[i].address);
    ASSERT_EQ(a.events[i].bytes, b.events[i].bytes);
    ASSERT_EQ(a.events[i].tensor_id, b.events[i].tensor_id);
    ASSERT_EQ(a.events[i].op_and_kind, b.events[i].op_and_kind);
  }
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (std::size_t i = 0; i < a.ops.size(); ++i) ASSERT_EQ(a.ops[i].name, b.ops[i].name);
}

TEST(Generator, EveryEventLiesInsideItsTensor) {
  for (const char* preset : {"gpt2-small", "mixtral-8x7b", "resnet50", "lenet5", "bert-base"}) {
    SCOPED_TRACE(preset);
    const Trace t = generate(std::string("  preset: ") + preset + "\n");
    for (const TraceEvent& e : t.events) {
      const TensorInfo& x = t.tensors[e.tensor_id];
      ASSERT_GE(e.address, x.address);
      ASSERT_GT(e.bytes, 0u);
      ASSERT_LE(e.address + e.bytes, x.address + x.bytes);
      ASSERT_LT(e.op_id(), t.ops.size());
    }
    // Distinct tensors never overlap and are 256-byte aligned.
    for (std::size_t i = 1; i < t.tensors.size(); ++i) {
      ASSERT_EQ(t.tensors[i].address % 256, 0u);
      ASSERT_GE(t.tensors[i].address, t.tensors[i - 1].address + t.tensors[i - 1].bytes);
    }
  }
}

}  // namespace
}  // namespace tessera::workload

// Presets, Hugging Face config.json files and the legacy prototype knobs.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "models/config/experiment_config.h"
#include "tests/unit/workload/generator_test_util.h"

namespace tessera::workload {
namespace {
using namespace tessera::workload::testing;

struct PresetCount {
  const char* preset;
  std::uint64_t params;  // what the generated weight tensors hold (fp16: bytes / 2)
  double public_params;  // the published figure
  double tolerance;      // relative, covering the documented conventions
};

// Arithmetic for each count is in models/config/workload_presets.cpp and
// docs/config/workload.md; the public figures are from the papers / model cards.
constexpr PresetCount kCounts[] = {
    // 38,597,376 wte + 786,432 wpe + 12 x 7,087,872 + 1,536 = 124,439,808 ("124M").
    {"gpt2-small", 124'439'808, 124.44e6, 0.001},
    // Without token-type embeddings and pooler (591 K): 108,890,112 vs "110M".
    {"bert-base", 108'890'112, 110e6, 0.015},
    // 2 x 131,072,000 + 32 x 202,383,360 + 4,096 = 6,738,415,616 ("6.74B").
    {"llama2-7b", 6'738'415'616, 6.74e9, 0.001},
    // 2 x 131,072,000 + 32 x 1,451,270,144 + 4,096 = 46,702,792,704 ("46.7B").
    {"mixtral-8x7b", 46'702'792'704, 46.7e9, 0.001},
    // torchvision resnet50: 25,557,032 ("25.6M").
    {"resnet50", 25'557'032, 25.6e6, 0.005},
    // 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706 ("about 60,000").
    {"lenet5", 61'706, 60e3, 0.05},
};

TEST(Presets, WeightBytesMatchPublicParameterCounts) {
  for (const PresetCount& c : kCounts) {
    SCOPED_TRACE(c.preset);
    const Trace t = generate(std::string("  preset: ") + c.preset + "\n");
    EXPECT_EQ(t.model, c.preset);
    EXPECT_EQ(weight_bytes(t), 2 * c.params);  // fp16
    EXPECT_NEAR(static_cast<double>(c.params), c.public_params, c.public_params * c.tolerance);
  }
}

TEST(Presets, KeysWrittenOverrideThePreset) {
  const config::WorkloadConfig w = parse("  preset: llama2-7b\n  num_layers: 2\n  dtype: fp32\n");
  EXPECT_EQ(w.family, "transformer");
  EXPECT_EQ(w.transformer.num_layers, 2u);
  EXPECT_EQ(w.transformer.hidden_size, 4096u);
  EXPECT_EQ(w.dtype_bytes, 4u);
  // 2 x 131,072,000 + 2 x 202,383,360 + 4,096 parameters x 4 bytes.
  EXPECT_EQ(weight_bytes(generate_trace(w)), 4u * (2 * 131'072'000ull + 2 * 202'383'360ull + 4096));
}

std::string source(const std::string& relative) {
  return std::string(TESSERA_SOURCE_DIR) + "/" + relative;
}

// An experiment text placed (by name) in configs/, so hf_config resolves
// relative to that directory.
config::WorkloadConfig parse_in_configs(const std::string& body) {
  auto tree = config::parse_tree("workload:\n" + body, source("configs/inline.yaml"));
  return config::parse_workload(config::Node(*tree).at("workload"), 1);
}

TEST(HfConfig, ShippedConfigJsonFilesMatchThePresets) {
  const std::pair<const char*, const char*> pairs[] = {{"gpt2-small", "gpt2-small.json"},
                                                       {"bert-base", "bert-base.json"},
                                                       {"llama2-7b", "llama2-7b.json"},
                                                       {"mixtral-8x7b", "mixtral-8x7b.json"}};
  for (const auto& [preset, json] : pairs) {
    SCOPED_TRACE(json);
    const config::WorkloadConfig from_json =
        parse_in_configs(std::string("  hf_config: models/") + json + "\n  seq_length: 128\n");
    const config::WorkloadConfig from_preset = parse(std::string("  preset: ") + preset + "\n");
    EXPECT_EQ(from_json.family, from_preset.family);
    const auto &a = from_json.transformer, &b = from_preset.transformer;
    EXPECT_EQ(a.decoder, b.decoder);
    EXPECT_EQ(a.hidden_size, b.hidden_size);
    EXPECT_EQ(a.num_heads, b.num_heads);
    EXPECT_EQ(a.num_kv_heads, b.num_kv_heads);
    EXPECT_EQ(a.ffn_size, b.ffn_size);
    EXPECT_EQ(a.num_layers, b.num_layers);
    EXPECT_EQ(a.vocab_size, b.vocab_size);
    EXPECT_EQ(a.max_positions, b.max_positions);
    EXPECT_EQ(a.num_experts, b.num_experts);
    EXPECT_EQ(a.top_k, b.top_k);
    EXPECT_EQ(weight_bytes(generate_trace(from_json)), weight_bytes(generate_trace(from_preset)));
  }
}

TEST(HfConfig, KeysWrittenOverrideTheFile) {
  const config::WorkloadConfig w = parse_in_configs(
      "  hf_config: models/mixtral-8x7b.json\n  seq_length: 8\n  top_k: 1\n  num_layers: 1\n");
  EXPECT_EQ(w.family, "moe");  // implied by num_local_experts
  EXPECT_EQ(w.model, "mixtral-8x7b");
  EXPECT_EQ(w.transformer.top_k, 1u);
  EXPECT_EQ(w.transformer.num_layers, 1u);
  EXPECT_EQ(w.transformer.num_kv_heads, 8u);
}

TEST(HfConfig, ResolvedRelativeToTheExperimentFile) {
  // configs/examples/transformer_llama2_decode.yaml names ../models/llama2-7b.json.
  const config::ExperimentConfig e =
      config::load_experiment(source("configs/examples/transformer_llama2_decode.yaml"));
  EXPECT_EQ(e.workload.transformer.hidden_size, 4096u);
  EXPECT_TRUE(e.workload.transformer.gated_ffn);
  EXPECT_TRUE(e.workload.transformer.decode);
}

TEST(ShippedExperiments, AllParseAndGenerate) {
  for (const char* file :
       {"configs/quickstart.yaml", "configs/examples/transformer_llama2_decode.yaml",
        "configs/examples/moe_mixtral_zipf.yaml", "configs/examples/cnn_resnet50.yaml",
        "configs/examples/mlp.yaml", "configs/examples/legacy_transformer.yaml",
        "configs/examples/cnn_custom.yaml"}) {
    SCOPED_TRACE(file);
    const config::ExperimentConfig e = config::load_experiment(source(file));
    const Trace t = generate_trace(e.workload);
    // Every op touches at least its input and its output.
    EXPECT_FALSE(t.ops.empty());
    EXPECT_GE(t.events.size(), 2 * t.ops.size());
  }
  // The quickstart is a decoder with a decode phase, so its caches see reuse.
  const config::ExperimentConfig q = config::load_experiment(source("configs/quickstart.yaml"));
  EXPECT_TRUE(q.workload.transformer.decoder);
  EXPECT_TRUE(q.workload.transformer.decode);
}

TEST(Legacy, PrototypeKnobsBecomeAPreset) {
  const config::WorkloadConfig w =
      parse("  legacy: {model_type: Transformer, num_layers: 2, batch_size: 3, seq_length: 8}\n");
  EXPECT_EQ(w.family, "transformer");
  EXPECT_EQ(w.model, "legacy-transformer");
  EXPECT_EQ(w.transformer.num_layers, 2u);
  EXPECT_EQ(w.transformer.hidden_size, 768u);
  EXPECT_EQ(w.transformer.seq_length, 8u);
  EXPECT_EQ(w.batch, 3u);
  const config::WorkloadConfig m = parse("  legacy: {model_type: MoE, num_layers: 1}\n");
  EXPECT_EQ(m.family, "moe");
  EXPECT_EQ(m.transformer.num_experts, 8u);
  EXPECT_EQ(m.transformer.top_k, 2u);
  const config::WorkloadConfig c = parse("  legacy: {model_type: CNN, num_layers: 3}\n");
  EXPECT_EQ(c.cnn.layers.size(), 5u);  // 3 convs, global pool, fc
  // Keys written beside legacy override it.
  const config::WorkloadConfig o =
      parse("  legacy: {model_type: MLP, num_layers: 2}\n  widths: [4, 4]\n");
  EXPECT_EQ(o.mlp.widths, (std::vector<std::uint64_t>{4, 4}));
}

TEST(Legacy, ReuseProbabilityOneReReadsAnEarlierLayersActivationAfterEveryOp) {
  // MLP of 3 layers (width 1024). Layer 1 has no earlier activation (the input
  // is not an activation): no extra read. Layer 2's only candidate is
  // layer1.fc.out; layer 3 picks one of layer1/layer2 outputs. 9 + 2 events.
  const Trace t = generate("  legacy: {model_type: MLP, num_layers: 3, reuse_probability: 1.0}\n");
  ASSERT_EQ(t.events.size(), 11u);
  const auto l2 = events_of(t, "layer2.fc");
  ASSERT_EQ(l2.size(), 4u);
  EXPECT_EQ(l2[3].tensor_id, tensor_id(t, "layer1.fc.out"));
  EXPECT_FALSE(l2[3].is_write());
  EXPECT_EQ(l2[3].bytes, 1024u * 2);
  const auto l3 = events_of(t, "layer3.fc");
  ASSERT_EQ(l3.size(), 4u);
  EXPECT_TRUE(l3[3].tensor_id == tensor_id(t, "layer1.fc.out") ||
              l3[3].tensor_id == tensor_id(t, "layer2.fc.out"));
}

TEST(Legacy, ReuseDrawsFollowTheSeedAndLeaveTheRestAlone) {
  const std::string yaml =
      "  legacy: {model_type: Transformer, num_layers: 4, seq_length: 4}\n  reuse_probability: "
      "0.5\n";
  const Trace base =
      generate("  legacy: {model_type: Transformer, num_layers: 4, seq_length: 4}\n");
  const Trace a = generate(yaml, 1), b = generate(yaml, 2);
  const std::uint64_t extra_a = a.events.size() - base.events.size();
  const std::uint64_t extra_b = b.events.size() - base.events.size();
  // 46 ops have a candidate (4 blocks x 11 ops + the 2 head ops; the embedding
  // has none): about 23 extra reads each (binomial sd 3.4).
  EXPECT_GT(extra_a, 10u);
  EXPECT_LT(extra_a, 36u);
  EXPECT_GT(extra_b, 10u);
  EXPECT_LT(extra_b, 36u);
  bool differ = extra_a != extra_b;
  for (std::size_t i = 0; !differ && i < a.events.size(); ++i) {
    differ = a.events[i].tensor_id != b.events[i].tensor_id;
  }
  EXPECT_TRUE(differ);
  // Every base event survives, in order.
  std::size_t j = 0;
  for (const TraceEvent& e : a.events) {
    if (j < base.events.size() && e.tensor_id == base.events[j].tensor_id &&
        e.address == base.events[j].address && e.op_and_kind == base.events[j].op_and_kind) {
      ++j;
    }
  }
  EXPECT_EQ(j, base.events.size());
}

}  // namespace
}  // namespace tessera::workload

// One test per error class of the workload parser, each asserting the exact
// one-line message (file:line:col, key path, expected, found).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/workload/generator_test_util.h"

namespace tessera::workload {
namespace {
using namespace tessera::workload::testing;

// Line 1 is "workload:"; the body starts on line 2.
std::string parse_error(const std::string& body) {
  return error_of([&] { parse(body); });
}

const std::string kTiny =
    "  family: transformer\n"  // line 2
    "  hidden_size: 8\n"       // line 3
    "  vocab_size: 16\n"       // line 4
    "  seq_length: 4\n"        // line 5
    "  num_layers: 1\n";       // line 6

TEST(WorkloadErrors, HeadsNotDividingHidden) {
  EXPECT_EQ(
      parse_error(kTiny + "  num_heads: 3\n"),
      "e.yaml:7:14: workload.num_heads: expected a head count dividing hidden_size 8, found 3");
}

TEST(WorkloadErrors, KvHeadsNotDividingHeads) {
  EXPECT_EQ(parse_error(kTiny + "  num_heads: 4\n  num_kv_heads: 3\n"),
            "e.yaml:8:17: workload.num_kv_heads: expected a KV head count dividing num_heads 4, "
            "found 3");
}

TEST(WorkloadErrors, PresetValueIsBlamedOnThePresetKey) {
  // Mixtral's 8 KV heads do not divide 12 heads; the 8 came from the preset.
  EXPECT_EQ(parse_error(
                "  preset: mixtral-8x7b\n  num_heads: 16\n  hidden_size: 48\n  num_kv_heads: 6\n"),
            "e.yaml:5:17: workload.num_kv_heads: expected a KV head count dividing num_heads 16, "
            "found 6");
  EXPECT_EQ(
      parse_error("  preset: mixtral-8x7b\n  num_heads: 12\n  hidden_size: 48\n"),
      "e.yaml:2:11: workload.preset: expected a KV head count dividing num_heads 12, found 8");
}

TEST(WorkloadErrors, TopKAboveExperts) {
  EXPECT_EQ(parse_error("  family: moe\n  hidden_size: 8\n  num_heads: 2\n  vocab_size: 16\n"
                        "  seq_length: 4\n  num_layers: 1\n  num_experts: 4\n  top_k: 5\n"),
            "e.yaml:9:10: workload.top_k: expected at most num_experts (4), found 5");
}

TEST(WorkloadErrors, ZeroSize) {
  EXPECT_EQ(parse_error("  family: transformer\n  num_layers: 0\n"),
            "e.yaml:3:15: workload.num_layers: expected an integer >= 1, found '0'");
}

TEST(WorkloadErrors, MissingShapeKey) {
  EXPECT_EQ(parse_error("  family: transformer\n  hidden_size: 8\n  num_heads: 2\n  num_layers: 1\n"
                        "  seq_length: 4\n"),
            "e.yaml:2:3: workload.vocab_size: expected a vocabulary size (required unless preset "
            "or hf_config gives it), found nothing");
}

TEST(WorkloadErrors, MissingFamily) {
  EXPECT_EQ(parse_error("  batch: 2\n"),
            "e.yaml:2:3: workload.family: expected a model family (transformer, cnn, mlp, moe) "
            "(required), found nothing");
}

TEST(WorkloadErrors, KeyOfAnotherFamily) {
  EXPECT_EQ(parse_error("  family: mlp\n  widths: [2, 2]\n  hidden_size: 8\n"),
            "e.yaml:4:3: workload.hidden_size: expected one of the known keys (family, preset, "
            "hf_config, legacy, name, seed, dtype, batch, reuse_probability, widths, bias), found "
            "unknown key 'hidden_size'");
}

TEST(WorkloadErrors, UnknownPreset) {
  EXPECT_EQ(parse_error("  preset: gpt5\n"),
            "e.yaml:2:11: workload.preset: expected one of gpt2-small, bert-base, llama2-7b, "
            "mixtral-8x7b, resnet50, lenet5, found 'gpt5'");
}

TEST(WorkloadErrors, FamilyContradictsPreset) {
  EXPECT_EQ(parse_error("  preset: resnet50\n  family: mlp\n"),
            "e.yaml:3:11: workload.family: expected the family of the preset (cnn), found 'mlp'");
}

TEST(WorkloadErrors, EncoderCannotDecode) {
  EXPECT_EQ(parse_error("  preset: bert-base\n  decode_tokens: 2\n"),
            "e.yaml:3:18: workload.decode_tokens: expected no decode phase for an encoder (kind: "
            "encoder), found 2");
}

TEST(WorkloadErrors, DecodePhaseWithoutTokens) {
  EXPECT_EQ(parse_error("  preset: gpt2-small\n  phases: [prefill, decode]\n"),
            "e.yaml:3:11: workload.phases: expected decode_tokens >= 1 for a decode phase, found "
            "decode_tokens 0");
}

TEST(WorkloadErrors, PositionsBeyondTheTable) {
  EXPECT_EQ(parse_error("  preset: gpt2-small\n  seq_length: 1000\n  decode_tokens: 100\n"),
            "e.yaml:3:15: workload.seq_length: expected seq_length + decode_tokens within "
            "max_positions 1024, found 1100");
}

TEST(WorkloadErrors, BadEnumValue) {
  EXPECT_EQ(parse_error("  preset: mixtral-8x7b\n  routing: pareto\n"),
            "e.yaml:3:12: workload.routing: expected one of uniform, zipf, found 'pareto'");
}

TEST(WorkloadErrors, CnnKernelLargerThanItsInput) {
  EXPECT_EQ(parse_error("  family: cnn\n  image: [1, 4, 4]\n  layers:\n"
                        "    - {type: conv, out_channels: 2, kernel: 7, padding: 1}\n"),
            "e.yaml:5:7: workload.layers[0]: expected a kernel that fits the 4-wide input (padding "
            "1), found kernel 7");
}

TEST(WorkloadErrors, CnnLayerMissingKey) {
  EXPECT_EQ(
      parse_error("  family: cnn\n  image: [1, 4, 4]\n  layers:\n    - {type: conv, kernel: 3}\n"),
      "e.yaml:5:7: workload.layers[0].out_channels: expected an output channel count "
      "(required), found nothing");
}

TEST(WorkloadErrors, MlpNeedsTwoWidths) {
  EXPECT_EQ(parse_error("  family: mlp\n  widths: [4]\n"),
            "e.yaml:3:11: workload.widths: expected at least two widths (input, then each layer's "
            "output), found a list");
}

TEST(WorkloadErrors, PresetAndLegacyTogether) {
  EXPECT_EQ(parse_error("  preset: lenet5\n  legacy: {model_type: CNN}\n"),
            "e.yaml:3:11: workload.legacy: expected either preset or legacy, not both, found both");
}

TEST(WorkloadErrors, LegacyModelType) {
  EXPECT_EQ(parse_error("  legacy: {model_type: RNN}\n"),
            "e.yaml:2:24: workload.legacy.model_type: expected one of Transformer, CNN, MLP, MoE, "
            "found 'RNN'");
}

TEST(WorkloadErrors, LegacyReuseProbabilityOutOfRange) {
  EXPECT_EQ(parse_error("  legacy: {model_type: MLP, reuse_probability: 1.5}\n"),
            "e.yaml:2:48: workload.legacy.reuse_probability: expected a number in [0, 1], found "
            "'1.5'");
}

TEST(WorkloadErrors, HfConfigMissingFile) {
  EXPECT_EQ(parse_error("  family: transformer\n  hf_config: nope.json\n"),
            "e.yaml:3:14: workload.hf_config: expected a config.json file, found 'nope.json' (no "
            "such file: nope.json)");
}

TEST(WorkloadErrors, HfConfigBadShapeNamesTheJsonFile) {
  const auto dir = std::filesystem::temp_directory_path() / "tessera_wl_hf_test";
  std::filesystem::create_directories(dir);
  const auto json = dir / "bad.json";
  {
    std::ofstream out(json);
    out << "{\n  \"hidden_size\": 10,\n  \"num_attention_heads\": 4,\n  \"num_hidden_layers\": 1,\n"
           "  \"vocab_size\": 8\n}\n";
  }
  const std::string experiment = (dir / "exp.yaml").string();
  auto tree = config::parse_tree(
      "workload:\n  family: transformer\n  hf_config: bad.json\n  seq_length: 2\n", experiment);
  const std::string message =
      error_of([&] { config::parse_workload(config::Node(*tree).at("workload"), 1); });
  EXPECT_EQ(message, json.string() +
                         ":3:26: num_attention_heads: expected a head count dividing "
                         "hidden_size 10, found 4");
  std::filesystem::remove_all(dir);
}

TEST(WorkloadErrors, HfConfigForACnn) {
  EXPECT_EQ(
      parse_error("  family: cnn\n  hf_config: x.json\n"),
      "e.yaml:3:14: workload.hf_config: expected no hf_config for family cnn (transformer and "
      "moe only), found 'x.json'");
}

}  // namespace
}  // namespace tessera::workload

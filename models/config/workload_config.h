// Typed description of a workload (the experiment's `workload:` section),
// fully resolved: presets, a Hugging Face config.json and the legacy
// prototype knobs have all been folded into plain shape numbers, and every
// shape has been checked (heads divide the hidden size, top-k <= experts...).
// Keys: docs/config/workload.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::config {

class Node;

// Transformer and MoE shapes (MoE is a transformer whose FFN is E experts).
struct TransformerShape {
  bool decoder = true;  // false: encoder (bidirectional, no KV cache, no decode)
  std::uint64_t hidden_size = 0;
  std::uint64_t num_heads = 0;
  std::uint64_t num_kv_heads = 0;  // grouped-query attention when < num_heads
  std::uint64_t ffn_size = 0;      // intermediate size of the FFN (of each expert for MoE)
  std::uint64_t num_layers = 0;
  std::uint64_t vocab_size = 0;
  std::uint64_t seq_length = 0;     // prompt length (tokens per sequence in prefill)
  std::uint64_t decode_tokens = 0;  // tokens generated in the decode phase
  std::uint64_t max_positions = 0;  // rows of a learned position table; 0 = rotary (no table)
  bool prefill = true;              // phases to emit
  bool decode = false;
  bool rms_norm = false;         // RMSNorm (1 vector) instead of LayerNorm (scale + shift)
  bool gated_ffn = false;        // SwiGLU: gate and up matrices; else one up matrix + GELU
  bool bias = false;             // linear layers carry a bias vector
  bool tied_embeddings = false;  // the LM head reuses the token embedding table
  bool lm_head = true;           // project to vocabulary logits at the end
  // MoE only.
  std::uint64_t num_experts = 0;
  std::uint64_t top_k = 0;
  bool zipf_routing = false;  // false: uniform expert choice
  double zipf_s = 1.0;        // Zipf exponent: P(expert e) ~ 1 / (e + 1)^s
};

struct CnnLayer {
  enum class Type { kConv, kPool, kFc, kBottleneck };
  Type type = Type::kConv;
  // conv: out_channels, kernel, stride, padding; fc: out_channels = out_features.
  std::uint64_t out_channels = 0;
  std::uint64_t kernel = 1;
  std::uint64_t stride = 1;
  std::uint64_t padding = 0;
  bool batch_norm = false;   // conv: scale + shift per output channel, folded into the weights
  bool bias = false;         // conv / fc: a bias per output channel
  bool max_pool = true;      // pool: max (else average)
  bool global_pool = false;  // pool: over the whole feature map
  // bottleneck (ResNet v1.5): 1x1 mid, 3x3 mid (stride here), 1x1 out, with a
  // 1x1 projection shortcut when the stride or the channel count changes.
  std::uint64_t mid_channels = 0;
  std::uint64_t blocks = 1;  // bottleneck: repeated blocks; the stride applies to the first
};

struct CnnShape {
  std::uint64_t channels = 0, height = 0, width = 0;  // input image
  std::vector<CnnLayer> layers;
};

struct MlpShape {
  std::vector<std::uint64_t> widths;  // input width, then each layer's output width
  bool bias = true;
};

struct WorkloadConfig {
  std::string family = "transformer";  // transformer | cnn | mlp | moe
  std::string model;                   // preset name, config.json stem, or the `name` key
  std::uint64_t seed = 1;              // from the experiment's seed unless overridden
  std::string dtype = "fp16";
  std::uint8_t dtype_bytes = 2;
  std::uint64_t batch = 1;
  // Probability that an op also re-reads an activation written by an op of an
  // earlier layer (the original prototype's knob); 0 = off.
  double reuse_probability = 0.0;
  TransformerShape transformer;  // family transformer or moe
  CnnShape cnn;                  // family cnn
  MlpShape mlp;                  // family mlp
};

WorkloadConfig parse_workload(const Node& node, std::uint64_t experiment_seed);

// Built-in presets, by name: gpt2-small, bert-base, llama2-7b, mixtral-8x7b,
// resnet50, lenet5. Family and dtype fp16, batch 1; throws nothing.
std::vector<std::string> workload_preset_names();
// Returns false for an unknown name.
bool workload_preset(const std::string& name, WorkloadConfig& out);

}  // namespace tessera::config

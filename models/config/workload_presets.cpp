// Built-in model presets, so `preset: llama2-7b` works from any directory.
// Shapes are the published ones; the parameter counts in the comments are what
// the generated weight tensors add up to (tests/unit/workload checks them).
#include <utility>

#include "models/config/workload_config.h"

namespace tessera::config {
namespace {

WorkloadConfig transformer_base(const char* name, const char* family) {
  WorkloadConfig w;
  w.family = family;
  w.model = name;
  w.dtype = "fp16";
  w.dtype_bytes = 2;
  w.batch = 1;
  w.transformer.seq_length = 128;
  return w;
}

// GPT-2 small: Radford et al. 2019, "Language Models are Unsupervised Multitask
// Learners" (117M there; 124M by the released checkpoint), Hugging Face `gpt2`
// config.json: n_embd 768, n_head 12, n_layer 12, n_positions 1024, vocab 50257.
// Weights: wte 38,597,376 + wpe 786,432 + 12 x 7,087,872 + final LN 1,536
// = 124,439,808 (LM head tied to wte).
WorkloadConfig gpt2_small() {
  WorkloadConfig w = transformer_base("gpt2-small", "transformer");
  auto& t = w.transformer;
  t.hidden_size = 768;
  t.num_heads = 12;
  t.ffn_size = 3072;
  t.num_layers = 12;
  t.vocab_size = 50257;
  t.max_positions = 1024;
  t.bias = true;
  t.tied_embeddings = true;
  return w;
}

// BERT-base: Devlin et al. 2019, "BERT: Pre-training of Deep Bidirectional
// Transformers" (110M parameters): hidden 768, 12 heads, 12 layers, FFN 3072,
// vocab 30522, 512 positions. Counted: word 23,440,896 + position 393,216 +
// 12 x 7,087,872 + one LayerNorm 1,536 = 108,890,112. Not modelled: token-type
// embeddings (1,536) and the pooler (590,592); with them 109,482,240.
WorkloadConfig bert_base() {
  WorkloadConfig w = transformer_base("bert-base", "transformer");
  auto& t = w.transformer;
  t.decoder = false;
  t.hidden_size = 768;
  t.num_heads = 12;
  t.ffn_size = 3072;
  t.num_layers = 12;
  t.vocab_size = 30522;
  t.max_positions = 512;
  t.bias = true;
  t.lm_head = false;
  return w;
}

// Llama-2-7B: Touvron et al. 2023, "Llama 2: Open Foundation and Fine-Tuned
// Chat Models" (7B; model card 6.74B): hidden 4096, 32 heads, 32 layers,
// FFN 11008 (SwiGLU), vocab 32000, RMSNorm, rotary positions, untied head.
// Weights: 2 x 131,072,000 + 32 x 202,383,360 + 4,096 = 6,738,415,616.
WorkloadConfig llama2_7b() {
  WorkloadConfig w = transformer_base("llama2-7b", "transformer");
  auto& t = w.transformer;
  t.hidden_size = 4096;
  t.num_heads = 32;
  t.ffn_size = 11008;
  t.num_layers = 32;
  t.vocab_size = 32000;
  t.rms_norm = true;
  t.gated_ffn = true;
  return w;
}

// Mixtral-8x7B: Jiang et al. 2024, "Mixtral of Experts" (46.7B total, 12.9B
// active): hidden 4096, 32 heads, 8 KV heads, 32 layers, 8 SwiGLU experts of
// 14336, top-2, vocab 32000. Weights: 2 x 131,072,000 + 32 x 1,451,270,144
// (attention 41,943,040 + experts 1,409,286,144 + router 32,768 + norms 8,192)
// + 4,096 = 46,702,792,704.
WorkloadConfig mixtral_8x7b() {
  WorkloadConfig w = transformer_base("mixtral-8x7b", "moe");
  auto& t = w.transformer;
  t.hidden_size = 4096;
  t.num_heads = 32;
  t.num_kv_heads = 8;
  t.ffn_size = 14336;
  t.num_layers = 32;
  t.vocab_size = 32000;
  t.rms_norm = true;
  t.gated_ffn = true;
  t.num_experts = 8;
  t.top_k = 2;
  return w;
}

CnnLayer conv(std::uint64_t out, std::uint64_t kernel, std::uint64_t stride, std::uint64_t pad,
              bool batch_norm, bool bias) {
  CnnLayer l;
  l.type = CnnLayer::Type::kConv;
  l.out_channels = out;
  l.kernel = kernel;
  l.stride = stride;
  l.padding = pad;
  l.batch_norm = batch_norm;
  l.bias = bias;
  return l;
}

CnnLayer pool(bool max_pool, std::uint64_t kernel, std::uint64_t stride, std::uint64_t pad,
              bool global) {
  CnnLayer l;
  l.type = CnnLayer::Type::kPool;
  l.max_pool = max_pool;
  l.kernel = kernel;
  l.stride = stride;
  l.padding = pad;
  l.global_pool = global;
  return l;
}

CnnLayer fc(std::uint64_t out) {
  CnnLayer l;
  l.type = CnnLayer::Type::kFc;
  l.out_channels = out;
  l.bias = true;
  return l;
}

CnnLayer bottleneck(std::uint64_t mid, std::uint64_t blocks, std::uint64_t stride) {
  CnnLayer l;
  l.type = CnnLayer::Type::kBottleneck;
  l.mid_channels = mid;
  l.out_channels = 4 * mid;
  l.blocks = blocks;
  l.stride = stride;
  l.batch_norm = true;
  return l;
}

// ResNet-50: He et al. 2016, "Deep Residual Learning for Image Recognition",
// Table 1 (v1.5: stride on the 3x3 conv, as torchvision). 25,557,032
// parameters (torchvision resnet50: conv weights + BN scale/shift + fc).
WorkloadConfig resnet50() {
  WorkloadConfig w;
  w.family = "cnn";
  w.model = "resnet50";
  w.cnn.channels = 3;
  w.cnn.height = 224;
  w.cnn.width = 224;
  w.cnn.layers = {conv(64, 7, 2, 3, true, false), pool(true, 3, 2, 1, false),
                  bottleneck(64, 3, 1),           bottleneck(128, 4, 2),
                  bottleneck(256, 6, 2),          bottleneck(512, 3, 2),
                  pool(false, 1, 1, 0, true),     fc(1000)};
  return w;
}

// LeNet-5: LeCun et al. 1998, "Gradient-Based Learning Applied to Document
// Recognition" (about 60,000 parameters), with full C3 connectivity and
// average pooling: 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706.
WorkloadConfig lenet5() {
  WorkloadConfig w;
  w.family = "cnn";
  w.model = "lenet5";
  w.cnn.channels = 1;
  w.cnn.height = 32;
  w.cnn.width = 32;
  w.cnn.layers = {conv(6, 5, 1, 0, false, true),
                  pool(false, 2, 2, 0, false),
                  conv(16, 5, 1, 0, false, true),
                  pool(false, 2, 2, 0, false),
                  conv(120, 5, 1, 0, false, true),
                  fc(84),
                  fc(10)};
  return w;
}

struct Preset {
  const char* name;
  WorkloadConfig (*make)();
};

constexpr Preset kPresets[] = {
    {"gpt2-small", gpt2_small},     {"bert-base", bert_base}, {"llama2-7b", llama2_7b},
    {"mixtral-8x7b", mixtral_8x7b}, {"resnet50", resnet50},   {"lenet5", lenet5},
};

}  // namespace

std::vector<std::string> workload_preset_names() {
  std::vector<std::string> names;
  for (const Preset& p : kPresets) names.emplace_back(p.name);
  return names;
}

bool workload_preset(const std::string& name, WorkloadConfig& out) {
  for (const Preset& p : kPresets) {
    if (name == p.name) {
      out = p.make();
      return true;
    }
  }
  return false;
}

}  // namespace tessera::config

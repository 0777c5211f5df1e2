// Parses `workload:` in layers, each overriding the one before:
//   built-in defaults < preset or legacy knobs < hf_config (config.json) < keys written here.
// Every shape value remembers where it came from (file:line:col and key), so a
// check that fails after the layers are merged (heads not dividing the hidden
// size, ...) names the place that set the offending value.
#include "models/config/workload_config.h"

#include <filesystem>
#include <map>
#include <utility>

#include "models/config/node.h"
#include "models/config/tree.h"
#include "models/core/error.h"

namespace tessera::config {
namespace {

struct Origin {
  Mark mark;
  std::string path;
};

[[noreturn]] void fail_at(const Origin& origin, const std::string& expected,
                          const std::string& found) {
  std::string message = origin.mark.str() + ": ";
  if (!origin.path.empty()) message += origin.path + ": ";
  throw InputError(message + "expected " + expected + ", found " + found);
}

// Where each resolved field was last set; unset fields point at `fallback`.
class Origins {
 public:
  explicit Origins(Origin fallback) : fallback_(std::move(fallback)) {}
  void set(const std::string& field, const Node& node) {
    by_field_[field] = {node.mark(), node.path()};
  }
  void set(const std::string& field, Origin origin) { by_field_[field] = std::move(origin); }
  void set_all(const std::vector<std::string>& fields, const Origin& origin) {
    for (const auto& f : fields) by_field_[f] = origin;
  }
  Origin of(const std::string& field) const {
    auto it = by_field_.find(field);
    if (it != by_field_.end()) return it->second;
    Origin o = fallback_;
    o.path = (o.path.empty() ? "" : o.path + ".") + field;
    return o;
  }

 private:
  Origin fallback_;
  std::map<std::string, Origin> by_field_;
};

const std::vector<std::string> kShapeFields = {
    "hidden_size", "num_heads",  "num_kv_heads",  "ffn_size",      "num_layers",
    "vocab_size",  "seq_length", "max_positions", "decode_tokens", "num_experts",
    "top_k",       "image",      "layers",        "widths"};

const std::vector<std::string> kCommonKeys = {"family", "preset", "hf_config",
                                              "legacy", "name",   "seed",
                                              "dtype",  "batch",  "reuse_probability"};
const std::vector<std::string> kTransformerKeys = {
    "kind",       "hidden_size", "num_heads",       "num_kv_heads", "ffn_size",      "num_layers",
    "vocab_size", "seq_length",  "decode_tokens",   "phases",       "max_positions", "norm",
    "ffn",        "bias",        "tied_embeddings", "lm_head"};
const std::vector<std::string> kMoeKeys = {"num_experts", "top_k", "routing", "zipf_s"};
const std::vector<std::string> kCnnKeys = {"image", "layers"};
const std::vector<std::string> kMlpKeys = {"widths", "bias"};

std::vector<std::string> keys_of(const std::string& family) {
  std::vector<std::string> keys = kCommonKeys;
  auto add = [&](const std::vector<std::string>& more) {
    keys.insert(keys.end(), more.begin(), more.end());
  };
  if (family == "transformer" || family == "moe") add(kTransformerKeys);
  if (family == "moe") add(kMoeKeys);
  if (family == "cnn") add(kCnnKeys);
  if (family == "mlp") add(kMlpKeys);
  return keys;
}

void read_u64(const Node& node, const std::string& key, const std::string& field,
              std::uint64_t& target, Origins& origins, std::uint64_t min = 1) {
  const Node child = node.at(key);
  if (!child.present()) return;
  target = child.as_u64(min);
  origins.set(field, child);
}

// ---- legacy prototype knobs ------------------------------------------------

// The original prototype's model_type picks a base shape; num_layers,
// batch_size and seq_length size it (docs/config/workload.md, "legacy").
WorkloadConfig legacy_base(const Node& legacy, Origins& origins) {
  legacy.allow_keys({"model_type", "num_layers", "batch_size", "seq_length", "reuse_probability"});
  const std::string type =
      legacy.required("model_type", "a model type").as_enum({"Transformer", "CNN", "MLP", "MoE"});
  const std::uint64_t layers = legacy.u64_or("num_layers", 4, 1);
  WorkloadConfig w;
  w.batch = legacy.u64_or("batch_size", 1, 1);
  const std::uint64_t seq = legacy.u64_or("seq_length", 128, 1);
  w.reuse_probability = legacy.double_or("reuse_probability", 0.0, 0.0, 1.0);
  const Origin here{legacy.mark(), legacy.path()};
  origins.set_all(kShapeFields, here);
  if (type == "Transformer" || type == "MoE") {
    // GPT-2-small widths (768 hidden, 12 heads, FFN 3072, vocab 50257), prefill only.
    w.family = type == "MoE" ? "moe" : "transformer";
    w.model = type == "MoE" ? "legacy-moe" : "legacy-transformer";
    auto& t = w.transformer;
    t.hidden_size = 768;
    t.num_heads = 12;
    t.ffn_size = 3072;
    t.num_layers = layers;
    t.vocab_size = 50257;
    t.seq_length = seq;
    if (type == "MoE") {
      t.num_experts = 8;
      t.top_k = 2;
    }
  } else if (type == "CNN") {
    // num_layers 3x3 convolutions of 64 channels (batch norm, stride 1) on a
    // 3x224x224 image, then global average pooling and a 1000-way classifier.
    w.family = "cnn";
    w.model = "legacy-cnn";
    w.cnn.channels = 3;
    w.cnn.height = 224;
    w.cnn.width = 224;
    for (std::uint64_t i = 0; i < layers; ++i) {
      CnnLayer c;
      c.out_channels = 64;
      c.kernel = 3;
      c.padding = 1;
      c.batch_norm = true;
      w.cnn.layers.push_back(c);
    }
    CnnLayer gap;
    gap.type = CnnLayer::Type::kPool;
    gap.max_pool = false;
    gap.global_pool = true;
    CnnLayer fc;
    fc.type = CnnLayer::Type::kFc;
    fc.out_channels = 1000;
    fc.bias = true;
    w.cnn.layers.push_back(gap);
    w.cnn.layers.push_back(fc);
  } else {
    // num_layers fully connected layers of width 1024 (seq_length unused).
    w.family = "mlp";
    w.model = "legacy-mlp";
    w.mlp.widths.assign(layers + 1, 1024);
  }
  return w;
}

// ---- Hugging Face config.json ----------------------------------------------

// Reads the shape keys of a config.json (others are ignored: real files carry
// dozens). Both Llama-style and GPT-2-style names are understood.
void apply_hf_config(const Node& ref, TransformerShape& t, Origins& origins, std::string& model) {
  std::filesystem::path path = ref.as_string();
  if (path.is_relative() && ref.mark().line > 0) {
    path = std::filesystem::path(ref.file()).parent_path() / path;
  }
  if (!std::filesystem::exists(path)) {
    ref.fail("a config.json file",
             "'" + ref.as_string() + "' (no such file: " + path.string() + ")");
  }
  const ValuePtr root = load_tree(path);
  const Node doc(*root);
  if (!doc.is_map()) doc.fail("a JSON object of model hyper-parameters");
  model = path.stem().string();
  const std::string type = doc.has("model_type") ? doc.at("model_type").as_string() : "";
  if (type == "bert" || type == "roberta") {
    t.decoder = false;
    t.lm_head = false;
    t.bias = true;
  } else if (type == "gpt2") {
    t.bias = true;
    t.tied_embeddings = true;
  } else if (type == "llama" || type == "mistral" || type == "mixtral" || type == "qwen2") {
    t.rms_norm = true;
    t.gated_ffn = true;
  } else if (doc.has("rms_norm_eps")) {
    t.rms_norm = true;
  }
  if (doc.has("hidden_act")) {
    const std::string act = doc.at("hidden_act").as_string();
    t.gated_ffn = act == "silu" || act == "swiglu";
  }
  if (doc.has("tie_word_embeddings")) t.tied_embeddings = doc.at("tie_word_embeddings").as_bool();
  for (const char* key : {"hidden_size", "n_embd"})
    read_u64(doc, key, "hidden_size", t.hidden_size, origins);
  for (const char* key : {"num_attention_heads", "n_head"})
    read_u64(doc, key, "num_heads", t.num_heads, origins);
  read_u64(doc, "num_key_value_heads", "num_kv_heads", t.num_kv_heads, origins);
  for (const char* key : {"intermediate_size", "n_inner"})
    read_u64(doc, key, "ffn_size", t.ffn_size, origins);
  for (const char* key : {"num_hidden_layers", "n_layer"})
    read_u64(doc, key, "num_layers", t.num_layers, origins);
  read_u64(doc, "vocab_size", "vocab_size", t.vocab_size, origins);
  read_u64(doc, "num_local_experts", "num_experts", t.num_experts, origins);
  read_u64(doc, "num_experts_per_tok", "top_k", t.top_k, origins);
  // Only learned position tables are weights; rotary models have none.
  if (type == "gpt2" || type == "bert" || type == "roberta") {
    for (const char* key : {"max_position_embeddings", "n_positions"}) {
      read_u64(doc, key, "max_positions", t.max_positions, origins);
    }
  }
}

// ---- family sections ---------------------------------------------------------

void parse_transformer_keys(const Node& node, bool moe, WorkloadConfig& w, Origins& origins) {
  auto& t = w.transformer;
  if (node.has("kind")) t.decoder = node.at("kind").as_enum({"encoder", "decoder"}) == "decoder";
  if (node.has("kind") && !t.decoder) t.lm_head = false;
  read_u64(node, "hidden_size", "hidden_size", t.hidden_size, origins);
  read_u64(node, "num_heads", "num_heads", t.num_heads, origins);
  read_u64(node, "num_kv_heads", "num_kv_heads", t.num_kv_heads, origins);
  read_u64(node, "ffn_size", "ffn_size", t.ffn_size, origins);
  read_u64(node, "num_layers", "num_layers", t.num_layers, origins);
  read_u64(node, "vocab_size", "vocab_size", t.vocab_size, origins);
  read_u64(node, "seq_length", "seq_length", t.seq_length, origins);
  read_u64(node, "decode_tokens", "decode_tokens", t.decode_tokens, origins, 0);
  read_u64(node, "max_positions", "max_positions", t.max_positions, origins, 0);
  if (node.has("norm")) t.rms_norm = node.at("norm").as_enum({"layernorm", "rmsnorm"}) == "rmsnorm";
  if (node.has("ffn")) t.gated_ffn = node.at("ffn").as_enum({"gelu", "swiglu"}) == "swiglu";
  t.bias = node.bool_or("bias", t.bias);
  t.tied_embeddings = node.bool_or("tied_embeddings", t.tied_embeddings);
  t.lm_head = node.bool_or("lm_head", t.lm_head);
  if (moe) {
    read_u64(node, "num_experts", "num_experts", t.num_experts, origins);
    read_u64(node, "top_k", "top_k", t.top_k, origins);
    if (node.has("routing"))
      t.zipf_routing = node.at("routing").as_enum({"uniform", "zipf"}) == "zipf";
    t.zipf_s = node.double_or("zipf_s", t.zipf_s, 0.0, 16.0);
  }
  // Phases: by default prefill, plus decode when tokens are generated.
  t.prefill = true;
  t.decode = t.decode_tokens > 0;
  if (node.has("phases")) {
    const Node phases = node.at("phases");
    t.prefill = t.decode = false;
    for (const Node& item : phases.items(true)) {
      (item.as_enum({"prefill", "decode"}) == "prefill" ? t.prefill : t.decode) = true;
    }
    if (!t.prefill && !t.decode) phases.fail("a list of phases (prefill, decode)");
    origins.set("phases", phases);
  }
}

void check_transformer(const WorkloadConfig& w, bool moe, const Origins& origins) {
  const auto& t = w.transformer;
  auto need = [&](std::uint64_t value, const char* field, const char* what) {
    if (value == 0) {
      fail_at(origins.of(field),
              std::string(what) + " (required unless preset or hf_config gives it)", "nothing");
    }
  };
  need(t.hidden_size, "hidden_size", "a hidden size");
  need(t.num_heads, "num_heads", "a number of attention heads");
  need(t.num_layers, "num_layers", "a number of layers");
  need(t.vocab_size, "vocab_size", "a vocabulary size");
  need(t.seq_length, "seq_length", "a sequence length in tokens");
  if (t.hidden_size % t.num_heads != 0) {
    fail_at(origins.of("num_heads"),
            "a head count dividing hidden_size " + std::to_string(t.hidden_size),
            std::to_string(t.num_heads));
  }
  if (t.num_heads % t.num_kv_heads != 0) {
    fail_at(origins.of("num_kv_heads"),
            "a KV head count dividing num_heads " + std::to_string(t.num_heads),
            std::to_string(t.num_kv_heads));
  }
  if (moe) {
    need(t.num_experts, "num_experts", "a number of experts");
    need(t.top_k, "top_k", "a number of experts per token");
    if (t.top_k > t.num_experts) {
      fail_at(origins.of("top_k"), "at most num_experts (" + std::to_string(t.num_experts) + ")",
              std::to_string(t.top_k));
    }
  }
  if (!t.decoder && (t.decode || t.decode_tokens > 0)) {
    const bool by_phases = t.decode && t.decode_tokens == 0;
    fail_at(origins.of(by_phases ? "phases" : "decode_tokens"),
            "no decode phase for an encoder (kind: encoder)",
            by_phases ? "decode" : std::to_string(t.decode_tokens));
  }
  if (t.decode && t.decode_tokens == 0) {
    fail_at(origins.of("phases"), "decode_tokens >= 1 for a decode phase", "decode_tokens 0");
  }
  const std::uint64_t positions = t.seq_length + t.decode_tokens;
  if (t.max_positions > 0 && positions > t.max_positions) {
    fail_at(origins.of("seq_length"),
            "seq_length + decode_tokens within max_positions " + std::to_string(t.max_positions),
            std::to_string(positions));
  }
}

// Output side of a convolution or pooling window; fails when the window does
// not fit the (padded) input.
std::uint64_t window_out(std::uint64_t in, const CnnLayer& l, const Node& at) {
  if (in + 2 * l.padding < l.kernel) {
    at.fail("a kernel that fits the " + std::to_string(in) + "-wide input (padding " +
                std::to_string(l.padding) + ")",
            "kernel " + std::to_string(l.kernel));
  }
  return (in + 2 * l.padding - l.kernel) / l.stride + 1;
}

CnnLayer parse_cnn_layer(const Node& item) {
  CnnLayer l;
  const std::string type =
      item.required("type", "a layer type").as_enum({"conv", "pool", "fc", "bottleneck"});
  if (type == "conv") {
    item.allow_keys({"type", "out_channels", "kernel", "stride", "padding", "batch_norm", "bias"});
    l.type = CnnLayer::Type::kConv;
    l.out_channels = item.required("out_channels", "an output channel count").as_u64(1);
    l.kernel = item.required("kernel", "a kernel size").as_u64(1);
    l.stride = item.u64_or("stride", 1, 1);
    l.padding = item.u64_or("padding", l.kernel / 2);
    l.batch_norm = item.bool_or("batch_norm", false);
    l.bias = item.bool_or("bias", !l.batch_norm);
  } else if (type == "pool") {
    item.allow_keys({"type", "kind", "kernel", "stride", "padding", "global"});
    l.type = CnnLayer::Type::kPool;
    l.max_pool = item.enum_or("kind", "max", {"max", "avg"}) == "max";
    l.global_pool = item.bool_or("global", false);
    l.kernel = item.u64_or("kernel", 2, 1);
    l.stride = item.u64_or("stride", l.kernel, 1);
    l.padding = item.u64_or("padding", 0);
  } else if (type == "fc") {
    item.allow_keys({"type", "out_features", "bias"});
    l.type = CnnLayer::Type::kFc;
    l.out_channels = item.required("out_features", "an output width").as_u64(1);
    l.bias = item.bool_or("bias", true);
  } else {
    item.allow_keys({"type", "mid_channels", "out_channels", "blocks", "stride"});
    l.type = CnnLayer::Type::kBottleneck;
    l.mid_channels = item.required("mid_channels", "a bottleneck width").as_u64(1);
    l.out_channels = item.u64_or("out_channels", 4 * l.mid_channels, 1);
    l.blocks = item.u64_or("blocks", 1, 1);
    l.stride = item.u64_or("stride", 1, 1);
    l.batch_norm = true;
  }
  return l;
}

void parse_cnn(const Node& node, WorkloadConfig& w, Origins& origins) {
  if (node.has("image")) {
    const Node image = node.at("image");
    const auto dims = image.items();
    if (dims.size() != 3) image.fail("an image shape [channels, height, width]");
    w.cnn.channels = dims[0].as_u64(1);
    w.cnn.height = dims[1].as_u64(1);
    w.cnn.width = dims[2].as_u64(1);
    origins.set("image", image);
  }
  if (node.has("layers")) {
    const Node layers = node.at("layers");
    w.cnn.layers.clear();
    for (const Node& item : layers.items()) w.cnn.layers.push_back(parse_cnn_layer(item));
    if (w.cnn.layers.empty()) layers.fail("a non-empty list of layers");
    origins.set("layers", layers);
    // Walk the shapes once so a window that does not fit is reported at its layer.
    std::uint64_t h = w.cnn.height, wd = w.cnn.width;
    const auto items = layers.items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      CnnLayer l = w.cnn.layers[i];
      if (l.type == CnnLayer::Type::kFc) {
        h = wd = 1;
      } else if (l.type == CnnLayer::Type::kPool && l.global_pool) {
        h = wd = 1;
      } else if (l.type == CnnLayer::Type::kBottleneck) {
        l.kernel = 3;
        l.padding = 1;
        for (std::uint64_t b = 0; b < l.blocks; ++b) {
          h = window_out(h, l, items[i]);
          wd = window_out(wd, l, items[i]);
          l.stride = 1;
        }
      } else {
        h = window_out(h, l, items[i]);
        wd = window_out(wd, l, items[i]);
      }
    }
  }
  if (w.cnn.channels == 0)
    fail_at(origins.of("image"),
            "an image shape [channels, height, width] (required unless preset gives it)",
            "nothing");
  if (w.cnn.layers.empty())
    fail_at(origins.of("layers"), "a list of layers (required unless preset gives it)", "nothing");
}

void parse_mlp(const Node& node, WorkloadConfig& w, Origins& origins) {
  if (node.has("widths")) {
    const Node widths = node.at("widths");
    w.mlp.widths.clear();
    for (const Node& item : widths.items()) w.mlp.widths.push_back(item.as_u64(1));
    if (w.mlp.widths.size() < 2)
      widths.fail("at least two widths (input, then each layer's output)");
    origins.set("widths", widths);
  }
  w.mlp.bias = node.bool_or("bias", w.mlp.bias);
  if (w.mlp.widths.size() < 2) {
    fail_at(origins.of("widths"), "a list of layer widths (required unless legacy gives it)",
            "nothing");
  }
}

}  // namespace

WorkloadConfig parse_workload(const Node& node, std::uint64_t experiment_seed) {
  if (!node.is_map()) node.fail("a workload section (a map)");
  Origins origins(Origin{node.mark(), node.path()});

  // Layer 1: preset or legacy knobs.
  WorkloadConfig w;
  bool based = false;
  if (node.has("preset")) {
    const Node preset = node.at("preset");
    const std::string name = preset.as_enum(workload_preset_names());
    workload_preset(name, w);
    origins.set_all(kShapeFields, Origin{preset.mark(), preset.path()});
    based = true;
  }
  if (node.has("legacy")) {
    const Node legacy = node.at("legacy");
    if (based) legacy.fail("either preset or legacy, not both", "both");
    w = legacy_base(legacy, origins);
    based = true;
  }

  // The family: written, or implied by the preset / legacy model type / config.json.
  if (node.has("family")) {
    const Node fam = node.at("family");
    const std::string family = fam.as_enum({"transformer", "cnn", "mlp", "moe"});
    if (based && family != w.family) {
      fam.fail("the family of the " +
                   std::string(node.has("preset") ? "preset" : "legacy model type") + " (" +
                   w.family + ")",
               "'" + family + "'");
    }
    w.family = family;
  } else if (!based && !node.has("hf_config")) {
    node.required("family", "a model family (transformer, cnn, mlp, moe)");
  }

  // Layer 2: a Hugging Face config.json.
  if (node.has("hf_config")) {
    const Node ref = node.at("hf_config");
    if (w.family == "cnn" || w.family == "mlp") {
      ref.fail("no hf_config for family " + w.family + " (transformer and moe only)",
               "'" + ref.as_string() + "'");
    }
    apply_hf_config(ref, w.transformer, origins, w.model);
    if (!node.has("family") && !based)
      w.family = w.transformer.num_experts > 0 ? "moe" : "transformer";
  }

  // Layer 3: keys written here.
  node.allow_keys(keys_of(w.family));
  w.seed = node.u64_or("seed", experiment_seed);
  w.model = node.string_or("name", w.model.empty() ? "custom-" + w.family : w.model);
  w.dtype = node.enum_or("dtype", w.dtype, {"fp32", "fp16", "bf16", "fp8", "int8"});
  w.dtype_bytes = w.dtype == "fp32" ? 4 : (w.dtype == "fp8" || w.dtype == "int8") ? 1 : 2;
  w.batch = node.u64_or("batch", w.batch, 1);
  w.reuse_probability = node.double_or("reuse_probability", w.reuse_probability, 0.0, 1.0);

  if (w.family == "transformer" || w.family == "moe") {
    const bool moe = w.family == "moe";
    parse_transformer_keys(node, moe, w, origins);
    auto& t = w.transformer;
    if (t.num_kv_heads == 0) t.num_kv_heads = t.num_heads;
    if (t.ffn_size == 0) t.ffn_size = 4 * t.hidden_size;
    check_transformer(w, moe, origins);
    if (!moe) {
      t.num_experts = 0;
      t.top_k = 0;
    }
  } else if (w.family == "cnn") {
    parse_cnn(node, w, origins);
  } else {
    parse_mlp(node, w, origins);
  }
  return w;
}

}  // namespace tessera::config

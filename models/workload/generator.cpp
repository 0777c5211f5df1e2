#include "models/workload/generator.h"

#include <string>

#include "models/core/error.h"
#include "models/workload/generators/families.h"

namespace tessera::workload {
namespace {

// parse_workload has already checked shapes with file positions; this guards
// configs built in code (tests, benchmarks, Python bindings) against shapes
// that would divide by zero or index out of range.
void check_buildable(const config::WorkloadConfig& w) {
  auto bad = [](const std::string& key, const std::string& expected, std::uint64_t found) {
    throw InputError("workload." + key + ": expected " + expected + ", found " +
                     std::to_string(found));
  };
  if (w.family != "transformer" && w.family != "moe" && w.family != "cnn" && w.family != "mlp") {
    throw InputError("workload.family: expected one of transformer, cnn, mlp, moe, found '" +
                     w.family + "'");
  }
  if (w.batch == 0) bad("batch", "an integer >= 1", 0);
  if (w.dtype_bytes == 0) bad("dtype", "a dtype of at least 1 byte", 0);
  if (w.family == "mlp") {
    if (w.mlp.widths.size() < 2) bad("widths", "at least two widths", w.mlp.widths.size());
    for (auto width : w.mlp.widths) {
      if (width == 0) bad("widths", "widths >= 1", 0);
    }
    return;
  }
  if (w.family == "cnn") {
    if (w.cnn.channels == 0 || w.cnn.height == 0 || w.cnn.width == 0) bad("image", "sizes >= 1", 0);
    for (const auto& l : w.cnn.layers) {
      if (l.stride == 0) bad("layers.stride", "an integer >= 1", 0);
    }
    return;
  }
  const auto& t = w.transformer;
  for (auto [key, value] : {std::pair{"hidden_size", t.hidden_size},
                            {"num_layers", t.num_layers},
                            {"vocab_size", t.vocab_size},
                            {"seq_length", t.seq_length},
                            {"num_heads", t.num_heads},
                            {"num_kv_heads", t.num_kv_heads},
                            {"ffn_size", t.ffn_size}}) {
    if (value == 0) bad(key, "an integer >= 1", 0);
  }
  if (t.hidden_size % t.num_heads != 0) bad("num_heads", "a divisor of hidden_size", t.num_heads);
  if (t.num_heads % t.num_kv_heads != 0)
    bad("num_kv_heads", "a divisor of num_heads", t.num_kv_heads);
  if (w.family == "moe" && (t.top_k == 0 || t.top_k > t.num_experts)) {
    bad("top_k", "between 1 and num_experts", t.top_k);
  }
}

}  // namespace

Trace generate_trace(const config::WorkloadConfig& workload) {
  check_buildable(workload);
  Trace trace;
  trace.model = workload.model;
  trace.family = workload.family;
  trace.seed = workload.seed;
  if (workload.family == "cnn") {
    generate_cnn(workload, trace);
  } else if (workload.family == "mlp") {
    generate_mlp(workload, trace);
  } else {
    generate_transformer(workload, trace);
  }
  apply_activation_reuse(workload.reuse_probability, workload.seed, trace);
  return trace;
}

}  // namespace tessera::workload

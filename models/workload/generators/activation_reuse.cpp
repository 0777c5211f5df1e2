// The legacy prototype's reuse_probability, made precise (see families.h).
// A post-pass: the family generators stay free of it, and with probability 0
// the trace is untouched.
#include <vector>

#include "models/core/rng.h"
#include "models/workload/generators/families.h"

namespace tessera::workload {

void apply_activation_reuse(double probability, std::uint64_t seed, Trace& trace) {
  if (probability <= 0.0 || trace.events.empty()) return;
  Rng rng(Rng::derive(seed, 2));
  std::uint32_t max_layer = 0;
  for (const OpInfo& op : trace.ops) max_layer = op.layer > max_layer ? op.layer : max_layer;
  // Activations written so far, bucketed by the layer of the op that wrote them.
  std::vector<std::vector<std::uint32_t>> written(max_layer + 1);
  std::vector<std::uint8_t> seen(trace.tensors.size(), 0);

  std::vector<TraceEvent> out;
  out.reserve(trace.events.size() + trace.events.size() / 2);
  const std::size_t n = trace.events.size();
  for (std::size_t i = 0; i < n; ++i) {
    const TraceEvent& e = trace.events[i];
    out.push_back(e);
    const std::uint32_t op = e.op_id();
    if (e.is_write() && !seen[e.tensor_id] &&
        trace.tensors[e.tensor_id].role == TensorRole::kActivation) {
      seen[e.tensor_id] = 1;
      written[trace.ops[op].layer].push_back(e.tensor_id);
    }
    const bool op_ends = i + 1 == n || trace.events[i + 1].op_id() != op;
    if (!op_ends) continue;
    if (rng.uniform() >= probability) continue;
    const std::uint32_t layer = trace.ops[op].layer;
    std::uint64_t candidates = 0;
    for (std::uint32_t l = 0; l < layer; ++l) candidates += written[l].size();
    if (candidates == 0) continue;
    std::uint64_t pick = rng.below(candidates);
    for (std::uint32_t l = 0; l < layer; ++l) {
      if (pick < written[l].size()) {
        const TensorInfo& t = trace.tensors[written[l][pick]];
        TraceEvent r;
        r.address = t.address;
        r.bytes = t.bytes;
        r.tensor_id = written[l][pick];
        r.set(op, AccessKind::kRead);
        out.push_back(r);
        break;
      }
      pick -= written[l].size();
    }
  }
  trace.events = std::move(out);
}

}  // namespace tessera::workload

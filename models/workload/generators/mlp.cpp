// MLP traces: widths [w0, w1, ..., wn] give n fully connected layers; layer i
// reads its input (batch x w(i-1)), its weight matrix (with the bias vector
// stored after it) and writes batch x w(i). The activation is fused.
#include <string>

#include "models/workload/generators/families.h"
#include "models/workload/generators/trace_builder.h"

namespace tessera::workload {

void generate_mlp(const config::WorkloadConfig& workload, Trace& trace) {
  TraceBuilder b(trace, workload.dtype_bytes);
  const auto& widths = workload.mlp.widths;
  const std::uint64_t db = workload.dtype_bytes, batch = workload.batch;
  const std::size_t layers = widths.size() - 1;
  trace.tensors.reserve(1 + 2 * layers);
  trace.ops.reserve(layers);
  trace.events.reserve(3 * layers);
  std::uint32_t x = b.tensor("input.x", batch * widths[0] * db, TensorRole::kInput);
  for (std::size_t i = 1; i < widths.size(); ++i) {
    const std::uint64_t in = widths[i - 1], out = widths[i];
    const std::string p = "layer" + std::to_string(i) + ".fc";
    const std::uint32_t w = b.tensor(
        join(p, ".weight"), (in * out + (workload.mlp.bias ? out : 0)) * db, TensorRole::kWeight);
    const bool last = i + 1 == widths.size();
    const std::uint32_t y = b.tensor(join(p, ".out"), batch * out * db,
                                     last ? TensorRole::kOutput : TensorRole::kActivation);
    b.gemm_op(p, OpKind::kGemm, static_cast<std::uint32_t>(i), 1, batch, out, in);
    b.read(x);
    b.read(w);
    b.write(y);
    x = y;
  }
}

}  // namespace tessera::workload

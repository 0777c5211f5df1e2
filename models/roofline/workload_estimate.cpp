#include "models/roofline/workload_estimate.h"

#include <fmt/format.h>

#include "models/core/error.h"

namespace tessera::roofline {

Dtype dtype_for_bytes(unsigned bytes, const DeviceConfig& device) {
  std::vector<Dtype> choices;
  if (bytes >= 4)
    choices = {Dtype::kFp32, Dtype::kTf32};
  else if (bytes == 2)
    choices = {Dtype::kFp16, Dtype::kBf16};
  else
    choices = {Dtype::kInt8, Dtype::kFp8};
  for (Dtype d : choices) {
    if (device.supports(d)) return d;
  }
  throw InputError(fmt::format(
      "device '{}': expected support for a {}-byte dtype ({} or {}), "
      "found none (peak 0)",
      device.name, bytes, config::dtype_name(choices[0]), config::dtype_name(choices[1])));
}

std::vector<Bytes> bytes_per_op(const workload::Trace& trace) {
  std::vector<Bytes> out(trace.ops.size(), 0);
  for (const auto& e : trace.events) {
    const std::uint32_t op = e.op_id();
    if (op < out.size()) out[op] += e.bytes;
  }
  return out;
}

OpSpec op_spec_from_trace(const workload::Trace& trace, std::size_t op_id,
                          const std::vector<Bytes>& op_bytes, const DeviceConfig& device) {
  using workload::OpKind;
  const workload::OpInfo& info = trace.ops[op_id];
  const Dtype dtype = dtype_for_bytes(info.dtype_bytes, device);
  const bool gemm_like = info.m > 0 && info.n > 0 && info.k > 0 && info.n * info.k > 1;
  const Bytes touched = op_id < op_bytes.size() ? op_bytes[op_id] : 0;
  OpSpec spec;
  switch (info.kind) {
    case OpKind::kGemm:
    case OpKind::kBatchedGemm:
    case OpKind::kConv2d:
    case OpKind::kAttention:
    case OpKind::kRouter:
      if (gemm_like) {
        spec = OpSpec::batched_gemm(std::max<std::uint64_t>(1, info.batch), info.m, info.n, info.k,
                                    dtype);
        if (info.kind == OpKind::kGemm || info.kind == OpKind::kRouter) spec.type = OpType::kGemm;
        // The trace knows the true operand bytes (conv inputs are smaller than
        // their im2col matrix, attention reads a partial KV cache).
        spec.compulsory_bytes_override = touched;
        break;
      }
      [[fallthrough]];
    default: {
      // Streaming: the shape is only a count of elements; the trace's bytes rule.
      const std::uint64_t elements =
          std::max<std::uint64_t>(1, touched / std::max<std::uint8_t>(1, info.dtype_bytes));
      if (info.kind == OpKind::kSoftmax && info.m > 0 && info.n > 1) {
        spec = OpSpec::softmax(info.m, info.n, dtype);
      } else if (info.kind == OpKind::kLayerNorm && info.m > 0 && info.n > 1) {
        spec = OpSpec::layernorm(info.m, info.n, dtype);
      } else if (info.kind == OpKind::kReduction || info.kind == OpKind::kPool) {
        spec = OpSpec::reduction(1, elements, dtype);
      } else if (info.kind == OpKind::kEmbedding) {
        spec = OpSpec::embedding(std::max<std::uint64_t>(1, info.m), 1, 1, dtype);
      } else {
        spec = OpSpec::elementwise(elements, 1, dtype);
      }
      spec.compulsory_bytes_override = touched;
      break;
    }
  }
  spec.flops_override = info.flops;
  spec.name = info.name;
  return spec;
}

WorkloadEstimate estimate_workload(const workload::Trace& trace, const DeviceConfig& device) {
  WorkloadEstimate w;
  w.device = device.name;
  const auto op_bytes = bytes_per_op(trace);
  w.ops.reserve(trace.ops.size());
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    Estimate e = estimate(op_spec_from_trace(trace, i, op_bytes, device), device);
    w.flops += e.flops;
    w.dram_bytes += e.dram_bytes;
    w.time_s += e.time_s;
    w.energy_j += e.energy_j;
    if (e.compute_bound) ++w.compute_bound_ops;
    w.ops.push_back(std::move(e));
  }
  return w;
}

}  // namespace tessera::roofline

// A whole workload on one device: the roofline estimate of every operator of
// a trace, in execution order, and their sum.
#pragma once

#include <optional>
#include <vector>

#include "models/roofline/estimator.h"
#include "models/workload/trace.h"

namespace tessera::roofline {

struct WorkloadEstimate {
  std::string device;
  std::vector<Estimate> ops;  // one per trace operator, in order
  double flops = 0;
  double dram_bytes = 0;
  double time_s = 0;
  double energy_j = 0;
  std::size_t compute_bound_ops = 0;
};

// The dtype used for an operator whose elements are `bytes` wide: the first
// the device supports of fp32/tf32 (4), fp16/bf16 (2), int8/fp8 (1).
// Throws InputError when none is.
Dtype dtype_for_bytes(unsigned bytes, const DeviceConfig& device);

// The estimator's view of one trace operator. GEMM-like operators (m, n, k
// all set) use their shape; the others stream the bytes the trace shows them
// touching. The trace's FLOPs always win over the shape's.
OpSpec op_spec_from_trace(const workload::Trace& trace, std::size_t op_id,
                          const std::vector<Bytes>& op_bytes, const DeviceConfig& device);

// Bytes each operator of the trace touches (sum of its events' bytes).
std::vector<Bytes> bytes_per_op(const workload::Trace& trace);

WorkloadEstimate estimate_workload(const workload::Trace& trace, const DeviceConfig& device);

}  // namespace tessera::roofline

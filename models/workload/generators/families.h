// One generator per model family (one file each), plus the legacy reuse pass.
// Each appends tensors, ops and events to `trace` in execution order.
#pragma once

#include "models/config/workload_config.h"
#include "models/workload/trace.h"

namespace tessera::workload {

// transformer and moe (a transformer whose FFN is routed experts).
void generate_transformer(const config::WorkloadConfig& workload, Trace& trace);
void generate_cnn(const config::WorkloadConfig& workload, Trace& trace);
void generate_mlp(const config::WorkloadConfig& workload, Trace& trace);

// The original prototype's reuse_probability: after each op, with this
// probability (one draw per op), the op also reads, whole, one activation
// written earlier by an op of a lower layer index (chosen uniformly among
// them). Draws come from the workload seed; no candidate, no extra read.
void apply_activation_reuse(double probability, std::uint64_t seed, Trace& trace);

}  // namespace tessera::workload

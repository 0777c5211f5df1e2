// Turns a workload description into its tensor-access trace: walks the
// model's operators in execution order and emits, for every operator, an
// access to each input, weight and output tensor. Deterministic: the same
// config (and seed) gives the same trace, byte for byte.
#pragma once

#include "models/config/workload_config.h"
#include "models/workload/trace.h"

namespace tessera::workload {

// Throws InputError for shapes the family cannot build (e.g. heads not
// dividing the hidden size), naming the key.
Trace generate_trace(const config::WorkloadConfig& workload);

}  // namespace tessera::workload

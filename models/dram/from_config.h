// DramConfig (models/config) -> a validated DramSpec: the preset, then each
// override in the order written. Times written with a unit become cycles of
// the final tCK, rounded up.
#pragma once

#include "models/config/dram_config.h"
#include "models/dram/spec.h"

namespace tessera::dram {

// Throws InputError naming the file:line:col of the offending key.
DramSpec spec_from_config(const config::DramConfig& config);

}  // namespace tessera::dram

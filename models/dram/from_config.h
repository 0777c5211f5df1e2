// DramConfig (models/config) -> a validated DramSpec: the preset, then each
// override in the order written. Times written with a unit become cycles of
// the final tCK, rounded up.
#pragma once

#include "models/config/dram_config.h"
#include "models/config/platform_config.h"
#include "models/dram/spec.h"

namespace tessera::dram {

// Throws InputError naming the file:line:col of the offending key.
DramSpec spec_from_config(const config::DramConfig& config);

// A platform's memory: its dram: section's preset and overrides, replicated
// `channels` times, validated (errors name `where`, the platform's file).
// Every engine that runs or estimates a platform builds its DRAM here, so the
// timed run, the RTL co-simulation and the roofline see the same memory.
DramSpec spec_from_platform(const config::PlatformDramConfig& dram, const std::string& where);

}  // namespace tessera::dram

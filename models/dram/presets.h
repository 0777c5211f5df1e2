// Standard DRAM presets: DDR4-3200, DDR5-4800, LPDDR5-6400, GDDR6, HBM2E,
// HBM3. Every figure names its public source in presets.cpp and docs/dram.md.
#pragma once

#include <string>
#include <vector>

#include "models/dram/energy.h"
#include "models/dram/spec.h"

namespace tessera::dram {

// Names in a stable order.
std::vector<std::string> preset_names();
bool has_preset(const std::string& name);
// Throws InputError("<where>: expected one of ..., found '<name>'") for unknown names.
DramSpec preset(const std::string& name, const std::string& where = "dram.preset");

}  // namespace tessera::dram

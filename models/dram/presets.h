// Standard DRAM presets: DDR4-3200, DDR5-4800, LPDDR5-6400, GDDR6, HBM2E,
// HBM3. Every figure names its public source in presets.cpp and docs/dram.md.
#pragma once

#include <string>
#include <vector>

#include "models/dram/spec.h"

namespace tessera::dram {

// Names in a stable order.
std::vector<std::string> preset_names();
bool has_preset(const std::string& name);
// Throws InputError("<where>: expected one of ..., found '<name>'") for unknown names.
DramSpec preset(const std::string& name, const std::string& where = "dram.preset");

// Energy per command from IDD currents (DRAMPower / Micron TN-40-07 method):
//   ACT+PRE = (IDD0 tRC - IDD3N tRAS - IDD2N (tRC - tRAS)) VDD
//   RD      = (IDD4R - IDD3N) VDD tBURST,  WR likewise with IDD4W
//   REF     = (IDD5B - IDD3N) VDD tRFC,    background = IDD3N VDD
// per device, times the devices of a rank. Currents in mA, VDD in volts.
struct IddCurrents {
  double vdd = 1.2;
  double idd0 = 0, idd2n = 0, idd3n = 0, idd4r = 0, idd4w = 0, idd5b = 0;
};
EnergySpec energy_from_currents(const IddCurrents& c, const Organization& org, const Timing& t);

}  // namespace tessera::dram

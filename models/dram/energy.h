// Energy per DRAM command from IDD currents, and the currents of each standard
// preset (sources and assumptions in energy.cpp and docs/dram.md).
//
// Method (DRAMPower / Micron TN-40-07), per supply rail, currents in mA,
// times in ns (mA x ns = pC, pC x V = pJ), at the preset's own timings:
//   ACT+PRE = (IDD0 tRC - IDD3N tRAS - IDD2N (tRC - tRAS)) V
//   RD      = (IDD4R - IDD3N) V tBURST,   WR likewise with IDD4W
//   REF     = (IDD5B - IDD3N) V tRFC,     REFpb = REF / banks per rank
//   background = IDD3N V (active standby, the whole run)
// summed over the rails, times `devices` (devices of a rank that see the
// command) and `share` (the part of one device a controller drives, e.g. one
// pseudo-channel of an HBM channel whose currents are given per channel).
// Core energy only: IDD4R/IDD4W are measured with the outputs unloaded, so
// I/O and termination energy are not included (as in DRAMPower's core model).
#pragma once

#include <string>
#include <vector>

#include "models/dram/spec.h"

namespace tessera::dram {

// One supply rail of a device: its voltage and the JEDEC IDD currents drawn from it.
struct IddRail {
  double volts = 0;
  double idd0 = 0, idd2n = 0, idd3n = 0, idd4r = 0, idd4w = 0, idd5b = 0;
};

struct IddCurrents {
  std::vector<IddRail> rails;
  double share = 1.0;  // part of one device per controller
  // Where a datasheet's IDD3N exceeds its IDD0 (test conditions differ), the
  // ACT+PRE formula above turns negative; such currents charge the ACT/PRE
  // pair with the IDD0 excess over precharge standby instead:
  // (IDD0 - IDD2N) tRC V (an assumption, documented per preset).
  bool act_above_precharge_standby = false;
};

// Throws RuntimeError if a derived energy is negative (currents inconsistent
// with the formula).
EnergySpec energy_from_currents(const IddCurrents& c, const Organization& org, const Timing& t);

// The currents behind each preset's energy, by preset name (DDR4-3200,
// DDR5-4800, LPDDR5-6400, GDDR6, HBM2E, HBM3). Throws RuntimeError for others.
IddCurrents preset_currents(const std::string& preset_name);

}  // namespace tessera::dram

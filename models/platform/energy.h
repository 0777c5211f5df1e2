// Energy of a timed run from a per-action energy table (Timeloop /
// Accelergy's method: count actions, multiply by energy per action). Each
// figure names its source; all are 45 nm figures unless said otherwise.
//   MAC            M. Horowitz, "Computing's energy problem (and what we can
//                  do about it)", ISSCC 2014: 8-bit int add 0.03 + mult 0.2 pJ
//                  (0.23 pJ); 16-bit float add 0.4 + mult 1.1 pJ (1.5 pJ);
//                  32-bit float add 0.9 + mult 3.7 pJ (4.6 pJ).
//   scratchpad     Horowitz 2014: 32 KB SRAM, 64-bit read ~20 pJ -> 2.5 pJ/byte;
//                  every byte a tile fetches or produces passes its scratchpad once.
//   shared cache   Horowitz 2014: 1 MB SRAM, 64-bit read ~100 pJ -> 12.5 pJ/byte,
//                  per byte read or written in the cache (hits, fills, writes).
//   interconnect   on-chip wires ~0.1 pJ per bit per mm (S. W. Keckler et al.,
//                  "GPUs and the future of parallel computing", IEEE Micro 2011),
//                  over an assumed 2 mm average path: 1.6 pJ/byte.
//   DRAM           the DRAM model's own per-command and background energy
//                  (models/dram presets, from IDD currents / published pJ/bit).
#pragma once

#include <cstdint>

#include "models/core/units.h"

namespace tessera::platform {

struct EnergyTable {
  double mac_int8_pj = 0.23;
  double mac_fp16_pj = 1.5;
  double mac_fp32_pj = 4.6;
  double scratchpad_pj_per_byte = 2.5;
  double cache_pj_per_byte = 12.5;
  double interconnect_pj_per_byte = 1.6;

  double mac_pj(unsigned dtype_bytes) const {
    return dtype_bytes <= 1 ? mac_int8_pj : dtype_bytes == 2 ? mac_fp16_pj : mac_fp32_pj;
  }
};

struct EnergyBreakdown {
  double compute_pj = 0;
  double scratchpad_pj = 0;
  double cache_pj = 0;
  double interconnect_pj = 0;
  double dram_pj = 0;
  double total_pj() const {
    return compute_pj + scratchpad_pj + cache_pj + interconnect_pj + dram_pj;
  }
};

}  // namespace tessera::platform

// The two GEMM figures `tessera calibrate host` derives from timing the
// machine's BLAS, solved here so they can be tested on hand-worked timings:
// the efficiency of the inner kernel and the fixed cost per micro-tile.
// Both come from two calibration shapes (one large, one small) that
// validate-roofline never checks; the estimator then reproduces both exactly.
#pragma once

#include <cstdint>

#include "models/roofline/estimator.h"

namespace tessera::roofline {

struct GemmTiming {
  std::uint64_t m = 0, n = 0, k = 0;
  std::uint64_t units = 1;  // threads the library ran it on
  double measured_s = 0;    // best time per call
};

struct GemmCalibration {
  double efficiency = 1;
  double tile_overhead_s = 0;
  bool solved =
      false;  // false: the small shape gave no positive overhead; efficiency from the large one
};

// `device` carries everything but the two unknowns (efficiency 1, no tile
// overhead). With C the compute time at the full peak, P + L the packing (and
// the pass over C, gemm.beta_pass) and call cost and N the micro-tiles on U units, each shape gives
//   measured = P + L + C / efficiency + N x / U,
// two linear equations in 1 / efficiency and x. Both shapes must be
// compute-bound in the model (the calibration shapes are: 1280^3 and 40^3).
GemmCalibration solve_gemm_calibration(const DeviceConfig& device, const GemmTiming& large,
                                       const GemmTiming& small);

}  // namespace tessera::roofline

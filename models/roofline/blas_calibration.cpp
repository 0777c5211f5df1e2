#include "models/roofline/blas_calibration.h"

#include <algorithm>
#include <cmath>

namespace tessera::roofline {
namespace {

struct Terms {
  double compute_s = 0;       // C: at the full peak
  double tiles_per_unit = 0;  // N / U
  double rest_s = 0;          // measured - P - L
};

Terms terms(const DeviceConfig& d, const GemmTiming& t) {
  OpSpec op = OpSpec::gemm(t.m, t.n, t.k, config::Dtype::kFp32);
  op.units = std::min<std::uint64_t>(std::max<std::uint64_t>(1, t.units), d.compute_units);
  const Estimate e = estimate(op, d);
  Terms r;
  r.compute_s = e.compute_s;
  const config::TileShape tile{e.tile_m, e.tile_n == 0 ? 1 : e.tile_n};
  r.tiles_per_unit =
      gemm_micro_tiles(1, static_cast<double>(t.m), static_cast<double>(t.n),
                       static_cast<double>(t.k), static_cast<double>(tile.m),
                       static_cast<double>(tile.n), static_cast<double>(d.gemm.pack_block_k)) /
      static_cast<double>(e.units);
  r.rest_s = t.measured_s - e.pack_s - e.beta_s - e.launch_s;
  return r;
}

}  // namespace

GemmCalibration solve_gemm_calibration(const DeviceConfig& device, const GemmTiming& large,
                                       const GemmTiming& small) {
  DeviceConfig d = device;
  d.gemm.efficiency = 1.0;
  d.gemm.tile_overhead_ps = 0;
  const Terms a = terms(d, large), b = terms(d, small);
  GemmCalibration out;
  // y = 1 / efficiency, x = seconds per micro-tile.
  const double det = a.compute_s * b.tiles_per_unit - b.compute_s * a.tiles_per_unit;
  double y = 0, x = -1;
  if (std::fabs(det) > 1e-30) {
    y = (a.rest_s * b.tiles_per_unit - b.rest_s * a.tiles_per_unit) / det;
    x = (a.compute_s * b.rest_s - b.compute_s * a.rest_s) / det;
  }
  if (x > 0 && y >= 1) {
    out.solved = true;
  } else {
    // No positive per-tile cost fits both: the large shape alone sets the efficiency.
    x = 0;
    y = a.compute_s > 0 ? a.rest_s / a.compute_s : 1.0;
  }
  out.efficiency = std::clamp(y > 0 ? 1.0 / y : 1.0, 0.01, 1.0);
  out.tile_overhead_s = x;
  return out;
}

}  // namespace tessera::roofline

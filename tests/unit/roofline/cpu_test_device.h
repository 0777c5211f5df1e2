// The one-core CPU device the roofline's CPU-BLAS tests work their figures on.
#pragma once

#include "models/config/device_config.h"
#include "models/roofline/blas_calibration.h"
#include "models/roofline/estimator.h"

namespace tessera::roofline::test_devices {

// One core: 100 GFLOP/s fp32, 10 GB/s DRAM, a 1 MiB per-core cache at
// 200 GB/s, 16 x 8 tiles, 1 us per call; the plain roofline (no BLAS terms).
inline DeviceConfig cpu1_core() {
  DeviceConfig d;
  d.name = "cpu1";
  d.compute_units = 1;
  d.tiles = {{16, 8}};
  d.launch_overhead_ps = 1'000'000;
  d.peak_flops_per_s[static_cast<int>(Dtype::kFp32)] = 100e9;
  d.vector_flops_per_s = 100e9;
  d.memory_bandwidth_bytes_per_s = 10e9;
  d.caches.push_back({"l2", 1 << 20, true, 200e9, 0});
  return d;
}

// The same core as a packing BLAS sees it: GEMM efficiency 0.5, packs its
// operands.
inline DeviceConfig cpu1() {
  DeviceConfig d = cpu1_core();
  d.gemm.efficiency = 0.5;
  d.gemm.packs_operands = true;
  return d;
}

// A calibration round trip: `device` given efficiency 0.6, 40 ns per
// micro-tile and 64-deep packing blocks times the two calibration shapes
// (512^3 and 48^3); the solver then starts from the same device without the
// efficiency and tile cost and should recover both.
struct CalibrationRoundTrip {
  double large_s = 0;  // 512^3 on the true device
  double small_s = 0;  // 48^3
  GemmCalibration solved;
};
inline CalibrationRoundTrip calibration_round_trip(DeviceConfig device) {
  device.gemm.pack_block_k = 64;
  device.gemm.efficiency = 0.6;
  device.gemm.tile_overhead_ps = 40'000;
  CalibrationRoundTrip r;
  r.large_s = estimate(OpSpec::gemm(512, 512, 512, Dtype::kFp32), device).time_s;
  r.small_s = estimate(OpSpec::gemm(48, 48, 48, Dtype::kFp32), device).time_s;
  DeviceConfig start = device;
  start.gemm.efficiency = 1.0;
  start.gemm.tile_overhead_ps = 0;
  r.solved =
      solve_gemm_calibration(start, {512, 512, 512, 1, r.large_s}, {48, 48, 48, 1, r.small_s});
  return r;
}

}  // namespace tessera::roofline::test_devices

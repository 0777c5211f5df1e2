// The one-core CPU device the roofline's CPU-BLAS tests work their figures on.
#pragma once

#include "models/config/device_config.h"

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

}  // namespace tessera::roofline::test_devices

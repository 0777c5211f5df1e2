// The terms that make the roofline predict a real CPU BLAS (docs/roofline.md,
// "What a real BLAS pays"): the calibrated GEMM efficiency, the packing copy
// of GotoBLAS / BLIS, and kernels that run on fewer cores than the device has.
// Every figure is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/config/device_config.h"
#include "models/roofline/estimator.h"
#include "tests/unit/roofline/cpu_test_device.h"

namespace tessera::roofline {
namespace {

using test_devices::cpu1;

TEST(CpuBlasModel, SquareGemmPaysEfficiencyPackingAndCallOverhead) {
  const Estimate e = estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp32), cpu1());
  EXPECT_DOUBLE_EQ(e.flops, 524288);  // 2 * 64^3
  // At the peak: 524288 / 100e9 = 5.24288 us (the strict bound is unchanged).
  EXPECT_NEAR(e.ideal_compute_s * 1e6, 5.24288, 1e-9);
  // 4 x 8 = 32 whole 16 x 8 tiles, no quantization; at half the peak: 10.48576 us.
  EXPECT_DOUBLE_EQ(e.quantization_efficiency, 1.0);
  EXPECT_NEAR(e.compute_s * 1e6, 10.48576, 1e-9);
  // Packing: A and B (64 * 64 * 4 B = 16 KiB each) read and written once:
  // 2 * 4 * (4096 + 4096) = 65536 B, from the cache that holds both (32 KiB <= 1 MiB)
  // at 200 GB/s: 0.32768 us.
  EXPECT_DOUBLE_EQ(e.pack_bytes, 65536);
  EXPECT_NEAR(e.pack_s * 1e6, 0.32768, 1e-9);
  // Memory: the cache serves the tile traffic (A * 8 + B * 4 + C = 53248 elements,
  // 212992 B, 1.06496 us); DRAM the compulsory 49152 B (4.9152 us). Compute wins.
  ASSERT_EQ(e.levels.size(), 2u);
  EXPECT_DOUBLE_EQ(e.levels[0].bytes, 212992);
  EXPECT_DOUBLE_EQ(e.levels[1].bytes, 49152);
  EXPECT_TRUE(e.compute_bound);
  // 10.48576 + 0.32768 + 1 (call) = 11.81344 us.
  EXPECT_NEAR(e.time_s * 1e6, 11.81344, 1e-9);
  EXPECT_EQ(e.units, 1u);
}

TEST(CpuBlasModel, PackingDominatesASkinnyGemm) {
  // 4096 x 8 x 4096: A is 64 MiB (too big for the cache), B 128 KiB.
  const Estimate e = estimate(OpSpec::gemm(4096, 8, 4096, Dtype::kFp32), cpu1());
  EXPECT_DOUBLE_EQ(e.flops, 268435456);  // 2 * 4096 * 8 * 4096
  // 256 tiles of 16 x 8, no quantization: 268435456 / 50e9 = 5.36870912 ms.
  EXPECT_NEAR(e.compute_s * 1e3, 5.36870912, 1e-9);
  // Packing streams from DRAM: 2 * 4 * (16777216 + 32768) = 134479872 B / 10e9 = 13.4479872 ms.
  EXPECT_DOUBLE_EQ(e.pack_bytes, 134479872);
  EXPECT_NEAR(e.pack_s * 1e3, 13.4479872, 1e-9);
  // DRAM under 1 MiB tiling (side floor(sqrt(262144 / 3)) = 295): A once,
  // B 14 times, C once: 16777216 + 458752 + 32768 = 17268736 elements = 69074944 B,
  // 6.9074944 ms: the kernel phase is max(5.369, 6.907) ms.
  EXPECT_DOUBLE_EQ(e.dram_bytes, 69074944);
  // 6.9074944 + 13.4479872 + 0.001 = 20.3564816 ms, memory-bound on the copy from DRAM.
  EXPECT_NEAR(e.time_s * 1e3, 20.3564816, 1e-9);
  EXPECT_FALSE(e.compute_bound);
  EXPECT_EQ(e.bound_level, "dram");
  EXPECT_GT(e.pack_s, e.levels.back().time_s);
}

TEST(CpuBlasModel, DatasheetDevicesKeepThePlainRoofline) {
  const DeviceConfig a100 = config::load_device(std::filesystem::path(TESSERA_SOURCE_DIR) /
                                                "platforms/devices/a100-sxm-40gb.yaml");
  EXPECT_DOUBLE_EQ(a100.gemm.efficiency, 1.0);
  EXPECT_FALSE(a100.gemm.packs_operands);
  EXPECT_DOUBLE_EQ(a100.memory_bandwidth_per_unit_bytes_per_s, 0.0);
  const Estimate e = estimate(OpSpec::gemm(1024, 1024, 1024, Dtype::kFp32), a100);
  EXPECT_DOUBLE_EQ(e.pack_bytes, 0);
  EXPECT_DOUBLE_EQ(e.pack_s, 0);
  // 3 waves of 64 x 64 tiles (0.139380 ms) + 3 us launch, as before.
  EXPECT_NEAR(e.time_s * 1e3, 0.142380, 1e-6);
  EXPECT_EQ(e.units, 108u);
}

// Two cores: 100 GFLOP/s and 20 GB/s together; one core alone draws 12 GB/s.
DeviceConfig cpu2() {
  DeviceConfig d;
  d.name = "cpu2";
  d.compute_units = 2;
  d.tiles = {{2, 2}};
  d.peak_flops_per_s[static_cast<int>(Dtype::kFp32)] = 100e9;
  d.vector_flops_per_s = 100e9;
  d.memory_bandwidth_bytes_per_s = 20e9;
  d.memory_bandwidth_per_unit_bytes_per_s = 12e9;
  d.caches.push_back({"l1", 32 << 10, true, 400e9, 0});
  return d;
}

TEST(CpuBlasModel, RestrictToUnitsScalesPeaksAndCapsDramByTheUnitsBandwidth) {
  const DeviceConfig one = restrict_to_units(cpu2(), 1);
  EXPECT_EQ(one.compute_units, 1u);
  EXPECT_DOUBLE_EQ(one.peak(Dtype::kFp32), 50e9);
  EXPECT_DOUBLE_EQ(one.vector_flops_per_s, 50e9);
  EXPECT_DOUBLE_EQ(one.caches[0].bandwidth_bytes_per_s, 200e9);
  EXPECT_DOUBLE_EQ(one.memory_bandwidth_bytes_per_s, 12e9);  // min(20, 1 x 12)
  // All units (0, 2, or more than there are): the device itself.
  for (std::uint64_t units : {0u, 2u, 5u}) {
    const DeviceConfig all = restrict_to_units(cpu2(), units);
    EXPECT_EQ(all.compute_units, 2u);
    EXPECT_DOUBLE_EQ(all.memory_bandwidth_bytes_per_s, 20e9);
  }
  // Three of four units with 8 GB/s each: min(20, 24) = 20 GB/s.
  DeviceConfig four = cpu2();
  four.compute_units = 4;
  four.memory_bandwidth_per_unit_bytes_per_s = 8e9;
  EXPECT_DOUBLE_EQ(restrict_to_units(four, 3).memory_bandwidth_bytes_per_s, 20e9);
  EXPECT_DOUBLE_EQ(restrict_to_units(four, 2).memory_bandwidth_bytes_per_s, 16e9);
  // Without a per-unit figure one unit still gets the whole bandwidth.
  DeviceConfig unknown = cpu2();
  unknown.memory_bandwidth_per_unit_bytes_per_s = 0;
  EXPECT_DOUBLE_EQ(restrict_to_units(unknown, 1).memory_bandwidth_bytes_per_s, 20e9);
}

TEST(CpuBlasModel, SingleThreadedStreamingKernelGetsOneCoresBandwidth) {
  // 1 Mi-element fp32 elementwise with 2 inputs: 3 * 4 * 1048576 = 12582912 B.
  OpSpec op = OpSpec::elementwise(1 << 20, 2, Dtype::kFp32);
  const Estimate both = estimate(op, cpu2());
  EXPECT_NEAR(both.time_s * 1e6, 629.1456, 1e-6);  // / 20 GB/s
  EXPECT_EQ(both.units, 2u);
  op.units = 1;
  const Estimate one = estimate(op, cpu2());
  EXPECT_NEAR(one.time_s * 1e6, 1048.576, 1e-6);  // / 12 GB/s
  EXPECT_EQ(one.units, 1u);
  EXPECT_FALSE(one.compute_bound);
  // Its compute: 1048576 FLOP at one core's 50 GFLOP/s = 20.97152 us.
  EXPECT_NEAR(one.compute_s * 1e6, 20.97152, 1e-9);
}

TEST(CpuBlasModel, WaveQuantizationCountsOnlyTheUnitsUsed) {
  // 4 x 4 x 4 in 2 x 2 tiles: 4 tiles. On 2 units: 2 waves of 2 x 32 FLOP = 128
  // FLOP at 100 GFLOP/s = 1.28 ns; on 1 unit: 4 waves of 32 at 50 GFLOP/s = 2.56 ns.
  OpSpec op = OpSpec::gemm(4, 4, 4, Dtype::kFp32);
  const Estimate both = estimate(op, cpu2());
  EXPECT_EQ(both.waves, 2u);
  EXPECT_NEAR(both.compute_s * 1e9, 1.28, 1e-12);
  op.units = 1;
  const Estimate one = estimate(op, cpu2());
  EXPECT_EQ(one.waves, 4u);
  EXPECT_NEAR(one.compute_s * 1e9, 2.56, 1e-12);
  // The strict lower bound used against simulations is that of the whole device.
  EXPECT_EQ(lower_bound_ps(one, cpu2()), lower_bound_ps(both, cpu2()));
}

TEST(CpuBlasModel, EfficiencyScalesOnlyTheComputeTerm) {
  DeviceConfig d = cpu1();
  d.gemm.packs_operands = false;
  d.launch_overhead_ps = 0;
  const Estimate half = estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp32), d);
  d.gemm.efficiency = 1.0;
  const Estimate full = estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(half.compute_s, 2 * full.compute_s);
  EXPECT_DOUBLE_EQ(half.ideal_compute_s, full.ideal_compute_s);
  EXPECT_DOUBLE_EQ(half.dram_bytes, full.dram_bytes);
  // A streaming operator is not a GEMM: the efficiency does not touch it.
  const Estimate add = estimate(OpSpec::elementwise(1000, 2, Dtype::kFp32), d);
  d.gemm.efficiency = 0.5;
  EXPECT_DOUBLE_EQ(estimate(OpSpec::elementwise(1000, 2, Dtype::kFp32), d).time_s, add.time_s);
  EXPECT_DOUBLE_EQ(gemm_pack_bytes(3, 2, 5, 7, 2), 2.0 * 3 * 2 * (2 * 7 + 7 * 5));
}

TEST(CpuBlasModel, MatrixVectorProductsAreNotPacked) {
  // 4096 x 1 x 4096 is a GEMV: A (64 MiB) streams once from DRAM, nothing is packed.
  const Estimate e = estimate(OpSpec::gemm(4096, 1, 4096, Dtype::kFp32), cpu1());
  EXPECT_DOUBLE_EQ(e.pack_bytes, 0);
  // DRAM under 1 MiB tiling (side 295): A once, x 14 times, y once:
  // 4 * (16777216 + 4096 * 14 + 4096) = 67354624 B / 10e9 = 6.7354624 ms, + 1 us.
  EXPECT_DOUBLE_EQ(e.dram_bytes, 67354624);
  EXPECT_NEAR(e.time_s * 1e3, 6.7364624, 1e-9);
  EXPECT_EQ(e.bound_level, "dram");
  // Its compute is a streaming loop at the vector peak: 2 x 4096 x 4096 =
  // 33554432 FLOP / 100e9 = 0.33554432 ms, not padded to 16 x 8 tiles (which
  // would issue 8x that) nor slowed by the GEMM efficiency (0.5).
  EXPECT_DOUBLE_EQ(e.quantization_efficiency, 1.0);
  EXPECT_NEAR(e.compute_s * 1e3, 0.33554432, 1e-12);
}

TEST(CpuBlasModel, SharedCachesKeepTheirBandwidthOnFewerUnits) {
  DeviceConfig d = cpu2();
  d.caches.push_back({"l3", 32 << 20, false, 30e9, 0});
  const DeviceConfig one = restrict_to_units(d, 1);
  EXPECT_DOUBLE_EQ(one.caches[0].bandwidth_bytes_per_s, 200e9);  // per-core L1: halved
  EXPECT_DOUBLE_EQ(one.caches[1].bandwidth_bytes_per_s, 30e9);   // shared L3: kept
}

}  // namespace
}  // namespace tessera::roofline

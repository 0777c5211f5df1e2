// The terms added to make the estimate follow a real CPU BLAS on this machine
// (docs/roofline.md, "What a real BLAS pays"): write-allocate traffic, the
// per-run latency of packing short row pieces from DRAM, the per-micro-tile
// cost of tiny shapes, and the calibration that solves for the efficiency
// and the tile cost from two shapes. Every figure is worked out by hand.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/config/device_config.h"
#include "models/roofline/blas_calibration.h"
#include "models/roofline/estimator.h"
#include "tests/unit/roofline/cpu_test_device.h"

namespace tessera::roofline {
namespace {

using test_devices::cpu1;

constexpr std::uint64_t kMi = 1u << 20;

TEST(WriteAllocate, ACopyFillsItsOutputLinesFirst) {
  DeviceConfig d = cpu1();
  d.write_allocate = true;
  // y = x (one input, one output), 1 Mi fp32: reads 4 MiB, writes 4 MiB, and
  // the written lines are filled first: 4 MiB more = 12582912 B at 10 GB/s
  // = 1.2582912 ms, + 1 us per call.
  const Estimate e = estimate(OpSpec::elementwise(kMi, 1, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(e.compulsory_bytes, 8388608);
  EXPECT_DOUBLE_EQ(e.rfo_bytes, 4194304);
  EXPECT_DOUBLE_EQ(e.dram_bytes, 12582912);
  EXPECT_NEAR(e.time_s * 1e3, 1.2592912, 1e-12);
  // Without write-allocate (the datasheet devices): 8 MiB, 0.8388608 ms + 1 us.
  const Estimate plain = estimate(OpSpec::elementwise(kMi, 1, Dtype::kFp32), cpu1());
  EXPECT_DOUBLE_EQ(plain.dram_bytes, 8388608);
  EXPECT_DOUBLE_EQ(plain.rfo_bytes, 0);
  EXPECT_NEAR(plain.time_s * 1e3, 0.8398608, 1e-12);
}

TEST(WriteAllocate, AnInPlaceUpdateAddsNoFill) {
  DeviceConfig d = cpu1();
  d.write_allocate = true;
  // saxpy, y = a x + y in place: x and y read, y written to lines just read:
  // 3 x 4 MiB = 12582912 B, no read-for-ownership.
  OpSpec saxpy = OpSpec::elementwise(kMi, 2, Dtype::kFp32);
  saxpy.in_place = true;
  const Estimate e = estimate(saxpy, d);
  EXPECT_DOUBLE_EQ(e.rfo_bytes, 0);
  EXPECT_DOUBLE_EQ(e.dram_bytes, 12582912);
  // The same operator writing a third array: 16 MiB (the triad's 32 B per
  // 8-byte element: 4 x 8).
  const Estimate triad_like = estimate(OpSpec::elementwise(kMi, 2, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(triad_like.dram_bytes, 16777216);
}

TEST(WriteAllocate, ADotProductWritesNothing) {
  DeviceConfig d = cpu1();
  d.write_allocate = true;
  // sdot: two inputs, no output array (n = 0): 8 B per element.
  OpSpec dot = OpSpec::elementwise(kMi, 2, Dtype::kFp32);
  dot.n = 0;
  const Estimate e = estimate(dot, d);
  EXPECT_DOUBLE_EQ(e.dram_bytes, 8388608);
  EXPECT_DOUBLE_EQ(e.rfo_bytes, 0);
}

TEST(WriteAllocate, AGemmFillsCOnceMore) {
  DeviceConfig d = cpu1();
  d.write_allocate = true;
  // 64^3 (test_cpu_blas_model: 212992 B at the cache, 49152 B at DRAM): C's
  // 16384 B are filled before they are written, at every level.
  const Estimate e = estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(e.levels[0].bytes, 229376);
  EXPECT_DOUBLE_EQ(e.levels[1].bytes, 65536);
  // Still compute-bound: 10.48576 + 0.32768 (packing) + 1 (call) us.
  EXPECT_NEAR(e.time_s * 1e6, 11.81344, 1e-9);
}

TEST(PackRunLatency, RunsCountRowPiecesOfBothOperands) {
  // 8192 x 8 x 8192 with kc = mc = 320: A's 8192 rows in ceil(8192 / 320) =
  // 26 pieces, B's 8192 rows in ceil(8 / 320) = 1: 212992 + 8192.
  EXPECT_DOUBLE_EQ(gemm_pack_runs(1, 8192, 8, 8192, 320, 320), 221184);
  EXPECT_DOUBLE_EQ(gemm_pack_runs(2, 8192, 8, 8192, 320, 320), 442368);
  // An unknown block size contributes nothing.
  EXPECT_DOUBLE_EQ(gemm_pack_runs(1, 8192, 8, 8192, 0, 320), 8192);
  EXPECT_DOUBLE_EQ(gemm_pack_runs(1, 8192, 8, 8192, 0, 0), 0);
}

TEST(PackRunLatency, ASkinnyGemmPaysALatencyPerRunFromDram) {
  DeviceConfig d = cpu1();
  d.gemm.pack_block_k = 256;
  d.gemm.pack_block_m = 128;
  d.gemm.pack_run_latency_ps = 100'000;  // 100 ns
  // 4096 x 8 x 4096 (test_cpu_blas_model: packing 13.4479872 ms from DRAM,
  // kernel 6.9074944 ms). Runs: 4096 x ceil(4096 / 256) + 4096 x ceil(8 / 128)
  // = 65536 + 4096 = 69632, x 100 ns = 6.9632 ms.
  const Estimate e = estimate(OpSpec::gemm(4096, 8, 4096, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(e.pack_runs, 69632);
  EXPECT_NEAR(e.pack_run_s * 1e3, 6.9632, 1e-9);
  EXPECT_NEAR(e.pack_s * 1e3, 20.4111872, 1e-9);
  // 6.9074944 + 20.4111872 + 0.001 = 27.3196816 ms.
  EXPECT_NEAR(e.time_s * 1e3, 27.3196816, 1e-9);
  EXPECT_FALSE(e.compute_bound);
  // On two cores each packs half the runs (and DRAM bandwidth is shared).
  DeviceConfig d2 = d;
  d2.compute_units = 2;
  const Estimate e2 = estimate(OpSpec::gemm(4096, 8, 4096, Dtype::kFp32), d2);
  EXPECT_NEAR(e2.pack_run_s * 1e3, 3.4816, 1e-9);
}

TEST(PackRunLatency, OperandsInCacheStreamWithoutIt) {
  DeviceConfig d = cpu1();
  d.gemm.pack_block_k = 256;
  d.gemm.pack_block_m = 128;
  d.gemm.pack_run_latency_ps = 100'000;
  // 64^3: A and B (32 KiB) are packed from the 1 MiB cache: no run latency.
  const Estimate e = estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(e.pack_runs, 0);
  EXPECT_NEAR(e.time_s * 1e6, 11.81344, 1e-9);
}

TEST(TileOverhead, TinyShapesPayPerMicroTile) {
  DeviceConfig d = cpu1();
  d.gemm.pack_block_k = 32;
  d.gemm.tile_overhead_ps = 50'000;  // 50 ns
  // 64^3 with 16 x 8 tiles and kc = 32: 4 x 8 x 2 = 64 micro-tiles x 50 ns =
  // 3.2 us on top of 11.81344 us.
  EXPECT_DOUBLE_EQ(gemm_micro_tiles(1, 64, 64, 64, 16, 8, 32), 64);
  EXPECT_DOUBLE_EQ(gemm_micro_tiles(1, 64, 64, 64, 16, 8, 0), 32);
  const Estimate e = estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(e.micro_tiles, 64);
  EXPECT_NEAR(e.tile_overhead_s * 1e6, 3.2, 1e-9);
  EXPECT_NEAR(e.time_s * 1e6, 15.01344, 1e-9);
}

TEST(TileOverhead, DatasheetDevicesHaveNone) {
  const DeviceConfig a100 = config::load_device(std::filesystem::path(TESSERA_SOURCE_DIR) /
                                                "platforms/devices/a100-sxm-40gb.yaml");
  EXPECT_FALSE(a100.write_allocate);
  EXPECT_EQ(a100.gemm.tile_overhead_ps, 0u);
  EXPECT_EQ(a100.gemm.pack_run_latency_ps, 0u);
  const Estimate e = estimate(OpSpec::gemm(1024, 1024, 1024, Dtype::kFp32), a100);
  EXPECT_DOUBLE_EQ(e.rfo_bytes, 0);
  EXPECT_DOUBLE_EQ(e.tile_overhead_s, 0);
  EXPECT_DOUBLE_EQ(e.pack_run_s, 0);
}

TEST(GemmCalibration, RecoversEfficiencyAndTileOverheadFromTwoShapes) {
  // Timings made by a device with efficiency 0.6 and 40 ns per micro-tile;
  // the solver starts from the same device without either.
  const test_devices::CalibrationRoundTrip r = test_devices::calibration_round_trip(cpu1());
  // By hand for 48^3: 3 x 6 = 18 tiles of 16 x 8, compute 18 x 2 x 16 x 8 x 48
  // = 221184 FLOP / 60e9 = 3.6864 us (above DRAM's 27648 B / 10 GB/s = 2.7648
  // us: compute-bound, as the solver assumes); 18 micro-tiles x 40 ns = 0.72
  // us; packing 2 x 4 x 4608 = 36864 B from the cache = 0.18432 us; 1 us per
  // call: 5.59072 us.
  EXPECT_NEAR(r.small_s * 1e6, 5.59072, 1e-9);
  const GemmCalibration& c = r.solved;
  EXPECT_TRUE(c.solved);
  EXPECT_NEAR(c.efficiency, 0.6, 1e-9);
  EXPECT_NEAR(c.tile_overhead_s, 40e-9, 1e-15);
}

TEST(GemmCalibration, NoNegativeTileCost) {
  // The small shape ran faster than the large one's efficiency predicts:
  // no positive tile cost fits, the large shape alone sets the efficiency.
  DeviceConfig d = cpu1();
  d.gemm.efficiency = 1.0;
  // 512^3 at the peak: 2.68435456 ms; packing from DRAM: 2 x 4 x 2 x 262144 B
  // = 4194304 B = 0.4194304 ms; 1 us per call. Measured 5.79 ms: the kernel
  // took 5.79 - 0.4194304 - 0.001 = 5.3695696 ms: efficiency 0.49992...
  const GemmCalibration c =
      solve_gemm_calibration(d, {512, 512, 512, 1, 5.79e-3}, {24, 24, 24, 1, 1.0e-6});
  EXPECT_FALSE(c.solved);
  EXPECT_DOUBLE_EQ(c.tile_overhead_s, 0);
  EXPECT_NEAR(c.efficiency, 2.68435456 / 5.3695696, 1e-9);
}

}  // namespace
}  // namespace tessera::roofline

// The library's separate pass over C (gemm.beta_pass; docs/roofline.md, "What
// a real BLAS pays"): OpenBLAS scales C by beta before its kernel whenever
// beta != 1 (beta = 0 zeroes it), a store stream over C that does not overlap
// the kernel. Every figure is worked by hand.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/config/device_config.h"
#include "models/roofline/blas_calibration.h"
#include "models/roofline/estimator.h"
#include "tests/unit/roofline/cpu_test_device.h"

namespace tessera::roofline {
namespace {

// The test core (100 GFLOP/s, 10 GB/s DRAM, 1 MiB cache at 200 GB/s,
// efficiency 0.5, packing) with write-allocate and the pass over C.
DeviceConfig scaler() {
  DeviceConfig d = test_devices::cpu1();
  d.write_allocate = true;
  d.gemm.beta_pass = true;
  return d;
}

TEST(RooflineBetaPass, BytesAreCStoredAndFilledFirst) {
  // 1024 x 1024 fp32 C = 4194304 B, filled before it is stored on a
  // write-allocate device: 8388608 B.
  EXPECT_DOUBLE_EQ(gemm_beta_bytes(1, 1024, 1024, 4, true), 8388608);
  EXPECT_DOUBLE_EQ(gemm_beta_bytes(1, 1024, 1024, 4, false), 4194304);
  EXPECT_DOUBLE_EQ(gemm_beta_bytes(3, 2, 5, 2, true), 120);
}

TEST(RooflineBetaPass, ALargeCIsZeroedFromDramBeforeTheKernel) {
  // 1024 x 1024 x 16: C is 4 MiB, above the 1 MiB cache, so the pass
  // streams 8388608 B from DRAM. Half of it is write-backs (above the
  // triad's 1/4), so it runs at the triad's 10 GB/s even with a slower
  // read-only figure: 0.8388608 ms on top of the same GEMM without the pass.
  DeviceConfig d = scaler();
  d.memory_read_bandwidth_bytes_per_s = 6e9;
  DeviceConfig without = d;
  without.gemm.beta_pass = false;
  const OpSpec op = OpSpec::gemm(1024, 1024, 16, Dtype::kFp32);
  const Estimate e = estimate(op, d);
  EXPECT_DOUBLE_EQ(e.beta_bytes, 8388608);
  EXPECT_NEAR(e.beta_s * 1e3, 0.8388608, 1e-12);
  EXPECT_NEAR((e.time_s - estimate(op, without).time_s) * 1e3, 0.8388608, 1e-12);
}

TEST(RooflineBetaPass, ASmallCIsZeroedInCache) {
  // 64^3: C's 16384 B fit the 1 MiB cache: 32768 B at 200 GB/s = 0.16384 us
  // on top of 11.81344 us (test_blas_terms, WriteAllocate.AGemmFillsCOnceMore).
  const Estimate e = estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp32), scaler());
  EXPECT_DOUBLE_EQ(e.beta_bytes, 32768);
  EXPECT_NEAR(e.beta_s * 1e6, 0.16384, 1e-12);
  EXPECT_NEAR(e.time_s * 1e6, 11.97728, 1e-9);
}

TEST(RooflineBetaPass, AGemvHasNone) {
  // y = A x goes to the library's GEMV, whose kernel handles beta itself.
  const Estimate e = estimate(OpSpec::gemm(1024, 1, 1024, Dtype::kFp32), scaler());
  EXPECT_DOUBLE_EQ(e.beta_bytes, 0);
  EXPECT_DOUBLE_EQ(e.beta_s, 0);
}

TEST(RooflineBetaPass, CalibrationTakesItOutBeforeSolving) {
  // Timings made by a device with the pass, efficiency 0.6 and 40 ns per
  // micro-tile: the solver, which knows the pass, recovers both.
  const GemmCalibration c = test_devices::calibration_round_trip(scaler()).solved;
  EXPECT_TRUE(c.solved);
  EXPECT_NEAR(c.efficiency, 0.6, 1e-9);
  EXPECT_NEAR(c.tile_overhead_s, 40e-9, 1e-15);
}

TEST(RooflineBetaPass, ParsedAndDatasheetDevicesHaveNone) {
  const auto dir = std::filesystem::temp_directory_path() / "tessera_beta_pass_test";
  std::filesystem::create_directories(dir);
  const auto file = dir / "b.yaml";
  const char* head =
      "name: b\ncompute_units: 1\ntiles: [[4, 8]]\npeak: {fp32: 100GFLOP/s}\n"
      "memory: {bandwidth: 10GB/s}\n";
  {
    std::ofstream out(file);
    out << head << "gemm: {packs_operands: true, beta_pass: true}\n";
  }
  EXPECT_TRUE(config::load_device(file).gemm.beta_pass);
  {
    std::ofstream out(file);
    out << head << "gemm: {beta_pass: often}\n";
  }
  try {
    config::load_device(file);
    ADD_FAILURE() << "a non-boolean beta_pass must be an error";
  } catch (const std::exception& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find("gemm.beta_pass"), std::string::npos) << msg;
  }
  std::filesystem::remove_all(dir);
  const DeviceConfig a100 = config::load_device(std::filesystem::path(TESSERA_SOURCE_DIR) /
                                                "platforms/devices/a100-sxm-40gb.yaml");
  EXPECT_FALSE(a100.gemm.beta_pass);
  EXPECT_DOUBLE_EQ(estimate(OpSpec::gemm(1024, 1024, 1024, Dtype::kFp32), a100).beta_s, 0);
}

}  // namespace
}  // namespace tessera::roofline

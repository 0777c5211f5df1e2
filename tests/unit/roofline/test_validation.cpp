// validate-roofline's bookkeeping on synthetic timings
// (models/roofline/validation.h): errors against the device file and against
// the roofs re-measured between batches, the model-free bottleneck, and the
// counts against the 15% / 20% / 90% targets.
#include <gtest/gtest.h>

#include "models/roofline/validation.h"
#include "tests/unit/roofline/cpu_test_device.h"

namespace tessera::roofline {
namespace {

// The test core (no BLAS efficiency: the bookkeeping's figures are plain
// roofline) with one-thread bandwidth and a packing run latency.
DeviceConfig cpu1() {
  DeviceConfig d = test_devices::cpu1_core();
  d.memory_bandwidth_per_unit_bytes_per_s = 6e9;
  d.gemm.pack_run_latency_ps = 100'000;
  return d;
}

TEST(Validation, ErrorAndMedian) {
  EXPECT_DOUBLE_EQ(relative_error(1.1, 1.0), 0.10000000000000009);
  EXPECT_DOUBLE_EQ(relative_error(0.8, 1.0), -0.19999999999999996);
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
  EXPECT_DOUBLE_EQ(median({}), 0);
}

TEST(Validation, ScaleDeviceFollowsTheMeasuredRoofs) {
  const DeviceConfig d = scale_device(cpu1(), 0.5, 0.8);
  EXPECT_DOUBLE_EQ(d.peak(Dtype::kFp32), 50e9);
  EXPECT_DOUBLE_EQ(d.vector_flops_per_s, 50e9);
  EXPECT_EQ(d.launch_overhead_ps, 2'000'000u);  // half the speed: twice the call cost
  EXPECT_DOUBLE_EQ(d.memory_bandwidth_bytes_per_s, 8e9);
  EXPECT_DOUBLE_EQ(d.memory_bandwidth_per_unit_bytes_per_s, 4.8e9);
  EXPECT_DOUBLE_EQ(d.caches[0].bandwidth_bytes_per_s, 160e9);
  EXPECT_EQ(d.gemm.pack_run_latency_ps, 125'000u);
}

TEST(Validation, TheReadOnlyStreamFollowsItsOwnProbe) {
  DeviceConfig d = cpu1();
  d.memory_read_bandwidth_bytes_per_s = 8e9;
  d.memory_read_bandwidth_per_unit_bytes_per_s = 5e9;
  // Triad at 80%, read-only stream at 50%: each bandwidth by its own probe.
  const DeviceConfig s = scale_device(d, 1.0, 0.8, 0.5);
  EXPECT_DOUBLE_EQ(s.memory_bandwidth_bytes_per_s, 8e9);
  EXPECT_DOUBLE_EQ(s.memory_bandwidth_per_unit_bytes_per_s, 4.8e9);
  EXPECT_DOUBLE_EQ(s.memory_read_bandwidth_bytes_per_s, 4e9);
  EXPECT_DOUBLE_EQ(s.memory_read_bandwidth_per_unit_bytes_per_s, 2.5e9);
  // Not measured (0): the read-only stream follows the triad, as before.
  EXPECT_DOUBLE_EQ(scale_device(d, 1.0, 0.8, 0).memory_read_bandwidth_bytes_per_s, 6.4e9);
}

TEST(Validation, ADotProductIsCorrectedByTheReadProbe) {
  // sdot over 1 Mi fp32 on a device reading at 8 GB/s: 8388608 B, nothing
  // written, 1.048576 ms + 1 us = 1.049576 ms from the file.
  DeviceConfig d = cpu1();
  d.memory_read_bandwidth_bytes_per_s = 8e9;
  OpSpec dot = OpSpec::elementwise(1u << 20, 2, Dtype::kFp32);
  dot.n = 0;
  // Batch 1: 2.0 ms, triad at 100% but the read stream at 50% (4 GB/s):
  //   2.097152 ms + 1 us = 2.098152 ms, ratio 1.049076.
  // Batch 2: 1.5 ms, read stream at 70% (5.6 GB/s): 1.497966 ms + 1 us =
  //   1.498966 ms, ratio 0.999311.
  // Batch 3: 1.1 ms, read stream at 100%: 1.049576 / 1.1 = 0.954160.
  const std::vector<InterleavedBatch> batches = {
      {2.0e-3, 1.0, 1.0, 0.5}, {1.5e-3, 1.0, 1.0, 0.7}, {1.1e-3, 1.0, 1.0, 1.0}};
  const KernelCheck c = check_kernel("sdot", dot, d, batches);
  EXPECT_NEAR(c.estimate.time_s * 1e3, 1.049576, 1e-12);
  EXPECT_DOUBLE_EQ(c.read_ratio, 0.7);
  EXPECT_DOUBLE_EQ(c.memory_ratio, 1.0);
  // The median paired ratio is batch 2's: (8.388608 / 5.6 + 0.001) / 1.5 - 1.
  EXPECT_NEAR(c.insitu_error, (8.388608 / 5.6 + 0.001) / 1.5 - 1, 1e-12);
  EXPECT_NEAR(c.insitu_error, -0.000689524, 1e-9);
  // At the median roofs (read stream at 70%): 1.498966 ms.
  EXPECT_NEAR(c.insitu_estimate_s * 1e3, 8.388608 / 5.6 + 0.001, 1e-12);
  // The triad probe alone (read ratio not measured) would not see the drift:
  // every batch at the file's 1.049576 ms, median ratio 1.049576 / 1.5 - 1.
  const std::vector<InterleavedBatch> triad_only = {
      {2.0e-3, 1.0, 1.0}, {1.5e-3, 1.0, 1.0}, {1.1e-3, 1.0, 1.0}};
  EXPECT_NEAR(check_kernel("sdot", dot, d, triad_only).insitu_error, 1.049576 / 1.5 - 1, 1e-12);
  EXPECT_DOUBLE_EQ(check_kernel("sdot", dot, d, triad_only).read_ratio, 0.0);
}

TEST(Validation, InSituErrorPairsEachBatchWithItsRoofs) {
  // A copy of 1 Mi fp32 (8 MiB): 0.8388608 ms at 10 GB/s + 1 us = 0.8398608 ms.
  const OpSpec copy = OpSpec::elementwise(1u << 20, 1, Dtype::kFp32);
  // Batch 1: 1.0 ms with the triad at 80%: 8388608 / 8e9 + 1 us = 1.049576 ms
  //   (ratio 1.049576).
  // Batch 2: 0.9 ms at 100%: 0.8398608 / 0.9 = 0.933178667.
  // Batch 3: 1.2 ms at 70%: 8388608 / 7e9 + 1 us = 1.199372571 ms (0.999477143).
  const std::vector<InterleavedBatch> batches = {
      {1.0e-3, 1.0, 0.8}, {0.9e-3, 1.0, 1.0}, {1.2e-3, 1.0, 0.7}};
  const KernelCheck c = check_kernel("scopy", copy, cpu1(), batches);
  EXPECT_NEAR(c.estimate.time_s * 1e3, 0.8398608, 1e-12);
  EXPECT_DOUBLE_EQ(c.best_s, 0.9e-3);
  EXPECT_DOUBLE_EQ(c.median_s, 1.0e-3);
  // Against the file: best 0.9 ms: 0.8398608 / 0.9 - 1 = -6.68%.
  EXPECT_NEAR(c.error, 0.8398608 / 0.9 - 1, 1e-12);
  // In situ: the median of the paired ratios, 0.999477143, - 1.
  EXPECT_NEAR(c.insitu_error, (8.388608 / 7 + 0.001) / 1.2 - 1, 1e-12);
  EXPECT_DOUBLE_EQ(c.memory_ratio, 0.8);
  EXPECT_DOUBLE_EQ(c.compute_ratio, 1.0);
  // At the median roofs (80% of the triad): 1.049576 ms.
  EXPECT_NEAR(c.insitu_estimate_s * 1e3, 1.049576, 1e-12);
  // Measured bottleneck: 1 Mi FLOP in 0.9 ms is 1.2% of 100 GFLOP/s; 8 MiB in
  // 0.9 ms is 116% of 8 GB/s: memory, as the model says.
  EXPECT_FALSE(c.measured_compute_bound);
  EXPECT_FALSE(c.estimate.compute_bound);
}

TEST(Validation, MeasuredBottleneckIgnoresTheModel) {
  const DeviceConfig d = cpu1();
  // 1 GFLOP and 1 MB in 20 ms: 50% of the peak, 0.5% of the bandwidth.
  EXPECT_TRUE(measured_compute_bound(1e9, 1e6, 20e-3, d));
  // 1 MFLOP and 100 MB in 20 ms: 0.05% against 50%.
  EXPECT_FALSE(measured_compute_bound(1e6, 100e6, 20e-3, d));
  // On one unit of a two-unit device, against that unit's share.
  DeviceConfig two = d;
  two.compute_units = 2;
  two.peak_flops_per_s[static_cast<int>(Dtype::kFp32)] = 200e9;
  const DeviceConfig one = restrict_to_units(two, 1);
  EXPECT_DOUBLE_EQ(one.memory_bandwidth_bytes_per_s, 6e9);
  // 1 GFLOP, 100 MB in 20 ms: 50% of 100 GFLOP/s against 83% of 6 GB/s.
  EXPECT_FALSE(measured_compute_bound(1e9, 100e6, 20e-3, one));
}

KernelCheck synthetic(bool model_compute, bool measured_compute, double error,
                      double insitu_error) {
  KernelCheck c;
  c.estimate.compute_bound = model_compute;
  c.measured_compute_bound = measured_compute;
  c.error = error;
  c.insitu_error = insitu_error;
  return c;
}

TEST(Validation, CountsAgainstTheTargets) {
  const std::vector<KernelCheck> checks = {
      synthetic(true, true, 0.14, 0.30),     // compute, within 15% on the file
      synthetic(true, true, -0.16, 0.01),    // compute, outside on the file, inside in situ
      synthetic(false, false, 0.19, -0.19),  // memory, within 20% both ways
      synthetic(false, true, -0.25, 0.05),   // memory, outside on the file; bottleneck wrong
  };
  const ValidationCounts file = count_targets(checks, false);
  EXPECT_EQ(file.compute_n, 2);
  EXPECT_EQ(file.compute_ok, 1);
  EXPECT_EQ(file.memory_n, 2);
  EXPECT_EQ(file.memory_ok, 1);
  EXPECT_EQ(file.bound_ok, 3);
  EXPECT_EQ(file.total, 4);
  EXPECT_DOUBLE_EQ(file.bound_fraction(), 0.75);
  EXPECT_FALSE(file.meets_targets());
  const ValidationCounts insitu = count_targets(checks, true);
  EXPECT_EQ(insitu.compute_ok, 1);  // 0.30 is out, 0.01 in
  EXPECT_EQ(insitu.memory_ok, 2);
  // Exactly at the limit is a miss: the targets are "under".
  const ValidationCounts edge = count_targets({synthetic(true, true, 0.15, 0.15)}, false);
  EXPECT_EQ(edge.compute_ok, 0);
  // All in and every bottleneck right (1/1 > 90%): targets met.
  EXPECT_TRUE(count_targets({synthetic(false, false, 0.1, 0.1)}, false).meets_targets());
}

}  // namespace
}  // namespace tessera::roofline

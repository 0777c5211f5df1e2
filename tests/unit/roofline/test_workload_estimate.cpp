// A trace's operators summed on a device, and Tessera platforms as devices.
#include <gtest/gtest.h>

#include "models/config/platform_config.h"
#include "models/core/error.h"
#include "models/roofline/platform_device.h"
#include "models/roofline/workload_estimate.h"

namespace tessera::roofline {
namespace {

DeviceConfig toy() {
  DeviceConfig d;
  d.name = "toy";
  d.compute_units = 2;
  d.tiles = {{4, 4}};
  d.peak_flops_per_s[static_cast<int>(Dtype::kFp16)] = 1e12;
  d.vector_flops_per_s = 1e11;
  d.memory_bandwidth_bytes_per_s = 1e10;
  d.energy_pj_per_flop[static_cast<int>(Dtype::kFp16)] = 1;
  d.memory_energy_pj_per_byte = 100;
  d.launch_overhead_ps = 1000;
  return d;
}

// Two ops: a 16x16x16 fp16 GEMM (x, w -> y) and an elementwise add (y, y -> z).
workload::Trace tiny_trace() {
  using workload::AccessKind;
  workload::Trace t;
  const auto x = t.add_tensor({"x", 16 * 16 * 2, 0, workload::TensorRole::kInput});
  const auto w = t.add_tensor({"w", 16 * 16 * 2, 512, workload::TensorRole::kWeight});
  const auto y = t.add_tensor({"y", 16 * 16 * 2, 1024, workload::TensorRole::kActivation});
  const auto z = t.add_tensor({"z", 16 * 16 * 2, 1536, workload::TensorRole::kOutput});
  workload::OpInfo g;
  g.name = "fc";
  g.kind = workload::OpKind::kGemm;
  g.flops = 2 * 16 * 16 * 16;
  g.m = g.n = g.k = 16;
  const auto g_id = t.add_op(g);
  t.access(x, g_id, AccessKind::kRead);
  t.access(w, g_id, AccessKind::kRead);
  t.access(y, g_id, AccessKind::kWrite);
  workload::OpInfo a;
  a.name = "add";
  a.kind = workload::OpKind::kElementwise;
  a.flops = 256;
  a.m = 256;
  a.n = a.k = 1;
  const auto a_id = t.add_op(a);
  t.access(y, a_id, AccessKind::kRead);
  t.access(y, a_id, AccessKind::kRead);
  t.access(z, a_id, AccessKind::kWrite);
  return t;
}

TEST(WorkloadEstimate, SumsOperatorsOfATrace) {
  const workload::Trace t = tiny_trace();
  const auto bytes = bytes_per_op(t);
  ASSERT_EQ(bytes.size(), 2u);
  EXPECT_EQ(bytes[0], 1536u);
  EXPECT_EQ(bytes[1], 1536u);
  const WorkloadEstimate w = estimate_workload(t, toy());
  ASSERT_EQ(w.ops.size(), 2u);
  EXPECT_EQ(w.ops[0].op, "fc");
  EXPECT_EQ(w.ops[0].type, OpType::kGemm);
  EXPECT_EQ(w.ops[1].type, OpType::kElementwise);
  // GEMM: 8192 FLOP; 4x4 tiles: 16 tiles on 2 units = 8 waves, 8 * 2 * 2*4*4*16 = 8192 issued
  // -> 8.192 ns; DRAM behind the tile re-reads: (256*4 + 256*4 + 256) * 2 B = 4608 B / 1e10 =
  // 460.8 ns. Memory bound: 460.8 ns + 1 ns launch.
  EXPECT_DOUBLE_EQ(w.ops[0].flops, 8192.0);
  EXPECT_DOUBLE_EQ(w.ops[0].dram_bytes, 4608.0);
  EXPECT_NEAR(w.ops[0].time_s, 461.8e-9, 1e-15);
  // Elementwise: the trace's 1536 B at 1e10 B/s = 153.6 ns (+1 ns); 256 FLOP from the trace.
  EXPECT_DOUBLE_EQ(w.ops[1].flops, 256.0);
  EXPECT_DOUBLE_EQ(w.ops[1].dram_bytes, 1536.0);
  EXPECT_NEAR(w.ops[1].time_s, 154.6e-9, 1e-15);
  EXPECT_DOUBLE_EQ(w.flops, 8448.0);
  EXPECT_NEAR(w.time_s, 616.4e-9, 1e-15);
  // Energy: 8448 FLOP * 1 pJ + (4608 + 1536) B * 100 pJ = 622,848 pJ.
  EXPECT_NEAR(w.energy_j, 622848e-12, 1e-18);
  EXPECT_EQ(w.compute_bound_ops, 0u);
}

TEST(WorkloadEstimate, DtypeFollowsTheTraceAndTheDevice) {
  DeviceConfig d = toy();
  EXPECT_EQ(dtype_for_bytes(2, d), Dtype::kFp16);
  d.peak_flops_per_s[static_cast<int>(Dtype::kFp16)] = 0;
  d.peak_flops_per_s[static_cast<int>(Dtype::kBf16)] = 1e12;
  EXPECT_EQ(dtype_for_bytes(2, d), Dtype::kBf16);
  EXPECT_THROW(dtype_for_bytes(4, d), InputError);
}

TEST(PlatformDevice, PeakFromTilesAndBandwidthFromDram) {
  config::PlatformConfig p;
  p.name = "edge";
  p.clock_hz = 1'000'000'000;
  p.tiles.count = 4;
  p.tiles.rows = 16;
  p.tiles.cols = 16;
  p.tiles.lanes = 16;
  p.dram.preset = "ddr4-3200";
  p.dram.channels = 2;
  const DeviceConfig d = device_from_platform(p);
  // 4 tiles x 256 MACs x 2 FLOP x 1 GHz = 2.048 TFLOP/s.
  EXPECT_DOUBLE_EQ(d.peak(Dtype::kFp16), 2.048e12);
  EXPECT_DOUBLE_EQ(d.vector_flops_per_s, 4 * 16 * 2 * 1e9);
  EXPECT_EQ(d.compute_units, 4u);
  EXPECT_EQ(d.tiles[0].m, 16u);
  // DDR4-3200: 3200 MT/s x 8 B = 25.6 GB/s per channel, two channels.
  EXPECT_DOUBLE_EQ(d.memory_bandwidth_bytes_per_s, 51.2e9);
  // Scratchpad (per tile) then the shared cache.
  ASSERT_EQ(d.caches.size(), 2u);
  EXPECT_TRUE(d.caches[0].per_unit);
  EXPECT_EQ(d.caches[1].size_bytes, 4 * kMiB);
  // The DramSpec route: 1 controller, 64-bit bus, DDR (2 beats), tCK 625 ps = 25.6 GB/s.
  EXPECT_DOUBLE_EQ(dram_peak_bytes_per_s(1, 64, 2, 625), 25.6e9);
  EXPECT_DOUBLE_EQ(device_from_platform(p, 1e9).memory_bandwidth_bytes_per_s, 1e9);
  // The DRAM model's own preset gives the same figure.
  p.dram.preset = "DDR4-3200";
  EXPECT_DOUBLE_EQ(device_from_platform(p).memory_bandwidth_bytes_per_s, 51.2e9);
  // The dram: section's overrides count too, as in the timed run: a 32-bit bus
  // halves each channel's peak (12.8 GB/s x 2 channels).
  p.dram.config.organization.push_back({"bus_width_bits", 32, false, "test: dram.organization"});
  EXPECT_DOUBLE_EQ(device_from_platform(p).memory_bandwidth_bytes_per_s, 25.6e9);
  p.dram.config.organization.clear();
  p.dram.preset = "sram-magic";
  EXPECT_THROW(device_from_platform(p), InputError);
  // The derived device runs the estimator.
  p.dram.preset = "hbm2";
  const Estimate e = estimate(OpSpec::gemm(256, 256, 256, Dtype::kFp16), device_from_platform(p));
  EXPECT_GT(e.time_s, 0);
}

}  // namespace
}  // namespace tessera::roofline

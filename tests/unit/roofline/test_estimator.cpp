// Hand-worked roofline figures, quantization, bottleneck flips, energy sums
// and invariants of the estimator.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "models/config/device_config.h"
#include "models/core/error.h"
#include "models/core/rng.h"
#include "models/roofline/estimator.h"

namespace tessera::roofline {
namespace {

DeviceConfig library(const std::string& name) {
  return config::load_device(std::filesystem::path(TESSERA_SOURCE_DIR) / "platforms/devices" /
                             (name + ".yaml"));
}

// 4 units, 2x2 tiles, 1 TFLOP/s, 100 GB/s, no caches, no launch cost.
DeviceConfig toy() {
  DeviceConfig d;
  d.name = "toy";
  d.compute_units = 4;
  d.tiles = {{2, 2}};
  d.peak_flops_per_s[static_cast<int>(Dtype::kFp32)] = 1e12;
  d.vector_flops_per_s = 1e12;
  d.memory_bandwidth_bytes_per_s = 100e9;
  d.energy_pj_per_flop[static_cast<int>(Dtype::kFp32)] = 2;
  d.memory_energy_pj_per_byte = 10;
  return d;
}

TEST(Traffic, TiledGemmTrafficByHand) {
  // 64^3, fast memory of 768 elements: side floor(sqrt(768/3)) = 16.
  // A: 64*64 * ceil(64/16) = 16384; B: the same; C: 4096 -> 36864.
  EXPECT_DOUBLE_EQ(gemm_traffic_elements(64, 64, 64, 768), 36864);
  // Everything fits (3 * 4096 = 12288 elements): compulsory only.
  EXPECT_DOUBLE_EQ(gemm_traffic_elements(64, 64, 64, 12288), 12288);
  // Output tile 8 x 32: A 4096 * 2 + B 4096 * 8 + C 4096 = 45056.
  EXPECT_DOUBLE_EQ(gemm_tile_traffic_elements(64, 64, 64, 8, 32), 45056);
}

TEST(Traffic, MonotoneInCapacityAndNeverBelowCompulsory) {
  Rng rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const double m = 1 + static_cast<double>(rng.next_u64() % 3000);
    const double n = 1 + static_cast<double>(rng.next_u64() % 3000);
    const double k = 1 + static_cast<double>(rng.next_u64() % 3000);
    double previous = INFINITY;
    for (double cap = 3; cap < 1e8; cap *= 4) {
      const double t = gemm_traffic_elements(m, n, k, cap);
      EXPECT_GE(t, m * k + k * n + m * n);
      EXPECT_LE(t, previous);
      previous = t;
    }
  }
}

TEST(Estimate, A100Fp32Matmul1024) {
  const DeviceConfig a100 = library("a100-sxm-40gb");
  const Estimate e = estimate(OpSpec::gemm(1024, 1024, 1024, Dtype::kFp32), a100);
  // 2 * 1024^3 = 2,147,483,648 FLOP (2.147 GFLOP).
  EXPECT_DOUBLE_EQ(e.flops, 2147483648.0);
  // Naive traffic: A, B, C of 1024 * 1024 * 4 B = 4 MiB each: 12,582,912 B (12.58 MB).
  EXPECT_DOUBLE_EQ(e.compulsory_bytes, 12582912.0);
  // The 40 MiB L2 holds all three: DRAM moves only the compulsory bytes.
  EXPECT_DOUBLE_EQ(e.dram_bytes, 12582912.0);
  // Peak-limited compute: 2.147483648e9 / 19.5e12 = 0.110127 ms.
  EXPECT_NEAR(e.ideal_compute_s * 1e3, 0.110127, 1e-6);
  EXPECT_TRUE(e.compute_bound);
  EXPECT_STREQ(e.bottleneck(), "compute");
  // Quantization: the 64x64 tile wins: 16 * 16 = 256 tiles on 108 SMs = 3 waves,
  // 3 * 108 * (2 * 64 * 64 * 1024) = 2,717,908,992 issued FLOP / 19.5e12 = 0.139380 ms
  // (256x128: 32 tiles, 1 wave, 0.372 ms; 128x128: 64 tiles, 0.186 ms; 128x64: 2 waves, 0.186 ms).
  EXPECT_EQ(e.tile_m, 64u);
  EXPECT_EQ(e.tile_n, 64u);
  EXPECT_EQ(e.tiles, 256u);
  EXPECT_EQ(e.waves, 3u);
  EXPECT_NEAR(e.compute_s * 1e3, 0.139380, 1e-6);
  EXPECT_NEAR(e.quantization_efficiency, 256.0 / 324.0, 1e-12);
  // Plus 3 us launch: 0.142380 ms.
  EXPECT_NEAR(e.time_ms(), 0.142380, 1e-6);
  // L1 serves the 64x64-tile traffic: (16 Mi + 16 Mi + 1 Mi) elements * 4 B = 138,412,032 B.
  ASSERT_EQ(e.levels.size(), 3u);
  EXPECT_EQ(e.levels[0].name, "l1");
  EXPECT_DOUBLE_EQ(e.levels[0].bytes, 138412032.0);
  // L2 serves the traffic of a 192 KiB L1: 49152 fp32 elements, side 128:
  // (8 Mi + 8 Mi + 1 Mi) * 4 B = 71,303,168 B.
  EXPECT_DOUBLE_EQ(e.levels[1].bytes, 71303168.0);
  // AI = 2147483648 / 12582912 = 170.67 FLOP/B.
  EXPECT_NEAR(e.arithmetic_intensity, 170.6667, 1e-3);
  // Energy: 2147483648 * 2.3 pJ + 138412032 * 2.5 pJ + 71303168 * 12.5 pJ + 12582912 * 31.2 pJ
  //       = 4.939212 mJ + 0.346030 mJ + 0.891290 mJ + 0.392587 mJ = 6.569119 mJ.
  EXPECT_NEAR(e.energy_j * 1e3, 6.569119, 1e-5);
  EXPECT_NEAR(e.achieved_fraction, 0.110127 / 0.142380, 1e-5);
}

TEST(Estimate, WaveQuantizationAddsAWaveJustAboveAMultiple) {
  const DeviceConfig d = toy();
  // 4x4 output, 2x2 tiles: 4 tiles = one wave of 4 units.
  const Estimate one = estimate(OpSpec::gemm(4, 4, 100, Dtype::kFp32), d);
  EXPECT_EQ(one.tiles, 4u);
  EXPECT_EQ(one.waves, 1u);
  // compute = 1 wave * 4 units * 2*2*2*100 FLOP / 1e12 = 3.2 ns.
  EXPECT_NEAR(one.compute_s, 3.2e-9, 1e-21);
  EXPECT_DOUBLE_EQ(one.quantization_efficiency, 1.0);
  // 6x4 output: 3 x 2 = 6 tiles, just above 4: two waves, 6.4 ns, efficiency 6/8.
  const Estimate two = estimate(OpSpec::gemm(6, 4, 100, Dtype::kFp32), d);
  EXPECT_EQ(two.tiles, 6u);
  EXPECT_EQ(two.waves, 2u);
  EXPECT_NEAR(two.compute_s, 6.4e-9, 1e-21);
  EXPECT_DOUBLE_EQ(two.quantization_efficiency, 0.75);
  // 5x4: tile quantization too (an edge row of tiles half empty): still 6 tiles.
  const Estimate edge = estimate(OpSpec::gemm(5, 4, 100, Dtype::kFp32), d);
  EXPECT_EQ(edge.tiles, 6u);
  EXPECT_NEAR(edge.quantization_efficiency, (2.0 * 5 * 4 * 100) / (2 * 4 * 800.0), 1e-12);
}

TEST(Estimate, BottleneckFlipsAtTheRidgePoint) {
  // Toy ridge: 1e12 / 100e9 = 10 FLOP/B. Without caches DRAM serves the 2x2 tile's
  // re-reads: traffic = 4 (2 * n^2 * n/2 + n^2) B, AI = 2n^3 / (4n^3 + 4n^2) < 0.5.
  DeviceConfig d = toy();
  EXPECT_FALSE(estimate(OpSpec::gemm(512, 512, 512, Dtype::kFp32), d).compute_bound);
  // With a 1 MiB cache in front of DRAM (262144 elements, side 295) DRAM traffic drops and the
  // same GEMM crosses the ridge; a skinny one (k = 1) stays memory bound.
  d.caches.push_back({"sram", 1 * kMiB, false, 0, 0});
  bool flipped = false;
  double previous_ai = 0;
  for (std::uint64_t n = 8; n <= 1024; n *= 2) {
    const Estimate e = estimate(OpSpec::gemm(n, n, n, Dtype::kFp32), d);
    EXPECT_GT(e.arithmetic_intensity, previous_ai);
    previous_ai = e.arithmetic_intensity;
    EXPECT_EQ(e.compute_bound, e.compute_s >= e.memory_s);
    if (n == 8) {
      EXPECT_FALSE(e.compute_bound);  // AI = 8/6 = 1.33 < 10
    }
    if (n == 1024) {
      EXPECT_TRUE(e.compute_bound);
    }
    flipped = flipped || e.compute_bound;
  }
  EXPECT_TRUE(flipped);
  EXPECT_FALSE(estimate(OpSpec::gemm(1024, 1024, 1, Dtype::kFp32), d).compute_bound);
}

TEST(Estimate, EnergyIsTheSumOfItsParts) {
  DeviceConfig d = toy();
  d.caches.push_back({"sram", 64 * kKiB, false, 1e12, 1.5});
  Rng rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    const auto m = 1 + rng.next_u64() % 500, n = 1 + rng.next_u64() % 500,
               k = 1 + rng.next_u64() % 500;
    const Estimate e = estimate(OpSpec::gemm(m, n, k, Dtype::kFp32), d);
    EXPECT_NEAR(e.compute_energy_j, e.flops * 2e-12, 1e-18);
    EXPECT_NEAR(e.levels[0].energy_j, e.levels[0].bytes * 1.5e-12, 1e-18);
    EXPECT_NEAR(e.levels[1].energy_j, e.dram_bytes * 10e-12, 1e-18);
    EXPECT_NEAR(e.energy_j, e.compute_energy_j + e.levels[0].energy_j + e.levels[1].energy_j,
                1e-15);
    // time = max(compute, slowest level) + launch (0 here), and never below the bound.
    EXPECT_DOUBLE_EQ(e.time_s, std::max(e.compute_s, e.memory_s));
    EXPECT_GE(e.time_s * 1e12, static_cast<double>(lower_bound_ps(e, d)));
  }
}

TEST(Estimate, ElementwiseIsMemoryBoundByHand) {
  const DeviceConfig a100 = library("a100-sxm-40gb");
  // 1 Mi fp16 elements, two inputs: 3 * 2 MiB = 6,291,456 B; 1 Mi FLOP.
  const Estimate e = estimate(OpSpec::elementwise(1 << 20, 2, Dtype::kFp16), a100);
  EXPECT_DOUBLE_EQ(e.flops, 1048576.0);
  EXPECT_DOUBLE_EQ(e.dram_bytes, 6291456.0);
  EXPECT_FALSE(e.compute_bound);
  EXPECT_STREQ(e.bottleneck(), "memory");
  EXPECT_EQ(e.bound_level, "dram");
  // 6291456 / 1.555e12 = 4.0459 us, + 3 us launch.
  EXPECT_NEAR(e.time_s * 1e6, 4.0459 + 3.0, 1e-3);
  EXPECT_EQ(e.tiles, 0u);
}

TEST(Estimate, SoftmaxRereadsRowsThatSpill) {
  DeviceConfig d = toy();
  d.caches.push_back({"l1", 1 * kKiB, true, 0, 0});
  // One row of 4096 fp32 (16 KiB) does not fit the 1 KiB L1 but fits nothing else either:
  // L1 serves 3 reads + 1 write; DRAM (behind a 1 KiB level) also sees 3 reads.
  const Estimate spill = estimate(OpSpec::softmax(2, 4096, Dtype::kFp32), d);
  const double once = 2 * 4096 * 4.0;
  EXPECT_DOUBLE_EQ(spill.compulsory_bytes, 2 * once);
  EXPECT_DOUBLE_EQ(spill.levels[0].bytes, 4 * once);
  EXPECT_DOUBLE_EQ(spill.dram_bytes, 4 * once);
  EXPECT_DOUBLE_EQ(spill.flops, 5.0 * 2 * 4096);
  // Rows of 128 fp32 (512 B) fit the L1: DRAM sees one read and one write.
  const Estimate fit = estimate(OpSpec::softmax(64, 128, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(fit.dram_bytes, 2 * 64 * 128 * 4.0);
}

TEST(Estimate, FusedAttentionMovesLessThanUnfused) {
  const DeviceConfig h100 = library("h100-sxm");
  const AttentionShape a{1, 16, 4096, 4096, 128};
  const Estimate fused = estimate(OpSpec::attention(a, true, Dtype::kFp16), h100);
  const Estimate unfused = estimate(OpSpec::attention(a, false, Dtype::kFp16), h100);
  // Both do 4 * b * h * s^2 * d matrix FLOPs = 4 * 16 * 4096^2 * 128 = 137,438,953,472.
  EXPECT_DOUBLE_EQ(fused.flops, 137438953472.0);
  EXPECT_EQ(fused.kernels, 1);
  EXPECT_EQ(unfused.kernels, 3);
  // Unfused also runs the softmax (5 FLOP per score) and writes/reads the 16 x 4096^2 scores.
  EXPECT_DOUBLE_EQ(unfused.flops, 137438953472.0 + 5.0 * 16 * 4096.0 * 4096.0);
  EXPECT_LT(fused.dram_bytes, unfused.dram_bytes / 4);
  EXPECT_LT(fused.time_s, unfused.time_s);
  // Fused compulsory: Q, K, V, O of 16 x 4096 x 128 fp16 = 4 * 16 MiB.
  EXPECT_DOUBLE_EQ(fused.compulsory_bytes, 4.0 * 16 * 4096 * 128 * 2);
}

TEST(Estimate, Conv2dByHand) {
  const DeviceConfig a100 = library("a100-sxm-40gb");
  // ResNet-50 stem: 1 x 3 x 224 x 224, 64 filters 7x7, stride 2, pad 3 -> 112 x 112.
  const ConvShape c{1, 3, 224, 224, 64, 7, 7, 2, 3};
  EXPECT_EQ(c.out_height(), 112u);
  const Estimate e = estimate(OpSpec::conv2d(c, Dtype::kFp16), a100);
  // FLOPs: 2 * (112 * 112) * 64 * (3 * 49) = 236,027,904.
  EXPECT_DOUBLE_EQ(e.flops, 236027904.0);
  // Compulsory fp16: input 150528 * 2 + weights 9408 * 2 + output 802816 * 2 = 1,925,504 B.
  EXPECT_DOUBLE_EQ(e.compulsory_bytes, 1925504.0);
  EXPECT_GE(e.dram_bytes, e.compulsory_bytes);
}

TEST(Estimate, EmbeddingAndLayernormAndReduction) {
  const DeviceConfig d = toy();
  // 8 tokens x 16 hidden fp32: ids 32 B + gathered rows 512 B + output 512 B, no FLOPs.
  const Estimate emb = estimate(OpSpec::embedding(8, 16, 1000, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(emb.compulsory_bytes, 1056.0);
  EXPECT_DOUBLE_EQ(emb.flops, 0.0);
  EXPECT_FALSE(emb.compute_bound);
  // layernorm 4 x 16 fp32: in + out 512 B, gamma + beta 128 B; 8 FLOP per element.
  const Estimate ln = estimate(OpSpec::layernorm(4, 16, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(ln.compulsory_bytes, 640.0);
  EXPECT_DOUBLE_EQ(ln.flops, 512.0);
  // reduction 4 x 16 -> 4: 64 + 4 elements of 4 B.
  const Estimate red = estimate(OpSpec::reduction(4, 16, Dtype::kFp32), d);
  EXPECT_DOUBLE_EQ(red.compulsory_bytes, 272.0);
  EXPECT_DOUBLE_EQ(red.flops, 64.0);
}

TEST(Estimate, UnsupportedDtypeAndEmptyShapeAreInputErrors) {
  const DeviceConfig v100 = library("v100-sxm2");
  EXPECT_THROW(estimate(OpSpec::gemm(64, 64, 64, Dtype::kBf16), v100), InputError);
  EXPECT_THROW(estimate(OpSpec::gemm(0, 64, 64, Dtype::kFp16), v100), InputError);
  try {
    estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp8), v100);
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("fp8"), std::string::npos);
  }
}

TEST(Bound, SimulationBelowTheBoundIsFlagged) {
  const DeviceConfig d = toy();
  // 64^3 fp32: 524288 FLOP / 1e12 = 524.288 ns; compulsory 3 * 16 KiB = 49152 B / 100e9 =
  // 491.52 ns. The bound is the larger: 524288 ps.
  const Estimate e = estimate(OpSpec::gemm(64, 64, 64, Dtype::kFp32), d);
  EXPECT_EQ(lower_bound_ps(e, d), 524288u);
  EXPECT_TRUE(below_bound(524287, e, d));
  EXPECT_FALSE(below_bound(524288, e, d));
  EXPECT_FALSE(below_bound(static_cast<Picoseconds>(e.time_s * 1e12), e, d));
}

}  // namespace
}  // namespace tessera::roofline

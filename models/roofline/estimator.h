// Hierarchical roofline estimate of one operator on one device.
//
// For every operator: its FLOPs; the bytes served by each memory level (the
// innermost cache first, DRAM last) under the best tiling that level's inner
// neighbour allows; time = max(compute, each level's bytes / bandwidth) +
// operand packing + launch overhead; wave and tile quantization over the
// compute units the kernel runs on; the bottleneck; arithmetic intensity;
// achieved fraction of peak; energy.
// The formulas and their sources are in docs/roofline.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/config/device_config.h"

namespace tessera::roofline {

using config::DeviceConfig;
using config::Dtype;

enum class OpType : std::uint8_t {
  kGemm,
  kBatchedGemm,
  kConv2d,
  kAttentionFused,    // one kernel (FlashAttention-style tiling)
  kAttentionUnfused,  // scores GEMM, softmax, context GEMM: three kernels
  kElementwise,
  kReduction,
  kSoftmax,
  kLayerNorm,
  kEmbedding,
};

const char* op_type_name(OpType type);  // "gemm", "attention_fused", ...

struct ConvShape {
  std::uint64_t batch = 1, in_channels = 1, height = 1, width = 1;
  std::uint64_t out_channels = 1, kernel_h = 1, kernel_w = 1, stride = 1, pad = 0;
  std::uint64_t out_height() const { return (height + 2 * pad - kernel_h) / stride + 1; }
  std::uint64_t out_width() const { return (width + 2 * pad - kernel_w) / stride + 1; }
};

struct AttentionShape {
  std::uint64_t batch = 1, heads = 1, seq_q = 1, seq_kv = 1, head_dim = 64;
};

// What to estimate. Build with the named constructors below.
struct OpSpec {
  OpType type = OpType::kGemm;
  Dtype dtype = Dtype::kFp16;
  std::string name;
  // gemm / batched gemm: batch x (m x k) * (k x n).
  // elementwise: m = elements, k = input operands, n = outputs (1; 0 for a
  // reduction to a scalar such as a dot product).
  // reduction / softmax / layernorm: m = rows, n = row length.
  // embedding: m = tokens, n = hidden size, k = vocabulary size.
  std::uint64_t batch = 1, m = 0, n = 0, k = 0;
  ConvShape conv;
  AttentionShape attn;
  // Overrides for trace-driven estimates (0 = derive from the shape).
  std::uint64_t flops_override = 0;
  Bytes compulsory_bytes_override = 0;
  // Compute units (cores, SMs) the kernel runs on; 0 = all of the device's.
  // A BLAS runs small calls on one thread (see restrict_to_units).
  std::uint64_t units = 0;
  // The output overwrites an input (saxpy's y): on a write-allocate device the
  // written lines were just read, so no read-for-ownership is added.
  bool in_place = false;

  static OpSpec gemm(std::uint64_t m, std::uint64_t n, std::uint64_t k, Dtype dtype);
  static OpSpec batched_gemm(std::uint64_t batch, std::uint64_t m, std::uint64_t n, std::uint64_t k,
                             Dtype dtype);
  static OpSpec conv2d(const ConvShape& shape, Dtype dtype);
  static OpSpec attention(const AttentionShape& shape, bool fused, Dtype dtype);
  static OpSpec elementwise(std::uint64_t elements, std::uint64_t inputs, Dtype dtype);
  static OpSpec reduction(std::uint64_t rows, std::uint64_t cols, Dtype dtype);
  static OpSpec softmax(std::uint64_t rows, std::uint64_t cols, Dtype dtype);
  static OpSpec layernorm(std::uint64_t rows, std::uint64_t cols, Dtype dtype);
  static OpSpec embedding(std::uint64_t tokens, std::uint64_t hidden, std::uint64_t vocab,
                          Dtype dtype);
};

// Bytes served by one memory level and the time that takes.
struct LevelTraffic {
  std::string name;  // cache level name, or "dram"
  double bytes = 0;
  double time_s = 0;
  double energy_j = 0;
};

struct Estimate {
  std::string op;  // op name or type
  OpType type = OpType::kGemm;
  Dtype dtype = Dtype::kFp16;
  double flops = 0;
  double compulsory_bytes = 0;       // every operand read once, the result written once
  double dram_bytes = 0;             // bytes served by DRAM under tiling
  std::vector<LevelTraffic> levels;  // innermost cache first, DRAM last
  double ideal_compute_s = 0;        // flops / peak: no quantization
  double compute_s = 0;              // with tile and wave quantization
  double memory_s = 0;               // slowest level
  double launch_s = 0;
  double pack_bytes = 0;  // operand packing copies (devices whose GEMM packs)
  double pack_s = 0;      // including the per-run latency
  double pack_runs = 0;   // contiguous runs the packing reads (0 unless the device knows kc)
  double pack_run_s = 0;  // the part of pack_s the runs' latency adds
  double rfo_bytes = 0;   // read-for-ownership bytes at DRAM (write-allocate devices)
  double beta_bytes = 0;  // the library's separate pass over C (gemm.beta_pass)
  double beta_s = 0;
  double micro_tiles = 0;  // kernel-driver micro-tiles (devices with a tile overhead)
  double tile_overhead_s = 0;
  double time_s = 0;        // max(compute, memory) + pack + beta pass + launch, summed over kernels
  std::uint64_t units = 0;  // compute units the estimate assumed
  int kernels = 1;
  std::uint64_t tile_m = 0, tile_n = 0;  // chosen tile (0 for non-tiled ops)
  std::uint64_t tiles = 0, waves = 0;
  double quantization_efficiency = 1;  // useful / issued work
  bool compute_bound = true;
  std::string bound_level;          // "compute", or the level that limits
  double arithmetic_intensity = 0;  // flops / dram byte
  double achieved_fraction = 0;     // flops / (time * peak)
  double compute_energy_j = 0;
  double memory_energy_j = 0;
  double energy_j = 0;

  const char* bottleneck() const { return compute_bound ? "compute" : "memory"; }
  double time_ms() const { return time_s * 1e3; }
};

// Throws InputError when the device does not support the dtype or the shape
// is empty.
Estimate estimate(const OpSpec& op, const DeviceConfig& device);

// The part of `device` a kernel on `units` compute units (0 = all) can use:
// the peaks and the per-unit caches' bandwidth scale with units /
// compute_units; shared caches keep theirs; DRAM gives min(bandwidth, units x
// bandwidth_per_unit) when the device knows its per-unit bandwidth (one unit
// is not limited to its share: one core of this machine draws about half of
// its STREAM bandwidth), the whole bandwidth otherwise. The read-only
// bandwidth likewise, with read_bandwidth_per_unit.
DeviceConfig restrict_to_units(const DeviceConfig& device, std::uint64_t units);

// DRAM bandwidth for a kernel moving `dram_bytes` of which `written_bytes`
// are write-backs: the device's read-only stream bandwidth for a kernel that
// writes nothing (sdot, GEMV, reductions), its triad bandwidth for one whose
// write-back share is the triad's (8 of 32 B with write-allocate) or more,
// linear in the share in between. Without a read-only figure: the triad's.
double dram_bandwidth(const DeviceConfig& device, double dram_bytes, double written_bytes);

// DRAM bandwidth of a streaming kernel (elementwise, reduction, softmax,
// layernorm, embedding) moving `dram_bytes` of which `written_bytes` are
// write-backs, on a device with a read-only figure: its reads and line fills
// stream at the read-only bandwidth and the write-backs overlap them, so the
// time is (dram_bytes - written_bytes) / read bandwidth (saxpy: 8 of its
// 12 B per element take time). Without a read-only figure: dram_bandwidth.
// GEMMs, their packing and the pass over C keep dram_bandwidth.
double dram_stream_bandwidth(const DeviceConfig& device, double dram_bytes, double written_bytes);

// Bytes a packing GEMM library copies before its kernel: every element of A
// and B read once and written once into contiguous panels (Goto and van de
// Geijn, ACM TOMS 2008, sec. 5; Van Zee and van de Geijn, BLIS, TOMS 2015).
double gemm_pack_bytes(double batch, double m, double n, double k, double elem_bytes);

// Contiguous runs a GotoBLAS-style library reads while packing a row-major
// C[m x n] = A[m x k] B[k x n]: every row of A in pieces of at most kc
// elements, every row of B in pieces of at most mc (its M blocking on the
// transposed problem). 0 for an unknown block size (0).
double gemm_pack_runs(double batch, double m, double n, double k, double kc, double mc);

// Bytes the library's own pass over C moves before the kernel (beta != 1,
// OpenBLAS level3.c): C stored once, and filled first on a write-allocate
// device.
double gemm_beta_bytes(double batch, double m, double n, double elem_bytes, bool write_allocate);

// Micro-tiles the kernel driver visits: ceil(m / tm) x ceil(n / tn) per kc
// block of K.
double gemm_micro_tiles(double batch, double m, double n, double k, double tm, double tn,
                        double kc);

// The strict lower bound any implementation (or cycle-level simulation) of
// the operator must respect: max(flops / peak, compulsory bytes / DRAM
// bandwidth), without launch overhead, quantization or tiling losses.
Picoseconds lower_bound_ps(const Estimate& e, const DeviceConfig& device);
// True when a simulated time beats that bound: a bug in the simulator.
bool below_bound(Picoseconds simulated_ps, const Estimate& e, const DeviceConfig& device);

// Minimum traffic (in elements) for C[m x n] = A[m x k] * B[k x n] through a
// fast memory holding `capacity_elements`, with square tiles of side
// floor(sqrt(capacity / 3)) (Hong & Kung 1981): A is read once per column
// block of C, B once per row block, C written once. Never below the
// compulsory m*k + k*n + m*n.
double gemm_traffic_elements(double m, double n, double k, double capacity_elements);
// The same with a fixed output tile tm x tn (register / tile level reuse).
double gemm_tile_traffic_elements(double m, double n, double k, double tm, double tn);

}  // namespace tessera::roofline

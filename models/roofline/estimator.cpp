#include "models/roofline/estimator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/core/error.h"

namespace tessera::roofline {
namespace {

double ceil_div(double a, double b) {
  return std::ceil(a / b);
}

// Capacity (bytes) that filters the traffic reaching level `i` (0 = innermost
// cache, caches.size() = DRAM): the level just inside it. Level 0 sits right
// behind the compute units, so its traffic is set by the tile shape (< 0).
double inner_capacity_bytes(const DeviceConfig& d, std::size_t level) {
  if (level == 0) return -1;
  return static_cast<double>(d.caches[level - 1].size_bytes);
}

struct LevelSpec {
  std::string name;
  double bandwidth = 0;
  double energy_pj_per_byte = 0;
};

std::vector<LevelSpec> level_specs(const DeviceConfig& d) {
  std::vector<LevelSpec> out;
  for (const auto& c : d.caches)
    out.push_back({c.name, c.bandwidth_bytes_per_s, c.energy_pj_per_byte});
  out.push_back({"dram", d.memory_bandwidth_bytes_per_s, d.memory_energy_pj_per_byte});
  return out;
}

// A single kernel reduced to what the roofline needs, for one tile choice.
struct KernelCost {
  double flops = 0;
  double compulsory_bytes = 0;
  std::vector<double> level_bytes;  // per level, innermost first, DRAM last
  double compute_s = 0;
  double ideal_compute_s = 0;
  std::uint64_t tile_m = 0, tile_n = 0, tiles = 0, waves = 0;
  double quantization_efficiency = 1;
  double pack_bytes = 0, pack_s = 0, pack_energy_j = 0;
  double pack_runs = 0, pack_run_s = 0;
  double rfo_bytes = 0;           // read-for-ownership at DRAM (write-allocate devices)
  double dram_written_bytes = 0;  // outputs written back to DRAM (sets its bandwidth)
  bool streaming = false;         // a level-1-style stream: dram_stream_bandwidth
  double micro_tiles = 0, tile_overhead_s = 0;
  double beta_bytes = 0, beta_s = 0, beta_energy_j = 0;
  std::string pack_level;  // where the packing copy reads from
};

double matrix_peak(const DeviceConfig& d, Dtype dt) {
  const double p = d.peak(dt);
  if (p <= 0) {
    throw InputError(fmt::format("device '{}' does not support dtype {} (its peak for {} is 0)",
                                 d.name, config::dtype_name(dt), config::dtype_name(dt)));
  }
  return p;
}

double vector_peak(const DeviceConfig& d, Dtype dt) {
  if (d.vector_flops_per_s > 0) return d.vector_flops_per_s;
  return matrix_peak(d, dt);
}

// ---- GEMM-like kernels (gemm, batched gemm, conv2d, fused attention) ------

struct GemmView {
  double batch = 1, m = 0, n = 0, k = 0;
  double elem_bytes = 2;
  double compulsory_bytes = 0;  // true compulsory (conv: input, not im2col)
  bool attention = false;       // fused attention: m = seq_q, n = seq_kv, k = head_dim
};

double gemm_level_bytes(const GemmView& g, double capacity_bytes, const config::TileShape& t) {
  const double eb = g.elem_bytes;
  if (g.attention) {
    // FlashAttention (Dao et al. 2022, Alg. 1 / Thm. 2): Q, O once; K and V
    // re-read once per block of Br query rows that fits in fast memory.
    const double d = g.k;
    double br =
        capacity_bytes < 0 ? static_cast<double>(t.m) : std::floor(capacity_bytes / (4.0 * d * eb));
    br = std::clamp(br, 1.0, g.m);
    return g.batch * eb * (2.0 * g.m * d + 2.0 * g.n * d * ceil_div(g.m, br));
  }
  const double naive = g.m * g.k + g.k * g.n + g.m * g.n;
  const double elems = capacity_bytes < 0
                           ? gemm_tile_traffic_elements(g.m, g.n, g.k, t.m, t.n)
                           : gemm_traffic_elements(g.m, g.n, g.k, capacity_bytes / eb);
  // Re-reads caused by limited capacity come on top of the true compulsory
  // traffic (for conv2d the input is smaller than its im2col matrix).
  return g.compulsory_bytes + g.batch * eb * (elems - naive);
}

// The packing copy streams from the innermost level that holds both
// operands (a per-unit level holds units x its size), from DRAM when none does.
LevelSpec pack_source(const DeviceConfig& d, double operand_bytes) {
  for (const auto& c : d.caches) {
    const double capacity = static_cast<double>(c.size_bytes) *
                            (c.per_unit ? static_cast<double>(d.compute_units) : 1.0);
    if (operand_bytes <= capacity && c.bandwidth_bytes_per_s > 0) {
      return {c.name, c.bandwidth_bytes_per_s, c.energy_pj_per_byte};
    }
  }
  return {"dram", d.memory_bandwidth_bytes_per_s, d.memory_energy_pj_per_byte};
}

KernelCost gemm_cost(const GemmView& g, const DeviceConfig& d, Dtype dt,
                     const config::TileShape& t) {
  KernelCost c;
  const double peak = matrix_peak(d, dt);
  c.flops = g.attention ? 4.0 * g.batch * g.m * g.n * g.k : 2.0 * g.batch * g.m * g.n * g.k;
  c.compulsory_bytes = g.compulsory_bytes;
  const std::size_t levels = d.caches.size() + 1;
  // On a write-allocate device C's lines are read before they are written
  // (beta = 0 does not spare the fill): once more its bytes at every level.
  if (d.write_allocate && !g.attention) c.rfo_bytes = g.batch * g.m * g.n * g.elem_bytes;
  // C (fused attention: O, seq_q x head_dim) is written back once.
  c.dram_written_bytes = g.batch * g.m * (g.attention ? g.k : g.n) * g.elem_bytes;
  for (std::size_t i = 0; i < levels; ++i) {
    double cap = inner_capacity_bytes(d, i);
    c.level_bytes.push_back(std::max(g.compulsory_bytes, gemm_level_bytes(g, cap, t)) +
                            c.rfo_bytes);
  }
  // Tile and wave quantization (NVIDIA, "Matrix Multiplication Background
  // User's Guide"): every unit computes whole tiles; the last wave may run
  // with idle units and edge tiles carry padding.
  const double tm = static_cast<double>(t.m), tn = static_cast<double>(t.n);
  const double tiles =
      g.attention ? g.batch * ceil_div(g.m, tm) : g.batch * ceil_div(g.m, tm) * ceil_div(g.n, tn);
  const double units = static_cast<double>(d.compute_units);
  const double waves = std::ceil(tiles / units);
  const double tile_flops = g.attention ? 4.0 * tm * g.n * g.k : 2.0 * tm * tn * g.k;
  double issued = waves * units * tile_flops;
  c.ideal_compute_s = c.flops / peak;
  // The inner kernel sustains only part of the peak (a calibrated figure on
  // CPUs; 1 for the datasheet devices).
  c.compute_s = issued / (peak * d.gemm.efficiency);
  // A CPU BLAS sends a matrix-vector product to its GEMV kernel, a streaming
  // loop: no GEMM micro-tiles to pad (a 4 x 8 tile would issue 8x the FLOPs of
  // y = A x) and not the GEMM kernel's efficiency: the vector peak.
  const bool gemv = d.gemm.packs_operands && !g.attention && (g.m == 1 || g.n == 1);
  if (gemv) {
    issued = c.flops;
    c.compute_s = c.flops / vector_peak(d, dt);
  }
  // A matrix-vector product (m or n = 1) goes to GEMV, which streams A once
  // and packs nothing.
  if (d.gemm.packs_operands && !g.attention && g.m > 1 && g.n > 1) {
    // GotoBLAS / BLIS pack A and B before the kernel runs, serially with it.
    // For skinny shapes (one small dimension) this copy, not the FMAs, sets the time.
    const LevelSpec source = pack_source(d, g.batch * g.elem_bytes * (g.m * g.k + g.k * g.n));
    c.pack_bytes = gemm_pack_bytes(g.batch, g.m, g.n, g.k, g.elem_bytes);
    c.pack_s = c.pack_bytes / source.bandwidth;
    c.pack_energy_j = c.pack_bytes * source.energy_pj_per_byte * 1e-12;
    c.pack_level = source.name;
    // Runs streamed from DRAM each restart the prefetcher: a measured latency
    // per run on top of the bytes (it dominates short runs: 8192 x 8 x 8192
    // reads A in 26 pieces per row). Each unit packs its own share.
    if (source.name == "dram" && d.gemm.pack_run_latency_ps > 0) {
      c.pack_runs = gemm_pack_runs(g.batch, g.m, g.n, g.k, static_cast<double>(d.gemm.pack_block_k),
                                   static_cast<double>(d.gemm.pack_block_m));
      c.pack_run_s = c.pack_runs * static_cast<double>(d.gemm.pack_run_latency_ps) * 1e-12 /
                     static_cast<double>(d.compute_units);
      c.pack_s += c.pack_run_s;
    }
  }
  // The library's own pass scaling C by beta (zeroing it for beta = 0) before
  // the kernel: a store stream over C from the innermost level that holds it.
  if (d.gemm.beta_pass && !g.attention && !gemv) {
    const double c_bytes = g.batch * g.m * g.n * g.elem_bytes;
    c.beta_bytes = gemm_beta_bytes(g.batch, g.m, g.n, g.elem_bytes, d.write_allocate);
    const LevelSpec source = pack_source(d, c_bytes);
    // It writes all it moves: at DRAM the triad's bandwidth (dram_bandwidth).
    const double bw =
        source.name == "dram" ? dram_bandwidth(d, c.beta_bytes, c_bytes) : source.bandwidth;
    c.beta_s = c.beta_bytes / bw;
    c.beta_energy_j = c.beta_bytes * source.energy_pj_per_byte * 1e-12;
  }
  // A fixed cost per micro-tile of the library's kernel driver (loop set-up,
  // edge handling): what sets the time of tiny shapes. Spread over the units.
  if (d.gemm.tile_overhead_ps > 0 && !g.attention && !gemv) {
    c.micro_tiles =
        gemm_micro_tiles(g.batch, g.m, g.n, g.k, static_cast<double>(t.m), static_cast<double>(t.n),
                         static_cast<double>(d.gemm.pack_block_k));
    c.tile_overhead_s = c.micro_tiles * static_cast<double>(d.gemm.tile_overhead_ps) * 1e-12 /
                        static_cast<double>(d.compute_units);
  }
  c.tile_m = t.m;
  c.tile_n = g.attention ? 0 : t.n;
  c.tiles = static_cast<std::uint64_t>(tiles);
  c.waves = static_cast<std::uint64_t>(waves);
  c.quantization_efficiency = issued > 0 ? c.flops / issued : 1;
  return c;
}

// ---- streaming kernels (elementwise, reduction, softmax, layernorm, embedding)

struct StreamView {
  double flops = 0;
  double compulsory_bytes = 0;
  // Rows that must be read `passes_if_spilled` times when a row does not fit
  // in the level's inner neighbour (softmax: max, sum, normalise).
  double row_bytes = 0;
  double read_bytes = 0;  // the part of compulsory re-read on a spill
  double passes_if_spilled = 1;
  double write_bytes = 0;   // output bytes written to lines not read before
  double stored_bytes = 0;  // every output byte written (in place or not)
};

KernelCost stream_cost(const StreamView& s, const DeviceConfig& d, Dtype dt) {
  KernelCost c;
  c.flops = s.flops;
  c.compulsory_bytes = s.compulsory_bytes;
  // Write-allocate: each written line is filled first (its write-back is in
  // compulsory already). STREAM's triad moves 32 B per element this way.
  if (d.write_allocate) c.rfo_bytes = s.write_bytes;
  c.dram_written_bytes = s.stored_bytes;
  c.streaming = true;
  const std::size_t levels = d.caches.size() + 1;
  for (std::size_t i = 0; i < levels; ++i) {
    const double cap = inner_capacity_bytes(d, i);
    const bool fits = cap >= s.row_bytes && cap > 0;
    const double extra = fits ? 0.0 : (s.passes_if_spilled - 1) * s.read_bytes;
    c.level_bytes.push_back(s.compulsory_bytes + extra + c.rfo_bytes);
  }
  c.ideal_compute_s = s.flops > 0 ? s.flops / vector_peak(d, dt) : 0;
  c.compute_s = c.ideal_compute_s;
  return c;
}

// The bandwidth level `i` serves kernel `k` at: DRAM (the last level) by the
// kernel's share of write-backs (dram_bandwidth), the caches as measured.
double level_bandwidth(const DeviceConfig& d, const std::vector<LevelSpec>& specs, std::size_t i,
                       const KernelCost& k) {
  if (i + 1 < specs.size()) return specs[i].bandwidth;
  return k.streaming ? dram_stream_bandwidth(d, k.level_bytes[i], k.dram_written_bytes)
                     : dram_bandwidth(d, k.level_bytes[i], k.dram_written_bytes);
}

Estimate finish(const OpSpec& op, const DeviceConfig& d, const std::vector<KernelCost>& kernels) {
  const auto specs = level_specs(d);
  Estimate e;
  e.op = op.name.empty() ? op_type_name(op.type) : op.name;
  e.type = op.type;
  e.dtype = op.dtype;
  e.kernels = static_cast<int>(kernels.size());
  e.units = d.compute_units;
  e.levels.resize(specs.size());
  for (std::size_t i = 0; i < specs.size(); ++i) e.levels[i].name = specs[i].name;
  double issued_total = 0, pack_energy_j = 0;
  std::string pack_level;
  for (const KernelCost& k : kernels) {
    if (!k.pack_level.empty()) pack_level = k.pack_level;
    e.flops += k.flops;
    e.compulsory_bytes += k.compulsory_bytes;
    e.ideal_compute_s += k.ideal_compute_s;
    e.compute_s += k.compute_s;
    double slowest = 0;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const double bw = level_bandwidth(d, specs, i, k);
      const double t = bw > 0 ? k.level_bytes[i] / bw : 0.0;
      e.levels[i].bytes += k.level_bytes[i];
      e.levels[i].time_s += t;
      slowest = std::max(slowest, t);
    }
    e.memory_s += slowest;
    e.launch_s += static_cast<double>(d.launch_overhead_ps) * 1e-12;
    e.pack_bytes += k.pack_bytes;
    e.pack_s += k.pack_s;
    e.pack_runs += k.pack_runs;
    e.pack_run_s += k.pack_run_s;
    e.rfo_bytes += k.rfo_bytes;
    e.micro_tiles += k.micro_tiles;
    e.tile_overhead_s += k.tile_overhead_s;
    e.beta_bytes += k.beta_bytes;
    e.beta_s += k.beta_s;
    pack_energy_j += k.pack_energy_j + k.beta_energy_j;
    e.time_s += std::max(k.compute_s, slowest) + k.pack_s + k.tile_overhead_s + k.beta_s +
                static_cast<double>(d.launch_overhead_ps) * 1e-12;
    if (k.tiles > 0) {
      e.tile_m = k.tile_m;
      e.tile_n = k.tile_n;
      e.tiles += k.tiles;
      e.waves += k.waves;
      issued_total += k.flops / k.quantization_efficiency;
    } else {
      issued_total += k.flops;
    }
  }
  e.quantization_efficiency = issued_total > 0 ? e.flops / issued_total : 1;
  e.dram_bytes = e.levels.back().bytes;
  std::size_t worst = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (e.levels[i].time_s > e.levels[worst].time_s) worst = i;
  }
  // Packing is memory traffic too: a kernel whose copies outlast its FMAs is
  // memory-bound, on the level the copies stream from.
  const double level_time = e.levels[worst].time_s;
  e.compute_bound = e.compute_s >= std::max(level_time, e.pack_s);
  e.bound_level = e.compute_bound          ? "compute"
                  : level_time >= e.pack_s ? e.levels[worst].name
                                           : pack_level;
  e.arithmetic_intensity = e.dram_bytes > 0 ? e.flops / e.dram_bytes : 0;
  const double peak = op.type == OpType::kGemm || op.type == OpType::kBatchedGemm ||
                              op.type == OpType::kConv2d || op.type == OpType::kAttentionFused ||
                              op.type == OpType::kAttentionUnfused
                          ? matrix_peak(d, op.dtype)
                          : vector_peak(d, op.dtype);
  e.achieved_fraction = e.time_s > 0 ? e.flops / (e.time_s * peak) : 0;
  e.compute_energy_j = e.flops * d.energy_pj_per_flop[static_cast<int>(op.dtype)] * 1e-12;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    e.levels[i].energy_j = e.levels[i].bytes * specs[i].energy_pj_per_byte * 1e-12;
    e.memory_energy_j += e.levels[i].energy_j;
  }
  e.memory_energy_j += pack_energy_j;
  e.energy_j = e.compute_energy_j + e.memory_energy_j;
  return e;
}

// Picks the device tile that minimises the kernel's time (as a BLAS library's
// heuristic picks among its kernels).
KernelCost best_gemm(const GemmView& g, const DeviceConfig& d, Dtype dt) {
  const auto specs = level_specs(d);
  KernelCost best;
  double best_time = -1;
  for (const auto& t : d.tiles) {
    KernelCost c = gemm_cost(g, d, dt, t);
    double time = c.compute_s + c.pack_s + c.tile_overhead_s + c.beta_s;
    for (std::size_t i = 0; i < specs.size(); ++i) {
      const double bw = level_bandwidth(d, specs, i, c);
      if (bw > 0) time = std::max(time, c.level_bytes[i] / bw);
    }
    if (best_time < 0 || time < best_time) {
      best_time = time;
      best = c;
    }
  }
  return best;
}

GemmView gemm_view(double batch, double m, double n, double k, double eb) {
  GemmView g;
  g.batch = batch;
  g.m = m;
  g.n = n;
  g.k = k;
  g.elem_bytes = eb;
  g.compulsory_bytes = batch * eb * (m * k + k * n + m * n);
  return g;
}

void require_positive(const OpSpec& op, std::initializer_list<std::uint64_t> dims) {
  for (std::uint64_t v : dims) {
    if (v == 0) {
      throw InputError(fmt::format("operator {}: every dimension must be at least 1, found 0",
                                   op.name.empty() ? op_type_name(op.type) : op.name));
    }
  }
}

StreamView row_stream(double rows, double cols, double eb, double flops_per_elem,
                      double extra_bytes, double passes) {
  StreamView s;
  s.flops = flops_per_elem * rows * cols;
  s.compulsory_bytes = 2.0 * rows * cols * eb + extra_bytes;
  s.row_bytes = cols * eb;
  s.read_bytes = rows * cols * eb;
  s.passes_if_spilled = passes;
  s.write_bytes = rows * cols * eb;
  s.stored_bytes = s.write_bytes;
  return s;
}

}  // namespace

const char* op_type_name(OpType type) {
  switch (type) {
    case OpType::kGemm:
      return "gemm";
    case OpType::kBatchedGemm:
      return "batched_gemm";
    case OpType::kConv2d:
      return "conv2d";
    case OpType::kAttentionFused:
      return "attention_fused";
    case OpType::kAttentionUnfused:
      return "attention_unfused";
    case OpType::kElementwise:
      return "elementwise";
    case OpType::kReduction:
      return "reduction";
    case OpType::kSoftmax:
      return "softmax";
    case OpType::kLayerNorm:
      return "layernorm";
    case OpType::kEmbedding:
      return "embedding";
  }
  return "?";
}

double gemm_pack_bytes(double batch, double m, double n, double k, double elem_bytes) {
  return 2.0 * batch * elem_bytes * (m * k + k * n);
}

double gemm_pack_runs(double batch, double m, double n, double k, double kc, double mc) {
  // Row-major C = A B is the column-major C^T = B^T A^T: the library's packed
  // "B" panel is A, read row by row in kc pieces; its packed "A" block is B,
  // read row by row in mc pieces (OpenBLAS driver/level3/level3.c).
  double runs = 0;
  if (kc > 0) runs += m * std::ceil(k / kc);
  if (mc > 0) runs += k * std::ceil(n / mc);
  return batch * runs;
}

double gemm_beta_bytes(double batch, double m, double n, double elem_bytes, bool write_allocate) {
  return (write_allocate ? 2.0 : 1.0) * batch * m * n * elem_bytes;
}

double gemm_micro_tiles(double batch, double m, double n, double k, double tm, double tn,
                        double kc) {
  const double k_blocks = kc > 0 ? std::ceil(k / kc) : 1.0;
  return batch * std::ceil(m / tm) * std::ceil(n / tn) * k_blocks;
}

double dram_bandwidth(const DeviceConfig& d, double dram_bytes, double written_bytes) {
  const double triad = d.memory_bandwidth_bytes_per_s;
  const double read = d.memory_read_bandwidth_bytes_per_s;
  if (read <= 0 || dram_bytes <= 0) return triad;
  // The triad's write-backs are 8 of the 32 B it moves per element with
  // write-allocate (8 of 24 without): a kernel writing that share or more
  // runs at the triad's bandwidth, one writing nothing at the read-only
  // stream's, linearly in between (both ends measured, nothing fitted).
  const double triad_share = d.write_allocate ? 8.0 / 32.0 : 8.0 / 24.0;
  const double share = std::clamp(written_bytes / dram_bytes / triad_share, 0.0, 1.0);
  return read + (triad - read) * share;
}

double dram_stream_bandwidth(const DeviceConfig& d, double dram_bytes, double written_bytes) {
  const double read = d.memory_read_bandwidth_bytes_per_s;
  if (read <= 0 || dram_bytes <= 0) return dram_bandwidth(d, dram_bytes, written_bytes);
  // Measured on one core here, rounds of sdot, saxpy, scopy and the
  // read-only probe run back to back over 48 Mi and 64 Mi elements
  // (docs/roofline.md, "Read-only streams"): OpenBLAS's level-1 kernels move
  // their reads and line fills at the read-only stream's rate and their
  // write-backs add no time (saxpy at 0.84-1.07 and scopy at 0.79-1.16 of
  // that prediction over 14 rounds, against 1.14-1.44 of the triad's rate
  // that dram_bandwidth gives them). The triad probe itself runs 0.75-0.94 of
  // this rule, which is why GEMMs keep dram_bandwidth.
  const double read_bytes = dram_bytes - written_bytes;
  if (read_bytes <= 0) return dram_bandwidth(d, dram_bytes, written_bytes);
  return read * dram_bytes / read_bytes;
}

DeviceConfig restrict_to_units(const DeviceConfig& device, std::uint64_t units) {
  if (units == 0 || units >= device.compute_units) return device;
  DeviceConfig d = device;
  const double share = static_cast<double>(units) / static_cast<double>(device.compute_units);
  d.compute_units = units;
  for (double& p : d.peak_flops_per_s) p *= share;
  d.vector_flops_per_s *= share;
  // A per-unit level (L1, L2 of a core) has one instance per unit. A shared
  // level keeps its bandwidth: what one unit draws from it is not known, and
  // it is usually far more than its share (as for DRAM).
  for (auto& c : d.caches) {
    if (c.per_unit) c.bandwidth_bytes_per_s *= share;
  }
  if (device.memory_bandwidth_per_unit_bytes_per_s > 0) {
    d.memory_bandwidth_bytes_per_s =
        std::min(device.memory_bandwidth_bytes_per_s,
                 static_cast<double>(units) * device.memory_bandwidth_per_unit_bytes_per_s);
  }
  if (device.memory_read_bandwidth_per_unit_bytes_per_s > 0 &&
      device.memory_read_bandwidth_bytes_per_s > 0) {
    d.memory_read_bandwidth_bytes_per_s =
        std::min(device.memory_read_bandwidth_bytes_per_s,
                 static_cast<double>(units) * device.memory_read_bandwidth_per_unit_bytes_per_s);
  }
  return d;
}

double gemm_traffic_elements(double m, double n, double k, double capacity_elements) {
  const double naive = m * k + k * n + m * n;
  if (naive <= capacity_elements) return naive;
  const double side = std::max(1.0, std::floor(std::sqrt(capacity_elements / 3.0)));
  return std::max(naive, gemm_tile_traffic_elements(m, n, k, side, side));
}

double gemm_tile_traffic_elements(double m, double n, double k, double tm, double tn) {
  return m * k * std::ceil(n / tn) + k * n * std::ceil(m / tm) + m * n;
}

OpSpec OpSpec::gemm(std::uint64_t m, std::uint64_t n, std::uint64_t k, Dtype dtype) {
  OpSpec op = batched_gemm(1, m, n, k, dtype);
  op.type = OpType::kGemm;
  return op;
}

OpSpec OpSpec::batched_gemm(std::uint64_t batch, std::uint64_t m, std::uint64_t n, std::uint64_t k,
                            Dtype dtype) {
  OpSpec op;
  op.type = OpType::kBatchedGemm;
  op.dtype = dtype;
  op.batch = batch;
  op.m = m;
  op.n = n;
  op.k = k;
  return op;
}

OpSpec OpSpec::conv2d(const ConvShape& shape, Dtype dtype) {
  OpSpec op;
  op.type = OpType::kConv2d;
  op.dtype = dtype;
  op.conv = shape;
  return op;
}

OpSpec OpSpec::attention(const AttentionShape& shape, bool fused, Dtype dtype) {
  OpSpec op;
  op.type = fused ? OpType::kAttentionFused : OpType::kAttentionUnfused;
  op.dtype = dtype;
  op.attn = shape;
  return op;
}

OpSpec OpSpec::elementwise(std::uint64_t elements, std::uint64_t inputs, Dtype dtype) {
  OpSpec op;
  op.type = OpType::kElementwise;
  op.dtype = dtype;
  op.m = elements;
  op.n = 1;
  op.k = inputs;
  return op;
}

namespace {
OpSpec rows_op(OpType type, std::uint64_t rows, std::uint64_t cols, Dtype dtype) {
  OpSpec op;
  op.type = type;
  op.dtype = dtype;
  op.m = rows;
  op.n = cols;
  op.k = 1;
  return op;
}
}  // namespace

OpSpec OpSpec::reduction(std::uint64_t rows, std::uint64_t cols, Dtype dtype) {
  return rows_op(OpType::kReduction, rows, cols, dtype);
}
OpSpec OpSpec::softmax(std::uint64_t rows, std::uint64_t cols, Dtype dtype) {
  return rows_op(OpType::kSoftmax, rows, cols, dtype);
}
OpSpec OpSpec::layernorm(std::uint64_t rows, std::uint64_t cols, Dtype dtype) {
  return rows_op(OpType::kLayerNorm, rows, cols, dtype);
}

OpSpec OpSpec::embedding(std::uint64_t tokens, std::uint64_t hidden, std::uint64_t vocab,
                         Dtype dtype) {
  OpSpec op;
  op.type = OpType::kEmbedding;
  op.dtype = dtype;
  op.m = tokens;
  op.n = hidden;
  op.k = vocab;
  return op;
}

Estimate estimate(const OpSpec& op, const DeviceConfig& device) {
  const DeviceConfig d = restrict_to_units(device, op.units);
  const double eb = config::dtype_bytes(op.dtype);
  const auto m = static_cast<double>(op.m), n = static_cast<double>(op.n),
             k = static_cast<double>(op.k), b = static_cast<double>(op.batch);
  std::vector<KernelCost> kernels;
  // Non-matrix operators still need the dtype to exist on the device.
  matrix_peak(d, op.dtype);
  switch (op.type) {
    case OpType::kGemm:
    case OpType::kBatchedGemm: {
      require_positive(op, {op.batch, op.m, op.n, op.k});
      GemmView g = gemm_view(b, m, n, k, eb);
      if (op.compulsory_bytes_override > 0) {
        g.compulsory_bytes = static_cast<double>(op.compulsory_bytes_override);
      }
      kernels.push_back(best_gemm(g, d, op.dtype));
      break;
    }
    case OpType::kConv2d: {
      const ConvShape& c = op.conv;
      require_positive(op, {c.batch, c.in_channels, c.height, c.width, c.out_channels, c.kernel_h,
                            c.kernel_w, c.stride});
      if (c.height + 2 * c.pad < c.kernel_h || c.width + 2 * c.pad < c.kernel_w) {
        throw InputError(fmt::format("operator {}: kernel {}x{} larger than the padded input {}x{}",
                                     op.name.empty() ? "conv2d" : op.name, c.kernel_h, c.kernel_w,
                                     c.height + 2 * c.pad, c.width + 2 * c.pad));
      }
      // Implicit GEMM: M = N*P*Q output pixels, N = output channels, K = C*R*S.
      const double p = static_cast<double>(c.out_height()), q = static_cast<double>(c.out_width());
      GemmView g =
          gemm_view(1, static_cast<double>(c.batch) * p * q, static_cast<double>(c.out_channels),
                    static_cast<double>(c.in_channels * c.kernel_h * c.kernel_w), eb);
      g.compulsory_bytes =
          eb * (static_cast<double>(c.batch * c.in_channels * c.height * c.width) +
                static_cast<double>(c.out_channels * c.in_channels * c.kernel_h * c.kernel_w) +
                static_cast<double>(c.batch * c.out_channels) * p * q);
      kernels.push_back(best_gemm(g, d, op.dtype));
      break;
    }
    case OpType::kAttentionFused: {
      const AttentionShape& a = op.attn;
      require_positive(op, {a.batch, a.heads, a.seq_q, a.seq_kv, a.head_dim});
      GemmView g;
      g.attention = true;
      g.batch = static_cast<double>(a.batch * a.heads);
      g.m = static_cast<double>(a.seq_q);
      g.n = static_cast<double>(a.seq_kv);
      g.k = static_cast<double>(a.head_dim);
      g.elem_bytes = eb;
      // Q and O: seq_q x d; K and V: seq_kv x d.
      g.compulsory_bytes = g.batch * eb * (2.0 * g.m * g.k + 2.0 * g.n * g.k);
      kernels.push_back(best_gemm(g, d, op.dtype));
      break;
    }
    case OpType::kAttentionUnfused: {
      const AttentionShape& a = op.attn;
      require_positive(op, {a.batch, a.heads, a.seq_q, a.seq_kv, a.head_dim});
      const double bh = static_cast<double>(a.batch * a.heads);
      const double sq = static_cast<double>(a.seq_q), skv = static_cast<double>(a.seq_kv),
                   hd = static_cast<double>(a.head_dim);
      kernels.push_back(best_gemm(gemm_view(bh, sq, skv, hd, eb), d, op.dtype));  // Q K^T
      kernels.push_back(stream_cost(row_stream(bh * sq, skv, eb, 5, 0, 3), d, op.dtype));
      kernels.push_back(best_gemm(gemm_view(bh, sq, hd, skv, eb), d, op.dtype));  // P V
      break;
    }
    case OpType::kElementwise: {
      require_positive(op, {op.m});
      const double inputs = std::max(1.0, k);
      StreamView s;
      s.flops = m * std::max(1.0, inputs - 1.0);
      // n outputs (1; 0 for a dot product's scalar).
      s.compulsory_bytes = m * eb * (inputs + n);
      s.write_bytes = op.in_place ? 0.0 : m * eb * n;
      s.stored_bytes = m * eb * n;
      kernels.push_back(stream_cost(s, d, op.dtype));
      break;
    }
    case OpType::kReduction: {
      require_positive(op, {op.m, op.n});
      StreamView s;
      s.flops = m * n;
      s.compulsory_bytes = eb * (m * n + m);
      s.write_bytes = eb * m;
      s.stored_bytes = s.write_bytes;
      kernels.push_back(stream_cost(s, d, op.dtype));
      break;
    }
    case OpType::kSoftmax:
      require_positive(op, {op.m, op.n});
      // max, subtract, exp, sum, divide; three passes when a row spills.
      kernels.push_back(stream_cost(row_stream(m, n, eb, 5, 0, 3), d, op.dtype));
      break;
    case OpType::kLayerNorm:
      require_positive(op, {op.m, op.n});
      // mean, centre, square, sum, scale, shift, plus rsqrt amortised: ~8 per
      // element; gamma and beta read once; two passes (Welford, normalise) on a spill.
      kernels.push_back(stream_cost(row_stream(m, n, eb, 8, 2.0 * n * eb, 2), d, op.dtype));
      break;
    case OpType::kEmbedding: {
      require_positive(op, {op.m, op.n});
      StreamView s;
      // Gather one row per token (4-byte ids), write the activations.
      s.compulsory_bytes = m * 4.0 + 2.0 * m * n * eb;
      s.write_bytes = m * n * eb;
      s.stored_bytes = s.write_bytes;
      kernels.push_back(stream_cost(s, d, op.dtype));
      break;
    }
  }
  if (op.flops_override > 0 || op.compulsory_bytes_override > 0) {
    for (KernelCost& c : kernels) {
      if (op.flops_override > 0 && kernels.size() == 1) {
        const double scale = static_cast<double>(op.flops_override) / std::max(c.flops, 1.0);
        c.flops = static_cast<double>(op.flops_override);
        c.ideal_compute_s *= scale;
        c.compute_s *= scale;
      }
      if (op.compulsory_bytes_override > 0 && kernels.size() == 1 && c.tiles == 0) {
        const double extra = static_cast<double>(op.compulsory_bytes_override) - c.compulsory_bytes;
        c.compulsory_bytes += extra;
        for (double& lb : c.level_bytes) lb = std::max(0.0, lb + extra);
      }
    }
  }
  return finish(op, d, kernels);
}

Picoseconds lower_bound_ps(const Estimate& e, const DeviceConfig& d) {
  const double memory_s = e.compulsory_bytes / d.memory_bandwidth_bytes_per_s;
  const double bound_s = std::max(e.ideal_compute_s, memory_s);
  return static_cast<Picoseconds>(std::floor(bound_s * 1e12));
}

bool below_bound(Picoseconds simulated_ps, const Estimate& e, const DeviceConfig& d) {
  return simulated_ps < lower_bound_ps(e, d);
}

}  // namespace tessera::roofline

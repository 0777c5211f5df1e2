// Typed description of a device in the roofline library (platforms/devices/*.yaml):
// peak throughput per data type, the memory hierarchy (each cache level's size,
// bandwidth and energy per byte, then DRAM), compute units and the tile shapes
// they work in, kernel launch overhead and energy per FLOP. Keys are documented
// in docs/config/device.md. The roofline estimator (models/roofline) receives
// this struct, never YAML.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/core/units.h"

namespace tessera::config {

class Node;

// Data types a device may support. tf32 is stored in 4 bytes.
enum class Dtype : std::uint8_t { kFp32 = 0, kTf32, kBf16, kFp16, kFp8, kInt8 };
inline constexpr int kDtypeCount = 6;
inline constexpr std::array<Dtype, kDtypeCount> kAllDtypes{
    Dtype::kFp32, Dtype::kTf32, Dtype::kBf16, Dtype::kFp16, Dtype::kFp8, Dtype::kInt8};

const char* dtype_name(Dtype dtype);  // "fp32", "tf32", ...
std::optional<Dtype> parse_dtype(std::string_view name);
unsigned dtype_bytes(Dtype dtype);  // storage size of one element

// One level of on-chip memory between the compute units and DRAM.
struct CacheLevelConfig {
  std::string name;                  // "l1", "l2", "infinity_cache", ...
  Bytes size_bytes = 0;              // capacity of one instance
  bool per_unit = false;             // one instance per compute unit (L1/shared memory)
  double bandwidth_bytes_per_s = 0;  // aggregate over all instances; 0 = not limiting
  double energy_pj_per_byte = 0;     // per byte served by this level
};

// The output-tile shape (rows x columns of the result) one compute unit works
// on at a time; a kernel picks one of the device's shapes per operator.
struct TileShape {
  std::uint64_t m = 1;
  std::uint64_t n = 1;
};

// How a GEMM library really runs on the device, beyond its peak. Defaults
// (1.0, no packing) leave the plain roofline; `tessera calibrate host` measures
// the efficiency of this machine's BLAS. See docs/roofline.md.
struct GemmConfig {
  // Fraction of the matrix peak the library's inner kernel sustains on a large
  // GEMM (achieved / peak once packing and call overhead are taken out).
  double efficiency = 1.0;
  // The library copies A and B into contiguous panels before its kernel runs
  // (GotoBLAS / BLIS), a phase that does not overlap the kernel.
  bool packs_operands = false;
  // Packing reads A's rows in runs of at most pack_block_k elements (the
  // library's kc, GotoBLAS's Q) and B's rows in runs of at most pack_block_m
  // (its mc, P); 0 = not known, no per-run term.
  std::uint64_t pack_block_k = 0;
  std::uint64_t pack_block_m = 0;
  // Extra time each such run costs over streaming its bytes (the hardware
  // prefetcher restarts on every run; measured by `tessera calibrate host`).
  Picoseconds pack_run_latency_ps = 0;
  // Fixed cost per output micro-tile (loop and edge handling in the library's
  // kernel driver), measured by calibrate; 0 = none.
  Picoseconds tile_overhead_ps = 0;
  // The library scales C by beta in a pass of its own before the kernel
  // whenever beta != 1 (OpenBLAS driver/level3/level3.c, BETA_OPERATION;
  // beta = 0 zeroes C): one more store stream over C, not overlapped.
  bool beta_pass = false;
};

struct DeviceConfig {
  std::string source;  // file it came from ("" when derived)
  std::string name;
  std::string description;
  Hertz clock_hz = 0;  // informational (0 when not given)
  std::uint64_t compute_units = 1;
  std::vector<TileShape> tiles{TileShape{}};
  Picoseconds launch_overhead_ps = 0;
  // Dense peak FLOP/s (OP/s for int8) per data type; 0 = not supported.
  std::array<double, kDtypeCount> peak_flops_per_s{};
  // Throughput of non-matrix operators (elementwise, softmax, ...); defaults
  // to the fp32 peak.
  double vector_flops_per_s = 0;
  std::array<double, kDtypeCount> energy_pj_per_flop{};
  std::vector<CacheLevelConfig> caches;  // innermost first
  Bytes memory_bytes = 0;
  double memory_bandwidth_bytes_per_s = 0;
  // DRAM bandwidth one compute unit draws on its own (single-thread STREAM on
  // a CPU); 0 = not known: a kernel on fewer units still gets the full bandwidth.
  double memory_bandwidth_per_unit_bytes_per_s = 0;
  // DRAM bandwidth of a stream that only reads (no write-backs), on all units
  // and on one: a CPU core sustains fewer line fills in a pure read stream
  // than in the triad (measured by calibrate with a read-only sum). 0 = not
  // known: reads get `memory_bandwidth_bytes_per_s` (the datasheet devices).
  double memory_read_bandwidth_bytes_per_s = 0;
  double memory_read_bandwidth_per_unit_bytes_per_s = 0;
  double memory_energy_pj_per_byte = 0;
  // Writes allocate their line (read-for-ownership) and the bandwidths count
  // line fills, as STREAM's 24 B per triad element do (reads of b and c, the
  // fill of a): a streaming operator then moves its reads plus the lines it
  // writes without having read them; writing in place (saxpy's y) adds
  // nothing. false: reads plus writes (the datasheet devices).
  bool write_allocate = false;
  GemmConfig gemm;

  double peak(Dtype dtype) const { return peak_flops_per_s[static_cast<int>(dtype)]; }
  bool supports(Dtype dtype) const { return peak(dtype) > 0; }
};

// Parses a device map. `default_name` is used when the map has no name:.
DeviceConfig parse_device(const Node& node, const std::string& default_name);
// Reads and parses a device file; the default name is the file's stem.
DeviceConfig load_device(const std::filesystem::path& file);

// "1555GB/s", "2TB/s", "900GiB/s" or a plain number of bytes per second.
std::optional<double> parse_bandwidth(std::string_view text);
// "19.5TFLOP/s", "624TOP/s", "312e12" or a plain number of operations per second.
std::optional<double> parse_throughput(std::string_view text);

}  // namespace tessera::config

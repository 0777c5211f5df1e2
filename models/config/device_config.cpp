#include "models/config/device_config.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "models/config/node.h"
#include "models/config/tree.h"

namespace tessera::config {
namespace {

constexpr std::array<const char*, kDtypeCount> kDtypeNames{"fp32", "tf32", "bf16",
                                                           "fp16", "fp8",  "int8"};

// Splits "19.5TFLOP/s" into 19.5 and "TFLOP/s"; nullopt when no number leads.
std::optional<std::pair<double, std::string>> split_number(std::string_view text) {
  const std::string s(text);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(value) || value < 0) return std::nullopt;
  std::string unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
  return std::make_pair(value, unit);
}

std::optional<double> scale_of(const std::string& prefix, bool binary_allowed) {
  if (prefix.empty()) return 1.0;
  if (prefix == "K" || prefix == "k") return 1e3;
  if (prefix == "M") return 1e6;
  if (prefix == "G") return 1e9;
  if (prefix == "T") return 1e12;
  if (prefix == "P") return 1e15;
  if (binary_allowed) {
    if (prefix == "Ki") return 1024.0;
    if (prefix == "Mi") return 1024.0 * 1024;
    if (prefix == "Gi") return 1024.0 * 1024 * 1024;
    if (prefix == "Ti") return 1024.0 * 1024 * 1024 * 1024;
  }
  return std::nullopt;
}

std::optional<double> with_suffix(std::string_view text, std::initializer_list<const char*> units,
                                  bool binary_allowed) {
  const auto split = split_number(text);
  if (!split) return std::nullopt;
  const auto& [value, unit] = *split;
  if (unit.empty()) return value;
  for (const char* u : units) {
    const std::string suffix(u);
    if (unit.size() >= suffix.size() &&
        unit.compare(unit.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const auto scale = scale_of(unit.substr(0, unit.size() - suffix.size()), binary_allowed);
      if (scale) return value * *scale;
    }
  }
  return std::nullopt;
}

constexpr const char* kBandwidthExpected = "a bandwidth such as 1555GB/s, 2TB/s or 900GiB/s";
constexpr const char* kThroughputExpected = "a throughput such as 19.5TFLOP/s, 624TOP/s or 1e12";

double bandwidth_of(const Node& node) {
  const auto v = parse_bandwidth(node.as_string());
  if (!v || *v <= 0) node.fail(kBandwidthExpected);
  return *v;
}

double throughput_of(const Node& node) {
  const auto v = parse_throughput(node.as_string());
  if (!v) node.fail(kThroughputExpected);
  return *v;
}

std::vector<std::string> dtype_keys() {
  return {kDtypeNames.begin(), kDtypeNames.end()};
}

TileShape parse_tile(const Node& node) {
  TileShape t;
  if (node.is_sequence()) {
    const auto items = node.items();
    if (items.size() != 2) node.fail("a tile [m, n] of two integers");
    t.m = items[0].as_u64(1, 1u << 20);
    t.n = items[1].as_u64(1, 1u << 20);
  } else if (node.is_map()) {
    node.allow_keys({"m", "n"});
    t.m = node.required("m", "an integer").as_u64(1, 1u << 20);
    t.n = node.required("n", "an integer").as_u64(1, 1u << 20);
  } else {
    node.fail("a tile [m, n] or {m: M, n: N}");
  }
  return t;
}

CacheLevelConfig parse_cache(const Node& node) {
  if (!node.is_map()) node.fail("a cache level (a map with name, size, bandwidth)");
  node.allow_keys({"name", "size", "per_unit", "bandwidth", "energy_per_byte_pj"});
  CacheLevelConfig c;
  c.name = node.required("name", "a level name").as_string();
  c.size_bytes = node.required("size", "a size").as_bytes(1);
  c.per_unit = node.bool_or("per_unit", false);
  // A level whose bandwidth is not published filters traffic by its capacity
  // but never limits time.
  const Node bw = node.at("bandwidth");
  c.bandwidth_bytes_per_s = bw.present() ? bandwidth_of(bw) : 0.0;
  c.energy_pj_per_byte = node.double_or("energy_per_byte_pj", 0.0, 0.0, 1e6);
  return c;
}

}  // namespace

const char* dtype_name(Dtype dtype) {
  return kDtypeNames[static_cast<int>(dtype)];
}

std::optional<Dtype> parse_dtype(std::string_view name) {
  for (Dtype d : kAllDtypes) {
    if (name == dtype_name(d)) return d;
  }
  return std::nullopt;
}

unsigned dtype_bytes(Dtype dtype) {
  switch (dtype) {
    case Dtype::kFp32:
    case Dtype::kTf32:
      return 4;
    case Dtype::kBf16:
    case Dtype::kFp16:
      return 2;
    case Dtype::kFp8:
    case Dtype::kInt8:
      return 1;
  }
  return 4;
}

std::optional<double> parse_bandwidth(std::string_view text) {
  return with_suffix(text, {"B/s"}, true);
}

std::optional<double> parse_throughput(std::string_view text) {
  return with_suffix(text, {"FLOP/s", "FLOPS", "OP/s", "OPS"}, false);
}

DeviceConfig parse_device(const Node& node, const std::string& default_name) {
  if (!node.is_map()) node.fail("a device (a map with peak:, memory: and compute_units:)");
  node.allow_keys({"name", "description", "clock", "compute_units", "tiles", "launch_overhead",
                   "peak", "vector_peak", "energy_per_flop_pj", "memory", "caches", "gemm"});
  DeviceConfig d;
  d.name = node.string_or("name", default_name);
  d.description = node.string_or("description", d.name);
  d.clock_hz = node.frequency_hz_or("clock", 0);
  d.compute_units = node.required("compute_units", "an integer").as_u64(1, 1u << 24);
  const Node tiles = node.required("tiles", "a list of tile shapes [m, n]");
  if (!tiles.is_sequence() || tiles.items().empty()) tiles.fail("a non-empty list of tiles [m, n]");
  d.tiles.clear();
  for (const Node& t : tiles.items()) d.tiles.push_back(parse_tile(t));
  d.launch_overhead_ps = node.time_ps_or("launch_overhead", 0);

  const Node peak = node.required("peak", "a map of peak throughput per dtype");
  if (!peak.is_map()) peak.fail("a map of peak throughput per dtype (fp32, fp16, ...)");
  peak.allow_keys(dtype_keys());
  bool any = false;
  for (Dtype dt : kAllDtypes) {
    const Node p = peak.at(dtype_name(dt));
    if (!p.present()) continue;
    d.peak_flops_per_s[static_cast<int>(dt)] = throughput_of(p);
    any = any || d.peak_flops_per_s[static_cast<int>(dt)] > 0;
  }
  if (!any) peak.fail("at least one dtype with a peak above 0", "none");
  const Node vector = node.at("vector_peak");
  d.vector_flops_per_s = vector.present() ? throughput_of(vector) : d.peak(Dtype::kFp32);

  const Node energy = node.at("energy_per_flop_pj");
  if (energy.present()) {
    if (!energy.is_map()) energy.fail("a map of picojoules per FLOP per dtype");
    energy.allow_keys(dtype_keys());
    for (Dtype dt : kAllDtypes) {
      d.energy_pj_per_flop[static_cast<int>(dt)] = energy.double_or(dtype_name(dt), 0.0, 0.0, 1e6);
    }
  }

  const Node memory = node.required("memory", "a memory section (bandwidth, size)");
  if (!memory.is_map()) memory.fail("a memory section (a map with bandwidth)");
  memory.allow_keys({"size", "bandwidth", "bandwidth_per_unit", "read_bandwidth",
                     "read_bandwidth_per_unit", "energy_per_byte_pj", "write_allocate"});
  d.memory_bytes = memory.bytes_or("size", 0);
  d.memory_bandwidth_bytes_per_s = bandwidth_of(memory.required("bandwidth", kBandwidthExpected));
  const Node per_unit = memory.at("bandwidth_per_unit");
  if (per_unit.present()) d.memory_bandwidth_per_unit_bytes_per_s = bandwidth_of(per_unit);
  const Node read = memory.at("read_bandwidth");
  if (read.present()) d.memory_read_bandwidth_bytes_per_s = bandwidth_of(read);
  const Node read_per_unit = memory.at("read_bandwidth_per_unit");
  if (read_per_unit.present()) {
    d.memory_read_bandwidth_per_unit_bytes_per_s = bandwidth_of(read_per_unit);
  }
  d.memory_energy_pj_per_byte = memory.double_or("energy_per_byte_pj", 0.0, 0.0, 1e6);
  d.write_allocate = memory.bool_or("write_allocate", false);

  const Node gemm = node.at("gemm");
  if (gemm.present()) {
    if (!gemm.is_map()) gemm.fail("a gemm section (a map with efficiency, packs_operands)");
    gemm.allow_keys({"efficiency", "packs_operands", "pack_block_k", "pack_block_m",
                     "pack_run_latency", "tile_overhead", "beta_pass"});
    // A fraction of the peak: above 0 (a kernel that never finishes is no device).
    d.gemm.efficiency = gemm.double_or("efficiency", 1.0, 1e-6, 1.0);
    d.gemm.packs_operands = gemm.bool_or("packs_operands", false);
    d.gemm.pack_block_k = gemm.u64_or("pack_block_k", 0, 0, 1u << 20);
    d.gemm.pack_block_m = gemm.u64_or("pack_block_m", 0, 0, 1u << 20);
    d.gemm.pack_run_latency_ps = gemm.time_ps_or("pack_run_latency", 0);
    d.gemm.tile_overhead_ps = gemm.time_ps_or("tile_overhead", 0);
    d.gemm.beta_pass = gemm.bool_or("beta_pass", false);
  }

  const Node caches = node.at("caches");
  if (caches.present()) {
    if (!caches.is_sequence()) caches.fail("a list of cache levels, innermost first");
    for (const Node& c : caches.items()) d.caches.push_back(parse_cache(c));
  }
  return d;
}

DeviceConfig load_device(const std::filesystem::path& file) {
  const ValuePtr root = load_tree(file);
  DeviceConfig d = parse_device(Node(*root), file.stem().string());
  d.source = file.string();
  return d;
}

}  // namespace tessera::config

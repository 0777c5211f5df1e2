#include "models/config/platform_config.h"

#include "models/config/node.h"
#include "models/config/tree.h"

namespace tessera::config {

const char* tile_kind_name(TileKind kind) {
  switch (kind) {
    case TileKind::kSystolic:
      return "systolic";
    case TileKind::kVector:
      return "vector";
    case TileKind::kRtlDot:
      return "rtl-dot";
    case TileKind::kRtlAttention:
      return "rtl-attention";
  }
  return "vector";
}

const char* dataflow_name(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kOutputStationary:
      return "os";
    case Dataflow::kWeightStationary:
      return "ws";
    case Dataflow::kInputStationary:
      return "is";
  }
  return "os";
}

const char* cache_organization_name(CacheOrganization organization) {
  return organization == CacheOrganization::kTensor ? "tensor" : "set-assoc";
}

const char* arbitration_name(Arbitration arbitration) {
  return arbitration == Arbitration::kRoundRobin ? "round-robin" : "fixed-priority";
}

namespace {

bool is_power_of_two(std::uint64_t x) {
  return x != 0 && (x & (x - 1)) == 0;
}

TileConfig parse_tiles(const Node& n) {
  n.allow_keys({"count", "kind", "rows", "cols", "dataflow", "lanes", "scratchpad", "accumulator",
                "double_buffering", "max_outstanding"});
  TileConfig t;
  t.count = static_cast<std::uint32_t>(n.u64_or("count", 1, 1, 4096));
  const std::string kind =
      n.enum_or("kind", "systolic", {"systolic", "vector", "rtl-dot", "rtl-attention"});
  t.kind = kind == "systolic"  ? TileKind::kSystolic
           : kind == "vector"  ? TileKind::kVector
           : kind == "rtl-dot" ? TileKind::kRtlDot
                               : TileKind::kRtlAttention;
  if (t.kind == TileKind::kSystolic) {
    t.rows = static_cast<std::uint32_t>(n.u64_or("rows", 16, 1, 4096));
    t.cols = static_cast<std::uint32_t>(n.u64_or("cols", 16, 1, 4096));
    const std::string df = n.enum_or("dataflow", "os", {"os", "ws", "is"});
    t.dataflow = df == "os"   ? Dataflow::kOutputStationary
                 : df == "ws" ? Dataflow::kWeightStationary
                              : Dataflow::kInputStationary;
    t.lanes = static_cast<std::uint32_t>(n.u64_or("lanes", t.cols, 1, 65536));
  } else {
    for (const char* key : {"rows", "cols", "dataflow"}) {
      if (n.has(key))
        n.at(key).fail("no '" + std::string(key) + "' on a " + kind + " tile (kind: " + kind + ")");
    }
    t.lanes = static_cast<std::uint32_t>(n.u64_or("lanes", 16, 1, 65536));
  }
  t.scratchpad_bytes = n.bytes_or("scratchpad", 256 * kKiB, 1);
  t.accumulator_bytes = n.bytes_or("accumulator", 0);
  t.double_buffering = n.bool_or("double_buffering", true);
  t.max_outstanding = static_cast<std::uint32_t>(n.u64_or("max_outstanding", 16, 1, 1024));
  return t;
}

PlatformCacheConfig parse_cache(const Node& n) {
  n.allow_keys({"organization", "capacity", "policy", "hit_latency", "banks", "ways", "line"});
  PlatformCacheConfig c;
  const std::string org = n.enum_or("organization", "tensor", {"tensor", "set-assoc"});
  c.organization =
      org == "tensor" ? CacheOrganization::kTensor : CacheOrganization::kSetAssociative;
  if (n.has("capacity")) {
    c.capacities_bytes.clear();
    for (const Node& item : n.at("capacity").items(true)) {
      c.capacities_bytes.push_back(item.as_bytes(1));
    }
    if (c.capacities_bytes.empty()) n.at("capacity").fail("at least one capacity");
  }
  if (n.has("policy")) {
    c.policies.clear();
    c.policy_marks.clear();
    for (const Node& item : n.at("policy").items(true)) {
      c.policies.push_back(item.as_string());
      c.policy_marks.push_back(item.mark().str() + ": " + item.path());
    }
    if (c.policies.empty()) n.at("policy").fail("at least one policy name");
  }
  c.hit_latency_cycles = n.u64_or("hit_latency", 10, 1, 1'000'000);
  c.banks = static_cast<std::uint32_t>(n.u64_or("banks", 1, 1, 256));
  if (!is_power_of_two(c.banks)) n.at("banks").fail("a power of two", n.at("banks").describe());
  c.ways = static_cast<std::uint32_t>(n.u64_or("ways", 8, 1, 1024));
  c.line_bytes = n.bytes_or("line", 64, 8, 4096);
  if (!is_power_of_two(c.line_bytes)) n.at("line").fail("a power of two", n.at("line").describe());
  if (c.organization == CacheOrganization::kSetAssociative) {
    for (std::size_t i = 0; i < c.capacities_bytes.size(); ++i) {
      if (c.capacities_bytes[i] % (c.ways * c.line_bytes) != 0) {
        n.at("capacity")
            .fail("a capacity that is a multiple of ways x line (" +
                      std::to_string(c.ways * c.line_bytes) + " bytes)",
                  std::to_string(c.capacities_bytes[i]) + " bytes");
      }
    }
  } else {
    for (const char* key : {"ways", "line"}) {
      if (n.has(key)) n.at(key).fail("no '" + std::string(key) + "' with organization: tensor");
    }
  }
  return c;
}

InterconnectConfig parse_interconnect(const Node& n) {
  n.allow_keys({"bytes_per_cycle", "latency", "arbitration", "burst"});
  InterconnectConfig ic;
  ic.bytes_per_cycle = static_cast<std::uint32_t>(n.u64_or("bytes_per_cycle", 32, 1, 1 << 20));
  ic.latency_cycles = n.u64_or("latency", 4, 0, 1'000'000);
  const std::string arb =
      n.enum_or("arbitration", "round-robin", {"round-robin", "fixed-priority"});
  ic.arbitration = arb == "round-robin" ? Arbitration::kRoundRobin : Arbitration::kFixedPriority;
  ic.burst_bytes = n.bytes_or("burst", 64, 8, 4096);
  if (!is_power_of_two(ic.burst_bytes))
    n.at("burst").fail("a power of two", n.at("burst").describe());
  return ic;
}

PlatformDramConfig parse_platform_dram(const Node& n) {
  PlatformDramConfig d;
  if (!n.present()) return d;
  // The DRAM section of `tessera dram` (preset + overrides) plus `channels`.
  d.config = parse_dram(n, {"channels"});
  d.preset = d.config.preset;
  if (!n.is_map()) return d;
  d.channels = static_cast<std::uint32_t>(n.u64_or("channels", 1, 1, 64));
  if (!is_power_of_two(d.channels)) {
    n.at("channels").fail("a power of two", n.at("channels").describe());
  }
  return d;
}

}  // namespace

PlatformConfig parse_platform(const Node& node, const std::string& default_name) {
  if (!node.is_map()) node.fail("a platform (a map with clock, tiles, cache, interconnect, dram)");
  node.allow_keys({"name", "description", "clock", "tiles", "cache", "interconnect", "dram"});
  PlatformConfig p;
  p.source = node.file();
  p.name = node.string_or("name", default_name);
  p.description = node.string_or("description", "");
  p.clock_hz = node.required("clock", "a clock frequency (e.g. 1GHz)").as_frequency_hz();
  if (p.clock_hz < 1'000'000 || p.clock_hz > 100'000'000'000ull) {
    node.at("clock").fail("a clock between 1MHz and 100GHz", node.at("clock").describe());
  }
  p.tiles = parse_tiles(node.required("tiles", "a tiles section"));
  p.cache = parse_cache(node.at("cache"));
  p.interconnect = parse_interconnect(node.at("interconnect"));
  p.dram = parse_platform_dram(node.at("dram"));
  return p;
}

PlatformConfig load_platform(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides) {
  ValuePtr root = load_tree(file);
  for (const auto& assignment : overrides) apply_override(*root, assignment);
  PlatformConfig p = parse_platform(Node(*root), file.stem().string());
  p.source = file.string();
  return p;
}

bool looks_like_platform(const std::filesystem::path& file) {
  ValuePtr root = load_tree(file);
  return root->kind == Value::Kind::Map && root->find("tiles") != nullptr &&
         root->find("workload") == nullptr;
}

}  // namespace tessera::config

namespace tessera::config {

bool take_platform_override(const Value& experiment_root, const std::string& assignment,
                            std::vector<std::string>& platform_overrides) {
  static const std::string kPrefix = "platform.";
  if (assignment.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  if (experiment_root.kind != Value::Kind::Map) return false;
  const MapEntry* entry = experiment_root.find("platform");
  if (entry == nullptr || !entry->value || entry->value->kind != Value::Kind::Scalar) return false;
  platform_overrides.push_back(assignment.substr(kPrefix.size()));
  return true;
}

PlatformConfig parse_experiment_platform(const Node& node,
                                         const std::filesystem::path& experiment_file,
                                         const std::vector<std::string>& platform_overrides) {
  if (node.is_map()) return parse_platform(node, "inline");
  if (!node.is_scalar()) node.fail("a platform file name or an inline platform map");
  std::filesystem::path path = node.as_string();
  if (path.is_relative()) path = experiment_file.parent_path() / path;
  if (!std::filesystem::exists(path)) {
    node.fail("an existing platform file", "'" + path.string() + "' (no such file)");
  }
  return load_platform(path, platform_overrides);
}

}  // namespace tessera::config

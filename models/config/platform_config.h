// Typed description of a hardware platform (platforms/*.yaml, or the
// experiment's inline `platform:` map): clock, tiles, shared cache,
// interconnect and DRAM. Parsed once, strictly; keys are documented in
// docs/config/platform.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/config/dram_config.h"
#include "models/core/units.h"

namespace tessera::config {

class Node;

// kRtlDot / kRtlAttention: a tile whose compute engine is the Verilated dot / attention
// unit (`tessera cosim`); other commands time it as a vector tile of `lanes` lanes.
enum class TileKind : std::uint8_t { kSystolic, kVector, kRtlDot, kRtlAttention };
// SCALE-Sim's three systolic dataflows: output, weight and input stationary.
enum class Dataflow : std::uint8_t { kOutputStationary, kWeightStationary, kInputStationary };
enum class CacheOrganization : std::uint8_t { kTensor, kSetAssociative };
enum class Arbitration : std::uint8_t { kRoundRobin, kFixedPriority };

const char* tile_kind_name(TileKind kind);
const char* dataflow_name(Dataflow dataflow);
const char* cache_organization_name(CacheOrganization organization);
const char* arbitration_name(Arbitration arbitration);

struct TileConfig {
  std::uint32_t count = 1;
  TileKind kind = TileKind::kSystolic;
  std::uint32_t rows = 16;  // systolic: processing elements per column
  std::uint32_t cols = 16;  // systolic: processing elements per row
  Dataflow dataflow = Dataflow::kOutputStationary;
  // Vector kind: lanes. Systolic kind: the lanes of the vector unit beside the
  // array that runs non-GEMM operators (defaults to cols).
  std::uint32_t lanes = 16;
  Bytes scratchpad_bytes = 256 * kKiB;
  Bytes accumulator_bytes = 0;
  bool double_buffering = true;
  // Requests a tile keeps in flight (its load/store queue depth).
  std::uint32_t max_outstanding = 16;
};

struct PlatformCacheConfig {
  CacheOrganization organization = CacheOrganization::kTensor;
  // Several capacities and/or policies give side-by-side runs.
  std::vector<Bytes> capacities_bytes{4 * kMiB};
  std::vector<std::string> policies{"lru"};
  // "file:line:col: cache.policy[i]" of each written policy ("" for the
  // default); policies are registered at run time, so commands check the
  // names and need the place to name in the error.
  std::vector<std::string> policy_marks{""};
  Cycles hit_latency_cycles = 10;
  std::uint32_t banks = 1;
  // set-associative organization only
  std::uint32_t ways = 8;
  Bytes line_bytes = 64;
};

struct InterconnectConfig {
  std::uint32_t bytes_per_cycle = 32;  // per port (link width)
  Cycles latency_cycles = 4;           // per traversal, each way
  Arbitration arbitration = Arbitration::kRoundRobin;
  Bytes burst_bytes = 64;  // transaction size of every memory-side request
};

struct PlatformDramConfig {
  std::string preset = "DDR4-3200";  // a models/dram preset name (= config.preset)
  // Replicates the memory: channels x the (overridden) preset's controllers.
  std::uint32_t channels = 1;
  // Every override of the dram: section (organization, timing, controller;
  // docs/config/dram.md) for dram::spec_from_config; its preset is replaced
  // by `preset` above when the spec is built.
  DramConfig config;
};

struct PlatformConfig {
  std::string source;  // file it came from ("" when inline)
  std::string name;
  std::string description;
  Hertz clock_hz = 1'000'000'000;
  TileConfig tiles;
  PlatformCacheConfig cache;
  InterconnectConfig interconnect;
  PlatformDramConfig dram;

  Picoseconds clock_period_ps() const { return period_ps(clock_hz); }
};

// Parses a platform map. `default_name` is used when the map has no name:.
PlatformConfig parse_platform(const Node& node, const std::string& default_name);
// Reads and parses a platform file (include: and located errors as everywhere).
PlatformConfig load_platform(const std::filesystem::path& file,
                             const std::vector<std::string>& overrides = {});
// Whether a YAML file looks like a platform (top-level `tiles:` and no
// `workload:`): lets `tessera check` accept either kind of file.
bool looks_like_platform(const std::filesystem::path& file);

}  // namespace tessera::config

namespace tessera::config {

struct Value;

// The experiment's `platform:` key. When it names a file, `--set
// platform.x=v` overrides cannot be applied to the experiment tree; this
// takes them aside (stripped of "platform.") and returns true.
bool take_platform_override(const Value& experiment_root, const std::string& assignment,
                            std::vector<std::string>& platform_overrides);
// `platform: FILE` (relative to the experiment file) or `platform: {inline map}`.
PlatformConfig parse_experiment_platform(const Node& node,
                                         const std::filesystem::path& experiment_file,
                                         const std::vector<std::string>& platform_overrides);

}  // namespace tessera::config

// A DRAM configuration: a preset name plus overrides of organization, timing
// and controller keys. Used by `tessera dram CONFIG.yaml` (a file with a
// `dram:` section) and reusable for a platform file's `dram:` section.
// models/dram/from_config.h turns it into a validated DramSpec. Keys are
// documented in docs/config/dram.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tessera::config {

class Node;

struct DramOverride {
  std::string key;          // "tRCD", "ranks", ...
  std::uint64_t value = 0;  // cycles, a count, or picoseconds when is_time
  bool is_time = false;     // written with a unit ("13.75ns"): converted with tCK
  std::string where;        // "file:line:col: dram.timing.tRCD", for messages
};

struct DramConfig {
  std::string preset = "DDR4-3200";
  std::string where;  // "file:line:col" of the section
  std::vector<DramOverride> organization;
  std::vector<DramOverride> timing;
  std::optional<std::string> scheduler;    // fcfs | frfcfs
  std::optional<std::string> page_policy;  // open | closed | open-adaptive
  std::optional<std::string> refresh;      // all-bank | per-bank | off
  std::optional<std::string> mapping;      // a scheme name or token permutation
  std::string mapping_where;
  std::optional<std::uint64_t> read_queue, write_queue, write_high_watermark, write_low_watermark,
      row_hit_cap;
};

// Keys accepted under dram.organization and dram.timing.
const std::vector<std::string>& dram_organization_keys();
const std::vector<std::string>& dram_timing_keys();
const std::vector<std::string>& dram_preset_names();

// `node` is the `dram:` value: a map, or a scalar preset name. `extra_keys`
// are further keys the caller reads from the same map (a platform's
// `channels`).
DramConfig parse_dram(const Node& node, const std::vector<std::string>& extra_keys = {});

// A file whose root holds a `dram:` section; `--set key.path=value`
// overrides apply first. Throws InputError with one line.
DramConfig load_dram_file(const std::filesystem::path& file,
                          const std::vector<std::string>& overrides = {});
// A preset name with `--set dram.*` overrides (no file).
DramConfig dram_from_preset(const std::string& preset,
                            const std::vector<std::string>& overrides = {});

}  // namespace tessera::config

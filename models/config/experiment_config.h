// An experiment file: what to run (workload) on what (platform), and which
// engines to run and report. Parsed once, strictly, into this struct.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/config/cosim_config.h"
#include "models/config/platform_config.h"
#include "models/config/replay_config.h"
#include "models/config/workload_config.h"

namespace tessera::config {

struct ExperimentConfig {
  std::string source_file;  // the file it was read from, as given
  std::string name;         // defaults to the file's stem
  std::uint64_t seed = 1;   // every random choice draws from this
  WorkloadConfig workload;
  // `platform:` a platform file (relative to the experiment) or an inline map.
  std::optional<PlatformConfig> platform;
  // `replay:` what `tessera replay` compares (defaults when absent).
  ReplayConfig replay;
  // `cosim:` what `tessera cosim` runs on the RTL dot unit (absent: not present).
  CosimConfig cosim;
  // Each area adds its own optional section below (replay, platform, ...).
};

// Reads FILE, resolves include:, applies `--set key.path=value` overrides in
// order, and parses. Throws InputError with a one-line message.
ExperimentConfig load_experiment(const std::filesystem::path& file,
                                 const std::vector<std::string>& overrides = {});

}  // namespace tessera::config

// Typed description of a workload (the experiment's `workload:` section).
// OWNER: workload area. Expanded with every family's shape keys.
#pragma once

#include <cstdint>
#include <string>

namespace tessera::config {

class Node;

struct WorkloadConfig {
  std::string family = "transformer";  // transformer | cnn | mlp | moe
  std::uint64_t seed = 1;              // from the experiment's seed unless overridden
};

WorkloadConfig parse_workload(const Node& node, std::uint64_t experiment_seed);

}  // namespace tessera::config

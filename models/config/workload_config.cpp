#include "models/config/workload_config.h"

#include "models/config/node.h"

namespace tessera::config {

WorkloadConfig parse_workload(const Node& node, std::uint64_t experiment_seed) {
  WorkloadConfig w;
  node.allow_keys({"family", "seed"});
  w.family = node.required("family", "a model family").as_enum({"transformer", "cnn", "mlp", "moe"});
  w.seed = node.u64_or("seed", experiment_seed);
  return w;
}

}  // namespace tessera::config

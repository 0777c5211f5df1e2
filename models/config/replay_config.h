// Typed description of the experiment's `replay:` section: which eviction
// policies and capacities `tessera replay` compares, the cache organization,
// pinning, the `score` policy's weights, the original prototype's latency
// model and the miss-ratio-curve sweep. Documented key by key in
// docs/config/replay.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/units.h"

namespace tessera::config {

class Node;

struct ReplayConfig {
  std::vector<std::string> policies{"lru"};
  // "file:line:col: replay.policies[i]" of each written policy ("" for the
  // default): policies are registered at run time (plugins), so their names
  // are checked by the commands, which need the place to name in the error.
  std::vector<std::string> policy_marks{""};
  std::vector<Bytes> capacities{16 * kMiB};
  std::string organization = "tensor";  // tensor | set-assoc
  std::uint32_t ways = 16;              // set-assoc
  Bytes line_bytes = 64;                // set-assoc
  // Tensors never evicted (tensor organization): by role and by name
  // ("layer0.attn.wq", or a prefix ending in '*': "layer0.*").
  std::vector<std::string> pin_roles;
  std::vector<std::string> pin_tensors;
  std::vector<std::string> pin_tensor_marks;  // "file:line:col" of each pin_tensors entry
  // `score` policy weights (the prototype's 0.4 / 0.5 / 0.1).
  double score_weight_size = 0.4;
  double score_weight_reuse = 0.5;
  double score_weight_stride = 0.1;
  // The prototype's latency model.
  double hit_latency_ms = 0.01;
  double miss_latency_ms_per_mib = 0.1;
  double bandwidth_bytes_per_s = 100e9;
  // Miss-ratio-curve sweep: `points` log-spaced capacities in [min, max];
  // max 0 = the trace's footprint (sum of distinct tensor bytes).
  Bytes mrc_min_bytes = 64 * kKiB;
  Bytes mrc_max_bytes = 0;
  std::uint32_t mrc_points = 16;
  std::uint32_t threads = 0;  // 0 = every core
  std::string source;         // "file:line:col" of the section ("" when absent)
};

ReplayConfig parse_replay(const Node& node);

}  // namespace tessera::config

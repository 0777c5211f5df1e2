// Helpers for the cache tests: drive a TensorCache over a hand-written key
// sequence, computing what the replay engine would (next uses, reuse
// intervals), and record hits, misses and victims.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "models/cache/policy.h"
#include "models/cache/replay.h"
#include "models/cache/tensor_cache.h"
#include "models/workload/trace.h"

namespace tessera::cache::testing {

struct Run {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t bypasses = 0;
  std::vector<std::uint32_t> victims;
  CacheCounters counters;
};

// keys[i] accessed with sizes[key] bytes (1 byte each when sizes is empty),
// at address 0 (no stride), reads only.
inline Run run_policy(const std::string& policy, Bytes capacity,
                      const std::vector<std::uint32_t>& keys, const std::vector<Bytes>& sizes = {},
                      std::uint64_t seed = 1) {
  const std::uint32_t key_space = *std::max_element(keys.begin(), keys.end()) + 1;
  const std::vector<std::uint64_t> next = next_use_index(keys, key_space);
  std::vector<std::uint64_t> last(key_space, kNever);
  std::vector<std::uint64_t> reuse(keys.size(), kNever);
  PolicyContext context;
  context.key_space = key_space;
  context.capacity_bytes = capacity;
  context.seed = seed;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (last[keys[i]] != kNever) {
      reuse[i] = i - last[keys[i]];
      context.max_reuse_interval = std::max(context.max_reuse_interval, reuse[i]);
    }
    last[keys[i]] = i;
    context.max_bytes = std::max(context.max_bytes, sizes.empty() ? Bytes{1} : sizes[keys[i]]);
  }
  TensorCache cache(capacity, key_space, make_policy(policy, context));
  Run run;
  cache.set_eviction_log(&run.victims);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    AccessInfo info;
    info.position = i;
    info.bytes = sizes.empty() ? 1 : sizes[keys[i]];
    info.next_use = next[i];
    info.reuse_interval = reuse[i];
    cache.access(keys[i], info);
  }
  run.counters = cache.counters();
  run.hits = run.counters.hits;
  run.misses = run.counters.misses;
  run.bypasses = run.counters.bypasses;
  return run;
}

inline std::vector<std::uint32_t> seq(const std::string& letters) {
  std::vector<std::uint32_t> out;
  for (char c : letters) out.push_back(static_cast<std::uint32_t>(c - 'A'));
  return out;
}

}  // namespace tessera::cache::testing

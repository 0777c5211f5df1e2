// Invariants on seeded random traces (uniform and skewed keys, equal and
// variable sizes, reads and writes) for every built-in policy.
#include <gtest/gtest.h>

#include <map>

#include "models/cache/policy.h"
#include "models/cache/replay.h"
#include "models/cache/tensor_cache.h"
#include "models/core/rng.h"

namespace tessera::cache {
namespace {

using workload::AccessKind;
using workload::Trace;

struct TraceShape {
  const char* name;
  bool skewed;
  bool variable_sizes;
};

constexpr TraceShape kShapes[] = {
    {"uniform-equal", false, false},
    {"skewed-equal", true, false},
    {"uniform-variable", false, true},
    {"skewed-variable", true, true},
};

// 3000 accesses over 200 tensors; skewed draws favour low ids (u^3), a rough
// power law; sizes 1..64 KiB when variable, else 4 KiB; 20% writes.
Trace random_trace(const TraceShape& shape, std::uint64_t seed) {
  Rng rng(seed);
  Trace t;
  constexpr std::uint32_t kTensors = 200;
  std::uint64_t address = 0;
  for (std::uint32_t i = 0; i < kTensors; ++i) {
    const Bytes bytes = shape.variable_sizes ? (1 + rng.below(64)) * kKiB : 4 * kKiB;
    t.add_tensor({"t" + std::to_string(i), bytes, address, workload::TensorRole::kActivation});
    address += bytes;
  }
  t.add_op({});
  for (int i = 0; i < 3000; ++i) {
    const double u = rng.uniform();
    const auto id = static_cast<std::uint32_t>((shape.skewed ? u * u * u : u) * kTensors);
    t.access(id, 0, rng.below(5) == 0 ? AccessKind::kWrite : AccessKind::kRead);
  }
  return t;
}

// Drives a TensorCache step by step, checking occupancy after every access
// and recomputing the byte accounting independently from the outcomes.
void check_invariants(const Trace& t, const std::string& policy, Bytes capacity) {
  PolicyContext c;
  c.key_space = static_cast<std::uint32_t>(t.tensors.size());
  c.capacity_bytes = capacity;
  c.max_bytes = 64 * kKiB;
  std::vector<std::uint32_t> keys;
  for (const auto& e : t.events) keys.push_back(e.tensor_id);
  const auto next = next_use_index(keys, c.key_space);
  TensorCache cache(capacity, c.key_space, make_policy(policy, c));
  std::vector<std::uint32_t> victims;
  cache.set_eviction_log(&victims);
  std::vector<bool> dirty(c.key_space, false);
  Bytes read = 0, written = 0, hit_bytes = 0, accessed = 0;
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    const auto& e = t.events[i];
    AccessInfo info;
    info.position = i;
    info.bytes = e.bytes;
    info.is_write = e.is_write();
    info.next_use = next[i];
    victims.clear();
    const AccessOutcome o = cache.access(e.tensor_id, info);
    ASSERT_LE(cache.used_bytes(), capacity) << policy << " at " << i;
    accessed += e.bytes;
    for (std::uint32_t v : victims) {
      ASSERT_NE(v, e.tensor_id);
      if (dirty[v]) written += t.tensors[v].bytes;
      dirty[v] = false;
    }
    if (o == AccessOutcome::kHit) {
      hit_bytes += e.bytes;
      if (e.is_write()) dirty[e.tensor_id] = true;
    } else if (o == AccessOutcome::kInserted) {
      if (e.is_write())
        dirty[e.tensor_id] = true;
      else
        read += e.bytes;
    } else {
      if (e.is_write())
        written += e.bytes;
      else
        read += e.bytes;
    }
  }
  const CacheCounters& k = cache.counters();
  EXPECT_EQ(k.hits + k.misses, k.accesses) << policy;
  EXPECT_EQ(k.accesses, t.events.size()) << policy;
  EXPECT_EQ(k.bytes_accessed, accessed) << policy;
  EXPECT_EQ(k.bytes_hit, hit_bytes) << policy;
  EXPECT_EQ(k.bytes_hit + k.bytes_missed, k.bytes_accessed) << policy;
  EXPECT_EQ(k.bytes_read_from_dram, read) << policy;
  EXPECT_EQ(k.bytes_written_to_dram, written) << policy;
  Bytes dirty_left = 0;
  for (std::uint32_t i = 0; i < c.key_space; ++i) {
    if (dirty[i]) dirty_left += t.tensors[i].bytes;
  }
  EXPECT_EQ(cache.dirty_bytes(), dirty_left) << policy;
}

const std::vector<Bytes> kCapacities = {16 * kKiB, 64 * kKiB, 256 * kKiB, kMiB, 4 * kMiB};

TEST(CacheInvariants, CountsOccupancyAndBytesOnRandomTraces) {
  for (const TraceShape& shape : kShapes) {
    const Trace t = random_trace(shape, 42);
    for (const std::string& policy : builtin_policy_names()) {
      for (Bytes capacity : kCapacities) {
        SCOPED_TRACE(std::string(shape.name) + " " + policy + " " + std::to_string(capacity));
        check_invariants(t, policy, capacity);
      }
    }
  }
}

TEST(CacheInvariants, BeladyHasTheMostHitsOnEqualSizes) {
  for (const TraceShape& shape : {kShapes[0], kShapes[1]}) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      const Trace t = random_trace(shape, seed);
      const PreparedTrace prepared(t);
      for (Bytes capacity : kCapacities) {
        ReplaySpec spec;
        spec.capacity_bytes = capacity;
        spec.policy = "belady";
        const std::uint64_t best = replay(prepared, spec).counters.hits;
        for (const std::string& policy : builtin_policy_names()) {
          spec.policy = policy;
          EXPECT_LE(replay(prepared, spec).counters.hits, best)
              << shape.name << " seed " << seed << " " << policy << " at " << capacity;
        }
      }
    }
  }
}

TEST(CacheInvariants, LruIsAStackAlgorithm) {
  // Hits never fall as the capacity grows (equal sizes: inclusion property).
  for (const TraceShape& shape : {kShapes[0], kShapes[1]}) {
    const Trace t = random_trace(shape, 9);
    const PreparedTrace prepared(t);
    std::uint64_t previous = 0;
    for (Bytes capacity = 4 * kKiB; capacity <= 1024 * kKiB; capacity += 4 * kKiB) {
      ReplaySpec spec;
      spec.capacity_bytes = capacity;
      const std::uint64_t hits = replay(prepared, spec).counters.hits;
      EXPECT_GE(hits, previous) << shape.name << " at " << capacity;
      previous = hits;
    }
  }
}

TEST(CacheInvariants, SetAssocCountsAddUpForEveryPolicy) {
  const Trace t = random_trace(kShapes[3], 5);
  const PreparedTrace prepared(t);
  for (const std::string& policy : builtin_policy_names()) {
    ReplaySpec spec;
    spec.policy = policy;
    spec.organization = Organization::kSetAssoc;
    spec.geometry.ways = 4;
    spec.geometry.line_bytes = 1024;
    spec.capacity_bytes = 64 * 4 * 1024;  // 64 sets
    const ReplayResult r = replay(prepared, spec);
    EXPECT_EQ(r.counters.hits + r.counters.misses, r.counters.accesses) << policy;
    EXPECT_EQ(r.counters.accesses, replay_length(prepared, spec)) << policy;
    EXPECT_EQ(r.counters.bytes_hit + r.counters.bytes_missed, r.counters.bytes_accessed);
  }
}

TEST(CacheInvariants, ReplayIsDeterministic) {
  const Trace t = random_trace(kShapes[1], 77);
  for (const std::string& policy : builtin_policy_names()) {
    ReplaySpec spec;
    spec.policy = policy;
    spec.capacity_bytes = 128 * kKiB;
    spec.seed = 3;
    const ReplayResult a = replay(t, spec);
    const ReplayResult b = replay(t, spec);
    EXPECT_EQ(a.counters.hits, b.counters.hits) << policy;
    EXPECT_EQ(a.counters.evictions, b.counters.evictions) << policy;
  }
}

}  // namespace
}  // namespace tessera::cache

// The one-pass LRU miss-ratio curve (models/analysis) must equal a full
// replay through the tensor cache with the `lru` policy (models/cache) at
// every capacity, exactly: hits, misses, bytes hit and bytes missed.
//
// Both sides hold each tensor's extent (the running maximum of the bytes its
// accesses touched so far) and count an access beyond it as a miss
// (tensor_cache.h, docs/analysis.md §2). The traces here mix whole-tensor
// accesses with partial ones, KV-cache-like tensors whose accesses grow, and
// 0-byte accesses; capacities range from below the smallest tensor
// (everything bypasses) through sizes where large tensors bypass while small
// ones stay cached, to above the whole footprint (only cold and growth
// misses). The quickstart trace (a decoder whose decode steps read a growing
// part of each KV cache) is checked too.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "models/analysis/lru_mrc.h"
#include "models/cache/replay.h"
#include "models/config/experiment_config.h"
#include "models/core/rng.h"
#include "models/workload/generator.h"

namespace tessera {
namespace {

// How an event's bytes relate to its tensor's size.
enum class Extent {
  kWhole,    // every event covers its tensor
  kPartial,  // a random part of the tensor (1 .. size bytes), sometimes 0
  kGrowing,  // a quarter of the tensors grow like a KV cache, the rest random parts
};

workload::Trace seeded_trace(std::uint64_t seed, std::uint32_t tensors, std::uint64_t events,
                             Bytes min_bytes, Bytes max_bytes, bool skewed, bool with_writes,
                             Extent extent = Extent::kWhole) {
  Rng rng(seed);
  workload::Trace t;
  std::uint64_t address = 0;
  for (std::uint32_t i = 0; i < tensors; ++i) {
    workload::TensorInfo info;
    info.name = "t" + std::to_string(i);
    info.bytes = min_bytes + rng.below(max_bytes - min_bytes + 1);
    info.address = address;
    address += info.bytes;
    t.add_tensor(info);
  }
  t.add_op(workload::OpInfo{});
  std::vector<Bytes> grown(tensors, 0);  // a growing tensor's bytes so far
  for (std::uint64_t i = 0; i < events; ++i) {
    std::uint32_t id;
    if (skewed) {
      // u^3 concentrates draws on low ids: reuses at short and long distances.
      const double u = rng.uniform();
      id = std::min<std::uint32_t>(tensors - 1, static_cast<std::uint32_t>(tensors * u * u * u));
    } else {
      id = static_cast<std::uint32_t>(rng.below(tensors));
    }
    const bool write = with_writes && rng.below(4) == 0;
    const auto kind = write ? workload::AccessKind::kWrite : workload::AccessKind::kRead;
    const workload::TensorInfo& info = t.tensors[id];
    Bytes bytes = info.bytes;
    if (extent == Extent::kGrowing && id % 4 == 0) {
      // Each access grows the tensor by a step with probability 1/3, up to
      // its full size; otherwise it reads what is there (or less).
      const Bytes step = std::max<Bytes>(1, info.bytes / 16);
      if (grown[id] == 0 || rng.below(3) == 0) grown[id] = std::min(info.bytes, grown[id] + step);
      bytes = rng.below(5) == 0 ? 1 + rng.below(grown[id]) : grown[id];
    } else if (extent != Extent::kWhole) {
      bytes = rng.below(50) == 0 ? 0 : 1 + rng.below(info.bytes);
    }
    t.access_part(id, 0, kind, info.address, bytes);
  }
  return t;
}

// Largest event bytes and the number of growth accesses (an event touching
// more than any earlier event of its tensor, after the first).
struct ExtentFacts {
  Bytes largest = 0;
  std::uint64_t growth = 0;
};
ExtentFacts extent_facts(const workload::Trace& trace) {
  ExtentFacts f;
  std::vector<Bytes> extent(trace.tensors.size(), 0);
  std::vector<bool> seen(trace.tensors.size(), false);
  for (const auto& e : trace.events) {
    f.largest = std::max(f.largest, e.bytes);
    if (seen[e.tensor_id] && e.bytes > extent[e.tensor_id]) ++f.growth;
    seen[e.tensor_id] = true;
    extent[e.tensor_id] = std::max(extent[e.tensor_id], e.bytes);
  }
  return f;
}

void expect_equal_at_every_capacity(const workload::Trace& trace,
                                    const std::vector<Bytes>& capacities) {
  const analysis::LruMrc mrc = analysis::compute_lru_mrc(trace, capacities);
  ASSERT_GE(mrc.by_bytes.size(), 5u);
  EXPECT_EQ(mrc.growth, extent_facts(trace).growth);
  const cache::PreparedTrace prepared(trace);
  for (const analysis::MrcPoint& p : mrc.by_bytes) {
    cache::ReplaySpec spec;
    spec.policy = "lru";
    spec.capacity_bytes = p.capacity_bytes;
    const cache::ReplayResult r = cache::replay(prepared, spec);
    EXPECT_EQ(r.counters.accesses, p.accesses) << "capacity " << p.capacity_bytes;
    EXPECT_EQ(r.counters.hits, p.hits) << "capacity " << p.capacity_bytes;
    EXPECT_EQ(r.counters.misses, p.misses) << "capacity " << p.capacity_bytes;
    EXPECT_EQ(r.counters.bytes_accessed, p.bytes_accessed) << "capacity " << p.capacity_bytes;
    EXPECT_EQ(r.counters.bytes_hit, p.bytes_hit) << "capacity " << p.capacity_bytes;
    EXPECT_EQ(r.counters.bytes_missed, p.bytes_missed) << "capacity " << p.capacity_bytes;
  }
}

TEST(MrcMatchesReplay, UniformVariableSizes) {
  const auto trace = seeded_trace(101, 300, 20000, 64, 64 * 1024, false, false);
  expect_equal_at_every_capacity(trace, analysis::log_spaced_capacities(32, 32 * 1024 * 1024, 14));
}

TEST(MrcMatchesReplay, SkewedVariableSizesWithWrites) {
  const auto trace = seeded_trace(202, 1000, 30000, 1, 1 << 20, true, true);
  expect_equal_at_every_capacity(trace, analysis::log_spaced_capacities(1, 1ull << 30, 20));
}

TEST(MrcMatchesReplay, EqualSizes) {
  const auto trace = seeded_trace(303, 128, 10000, 4096, 4096, true, false);
  expect_equal_at_every_capacity(
      trace, {4096, 3 * 4096, 10 * 4096, 33 * 4096, 100 * 4096, 128 * 4096, 4095});
}

// A few huge tensors among small ones, capacities between the two: the huge
// ones bypass and the small ones must still hit across them.
TEST(MrcMatchesReplay, BypassingGiants) {
  workload::Trace trace = seeded_trace(404, 64, 8000, 100, 2000, true, false);
  Rng rng(405);
  for (auto& e : trace.events) {
    if (rng.below(10) == 0) e.tensor_id = 60 + static_cast<std::uint32_t>(rng.below(4));
  }
  for (std::uint32_t id = 60; id < 64; ++id) {
    trace.tensors[id].bytes = 1'000'000 + id;
  }
  for (auto& e : trace.events) e.bytes = trace.tensors[e.tensor_id].bytes;
  expect_equal_at_every_capacity(trace, {1500, 4000, 16000, 64000, 999'999, 1'000'100, 5'000'000});
}

// Accesses to random parts of their tensors (and a few of 0 bytes): extents
// settle at each tensor's largest access, earlier smaller ones re-insert the
// running maximum.
TEST(MrcMatchesReplay, PartialAccessesWithWrites) {
  for (const std::uint64_t seed : {501u, 502u}) {
    const auto trace =
        seeded_trace(seed, 400, 30000, 16, 1 << 16, seed == 502, true, Extent::kPartial);
    SCOPED_TRACE(seed);
    ASSERT_GT(extent_facts(trace).growth, 0u);
    expect_equal_at_every_capacity(trace, analysis::log_spaced_capacities(8, 64ull << 20, 18));
  }
}

// KV-cache-like tensors that grow in steps (growth misses at every capacity,
// and at small capacities a grown entry that no longer fits leaves a hole
// that later inserts fill without evicting).
TEST(MrcMatchesReplay, GrowingTensors) {
  for (const std::uint64_t seed : {601u, 602u, 603u}) {
    const auto trace =
        seeded_trace(seed, 200, 30000, 64, 1 << 15, seed != 601, seed == 603, Extent::kGrowing);
    SCOPED_TRACE(seed);
    const ExtentFacts f = extent_facts(trace);
    ASSERT_GT(f.growth, 100u);
    // Capacities around the largest extents and far below them.
    std::vector<Bytes> caps = analysis::log_spaced_capacities(32, 8ull << 20, 16);
    for (Bytes c : {f.largest - 1, f.largest, f.largest + 1, 2 * f.largest + 7}) caps.push_back(c);
    expect_equal_at_every_capacity(trace, caps);
  }
}

// The quickstart decoder: 2 layers, 64-token prefill, 4 decode steps whose
// reads of each layer's KV cache grow by a token at a time.
TEST(MrcMatchesReplay, QuickstartTrace) {
  const config::ExperimentConfig e =
      config::load_experiment(std::string(TESSERA_SOURCE_DIR) + "/configs/quickstart.yaml");
  const workload::Trace trace = workload::generate_trace(e.workload);
  const ExtentFacts f = extent_facts(trace);
  ASSERT_GT(f.growth, 0u) << "the quickstart no longer grows its KV caches";
  Bytes footprint = 0;
  for (const auto& t : trace.tensors) footprint += t.bytes;
  std::vector<Bytes> caps = analysis::log_spaced_capacities(64 * kKiB, footprint, 12);
  for (Bytes c : {f.largest / 2, f.largest - 1, f.largest, Bytes{16} * kMiB}) caps.push_back(c);
  expect_equal_at_every_capacity(trace, caps);
}

}  // namespace
}  // namespace tessera

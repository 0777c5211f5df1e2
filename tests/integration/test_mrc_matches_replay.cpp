// The one-pass LRU miss-ratio curve (models/analysis) must equal a full
// replay through the tensor cache with the `lru` policy (models/cache) at
// every capacity, exactly: hits and misses, not just ratios.
//
// Both sides model whole-tensor entries here: every event covers its tensor,
// so the cache's entry extent (the bytes of the inserting access) is the
// tensor's size. Capacities range from below the smallest tensor (everything
// bypasses) through sizes where large tensors bypass while small ones stay
// cached (the case a plain byte stack distance gets wrong) to above the
// whole footprint (only cold misses).
#include <gtest/gtest.h>

#include "models/analysis/lru_mrc.h"
#include "models/cache/replay.h"
#include "models/core/rng.h"

namespace tessera {
namespace {

workload::Trace seeded_trace(std::uint64_t seed, std::uint32_t tensors, std::uint64_t events,
                             Bytes min_bytes, Bytes max_bytes, bool skewed, bool with_writes) {
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
    t.access(id, 0, write ? workload::AccessKind::kWrite : workload::AccessKind::kRead);
  }
  return t;
}

void expect_equal_at_every_capacity(const workload::Trace& trace,
                                    const std::vector<Bytes>& capacities) {
  const analysis::LruMrc mrc = analysis::compute_lru_mrc(trace, capacities);
  ASSERT_GE(mrc.by_bytes.size(), 5u);
  const cache::PreparedTrace prepared(trace);
  for (const analysis::MrcPoint& p : mrc.by_bytes) {
    cache::ReplaySpec spec;
    spec.policy = "lru";
    spec.capacity_bytes = p.capacity_bytes;
    const cache::ReplayResult r = cache::replay(prepared, spec);
    EXPECT_EQ(r.counters.accesses, p.accesses) << "capacity " << p.capacity_bytes;
    EXPECT_EQ(r.counters.hits, p.hits) << "capacity " << p.capacity_bytes;
    EXPECT_EQ(r.counters.misses, p.misses) << "capacity " << p.capacity_bytes;
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

}  // namespace
}  // namespace tessera

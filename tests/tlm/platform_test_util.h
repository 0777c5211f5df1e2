// Helpers for the timed-platform tests: small platforms and seeded traces.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "models/config/platform_config.h"
#include "models/core/rng.h"
#include "models/platform/result.h"
#include "models/workload/trace.h"

namespace tessera::testing {

// LT's total time / AT's on the same run stays within 1 +- this
// (docs/platform.md, "AT and LT"; the seeded workloads of the invariant
// tests measured 1.00-1.31, the quickstart cut 1.01).
inline constexpr double kLtTimeTolerance = 0.35;

// AT and LT of the same run: identical cache counts, bytes and transactions,
// and LT's total time within kLtTimeTolerance of AT's.
inline void expect_same_functional_outcome(const platform::TimedRun& at,
                                           const platform::TimedRun& lt) {
  EXPECT_EQ(at.mode, "at");
  EXPECT_EQ(lt.mode, "lt");
  const platform::CacheStats& a = at.record.cache;
  const platform::CacheStats& l = lt.record.cache;
  EXPECT_EQ(a.read_hits, l.read_hits);
  EXPECT_EQ(a.read_misses, l.read_misses);
  EXPECT_EQ(a.write_hits, l.write_hits);
  EXPECT_EQ(a.write_misses, l.write_misses);
  EXPECT_EQ(a.read_hit_bytes, l.read_hit_bytes);
  EXPECT_EQ(a.read_miss_bytes, l.read_miss_bytes);
  EXPECT_EQ(a.fill_bytes, l.fill_bytes);
  EXPECT_EQ(a.writeback_bytes, l.writeback_bytes);
  EXPECT_EQ(a.lookups, l.lookups);
  EXPECT_EQ(at.record.transactions, lt.record.transactions);
  // LT's approximate DRAM (models/platform/lt_dram.h) keeps its total time
  // within kLtTimeTolerance of AT's (docs/platform.md, "AT and LT").
  const double ratio = static_cast<double>(platform::total_time_ps(lt)) /
                       static_cast<double>(platform::total_time_ps(at));
  EXPECT_NEAR(ratio, 1.0, kLtTimeTolerance) << "LT / AT total time";
}

inline config::PlatformConfig test_platform(std::uint32_t tiles, Bytes capacity) {
  config::PlatformConfig p;
  p.name = "test";
  p.clock_hz = 1'000'000'000;  // 1 ns cycles
  p.tiles.count = tiles;
  p.tiles.rows = 8;
  p.tiles.cols = 8;
  p.tiles.lanes = 8;
  p.tiles.dataflow = config::Dataflow::kOutputStationary;
  p.tiles.max_outstanding = 8;
  p.cache.capacities_bytes = {capacity};
  p.cache.policies = {"lru"};
  p.cache.hit_latency_cycles = 10;
  p.cache.banks = 1;
  p.interconnect.bytes_per_cycle = 32;
  p.interconnect.latency_cycles = 4;
  p.interconnect.burst_bytes = 64;
  p.dram.preset = "DDR4-3200";
  p.dram.channels = 1;
  return p;
}

// A chain of `ops` operators (GEMMs with seeded shapes, and elementwise ops),
// each reading the previous output and its own weights (re-read by a later
// operator with probability 1/2, so the cache sees reuse), fp16.
inline workload::Trace seeded_trace(std::uint64_t seed, int ops) {
  Rng rng(seed);
  workload::Trace t;
  t.model = "seeded";
  t.family = "mlp";
  std::uint64_t next_address = 0;
  auto tensor = [&](const std::string& name, Bytes bytes, workload::TensorRole role) {
    const std::uint64_t address = next_address;
    next_address += (bytes + 255) / 256 * 256;
    return t.add_tensor({name, bytes, address, role});
  };
  std::uint64_t rows = 16 + rng.below(48);
  std::uint64_t width = 16 + rng.below(112);
  std::uint32_t act = tensor("input", rows * width * 2, workload::TensorRole::kInput);
  std::uint32_t last_weight = act;
  for (int i = 0; i < ops; ++i) {
    workload::OpInfo op;
    op.name = "op" + std::to_string(i);
    op.layer = static_cast<std::uint32_t>(i / 2);
    op.dtype_bytes = 2;
    std::uint32_t out;
    if (rng.below(3) != 0) {
      const std::uint64_t n = 16 + rng.below(112);
      op.kind = workload::OpKind::kGemm;
      op.m = rows, op.k = width, op.n = n;
      op.flops = 2 * op.m * op.n * op.k;
      const std::uint32_t w = rng.below(2) == 0 && i > 0 ? last_weight
                                                         : tensor(op.name + ".w", width * n * 2,
                                                                  workload::TensorRole::kWeight);
      if (t.tensors[w].bytes != width * n * 2) {  // reuse only when the shape fits
        last_weight = tensor(op.name + ".w", width * n * 2, workload::TensorRole::kWeight);
      } else {
        last_weight = w;
      }
      out = tensor(op.name + ".out", rows * n * 2, workload::TensorRole::kActivation);
      const auto id = t.add_op(op);
      t.access(act, id, workload::AccessKind::kRead);
      t.access(last_weight, id, workload::AccessKind::kRead);
      t.access(out, id, workload::AccessKind::kWrite);
      width = n;
    } else {
      op.kind = workload::OpKind::kElementwise;
      op.m = rows * width, op.n = 1, op.k = 1;
      op.flops = rows * width;
      out = tensor(op.name + ".out", rows * width * 2, workload::TensorRole::kActivation);
      const auto id = t.add_op(op);
      t.access(act, id, workload::AccessKind::kRead);
      t.access(out, id, workload::AccessKind::kWrite);
    }
    act = out;
  }
  return t;
}

}  // namespace tessera::testing

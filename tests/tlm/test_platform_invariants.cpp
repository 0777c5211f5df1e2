// Invariants of the timed platform on seeded workloads. Each TEST is its own
// process (the SystemC kernel runs once per process); AT and LT netlists run
// side by side in the same simulation.
//
// What AT and LT must agree on (any number of tiles): every cache count and
// byte (hits, misses, lookups, fills, write-backs, bypasses) and the number of
// transactions, because the cache decides in the schedule's lookup order
// (models/platform/cache_core.h). What they legitimately differ on: every
// time (cycles, stalls, DRAM latencies, busy intervals), LT's total time
// staying within a documented tolerance of AT's (docs/platform.md): LT models
// no interconnect contention and times DRAM with an approximate in-order model.
#include <gtest/gtest.h>

#include "models/cache/replay.h"
#include "models/platform/result.h"
#include "models/platform/schedule.h"
#include "models/tlm/platform_run.h"
#include "tests/tlm/platform_test_util.h"

namespace tessera {
namespace {

void check_invariants(const workload::Trace& trace, const config::PlatformConfig& platform,
                      const std::vector<platform::TimedRun>& runs) {
  const Picoseconds period = platform.clock_period_ps();
  platform::RunContext ctx;
  ctx.experiment = "invariants";
  ctx.mode = "at";
  ctx.trace = &trace;
  ctx.platform = &platform;
  const nlohmann::ordered_json result = platform::result_json(ctx, runs);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const platform::TimedRun& run = runs[r];
    SCOPED_TRACE(run.mode + " " + run.policy + " " + std::to_string(run.capacity_bytes));
    const platform::RunRecord& rec = run.record;
    const Picoseconds total = platform::total_time_ps(run);
    // Compute bound: the busiest tile's compute cycles.
    Cycles compute = 0;
    Bytes tile_read = 0, tile_write = 0;
    for (const auto& s : run.schedule) {
      compute = std::max(compute, s.compute_cycles);
      tile_read += s.read_bytes;
      tile_write += s.write_bytes;
    }
    EXPECT_GT(compute, 0u);
    EXPECT_GE(total, compute * period);
    // Memory bound: DRAM bytes at the DRAM's peak bandwidth.
    Bytes dram_read = 0, dram_write = 0;
    for (const auto& ch : rec.channels) {
      dram_read += ch.read_bytes;
      dram_write += ch.write_bytes;
    }
    EXPECT_GT(dram_read, 0u);
    EXPECT_GE(static_cast<double>(total),
              static_cast<double>(dram_read + dram_write) / run.dram_peak_bytes_per_s * 1e12);
    // Every byte a tile reads is a cache hit or a miss served by DRAM.
    EXPECT_EQ(rec.cache.read_hit_bytes + rec.cache.read_miss_bytes, tile_read);
    EXPECT_EQ(rec.cache.write_hit_bytes + rec.cache.write_miss_bytes, tile_write);
    EXPECT_GE(rec.cache.fill_bytes, rec.cache.read_miss_bytes);
    EXPECT_EQ(dram_read, rec.cache.fill_bytes);
    EXPECT_EQ(dram_write, rec.cache.writeback_bytes + rec.cache.bypass_write_bytes);
    // Transactions: one per tile burst plus one per DRAM burst.
    std::uint64_t tile_tx = 0;
    for (const auto& s : run.schedule) tile_tx += s.transactions;
    EXPECT_EQ(rec.tile_transactions, tile_tx);
    // A channel counts each DRAM transaction that touched it, so with several
    // controllers a transaction spanning two of them counts twice.
    std::uint64_t dram_tx = 0;
    for (const auto& ch : rec.channels) dram_tx += ch.requests;
    if (rec.channels.size() == 1) {
      EXPECT_EQ(rec.transactions, tile_tx + dram_tx);
    } else {
      EXPECT_GE(tile_tx + dram_tx, rec.transactions);
    }
    // No operator beats its roofline bound; the whole run beats no bound.
    const auto& checks = result["runs"][r]["checks"];
    EXPECT_EQ(checks["operators_below_roofline_bound"].get<std::uint64_t>(), 0u);
    EXPECT_FALSE(checks["below_compute_bound"].get<bool>());
    EXPECT_FALSE(checks["below_memory_bound"].get<bool>());
    // Per-tile operator records tile the tile's time without gaps.
    for (const auto& tile : rec.tiles) {
      Picoseconds at = 0;
      for (const auto& op : tile) {
        EXPECT_EQ(op.start_ps, at);
        Picoseconds stalls = 0;
        for (Picoseconds s : op.stall_ps) stalls += s;
        EXPECT_EQ(op.end_ps - op.start_ps, op.compute_cycles * period + stalls);
        at = op.end_ps;
      }
    }
  }
}

TEST(PlatformInvariants, OneTileAtAndLtAgreeAndHoldInvariants) {
  // A 24 KiB cache on a ~100 KiB working set: hits, misses, evictions, write-backs.
  const workload::Trace trace = testing::seeded_trace(7, 16);
  config::PlatformConfig platform = testing::test_platform(1, 24 * kKiB);
  tlm_platform::RunOptions options;
  options.lt_modes = {false, true};
  const auto runs = tlm_platform::run_timed(trace, platform, options);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_GT(runs[0].record.cache.read_hits, 0u);
  EXPECT_GT(runs[0].record.cache.read_misses, 0u);
  EXPECT_GT(runs[0].record.cache.writeback_bytes, 0u);
  testing::expect_same_functional_outcome(runs[0], runs[1]);
  check_invariants(trace, platform, runs);
}

TEST(PlatformInvariants, FourTilesTwoBanksSeveralPoliciesAndCapacities) {
  const workload::Trace trace = testing::seeded_trace(11, 12);
  config::PlatformConfig platform = testing::test_platform(4, 16 * kKiB);
  platform.cache.banks = 2;
  platform.cache.capacities_bytes = {2 * kKiB, 1 * kMiB};
  platform.cache.policies = {"lru", "fifo"};
  tlm_platform::RunOptions options;
  options.lt_modes = {false, true};
  const auto runs = tlm_platform::run_timed(trace, platform, options);
  ASSERT_EQ(runs.size(), 8u);
  check_invariants(trace, platform, runs);
  // The cache decides in the schedule's lookup order, not in arrival order:
  // AT and LT agree on every count even with four tiles drifting apart.
  for (std::size_t i = 0; i < 4; ++i) testing::expect_same_functional_outcome(runs[i], runs[i + 4]);
  // A cache that holds everything misses only on first touches: fewer
  // DRAM reads than the small one.
  EXPECT_LT(runs[2].record.cache.fill_bytes, runs[0].record.cache.fill_bytes);
}

TEST(PlatformInvariants, OraclePoliciesRunTimedAndAgreeAcrossModes) {
  const workload::Trace trace = testing::seeded_trace(5, 16);
  config::PlatformConfig platform = testing::test_platform(3, 6 * kKiB);
  platform.cache.banks = 2;
  platform.cache.policies = {"lru", "belady", "belady-size"};
  tlm_platform::RunOptions options;
  options.lt_modes = {false, true};
  const auto runs = tlm_platform::run_timed(trace, platform, options);
  ASSERT_EQ(runs.size(), 6u);
  check_invariants(trace, platform, runs);
  for (std::size_t i = 0; i < 3; ++i) testing::expect_same_functional_outcome(runs[i], runs[i + 3]);
  EXPECT_EQ(runs[1].policy, "belady");
  EXPECT_GT(runs[1].record.cache.read_hits, 0u);
  // With the next use known, Belady hits at least as often per lookup as LRU here.
  EXPECT_GE(runs[1].record.cache.lookup_hits, runs[0].record.cache.lookup_hits);
}

// HBM3's pseudo-channels take 32 B bursts and the default mapping puts the
// controller bits lowest, so every 64 B DRAM transaction spans controllers 2k
// and 2k + 1: each must be credited its half of the bytes, a request, a
// latency and busy time (all of it once went to the first burst's controller
// and every odd controller showed 0 bytes). Two tiles: this seed also once
// stopped the AT run dead (the interconnect did not wake for a requester left
// waiting after the last grant), which run_timed now reports as an error.
TEST(PlatformInvariants, TransactionsSpanningControllersCreditEachItsBytes) {
  const workload::Trace trace = testing::seeded_trace(17, 10);
  config::PlatformConfig platform = testing::test_platform(2, 8 * kKiB);
  platform.dram.preset = "HBM3";
  tlm_platform::RunOptions options;
  options.lt_modes = {false, true};
  const auto runs = tlm_platform::run_timed(trace, platform, options);
  ASSERT_EQ(runs.size(), 2u);
  check_invariants(trace, platform, runs);
  testing::expect_same_functional_outcome(runs[0], runs[1]);
  for (const auto& run : runs) {
    SCOPED_TRACE(run.mode);
    const auto& channels = run.record.channels;
    ASSERT_EQ(channels.size(), 32u);  // 16 channels x 2 pseudo-channels
    Bytes even = 0, odd = 0;
    for (std::size_t c = 0; c < channels.size(); ++c) {
      const auto& ch = channels[c];
      (c % 2 == 0 ? even : odd) += ch.read_bytes;
      if (ch.read_bytes + ch.write_bytes == 0) continue;
      EXPECT_GT(ch.requests, 0u) << "controller " << c;
      EXPECT_EQ(ch.latency.count(), ch.requests) << "controller " << c;
      if (run.mode == "at") {
        EXPECT_GT(ch.busy.busy_ps(), 0u) << "controller " << c;
      }
    }
    // Fills start on 64 B boundaries: each pseudo-channel of a pair serves
    // half of every whole transaction; only the tails (32 B or less) of
    // odd-sized tensors fall to the even side alone.
    const double read = static_cast<double>(even + odd);
    EXPECT_GT(odd, 0u);
    EXPECT_NEAR(static_cast<double>(odd), read / 2, read * 0.05);
  }
}

// Set-associative caches (line lookups per burst): the same invariants, AT and
// LT agree, with lines smaller than, equal to and larger than a burst (one
// TEST each: one simulation per process).
void set_associative_invariants(Bytes line) {
  const workload::Trace trace = testing::seeded_trace(13, 14);
  config::PlatformConfig platform = testing::test_platform(3, 8 * kKiB);
  platform.cache.organization = config::CacheOrganization::kSetAssociative;
  platform.cache.ways = 4;
  platform.cache.line_bytes = line;
  platform.cache.banks = 2;
  platform.cache.policies = {"lru", "belady"};
  tlm_platform::RunOptions options;
  options.lt_modes = {false, true};
  const auto runs = tlm_platform::run_timed(trace, platform, options);
  ASSERT_EQ(runs.size(), 4u);
  check_invariants(trace, platform, runs);
  for (std::size_t i = 0; i < 2; ++i) {
    testing::expect_same_functional_outcome(runs[i], runs[i + 2]);
    EXPECT_EQ(runs[i].record.cache.bypass_write_bytes, runs[i + 2].record.cache.bypass_write_bytes);
    EXPECT_GT(runs[i].record.cache.read_hits, 0u);
    EXPECT_GT(runs[i].record.cache.read_misses, 0u);
    // Fills are whole lines.
    EXPECT_EQ(runs[i].record.cache.fill_bytes % line, 0u);
  }
  EXPECT_GT(runs[0].record.cache.writeback_bytes, 0u);
  EXPECT_GE(runs[1].record.cache.lookup_hits, runs[0].record.cache.lookup_hits);
}

TEST(PlatformInvariants, SetAssociativeLinesSmallerThanABurst) {
  set_associative_invariants(32);
}
TEST(PlatformInvariants, SetAssociativeLinesOfABurst) {
  set_associative_invariants(64);
}
TEST(PlatformInvariants, SetAssociativeLinesLargerThanABurst) {
  set_associative_invariants(128);
}

// One tile, no double buffering, 64 B lines and bursts: the timed cache's
// line lookups are the set-associative replay's line stream of the trace in
// lookup order, so its DRAM traffic equals the replay's.
TEST(PlatformInvariants, SetAssociativeOneTileMovesWhatTheReplayCounts) {
  const workload::Trace trace = testing::seeded_trace(17, 16);
  config::PlatformConfig platform = testing::test_platform(1, 16 * kKiB);
  platform.cache.organization = config::CacheOrganization::kSetAssociative;
  platform.cache.ways = 2;
  platform.tiles.double_buffering = false;
  tlm_platform::RunOptions options;
  options.lt_modes = {false, true};
  const auto runs = tlm_platform::run_timed(trace, platform, options);
  check_invariants(trace, platform, runs);
  testing::expect_same_functional_outcome(runs[0], runs[1]);
  workload::Trace reordered = trace;
  reordered.events.clear();
  for (const platform::Segment* s : platform::lookup_sequence(runs[0].schedule)) {
    workload::TraceEvent e;
    e.address = s->address;
    e.bytes = s->bytes;
    e.tensor_id = s->tensor_id;
    e.set(0, s->write ? workload::AccessKind::kWrite : workload::AccessKind::kRead);
    reordered.events.push_back(e);
  }
  cache::ReplaySpec spec;
  spec.policy = "lru";
  spec.capacity_bytes = 16 * kKiB;
  spec.organization = cache::Organization::kSetAssoc;
  spec.geometry = {2, 64};
  const cache::ReplayResult r = cache::replay(reordered, spec);
  const platform::CacheStats& c = runs[0].record.cache;
  EXPECT_EQ(c.lookups, r.counters.accesses);
  EXPECT_EQ(c.lookup_hits, r.counters.hits);
  EXPECT_EQ(c.fill_bytes, r.counters.bytes_read_from_dram);
  EXPECT_EQ(c.writeback_bytes, r.counters.bytes_written_to_dram);
  EXPECT_GT(r.counters.writebacks, 0u);
}

}  // namespace
}  // namespace tessera

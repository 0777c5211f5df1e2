// The set-associative timed cache's functional side (LineCacheCore): line
// lookups per burst worked by hand, and equality with `tessera replay`'s
// set-associative organization on seeded workloads.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "models/cache/replay.h"
#include "models/core/error.h"
#include "models/platform/line_cache_core.h"
#include "models/platform/schedule.h"
#include "tests/tlm/platform_test_util.h"

namespace tessera::platform {
namespace {

config::PlatformCacheConfig set_assoc(std::uint32_t ways, Bytes line) {
  config::PlatformCacheConfig c;
  c.organization = config::CacheOrganization::kSetAssociative;
  c.ways = ways;
  c.line_bytes = line;
  return c;
}

Segment seg(std::uint64_t address, Bytes bytes, std::uint32_t lookup, bool write = false) {
  return {address, bytes, address, bytes, 0, lookup, write};
}

std::vector<const Segment*> pointers(const std::vector<Segment>& segs) {
  std::vector<const Segment*> out;
  for (const Segment& s : segs) out.push_back(&s);
  return out;
}

struct Decided {
  std::vector<std::uint8_t> flags;
  std::vector<std::uint64_t> writebacks;
};

Decided decide_all(LineCacheCore& core, std::uint32_t segments) {
  Decided d;
  core.decide_through(segments - 1, [&](std::uint8_t f, std::uint64_t address, bool writeback) {
    d.flags.push_back(f);
    if (writeback) d.writebacks.push_back(address);
  });
  return d;
}

constexpr std::uint8_t H = LineLookup::kHit, M = 0;

TEST(LineCacheCore, DirectMappedConflictsAndDirtyWriteBackByHand) {
  // 2 sets x 1 way of 64 B lines (128 B), 64 B bursts. Lines 0 and 2 share set 0.
  const std::vector<Segment> segs = {
      seg(0, 128, 0),         // lines 0 (set 0), 1 (set 1): two cold misses
      seg(0, 64, 1),          // line 0: hit
      seg(128, 32, 2, true),  // line 2 (set 0): write miss, allocates, evicts clean line 0
      seg(0, 64, 3),          // line 0: miss, evicts dirty line 2: write-back of 64 B at 128
      seg(64, 64, 4),         // line 1: still resident in set 1
  };
  LineCacheCore core(set_assoc(1, 64), 128, 64, "lru", 1, pointers(segs));
  EXPECT_EQ(core.sets(), 2u);
  EXPECT_EQ(core.line_lookups(), 6u);
  const Decided d = decide_all(core, 5);
  EXPECT_EQ(d.flags, (std::vector<std::uint8_t>{M, M, H, M, M, H}));
  EXPECT_EQ(d.writebacks, (std::vector<std::uint64_t>{128}));
  // Bursts find their lines: the second burst of segment 0 is its line 1.
  EXPECT_EQ(core.burst_lines(64, 64), 1u);
  EXPECT_EQ(*core.burst_flags(0, 0, 64), M);
  EXPECT_EQ(*core.burst_flags(4, 64, 64), H);
  const cache::CacheCounters c = core.counters();
  EXPECT_EQ(c.accesses, 6u);
  EXPECT_EQ(c.hits, 2u);
  EXPECT_EQ(c.evictions, 2u);
  EXPECT_EQ(c.writebacks, 1u);
  EXPECT_EQ(c.bytes_read_from_dram, 3u * 64);  // read misses fill whole lines; the write does not
  EXPECT_EQ(c.bytes_written_to_dram, 64u);
}

TEST(LineCacheCore, LineLargerThanABurstIsLookedUpByEachBurst) {
  // 128 B lines, 64 B bursts: a segment [0, 256) is four bursts on lines 0, 0, 1, 1;
  // the second burst of each line hits what the first inserted.
  const std::vector<Segment> segs = {seg(0, 256, 0)};
  LineCacheCore core(set_assoc(2, 128), 1024, 64, "lru", 1, pointers(segs));
  EXPECT_EQ(core.granule_bytes(), 64u);
  const Decided d = decide_all(core, 1);
  EXPECT_EQ(d.flags, (std::vector<std::uint8_t>{M, H, M, H}));
  EXPECT_EQ(core.burst_lines(128, 64), 1u);
  EXPECT_EQ(core.burst_flags(0, 0, 128) - core.burst_flags(0, 0, 0), 2);
  EXPECT_EQ(core.counters().bytes_read_from_dram, 256u);
}

TEST(LineCacheCore, LineSmallerThanABurstIsLookedUpOncePerSegment) {
  // 32 B lines, 64 B bursts: segment [16, 112) has bursts [16, 64) and [64, 112)
  // over lines 0..3, two lines each; then [48, 80) re-reads lines 1 and 2.
  const std::vector<Segment> segs = {seg(16, 96, 0), seg(48, 32, 1)};
  LineCacheCore core(set_assoc(4, 32), 1024, 64, "lru", 1, pointers(segs));
  const Decided d = decide_all(core, 2);
  EXPECT_EQ(d.flags, (std::vector<std::uint8_t>{M, M, M, M, H, H}));
  EXPECT_EQ(core.burst_lines(16, 48), 2u);
  EXPECT_EQ(core.burst_lines(64, 48), 2u);
  EXPECT_EQ(core.burst_flags(0, 16, 64) - core.burst_flags(0, 16, 16), 2);
  EXPECT_EQ(core.granule_address(16, 1), 32u);
}

TEST(LineCacheCore, DecidesInSequenceOrderWhateverIsAskedFirst) {
  // Asking for segment 2 first decides 0 and 1 on the way, in order.
  const std::vector<Segment> segs = {seg(0, 64, 0), seg(64, 64, 1), seg(0, 64, 2)};
  LineCacheCore core(set_assoc(1, 64), 64, 64, "lru", 1, pointers(segs));
  std::vector<std::uint8_t> flags;
  core.decide_through(2, [&](std::uint8_t f, std::uint64_t, bool) { flags.push_back(f); });
  EXPECT_EQ(flags, (std::vector<std::uint8_t>{M, M, M}));  // one set: 0, 1, 0 all conflict
  core.decide_through(0, [&](std::uint8_t, std::uint64_t, bool) { ADD_FAILURE() << "twice"; });
}

TEST(LineCacheCore, BeladyPerSetSeesTheNextUseOfEachLine) {
  // One set of 2 ways: lines 0, 1, 2, 0, 1. Belady does not admit line 2 (used
  // never again), so 0 and 1 hit; LRU misses all five.
  const std::vector<Segment> segs = {seg(0, 64, 0), seg(64, 64, 1), seg(128, 64, 2), seg(0, 64, 3),
                                     seg(64, 64, 4)};
  LineCacheCore belady(set_assoc(2, 64), 128, 64, "belady", 1, pointers(segs));
  EXPECT_EQ(decide_all(belady, 5).flags,
            (std::vector<std::uint8_t>{M, M, LineLookup::kBypass, H, H}));
  LineCacheCore lru(set_assoc(2, 64), 128, 64, "lru", 1, pointers(segs));
  EXPECT_EQ(decide_all(lru, 5).flags, (std::vector<std::uint8_t>{M, M, M, M, M}));
}

TEST(LineCacheCore, CapacityNotWholeSetsIsOneLineError) {
  const std::vector<Segment> segs = {seg(0, 64, 0)};
  try {
    LineCacheCore core(set_assoc(4, 64), 1000, 64, "lru", 1, pointers(segs));
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("platform.cache.capacity"), std::string::npos) << m;
    EXPECT_NE(m.find("256"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

// One tile, no double buffering, lines no larger than a burst: the timed
// cache's line lookups are exactly the replay's line stream of the trace
// reordered into the schedule's lookup order, so every count agrees.
TEST(LineCacheCore, EqualsTheSetAssociativeReplayOnSeededWorkloads) {
  for (const std::uint64_t trace_seed : {3u, 7u, 19u}) {
    const workload::Trace trace = testing::seeded_trace(trace_seed, 14);
    config::PlatformConfig platform = testing::test_platform(1, 8 * kKiB);
    platform.tiles.double_buffering = false;
    const std::vector<TileSchedule> schedule = build_schedule(trace, platform);
    const std::vector<const Segment*> sequence = lookup_sequence(schedule);
    workload::Trace reordered = trace;
    reordered.events.clear();
    for (const Segment* s : sequence) {
      ASSERT_NE(s, nullptr);
      workload::TraceEvent e;
      e.address = s->address;
      e.bytes = s->bytes;
      e.tensor_id = s->tensor_id;
      e.set(0, s->write ? workload::AccessKind::kWrite : workload::AccessKind::kRead);
      reordered.events.push_back(e);
    }
    for (const Bytes line : {32u, 64u}) {
      for (const char* policy : {"lru", "fifo", "srrip", "random", "score", "belady"}) {
        SCOPED_TRACE(std::to_string(trace_seed) + " " + std::to_string(line) + " " + policy);
        config::PlatformCacheConfig cache = set_assoc(4, line);
        LineCacheCore core(cache, 8 * kKiB, 64, policy, 5, sequence);
        decide_all(core, static_cast<std::uint32_t>(sequence.size()));
        cache::ReplaySpec spec;
        spec.policy = policy;
        spec.capacity_bytes = 8 * kKiB;
        spec.organization = cache::Organization::kSetAssoc;
        spec.geometry = {4, line};
        spec.seed = 5;
        const cache::ReplayResult r = cache::replay(reordered, spec);
        const cache::CacheCounters c = core.counters();
        EXPECT_EQ(c.accesses, r.counters.accesses);
        EXPECT_EQ(c.hits, r.counters.hits);
        EXPECT_EQ(c.bypasses, r.counters.bypasses);
        EXPECT_EQ(c.evictions, r.counters.evictions);
        EXPECT_EQ(c.writebacks, r.counters.writebacks);
        EXPECT_EQ(c.bytes_read_from_dram, r.counters.bytes_read_from_dram);
        EXPECT_EQ(c.bytes_written_to_dram, r.counters.bytes_written_to_dram);
        EXPECT_GT(c.hits, 0u);
        EXPECT_GT(c.evictions, 0u);
      }
    }
  }
}

}  // namespace
}  // namespace tessera::platform

// The tensor core's bookkeeping on hand-worked cases: bypass, dirty
// write-back, pinning, growth of an entry, zero-byte accesses; the policy
// registry; the per-entry state budget.
#include <gtest/gtest.h>

#include "models/cache/policy.h"
#include "models/cache/replay.h"
#include "models/cache/tensor_cache.h"
#include "models/core/error.h"

namespace tessera::cache {
namespace {

AccessInfo at(std::uint64_t position, Bytes bytes, bool write = false) {
  AccessInfo info;
  info.position = position;
  info.bytes = bytes;
  info.is_write = write;
  return info;
}

TensorCache lru_cache(Bytes capacity, std::uint32_t keys) {
  PolicyContext c;
  c.key_space = keys;
  c.capacity_bytes = capacity;
  return TensorCache(capacity, keys, make_policy("lru", c));
}

TEST(TensorCache, MissInsertsEvictsUntilItFitsAndBypassesTheOversized) {
  // 100 bytes. A 60 m, B 30 m (90 used), C 50 m: evict A (LRU) -> 80 used.
  // D 120 > 100: bypass. B h.
  TensorCache cache = lru_cache(100, 4);
  std::vector<std::uint32_t> victims;
  cache.set_eviction_log(&victims);
  EXPECT_EQ(cache.access(0, at(0, 60)), AccessOutcome::kInserted);
  EXPECT_EQ(cache.access(1, at(1, 30)), AccessOutcome::kInserted);
  EXPECT_EQ(cache.access(2, at(2, 50)), AccessOutcome::kInserted);
  EXPECT_EQ(cache.used_bytes(), 80u);
  EXPECT_EQ(cache.access(3, at(3, 120)), AccessOutcome::kBypassed);
  EXPECT_EQ(cache.access(1, at(4, 30)), AccessOutcome::kHit);
  EXPECT_EQ(victims, (std::vector<std::uint32_t>{0}));
  const CacheCounters& c = cache.counters();
  EXPECT_EQ(c.accesses, 5u);
  EXPECT_EQ(c.hits, 1u);
  EXPECT_EQ(c.misses, 4u);
  EXPECT_EQ(c.bypasses, 1u);
  EXPECT_EQ(c.evictions, 1u);
  EXPECT_EQ(c.bytes_accessed, 60u + 30 + 50 + 120 + 30);
  EXPECT_EQ(c.bytes_hit, 30u);
  EXPECT_EQ(c.bytes_missed, 60u + 30 + 50 + 120);
  EXPECT_EQ(c.bytes_read_from_dram, 60u + 30 + 50 + 120);
  EXPECT_EQ(c.bytes_written_to_dram, 0u);
}

TEST(TensorCache, DirtyEntriesAreWrittenBackWhenEvicted) {
  // 100 bytes. A 60 written (no read: the write covers it), B 40 read,
  // A 60 read h, C 40 read m: evict B (clean) -> nothing written.
  // D 60 read m: evict A (dirty): 60 written back. A bypassed write of
  // 200 bytes goes straight to DRAM.
  TensorCache cache = lru_cache(100, 5);
  cache.access(0, at(0, 60, true));
  cache.access(1, at(1, 40));
  cache.access(0, at(2, 60));
  cache.access(2, at(3, 40));
  EXPECT_EQ(cache.counters().bytes_written_to_dram, 0u);
  cache.access(3, at(4, 60));
  cache.access(4, at(5, 200, true));
  const CacheCounters& c = cache.counters();
  EXPECT_EQ(c.writebacks, 1u);
  EXPECT_EQ(c.bytes_written_to_dram, 60u + 200);
  EXPECT_EQ(c.bytes_read_from_dram, 40u + 40 + 60);
  EXPECT_EQ(cache.dirty_bytes(), 0u);
}

TEST(TensorCache, PinnedEntriesAreNeverEvicted) {
  // 100 bytes, A (60) pinned. B 30 m, C 30 m: 120 > 100, the only evictable
  // entry is B. A is never a victim however cold it gets.
  TensorCache cache = lru_cache(100, 3);
  cache.pin(0);
  cache.access(0, at(0, 60));
  std::vector<std::uint32_t> victims;
  cache.set_eviction_log(&victims);
  for (std::uint64_t i = 1; i < 9; ++i) cache.access(1 + (i % 2), at(i, 30));
  EXPECT_TRUE(cache.contains(0));
  EXPECT_EQ(victims.size(), 7u);  // every access after the first B misses
  for (std::uint32_t v : victims) EXPECT_NE(v, 0u);
  // A 50-byte entry cannot fit beside 60 pinned bytes: bypass.
  EXPECT_EQ(cache.access(1, at(9, 50)), AccessOutcome::kBypassed);
}

TEST(TensorCache, AGrownEntryIsReadAgainWhole) {
  // A KV cache read with 10 bytes, then with 30: the second is a miss that
  // replaces the 10-byte extent (not an eviction) and reads 30 bytes.
  TensorCache cache = lru_cache(100, 1);
  cache.access(0, at(0, 10));
  EXPECT_EQ(cache.access(0, at(1, 30)), AccessOutcome::kInserted);
  EXPECT_EQ(cache.resident_bytes(0), 30u);
  EXPECT_EQ(cache.used_bytes(), 30u);
  EXPECT_EQ(cache.counters().evictions, 0u);
  EXPECT_EQ(cache.counters().bytes_read_from_dram, 40u);
  EXPECT_EQ(cache.access(0, at(2, 20)), AccessOutcome::kHit);
}

TEST(TensorCache, AnEntryIsReinsertedAtItsKeysExtent) {
  // 50 bytes. K0 read with 30 (extent 30), K1 with 40 evicts it; K0 read
  // again with 10 misses and inserts its extent, 30 bytes (not 10), reading
  // them all; K1 is evicted for it. A 20-byte read of K0 then hits. A 5-byte
  // write miss to K1 (extent 40) evicts K0 and reads the 35 bytes the write
  // does not cover.
  TensorCache cache = lru_cache(50, 2);
  cache.access(0, at(0, 30));
  cache.access(1, at(1, 40));
  EXPECT_FALSE(cache.contains(0));
  EXPECT_EQ(cache.extent_bytes(0), 30u);
  EXPECT_EQ(cache.access(0, at(2, 10)), AccessOutcome::kInserted);
  EXPECT_EQ(cache.resident_bytes(0), 30u);
  EXPECT_FALSE(cache.contains(1));
  EXPECT_EQ(cache.used_bytes(), 30u);
  EXPECT_EQ(cache.counters().bytes_read_from_dram, 30u + 40u + 30u);
  EXPECT_EQ(cache.access(0, at(3, 20)), AccessOutcome::kHit);
  EXPECT_EQ(cache.access(1, at(4, 5, true)), AccessOutcome::kInserted);
  EXPECT_EQ(cache.resident_bytes(1), 40u);
  EXPECT_EQ(cache.counters().bytes_read_from_dram, 100u + 35u);
  EXPECT_EQ(cache.dirty_bytes(), 40u);
  // Hits and misses count the accesses' own bytes.
  EXPECT_EQ(cache.counters().bytes_hit, 20u);
  EXPECT_EQ(cache.counters().bytes_missed, 30u + 40u + 10u + 5u);
  EXPECT_EQ(cache.counters().evictions, 3u);
}

TEST(TensorCache, ZeroByteAccessesHoldNothing) {
  TensorCache cache = lru_cache(100, 1);
  EXPECT_EQ(cache.access(0, at(0, 0)), AccessOutcome::kBypassed);
  EXPECT_EQ(cache.access(0, at(1, 0)), AccessOutcome::kBypassed);
  EXPECT_EQ(cache.used_bytes(), 0u);
  EXPECT_EQ(cache.counters().misses, 2u);
}

TEST(PolicyRegistry, ListsEveryBuiltInPolicy) {
  // Catches a registration the linker dropped.
  EXPECT_EQ(builtin_policy_names(),
            (std::vector<std::string>{"arc", "belady", "belady-size", "clock", "fifo", "lfu", "lru",
                                      "random", "s3fifo", "score", "sieve", "srrip"}));
  for (const auto* entry : PolicyRegistry::instance().entries()) {
    EXPECT_FALSE(entry->description.empty()) << entry->name;
  }
}

TEST(PolicyRegistry, UnknownNameListsTheKnownOnes) {
  try {
    make_policy("lru2", PolicyContext{});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown eviction policy 'lru2'; known: arc, belady, belady-size, clock, fifo, lfu, "
              "lru, random, s3fifo, score, sieve, srrip");
  }
}

TEST(PolicyRegistry, EveryPolicyKeepsAtMost64BytesPerEntry) {
  static_assert(TensorCache::kStateBytesPerEntry == 8, "core state is one word per entry");
  PolicyContext c;
  c.key_space = 16;
  c.capacity_bytes = 16;
  for (const std::string& name : builtin_policy_names()) {
    const auto p = make_policy(name, c);
    EXPECT_LE(TensorCache::kStateBytesPerEntry + p->state_bytes_per_entry(), 64u) << name;
  }
}

TEST(PolicyRegistry, VictimHasNoSideEffects) {
  // Asking twice gives the same answer for every policy, mid-run.
  const std::vector<std::uint32_t> keys = {0, 1, 2, 0, 1, 3, 0, 4, 2, 5, 0, 1};
  const std::vector<std::uint64_t> next = next_use_index(keys, 6);
  for (const std::string& name : builtin_policy_names()) {
    PolicyContext c;
    c.key_space = 6;
    c.capacity_bytes = 3;
    auto policy = make_policy(name, c);
    std::vector<bool> resident(6, false);
    int inserted = 0;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      AccessInfo info = at(i, 1);
      info.next_use = next[i];
      if (resident[keys[i]]) {
        policy->on_hit(keys[i], info);
        continue;
      }
      policy->on_miss(keys[i], info);
      if (inserted == 3) {
        const std::uint32_t v = policy->victim(info);
        EXPECT_EQ(policy->victim(info), v) << name;
        EXPECT_TRUE(resident[v]) << name;
        policy->on_evict(v);
        resident[v] = false;
        --inserted;
      }
      policy->on_insert(keys[i], info);
      resident[keys[i]] = true;
      ++inserted;
    }
  }
}

}  // namespace
}  // namespace tessera::cache

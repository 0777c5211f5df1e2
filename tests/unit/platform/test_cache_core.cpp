// The timed cache's functional side: decisions in lookup-sequence order,
// oracle policies fed from that sequence (worked by hand).
#include <gtest/gtest.h>

#include <vector>

#include "models/core/error.h"
#include "models/platform/cache_core.h"

namespace tessera::platform {
namespace {

// Three 100-byte tensors at 0, 1000, 2000.
workload::Trace three_tensors() {
  workload::Trace t;
  for (int i = 0; i < 3; ++i) {
    t.add_tensor({"t" + std::to_string(i), 100, 1000u * static_cast<unsigned>(i),
                  workload::TensorRole::kWeight});
  }
  return t;
}

// One tile reading tensors in `order`; segment i has lookup index i.
std::vector<Segment> reads(const workload::Trace& trace, const std::vector<std::uint32_t>& order) {
  std::vector<Segment> segs;
  for (std::uint32_t i = 0; i < order.size(); ++i) {
    const auto& tensor = trace.tensors[order[i]];
    segs.push_back(
        {tensor.address, tensor.bytes, tensor.address, tensor.bytes, order[i], i, false});
  }
  return segs;
}

std::vector<bool> hits(const std::string& policy, const std::vector<std::uint32_t>& order) {
  const workload::Trace trace = three_tensors();
  const std::vector<Segment> segs = reads(trace, order);
  std::vector<const Segment*> sequence;
  for (const Segment& s : segs) sequence.push_back(&s);
  config::PlatformCacheConfig cache;
  SharedCacheCore core(cache, 200, policy, trace, 1, sequence);
  std::vector<bool> out;
  std::uint32_t decided = 0;
  // Ask for the last lookup first: every earlier one is decided on the way, in order.
  core.decide_through(
      static_cast<std::uint32_t>(segs.size() - 1),
      [&](const Segment& s, const LookupResult&) { EXPECT_EQ(s.lookup, decided++); });
  EXPECT_EQ(decided, segs.size());
  for (std::uint32_t i = 0; i < segs.size(); ++i) {
    out.push_back(
        core.decide_through(
                i, [](const Segment&, const LookupResult&) { ADD_FAILURE() << "decided twice"; })
            .hit);
  }
  return out;
}

TEST(SharedCacheCore, SequenceOrderLruByHand) {
  // A B C A B in 200 bytes: C evicts A, A evicts B, B evicts C: no hit.
  EXPECT_EQ(hits("lru", {0, 1, 2, 0, 1}), (std::vector<bool>{false, false, false, false, false}));
}

TEST(SharedCacheCore, BeladySeesTheNextUseInTheSequence) {
  // C is never used again: Belady does not admit it, so A and B both hit.
  EXPECT_EQ(hits("belady", {0, 1, 2, 0, 1}), (std::vector<bool>{false, false, false, true, true}));
  // A B C B A: at C, A is next used at 4 and B at 3, and C at 5: C is
  // admitted only if it is not the farthest; here it is used last, so it is
  // bypassed again, and both A and B hit.
  EXPECT_EQ(hits("belady", {0, 1, 2, 1, 0, 2}),
            (std::vector<bool>{false, false, false, true, true, false}));
  // A B C A C: at C, B is never used again: Belady evicts B, keeps C; A and C hit.
  EXPECT_EQ(hits("belady", {0, 1, 2, 0, 2}), (std::vector<bool>{false, false, false, true, true}));
  // LRU on the same: C evicts A (least recent), so A misses and evicts B; C hits.
  EXPECT_EQ(hits("lru", {0, 1, 2, 0, 2}), (std::vector<bool>{false, false, false, false, true}));
}

TEST(SharedCacheCore, FillBytesAreTheWholeExtentTheCoreInserts) {
  // 200-byte cache, 100-byte tensors. t0 read whole (100 B fill), t1 and t2 evict it,
  // then t0 is read for 40 B only: the core re-inserts its extent (100 B, the most any
  // access has touched), so the timed cache must read 100 B, not 40. A 60-byte write
  // miss to t1 (evicted by t0) reads the 40 B the write does not cover.
  const workload::Trace trace = three_tensors();
  config::PlatformCacheConfig cache;
  SharedCacheCore core(cache, 200, "lru", trace, 1);
  EXPECT_EQ(core.lookup(0, 0, 100, false).fill_bytes, 100u);
  EXPECT_EQ(core.lookup(1, 1000, 100, false).fill_bytes, 100u);
  EXPECT_EQ(core.lookup(2, 2000, 100, false).fill_bytes, 100u);  // evicts t0
  const LookupResult partial = core.lookup(0, 0, 40, false);     // evicts t1
  EXPECT_FALSE(partial.hit);
  EXPECT_EQ(partial.fill_bytes, 100u);
  const LookupResult write = core.lookup(1, 1000, 60, true);  // evicts t2
  EXPECT_FALSE(write.hit);
  EXPECT_EQ(write.fill_bytes, 40u);
  EXPECT_EQ(core.lookup(0, 0, 40, false).fill_bytes, 0u);  // a hit reads nothing
  EXPECT_EQ(core.counters().bytes_read_from_dram, 440u);
}

TEST(SharedCacheCore, OracleRefusedInArrivalOrderMode) {
  const workload::Trace trace = three_tensors();
  config::PlatformCacheConfig cache;
  try {
    SharedCacheCore core(cache, 200, "belady", trace, 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("belady"), std::string::npos) << e.what();
  }
}

// `tessera run` simulates set-associative caches with LineCacheCore
// (test_line_cache_core.cpp); the arrival-order mode of the RTL co-simulation
// has no schedule to derive line lookups from and refuses them in one line.
TEST(SharedCacheCore, SetAssociativeRefusedInArrivalOrderModeInOneLine) {
  const workload::Trace trace = three_tensors();
  config::PlatformCacheConfig cache;
  cache.organization = config::CacheOrganization::kSetAssociative;
  try {
    SharedCacheCore core(cache, 512, "lru", trace, 1);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("platform.cache.organization"), std::string::npos) << m;
    EXPECT_NE(m.find("set-assoc"), std::string::npos) << m;
    EXPECT_NE(m.find("co-simulation"), std::string::npos) << m;
    EXPECT_NE(m.find("tessera run"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace tessera::platform

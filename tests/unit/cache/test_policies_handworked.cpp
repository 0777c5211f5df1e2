// Every built-in policy on a short access sequence worked out by hand.
// Letters are keys (A = 0, B = 1, ...); unless stated, every entry is 1 byte
// and the cache holds 3 bytes, so it holds three entries.
#include <gtest/gtest.h>

#include "cache_test_util.h"
#include "models/core/rng.h"

namespace tessera::cache {
namespace {

using testing::run_policy;
using testing::seq;

constexpr std::uint32_t A = 0, B = 1, C = 2, D = 3, E = 4;

TEST(PolicyHandWorked, Lru) {
  // A m [A] | B m [A B] | C m [A B C] | A h, LRU order B C A | D m evicts B -> C A D
  // B m evicts C -> A D B | E m evicts A -> D B E | A m evicts D -> B E A
  const auto r = run_policy("lru", 3, seq("ABCADBEA"));
  EXPECT_EQ(r.hits, 1u);
  EXPECT_EQ(r.misses, 7u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{B, C, A, D}));
}

TEST(PolicyHandWorked, Fifo) {
  // A B C inserted | A h (no reorder) | D m evicts A -> B C D | B h
  // E m evicts B -> C D E | A m evicts C -> D E A
  const auto r = run_policy("fifo", 3, seq("ABCADBEA"));
  EXPECT_EQ(r.hits, 2u);
  EXPECT_EQ(r.misses, 6u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{A, B, C}));
}

TEST(PolicyHandWorked, LfuWithAging) {
  // Two entries. K = L + count, L = K of the last victim (starts 0).
  // A m K=1 | A h K=2 | B m K=1 | C m: evict B (K 1 < 2), L=1, C K=2
  // A h K=3 | D m: evict C (2 < 3), L=2, D K=3
  // B m: A K=3 (last used 4) and D K=3 (last used 5) tie: evict A, the older.
  const auto r = run_policy("lfu", 2, seq("AABCADB"));
  EXPECT_EQ(r.hits, 2u);
  EXPECT_EQ(r.misses, 5u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{B, C, A}));
  // LRU on the same sequence evicts A, B, C, A and hits once: frequency matters.
  const auto lru = run_policy("lru", 2, seq("AABCADB"));
  EXPECT_EQ(lru.victims, (std::vector<std::uint32_t>{A, B, C, A}));
}

TEST(PolicyHandWorked, RandomWithOneSlotHasOnlyOneChoice) {
  // One entry: every miss evicts the previous key.
  const auto r = run_policy("random", 1, seq("ABAB"));
  EXPECT_EQ(r.hits, 0u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{A, B, A}));
}

TEST(PolicyHandWorked, RandomFollowsItsSeededDraws) {
  // The documented procedure: residents in insertion order, a removal moves
  // the last resident into the hole; the victim index is (draw x n) >> 64,
  // with a fresh draw after each eviction, from Rng(derive(seed, "RAND")).
  for (std::uint64_t seed : {1u, 7u, 12345u}) {
    Rng rng(Rng::derive(seed, 0x52414E44));
    std::uint64_t draw = rng.next_u64();
    std::vector<std::uint32_t> members{A, B, C};
    std::vector<std::uint32_t> expected;
    for (std::uint32_t incoming : {D, E, 5u, 6u}) {
      const auto i = static_cast<std::size_t>((static_cast<RngU128>(draw) * members.size()) >> 64);
      expected.push_back(members[i]);
      members[i] = members.back();
      members.pop_back();
      members.push_back(incoming);
      draw = rng.next_u64();
    }
    const auto r = run_policy("random", 3, seq("ABCDEFG"), {}, seed);
    EXPECT_EQ(r.victims, expected) << "seed " << seed;
    EXPECT_EQ(r.misses, 7u);
  }
}

TEST(PolicyHandWorked, Clock) {
  // A B C inserted; C h, A h, B h set every bit.
  // D m: the hand clears A, B, C in turn (each goes round) and comes back to
  // A, now clear: evict A -> ring B C D, bits clear | E m: evict B.
  const auto r = run_policy("clock", 3, seq("ABCCABDE"));
  EXPECT_EQ(r.hits, 3u);
  EXPECT_EQ(r.misses, 5u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{A, B}));
  // LRU evicts C (least recent) then A.
  EXPECT_EQ(run_policy("lru", 3, seq("ABCCABDE")).victims, (std::vector<std::uint32_t>{C, A}));
}

TEST(PolicyHandWorked, Sieve) {
  // Queue (oldest first) A B C; A h sets A visited.
  // D m: hand starts at the tail: A visited -> clear, B unvisited: evict B;
  //      the hand stays at C. Queue A C D.
  // B m: hand at C, unvisited: evict C; hand moves to D. Queue A D B.
  // E m: hand at D, unvisited: evict D. Queue A B E.
  // CLOCK would evict A third (it moved A to the front and cleared it).
  const auto r = run_policy("sieve", 3, seq("ABCADBE"));
  EXPECT_EQ(r.hits, 1u);
  EXPECT_EQ(r.misses, 6u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{B, C, D}));
  EXPECT_EQ(run_policy("clock", 3, seq("ABCADBE")).victims, (std::vector<std::uint32_t>{B, C, A}));
}

TEST(PolicyHandWorked, SieveFullSweep) {
  // A B C all visited (C h, A h, B h). D m: the sweep clears A, B, C and
  // wraps to A, now unvisited: evict A; the hand moves on to B.
  // E m: B is unvisited: evict B.
  const auto r = run_policy("sieve", 3, seq("ABCCABDE"));
  EXPECT_EQ(r.hits, 3u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{A, B}));
}

TEST(PolicyHandWorked, Arc) {
  // c = 3 bytes, p = 0.
  // A B C -> T1 [C B A]. A h -> T2 [A], T1 [C B].
  // D m (no ghost): |T1| = 2 > p = 0: evict T1's LRU B -> B1 [B]; T1 [D C].
  // B m, in B1: p += 1 x max(1, |B2|/|B1|) = 1. |T1| = 2 > 1: evict C -> B1;
  //   B goes to T2 [B A]; T1 [D].
  // E m: |T1| = 1 is not > p = 1 and B was not in B2: evict T2's LRU A -> B2.
  //   T1 [E D].
  // A m, in B2: p -= 1 -> 0. |T1| = 2 > 0: evict D. A -> T2 [A B].
  const auto r = run_policy("arc", 3, seq("ABCADBEA"));
  EXPECT_EQ(r.hits, 1u);
  EXPECT_EQ(r.misses, 7u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{B, C, A, D}));
}

TEST(PolicyHandWorked, ArcKeepsFrequentEntriesThroughAScan) {
  // A and B are used twice (T2); then a scan E F G H of one-time keys passes.
  // ARC evicts from T1 (the scan) while |T1| > p, keeping A and B; LRU loses them.
  const auto keys = seq("ABABEFGHAB");
  const auto arc = run_policy("arc", 3, keys);
  const auto lru = run_policy("lru", 3, keys);
  EXPECT_EQ(arc.hits, 4u);  // A B (second time), then A B after the scan
  EXPECT_EQ(lru.hits, 2u);
}

TEST(PolicyHandWorked, S3Fifo) {
  // 3 bytes: the small queue's share (10%) rounds to 0, so S is "full"
  // whenever it holds anything and evictions start there.
  // A B C -> S (oldest first) A B C. A h: A's counter 1.
  // D m: S's oldest A was hit -> moves to M (counter reset); B was not ->
  //      evicted to G. S C D.
  // B m, in G -> will go to M; first evict: S's oldest C (counter 0) -> G.
  //      M A B (oldest first), S D.
  // E m: evict D from S -> G. S E.
  // A h (in M): counter 1.
  // C m, in G -> M; evict E from S -> G. M A B C, S empty.
  // F m: S is empty: M's oldest A has counter 1 -> reinserted with 0;
  //      B has 0: evict B. F -> S.
  const auto r = run_policy("s3fifo", 3, seq("ABCADBEACF"));
  EXPECT_EQ(r.hits, 2u);
  EXPECT_EQ(r.misses, 8u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{B, C, D, E, B}));
}

TEST(PolicyHandWorked, Srrip) {
  // Insert RRPV 2, hit -> 0, evict an RRPV 3 (aging all until one has 3).
  // A B C: 2 2 2. A h: A 0.
  // D m: highest RRPV 2 (B then C): age by 1 -> A1 B3 C3; evict B. D 2.
  // B m: C has 3: evict C. B 2.  (A1 D2 B2)
  // E m: highest 2 (D, then B): age -> A2 D3 B3; evict D. E 2.
  // A h.
  const auto r = run_policy("srrip", 3, seq("ABCADBEA"));
  EXPECT_EQ(r.hits, 2u);
  EXPECT_EQ(r.misses, 6u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{B, C, D}));
}

TEST(PolicyHandWorked, ScoreEqualSizes) {
  // Sizes 1 (size_n = 1), no stride; reuse intervals: A@3: 3, B@5: 4, A@7: 4,
  // so max reuse = 4. score = 0.4 + 0.5 x reuse_n (first access: reuse_n 1).
  // A B C: 0.9 each. A h@3: 0.4 + 0.5 x 3/4 = 0.775.
  // D m@4: B and C have 0.9; B used earlier: evict B. D 0.9.
  // B m@5: reuse 4 -> 0.9. C (0.9, used @2) vs D (0.9, @4): evict C.
  // E m@6: D (@4) vs B (@5): evict D. A h@7.
  const auto r = run_policy("score", 3, seq("ABCADBEA"));
  EXPECT_EQ(r.hits, 2u);
  EXPECT_EQ(r.misses, 6u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{B, C, D}));
}

TEST(PolicyHandWorked, ScoreEvictsTheLargest) {
  // 4 bytes; A is 2 bytes, B C D 1 byte; max size 2. First accesses:
  // A: 0.4 x 1 + 0.5 = 0.9; B, C: 0.4 x 0.5 + 0.5 = 0.7. D needs a byte: evict A.
  const auto r = run_policy("score", 4, seq("ABCD"), {2, 1, 1, 1});
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{A}));
}

TEST(PolicyHandWorked, BeladyBypassesWhatIsNeverUsedAgain) {
  // Next uses: A@0 -> 3, B@1 -> 5, C@2 never, A@3 -> 7, D, B@5, E, A@7 never.
  // D m@4 (never used again) with the cache full: farthest resident is C
  // (never) -- not nearer, so D bypasses. B h. E bypasses likewise. A h.
  const auto r = run_policy("belady", 3, seq("ABCADBEA"));
  EXPECT_EQ(r.hits, 3u);
  EXPECT_EQ(r.misses, 5u);
  EXPECT_EQ(r.bypasses, 2u);
  EXPECT_TRUE(r.victims.empty());
}

TEST(PolicyHandWorked, BeladyEvictsTheFarthest) {
  // Next uses: A@0 -> 4, B@1 -> 6, C@2 -> 7, D@3 -> 5.
  // D m@3: farthest resident C (7); D's next use 5 is nearer: evict C.
  // A h, D h, B h; C m@7 never used again: bypass.
  const auto r = run_policy("belady", 3, seq("ABCDADBC"));
  EXPECT_EQ(r.hits, 3u);
  EXPECT_EQ(r.misses, 5u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{C}));
}

TEST(PolicyHandWorked, BeladySizeWeighsDistanceBySize) {
  // 4 bytes; A 2 bytes, B C D 1 byte. Next uses: A@0 -> 7, B@1 -> 4,
  // C@2 -> 5, D@3 -> 6. D m@3 needs 1 byte:
  //   A: (7 - 3) x 2 = 8;  C: (5 - 3) x 1 = 2;  B: 1. Evict A (8).
  //   D's own product (6 - 3) x 1 = 3 < 8: admitted.
  // B h, C h, D h; A m@7 (2 bytes, never again): every product is "never";
  // A's never x 2 beats B's never x 1: bypass.
  const auto r = run_policy("belady-size", 4, seq("ABCDBCDA"), {2, 1, 1, 1});
  EXPECT_EQ(r.hits, 3u);
  EXPECT_EQ(r.misses, 5u);
  EXPECT_EQ(r.bypasses, 1u);
  EXPECT_EQ(r.victims, (std::vector<std::uint32_t>{A}));
}

TEST(PolicyHandWorked, BeladySizePrefersTheBigEntryWhereBeladyTakesTheFarthest) {
  // 3 bytes; A 2 bytes, B C 1 byte. Next uses: A@0 -> 4, B@1 -> 5, C@2 -> 3.
  // C m@2 needs 1 byte.
  //   belady: the farthest is B (5); C (3) is nearer: evict B. Then C h, A h,
  //   B m@5 (never again, cache full): bypass.
  //   belady-size: A (4 - 2) x 2 = 4 beats B (5 - 2) x 1 = 3: evict A; C's own
  //   (3 - 2) x 1 = 1 < 4: admitted. C h. A m@4 (2 bytes, 1 free): C (never
  //   again) costs 2^64 x 1, A 2^64 x 2: A bypasses. B h.
  const auto keys = seq("ABCCAB");
  const auto bel = run_policy("belady", 3, keys, {2, 1, 1});
  EXPECT_EQ(bel.victims, (std::vector<std::uint32_t>{B}));
  EXPECT_EQ(bel.hits, 2u);
  EXPECT_EQ(bel.bypasses, 1u);
  const auto bsz = run_policy("belady-size", 3, keys, {2, 1, 1});
  EXPECT_EQ(bsz.victims, (std::vector<std::uint32_t>{A}));
  EXPECT_EQ(bsz.hits, 2u);
  EXPECT_EQ(bsz.bypasses, 1u);
}

}  // namespace
}  // namespace tessera::cache

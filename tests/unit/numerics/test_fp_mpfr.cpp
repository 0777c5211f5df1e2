// fp_add and fp_mul of tessera::numerics against MPFR, the independent correctly rounded
// reference: every pair of every 8-bit format, and 1 M pairs (half uniform over all bit
// patterns, half close in magnitude so subtraction cancels) plus edge cases for wider ones.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "models/core/rng.h"
#include "models/numerics/fp_arith.h"
#include "models/numerics/mpfr_ref.h"

namespace tessera::numerics {
namespace {

// Same value class: NaNs compare equal to each other whatever their payload (both sides
// return the canonical NaN, but MPFR's NaN goes through a double).
bool same(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  if (fp_is_nan(f, a) || fp_is_nan(f, b)) return fp_is_nan(f, a) && fp_is_nan(f, b);
  return a == b;
}

template <typename Model, typename Ref>
int count_mismatches(const FpFormat& f, std::uint64_t a, std::uint64_t b, Model model, Ref ref,
                     const char* op) {
  const std::uint64_t got = model(f, a, b), want = ref(f, a, b);
  if (same(f, got, want)) return 0;
  ADD_FAILURE() << f.name() << " " << op << std::hex << " a=0x" << a << " b=0x" << b << " model=0x"
                << got << " mpfr=0x" << want;
  return 1;
}

std::vector<std::uint64_t> edge_values(const FpFormat& f) {
  const std::uint64_t one = std::uint64_t(f.bias()) << f.man_bits;
  const std::uint64_t min_normal = std::uint64_t{1} << f.man_bits;
  const std::uint64_t max_finite = f.inf(false) - 1;
  std::vector<std::uint64_t> v = {
      0,       1,       2,          min_normal - 1, min_normal,   min_normal + 1, one,
      one + 1, one - 1, max_finite, max_finite - 1, f.inf(false), f.nan(),        f.nan() | 1};
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(fp_neg(f, v[i]));
  return v;
}

void exhaustive(const FpFormat& f) {
  ASSERT_EQ(f.width(), 8);
  int bad = 0;
  for (std::uint64_t a = 0; a < 256 && bad < 10; ++a) {
    for (std::uint64_t b = 0; b < 256 && bad < 10; ++b) {
      bad += count_mismatches(f, a, b, fp_add, mpfr_fp_add, "add");
      bad += count_mismatches(f, a, b, fp_mul, mpfr_fp_mul, "mul");
    }
  }
  EXPECT_EQ(bad, 0);
}

TEST(FpMpfr, ExhaustiveE4M3) {
  exhaustive(FpFormat{4, 3});
}
TEST(FpMpfr, ExhaustiveE5M2) {
  exhaustive(FpFormat{5, 2});
}
TEST(FpMpfr, ExhaustiveE3M4) {
  exhaustive(FpFormat{3, 4});
}
TEST(FpMpfr, ExhaustiveE2M5) {
  exhaustive(FpFormat{2, 5});
}

// 1 M random pairs for one operation of one wide format.
template <typename Model, typename Ref>
void random_pairs(const FpFormat& f, Model model, Ref ref, const char* op, std::uint64_t seed) {
  Rng rng(seed);
  int bad = 0;
  const std::vector<std::uint64_t> edges = edge_values(f);
  for (std::uint64_t a : edges) {
    for (std::uint64_t b : edges) bad += count_mismatches(f, a, b, model, ref, op);
  }
  constexpr int kPairs = 1'000'000;
  for (int i = 0; i < kPairs && bad < 10; ++i) {
    const std::uint64_t a = rng.next_u64() & f.mask();
    std::uint64_t b = rng.next_u64() & f.mask();
    if (i % 2 == 1) {
      // Close to +-a: same exponent region, random low mantissa bits, random sign.
      const int keep = static_cast<int>(rng.below(static_cast<std::uint64_t>(f.man_bits) + 2));
      const std::uint64_t low = (std::uint64_t{1} << keep) - 1;
      b = ((a & ~low) | (b & low)) ^ (b & f.sign_bit());
    }
    bad += count_mismatches(f, a, b, model, ref, op);
  }
  EXPECT_EQ(bad, 0);
}

TEST(FpMpfr, RandomAddE5M10) {
  random_pairs(FpFormat{5, 10}, fp_add, mpfr_fp_add, "add", 11);
}
TEST(FpMpfr, RandomMulE5M10) {
  random_pairs(FpFormat{5, 10}, fp_mul, mpfr_fp_mul, "mul", 12);
}
TEST(FpMpfr, RandomAddE8M7) {
  random_pairs(FpFormat{8, 7}, fp_add, mpfr_fp_add, "add", 13);
}
TEST(FpMpfr, RandomMulE8M7) {
  random_pairs(FpFormat{8, 7}, fp_mul, mpfr_fp_mul, "mul", 14);
}
TEST(FpMpfr, RandomAddE8M23) {
  random_pairs(FpFormat{8, 23}, fp_add, mpfr_fp_add, "add", 15);
}
TEST(FpMpfr, RandomMulE8M23) {
  random_pairs(FpFormat{8, 23}, fp_mul, mpfr_fp_mul, "mul", 16);
}

// fp32 (E8M23) against the host's IEEE float on the same random pairs: a third opinion.
TEST(FpMpfr, E8M23MatchesHostFloat) {
  const FpFormat f{8, 23};
  Rng rng(17);
  for (int i = 0; i < 100000; ++i) {
    const auto a = static_cast<std::uint32_t>(rng.next_u64());
    const auto b = static_cast<std::uint32_t>(rng.next_u64());
    float fa = 0, fb = 0;
    std::memcpy(&fa, &a, 4);
    std::memcpy(&fb, &b, 4);
    const float s = fa + fb, p = fa * fb;
    std::uint32_t sb = 0, pb = 0;
    std::memcpy(&sb, &s, 4);
    std::memcpy(&pb, &p, 4);
    ASSERT_TRUE(same(f, fp_add(f, a, b), sb)) << std::hex << a << " + " << b;
    ASSERT_TRUE(same(f, fp_mul(f, a, b), pb)) << std::hex << a << " * " << b;
  }
}

}  // namespace
}  // namespace tessera::numerics

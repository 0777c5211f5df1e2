// Accumulation methods: a hand-worked case where every compensated method recovers what
// naive summation loses, Kulisch against MPFR's exact sum, and accuracy ordering on a
// cancellation-heavy seeded distribution.
#include <gtest/gtest.h>

#include <vector>

#include "models/core/rng.h"
#include "models/numerics/accumulator.h"
#include "models/numerics/dot_model.h"
#include "models/numerics/fp_arith.h"
#include "models/numerics/mpfr_ref.h"

namespace tessera::numerics {
namespace {

const FpFormat kFp16{5, 10};

std::uint64_t sum_with(AccumMethod m, const FpFormat& f, const std::vector<double>& xs) {
  Accumulator acc(f, m);
  for (double x : xs) acc.add(fp_from_double(f, x));
  return acc.result();
}

// fp16 around 2048 has ulp 2. Naive: 2048 + 1 = 2049 is a tie -> 2048 (even), four times.
// Kahan: c = -1 after the first step, then y = 1 - (-1) = 2, s = 2050, c = 0; then
// 2050 + 1 ties to 2052 (even mantissa), c = +1; then y = 0: s = 2052, exact.
// Neumaier / TwoSum / Fast2Sum collect the four lost 1s in c: 2048 + 4 = 2052.
TEST(Accumulator, CompensationRecoversLostBits) {
  const std::vector<double> xs = {2048, 1, 1, 1, 1};
  EXPECT_EQ(fp_to_double(kFp16, sum_with(AccumMethod::kNaive, kFp16, xs)), 2048.0);
  for (int m = 1; m < kAccumMethodCount; ++m) {
    EXPECT_EQ(fp_to_double(kFp16, sum_with(static_cast<AccumMethod>(m), kFp16, xs)), 2052.0)
        << method_name(static_cast<AccumMethod>(m));
  }
}

// Fast2Sum without the compare is exact only when |s| >= |x|: 1 + 4096 in fp16 (ulp 4 at
// 4096): t = 4096 (4097 rounds down), t - s = 4095 -> 4096, x - 4096 = 0: the lost 1 is
// not recovered. Neumaier orders by magnitude first: (4096 - 4096) + 1 = 1 -> 4097 -> 4096
// after the final rounding too, so use a third term to expose the difference: + (-4096).
TEST(Accumulator, Fast2SumNeedsOrderNeumaierDoesNot) {
  const std::vector<double> xs = {1, 4096, -4096};
  EXPECT_EQ(fp_to_double(kFp16, sum_with(AccumMethod::kFast2Sum, kFp16, xs)), 0.0);
  EXPECT_EQ(fp_to_double(kFp16, sum_with(AccumMethod::kNeumaier, kFp16, xs)), 1.0);
  EXPECT_EQ(fp_to_double(kFp16, sum_with(AccumMethod::kKulisch, kFp16, xs)), 1.0);
  EXPECT_EQ(fp_to_double(kFp16, sum_with(AccumMethod::kNaive, kFp16, xs)), 0.0);
}

TEST(Accumulator, SpecialValues) {
  const FpFormat f{4, 3};
  Accumulator k(f, AccumMethod::kKulisch);
  k.add(0x38);
  k.add(f.inf(false));
  EXPECT_EQ(k.result(), f.inf(false));
  k.add(f.inf(true));
  EXPECT_EQ(k.result(), f.nan());
  Accumulator n(f, AccumMethod::kNaive);
  n.add(0x80);                // -0
  EXPECT_EQ(n.result(), 0u);  // +0 + -0 = +0
  EXPECT_EQ(kulisch_bits(f), 14 + 3 + 16 + 1);
  EXPECT_EQ(kulisch_bits(FpFormat{8, 23}), 254 + 23 + 17);
  EXPECT_THROW(parse_method("pairwise", "x"), std::exception);
  EXPECT_EQ(parse_method("klein", "x"), AccumMethod::kKlein);
}

// Kulisch rounds the exact sum once: bit-exact with MPFR's exact sum rounded to the format.
TEST(Accumulator, KulischIsCorrectlyRounded) {
  for (const FpFormat f :
       {FpFormat{4, 3}, FpFormat{5, 2}, FpFormat{5, 10}, FpFormat{8, 7}, FpFormat{8, 23}}) {
    Rng rng(99);
    for (int trial = 0; trial < 200; ++trial) {
      Accumulator acc(f, AccumMethod::kKulisch);
      ExactSum exact(f);
      const int n = 1 + static_cast<int>(rng.below(64));
      for (int i = 0; i < n; ++i) {
        std::uint64_t x = rng.next_u64() & f.mask();
        if (fp_exp_field(f, x) == f.exp_field_max()) x &= ~(std::uint64_t{1} << f.man_bits);
        acc.add(x);
        exact.add(x);
      }
      ASSERT_EQ(acc.result(), exact.rounded()) << f.name() << " trial " << trial;
    }
  }
}

// Cancellation-heavy sums (values of both signs around 1 plus a large term and its
// negation): mean relative error of every compensated method <= naive's, Kulisch <= 0.5 ulp.
TEST(Accumulator, CompensatedMethodsAreMoreAccurate) {
  const FpFormat f{8, 7};
  double mean[kAccumMethodCount] = {};
  double max_ulps[kAccumMethodCount] = {};
  Rng rng(5);
  constexpr int kTrials = 200;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::vector<std::uint64_t> xs;
    const double big = 256.0 * (1 + rng.uniform());
    xs.push_back(fp_from_double(f, big));
    for (int i = 0; i < 64; ++i) xs.push_back(fp_from_double(f, rng.uniform() * 2 - 0.9));
    xs.push_back(fp_from_double(f, -big));
    ExactSum exact(f);
    for (auto x : xs) exact.add(x);
    for (int m = 0; m < kAccumMethodCount; ++m) {
      Accumulator acc(f, static_cast<AccumMethod>(m));
      for (auto x : xs) acc.add(x);
      const ErrorFigures e = exact.error_of(acc.result());
      mean[m] += e.rel / kTrials;
      max_ulps[m] = std::max(max_ulps[m], e.ulps);
    }
  }
  for (int m = 1; m < kAccumMethodCount; ++m) {
    if (static_cast<AccumMethod>(m) == AccumMethod::kFast2Sum) continue;  // order-dependent
    EXPECT_LT(mean[m], mean[0]) << method_name(static_cast<AccumMethod>(m));
  }
  EXPECT_LE(max_ulps[static_cast<int>(AccumMethod::kKulisch)], 0.5);
}

// Dot model: 4 lanes, E4M3. Products 1*1, 2*0.5, 0.25*4, 1*1 = 1, 1, 1, 1; tree: (1+1)
// + (1+1) = 4; over two beats the accumulator adds 4 + 4 = 8 (0 1010 000 = 0x50).
TEST(DotModel, TreeAndSequentialHandWorked) {
  const FpFormat f{4, 3};
  auto v = [&](double d) { return fp_from_double(f, d); };
  const std::uint64_t a[8] = {v(1), v(2), v(0.25), v(1), v(1), v(2), v(0.25), v(1)};
  const std::uint64_t b[8] = {v(1), v(0.5), v(4), v(1), v(1), v(0.5), v(4), v(1)};
  DotModel tree(f, 4, DotReduce::kTree, AccumMethod::kNaive);
  EXPECT_EQ(tree.dot(a, b, 8), 0x50u);
  DotModel seq(f, 4, DotReduce::kSequential, AccumMethod::kKahan);
  EXPECT_EQ(seq.dot(a, b, 8), 0x50u);
  // k = 5 pads the second beat with zeros: 4 + 1 = 5 (0 1001 010 = 0x4A).
  EXPECT_EQ(tree.dot(a, b, 5), 0x4Au);
  EXPECT_THROW(DotModel(f, 3, DotReduce::kTree, AccumMethod::kNaive), std::exception);
}

// Tree vs sequential order matters: in E4M3 (ulp 1 at 8..16), lanes 8, 0.5, 0.5, 0.5:
// sequential naive: 8 + .5 = 8.5 -> 8 (tie, even), three times -> 8. Tree: (8 + .5) -> 8,
// (.5 + .5) = 1, 8 + 1 = 9.
TEST(DotModel, ReductionOrderChangesRounding) {
  const FpFormat f{4, 3};
  auto v = [&](double d) { return fp_from_double(f, d); };
  const std::uint64_t a[4] = {v(8), v(0.5), v(0.5), v(0.5)};
  const std::uint64_t one[4] = {v(1), v(1), v(1), v(1)};
  DotModel seq(f, 4, DotReduce::kSequential, AccumMethod::kNaive);
  DotModel tree(f, 4, DotReduce::kTree, AccumMethod::kNaive);
  EXPECT_EQ(fp_to_double(f, seq.dot(a, one, 4)), 8.0);
  EXPECT_EQ(fp_to_double(f, tree.dot(a, one, 4)), 9.0);
}

}  // namespace
}  // namespace tessera::numerics

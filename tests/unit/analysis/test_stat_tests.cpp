#include <gtest/gtest.h>

#include <cmath>

#include "models/analysis/stat_tests.h"

namespace tessera::analysis {
namespace {

// Kolmogorov's limiting distribution at the classic critical values
// c(alpha) = 1.2238, 1.3581, 1.6276 for alpha = 0.10, 0.05, 0.01
// (Smirnov 1948, "Table for estimating the goodness of fit of empirical
// distributions", Ann. Math. Statist. 19:279-281; the same c(alpha) appear in
// Massey 1951, JASA 46:68-78, Table 1 footnote).
TEST(Kolmogorov, PublishedCriticalValues) {
  EXPECT_NEAR(kolmogorov_q(1.2238), 0.10, 1e-4);
  EXPECT_NEAR(kolmogorov_q(1.3581), 0.05, 1e-4);
  EXPECT_NEAR(kolmogorov_q(1.6276), 0.01, 1e-4);
  // Both series branches meet continuously at 1.18.
  EXPECT_NEAR(kolmogorov_q(1.18 - 1e-9), kolmogorov_q(1.18 + 1e-9), 1e-8);
  EXPECT_DOUBLE_EQ(kolmogorov_q(0.0), 1.0);
  EXPECT_NEAR(kolmogorov_q(0.5), 0.9639452, 1e-6);  // 2 sum (-1)^(k-1) e^(-k^2/2)
  EXPECT_LT(kolmogorov_q(10.0), 1e-80);
}

// Exact two-sample distribution, n = m = 3: C(6, 3) = 20 equally likely
// orderings of the six values.
//   D = 1 needs xxx yyy or yyy xxx: P(D >= 1) = 2 / 20 = 0.1.
//   D < 2/3 means |i - j| <= 1 at every step: each pair of steps is xy or yx,
//   2^3 = 8 paths; P(D >= 2/3) = 1 - 8/20 = 0.6.
//   Every path has |i - j| = 1 after its first step: P(D >= 1/3) = 1.
TEST(KsTwoSample, ExactSmallSamplesByHand) {
  std::vector<std::uint64_t> a = {1, 2, 3}, b = {4, 5, 6};
  KsResult r = ks_two_sample(a, b);
  EXPECT_DOUBLE_EQ(r.d, 1.0);
  EXPECT_TRUE(r.exact);
  EXPECT_NEAR(r.p_value, 0.1, 1e-12);

  // ECDF gaps after 1, 2, 3, 4, 5, 6: 1/3, 2/3, 1/3, 2/3, 1/3, 0 -> D = 2/3.
  a = {1, 2, 4};
  b = {3, 5, 6};
  r = ks_two_sample(a, b);
  EXPECT_NEAR(r.d, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(r.p_value, 0.6, 1e-12);

  a = {1, 3, 5};
  b = {2, 4, 6};
  r = ks_two_sample(a, b);
  EXPECT_NEAR(r.d, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(r.p_value, 1.0, 1e-12);
}

// n = m = 2: C(4, 2) = 6 orderings; D = 1 for xxyy and yyxx: p = 2/6.
// Ties: {1, 2} vs {2, 3}: after 1: 1/2 - 0; after 2: 1 - 1/2; after 3: 0 -> D = 1/2.
TEST(KsTwoSample, ExactTwoByTwoAndTies) {
  std::vector<std::uint64_t> a = {7, 8}, b = {9, 10};
  EXPECT_NEAR(ks_two_sample(a, b).p_value, 1.0 / 3.0, 1e-12);
  a = {1, 2};
  b = {2, 3};
  EXPECT_DOUBLE_EQ(ks_two_sample(a, b).d, 0.5);
  a = {5, 5, 5};
  b = {5, 5};
  const KsResult same = ks_two_sample(a, b);
  EXPECT_DOUBLE_EQ(same.d, 0.0);
  EXPECT_DOUBLE_EQ(same.p_value, 1.0);
}

// Large samples use the asymptotic distribution with Stephens' correction:
// n = m = 200, a = 0..199, b = 20..219: D = 20/200 = 0.1,
// ne = 100, lambda = (10 + 0.12 + 0.011) * 0.1 = 1.0131, p = Q(1.0131).
TEST(KsTwoSample, AsymptoticLargeSamples) {
  std::vector<std::uint64_t> a, b;
  for (std::uint64_t i = 0; i < 200; ++i) a.push_back(i), b.push_back(i + 20);
  const KsResult r = ks_two_sample(a, b);
  EXPECT_FALSE(r.exact);
  EXPECT_NEAR(r.d, 0.1, 1e-12);
  EXPECT_NEAR(r.p_value, kolmogorov_q(1.0131), 1e-12);
  EXPECT_NEAR(r.p_value, 0.2564, 1e-3);
}

// One sample {0, 0, 1, 3} against uniform on {0..3} (F = 1/4, 2/4, 3/4, 1):
//   at 0: |2/4 - 1/4| = 1/4; before 1: |2/4 - 1/4|; at 1: |3/4 - 2/4| = 1/4;
//   before 3 (F(2) = 3/4): |3/4 - 3/4| = 0; at 3: |1 - 1| = 0  -> D = 1/4.
TEST(KsOneSample, DiscreteUniformByHand) {
  std::vector<std::uint64_t> s = {3, 0, 1, 0};
  const KsResult r = ks_one_sample(s, [](std::uint64_t v) { return v >= 3 ? 1.0 : (v + 1) / 4.0; });
  EXPECT_DOUBLE_EQ(r.d, 0.25);
  // lambda = (2 + 0.12 + 0.055) * 0.25 = 0.54375
  EXPECT_NEAR(r.p_value, kolmogorov_q(0.54375), 1e-12);
}

TEST(ChiSquare, PoolsAdjacentBinsToFive) {
  // 2 + 2 + 2 = 6 >= 5 closes bin 0; 10 closes bin 1; the remainder 1 joins bin 1.
  const std::vector<int> expected = {0, 0, 0, 1, 1};
  EXPECT_EQ(pool_bins({2, 2, 2, 10, 1}), expected);
  EXPECT_EQ(pool_bins({1, 1}), (std::vector<int>{0, 0}));
}

// Critical values from the NIST/SEMATECH e-Handbook of Statistical Methods,
// §1.3.6.7.4 "Critical values of the chi-square distribution" (upper 5%):
// df 1: 3.841, df 2: 5.991, df 4: 9.488, df 10: 18.307.
TEST(ChiSquare, PublishedCriticalValues) {
  EXPECT_NEAR(chi_square_upper_tail(3.841, 1), 0.05, 1e-4);
  EXPECT_NEAR(chi_square_upper_tail(5.991, 2), 0.05, 1e-4);
  EXPECT_NEAR(chi_square_upper_tail(9.488, 4), 0.05, 1e-4);
  EXPECT_NEAR(chi_square_upper_tail(18.307, 10), 0.05, 1e-4);
  EXPECT_DOUBLE_EQ(chi_square_upper_tail(5.0, 0), 1.0);
}

// 2 x 2 table a = (10, 20), b = (20, 10): N = 60, every expected count
// 30 * 30 / 60 = 15; chi2 = 4 * (5^2 / 15) = 6.6667, df = 1,
// p = erfc(sqrt(6.6667 / 2)) = 0.0098233, V = sqrt(6.6667 / 60) = 1/3.
TEST(ChiSquare, TwoSampleByHand) {
  const ChiSquareResult r = chi_square_two_sample({10, 20}, {20, 10});
  EXPECT_NEAR(r.statistic, 20.0 / 3.0, 1e-12);
  EXPECT_EQ(r.dof, 1);
  EXPECT_EQ(r.bins, 2);
  EXPECT_NEAR(r.p_value, 0.0098232745, 1e-9);
  EXPECT_NEAR(r.effect, 1.0 / 3.0, 1e-12);
  EXPECT_EQ(r.n, 60u);
}

TEST(ChiSquare, TwoSampleIdenticalAndDegenerate) {
  const ChiSquareResult same = chi_square_two_sample({5, 7, 9, 11}, {5, 7, 9, 11});
  EXPECT_DOUBLE_EQ(same.statistic, 0.0);
  EXPECT_DOUBLE_EQ(same.p_value, 1.0);
  EXPECT_EQ(same.dof, 3);
  // Too few observations for two pooled bins: no test, p = 1.
  const ChiSquareResult tiny = chi_square_two_sample({1, 1}, {1, 1});
  EXPECT_EQ(tiny.dof, 0);
  EXPECT_DOUBLE_EQ(tiny.p_value, 1.0);
  EXPECT_DOUBLE_EQ(chi_square_two_sample({}, {3}).p_value, 1.0);
}

// Observed (30, 10, 20) against uniform: E = 20 each, chi2 = (100 + 100 + 0)/20
// = 10, df = 2, p = exp(-10/2) = 0.0067379 (df 2 is exponential), w = sqrt(10/60).
TEST(ChiSquare, GoodnessOfFitByHand) {
  const ChiSquareResult r = chi_square_goodness_of_fit({30, 10, 20}, {1, 1, 1});
  EXPECT_NEAR(r.statistic, 10.0, 1e-12);
  EXPECT_EQ(r.dof, 2);
  EXPECT_NEAR(r.p_value, std::exp(-5.0), 1e-12);
  EXPECT_NEAR(r.effect, std::sqrt(10.0 / 60.0), 1e-12);
}

}  // namespace
}  // namespace tessera::analysis

// Statistical tests for comparing distributions (docs/analysis.md §4):
//   - two-sample Kolmogorov-Smirnov: D and its p-value, exact (lattice-path
//     count) for small samples, asymptotic Kolmogorov distribution otherwise;
//   - one-sample KS against a discrete reference CDF (asymptotic);
//   - binned chi-square, two-sample homogeneity and goodness of fit, with
//     adjacent bins pooled until every expected count is at least 5; p-values
//     from boost::math::chi_squared.
// Every test also reports an effect size, because with millions of events any
// difference is "significant": D for KS, Cramer's V (two samples) or Cohen's
// w (goodness of fit) for chi-square.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace tessera::analysis {

struct KsResult {
  double d = 0.0;        // sup |F1 - F2|
  double p_value = 1.0;  // P(D >= d) under the null hypothesis
  bool exact = false;    // exact lattice-path count, else asymptotic
  std::uint64_t n = 0, m = 0;
};

// Kolmogorov's limiting distribution: Q(lambda) = P(K > lambda)
//   = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 lambda^2).
double kolmogorov_q(double lambda);

// Exact P(D >= d_num / (n m)) for two samples of sizes n and m drawn from the
// same continuous distribution (all C(n+m, n) orderings equally likely).
// d_num is the integer max |i m - j n|. Requires n m <= kKsExactMaxProduct.
inline constexpr std::uint64_t kKsExactMaxProduct = 10000;
double ks_exact_p(std::uint64_t n, std::uint64_t m, std::uint64_t d_num);

// Both samples are sorted in place. Empty samples give d = 0, p = 1.
KsResult ks_two_sample(std::vector<std::uint64_t>& a, std::vector<std::uint64_t>& b);

// `sample` sorted in place; cdf(v) = P(X <= v) of a distribution on the
// non-negative integers. p-value from the asymptotic distribution with
// Stephens' small-sample correction (conservative for a discrete reference).
KsResult ks_one_sample(std::vector<std::uint64_t>& sample,
                       const std::function<double(std::uint64_t)>& cdf);

struct ChiSquareResult {
  double statistic = 0.0;
  int dof = 0;
  double p_value = 1.0;
  double effect = 0.0;  // Cramer's V (two samples) or Cohen's w (goodness of fit)
  std::uint64_t n = 0;  // observations in total
  int bins = 0;         // after pooling
};

// Pools adjacent bins (left to right) until each pooled bin's expected count
// is >= `at_least` in every row; a short remainder joins the last pooled bin.
// Input: per bin, its smallest expected count over the rows. Returns, per
// input bin, the index of its pooled bin (0-based, non-decreasing).
std::vector<int> pool_bins(const std::vector<double>& min_expected_per_bin, double at_least = 5.0);

// Homogeneity of two binned samples (a 2 x B contingency table).
ChiSquareResult chi_square_two_sample(const std::vector<std::uint64_t>& a,
                                      const std::vector<std::uint64_t>& b);

// Goodness of fit of observed counts to bin probabilities (normalised here).
ChiSquareResult chi_square_goodness_of_fit(const std::vector<std::uint64_t>& observed,
                                           const std::vector<double>& probabilities);

// Upper tail of the chi-square distribution, P(X >= x) with `dof` degrees of
// freedom (Boost.Math); 1 when dof == 0.
double chi_square_upper_tail(double x, int dof);

}  // namespace tessera::analysis

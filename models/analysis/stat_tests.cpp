#include "models/analysis/stat_tests.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

namespace tessera::analysis {
namespace {

constexpr double kPi = 3.14159265358979323846;

double clamp01(double p) {
  return std::min(1.0, std::max(0.0, p));
}

// Stephens (1970) small-sample correction of the Kolmogorov argument, as used
// by Press et al., Numerical Recipes 3rd ed. (2007), §14.3.3.
double ks_asymptotic_p(double d, double effective_n) {
  const double root = std::sqrt(effective_n);
  return kolmogorov_q((root + 0.12 + 0.11 / root) * d);
}

}  // namespace

double kolmogorov_q(double lambda) {
  if (lambda <= 0.0) return 1.0;
  if (lambda < 1.18) {
    // The theta-function form converges fast for small lambda:
    // P(K <= lambda) = sqrt(2 pi)/lambda sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 lambda^2)).
    const double y = -kPi * kPi / (8.0 * lambda * lambda);
    double sum = 0.0;
    for (int k = 1; k <= 50; ++k) {
      const double term = std::exp((2 * k - 1) * (2 * k - 1) * y);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return clamp01(1.0 - std::sqrt(2.0 * kPi) / lambda * sum);
  }
  double sum = 0.0;
  for (int k = 1; k <= 100; ++k) {
    const double term = std::exp(-2.0 * k * k * lambda * lambda);
    sum += (k % 2 == 1) ? term : -term;
    if (term < 1e-17) break;
  }
  return clamp01(2.0 * sum);
}

double ks_exact_p(std::uint64_t n, std::uint64_t m, std::uint64_t d_num) {
  if (d_num == 0 || n == 0 || m == 0) return 1.0;
  // Count the lattice paths (0,0) -> (n,m) (step i: one more of sample 1,
  // step j: one more of sample 2) that stay strictly inside |i m - j n| < d_num,
  // i.e. never reach the observed D (Hodges 1958). Counts stay far below the
  // double range for n m <= 10^4 (at most C(200,100) ~ 9e58).
  std::vector<double> paths(m + 1, 0.0);
  for (std::uint64_t i = 0; i <= n; ++i) {
    for (std::uint64_t j = 0; j <= m; ++j) {
      const std::uint64_t a = i * m, b = j * n;
      const bool inside = (a > b ? a - b : b - a) < d_num;
      if (i == 0 && j == 0) {
        paths[0] = 1.0;
      } else if (!inside) {
        paths[j] = 0.0;
      } else {
        paths[j] = (i > 0 ? paths[j] : 0.0) + (j > 0 ? paths[j - 1] : 0.0);
      }
    }
  }
  double total = 1.0;  // C(n + m, n)
  for (std::uint64_t k = 1; k <= n; ++k) {
    total = total * static_cast<double>(m + k) / static_cast<double>(k);
  }
  return clamp01(1.0 - paths[m] / total);
}

KsResult ks_two_sample(std::vector<std::uint64_t>& a, std::vector<std::uint64_t>& b) {
  KsResult r;
  r.n = a.size();
  r.m = b.size();
  if (a.empty() || b.empty()) return r;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const std::uint64_t n = r.n, m = r.m;
  std::uint64_t i = 0, j = 0, d_num = 0;
  // Compare the empirical CDFs after each distinct value (ties advance both).
  while (i < n && j < m) {
    const std::uint64_t v = std::min(a[i], b[j]);
    while (i < n && a[i] == v) ++i;
    while (j < m && b[j] == v) ++j;
    const std::uint64_t x = i * m, y = j * n;
    d_num = std::max(d_num, x > y ? x - y : y - x);
  }
  // Past the end of one sample the gap only shrinks towards 0: the maximum
  // was already seen.
  r.d = static_cast<double>(d_num) / (static_cast<double>(n) * static_cast<double>(m));
  if (n * m <= kKsExactMaxProduct) {
    r.exact = true;
    r.p_value = ks_exact_p(n, m, d_num);
  } else {
    r.p_value = ks_asymptotic_p(
        r.d, static_cast<double>(n) * static_cast<double>(m) / static_cast<double>(n + m));
  }
  return r;
}

KsResult ks_one_sample(std::vector<std::uint64_t>& sample,
                       const std::function<double(std::uint64_t)>& cdf) {
  KsResult r;
  r.n = sample.size();
  if (sample.empty()) return r;
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0.0;
  std::size_t i = 0;
  while (i < sample.size()) {
    const std::uint64_t v = sample[i];
    const double below = static_cast<double>(i) / n;  // F_n just before v
    // Between the previous sample value and v, F_n is flat at `below` while F
    // rises; its largest value before v is F(v - 1).
    if (v > 0) d = std::max(d, std::fabs(cdf(v - 1) - below));
    while (i < sample.size() && sample[i] == v) ++i;
    d = std::max(d, std::fabs(static_cast<double>(i) / n - cdf(v)));
  }
  r.d = d;
  r.p_value = ks_asymptotic_p(d, n);
  return r;
}

std::vector<int> pool_bins(const std::vector<double>& min_expected_per_bin, double at_least) {
  std::vector<int> map(min_expected_per_bin.size(), 0);
  int pooled = 0;  // index of the pooled bin being filled
  double acc = 0.0;
  int closed = 0;  // pooled bins that reached the threshold
  for (std::size_t b = 0; b < min_expected_per_bin.size(); ++b) {
    map[b] = pooled;
    acc += min_expected_per_bin[b];
    if (acc >= at_least) {
      ++closed;
      ++pooled;
      acc = 0.0;
    }
  }
  // A remainder below the threshold (the bins after the last closed one)
  // joins the last closed bin.
  if (closed > 0) {
    for (int& k : map) k = std::min(k, closed - 1);
  }
  return map;
}

double chi_square_upper_tail(double x, int dof) {
  if (dof <= 0) return 1.0;
  if (x <= 0.0) return 1.0;
  const boost::math::chi_squared dist(static_cast<double>(dof));
  return clamp01(boost::math::cdf(boost::math::complement(dist, x)));
}

ChiSquareResult chi_square_two_sample(const std::vector<std::uint64_t>& a,
                                      const std::vector<std::uint64_t>& b) {
  ChiSquareResult r;
  const std::size_t bins = std::max(a.size(), b.size());
  std::vector<double> ca(bins, 0.0), cb(bins, 0.0);
  double n1 = 0.0, n2 = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) ca[i] = static_cast<double>(a[i]), n1 += ca[i];
  for (std::size_t i = 0; i < b.size(); ++i) cb[i] = static_cast<double>(b[i]), n2 += cb[i];
  const double n = n1 + n2;
  r.n = static_cast<std::uint64_t>(n);
  if (n1 == 0.0 || n2 == 0.0) return r;
  std::vector<double> binding(bins);
  for (std::size_t i = 0; i < bins; ++i) binding[i] = (ca[i] + cb[i]) * std::min(n1, n2) / n;
  const std::vector<int> map = pool_bins(binding);
  const int pooled = bins == 0 ? 0 : map.back() + 1;
  std::vector<double> pa(pooled, 0.0), pb(pooled, 0.0);
  for (std::size_t i = 0; i < bins; ++i) pa[map[i]] += ca[i], pb[map[i]] += cb[i];
  r.bins = pooled;
  if (pooled < 2) return r;  // nothing to compare at this binning
  double stat = 0.0;
  for (int k = 0; k < pooled; ++k) {
    const double col = pa[k] + pb[k];
    const double e1 = n1 * col / n, e2 = n2 * col / n;
    stat += (pa[k] - e1) * (pa[k] - e1) / e1 + (pb[k] - e2) * (pb[k] - e2) / e2;
  }
  r.statistic = stat;
  r.dof = pooled - 1;  // (rows - 1) (columns - 1) with 2 rows
  r.p_value = chi_square_upper_tail(stat, r.dof);
  r.effect = std::sqrt(stat / n);  // Cramer's V with min(rows, cols) - 1 = 1
  return r;
}

ChiSquareResult chi_square_goodness_of_fit(const std::vector<std::uint64_t>& observed,
                                           const std::vector<double>& probabilities) {
  ChiSquareResult r;
  const std::size_t bins = std::max(observed.size(), probabilities.size());
  std::vector<double> o(bins, 0.0), p(bins, 0.0);
  double n = 0.0, psum = 0.0;
  for (std::size_t i = 0; i < observed.size(); ++i)
    o[i] = static_cast<double>(observed[i]), n += o[i];
  for (std::size_t i = 0; i < probabilities.size(); ++i) p[i] = probabilities[i], psum += p[i];
  r.n = static_cast<std::uint64_t>(n);
  if (n == 0.0 || psum <= 0.0) return r;
  std::vector<double> expected(bins);
  for (std::size_t i = 0; i < bins; ++i) expected[i] = n * p[i] / psum;
  const std::vector<int> map = pool_bins(expected);
  const int pooled = bins == 0 ? 0 : map.back() + 1;
  std::vector<double> po(pooled, 0.0), pe(pooled, 0.0);
  for (std::size_t i = 0; i < bins; ++i) po[map[i]] += o[i], pe[map[i]] += expected[i];
  r.bins = pooled;
  if (pooled < 2) return r;
  double stat = 0.0;
  for (int k = 0; k < pooled; ++k) stat += (po[k] - pe[k]) * (po[k] - pe[k]) / pe[k];
  r.statistic = stat;
  r.dof = pooled - 1;
  r.p_value = chi_square_upper_tail(stat, r.dof);
  r.effect = std::sqrt(stat / n);  // Cohen's w
  return r;
}

}  // namespace tessera::analysis

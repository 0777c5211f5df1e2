#include "models/numerics/accuracy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/core/error.h"
#include "models/core/rng.h"
#include "models/numerics/fp_arith.h"
#include "models/numerics/mpfr_ref.h"

namespace tessera::numerics {
namespace {

constexpr const char* kDistNames[] = {"uniform", "positive", "cancel"};

void record(AccuracyRow& row, const ErrorFigures& e) {
  if (!std::isfinite(e.rel) || !std::isfinite(e.ulps)) {
    ++row.non_finite;
    return;
  }
  row.max_rel = std::max(row.max_rel, e.rel);
  row.max_ulps = std::max(row.max_ulps, e.ulps);
  row.mean_rel += e.rel;
  row.mean_ulps += e.ulps;
}

void finish(AccuracyRow& row) {
  const int finite = row.trials - row.non_finite;
  if (finite > 0) {
    row.mean_rel /= finite;
    row.mean_ulps /= finite;
  }
}

}  // namespace

const char* distribution_name(Distribution d) {
  return kDistNames[static_cast<int>(d)];
}

Distribution parse_distribution(const std::string& text, const std::string& where) {
  for (int i = 0; i < 3; ++i) {
    if (text == kDistNames[i]) return static_cast<Distribution>(i);
  }
  throw InputError(fmt::format(
      "{}: expected a distribution (uniform, positive, cancel), found '{}'", where, text));
}

std::vector<std::uint64_t> draw_values(const FpFormat& f, Distribution d, std::size_t n,
                                       std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::uint64_t> v(n);
  const double big = std::ldexp(1.0, f.man_bits + 2);
  double live = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double x = 0;
    switch (d) {
      case Distribution::kUniform:
        x = rng.uniform() * 2 - 1;
        break;
      case Distribution::kPositive:
        x = rng.uniform();
        break;
      case Distribution::kCancel:
        if (i % 8 == 0 && i + 4 < n) {
          live = fp_to_double(f, fp_from_double(f, big * (1 + rng.uniform())));
          x = live;
        } else if (i % 8 == 4) {
          x = -live;
          live = 0;
        } else {
          x = rng.uniform() * 2 - 1;
        }
        break;
    }
    v[i] = fp_from_double(f, x);
  }
  return v;
}

std::vector<std::uint64_t> draw_dot_b(const FpFormat& f, Distribution d, std::size_t n,
                                      std::uint64_t seed) {
  Rng rng(Rng::derive(seed, 1));
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) {
    x = fp_from_double(f, d == Distribution::kCancel ? 1.0 : 0.5 + 1.5 * rng.uniform());
  }
  return v;
}

std::vector<AccuracyRow> sum_accuracy(const FpFormat& f, Distribution d, std::size_t n, int trials,
                                      std::uint64_t seed) {
  std::vector<AccuracyRow> rows;
  for (int m = 0; m < kAccumMethodCount; ++m) {
    rows.push_back({f, static_cast<AccumMethod>(m), d, trials, n, 0, 0, 0, 0, 0});
  }
  ExactSum exact(f);
  for (int t = 0; t < trials; ++t) {
    const auto xs = draw_values(f, d, n, Rng::derive(seed, static_cast<std::uint64_t>(t)));
    exact.clear();
    for (auto x : xs) exact.add(x);
    for (auto& row : rows) {
      Accumulator acc(f, row.method);
      for (auto x : xs) acc.add(x);
      record(row, exact.error_of(acc.result()));
    }
  }
  for (auto& row : rows) finish(row);
  return rows;
}

std::vector<AccuracyRow> dot_accuracy(const FpFormat& f, int lanes, DotReduce reduce,
                                      const std::vector<AccumMethod>& methods, Distribution d,
                                      std::size_t k, int trials, std::uint64_t seed) {
  std::vector<AccuracyRow> rows;
  std::vector<DotModel> models;
  for (AccumMethod m : methods) {
    rows.push_back({f, m, d, trials, k, 0, 0, 0, 0, 0});
    models.emplace_back(f, lanes, reduce, m);
  }
  ExactSum exact(f);
  for (int t = 0; t < trials; ++t) {
    const std::uint64_t s = Rng::derive(seed, static_cast<std::uint64_t>(t));
    const auto a = draw_values(f, d, k, s);
    const auto b = draw_dot_b(f, d, k, s);
    exact.clear();
    for (std::size_t i = 0; i < k; ++i) exact.add_product(a[i], b[i]);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      record(rows[i], exact.error_of(models[i].dot(a.data(), b.data(), k)));
    }
  }
  for (auto& row : rows) finish(row);
  return rows;
}

}  // namespace tessera::numerics

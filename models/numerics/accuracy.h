// Accuracy of the accumulation methods and dot units against the exact result (MPFR,
// ExactSum), per format, method and input distribution. Distributions (all values are
// drawn as doubles from tessera::Rng and rounded once to the format):
//   uniform   x ~ U(-1, 1)
//   positive  x ~ U(0, 1)              (no cancellation; naive error grows with n)
//   cancel    every 8th term is +B*u (u ~ U(1, 2)) and 4 terms later comes -B*u, the rest
//             U(-1, 1), with B = 2^(M + 2): the small terms are below half an ulp of the
//             running sum while the big pair is live, and the exact sum is theirs alone
// For dot products a_i follows the distribution and b_i = 1 for `cancel` (so the
// structure survives the products), b_i ~ U(0.5, 2) otherwise.
#pragma once

#include <string>
#include <vector>

#include "models/numerics/accumulator.h"
#include "models/numerics/dot_model.h"

namespace tessera::numerics {

enum class Distribution : int { kUniform = 0, kPositive = 1, kCancel = 2 };
const char* distribution_name(Distribution d);
// "uniform", "positive", "cancel"; throws InputError naming `where` otherwise.
Distribution parse_distribution(const std::string& text, const std::string& where);

// Draws n values of the format from a distribution (see above).
std::vector<std::uint64_t> draw_values(const FpFormat& f, Distribution d, std::size_t n,
                                       std::uint64_t seed);
// The b operands of a dot product whose a operands follow d.
std::vector<std::uint64_t> draw_dot_b(const FpFormat& f, Distribution d, std::size_t n,
                                      std::uint64_t seed);

struct AccuracyRow {
  FpFormat format;
  AccumMethod method;
  Distribution distribution;
  int trials = 0;
  std::size_t n = 0;  // terms per sum
  double max_rel = 0, mean_rel = 0, max_ulps = 0, mean_ulps = 0;
  int non_finite = 0;  // results that were inf or NaN while the exact sum is finite
};

// Sums of n terms, `trials` times, each method against the exact sum.
std::vector<AccuracyRow> sum_accuracy(const FpFormat& f, Distribution d, std::size_t n, int trials,
                                      std::uint64_t seed);
// Dot products of length k on a unit with `lanes` lanes and the given reduction, for each
// method, against the exact dot product of the (unrounded) products.
std::vector<AccuracyRow> dot_accuracy(const FpFormat& f, int lanes, DotReduce reduce,
                                      const std::vector<AccumMethod>& methods, Distribution d,
                                      std::size_t k, int trials, std::uint64_t seed);

}  // namespace tessera::numerics

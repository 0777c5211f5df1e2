// Accuracy figures against MPFR's exact sums: the orderings the methods promise, on the
// documented distributions (models/numerics/accuracy.h).
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "models/numerics/accuracy.h"
#include "models/numerics/fp_arith.h"

namespace tessera::numerics {
namespace {

const AccuracyRow& row_of(const std::vector<AccuracyRow>& rows, AccumMethod m) {
  for (const auto& r : rows) {
    if (r.method == m) return r;
  }
  throw std::logic_error("method missing");
}

// Kulisch rounds the exact sum once: never more than half an ulp, on every distribution.
// Neumaier, TwoSum and Klein are far better than naive on `cancel`, where naive summation
// loses every small term while a big pair is live; Kahan is not (the big term x arrives
// with |x| > |s|, the case Neumaier's compare fixes), which the figures in
// docs/numerics.md show.
TEST(Accuracy, SumOrderings) {
  for (const FpFormat f : {FpFormat{5, 10}, FpFormat{8, 7}, FpFormat{8, 23}}) {
    for (Distribution d :
         {Distribution::kUniform, Distribution::kPositive, Distribution::kCancel}) {
      const auto rows = sum_accuracy(f, d, 256, 20, 42);
      EXPECT_LE(row_of(rows, AccumMethod::kKulisch).max_ulps, 0.5) << f.name();
      EXPECT_EQ(row_of(rows, AccumMethod::kKulisch).non_finite, 0);
      if (d == Distribution::kUniform) {
        EXPECT_LT(row_of(rows, AccumMethod::kKahan).mean_rel,
                  row_of(rows, AccumMethod::kNaive).mean_rel)
            << f.name();
      }
      if (d == Distribution::kCancel) {
        const double naive = row_of(rows, AccumMethod::kNaive).mean_rel;
        for (AccumMethod m : {AccumMethod::kNeumaier, AccumMethod::kTwoSum, AccumMethod::kKlein}) {
          EXPECT_LT(row_of(rows, m).mean_rel, 0.1 * naive) << f.name() << " " << method_name(m);
        }
      }
    }
  }
}

TEST(Accuracy, CancelDistributionShape) {
  const FpFormat f{8, 7};
  const auto v = draw_values(f, Distribution::kCancel, 16, 3);
  // Terms 0 and 4 (and 8 and 12) are a big pair that cancels exactly.
  EXPECT_EQ(v[4], fp_neg(f, v[0]));
  EXPECT_EQ(v[12], fp_neg(f, v[8]));
  EXPECT_GE(fp_to_double(f, v[0]), 512.0);  // B = 2^(7 + 2)
  EXPECT_LT(std::abs(fp_to_double(f, v[1])), 1.0 + 1e-9);
  EXPECT_EQ(draw_values(f, Distribution::kCancel, 16, 3), v);  // deterministic
}

// With b = 1 (`cancel`) every product is exact. Sequential reduction feeds each product
// to the Kulisch register, so the dot product is the exact one rounded once (<= 0.5 ulp);
// the tree rounds each beat's sum in fp_add first, so tree + Kulisch is not exact.
TEST(Accuracy, DotKulischExactOnlyWithSequentialReduction) {
  const FpFormat f{8, 23};
  const std::vector<AccumMethod> methods = {AccumMethod::kKulisch, AccumMethod::kNaive};
  const auto seq =
      dot_accuracy(f, 4, DotReduce::kSequential, methods, Distribution::kCancel, 64, 10, 9);
  const auto tree = dot_accuracy(f, 4, DotReduce::kTree, methods, Distribution::kCancel, 64, 10, 9);
  EXPECT_LE(seq[0].max_ulps, 0.5);
  EXPECT_GT(tree[0].max_ulps, 0.5);
  EXPECT_GT(seq[1].max_ulps, seq[0].max_ulps);
  EXPECT_EQ(seq[0].trials, 10);
}

}  // namespace
}  // namespace tessera::numerics

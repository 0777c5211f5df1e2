// The attention unit's C++ model (models/numerics/attention_model.h) and its operations:
// fp_convert / fp_div against MPFR (exhaustive for 8-bit formats, random pairs for the
// wider ones), fp_greater against double compares, fp_exp's special values and error
// bounds against MPFR's exp, hand-worked attention rows (one key gives v; equal scores
// give the mean with known rounding per method; a max that moves rescales by exp(-1)),
// and the accuracy figures' ordering on the `mixed` distribution.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "models/core/error.h"
#include "models/core/rng.h"
#include "models/numerics/attention_accuracy.h"
#include "models/numerics/attention_model.h"
#include "models/numerics/attention_ref.h"
#include "models/numerics/exp_model.h"
#include "models/numerics/fp_arith.h"
#include "models/numerics/fp_ops.h"

namespace tessera::numerics {
namespace {

const FpFormat kE4M3{4, 3}, kE5M2{5, 2}, kE5M10{5, 10}, kE8M7{8, 7}, kE8M23{8, 23};

std::uint64_t val(const FpFormat& f, double v) {
  return fp_from_double(f, v);
}

// Every pattern for formats up to 16 bits; 2^17 scattered ones beyond.
template <typename Fn>
void for_patterns(const FpFormat& f, Fn fn) {
  const bool all = f.width() <= 16;
  const std::uint64_t n = all ? (std::uint64_t{1} << f.width()) : (std::uint64_t{1} << 17);
  for (std::uint64_t i = 0; i < n; ++i) {
    fn(all ? i : ((i * 0x9E3779B97F4A7C15ull) >> 7) & f.mask());
  }
}

TEST(AttentionOps, ConvertMatchesMpfr) {
  const std::pair<FpFormat, FpFormat> pairs[] = {{kE4M3, kE5M2},   {kE5M2, kE4M3}, {kE4M3, kE8M23},
                                                 {kE5M10, kE4M3},  {kE8M7, kE4M3}, {kE8M7, kE5M10},
                                                 {kE8M23, kE5M10}, {kE8M23, kE8M7}};
  for (const auto& [from, to] : pairs) {
    int bad = 0;
    for_patterns(from, [&](std::uint64_t x) {
      const std::uint64_t got = fp_convert(from, to, x);
      if (got != mpfr_fp_convert(from, to, x) && ++bad <= 3) {
        ADD_FAILURE() << from.name() << " -> " << to.name() << " x=0x" << std::hex << x << " got 0x"
                      << got;
      }
    });
    EXPECT_EQ(bad, 0) << from.name() << " -> " << to.name();
  }
}

TEST(AttentionOps, ConvertSpecialValues) {
  EXPECT_EQ(fp_convert(kE8M23, kE4M3, kE8M23.nan()), kE4M3.nan());
  EXPECT_EQ(fp_convert(kE8M23, kE4M3, kE8M23.inf(true)), kE4M3.inf(true));
  EXPECT_EQ(fp_convert(kE8M23, kE4M3, val(kE8M23, 1000.0)), kE4M3.inf(false));  // > 240
  EXPECT_EQ(fp_convert(kE8M23, kE4M3, kE8M23.sign_bit()), kE4M3.sign_bit());    // -0
  // 1 + 2^-4 is the midpoint of 1 and 1.125 in E4M3: ties to even gives 1.
  EXPECT_EQ(fp_convert(kE8M23, kE4M3, val(kE8M23, 1.0625)), val(kE4M3, 1.0));
  EXPECT_EQ(fp_convert(kE8M23, kE4M3, val(kE8M23, 1.1875)), val(kE4M3, 1.25));
}

TEST(AttentionOps, DivExhaustive8BitMatchesMpfr) {
  for (const FpFormat& f : {kE4M3, kE5M2}) {
    int bad = 0;
    for (std::uint64_t a = 0; a < 256; ++a) {
      for (std::uint64_t b = 0; b < 256; ++b) {
        const std::uint64_t got = fp_div(f, a, b);
        if (got != mpfr_fp_div(f, a, b) && ++bad <= 3) {
          ADD_FAILURE() << f.name() << std::hex << " 0x" << a << " / 0x" << b << " got 0x" << got;
        }
      }
    }
    EXPECT_EQ(bad, 0) << f.name();
  }
}

TEST(AttentionOps, DivRandomWideMatchesMpfr) {
  Rng rng(7);
  for (const FpFormat& f : {kE5M10, kE8M7, kE8M23}) {
    int bad = 0;
    for (int i = 0; i < 100000; ++i) {
      const std::uint64_t a = rng.next_u64() & f.mask(), b = rng.next_u64() & f.mask();
      const std::uint64_t got = fp_div(f, a, b);
      if (got != mpfr_fp_div(f, a, b) && ++bad <= 3) {
        ADD_FAILURE() << f.name() << std::hex << " 0x" << a << " / 0x" << b << " got 0x" << got;
      }
    }
    EXPECT_EQ(bad, 0) << f.name();
  }
}

TEST(AttentionOps, DivSpecialValues) {
  const FpFormat f = kE5M10;
  EXPECT_EQ(fp_div(f, 0, 0), f.nan());
  EXPECT_EQ(fp_div(f, f.inf(false), f.inf(true)), f.nan());
  EXPECT_EQ(fp_div(f, val(f, -3.0), 0), f.inf(true));
  EXPECT_EQ(fp_div(f, val(f, 3.0), f.inf(true)), f.sign_bit());
  EXPECT_EQ(fp_div(f, val(f, 1.0), val(f, 3.0)), val(f, 1.0 / 3.0));
  EXPECT_EQ(fp_div(f, val(f, 6.0), val(f, 4.0)), val(f, 1.5));
}

TEST(AttentionOps, GreaterMatchesDoubleCompare) {
  for (std::uint64_t a = 0; a < 256; ++a) {
    for (std::uint64_t b = 0; b < 256; ++b) {
      const bool want = fp_to_double(kE4M3, a) > fp_to_double(kE4M3, b);  // false for NaN
      ASSERT_EQ(fp_greater(kE4M3, a, b), want) << std::hex << a << " " << b;
    }
  }
}

TEST(AttentionExp, SpecialValues) {
  for (const FpFormat& f : {kE4M3, kE5M2, kE5M10, kE8M7, kE8M23}) {
    const std::uint64_t one = std::uint64_t(f.bias()) << f.man_bits;
    EXPECT_EQ(fp_exp(f, 0), one) << f.name();
    EXPECT_EQ(fp_exp(f, f.sign_bit()), one) << f.name();  // exp(-0)
    EXPECT_EQ(fp_exp(f, f.inf(true)), 0u) << f.name();
    EXPECT_EQ(fp_exp(f, f.inf(false)), f.inf(false)) << f.name();
    EXPECT_EQ(fp_exp(f, f.nan()), f.nan()) << f.name();
    // The most negative finite value underflows to +0.
    EXPECT_EQ(fp_exp(f, f.inf(true) - 1), 0u) << f.name();
  }
  // exp(-1) = 0.36788 rounds to 1507 / 4096 in E5M10 (computed by hand).
  EXPECT_EQ(fp_to_double(kE5M10, fp_exp(kE5M10, val(kE5M10, -1.0))), 1507.0 / 4096);
  EXPECT_EQ(exp_degree(3), 2);
  EXPECT_EQ(exp_degree(10), 4);
  EXPECT_EQ(exp_degree(23), 7);
  EXPECT_EQ(exp_constant(kE8M23, 1), val(kE8M23, std::log(2.0)));
  EXPECT_EQ(exp_constant(kE8M23, -1), val(kE8M23, 1.0 / std::log(2.0)));
}

// Error bounds of fp_exp against MPFR's exp over every x <= 0 of the format (2^17
// scattered ones for E8M23), measured and documented in docs/numerics.md ("Exponential").
// On [-1, 0] the range reduction is exact enough that the result is within 1.5 ulps; for
// larger |x| the rounding of t = x log2(e) in the format grows with |t|.
TEST(AttentionExp, ErrorBoundsAgainstMpfr) {
  struct Bound {
    FpFormat f;
    double near_ulps, all_ulps;
  };
  const Bound bounds[] = {{kE4M3, 0.8, 2.5},
                          {kE5M2, 0.85, 3.0},
                          {kE5M10, 1.5, 9.1},
                          {kE8M7, 1.15, 63.0},
                          {kE8M23, 1.5, 60.0}};
  for (const Bound& b : bounds) {
    double near_max = 0, all_max = 0;
    for_patterns(b.f, [&](std::uint64_t x) {
      if (fp_is_nan(b.f, x) || fp_is_inf(b.f, x)) return;
      const double xd = fp_to_double(b.f, x);
      if (xd > 0) return;
      const double u = exp_error_ulps(b.f, x, fp_exp(b.f, x));
      all_max = std::max(all_max, u);
      if (xd >= -1) near_max = std::max(near_max, u);
    });
    EXPECT_LE(near_max, b.near_ulps) << b.f.name();
    EXPECT_LE(all_max, b.all_ulps) << b.f.name();
    EXPECT_GT(near_max, 0.0) << b.f.name();  // the figure is measured, not vacuous
  }
}

AttentionConfig all_in(const FpFormat& f, AccumMethod m, int dim) {
  AttentionConfig c;
  c.head_dim = dim;
  c.score_format = c.softmax_format = c.out_format = f;
  c.score_method = c.softmax_method = c.out_method = m;
  return c;
}

TEST(AttentionModel, OneKeyGivesVExactly) {
  Rng rng(3);
  for (int m = 0; m < kAccumMethodCount; ++m) {
    for (const FpFormat& f : {kE4M3, kE5M10, kE8M23}) {
      AttentionModel model(all_in(f, static_cast<AccumMethod>(m), 4));
      for (int t = 0; t < 20; ++t) {
        std::vector<std::uint64_t> q(4), k(4), v(4);
        for (auto& x : q) x = val(f, rng.uniform() * 4 - 2);
        for (auto& x : k) x = val(f, rng.uniform() * 4 - 2);
        for (auto& x : v) x = val(f, rng.uniform() * 2 + 0.01);  // nonzero: +0 + -0 = +0
        EXPECT_EQ(model.run(q.data(), k.data(), v.data(), 1), v) << f.name() << " method " << m;
      }
    }
  }
}

// q = 0: every score is +0, every p exactly 1, the denominator exactly L, and the output
// the sum of the v rows (rounded by the method) divided by L. In E4M3, lane 0 sums
// 4 + 4 x 0.125: naive rounds every 4.125 back to 4 (the ulp at 4 is 0.5), so
// 4 / 5 = 0.8 -> 0.8125; Kahan recovers 4.5 (hand-traced: t = 4, 4, 4.5, 4.5) and
// Kulisch sums exactly, so 4.5 / 5 = 0.9 -> 0.875. Lane 1 (all ones) gives 1.
TEST(AttentionModel, EqualScoresGiveTheMeanWithKnownRounding) {
  const std::vector<std::uint64_t> q(2, 0), k(10, val(kE4M3, 1.5));
  std::vector<std::uint64_t> v;
  for (double x : {4.0, 0.125, 0.125, 0.125, 0.125}) {
    v.push_back(val(kE4M3, x));
    v.push_back(val(kE4M3, 1.0));
  }
  const std::pair<AccumMethod, double> want[] = {
      {AccumMethod::kNaive, 0.8125}, {AccumMethod::kKahan, 0.875}, {AccumMethod::kKulisch, 0.875}};
  for (const auto& [method, lane0] : want) {
    AttentionConfig c = all_in(kE4M3, method, 2);
    c.softmax_format = kE5M10;
    AttentionModel model(c);
    const auto out = model.run(q.data(), k.data(), v.data(), 5);
    EXPECT_EQ(fp_to_double(kE4M3, out[0]), lane0) << method_name(method);
    EXPECT_EQ(fp_to_double(kE4M3, out[1]), 1.0) << method_name(method);
  }
}

// Scores 0 then 1 in E5M10: the second key moves the max, so alpha = exp(-1) = 1507/4096,
// p = 1; l = fl(alpha + 1) = 1401/1024; o = (alpha, 1) for v rows (1, 0), (0, 1); out =
// (fl(alpha / l), fl(1 / l)) = (1101/4096, 1497/2048) (quotients 1101.48 and 1496.90 ulps).
TEST(AttentionModel, MovingMaxRescalesByExpMinusOne) {
  AttentionModel model(all_in(kE5M10, AccumMethod::kNaive, 2));
  const std::vector<std::uint64_t> q{val(kE5M10, 1.0), 0};
  const std::vector<std::uint64_t> k{0, 0, val(kE5M10, 1.0), 0};
  const std::vector<std::uint64_t> v{val(kE5M10, 1.0), 0, 0, val(kE5M10, 1.0)};
  model.key(q.data(), k.data(), v.data());
  EXPECT_EQ(model.running_max(), 0u);
  EXPECT_EQ(fp_to_double(kE5M10, model.denominator()), 1.0);
  model.key(q.data(), k.data() + 2, v.data() + 2);
  EXPECT_EQ(model.running_max(), val(kE5M10, 1.0));
  EXPECT_EQ(fp_to_double(kE5M10, model.denominator()), 1401.0 / 1024);
  const auto out = model.finish();
  EXPECT_EQ(fp_to_double(kE5M10, out[0]), 1101.0 / 4096);
  EXPECT_EQ(fp_to_double(kE5M10, out[1]), 1497.0 / 2048);
  EXPECT_EQ(model.running_max(), kE5M10.inf(true));  // cleared for the next row
}

// Invariants on seeded rows: the running max is the largest converted score seen, and a
// row's output does not depend on the rows before it (the state clears).
TEST(AttentionModel, RunningMaxAndStateClearOnRandomRows) {
  AttentionConfig c = all_in(kE5M10, AccumMethod::kNeumaier, 4);
  c.score_format = kE8M23;
  AttentionModel model(c), fresh(c);
  DotModel dot(c.score_format, 4, c.score_reduce, c.score_method);
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const AttentionInputs in = draw_attention_inputs(c, AttentionDistribution::kPeaked, 9, seed);
    double max_seen = -HUGE_VAL;
    for (std::size_t j = 0; j < 9; ++j) {
      model.key(in.q.data(), in.k.data() + 4 * j, in.v.data() + 4 * j);
      const double s = fp_to_double(
          kE5M10, fp_convert(kE8M23, kE5M10, dot.dot(in.q.data(), in.k.data() + 4 * j, 4)));
      max_seen = std::max(max_seen, s);
      ASSERT_EQ(fp_to_double(kE5M10, model.running_max()), max_seen);
    }
    const auto out = model.finish();
    AttentionModel once(c);
    EXPECT_EQ(out, once.run(in.q.data(), in.k.data(), in.v.data(), 9));
  }
}

TEST(AttentionModel, RejectsAnOutputFormatTooWideForTheDivider) {
  AttentionConfig c;
  c.out_format = FpFormat{11, 52};
  EXPECT_THROW(AttentionModel{c}, InputError);
  EXPECT_THROW(parse_attention_distribution("gauss", "x.yaml:3"), InputError);
}

// The exact reference itself: equal scores give the plain mean of v.
TEST(AttentionAccuracy, ExactReferenceOfEqualScoresIsTheMean) {
  const AttentionConfig c = all_in(kE8M23, AccumMethod::kNaive, 2);
  const std::vector<std::uint64_t> q(2, 0), k(6, val(kE8M23, 0.5));
  const std::vector<std::uint64_t> v{val(kE8M23, 1.0), val(kE8M23, 2.0), val(kE8M23, 2.0),
                                     val(kE8M23, 2.0), val(kE8M23, 4.0), val(kE8M23, 5.0)};
  const auto exact = exact_attention(c, q.data(), k.data(), v.data(), 3);
  EXPECT_DOUBLE_EQ(exact[0], 7.0 / 3);
  EXPECT_DOUBLE_EQ(exact[1], 3.0);
}

// On `mixed` (every p exactly 1, L = 4096, value rows of mixed magnitude) in E5M10, naive
// accumulation stalls (the denominator sticks at 2048: the ulp there is 2, so 2048 + 1
// ties back to 2048) and loses the small rows, while Kulisch and Neumaier keep the error
// small.
TEST(AttentionAccuracy, CompensationMattersOnMixed) {
  const auto naive = attention_accuracy(all_in(kE5M10, AccumMethod::kNaive, 4),
                                        AttentionDistribution::kMixed, 4096, 3, 11);
  const auto kulisch = attention_accuracy(all_in(kE5M10, AccumMethod::kKulisch, 4),
                                          AttentionDistribution::kMixed, 4096, 3, 11);
  const auto neumaier = attention_accuracy(all_in(kE5M10, AccumMethod::kNeumaier, 4),
                                           AttentionDistribution::kMixed, 4096, 3, 11);
  EXPECT_EQ(naive.outputs, 12);
  EXPECT_GT(naive.mean_ulps, 10 * kulisch.mean_ulps);
  EXPECT_GT(naive.mean_ulps, 10 * neumaier.mean_ulps);
  EXPECT_EQ(kulisch.non_finite, 0);
}

}  // namespace
}  // namespace tessera::numerics

#include "models/numerics/attention_ref.h"

#include <algorithm>
#include <cmath>

#include "models/numerics/fp_arith.h"
#include "models/numerics/mpfr_round.h"

namespace tessera::numerics {
namespace {

constexpr mpfr_prec_t kHighPrec = 256;

}  // namespace

std::uint64_t mpfr_fp_div(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  mpfr_t x, y, r;
  mpfr_inits2(kHighPrec, x, y, r, nullptr);
  mpfr_set_d(x, fp_to_double(f, a), MPFR_RNDN);
  mpfr_set_d(y, fp_to_double(f, b), MPFR_RNDN);
  // Rounded to 256 bits first: a quotient of two format values is either exact in far
  // fewer bits or not a midpoint of the format, so the second rounding cannot flip.
  mpfr_div(r, x, y, MPFR_RNDN);
  const std::uint64_t out = mpfr_round_to_format(f, r);
  mpfr_clears(x, y, r, nullptr);
  return out;
}

std::uint64_t mpfr_fp_convert(const FpFormat& from, const FpFormat& to, std::uint64_t x) {
  mpfr_t v;
  mpfr_init2(v, 64);
  mpfr_set_d(v, fp_to_double(from, x), MPFR_RNDN);
  const std::uint64_t out = mpfr_round_to_format(to, v);
  mpfr_clear(v);
  return out;
}

std::uint64_t mpfr_fp_exp(const FpFormat& f, std::uint64_t x) {
  mpfr_t v;
  mpfr_init2(v, kHighPrec);
  mpfr_set_d(v, fp_to_double(f, x), MPFR_RNDN);
  mpfr_exp(v, v, MPFR_RNDN);
  const std::uint64_t out = mpfr_round_to_format(f, v);
  mpfr_clear(v);
  return out;
}

double ulp_at(const FpFormat& f, double v) {
  int ex = 0;
  std::frexp(std::fabs(v), &ex);  // |v| in [2^(ex-1), 2^ex)
  const int lead = v == 0 ? f.emin() : std::max(ex - 1, f.emin());
  return std::ldexp(1.0, lead - f.man_bits);
}

double exp_error_ulps(const FpFormat& f, std::uint64_t x, std::uint64_t got) {
  mpfr_t v, g;
  mpfr_inits2(kHighPrec, v, g, nullptr);
  mpfr_set_d(v, fp_to_double(f, x), MPFR_RNDN);
  mpfr_exp(v, v, MPFR_RNDN);
  mpfr_set_d(g, fp_to_double(f, got), MPFR_RNDN);
  const double exact = mpfr_get_d(v, MPFR_RNDN);
  mpfr_sub(g, g, v, MPFR_RNDN);
  const double err = std::fabs(mpfr_get_d(g, MPFR_RNDN));
  mpfr_clears(v, g, nullptr);
  return err / ulp_at(f, exact);
}

std::vector<double> exact_attention(const AttentionConfig& cfg, const std::uint64_t* q,
                                    const std::uint64_t* k, const std::uint64_t* v,
                                    std::size_t keys) {
  const std::size_t dim = static_cast<std::size_t>(cfg.head_dim);
  mpfr_t s, t, mx, w, l;
  mpfr_inits2(kHighPrec, s, t, mx, w, l, nullptr);
  // mpfr_t is an array type: vectors hold the structs it wraps.
  std::vector<__mpfr_struct> scores(keys), o(dim);
  for (auto& x : scores) mpfr_init2(&x, kHighPrec);
  for (auto& x : o) {
    mpfr_init2(&x, kHighPrec);
    mpfr_set_zero(&x, 1);
  }
  mpfr_set_inf(mx, -1);
  for (std::size_t j = 0; j < keys; ++j) {
    mpfr_set_zero(s, 1);
    for (std::size_t d = 0; d < dim; ++d) {
      mpfr_set_d(t, fp_to_double(cfg.score_format, q[d]), MPFR_RNDN);
      mpfr_mul_d(t, t, fp_to_double(cfg.score_format, k[j * dim + d]), MPFR_RNDN);
      mpfr_add(s, s, t, MPFR_RNDN);
    }
    mpfr_set(&scores[j], s, MPFR_RNDN);
    mpfr_max(mx, mx, s, MPFR_RNDN);
  }
  mpfr_set_zero(l, 1);
  for (std::size_t j = 0; j < keys; ++j) {
    mpfr_sub(w, &scores[j], mx, MPFR_RNDN);
    mpfr_exp(w, w, MPFR_RNDN);
    mpfr_add(l, l, w, MPFR_RNDN);
    for (std::size_t d = 0; d < dim; ++d) {
      mpfr_mul_d(t, w, fp_to_double(cfg.out_format, v[j * dim + d]), MPFR_RNDN);
      mpfr_add(&o[d], &o[d], t, MPFR_RNDN);
    }
  }
  std::vector<double> out(dim);
  for (std::size_t d = 0; d < dim; ++d) {
    mpfr_div(&o[d], &o[d], l, MPFR_RNDN);
    out[d] = mpfr_get_d(&o[d], MPFR_RNDN);
    mpfr_clear(&o[d]);
  }
  for (auto& x : scores) mpfr_clear(&x);
  mpfr_clears(s, t, mx, w, l, nullptr);
  return out;
}

}  // namespace tessera::numerics

#include "models/numerics/mpfr_ref.h"

#include <cmath>
#include <limits>

#include "models/numerics/accumulator.h"
#include "models/numerics/fp_arith.h"
#include "models/numerics/mpfr_round.h"

namespace tessera::numerics {
namespace {

// Encodes a double that is exactly a value of `f` (checked by the caller's use: MPFR has
// already rounded it to the format). Written apart from fp_round_pack on purpose.
std::uint64_t encode_exact(const FpFormat& f, double v) {
  if (std::isnan(v)) return f.nan();
  const bool neg = std::signbit(v);
  const std::uint64_t sign = neg ? f.sign_bit() : 0;
  if (std::isinf(v)) return f.inf(neg);
  if (v == 0) return sign;
  int ex = 0;
  std::frexp(std::fabs(v), &ex);  // |v| = m * 2^ex, 0.5 <= m < 1
  const int lead = ex - 1;
  if (lead < f.emin()) {
    const double man = std::ldexp(std::fabs(v), f.man_bits - f.emin());
    return sign | static_cast<std::uint64_t>(man);
  }
  const double sig = std::ldexp(std::fabs(v), f.man_bits - lead);
  return sign | (std::uint64_t(lead + f.bias()) << f.man_bits) |
         (static_cast<std::uint64_t>(sig) - (std::uint64_t{1} << f.man_bits));
}

template <typename Op>
std::uint64_t binary_op(const FpFormat& f, std::uint64_t a, std::uint64_t b, Op op) {
  mpfr_t x, y, r;
  mpfr_inits2(64, x, y, nullptr);
  // The exact result of a + b or a * b fits in this many bits for E <= 11, M <= 52.
  mpfr_init2(r, 2 * (f.exp_field_max() + f.man_bits) + 8);
  mpfr_set_d(x, fp_to_double(f, a), MPFR_RNDN);
  mpfr_set_d(y, fp_to_double(f, b), MPFR_RNDN);
  op(r, x, y, MPFR_RNDN);
  const std::uint64_t out = mpfr_round_to_format(f, r);
  mpfr_clears(x, y, r, nullptr);
  return out;
}

}  // namespace

std::uint64_t mpfr_round_to_format(const FpFormat& f, mpfr_srcptr x) {
  if (mpfr_nan_p(x)) return f.nan();
  const mpfr_exp_t old_emin = mpfr_get_emin(), old_emax = mpfr_get_emax();
  mpfr_t r;
  mpfr_init2(r, f.man_bits + 1);
  mpfr_set_emin(f.emin() - f.man_bits + 1);
  mpfr_set_emax(f.emax() + 1);
  int t = mpfr_set(r, x, MPFR_RNDN);
  t = mpfr_check_range(r, t, MPFR_RNDN);
  mpfr_subnormalize(r, t, MPFR_RNDN);
  const double v = mpfr_get_d(r, MPFR_RNDN);  // exact: every value of f is a double
  mpfr_set_emin(old_emin);
  mpfr_set_emax(old_emax);
  mpfr_clear(r);
  return encode_exact(f, v);
}

std::uint64_t mpfr_fp_add(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  return binary_op(f, a, b, mpfr_add);
}
std::uint64_t mpfr_fp_mul(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  return binary_op(f, a, b, mpfr_mul);
}

struct ExactSum::Impl {
  FpFormat f;
  mpfr_t sum, term, p;
};

ExactSum::ExactSum(const FpFormat& f) : impl_(std::make_unique<Impl>()) {
  impl_->f = f;
  // Products span twice the format's exponent range; 64 more bits absorb 2^64 carries.
  const mpfr_prec_t prec = 2 * kulisch_bits(f) + 64;
  mpfr_init2(impl_->sum, prec);
  mpfr_init2(impl_->term, 64);
  mpfr_init2(impl_->p, 2 * f.man_bits + 4);
  clear();
}

ExactSum::~ExactSum() {
  mpfr_clears(impl_->sum, impl_->term, impl_->p, nullptr);
}

void ExactSum::clear() {
  mpfr_set_zero(impl_->sum, 1);
}

void ExactSum::add(std::uint64_t x) {
  mpfr_set_d(impl_->term, fp_to_double(impl_->f, x), MPFR_RNDN);
  mpfr_add(impl_->sum, impl_->sum, impl_->term, MPFR_RNDN);
}

void ExactSum::add_product(std::uint64_t a, std::uint64_t b) {
  mpfr_set_d(impl_->term, fp_to_double(impl_->f, a), MPFR_RNDN);
  mpfr_set_d(impl_->p, fp_to_double(impl_->f, b), MPFR_RNDN);
  mpfr_mul(impl_->p, impl_->p, impl_->term, MPFR_RNDN);  // exact: 2M + 2 bits
  mpfr_add(impl_->sum, impl_->sum, impl_->p, MPFR_RNDN);
}

std::uint64_t ExactSum::rounded() const {
  return mpfr_round_to_format(impl_->f, impl_->sum);
}

double ExactSum::to_double() const {
  return mpfr_get_d(impl_->sum, MPFR_RNDN);
}

ErrorFigures ExactSum::error_of(std::uint64_t got) const {
  const FpFormat& f = impl_->f;
  ErrorFigures e;
  if (fp_is_nan(f, got) || fp_is_inf(f, got) || !mpfr_number_p(impl_->sum)) {
    e.rel = e.ulps = std::numeric_limits<double>::infinity();
    return e;
  }
  mpfr_t diff;
  mpfr_init2(diff, mpfr_get_prec(impl_->sum));
  mpfr_set_d(diff, fp_to_double(f, got), MPFR_RNDN);
  mpfr_sub(diff, diff, impl_->sum, MPFR_RNDN);
  mpfr_abs(diff, diff, MPFR_RNDN);
  if (mpfr_zero_p(impl_->sum)) {
    e.rel = mpfr_zero_p(diff) ? 0 : std::numeric_limits<double>::infinity();
    e.ulps = std::ldexp(mpfr_get_d(diff, MPFR_RNDN), f.man_bits - f.emin());
  } else {
    const long lead = static_cast<long>(mpfr_get_exp(impl_->sum)) - 1;
    const long ulp_exp = (lead < f.emin() ? f.emin() : lead) - f.man_bits;
    mpfr_t q;
    mpfr_init2(q, 64);
    mpfr_div(q, diff, impl_->sum, MPFR_RNDN);
    e.rel = std::fabs(mpfr_get_d(q, MPFR_RNDN));
    mpfr_div_2si(q, diff, ulp_exp, MPFR_RNDN);
    e.ulps = mpfr_get_d(q, MPFR_RNDN);
    mpfr_clear(q);
  }
  mpfr_clear(diff);
  return e;
}

}  // namespace tessera::numerics

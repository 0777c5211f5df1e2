#include "models/numerics/fp_ops.h"

#include "models/numerics/fp_arith.h"

namespace tessera::numerics {
namespace {

std::uint64_t significand(const FpFormat& f, std::uint64_t x) {
  const std::uint64_t m = fp_man_field(f, x);
  return fp_exp_field(f, x) == 0 ? m : (m | (std::uint64_t{1} << f.man_bits));
}
int exp_eff(const FpFormat& f, std::uint64_t x) {
  const int e = fp_exp_field(f, x);
  return e == 0 ? 1 : e;
}

}  // namespace

std::uint64_t fp_convert(const FpFormat& from, const FpFormat& to, std::uint64_t x) {
  if (fp_is_nan(from, x)) return to.nan();
  if (fp_is_inf(from, x)) return to.inf(fp_sign(from, x));
  return fp_round_pack(to, fp_sign(from, x), significand(from, x),
                       exp_eff(from, x) - from.bias() - from.man_bits);
}

std::uint64_t fp_div(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  const bool sign = fp_sign(f, a) != fp_sign(f, b);
  const bool a_zero = fp_is_zero(f, a), b_zero = fp_is_zero(f, b);
  if (fp_is_nan(f, a) || fp_is_nan(f, b) || (a_zero && b_zero) ||
      (fp_is_inf(f, a) && fp_is_inf(f, b))) {
    return f.nan();
  }
  if (fp_is_inf(f, a) || b_zero) return f.inf(sign);
  if (a_zero || fp_is_inf(f, b)) return sign ? f.sign_bit() : 0;
  // q = floor(sa 2^K / sb) has at least man_bits + 3 significant bits; the remainder
  // becomes a sticky bit below it (rtl/fp_div.v).
  const int k = 2 * f.man_bits + 3;
  const U128 num = U128{significand(f, a)} << k;
  const U128 den = significand(f, b);
  const U128 q = num / den;
  const U128 r = num % den;
  return fp_round_pack(f, sign, (q << 1) | (r != 0 ? 1 : 0),
                       exp_eff(f, a) - exp_eff(f, b) - (k + 1));
}

bool fp_greater(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  if (fp_is_nan(f, a) || fp_is_nan(f, b)) return false;
  if (fp_is_zero(f, a) && fp_is_zero(f, b)) return false;
  const bool sa = fp_sign(f, a), sb = fp_sign(f, b);
  const std::uint64_t ma = fp_abs(f, a), mb = fp_abs(f, b);
  if (sa != sb) return !sa;
  return sa ? ma < mb : ma > mb;
}

}  // namespace tessera::numerics

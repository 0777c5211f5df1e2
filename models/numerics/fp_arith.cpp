#include "models/numerics/fp_arith.h"

#include <cmath>
#include <cstring>

namespace tessera::numerics {
namespace {

int bit_length(U128 x) {
  const auto hi = static_cast<std::uint64_t>(x >> 64);
  if (hi != 0) return 128 - __builtin_clzll(hi);
  const auto lo = static_cast<std::uint64_t>(x);
  return lo == 0 ? 0 : 64 - __builtin_clzll(lo);
}

struct Unpacked {
  bool sign;
  int exp_eff;        // biased exponent, subnormals and zeros read as 1
  std::uint64_t sig;  // significand with the hidden bit
};

Unpacked unpack(const FpFormat& f, std::uint64_t x) {
  const int e = fp_exp_field(f, x);
  const std::uint64_t m = fp_man_field(f, x);
  return {fp_sign(f, x), e == 0 ? 1 : e, e == 0 ? m : (m | (std::uint64_t{1} << f.man_bits))};
}

}  // namespace

std::uint64_t fp_round_pack(const FpFormat& f, bool sign, U128 sig, int exp_lsb) {
  const std::uint64_t sign_bits = sign ? f.sign_bit() : 0;
  if (sig == 0) return sign_bits;
  const int msb = bit_length(sig) - 1;
  const int lead = exp_lsb + msb;  // the value lies in [2^lead, 2^(lead+1))
  const int target_lsb = (lead < f.emin() ? f.emin() : lead) - f.man_bits;
  const int shift = target_lsb - exp_lsb;
  U128 q;
  if (shift <= 0) {
    q = sig << -shift;  // exact: -shift <= man_bits
  } else if (shift > 127) {
    q = 0;  // far below half of the smallest subnormal: guard 0, rounds to zero
  } else {
    q = sig >> shift;
    const bool guard = ((sig >> (shift - 1)) & 1) != 0;
    const U128 below = shift >= 2 ? (sig & ((U128{1} << (shift - 1)) - 1)) : U128{0};
    if (guard && (below != 0 || (q & 1) != 0)) q += 1;
  }
  int lsb = target_lsb;
  if (q >> (f.man_bits + 1)) {  // rounding carried into a new leading bit
    q >>= 1;
    lsb += 1;
  }
  const U128 hidden = U128{1} << f.man_bits;
  if (q < hidden) return sign_bits | static_cast<std::uint64_t>(q);  // subnormal or zero
  const int exp_field = lsb + f.man_bits + f.bias();
  if (exp_field >= f.exp_field_max()) return f.inf(sign);
  return sign_bits | (std::uint64_t(exp_field) << f.man_bits) |
         static_cast<std::uint64_t>(q - hidden);
}

std::uint64_t fp_add(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  const bool a_nan = fp_is_nan(f, a), b_nan = fp_is_nan(f, b);
  const bool a_inf = fp_is_inf(f, a), b_inf = fp_is_inf(f, b);
  if (a_nan || b_nan || (a_inf && b_inf && fp_sign(f, a) != fp_sign(f, b))) return f.nan();
  if (a_inf) return a;
  if (b_inf) return b;
  // Order by magnitude so the aligned difference is never negative.
  if (fp_abs(f, b) > fp_abs(f, a)) std::swap(a, b);
  const Unpacked x = unpack(f, a), y = unpack(f, b);
  if (x.sig == 0 && y.sig == 0) return (x.sign && y.sign) ? f.sign_bit() : 0;
  // Three extra bits (guard, round, sticky) below the larger operand's LSB suffice for
  // correct rounding of an addition or subtraction.
  const int d = x.exp_eff - y.exp_eff;
  const U128 big = U128{x.sig} << 3;
  U128 small = U128{y.sig} << 3;
  if (d > f.man_bits + 4) {
    small = small != 0 ? 1 : 0;
  } else if (d > 0) {
    const bool sticky = (small & ((U128{1} << d) - 1)) != 0;
    small = (small >> d) | (sticky ? 1 : 0);
  }
  const bool subtract = x.sign != y.sign;
  const U128 sum = subtract ? big - small : big + small;
  if (sum == 0) return 0;  // exact cancellation gives +0 under round to nearest
  return fp_round_pack(f, x.sign, sum, x.exp_eff - f.bias() - f.man_bits - 3);
}

std::uint64_t fp_mul(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  const bool sign = fp_sign(f, a) != fp_sign(f, b);
  if (fp_is_nan(f, a) || fp_is_nan(f, b)) return f.nan();
  const bool a_inf = fp_is_inf(f, a), b_inf = fp_is_inf(f, b);
  if (a_inf || b_inf) {
    if (fp_is_zero(f, a) || fp_is_zero(f, b)) return f.nan();
    return f.inf(sign);
  }
  const Unpacked x = unpack(f, a), y = unpack(f, b);
  const U128 product = U128{x.sig} * U128{y.sig};
  return fp_round_pack(f, sign, product, x.exp_eff + y.exp_eff - 2 * (f.bias() + f.man_bits));
}

double fp_to_double(const FpFormat& f, std::uint64_t x) {
  const double s = fp_sign(f, x) ? -1.0 : 1.0;
  if (fp_is_nan(f, x)) return std::nan("");
  if (fp_is_inf(f, x)) return s * HUGE_VAL;
  const Unpacked u = unpack(f, x);
  return s * std::ldexp(static_cast<double>(u.sig), u.exp_eff - f.bias() - f.man_bits);
}

std::uint64_t fp_from_double(const FpFormat& f, double v) {
  if (std::isnan(v)) return f.nan();
  const bool sign = std::signbit(v);
  if (std::isinf(v)) return f.inf(sign);
  if (v == 0) return sign ? f.sign_bit() : 0;
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  const int e = static_cast<int>((bits >> 52) & 0x7FF);
  std::uint64_t m = bits & ((std::uint64_t{1} << 52) - 1);
  if (e != 0) m |= std::uint64_t{1} << 52;
  return fp_round_pack(f, sign, m, (e == 0 ? 1 : e) - 1023 - 52);
}

}  // namespace tessera::numerics

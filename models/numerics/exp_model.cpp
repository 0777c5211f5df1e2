#include "models/numerics/exp_model.h"

#include "models/numerics/fp_arith.h"

namespace tessera::numerics {
namespace {

// (ln 2)^k / k! x 2^62 rounded to nearest, k = 0 .. 12, and log2(e) x 2^62: the same
// literals as rtl/fp_exp.v (computed with Python's decimal module at 80 digits).
constexpr std::uint64_t kCoefFix[13] = {0x4000000000000000, 0x2c5c85fdf473de6b, 0x0f5fdeffc162c754,
                                        0x038d611ae09417f1, 0x009d955b7dd273b9, 0x0015d87fe78a6731,
                                        0x0002861225f0d8f1, 0x00003ff97f8b1162, 0x0000058b0088e972,
                                        0x0000006d494f4e58, 0x00000007933d4563, 0x000000007a32b1cd,
                                        0x00000000070ef594};
constexpr std::uint64_t kLog2eFix = 0x5c551d94ae0bf85e;
constexpr int kFixLsb = -62;

// The smallest B with 2^B >= bias + man_bits + 3: for |t| >= 2^B, 2^t overflows or
// underflows whatever the fraction.
int range_bits(const FpFormat& f) {
  const int lim = f.bias() + f.man_bits + 3;
  int b = 1;
  while ((1 << b) < lim) ++b;
  return b;
}

}  // namespace

int exp_degree(int man_bits) {
  if (man_bits <= 3) return 2;
  if (man_bits <= 7) return 3;
  if (man_bits <= 10) return 4;
  if (man_bits <= 16) return 5;
  if (man_bits <= 23) return 7;
  return 12;
}

std::uint64_t exp_constant(const FpFormat& f, int k) {
  return fp_round_pack(f, false, k < 0 ? kLog2eFix : kCoefFix[k], kFixLsb);
}

std::uint64_t fp_exp(const FpFormat& f, std::uint64_t x) {
  // 1. t = x * log2(e)
  const std::uint64_t t = fp_mul(f, x, exp_constant(f, -1));
  if (fp_is_nan(f, t)) return f.nan();
  const bool t_sign = fp_sign(f, t);
  const int et = fp_exp_field(f, t);
  if (et == f.exp_field_max() || et >= f.bias() + range_bits(f)) {
    return t_sign ? 0 : f.inf(false);
  }
  // 2. n = roundToIntegral(t), ties to even (exact in the format).
  std::uint64_t n_mag = 0;
  const int e_unb = et - f.bias();
  if (et != 0 && e_unb >= -1) {
    const std::uint64_t sig = fp_man_field(f, t) | (std::uint64_t{1} << f.man_bits);
    if (e_unb >= f.man_bits) {
      n_mag = sig << (e_unb - f.man_bits);
    } else {
      const int sh = f.man_bits - e_unb;
      n_mag = sig >> sh;
      const std::uint64_t rem = sig & ((std::uint64_t{1} << sh) - 1);
      const std::uint64_t half = std::uint64_t{1} << (sh - 1);
      if (rem > half || (rem == half && (n_mag & 1) != 0)) ++n_mag;
    }
  }
  const std::uint64_t n_fp = fp_round_pack(f, t_sign, n_mag, 0);
  const int n = t_sign ? -static_cast<int>(n_mag) : static_cast<int>(n_mag);
  // 3. f = t - n
  const std::uint64_t frac = fp_sub(f, t, n_fp);
  // 4. p = 2^f by Horner.
  const int deg = exp_degree(f.man_bits);
  std::uint64_t p = exp_constant(f, deg);
  for (int k = deg - 1; k >= 0; --k) p = fp_add(f, fp_mul(f, p, frac), exp_constant(f, k));
  // 5. y = p * 2^n, one rounding.
  const int ep = fp_exp_field(f, p);
  const std::uint64_t sig = fp_man_field(f, p) | (ep != 0 ? std::uint64_t{1} << f.man_bits : 0);
  return fp_round_pack(f, false, sig, (ep == 0 ? 1 : ep) - f.bias() - f.man_bits + n);
}

}  // namespace tessera::numerics

// Bit-accurate model of rtl/fp_exp.v: exp(x) in a format by range reduction, every step a
// real operation of the format (docs/numerics.md, "Exponential"):
//   t = fl(x * log2e); n = roundToIntegral(t) (ties even); f = fl(t - n) (exact);
//   p = Horner on the degree-exp_degree() Taylor polynomial of 2^f (fp_mul then fp_add per
//   coefficient, no FMA); y = p * 2^n rounded once (scaleB).
#pragma once

#include <cstdint>

#include "models/numerics/fp_format.h"

namespace tessera::numerics {

// Degree of the 2^f polynomial for a mantissa width: 2, 3, 4, 5, 7 or 12.
int exp_degree(int man_bits);
// The constant c_k = (ln 2)^k / k! (k <= 12) or log2(e) (k = -1) in the format, as the RTL
// rounds it: a 62-bit fixed-point constant rounded by fp_round_pack.
std::uint64_t exp_constant(const FpFormat& f, int k);

std::uint64_t fp_exp(const FpFormat& f, std::uint64_t x);

}  // namespace tessera::numerics

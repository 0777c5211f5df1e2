// Bit-accurate models of the RTL's fp_add and fp_mul (rtl/fp_add.v, rtl/fp_mul.v): the
// same datapath (unpack, exact or guard-bit operation, one rounding step) and the same
// round-to-nearest-even, so every result matches the Verilated RTL bit for bit. Both are
// correctly rounded; tests/unit/numerics checks them against MPFR.
//
// Special values: NaN in -> canonical NaN out; inf - inf and 0 * inf -> canonical NaN;
// overflow rounds to infinity; subnormals are produced and consumed (no flush to zero);
// x + (-x) = +0, and -0 + -0 = -0.
#pragma once

#include <cstdint>

#include "models/numerics/fp_format.h"

namespace tessera::numerics {

__extension__ typedef unsigned __int128 U128;

// Rounds the exact value (-1)^sign * sig * 2^exp_lsb to the nearest value of `f`,
// ties to even. `sig` may be zero (gives a signed zero). This is rtl/fp_round.v.
std::uint64_t fp_round_pack(const FpFormat& f, bool sign, U128 sig, int exp_lsb);

std::uint64_t fp_add(const FpFormat& f, std::uint64_t a, std::uint64_t b);
inline std::uint64_t fp_sub(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  return fp_add(f, a, fp_neg(f, b));
}
std::uint64_t fp_mul(const FpFormat& f, std::uint64_t a, std::uint64_t b);

// |a| >= |b| on bit patterns (finite or infinite operands); used by Neumaier and Klein.
inline bool fp_abs_ge(const FpFormat& f, std::uint64_t a, std::uint64_t b) {
  return fp_abs(f, a) >= fp_abs(f, b);
}

// Exact conversion to double for formats with E <= 11 and M <= 52 (every value of such
// a format is a double). For display, analysis and test data.
double fp_to_double(const FpFormat& f, std::uint64_t x);
// Round-to-nearest-even conversion from double (used to draw test data in a format).
std::uint64_t fp_from_double(const FpFormat& f, double v);

}  // namespace tessera::numerics

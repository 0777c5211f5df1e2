// Bit-accurate models of the attention unit's helper operations (rtl/fp_convert.v,
// rtl/fp_div.v, rtl/fp_greater.v): format conversion and division, both correctly
// rounded (round to nearest even, one rounding by fp_round_pack), and the ordered compare.
// Checked against MPFR in tests/unit/numerics/test_attention_ops.cpp.
#pragma once

#include <cstdint>

#include "models/numerics/fp_format.h"

namespace tessera::numerics {

// x of format `from` rounded to format `to`. NaN -> to's canonical NaN, +-inf -> +-inf,
// signed zeros keep their sign, overflow -> +-inf, subnormals produced and consumed.
std::uint64_t fp_convert(const FpFormat& from, const FpFormat& to, std::uint64_t x);

// a / b, correctly rounded. NaN operand, 0/0, inf/inf -> NaN; inf/finite and nonzero/0 ->
// signed inf; finite/inf and 0/nonzero -> signed zero. Needs 3 * man_bits + 5 <= 128
// (man_bits <= 41; the RTL's integer divider has the same width).
std::uint64_t fp_div(const FpFormat& f, std::uint64_t a, std::uint64_t b);

// a > b as numbers: false if either is NaN; +0 and -0 are equal.
bool fp_greater(const FpFormat& f, std::uint64_t a, std::uint64_t b);

}  // namespace tessera::numerics

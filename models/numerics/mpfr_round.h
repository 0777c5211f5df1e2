// Internal to the MPFR references (mpfr_ref.cpp, attention_ref.cpp): rounding an MPFR
// value to a custom format. Kept apart from mpfr_ref.h so mpfr.h stays out of the
// public headers.
#pragma once

#include <mpfr.h>

#include <cstdint>

#include "models/numerics/fp_format.h"

namespace tessera::numerics {

// Rounds `x` to `f` with MPFR's own machinery (precision M + 1, the format's exponent
// range, then subnormalize), to nearest even; the encoding is written apart from the
// bit-accurate model's on purpose, so the reference shares no code with what it checks.
std::uint64_t mpfr_round_to_format(const FpFormat& f, mpfr_srcptr x);

}  // namespace tessera::numerics

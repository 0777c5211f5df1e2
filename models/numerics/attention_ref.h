// MPFR references for the attention unit's operations and for attention itself.
// - mpfr_fp_div / mpfr_fp_convert: correctly rounded by MPFR at the format's precision
//   and exponent range (the independent check of fp_div / fp_convert).
// - exp_error_ulps: error of a computed exp(x) against exp(x) at 256 bits, in ulps of
//   the format at |exp(x)|.
// - exact_attention: softmax(q K^T) V of the given (format-valued) inputs at 256 bits.
#pragma once

#include <cstdint>
#include <vector>

#include "models/numerics/attention_model.h"

namespace tessera::numerics {

std::uint64_t mpfr_fp_div(const FpFormat& f, std::uint64_t a, std::uint64_t b);
std::uint64_t mpfr_fp_convert(const FpFormat& from, const FpFormat& to, std::uint64_t x);

// exp(x) correctly rounded to the format (MPFR), and |got - exp(x)| in ulps of the
// format at |exp(x)| (the ulp of the smallest normal binade for subnormal results).
std::uint64_t mpfr_fp_exp(const FpFormat& f, std::uint64_t x);
double exp_error_ulps(const FpFormat& f, std::uint64_t x, std::uint64_t got);

// The ulp of the format at |v| (v finite).
double ulp_at(const FpFormat& f, double v);

// The exact output row (head_dim values, rounded to double at the end) for the inputs of
// AttentionModel::run: q, k in cfg.score_format, v in cfg.out_format.
std::vector<double> exact_attention(const AttentionConfig& cfg, const std::uint64_t* q,
                                    const std::uint64_t* k, const std::uint64_t* v,
                                    std::size_t keys);

}  // namespace tessera::numerics

// Accuracy of the attention unit (AttentionModel) against the exact attention output
// (exact_attention: MPFR at 256 bits), per configuration and input distribution.
// Distributions (values drawn as doubles from tessera::Rng and rounded once to the
// stage's format; D = head_dim):
//   uniform  q, k, v ~ U(-1, 1)
//   peaked   q, k ~ U(-3, 3), v ~ U(-1, 1): scores spread over tens, the softmax is
//            dominated by a few keys, exponentials underflow, the running max moves
//   mixed    q = 0, k ~ U(-1, 1): every score is exactly 0 and every p exactly 1, so
//            products are exact and the error is the accumulation's alone (and the final
//            division's); the denominator sums L ones (naive summation stalls at
//            2^(M_softmax + 1)); value rows of mixed magnitude: row j with j % 8 == 0 is
//            +B u (u ~ U(1, 2) per lane, B = 2^(M_out + 2)), row j + 4 is its negation,
//            the others U(-1, 1): the big pairs cancel exactly and the small rows fall
//            below half an ulp of the running sums while a pair is live. The exact output
//            is the mean of the small rows. Compensation matters here.
#pragma once

#include <string>
#include <vector>

#include "models/numerics/attention_model.h"

namespace tessera::numerics {

enum class AttentionDistribution : int { kUniform = 0, kPeaked = 1, kMixed = 2 };
const char* attention_distribution_name(AttentionDistribution d);
// "uniform", "peaked", "mixed"; throws InputError naming `where` otherwise.
AttentionDistribution parse_attention_distribution(const std::string& text,
                                                   const std::string& where);

struct AttentionInputs {
  std::vector<std::uint64_t> q, k, v;  // D, keys x D, keys x D values
};
AttentionInputs draw_attention_inputs(const AttentionConfig& cfg, AttentionDistribution d,
                                      std::size_t keys, std::uint64_t seed);

struct AttentionAccuracyRow {
  AttentionConfig config;
  AttentionDistribution distribution = AttentionDistribution::kUniform;
  std::size_t keys = 0;
  int trials = 0;
  int outputs = 0;  // trials x head_dim output values compared
  double max_rel = 0, mean_rel = 0, max_ulps = 0, mean_ulps = 0;  // ulps of out_format
  int non_finite = 0;  // outputs that were inf or NaN while the exact output is finite
};

// `trials` rows of `keys` keys each through AttentionModel, against exact_attention.
AttentionAccuracyRow attention_accuracy(const AttentionConfig& cfg, AttentionDistribution d,
                                        std::size_t keys, int trials, std::uint64_t seed);

}  // namespace tessera::numerics

// Bit-accurate model of rtl/attention_unit.v: o = softmax(q K^T) V for one query row
// against L key / value rows, with the three stages in their own formats and methods:
//   scores   q . k_j by DotModel (score_format, head_dim lanes, score_reduce, score_method)
//   softmax  running max, fp_exp, denominator accumulated by softmax_method (softmax_format)
//   output   p_j v_j accumulated per lane by out_method, divided by the denominator
//            (out_format)
// Online softmax with one exponential per key, for s = fp_convert(score to softmax_format):
//   s > m:  alpha = exp(m - s), p = 1, m = s, every accumulator rescaled;  else p = exp(s - m)
//   l += p;  o[d] += fl(convert(p) * v[d])
// Rescaling rounds the accumulator out and seeds a cleared one with fl(result * alpha).
// m starts at -inf. At the end: out[d] = fl(result(o[d]) / convert(result(l))).
// docs/numerics.md ("Attention") describes the algorithm and its accuracy.
#pragma once

#include <cstdint>
#include <vector>

#include "models/numerics/accumulator.h"
#include "models/numerics/dot_model.h"

namespace tessera::numerics {

struct AttentionConfig {
  int head_dim = 4;  // D: lanes of the dot unit and of the output; a power of two
  FpFormat score_format{5, 10};
  DotReduce score_reduce = DotReduce::kTree;
  AccumMethod score_method = AccumMethod::kNaive;
  FpFormat softmax_format{5, 10};
  AccumMethod softmax_method = AccumMethod::kNaive;
  FpFormat out_format{5, 10};
  AccumMethod out_method = AccumMethod::kNaive;
};

class AttentionModel {
 public:
  explicit AttentionModel(const AttentionConfig& cfg);

  // One key / value row: q and k hold head_dim values of score_format, v of out_format.
  void key(const std::uint64_t* q, const std::uint64_t* k, const std::uint64_t* v);
  // The output row (head_dim values of out_format) after the last key; clears the state.
  std::vector<std::uint64_t> finish();
  // A whole row: k and v hold `keys` rows of head_dim values each (keys >= 1).
  std::vector<std::uint64_t> run(const std::uint64_t* q, const std::uint64_t* k,
                                 const std::uint64_t* v, std::size_t keys);

  // State between keys (for tests): the running max and the denominator so far.
  std::uint64_t running_max() const { return m_; }
  std::uint64_t denominator() const { return l_.result(); }
  const AttentionConfig& config() const { return cfg_; }

 private:
  AttentionConfig cfg_;
  DotModel dot_;
  std::uint64_t m_;
  Accumulator l_;
  std::vector<Accumulator> o_;
};

// Rounds an accumulator's sum out, scales it by alpha (fp_mul) and seeds the cleared
// accumulator with the product: how the attention unit rescales a compensated or Kulisch
// state when the running max increases.
void rescale_accumulator(Accumulator& acc, std::uint64_t alpha);

}  // namespace tessera::numerics

#include "models/numerics/attention_model.h"

#include <fmt/format.h>

#include "models/core/error.h"
#include "models/numerics/exp_model.h"
#include "models/numerics/fp_arith.h"
#include "models/numerics/fp_ops.h"

namespace tessera::numerics {

void rescale_accumulator(Accumulator& acc, std::uint64_t alpha) {
  const std::uint64_t scaled = fp_mul(acc.format(), acc.result(), alpha);
  acc.clear();
  acc.add(scaled);
}

AttentionModel::AttentionModel(const AttentionConfig& cfg)
    : cfg_(cfg),
      dot_(cfg.score_format, cfg.head_dim, cfg.score_reduce, cfg.score_method),
      m_(cfg.softmax_format.inf(true)),
      l_(cfg.softmax_format, cfg.softmax_method) {
  if (cfg.out_format.man_bits > 41) {
    throw InputError(
        fmt::format("attention unit: expected an output format with at most 41 mantissa bits (the "
                    "divider's width), found {}",
                    cfg.out_format.name()));
  }
  o_.assign(static_cast<std::size_t>(cfg.head_dim), Accumulator(cfg.out_format, cfg.out_method));
}

void AttentionModel::key(const std::uint64_t* q, const std::uint64_t* k, const std::uint64_t* v) {
  const FpFormat& pf = cfg_.softmax_format;
  const FpFormat& of = cfg_.out_format;
  dot_.beat(q, k);
  const std::uint64_t s = fp_convert(cfg_.score_format, pf, dot_.finish());
  const bool gt = fp_greater(pf, s, m_);
  const std::uint64_t e = fp_exp(pf, gt ? fp_sub(pf, m_, s) : fp_sub(pf, s, m_));
  const std::uint64_t one = std::uint64_t(pf.bias()) << pf.man_bits;
  const std::uint64_t p = gt ? one : e;
  if (gt) {
    m_ = s;
    rescale_accumulator(l_, e);
  }
  l_.add(p);
  const std::uint64_t p_o = fp_convert(pf, of, p);
  const std::uint64_t alpha_o = fp_convert(pf, of, e);
  for (std::size_t d = 0; d < o_.size(); ++d) {
    if (gt) rescale_accumulator(o_[d], alpha_o);
    o_[d].add(fp_mul(of, p_o, v[d]));
  }
}

std::vector<std::uint64_t> AttentionModel::finish() {
  const FpFormat& of = cfg_.out_format;
  const std::uint64_t l_o = fp_convert(cfg_.softmax_format, of, l_.result());
  std::vector<std::uint64_t> out(o_.size());
  for (std::size_t d = 0; d < o_.size(); ++d) {
    out[d] = fp_div(of, o_[d].result(), l_o);
    o_[d].clear();
  }
  l_.clear();
  m_ = cfg_.softmax_format.inf(true);
  return out;
}

std::vector<std::uint64_t> AttentionModel::run(const std::uint64_t* q, const std::uint64_t* k,
                                               const std::uint64_t* v, std::size_t keys) {
  const std::size_t dim = static_cast<std::size_t>(cfg_.head_dim);
  for (std::size_t j = 0; j < keys; ++j) key(q, k + j * dim, v + j * dim);
  return finish();
}

}  // namespace tessera::numerics

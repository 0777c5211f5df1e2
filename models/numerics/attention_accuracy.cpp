#include "models/numerics/attention_accuracy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/core/error.h"
#include "models/core/rng.h"
#include "models/numerics/attention_ref.h"
#include "models/numerics/fp_arith.h"

namespace tessera::numerics {
namespace {

constexpr const char* kNames[] = {"uniform", "peaked", "mixed"};

double sym(Rng& rng, double half_width) {
  return (rng.uniform() * 2 - 1) * half_width;
}

}  // namespace

const char* attention_distribution_name(AttentionDistribution d) {
  return kNames[static_cast<int>(d)];
}

AttentionDistribution parse_attention_distribution(const std::string& text,
                                                   const std::string& where) {
  for (int i = 0; i < 3; ++i) {
    if (text == kNames[i]) return static_cast<AttentionDistribution>(i);
  }
  throw InputError(fmt::format(
      "{}: expected an attention distribution (uniform, peaked, mixed), found '{}'", where, text));
}

AttentionInputs draw_attention_inputs(const AttentionConfig& cfg, AttentionDistribution d,
                                      std::size_t keys, std::uint64_t seed) {
  Rng rng(seed);
  const std::size_t dim = static_cast<std::size_t>(cfg.head_dim);
  const FpFormat& sf = cfg.score_format;
  const FpFormat& of = cfg.out_format;
  const double qk_width = d == AttentionDistribution::kPeaked ? 3.0 : 1.0;
  const double q_scale = d == AttentionDistribution::kMixed ? 0.0 : 1.0;
  AttentionInputs in;
  in.q.resize(dim);
  in.k.resize(keys * dim);
  in.v.resize(keys * dim);
  for (auto& x : in.q) x = fp_from_double(sf, sym(rng, qk_width) * q_scale);
  for (auto& x : in.k) x = fp_from_double(sf, sym(rng, qk_width));
  const double big = std::ldexp(1.0, of.man_bits + 2);
  for (std::size_t j = 0; j < keys; ++j) {
    for (std::size_t l = 0; l < dim; ++l) {
      std::uint64_t& x = in.v[j * dim + l];
      if (d == AttentionDistribution::kMixed && j % 8 == 0) {
        x = fp_from_double(of, big * (1 + rng.uniform()));
      } else if (d == AttentionDistribution::kMixed && j % 8 == 4) {
        x = fp_neg(of, in.v[(j - 4) * dim + l]);
      } else {
        x = fp_from_double(of, sym(rng, 1.0));
      }
    }
  }
  return in;
}

AttentionAccuracyRow attention_accuracy(const AttentionConfig& cfg, AttentionDistribution d,
                                        std::size_t keys, int trials, std::uint64_t seed) {
  AttentionAccuracyRow row;
  row.config = cfg;
  row.distribution = d;
  row.keys = keys;
  row.trials = trials;
  AttentionModel model(cfg);
  const FpFormat& of = cfg.out_format;
  int finite = 0;
  for (int t = 0; t < trials; ++t) {
    const AttentionInputs in =
        draw_attention_inputs(cfg, d, keys, seed + static_cast<std::uint64_t>(t));
    const auto got = model.run(in.q.data(), in.k.data(), in.v.data(), keys);
    const auto exact = exact_attention(cfg, in.q.data(), in.k.data(), in.v.data(), keys);
    for (std::size_t i = 0; i < got.size(); ++i) {
      ++row.outputs;
      const double g = fp_to_double(of, got[i]);
      if (!std::isfinite(g)) {
        ++row.non_finite;
        continue;
      }
      const double err = std::fabs(g - exact[i]);
      // An exact zero output has no relative error to speak of: any error counts as inf.
      const double rel = exact[i] == 0 ? (err == 0 ? 0.0 : HUGE_VAL) : err / std::fabs(exact[i]);
      const double ulps = err / ulp_at(of, exact[i]);
      row.max_rel = std::max(row.max_rel, rel);
      row.max_ulps = std::max(row.max_ulps, ulps);
      row.mean_rel += rel;
      row.mean_ulps += ulps;
      ++finite;
    }
  }
  if (finite > 0) {
    row.mean_rel /= finite;
    row.mean_ulps /= finite;
  }
  return row;
}

}  // namespace tessera::numerics

// Expert choice for MoE layers: each token picks top_k distinct experts,
// drawn without replacement from a fixed skew over experts:
//   uniform:  every expert equally likely;
//   zipf(s):  P(expert e) proportional to 1 / (e + 1)^s (expert 0 hottest).
// Draws come from one tessera::Rng seeded from the workload seed, so the same
// seed routes the same tokens to the same experts.
#pragma once

#include <cstdint>
#include <vector>

#include "models/core/rng.h"

namespace tessera::workload {

class MoeRouter {
 public:
  MoeRouter(std::uint64_t seed, std::uint64_t num_experts, std::uint64_t top_k, bool zipf,
            double zipf_s);

  // Routes `tokens` tokens; afterwards tokens_of(e) is how many chose expert e
  // (they sum to tokens * top_k). Allocates nothing.
  void route(std::uint64_t tokens);
  std::uint64_t tokens_of(std::uint64_t expert) const { return counts_[expert]; }
  std::uint64_t num_experts() const { return weights_.size(); }

 private:
  Rng rng_;
  std::uint64_t top_k_;
  std::vector<double> weights_;
  double total_weight_ = 0;
  std::vector<std::uint64_t> counts_;
  std::vector<std::uint8_t> taken_;
  std::vector<std::uint64_t> picked_;
};

}  // namespace tessera::workload

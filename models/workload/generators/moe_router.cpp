#include "models/workload/generators/moe_router.h"

#include <cmath>

namespace tessera::workload {

MoeRouter::MoeRouter(std::uint64_t seed, std::uint64_t num_experts, std::uint64_t top_k, bool zipf,
                     double zipf_s)
    : rng_(seed),
      top_k_(top_k),
      weights_(num_experts),
      counts_(num_experts),
      taken_(num_experts),
      picked_(top_k) {
  for (std::uint64_t e = 0; e < num_experts; ++e) {
    weights_[e] = zipf ? 1.0 / std::pow(static_cast<double>(e + 1), zipf_s) : 1.0;
    total_weight_ += weights_[e];
  }
}

void MoeRouter::route(std::uint64_t tokens) {
  const std::uint64_t experts = weights_.size();
  for (auto& c : counts_) c = 0;
  for (std::uint64_t t = 0; t < tokens; ++t) {
    double remaining = total_weight_;
    for (std::uint64_t j = 0; j < top_k_; ++j) {
      // Sampling without replacement: walk the experts not yet taken by this
      // token; rounding can leave `target` past the end, then the last free
      // expert is taken.
      const double target = rng_.uniform() * remaining;
      double acc = 0;
      std::uint64_t choice = experts;
      std::uint64_t last_free = experts;
      for (std::uint64_t e = 0; e < experts; ++e) {
        if (taken_[e]) continue;
        last_free = e;
        acc += weights_[e];
        if (target < acc) {
          choice = e;
          break;
        }
      }
      if (choice == experts) choice = last_free;
      taken_[choice] = 1;
      picked_[j] = choice;
      remaining -= weights_[choice];
      ++counts_[choice];
    }
    for (std::uint64_t j = 0; j < top_k_; ++j) taken_[picked_[j]] = 0;
  }
}

}  // namespace tessera::workload

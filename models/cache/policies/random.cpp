// random: evicts a uniformly drawn resident entry. The draw for the next
// eviction is made in advance (after each eviction), so victim() reads it
// without consuming randomness and stays free of side effects. Seeded from
// the experiment's seed: the same seed gives the same victims.
#include "models/cache/intrusive_list.h"
#include "models/cache/policy.h"
#include "models/core/rng.h"

namespace tessera::cache {
namespace {

class RandomPolicy final : public Policy {
 public:
  explicit RandomPolicy(const PolicyContext& c)
      : rng_(Rng::derive(c.seed, 0x52414E44 /* "RAND" */)), slot_(c.key_space, kNoKey) {
    members_.reserve(c.key_space);
    draw_ = rng_.next_u64();
  }
  void on_hit(std::uint32_t, const AccessInfo&) override {}
  void on_insert(std::uint32_t key, const AccessInfo&) override {
    slot_[key] = static_cast<std::uint32_t>(members_.size());
    members_.push_back(key);
  }
  void on_evict(std::uint32_t key) override {
    const std::uint32_t i = slot_[key];
    const std::uint32_t last = members_.back();
    members_[i] = last;
    slot_[last] = i;
    members_.pop_back();
    slot_[key] = kNoKey;
    draw_ = rng_.next_u64();
  }
  // Multiply-shift maps the 64-bit draw onto [0, n) (Lemire 2019; the bias,
  // below n / 2^64, is irrelevant here).
  std::uint32_t victim(const AccessInfo&) const override {
    const auto n = static_cast<RngU128>(members_.size());
    return members_[static_cast<std::size_t>((static_cast<RngU128>(draw_) * n) >> 64)];
  }
  std::size_t state_bytes_per_entry() const override { return 2 * sizeof(std::uint32_t); }

 private:
  Rng rng_;
  std::uint64_t draw_;
  std::vector<std::uint32_t> members_;
  std::vector<std::uint32_t> slot_;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(random, "random", "uniformly random victim (seeded)",
                        tessera::cache::RandomPolicy)

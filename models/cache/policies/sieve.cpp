// sieve: SIEVE (Zhang, Yang, Yue, Vigfusson, Rashmi, "SIEVE is Simpler than
// LRU: an Efficient Turn-Key Eviction Algorithm for Web Caches", NSDI 2024).
// A FIFO queue with a visited bit per entry; new entries enter at the head
// unvisited and never move. A hand sweeps from the tail toward the head
// (wrapping to the tail), clearing visited bits, and evicts the first
// unvisited entry; it stays where it stopped for the next eviction.
// victim() walks without clearing; on_evict() performs the sweep.
#include "models/cache/intrusive_list.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class SievePolicy final : public Policy {
 public:
  explicit SievePolicy(const PolicyContext& c) : links_(c.key_space), visited_(c.key_space, 0) {}
  void on_hit(std::uint32_t key, const AccessInfo&) override { visited_[key] = 1; }
  void on_insert(std::uint32_t key, const AccessInfo&) override {
    visited_[key] = 0;
    queue_.push_head(links_, key);
  }
  void on_evict(std::uint32_t key) override {
    if (key == victim(AccessInfo{})) {
      // The sweep clears visited entries until the first unvisited one,
      // which is `key` (after a full turn when every entry was visited).
      for (std::uint32_t k = start(); visited_[k]; k = step(k)) visited_[k] = 0;
      hand_ = IntrusiveList::newer(links_, key);
    } else if (hand_ == key) {
      hand_ = IntrusiveList::newer(links_, key);
    }
    queue_.remove(links_, key);
  }
  std::uint32_t victim(const AccessInfo&) const override {
    const std::uint32_t first = start();
    std::uint32_t k = first;
    do {
      if (!visited_[k]) return k;
      k = step(k);
    } while (k != first);
    return first;  // every entry visited: one full sweep clears them all
  }
  std::size_t state_bytes_per_entry() const override { return 2 * sizeof(std::uint32_t) + 1; }

 private:
  std::uint32_t start() const { return hand_ != kNoKey ? hand_ : queue_.tail(); }
  std::uint32_t step(std::uint32_t k) const {
    const std::uint32_t n = IntrusiveList::newer(links_, k);
    return n != kNoKey ? n : queue_.tail();
  }

  IntrusiveLinks links_;
  IntrusiveList queue_;
  std::vector<std::uint8_t> visited_;
  std::uint32_t hand_ = kNoKey;  // kNoKey: start at the tail
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(sieve, "sieve",
                        "SIEVE (NSDI'24): FIFO with visited bits and a sweeping hand",
                        tessera::cache::SievePolicy)

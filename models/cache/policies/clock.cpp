// clock: the CLOCK approximation of LRU (Corbato 1968), kept as a FIFO with
// a reference bit: the hand sits at the oldest entry; a referenced entry under
// the hand has its bit cleared and goes round again (to the newest end), the
// first unreferenced one is evicted. New entries start unreferenced.
// victim() walks without clearing; on_evict() performs the walk. O(1)
// amortised per event (every step clears a bit set by a hit).
#include "models/cache/intrusive_list.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class ClockPolicy final : public Policy {
 public:
  explicit ClockPolicy(const PolicyContext& c) : links_(c.key_space), referenced_(c.key_space, 0) {}
  void on_hit(std::uint32_t key, const AccessInfo&) override { referenced_[key] = 1; }
  void on_insert(std::uint32_t key, const AccessInfo&) override {
    referenced_[key] = 0;
    ring_.push_head(links_, key);
  }
  void on_evict(std::uint32_t key) override {
    if (key == victim(AccessInfo{})) {
      // The hand's sweep: referenced entries get their second chance until
      // the hand reaches an unreferenced one, which is `key`.
      while (referenced_[ring_.tail()]) {
        const std::uint32_t t = ring_.tail();
        referenced_[t] = 0;
        ring_.move_to_head(links_, t);
      }
    }
    ring_.remove(links_, key);
  }
  std::uint32_t victim(const AccessInfo&) const override {
    for (std::uint32_t k = ring_.tail(); k != kNoKey; k = IntrusiveList::newer(links_, k)) {
      if (!referenced_[k]) return k;
    }
    return ring_.tail();  // every bit set: a full turn clears them all
  }
  std::size_t state_bytes_per_entry() const override { return 2 * sizeof(std::uint32_t) + 1; }

 private:
  IntrusiveLinks links_;
  IntrusiveList ring_;
  std::vector<std::uint8_t> referenced_;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(clock, "clock", "CLOCK: FIFO with a reference bit (second chance)",
                        tessera::cache::ClockPolicy)

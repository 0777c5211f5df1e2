// lru: evicts the least recently used entry. An intrusive list over dense
// keys: O(1) per event, no allocation, 8 bytes per key.
#include "models/cache/intrusive_list.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class LruPolicy final : public Policy {
 public:
  explicit LruPolicy(const PolicyContext& c) : links_(c.key_space) {}
  void on_hit(std::uint32_t key, const AccessInfo&) override { list_.move_to_head(links_, key); }
  void on_insert(std::uint32_t key, const AccessInfo&) override { list_.push_head(links_, key); }
  void on_evict(std::uint32_t key) override { list_.remove(links_, key); }
  std::uint32_t victim(const AccessInfo&) const override { return list_.tail(); }
  std::size_t state_bytes_per_entry() const override { return 2 * sizeof(std::uint32_t); }

 private:
  IntrusiveLinks links_;
  IntrusiveList list_;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(lru, "lru", "least recently used", tessera::cache::LruPolicy)

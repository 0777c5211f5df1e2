// fifo: evicts the entry inserted longest ago; hits do not reorder. O(1).
#include "models/cache/intrusive_list.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class FifoPolicy final : public Policy {
 public:
  explicit FifoPolicy(const PolicyContext& c) : links_(c.key_space) {}
  void on_hit(std::uint32_t, const AccessInfo&) override {}
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

TESSERA_REGISTER_POLICY(fifo, "fifo", "first in, first out (hits do not reorder)",
                        tessera::cache::FifoPolicy)

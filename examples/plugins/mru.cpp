// An example eviction-policy plugin: MRU (most recently used) evicts the
// entry used last, which suits cyclic scans larger than the cache (where
// LRU misses on every access). Build it with examples/plugins/CMakeLists.txt
// and load it with
//   tessera --policy-plugin build/lib/libtessera_policy_mru.so replay exp.yaml --policy mru
// docs/plugins.md walks through this file.
#include <cstdint>
#include <vector>

#include "models/cache/plugin_api.h"

namespace {

using tessera::cache::AccessInfo;
using tessera::cache::Policy;
using tessera::cache::PolicyContext;

// Keys are dense in [0, key_space): a doubly linked list threaded through
// two arrays, most recent at the head. O(1) per event, no allocation.
class MruPolicy final : public Policy {
 public:
  explicit MruPolicy(const PolicyContext& context)
      : prev_(context.key_space, kNone), next_(context.key_space, kNone) {}

  void on_hit(std::uint32_t key, const AccessInfo&) override {
    unlink(key);
    push_front(key);
  }
  void on_insert(std::uint32_t key, const AccessInfo&) override { push_front(key); }
  void on_evict(std::uint32_t key) override { unlink(key); }
  std::uint32_t victim(const AccessInfo&) const override { return head_; }
  std::size_t state_bytes_per_entry() const override { return 2 * sizeof(std::uint32_t); }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  void push_front(std::uint32_t key) {
    prev_[key] = kNone;
    next_[key] = head_;
    if (head_ != kNone) prev_[head_] = key;
    head_ = key;
  }
  void unlink(std::uint32_t key) {
    if (prev_[key] != kNone)
      next_[prev_[key]] = next_[key];
    else
      head_ = next_[key];
    if (next_[key] != kNone) prev_[next_[key]] = prev_[key];
  }

  std::vector<std::uint32_t> prev_, next_;
  std::uint32_t head_ = kNone;
};

Policy* create_mru(const PolicyContext* context) {
  return new MruPolicy(*context);
}

}  // namespace

extern "C" std::uint32_t tessera_policy_plugin_abi_version(void) {
  return TESSERA_POLICY_ABI_VERSION;
}

extern "C" int tessera_policy_plugin_init(TesseraPolicyHost* host) {
  return host->register_policy(host, "mru", "most recently used (example plugin)", &create_mru);
}

// lfu: least frequently used with dynamic aging (LFU-DA; Arlitt, Cherkasova,
// Dilley et al., "Evaluating content management techniques for Web proxy
// caches", 2000). Each entry's priority is K = L + (hits since insertion + 1),
// where L is the priority of the last evicted entry; the lowest K is evicted,
// the least recently used first among equals. Aging through L lets entries
// that were popular long ago leave. O(log n) per event.
#include "models/cache/indexed_heap.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class LfuPolicy final : public Policy {
 public:
  explicit LfuPolicy(const PolicyContext& c)
      : priority_(c.key_space, 0), last_use_(c.key_space, 0), heap_(c.key_space, Before{this}) {}

  void on_hit(std::uint32_t key, const AccessInfo& info) override {
    ++priority_[key];
    last_use_[key] = info.position;
    heap_.update(key);
  }
  void on_insert(std::uint32_t key, const AccessInfo& info) override {
    priority_[key] = age_ + 1;
    last_use_[key] = info.position;
    heap_.push(key);
  }
  void on_evict(std::uint32_t key) override {
    if (key == heap_.top()) age_ = priority_[key];
    heap_.remove(key);
  }
  std::uint32_t victim(const AccessInfo&) const override { return heap_.top(); }
  std::size_t state_bytes_per_entry() const override {
    return 2 * sizeof(std::uint64_t) + decltype(heap_)::kBytesPerKey;
  }

 private:
  struct Before {
    const LfuPolicy* p;
    bool operator()(std::uint32_t a, std::uint32_t b) const {
      if (p->priority_[a] != p->priority_[b]) return p->priority_[a] < p->priority_[b];
      return p->last_use_[a] < p->last_use_[b];
    }
  };
  std::uint64_t age_ = 0;  // L
  std::vector<std::uint64_t> priority_;
  std::vector<std::uint64_t> last_use_;
  IndexedHeap<Before> heap_;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(lfu, "lfu", "least frequently used, with dynamic aging (LFU-DA)",
                        tessera::cache::LfuPolicy)

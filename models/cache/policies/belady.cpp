// belady: the clairvoyant MIN policy (Belady, "A study of replacement
// algorithms for a virtual-storage computer", IBM Systems Journal 1966):
// evicts the resident entry whose next use is farthest in the future (never
// used again counts as farthest), and does not admit a missed entry whose
// next use is farther than every resident's when room would have to be
// made (that is what MIN does with bypassing allowed). With equal sizes this
// is optimal: no policy has more hits. The next uses come from the replay's
// next-use index (one backward pass over the trace). O(log n) per event.
#include "models/cache/indexed_heap.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class BeladyPolicy final : public Policy {
 public:
  explicit BeladyPolicy(const PolicyContext& c)
      : next_use_(c.key_space, kNever), heap_(c.key_space, Before{this}) {}

  unsigned needs() const override { return kNeedsFuture; }
  void on_hit(std::uint32_t key, const AccessInfo& info) override {
    next_use_[key] = info.next_use;
    heap_.update(key);
  }
  void on_insert(std::uint32_t key, const AccessInfo& info) override {
    next_use_[key] = info.next_use;
    heap_.push(key);
  }
  void on_evict(std::uint32_t key) override { heap_.remove(key); }
  bool admit(std::uint32_t, const AccessInfo& info, Bytes free_bytes) override {
    if (info.bytes <= free_bytes || heap_.empty()) return true;
    return info.next_use < next_use_[heap_.top()];
  }
  std::uint32_t victim(const AccessInfo&) const override { return heap_.top(); }
  std::size_t state_bytes_per_entry() const override {
    return sizeof(std::uint64_t) + decltype(heap_)::kBytesPerKey;
  }

 private:
  struct Before {
    const BeladyPolicy* p;
    bool operator()(std::uint32_t a, std::uint32_t b) const {
      if (p->next_use_[a] != p->next_use_[b]) return p->next_use_[a] > p->next_use_[b];
      return a < b;
    }
  };
  std::vector<std::uint64_t> next_use_;
  IndexedHeap<Before> heap_;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(belady, "belady", "oracle: evicts the entry used farthest in the future",
                        tessera::cache::BeladyPolicy)

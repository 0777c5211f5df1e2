// belady-size: a size-aware oracle. With variable sizes, exact optimal
// caching is NP-hard (Chrobak, Woeginger, Makino, Xu, "Caching is hard, even
// in the fault model", 2012), so no policy here is optimal. This one uses
// the rule Berger, Beckmann and Harchol-Balter evaluate as "Belady-Size"
// ("Practical Bounds on Optimal Caching with Variable Object Sizes",
// SIGMETRICS 2018): evict the resident entry with the largest
//     (next use - now) x size,
// i.e. the one that holds the most byte-time until it is needed again; a big
// entry needed late frees the most room for the longest. Entries never used
// again come first, the largest of them first. A missed entry whose own
// product exceeds every resident's is not admitted when room would be
// needed. With equal sizes the rule is exactly belady.
//
// The product changes with "now" differently for different sizes, so one
// heap cannot keep it ordered; entries are grouped by size instead (tensor
// traces have few distinct sizes). Within a size class the order is by next
// use and never changes, so each class is a heap, and the victim is the best
// of the class tops: O(log n + S) per event for S distinct sizes.
#include <unordered_map>

#include "models/cache/indexed_heap.h"
#include "models/cache/policy.h"
#include "models/core/rng.h"

namespace tessera::cache {
namespace {

class BeladySizePolicy final : public Policy {
 public:
  explicit BeladySizePolicy(const PolicyContext& c)
      : next_use_(c.key_space, kNever),
        class_of_(c.key_space, 0),
        pos_(std::make_shared<std::vector<std::uint32_t>>(c.key_space, kNoKey)) {}

  unsigned needs() const override { return kNeedsFuture; }
  void on_hit(std::uint32_t key, const AccessInfo& info) override {
    next_use_[key] = info.next_use;
    classes_[class_of_[key]].heap.update(key);
  }
  void on_insert(std::uint32_t key, const AccessInfo& info) override {
    next_use_[key] = info.next_use;
    auto it = class_index_.find(info.bytes);
    if (it == class_index_.end()) {
      it = class_index_.emplace(info.bytes, static_cast<std::uint32_t>(classes_.size())).first;
      classes_.push_back(SizeClass{info.bytes, IndexedHeap<Before>(pos_, Before{this})});
    }
    class_of_[key] = it->second;
    classes_[it->second].heap.push(key);
  }
  void on_evict(std::uint32_t key) override { classes_[class_of_[key]].heap.remove(key); }
  bool admit(std::uint32_t, const AccessInfo& info, Bytes free_bytes) override {
    if (info.bytes <= free_bytes) return true;
    const std::uint32_t v = victim(info);
    if (v == kNoKey) return true;
    return cost(info.next_use, info.bytes, info.position) <
           cost(next_use_[v], classes_[class_of_[v]].bytes, info.position);
  }
  std::uint32_t victim(const AccessInfo& incoming) const override {
    std::uint32_t best = kNoKey;
    RngU128 best_cost = 0;
    for (const SizeClass& c : classes_) {
      if (c.heap.empty()) continue;
      const std::uint32_t k = c.heap.top();
      const RngU128 cst = cost(next_use_[k], c.bytes, incoming.position);
      if (best == kNoKey || cst > best_cost) {
        best = k;
        best_cost = cst;
      }
    }
    return best;
  }
  std::size_t state_bytes_per_entry() const override {
    return sizeof(std::uint64_t) + sizeof(std::uint32_t) + IndexedHeap<Before>::kBytesPerKey;
  }

 private:
  // (next use - now) x size, with "never" as 2^64 accesses away.
  static RngU128 cost(std::uint64_t next_use, Bytes bytes, std::uint64_t now) {
    const RngU128 distance =
        next_use == kNever ? (static_cast<RngU128>(1) << 64) : static_cast<RngU128>(next_use - now);
    return distance * bytes;
  }
  struct Before {
    const BeladySizePolicy* p;
    bool operator()(std::uint32_t a, std::uint32_t b) const {
      if (p->next_use_[a] != p->next_use_[b]) return p->next_use_[a] > p->next_use_[b];
      return a < b;
    }
  };
  struct SizeClass {
    Bytes bytes;
    IndexedHeap<Before> heap;
  };

  std::vector<std::uint64_t> next_use_;
  std::vector<std::uint32_t> class_of_;
  std::shared_ptr<std::vector<std::uint32_t>> pos_;
  std::vector<SizeClass> classes_;
  std::unordered_map<Bytes, std::uint32_t> class_index_;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(belady_size, "belady-size",
                        "size-aware oracle: evicts the largest (next-use distance x size)",
                        tessera::cache::BeladySizePolicy)

// score: the original prototype's heuristic. At every access an entry gets
//   score = w_size * size_n + w_reuse * reuse_n + w_stride * stride_n
// with the prototype's weights 0.4 / 0.5 / 0.1 (configurable) and features
// normalised to [0, 1] by the trace-wide maxima the replay engine measures:
//   size_n   = bytes / max_bytes
//   reuse_n  = reuse_interval / max_reuse_interval, 1 on a first access
//              (reuse interval: accesses since the previous access to the
//              same entry; unknown reuse counts as the farthest)
//   stride_n = stride_bytes / max_stride_bytes (stride: |address - address of
//              the previous access in the stream|)
// The entry with the highest score is evicted (large, rarely reused, far
// away); among equal scores the least recently used. O(log n) per event.
#include <algorithm>

#include "models/cache/indexed_heap.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class ScorePolicy final : public Policy {
 public:
  explicit ScorePolicy(const PolicyContext& c)
      : c_(c),
        score_(c.key_space, 0.0),
        last_use_(c.key_space, 0),
        heap_(c.key_space, Before{this}) {}

  unsigned needs() const override { return kNeedsHistory; }
  void on_hit(std::uint32_t key, const AccessInfo& info) override {
    set(key, info);
    heap_.update(key);
  }
  void on_insert(std::uint32_t key, const AccessInfo& info) override {
    set(key, info);
    heap_.push(key);
  }
  void on_evict(std::uint32_t key) override { heap_.remove(key); }
  std::uint32_t victim(const AccessInfo&) const override { return heap_.top(); }
  std::size_t state_bytes_per_entry() const override {
    return sizeof(double) + sizeof(std::uint64_t) + decltype(heap_)::kBytesPerKey;
  }

 private:
  static double ratio(std::uint64_t v, std::uint64_t max) {
    return max == 0 ? 0.0 : std::min(1.0, static_cast<double>(v) / static_cast<double>(max));
  }
  void set(std::uint32_t key, const AccessInfo& info) {
    const double size_n = ratio(info.bytes, c_.max_bytes);
    const double reuse_n =
        info.reuse_interval == kNever ? 1.0 : ratio(info.reuse_interval, c_.max_reuse_interval);
    const double stride_n = ratio(info.stride_bytes, c_.max_stride_bytes);
    score_[key] = c_.score_weight_size * size_n + c_.score_weight_reuse * reuse_n +
                  c_.score_weight_stride * stride_n;
    last_use_[key] = info.position;
  }
  struct Before {
    const ScorePolicy* p;
    bool operator()(std::uint32_t a, std::uint32_t b) const {
      if (p->score_[a] != p->score_[b]) return p->score_[a] > p->score_[b];
      return p->last_use_[a] < p->last_use_[b];
    }
  };

  PolicyContext c_;
  std::vector<double> score_;
  std::vector<std::uint64_t> last_use_;
  IndexedHeap<Before> heap_;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(score, "score",
                        "the prototype's heuristic: 0.4 size + 0.5 reuse + 0.1 stride, highest out",
                        tessera::cache::ScorePolicy)

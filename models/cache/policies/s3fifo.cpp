// s3fifo: S3-FIFO (Yang, Zhang, Qiu, Yue, Rashmi, "FIFO queues are all you
// need for cache eviction", SOSP 2023). Three FIFO queues: a small queue S
// (10% of the capacity) that new entries enter, a main queue M, and a ghost
// queue G of keys recently evicted from S. Each entry counts its hits in a
// 2-bit counter (capped at 3).
//   insert: into M if the key is in G, else into S.
//   evict:  while S holds at least 10% of the capacity (or M is empty),
//           S's oldest entry moves to M if it was hit while in S (as the
//           paper's text says: "accessed at least once"), with its counter
//           reset, else it is evicted to G. Otherwise M's oldest entry is
//           reinserted with its counter decremented while the counter is
//           non-zero (FIFO-reinsertion), else evicted.
// Sizes in bytes: queue sizes are byte totals; G keeps at most as many bytes
// as M's share (90% of the capacity).
// victim() works out which entry that procedure ends at without moving
// anything: in S, the oldest entry with a zero counter; in M, the oldest of
// the entries with the smallest counter (each pass of reinsertion decrements
// every counter once). on_evict() performs the moves. O(1) amortised.
#include "models/cache/intrusive_list.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class S3FifoPolicy final : public Policy {
 public:
  explicit S3FifoPolicy(const PolicyContext& c)
      : small_target_(c.capacity_bytes / 10),
        ghost_limit_(c.capacity_bytes - c.capacity_bytes / 10),
        links_(c.key_space),
        where_(c.key_space, kNone),
        freq_(c.key_space, 0),
        size_(c.key_space, 0) {}

  void on_hit(std::uint32_t key, const AccessInfo&) override {
    if (freq_[key] < 3) ++freq_[key];
  }
  void on_insert(std::uint32_t key, const AccessInfo& info) override {
    const bool ghost = where_[key] == kG;
    if (ghost) unlink(key);
    size_[key] = info.bytes;
    freq_[key] = 0;
    link(key, ghost ? kM : kS);
  }
  void on_evict(std::uint32_t key) override {
    if (key != victim(AccessInfo{})) {  // not the procedure's choice: just remove it
      const bool small = where_[key] == kS;
      unlink(key);
      if (small) to_ghost(key);
      return;
    }
    if (use_small()) {
      while (!q_[kS].empty()) {
        const std::uint32_t t = q_[kS].tail();
        unlink(t);
        if (freq_[t] == 0) {  // t == key
          to_ghost(t);
          return;
        }
        freq_[t] = 0;
        link(t, kM);
      }
    }
    for (;;) {
      const std::uint32_t t = q_[kM].tail();
      if (freq_[t] == 0) {  // t == key
        unlink(t);
        return;
      }
      --freq_[t];
      q_[kM].move_to_head(links_, t);
    }
  }
  std::uint32_t victim(const AccessInfo&) const override {
    if (use_small()) {
      for (std::uint32_t k = q_[kS].tail(); k != kNoKey; k = IntrusiveList::newer(links_, k)) {
        if (freq_[k] == 0) return k;
      }
      // Every S entry would be promoted with a zero counter, behind M's entries.
      for (std::uint32_t k = q_[kM].tail(); k != kNoKey; k = IntrusiveList::newer(links_, k)) {
        if (freq_[k] == 0) return k;
      }
      return q_[kS].tail();
    }
    std::uint32_t best = q_[kM].tail();
    for (std::uint32_t k = best; k != kNoKey; k = IntrusiveList::newer(links_, k)) {
      if (freq_[k] < freq_[best]) best = k;
      if (freq_[best] == 0) break;
    }
    return best;
  }
  std::size_t state_bytes_per_entry() const override {
    return 2 * sizeof(std::uint32_t) + 2 + sizeof(Bytes);
  }

 private:
  enum : std::uint8_t { kS = 0, kM = 1, kG = 2, kNone = 3 };

  bool use_small() const {
    return !q_[kS].empty() && (bytes_[kS] >= small_target_ || q_[kM].empty());
  }
  void link(std::uint32_t key, std::uint8_t q) {
    where_[key] = q;
    q_[q].push_head(links_, key);
    bytes_[q] += size_[key];
  }
  void unlink(std::uint32_t key) {
    const std::uint8_t q = where_[key];
    q_[q].remove(links_, key);
    bytes_[q] -= size_[key];
    where_[key] = kNone;
  }
  void to_ghost(std::uint32_t key) {
    link(key, kG);
    while (bytes_[kG] > ghost_limit_) unlink(q_[kG].tail());
  }

  Bytes small_target_;
  Bytes ghost_limit_;
  IntrusiveLinks links_;
  IntrusiveList q_[3];
  Bytes bytes_[3] = {0, 0, 0};
  std::vector<std::uint8_t> where_;
  std::vector<std::uint8_t> freq_;
  std::vector<Bytes> size_;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(s3fifo, "s3fifo", "S3-FIFO (SOSP'23): small, main and ghost FIFO queues",
                        tessera::cache::S3FifoPolicy)

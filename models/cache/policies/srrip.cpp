// srrip: Static Re-Reference Interval Prediction (Jaleel, Theobald, Steely,
// Emer, "High Performance Cache Replacement Using Re-Reference Interval
// Prediction (RRIP)", ISCA 2010), with 2-bit RRPVs: entries are inserted
// with RRPV 2 ("long re-reference"), a hit sets 0 (hit priority), and the
// victim is an entry with RRPV 3; when none has 3, every RRPV is incremented
// until one does.
// Entries are kept in four FIFO buckets, one per RRPV; "increment every
// RRPV by d" is a rotation of the bucket index (base_), so it costs O(1).
// Among entries with RRPV 3 the one that reached the bucket first is the
// victim (hardware picks the lowest way; a fully associative cache has no
// ways). O(1) per event.
#include "models/cache/intrusive_list.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class SrripPolicy final : public Policy {
 public:
  explicit SrripPolicy(const PolicyContext& c) : links_(c.key_space), bucket_(c.key_space, 0) {}

  void on_hit(std::uint32_t key, const AccessInfo&) override { move(key, 0); }
  void on_insert(std::uint32_t key, const AccessInfo&) override { put(key, kInsertRrpv); }
  void on_evict(std::uint32_t key) override {
    if (key == victim(AccessInfo{})) {
      const unsigned d = kMaxRrpv - highest();  // the aging the search implies
      base_ = (base_ + 4 - d) % 4;
    }
    buckets_[bucket_[key]].remove(links_, key);
  }
  std::uint32_t victim(const AccessInfo&) const override {
    return buckets_[physical(highest())].tail();
  }
  std::size_t state_bytes_per_entry() const override { return 2 * sizeof(std::uint32_t) + 1; }

 private:
  static constexpr unsigned kMaxRrpv = 3;
  static constexpr unsigned kInsertRrpv = 2;

  unsigned physical(unsigned rrpv) const { return (base_ + rrpv) % 4; }
  unsigned highest() const {
    for (unsigned r = kMaxRrpv;; --r) {
      if (!buckets_[physical(r)].empty() || r == 0) return r;
    }
  }
  void put(std::uint32_t key, unsigned rrpv) {
    bucket_[key] = static_cast<std::uint8_t>(physical(rrpv));
    buckets_[bucket_[key]].push_head(links_, key);
  }
  void move(std::uint32_t key, unsigned rrpv) {
    buckets_[bucket_[key]].remove(links_, key);
    put(key, rrpv);
  }

  IntrusiveLinks links_;
  IntrusiveList buckets_[4];
  std::vector<std::uint8_t> bucket_;  // physical bucket of each key
  unsigned base_ = 0;                 // physical bucket of RRPV 0
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(srrip, "srrip", "SRRIP (ISCA'10): 2-bit re-reference prediction",
                        tessera::cache::SrripPolicy)

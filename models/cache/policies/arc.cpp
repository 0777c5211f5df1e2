// arc: Adaptive Replacement Cache (Megiddo & Modha, "ARC: A Self-Tuning, Low
// Overhead Replacement Cache", FAST 2003). T1 holds entries seen once
// recently, T2 entries seen at least twice; ghost lists B1 and B2 remember
// keys recently evicted from each. A miss that hits a ghost list moves the
// target size p of T1 toward the list that would have kept it.
//
// Tessera's entries have variable sizes, so the paper's counts become bytes:
// |T1|, |T2|, |B1|, |B2| and p are byte totals, c is the capacity in bytes,
// the adaptation step on a B1 (B2) ghost hit is the entry's size times
// max(1, |B2| / |B1|) (max(1, |B1| / |B2|)), and the ghost lists are trimmed
// from their LRU ends so that |T1| + |B1| <= c and the whole directory <= 2c.
// With equal sizes this is the paper's algorithm scaled by the entry size.
// O(1) per event.
#include <algorithm>

#include "models/cache/intrusive_list.h"
#include "models/cache/policy.h"

namespace tessera::cache {
namespace {

class ArcPolicy final : public Policy {
 public:
  explicit ArcPolicy(const PolicyContext& c)
      : c_(c.capacity_bytes),
        links_(c.key_space),
        where_(c.key_space, kNone),
        size_(c.key_space, 0) {}

  void on_miss(std::uint32_t key, const AccessInfo& info) override {
    pending_key_ = kNoKey;
    const std::uint8_t w = where_[key];
    if (w != kB1 && w != kB2) return;
    const double b1 = static_cast<double>(std::max<Bytes>(bytes_[kB1], 1));
    const double b2 = static_cast<double>(std::max<Bytes>(bytes_[kB2], 1));
    const double size = static_cast<double>(info.bytes);
    if (w == kB1) {
      const double delta = size * std::max(1.0, b2 / b1);
      p_ = std::min(static_cast<double>(c_), p_ + delta);
    } else {
      const double delta = size * std::max(1.0, b1 / b2);
      p_ = std::max(0.0, p_ - delta);
    }
    pending_key_ = key;
    pending_from_ = w;
    unlink(key);
  }
  void on_hit(std::uint32_t key, const AccessInfo&) override {
    unlink(key);
    link(key, kT2);
  }
  void on_insert(std::uint32_t key, const AccessInfo& info) override {
    if (where_[key] != kNone) unlink(key);  // a ghost re-inserted without on_miss
    size_[key] = info.bytes;
    link(key, key == pending_key_ ? kT2 : kT1);
    pending_key_ = kNoKey;
    trim_ghosts();
  }
  void on_evict(std::uint32_t key) override {
    const std::uint8_t from = where_[key];
    unlink(key);
    link(key, from == kT1 ? kB1 : kB2);
    trim_ghosts();
  }
  // REPLACE(x, p) of the paper.
  std::uint32_t victim(const AccessInfo&) const override {
    const bool from_b2 = pending_key_ != kNoKey && pending_from_ == kB2;
    const double t1 = static_cast<double>(bytes_[kT1]);
    if (lists_[kT2].empty()) return lists_[kT1].tail();
    if (!lists_[kT1].empty() && (t1 > p_ || (from_b2 && t1 == p_))) return lists_[kT1].tail();
    return lists_[kT2].tail();
  }
  std::size_t state_bytes_per_entry() const override {
    return 2 * sizeof(std::uint32_t) + 1 + sizeof(Bytes);
  }

 private:
  enum : std::uint8_t { kT1 = 0, kT2 = 1, kB1 = 2, kB2 = 3, kNone = 4 };

  void link(std::uint32_t key, std::uint8_t list) {
    where_[key] = list;
    lists_[list].push_head(links_, key);
    bytes_[list] += size_[key];
  }
  void unlink(std::uint32_t key) {
    const std::uint8_t list = where_[key];
    lists_[list].remove(links_, key);
    bytes_[list] -= size_[key];
    where_[key] = kNone;
  }
  void drop_tail(std::uint8_t list) { unlink(lists_[list].tail()); }
  void trim_ghosts() {
    while (!lists_[kB1].empty() && bytes_[kT1] + bytes_[kB1] > c_) drop_tail(kB1);
    const auto total = [this] { return bytes_[kT1] + bytes_[kT2] + bytes_[kB1] + bytes_[kB2]; };
    while (!lists_[kB2].empty() && total() > 2 * c_) drop_tail(kB2);
    while (!lists_[kB1].empty() && total() > 2 * c_) drop_tail(kB1);
  }

  Bytes c_;
  double p_ = 0;  // target bytes of T1
  IntrusiveLinks links_;
  IntrusiveList lists_[4];
  Bytes bytes_[4] = {0, 0, 0, 0};
  std::vector<std::uint8_t> where_;
  std::vector<Bytes> size_;
  std::uint32_t pending_key_ = kNoKey;  // the missed key found in a ghost list
  std::uint8_t pending_from_ = kNone;
};

}  // namespace
}  // namespace tessera::cache

TESSERA_REGISTER_POLICY(arc, "arc",
                        "ARC (FAST'03): adaptive recency/frequency split, byte-weighted",
                        tessera::cache::ArcPolicy)

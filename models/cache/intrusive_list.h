// Doubly linked lists threaded through flat arrays indexed by dense keys: no
// node allocation, O(1) push/remove/move, 8 bytes per key. Several lists can
// share one IntrusiveLinks (a key is in at most one of them at a time), as
// ARC's T1/T2/B1/B2 and S3-FIFO's small/main/ghost queues do.
#pragma once

#include <cstdint>
#include <vector>

namespace tessera::cache {

inline constexpr std::uint32_t kNoKey = 0xFFFFFFFFu;

// A key's two links sit side by side, so a list operation touches one
// cache line per key.
struct IntrusiveLinks {
  struct Link {
    std::uint32_t prev = kNoKey;
    std::uint32_t next = kNoKey;
  };
  explicit IntrusiveLinks(std::uint32_t key_space) : link(key_space) {}
  std::vector<Link> link;
};

// head = most recently pushed, tail = oldest.
class IntrusiveList {
 public:
  std::uint32_t head() const { return head_; }
  std::uint32_t tail() const { return tail_; }
  bool empty() const { return head_ == kNoKey; }
  std::uint32_t size() const { return size_; }

  void push_head(IntrusiveLinks& l, std::uint32_t key) {
    l.link[key].prev = kNoKey;
    l.link[key].next = head_;
    if (head_ != kNoKey)
      l.link[head_].prev = key;
    else
      tail_ = key;
    head_ = key;
    ++size_;
  }
  void remove(IntrusiveLinks& l, std::uint32_t key) {
    const std::uint32_t p = l.link[key].prev, n = l.link[key].next;
    if (p != kNoKey)
      l.link[p].next = n;
    else
      head_ = n;
    if (n != kNoKey)
      l.link[n].prev = p;
    else
      tail_ = p;
    --size_;
  }
  void move_to_head(IntrusiveLinks& l, std::uint32_t key) {
    if (head_ == key) return;
    remove(l, key);
    push_head(l, key);
  }
  // Toward the head (newer) / toward the tail (older); kNoKey at the ends.
  static std::uint32_t newer(const IntrusiveLinks& l, std::uint32_t key) {
    return l.link[key].prev;
  }
  static std::uint32_t older(const IntrusiveLinks& l, std::uint32_t key) {
    return l.link[key].next;
  }

 private:
  std::uint32_t head_ = kNoKey;
  std::uint32_t tail_ = kNoKey;
  std::uint32_t size_ = 0;
};

}  // namespace tessera::cache

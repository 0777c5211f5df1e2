// A binary max-heap of dense keys with a position index, so a key's priority
// can be changed or the key removed in O(log n) without allocation after
// construction. `Before(a, b)` is true when key a should be nearer the top
// than key b; it reads the policy's own priority arrays. Several heaps may
// share one position index when a key is in at most one of them at a time
// (belady-size keeps one heap per size class).
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "models/cache/intrusive_list.h"

namespace tessera::cache {

template <typename Before>
class IndexedHeap {
 public:
  IndexedHeap(std::uint32_t key_space, Before before)
      : pos_(std::make_shared<std::vector<std::uint32_t>>(key_space, kNoKey)), before_(before) {
    heap_.reserve(key_space);
  }
  IndexedHeap(std::shared_ptr<std::vector<std::uint32_t>> shared_pos, Before before)
      : pos_(std::move(shared_pos)), before_(before) {}

  bool empty() const { return heap_.empty(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(heap_.size()); }
  std::uint32_t top() const { return heap_.front(); }
  bool contains(std::uint32_t key) const { return (*pos_)[key] != kNoKey; }
  // Heap slots in array order (for scans that must see every member).
  const std::vector<std::uint32_t>& members() const { return heap_; }

  void push(std::uint32_t key) {
    pos()[key] = static_cast<std::uint32_t>(heap_.size());
    heap_.push_back(key);
    sift_up(pos()[key]);
  }
  // Call after the key's priority changed (either direction).
  void update(std::uint32_t key) {
    const std::uint32_t i = pos()[key];
    sift_up(i);
    sift_down(pos()[key]);
  }
  void remove(std::uint32_t key) {
    const std::uint32_t i = pos()[key];
    const std::uint32_t last = heap_.back();
    heap_.pop_back();
    pos()[key] = kNoKey;
    if (last == key) return;
    heap_[i] = last;
    pos()[last] = i;
    sift_up(i);
    sift_down(pos()[last]);
  }

  static constexpr std::size_t kBytesPerKey = 2 * sizeof(std::uint32_t);  // pos + heap slot

 private:
  void place(std::uint32_t i, std::uint32_t key) {
    heap_[i] = key;
    pos()[key] = i;
  }
  void sift_up(std::uint32_t i) {
    const std::uint32_t key = heap_[i];
    while (i > 0) {
      const std::uint32_t parent = (i - 1) / 2;
      if (!before_(key, heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, key);
  }
  void sift_down(std::uint32_t i) {
    const std::uint32_t n = static_cast<std::uint32_t>(heap_.size());
    const std::uint32_t key = heap_[i];
    for (;;) {
      std::uint32_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before_(heap_[child + 1], heap_[child])) ++child;
      if (!before_(heap_[child], key)) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, key);
  }

  std::vector<std::uint32_t> heap_;
  std::vector<std::uint32_t>& pos() { return *pos_; }
  std::shared_ptr<std::vector<std::uint32_t>> pos_;
  Before before_;
};

}  // namespace tessera::cache

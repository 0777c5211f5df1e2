#include "models/analysis/reuse_scanner.h"

#include <algorithm>

namespace tessera::analysis {

ReuseScanner::ReuseScanner(std::vector<Bytes> sizes_bytes) : sizes_(std::move(sizes_bytes)) {
  const std::size_t t = sizes_.size();
  window_ = static_cast<std::uint32_t>(2 * t + 64);
  pos_.assign(t, 0);
  last_event_.assign(t, 0);
  owner_.assign(window_ + 1, kFree);
  tree_.assign(window_ + 1, Node{});
}

void ReuseScanner::enable_classes(std::vector<std::uint8_t> class_of, unsigned classes) {
  class_of_ = std::move(class_of);
  classes_ = classes;
  class_tree_.assign(static_cast<std::size_t>(window_ + 1) * classes_, 0);
}

void ReuseScanner::add(std::uint32_t pos, std::int64_t count, std::int64_t bytes,
                       std::uint32_t tensor) {
  const auto dc = static_cast<std::uint64_t>(count);
  const auto db = static_cast<std::uint64_t>(bytes);  // two's complement: adding -x subtracts
  for (std::uint32_t i = pos; i <= window_; i += i & (0u - i)) {
    tree_[i].count += dc;
    tree_[i].bytes += db;
  }
  if (classes_ != 0) {
    const std::uint8_t c = class_of_[tensor];
    if (c != kNoClass) {
      for (std::uint32_t i = pos; i <= window_; i += i & (0u - i)) {
        class_tree_[static_cast<std::size_t>(i) * classes_ + c] += db;
      }
    }
  }
}

void ReuseScanner::compact() {
  // Renumber live markers 1..L in time order, then rebuild both trees in
  // O(window) with the standard "push to parent" construction.
  std::uint32_t next = 0;
  std::fill(tree_.begin(), tree_.end(), Node{});
  std::fill(class_tree_.begin(), class_tree_.end(), 0);
  for (std::uint32_t slot = 1; slot <= window_; ++slot) {
    const std::uint32_t t = owner_[slot];
    if (t == kFree) continue;
    owner_[slot] = kFree;
    ++next;
    owner_[next] = t;
    pos_[t] = next;
    tree_[next].count = 1;
    tree_[next].bytes = sizes_[t];
    if (classes_ != 0 && class_of_[t] != kNoClass) {
      class_tree_[static_cast<std::size_t>(next) * classes_ + class_of_[t]] = sizes_[t];
    }
  }
  for (std::uint32_t i = 1; i <= window_; ++i) {
    const std::uint32_t parent = i + (i & (0u - i));
    if (parent > window_) continue;
    tree_[parent].count += tree_[i].count;
    tree_[parent].bytes += tree_[i].bytes;
    for (unsigned c = 0; c < classes_; ++c) {
      class_tree_[static_cast<std::size_t>(parent) * classes_ + c] +=
          class_tree_[static_cast<std::size_t>(i) * classes_ + c];
    }
  }
  now_ = next;
}

ReuseSample ReuseScanner::step(std::uint32_t tensor) {
  if (now_ == window_) compact();
  const std::uint64_t event = events_++;
  const std::uint32_t slot = ++now_;
  const std::uint32_t prev = pos_[tensor];
  const auto size = static_cast<std::int64_t>(sizes_[tensor]);
  ReuseSample s;
  prev_ = prev;
  if (prev != 0) {
    // Markers in (prev, slot): prefix(slot - 1) - prefix(prev). The two
    // Fenwick paths merge once they reach the same node; stop there.
    std::uint64_t count = 0, bytes = 0;
    std::uint32_t a = slot - 1, b = prev;
    while (a != b) {
      if (a > b) {
        count += tree_[a].count;
        bytes += tree_[a].bytes;
        a -= a & (0u - a);
      } else {
        count -= tree_[b].count;
        bytes -= tree_[b].bytes;
        b -= b & (0u - b);
      }
    }
    s.time = event - last_event_[tensor];
    s.tensors = count;
    s.bytes = bytes;
    add(prev, -1, -size, tensor);
    owner_[prev] = kFree;
  }
  add(slot, 1, size, tensor);
  owner_[slot] = tensor;
  pos_[tensor] = slot;
  last_event_[tensor] = event;
  return s;
}

void ReuseScanner::class_bytes_between(std::uint64_t* out, unsigned upto) const {
  std::fill(out, out + upto, 0);
  if (prev_ == 0 || classes_ == 0) return;
  // The current marker sits at now_ and the previous one was removed, so the
  // range (prev_, now_) is prefix(now_ - 1) - prefix(prev_).
  std::uint32_t a = now_ - 1, b = prev_;
  while (a != b) {
    if (a > b) {
      const std::uint64_t* node = &class_tree_[static_cast<std::size_t>(a) * classes_];
      for (unsigned c = 0; c < upto; ++c) out[c] += node[c];
      a -= a & (0u - a);
    } else {
      const std::uint64_t* node = &class_tree_[static_cast<std::size_t>(b) * classes_];
      for (unsigned c = 0; c < upto; ++c) out[c] -= node[c];
      b -= b & (0u - b);
    }
  }
}

}  // namespace tessera::analysis

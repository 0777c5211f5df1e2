#include "models/analysis/reuse_scanner.h"

#include <algorithm>

namespace tessera::analysis {

ReuseScanner::ReuseScanner(std::uint32_t tensors) {
  window_ = 2 * tensors + 64;
  extent_.assign(tensors, 0);
  pos_.assign(tensors, 0);
  last_event_.assign(tensors, 0);
  owner_.assign(window_ + 1, kFree);
  tree_.assign(window_ + 1, Node{});
}

void ReuseScanner::attach_cursors(std::vector<std::uint32_t>* cursors) {
  cursors_ = cursors;
  slot_extent_.assign(window_ + 1, 0);
}

// Unsigned arithmetic on purpose: adding the two's complement of x subtracts x.
void ReuseScanner::add(std::uint32_t pos, std::uint64_t count, std::uint64_t bytes) {
  for (std::uint32_t i = pos; i <= window_; i += i & (0u - i)) {
    tree_[i].count += count;
    tree_[i].bytes += bytes;
  }
}

void ReuseScanner::compact() {
  // Renumber live markers 1..L in time order, then rebuild the tree in
  // O(window) with the standard "push to parent" construction. A cursor c
  // maps to 1 + (live markers below c): visit the cursors in slot order.
  cursor_order_.clear();
  if (cursors_) {
    for (std::size_t k = 0; k < cursors_->size(); ++k)
      cursor_order_.emplace_back((*cursors_)[k], k);
    std::sort(cursor_order_.begin(), cursor_order_.end());
  }
  std::size_t next_cursor = 0;
  std::uint32_t next = 0;
  std::fill(tree_.begin(), tree_.end(), Node{});
  for (std::uint32_t slot = 1; slot <= window_; ++slot) {
    const std::uint32_t t = owner_[slot];
    if (t == kFree) continue;
    while (next_cursor < cursor_order_.size() && cursor_order_[next_cursor].first <= slot) {
      (*cursors_)[cursor_order_[next_cursor++].second] = next + 1;
    }
    owner_[slot] = kFree;
    ++next;
    owner_[next] = t;
    pos_[t] = next;
    tree_[next].count = 1;
    tree_[next].bytes = extent_[t];
  }
  if (cursors_) {
    // Before the parent push, tree_[slot].bytes is the marker's own extent.
    for (std::uint32_t slot = 1; slot <= next; ++slot) slot_extent_[slot] = tree_[slot].bytes;
    std::fill(slot_extent_.begin() + next + 1, slot_extent_.end(), 0);
  }
  for (; next_cursor < cursor_order_.size(); ++next_cursor) {
    (*cursors_)[cursor_order_[next_cursor].second] = next + 1;
  }
  for (std::uint32_t i = 1; i <= window_; ++i) {
    const std::uint32_t parent = i + (i & (0u - i));
    if (parent > window_) continue;
    tree_[parent].count += tree_[i].count;
    tree_[parent].bytes += tree_[i].bytes;
  }
  now_ = next;
}

ReuseSample ReuseScanner::step(std::uint32_t tensor, Bytes access_bytes) {
  if (now_ == window_) compact();
  const std::uint64_t event = events_++;
  const std::uint32_t slot = ++now_;
  const std::uint32_t prev = pos_[tensor];
  ReuseSample s;
  s.prev_extent_bytes = extent_[tensor];
  s.extent_bytes = std::max(s.prev_extent_bytes, access_bytes);
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
    add(prev, ~std::uint64_t{0}, 0 - s.prev_extent_bytes);
    owner_[prev] = kFree;
    if (cursors_) slot_extent_[prev] = 0;
  }
  extent_[tensor] = s.extent_bytes;
  add(slot, 1, s.extent_bytes);
  owner_[slot] = tensor;
  if (cursors_) slot_extent_[slot] = s.extent_bytes;
  pos_[tensor] = slot;
  last_event_[tensor] = event;
  return s;
}

}  // namespace tessera::analysis

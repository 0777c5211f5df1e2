// Exact reuse (stack) distances of a tensor-access stream, one access at a
// time, in O(log T) each (T = distinct tensors).
//
// The classic construction (Bennett & Kruskal 1975; Almasi, Cascaval & Padua
// 2002): every tensor keeps a marker at the time of its last access; the
// stack distance of an access is the number of markers strictly between the
// previous and the current access of the same tensor, which a Fenwick tree
// over time answers in O(log n). A second Fenwick field holds each marker's
// extent, so the same query gives the distinct BYTES touched in between.
//
// A tensor's extent is the running maximum of the bytes its accesses have
// touched so far: what a tensor-granular cache holds for it
// (models/cache/tensor_cache.h). It changes only on an access to that tensor,
// which also moves its marker, so every marker carries its tensor's current
// extent.
//
// Why time is compacted: a tree over all n events would be n entries (80 MB
// per field at 10 M events) and miss the cache on every step. Only the T live
// markers matter, so positions live in a window of 2T + 64 slots; when it is
// full the live markers are renumbered 1..T in order and the tree is rebuilt
// in O(window). That happens at most once per T + 64 accesses: amortised O(1).
// Callers that keep slot positions of their own (the byte MRC's per-capacity
// LRU boundaries) register them as cursors, which compaction renumbers too.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "models/core/units.h"

namespace tessera::analysis {

// Distance of a first access (cold miss): "infinite".
inline constexpr std::uint64_t kCold = std::numeric_limits<std::uint64_t>::max();

struct ReuseSample {
  std::uint64_t time = kCold;     // events since the previous access of this tensor (>= 1)
  std::uint64_t tensors = kCold;  // distinct OTHER tensors accessed in between
  std::uint64_t bytes = kCold;    // the sum of their extents (each tensor counted once)
  Bytes prev_extent_bytes = 0;    // the tensor's extent before this access (0 when cold)
  Bytes extent_bytes = 0;         // and after it: max(prev_extent_bytes, access bytes)
  bool cold() const { return time == kCold; }
  // The access touched more than the tensor's extent: a miss at every capacity.
  bool grew() const { return extent_bytes > prev_extent_bytes; }
};

class ReuseScanner {
 public:
  explicit ReuseScanner(std::uint32_t tensors);

  // Records an access of `access_bytes` to `tensor` and returns its sample.
  ReuseSample step(std::uint32_t tensor, Bytes access_bytes);

  // Slot view for callers that walk the recency order (lru_mrc.cpp). Slots
  // are 1..now_slot(); a live marker's slot orders tensors by last access.
  static constexpr std::uint32_t kFree = 0xFFFFFFFFu;
  std::uint32_t now_slot() const { return now_; }
  std::uint32_t prev_slot() const { return prev_; }  // of the last step; 0 when cold
  std::uint32_t owner(std::uint32_t slot) const { return owner_[slot]; }  // tensor or kFree
  Bytes extent(std::uint32_t tensor) const { return extent_[tensor]; }
  // The extent of the marker at `slot`, 0 for a free slot: what an LRU walk
  // up the recency order reads, sequentially, without chasing the owner.
  // Kept only once cursors are attached (nobody else walks).
  const Bytes* slot_extents() const { return slot_extent_.data(); }

  // `cursors` (slot numbers, owned by the caller, alive while this scanner
  // steps) are renumbered by compaction so that each still points at the
  // same live markers: a cursor c becomes 1 + (live markers below c).
  // Call before the first step().
  void attach_cursors(std::vector<std::uint32_t>* cursors);

  std::uint64_t events() const { return events_; }
  std::uint32_t tensor_count() const { return static_cast<std::uint32_t>(extent_.size()); }

 private:
  struct Node {
    std::uint64_t count = 0;
    std::uint64_t bytes = 0;
  };
  void add(std::uint32_t pos, std::uint64_t count, std::uint64_t bytes);
  void compact();

  std::vector<Bytes> extent_;              // per tensor: running max of its access bytes
  std::vector<std::uint32_t> pos_;         // per tensor: marker slot, 0 = never accessed
  std::vector<std::uint64_t> last_event_;  // per tensor: index of its last access
  std::vector<std::uint32_t> owner_;       // per slot: tensor whose marker is there, or kFree
  std::vector<Bytes> slot_extent_;         // per slot: that tensor's extent, or 0
  std::vector<Node> tree_;                 // Fenwick tree over slots 1..window
  std::vector<std::uint32_t>* cursors_ = nullptr;
  std::vector<std::pair<std::uint32_t, std::size_t>> cursor_order_;  // compaction scratch
  std::uint32_t window_ = 0;
  std::uint32_t now_ = 0;   // slot of the latest marker
  std::uint32_t prev_ = 0;  // slot of the previous marker of the last step
  std::uint64_t events_ = 0;
};

}  // namespace tessera::analysis

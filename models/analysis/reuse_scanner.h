// Exact reuse (stack) distances of a tensor-access stream, one access at a
// time, in O(log T) each (T = distinct tensors).
//
// The classic construction (Bennett & Kruskal 1975; Almasi, Cascaval & Padua
// 2002): every tensor keeps a marker at the time of its last access; the
// stack distance of an access is the number of markers strictly between the
// previous and the current access of the same tensor, which a Fenwick tree
// over time answers in O(log n). A second Fenwick field holds the tensors'
// sizes, so the same query gives the distinct BYTES touched in between.
//
// Why time is compacted: a tree over all n events would be n entries (80 MB
// per field at 10 M events) and miss the cache on every step. Only the T live
// markers matter, so positions live in a window of 2T + 64 slots; when it is
// full the live markers are renumbered 1..T in order and the tree is rebuilt
// in O(window). That happens at most once per T + 64 accesses: amortised O(1).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "models/core/units.h"

namespace tessera::analysis {

// Distance of a first access (cold miss): "infinite".
inline constexpr std::uint64_t kCold = std::numeric_limits<std::uint64_t>::max();

struct ReuseSample {
  std::uint64_t time = kCold;     // events since the previous access of this tensor (>= 1)
  std::uint64_t tensors = kCold;  // distinct OTHER tensors accessed in between
  std::uint64_t bytes = kCold;    // their total size (each counted once)
  bool cold() const { return time == kCold; }
};

class ReuseScanner {
 public:
  // sizes_bytes[t]: the size of tensor t (what a tensor-granular cache holds).
  explicit ReuseScanner(std::vector<Bytes> sizes_bytes);

  // Optional second tree whose sums are split into `classes` classes:
  // class_of[t] < classes, or kNoClass for tensors that are in no class.
  // Used by the byte MRC to ask "bytes in between of tensors no larger than C"
  // for several C at once. Call before the first step().
  static constexpr std::uint8_t kNoClass = 0xFF;
  void enable_classes(std::vector<std::uint8_t> class_of, unsigned classes);

  // Records an access to `tensor` and returns its reuse sample.
  ReuseSample step(std::uint32_t tensor);

  // After a step() that returned a reuse: per class c < `upto`, the bytes of
  // the distinct tensors of class c accessed between the two uses (`out` has
  // at least `upto` entries; upto <= classes).
  void class_bytes_between(std::uint64_t* out, unsigned upto) const;

  std::uint64_t events() const { return events_; }
  std::uint32_t tensor_count() const { return static_cast<std::uint32_t>(sizes_.size()); }

 private:
  struct Node {
    std::uint64_t count = 0;
    std::uint64_t bytes = 0;
  };
  void add(std::uint32_t pos, std::int64_t count, std::int64_t bytes, std::uint32_t tensor);
  void compact();

  std::vector<Bytes> sizes_;
  std::vector<std::uint32_t> pos_;         // per tensor: marker slot, 0 = never accessed
  std::vector<std::uint64_t> last_event_;  // per tensor: index of its last access
  std::vector<std::uint32_t> owner_;       // per slot: tensor whose marker is there, or kFree
  std::vector<Node> tree_;                 // Fenwick tree over slots 1..window
  std::vector<std::uint8_t> class_of_;
  std::vector<std::uint64_t> class_tree_;  // Fenwick, `classes_` sums per slot
  unsigned classes_ = 0;
  std::uint32_t window_ = 0;
  std::uint32_t now_ = 0;   // slot of the latest marker
  std::uint32_t prev_ = 0;  // slot of the previous marker of the last step
  std::uint64_t events_ = 0;
  static constexpr std::uint32_t kFree = 0xFFFFFFFFu;
};

}  // namespace tessera::analysis

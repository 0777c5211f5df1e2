// Bit-accurate model of rtl/dot_unit.v. A dot product of length K arrives as beats of
// `lanes` pairs (the last beat flagged). Each lane multiplies in the format (fp_mul, one
// rounding). The products of a beat are then either
//   - kTree: summed by a balanced pairwise tree of fp_add (heap order: lane 2k pairs with
//     lane 2k + 1, then their sums pair up, ...), and the beat sum goes into the
//     accumulator, or
//   - kSequential: fed one by one, lane 0 first, through the accumulator method.
// The accumulator (any AccumMethod) carries across beats; its result is the output.
#pragma once

#include <cstdint>
#include <vector>

#include "models/numerics/accumulator.h"

namespace tessera::numerics {

enum class DotReduce : int { kTree = 0, kSequential = 1 };

class DotModel {
 public:
  // lanes must be a power of two (the RTL's tree is a complete binary tree).
  DotModel(const FpFormat& f, int lanes, DotReduce reduce, AccumMethod method);
  // One beat: a[i], b[i] for i < lanes.
  void beat(const std::uint64_t* a, const std::uint64_t* b);
  // The result after the beat flagged `last`; clears the state for the next dot product.
  std::uint64_t finish();
  // Whole dot product of length k (zero-padded to a multiple of lanes).
  std::uint64_t dot(const std::uint64_t* a, const std::uint64_t* b, std::size_t k);

  int lanes() const { return lanes_; }

 private:
  FpFormat f_;
  int lanes_;
  DotReduce reduce_;
  Accumulator acc_;
  std::vector<std::uint64_t> tree_;  // 2 * lanes - 1 heap nodes, reused across beats
  std::vector<std::uint64_t> pad_a_, pad_b_;
};

}  // namespace tessera::numerics

// Reuse distances and reuse times of every access of a trace, stored per event.
// Definitions (docs/analysis.md §1):
//   reuse time      t_i = i - j, j the previous access of the same tensor
//   reuse distance  d_i = distinct OTHER tensors accessed at j+1 .. i-1
//   byte distance   b_i = sum of their extents (each tensor counted once): a
//                   tensor's extent is the running maximum of the bytes its
//                   accesses have touched so far, what a tensor-granular
//                   cache holds for it
// First accesses are cold: kCold in all three.
#pragma once

#include <vector>

#include "models/analysis/reuse_scanner.h"
#include "models/workload/trace.h"

namespace tessera::analysis {

struct ReuseDistances {
  std::vector<std::uint64_t> time;
  std::vector<std::uint64_t> tensors;
  std::vector<std::uint64_t> bytes;
  std::uint64_t cold = 0;  // number of first accesses
};

// The size of every tensor in the tensor table (the tensor-size distribution).
std::vector<Bytes> tensor_sizes(const workload::Trace& trace);

// Throws InputError when an event names a tensor id outside the tensor table.
ReuseDistances compute_reuse_distances(const workload::Trace& trace);

// Checks every event's tensor id against the table (InputError naming the
// first bad event); shared by every analysis entry point.
void check_tensor_ids(const workload::Trace& trace);

}  // namespace tessera::analysis

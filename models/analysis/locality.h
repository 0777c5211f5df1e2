// The original prototype's locality measures, precisely defined (see
// docs/analysis.md §3 for the definitions and the choices made).
#pragma once

#include <cstdint>
#include <vector>

#include "models/workload/trace.h"

namespace tessera::analysis {

// Log2 bins of a non-negative integer: bin 0 holds 0, bin b >= 1 holds
// [2^(b-1), 2^b). So 1 -> 1, 2..3 -> 2, 4..7 -> 3, ..., 2^63.. -> 64.
inline constexpr int kLog2Bins = 65;
inline int log2_bin(std::uint64_t v) {
  return v == 0 ? 0 : 64 - __builtin_clzll(v);
}
// Smallest value of bin b (0, 1, 2, 4, ...).
inline std::uint64_t log2_bin_low(int b) {
  return b == 0 ? 0 : std::uint64_t{1} << (b - 1);
}

// Shannon entropy in bits, H = -sum p_b log2 p_b, of the distribution given
// by `counts` (zero bins contribute nothing; all-zero counts give 0).
double entropy_bits(const std::vector<std::uint64_t>& counts);

// Working-set size over time: the events are cut into consecutive windows of
// `window_events` (the last one may be shorter) and each window reports the
// total size of the distinct tensors it touches (tensor-table sizes).
struct WorkingSet {
  std::uint64_t window_events = 0;
  std::vector<Bytes> bytes;  // one per window
};
WorkingSet working_set(const workload::Trace& trace, std::uint64_t window_events);

}  // namespace tessera::analysis

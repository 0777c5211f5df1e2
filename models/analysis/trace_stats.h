// Everything `tessera trace stats` reports, computed in one pass over the
// events (plus one for the working set). Definitions: docs/analysis.md.
#pragma once

#include <cstdint>
#include <vector>

#include "models/analysis/locality.h"
#include "models/analysis/lru_mrc.h"
#include "models/workload/trace.h"

namespace tessera::analysis {

struct StatsOptions {
  // Byte capacities of the MRC; empty: 16 log-spaced points from the smallest
  // touched tensor to the distinct bytes of the trace.
  std::vector<Bytes> capacities_bytes;
  std::uint64_t locality_window_events = 64;  // W of the temporal locality score
  // Working-set window; 0: ceil(events / 100), so at most 100 windows.
  std::uint64_t working_set_window_events = 0;
};

struct TraceStats {
  std::uint64_t events = 0;
  std::uint64_t tensors_touched = 0;
  Bytes distinct_bytes = 0;  // sum of the sizes of the touched tensors
  Bytes accessed_bytes = 0;  // sum of event bytes
  std::uint64_t reads = 0, writes = 0;
  // Events touching less than their whole tensor (their bytes differ from
  // the table's size). Distances and the MRC use extents (the running maximum
  // of each tensor's access bytes), as `tessera replay` does
  // (docs/analysis.md §2.1), so the MRC is exact either way.
  std::uint64_t partial_events = 0;
  std::uint64_t cold = 0;    // first accesses
  std::uint64_t reuses = 0;  // events - cold
  // Log2-binned histograms (locality.h) over the reuses (cold excluded).
  std::vector<std::uint64_t> distance_hist;       // reuse distance in tensors
  std::vector<std::uint64_t> byte_distance_hist;  // reuse distance in bytes
  std::vector<std::uint64_t> time_hist;           // reuse time in events
  double mean_distance_tensors = 0.0;
  double mean_distance_bytes = 0.0;
  double mean_time_events = 0.0;
  std::uint64_t max_distance_tensors = 0;
  double reuse_entropy_bits = 0.0;  // entropy of distance_hist
  std::uint64_t locality_window_events = 0;
  double temporal_locality = 0.0;               // accesses with reuse time <= W, over all accesses
  std::vector<std::uint64_t> tensor_size_hist;  // log2 bins of touched tensors' sizes
  LruMrc mrc;
  WorkingSet working_set;
};

TraceStats compute_trace_stats(const workload::Trace& trace, const StatsOptions& options);

// Histogram helper: trims trailing zero bins.
void trim_histogram(std::vector<std::uint64_t>& hist);

}  // namespace tessera::analysis

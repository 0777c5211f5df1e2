#include "models/analysis/trace_stats.h"

#include <algorithm>

#include "models/analysis/reuse_distance.h"

namespace tessera::analysis {

void trim_histogram(std::vector<std::uint64_t>& hist) {
  while (!hist.empty() && hist.back() == 0) hist.pop_back();
}

TraceStats compute_trace_stats(const workload::Trace& trace, const StatsOptions& options) {
  check_tensor_ids(trace);
  TraceStats st;
  st.events = trace.events.size();
  const std::vector<Bytes> sizes = tensor_sizes(trace);

  std::vector<bool> touched(trace.tensors.size(), false);
  Bytes smallest = 0;
  for (const auto& e : trace.events) {
    st.accessed_bytes += e.bytes;
    (e.is_write() ? st.writes : st.reads) += 1;
    if (e.bytes != sizes[e.tensor_id]) ++st.partial_events;
    if (!touched[e.tensor_id]) {
      touched[e.tensor_id] = true;
      ++st.tensors_touched;
      const Bytes s = sizes[e.tensor_id];
      st.distinct_bytes += s;
      smallest = st.tensors_touched == 1 ? s : std::min(smallest, s);
    }
  }
  st.tensor_size_hist.assign(kLog2Bins, 0);
  for (std::size_t t = 0; t < sizes.size(); ++t) {
    if (touched[t]) ++st.tensor_size_hist[log2_bin(sizes[t])];
  }
  trim_histogram(st.tensor_size_hist);

  std::vector<Bytes> caps = options.capacities_bytes;
  if (caps.empty()) {
    const Bytes lo = std::max<Bytes>(1, smallest);
    caps = log_spaced_capacities(lo, std::max(lo, st.distinct_bytes), 16);
  }
  LruMrcBuilder mrc(static_cast<std::uint32_t>(trace.tensors.size()), largest_access_bytes(trace),
                    caps);
  st.distance_hist.assign(kLog2Bins, 0);
  st.byte_distance_hist.assign(kLog2Bins, 0);
  st.time_hist.assign(kLog2Bins, 0);
  st.locality_window_events = options.locality_window_events;
  double sum_d = 0.0, sum_b = 0.0, sum_t = 0.0;
  std::uint64_t within = 0;
  for (const auto& e : trace.events) {
    const ReuseSample s = mrc.step(e.tensor_id, e.bytes);
    if (s.cold()) continue;
    ++st.distance_hist[log2_bin(s.tensors)];
    ++st.byte_distance_hist[log2_bin(s.bytes)];
    ++st.time_hist[log2_bin(s.time)];
    sum_d += static_cast<double>(s.tensors);
    sum_b += static_cast<double>(s.bytes);
    sum_t += static_cast<double>(s.time);
    st.max_distance_tensors = std::max(st.max_distance_tensors, s.tensors);
    if (s.time <= options.locality_window_events) ++within;
  }
  st.mrc = mrc.finish();
  st.cold = st.mrc.cold;
  st.reuses = st.events - st.cold;
  if (st.reuses > 0) {
    const auto r = static_cast<double>(st.reuses);
    st.mean_distance_tensors = sum_d / r;
    st.mean_distance_bytes = sum_b / r;
    st.mean_time_events = sum_t / r;
  }
  if (st.events > 0) {
    st.temporal_locality = static_cast<double>(within) / static_cast<double>(st.events);
  }
  trim_histogram(st.distance_hist);
  trim_histogram(st.byte_distance_hist);
  trim_histogram(st.time_hist);
  st.reuse_entropy_bits = entropy_bits(st.distance_hist);

  std::uint64_t window = options.working_set_window_events;
  if (window == 0) window = std::max<std::uint64_t>(1, (st.events + 99) / 100);
  st.working_set = working_set(trace, window);
  return st;
}

}  // namespace tessera::analysis

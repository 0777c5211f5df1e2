#include "models/analysis/locality.h"

#include <cmath>

#include "models/analysis/reuse_distance.h"
#include "models/core/error.h"

namespace tessera::analysis {

double entropy_bits(const std::vector<std::uint64_t>& counts) {
  std::uint64_t total = 0;
  for (std::uint64_t c : counts) total += c;
  if (total == 0) return 0.0;
  double h = 0.0;
  for (std::uint64_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / static_cast<double>(total);
    h -= p * std::log2(p);
  }
  return h;
}

WorkingSet working_set(const workload::Trace& trace, std::uint64_t window_events) {
  if (window_events == 0) throw InputError("window: expected at least 1 event, found 0");
  check_tensor_ids(trace);
  WorkingSet ws;
  ws.window_events = window_events;
  // last_window[t] = 1 + index of the last window that counted tensor t.
  std::vector<std::uint64_t> last_window(trace.tensors.size(), 0);
  const std::size_t n = trace.events.size();
  ws.bytes.reserve(n / window_events + 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t w = i / window_events;
    if (w == ws.bytes.size()) ws.bytes.push_back(0);
    const std::uint32_t t = trace.events[i].tensor_id;
    if (last_window[t] != w + 1) {
      last_window[t] = w + 1;
      ws.bytes[w] += trace.tensors[t].bytes;
    }
  }
  return ws;
}

}  // namespace tessera::analysis

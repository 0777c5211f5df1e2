#include "models/analysis/reuse_distance.h"

#include <string>

#include "models/core/error.h"

namespace tessera::analysis {

std::vector<Bytes> tensor_sizes(const workload::Trace& trace) {
  std::vector<Bytes> sizes;
  sizes.reserve(trace.tensors.size());
  for (const auto& t : trace.tensors) sizes.push_back(t.bytes);
  return sizes;
}

void check_tensor_ids(const workload::Trace& trace) {
  const std::size_t n = trace.tensors.size();
  for (std::size_t i = 0; i < trace.events.size(); ++i) {
    if (trace.events[i].tensor_id >= n) {
      throw InputError("event " + std::to_string(i) + ": tensor_id: expected < " +
                       std::to_string(n) + " (tensors in the table), found " +
                       std::to_string(trace.events[i].tensor_id));
    }
  }
}

ReuseDistances compute_reuse_distances(const workload::Trace& trace) {
  check_tensor_ids(trace);
  ReuseScanner scanner(static_cast<std::uint32_t>(trace.tensors.size()));
  ReuseDistances out;
  const std::size_t n = trace.events.size();
  out.time.resize(n);
  out.tensors.resize(n);
  out.bytes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const ReuseSample s = scanner.step(trace.events[i].tensor_id, trace.events[i].bytes);
    out.time[i] = s.time;
    out.tensors[i] = s.tensors;
    out.bytes[i] = s.bytes;
    out.cold += s.cold() ? 1 : 0;
  }
  return out;
}

}  // namespace tessera::analysis

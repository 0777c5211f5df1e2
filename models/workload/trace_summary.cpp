#include "models/workload/trace_summary.h"

#include <algorithm>
#include <vector>

namespace tessera::workload {

TraceSummary summarize(const Trace& trace) {
  TraceSummary s;
  s.events = trace.events.size();
  s.tensors = trace.tensors.size();
  s.ops = trace.ops.size();
  std::vector<bool> touched(trace.tensors.size(), false);
  for (const TraceEvent& e : trace.events) {
    s.total_bytes += e.bytes;
    s.writes += e.is_write() ? 1 : 0;
    OpKindSummary& k = s.by_kind[static_cast<std::size_t>(trace.ops[e.op_id()].kind)];
    ++k.events;
    k.bytes += e.bytes;
    if (!touched[e.tensor_id]) {
      touched[e.tensor_id] = true;
      ++s.distinct_tensors;
      s.distinct_bytes += trace.tensors[e.tensor_id].bytes;
    }
  }
  s.reads = s.events - s.writes;
  for (const OpInfo& op : trace.ops) {
    OpKindSummary& k = s.by_kind[static_cast<std::size_t>(op.kind)];
    ++k.ops;
    k.flops += op.flops;
    s.flops += op.flops;
    s.layers = std::max<std::uint64_t>(s.layers, std::uint64_t{op.layer} + 1);
  }
  return s;
}

}  // namespace tessera::workload

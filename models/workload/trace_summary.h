// The figures `tessera trace info` (and run summaries) print about a trace:
// sizes, reuse at the coarsest level, and the work per operator kind.
#pragma once

#include <array>
#include <cstdint>

#include "models/core/units.h"
#include "models/workload/trace.h"

namespace tessera::workload {

struct OpKindSummary {
  std::uint64_t ops = 0;     // operator instances of this kind
  std::uint64_t events = 0;  // accesses made by them
  Bytes bytes = 0;           // bytes those accesses move
  std::uint64_t flops = 0;   // their FLOPs
};

struct TraceSummary {
  std::uint64_t events = 0;
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t tensors = 0;           // rows in the tensor table
  std::uint64_t distinct_tensors = 0;  // tensors accessed at least once
  std::uint64_t ops = 0;
  std::uint64_t layers = 0;  // highest layer index + 1 (0 without ops)
  Bytes total_bytes = 0;     // sum of every event's bytes
  Bytes distinct_bytes = 0;  // sum of the sizes of the tensors accessed at least once
  std::uint64_t flops = 0;   // sum over ops (each op once, however many events it has)
  std::array<OpKindSummary, kOpKindCount> by_kind{};
};

TraceSummary summarize(const Trace& trace);

}  // namespace tessera::workload

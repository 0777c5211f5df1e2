// How a trace summary is shown: a table for people, JSON for scripts. Used
// by `tessera trace info` and by commands that print what they generated.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "models/workload/trace.h"
#include "models/workload/trace_summary.h"

namespace tessera::cli {

// Two tables: the totals, then one row per op kind present in the trace.
std::string trace_summary_text(const workload::Trace& trace, const workload::TraceSummary& s);

// {"model", "family", "seed", "events", ..., "op_kinds": {"gemm": {...}, ...}}
// in a fixed key order; op kinds absent from the trace are left out.
nlohmann::ordered_json trace_summary_json(const workload::Trace& trace,
                                          const workload::TraceSummary& s);

}  // namespace tessera::cli

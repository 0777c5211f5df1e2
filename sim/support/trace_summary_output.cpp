#include "sim/support/trace_summary_output.h"

#include <fmt/format.h>

#include "models/core/units.h"
#include "sim/support/table.h"

namespace tessera::cli {

using workload::OpKind;
using workload::OpKindSummary;

std::string trace_summary_text(const workload::Trace& trace, const workload::TraceSummary& s) {
  std::string out =
      fmt::format("model {} (family {}, seed {})\n\n", trace.model.empty() ? "-" : trace.model,
                  trace.family.empty() ? "-" : trace.family, trace.seed);
  Table totals({{"metric"}, {"value", Table::kRight}, {"note"}});
  totals.add_row({"events", Table::count(s.events), ""});
  totals.add_row({"  reads", Table::count(s.reads), ""});
  totals.add_row({"  writes", Table::count(s.writes), ""});
  totals.add_row({"tensors", Table::count(s.tensors), ""});
  totals.add_row({"distinct tensors", Table::count(s.distinct_tensors), "accessed at least once"});
  totals.add_row({"ops", Table::count(s.ops), ""});
  totals.add_row({"layers", Table::count(s.layers), "highest index + 1"});
  totals.add_row({"total bytes", Table::count(s.total_bytes), format_bytes(s.total_bytes)});
  totals.add_row(
      {"distinct bytes", Table::count(s.distinct_bytes), format_bytes(s.distinct_bytes)});
  totals.add_row({"flops", Table::count(s.flops), ""});
  out += totals.render();

  Table kinds({{"op kind"},
               {"ops", Table::kRight},
               {"events", Table::kRight},
               {"bytes", Table::kRight},
               {"flops", Table::kRight}});
  for (int k = 0; k < workload::kOpKindCount; ++k) {
    const OpKindSummary& row = s.by_kind[static_cast<std::size_t>(k)];
    if (row.ops == 0 && row.events == 0) continue;
    kinds.add_row({workload::op_kind_name(static_cast<OpKind>(k)), Table::count(row.ops),
                   Table::count(row.events), Table::count(row.bytes), Table::count(row.flops)});
  }
  out += "\n";
  out += kinds.render();
  return out;
}

nlohmann::ordered_json trace_summary_json(const workload::Trace& trace,
                                          const workload::TraceSummary& s) {
  nlohmann::ordered_json j;
  j["model"] = trace.model;
  j["family"] = trace.family;
  j["seed"] = trace.seed;
  j["events"] = s.events;
  j["reads"] = s.reads;
  j["writes"] = s.writes;
  j["tensors"] = s.tensors;
  j["distinct_tensors"] = s.distinct_tensors;
  j["ops"] = s.ops;
  j["layers"] = s.layers;
  j["total_bytes"] = s.total_bytes;
  j["distinct_bytes"] = s.distinct_bytes;
  j["flops"] = s.flops;
  nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
  for (int k = 0; k < workload::kOpKindCount; ++k) {
    const OpKindSummary& row = s.by_kind[static_cast<std::size_t>(k)];
    if (row.ops == 0 && row.events == 0) continue;
    kinds[workload::op_kind_name(static_cast<OpKind>(k))] = {
        {"ops", row.ops}, {"events", row.events}, {"bytes", row.bytes}, {"flops", row.flops}};
  }
  j["op_kinds"] = std::move(kinds);
  return j;
}

}  // namespace tessera::cli

// `tessera trace info TRACE [--json]`: what a trace holds (events, tensors,
// bytes, FLOPs, per op kind), as tables or as JSON.
#include <fmt/format.h>

#include <memory>

#include "models/workload/trace_io.h"
#include "models/workload/trace_summary.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/trace_summary_output.h"

namespace tessera::cli {
namespace {

struct TraceInfoOptions {
  std::string trace;
  bool json = false;
};

int run_trace_info(const TraceInfoOptions& opts, const GlobalOptions&) {
  const workload::Trace trace = workload::read_trace(opts.trace);
  const workload::TraceSummary summary = workload::summarize(trace);
  if (opts.json) {
    nlohmann::ordered_json j;
    j["file"] = opts.trace;
    j.update(trace_summary_json(trace, summary));
    print_json(j);
  } else {
    fmt::print("{}: {}", opts.trace, trace_summary_text(trace, summary));
  }
  return 0;
}

const CommandRegistrar registrar(
    {"trace", "info"}, "summarise a trace: events, tensors, bytes, FLOPs per op kind",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<TraceInfoOptions>();
      app.add_option("trace", opts->trace, "trace file (.tst, .csv or a legacy .csv)")->required();
      app.add_flag("--json", opts->json, "print JSON instead of tables");
      return [opts](const GlobalOptions& g) { return run_trace_info(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

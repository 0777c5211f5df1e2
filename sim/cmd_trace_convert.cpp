// `tessera trace convert IN OUT`: reads any trace format (binary, CSV, legacy
// CSV, sniffed) and writes the format OUT's extension names.
#include <fmt/format.h>

#include <memory>

#include "models/workload/trace_io.h"
#include "sim/command.h"
#include "sim/support/output_path.h"

namespace tessera::cli {
namespace {

struct TraceConvertOptions {
  std::string input;
  std::string output;
  bool legacy = false;
};

int run_trace_convert(const TraceConvertOptions& opts, const GlobalOptions& globals) {
  workload::TraceFormat format = workload::format_from_extension(opts.output);
  if (opts.legacy) format = workload::TraceFormat::kLegacyCsv;
  check_output_file("output", opts.output);
  const workload::Trace trace = workload::read_trace(opts.input);
  workload::write_trace(trace, opts.output, format);
  if (!globals.quiet) {
    fmt::print("{} -> {}: {} events, {} tensors, {} ops\n", opts.input, opts.output,
               trace.events.size(), trace.tensors.size(), trace.ops.size());
  }
  return 0;
}

const CommandRegistrar registrar(
    {"trace", "convert"}, "convert a trace between binary, CSV and legacy CSV",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<TraceConvertOptions>();
      app.add_option("input", opts->input, "trace to read (.tst, .csv or a legacy .csv)")
          ->required();
      app.add_option("output", opts->output, "trace to write: .tst, .csv or .legacy.csv")
          ->required();
      app.add_flag("--legacy", opts->legacy,
                   "write the prototype's CSV columns whatever the extension says");
      return [opts](const GlobalOptions& g) { return run_trace_convert(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

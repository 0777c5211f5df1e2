// `tessera trace gen EXPERIMENT.yaml -o OUT`: generates the experiment's
// workload trace and writes it in the format OUT's extension names (.tst
// binary, .csv, .legacy.csv). Also home of the `trace` group's description.
#include <fmt/format.h>

#include <memory>

#include "models/config/experiment_config.h"
#include "models/workload/generator.h"
#include "models/workload/trace_io.h"
#include "sim/command.h"
#include "sim/support/output_path.h"

namespace tessera::cli {
namespace {

struct TraceGenOptions {
  std::string experiment;
  std::string output;
  bool legacy = false;
};

const char* format_name(workload::TraceFormat format) {
  switch (format) {
    case workload::TraceFormat::kBinary:
      return "binary";
    case workload::TraceFormat::kCsv:
      return "CSV";
    case workload::TraceFormat::kLegacyCsv:
      return "legacy CSV";
  }
  return "?";
}

int run_trace_gen(const TraceGenOptions& opts, const GlobalOptions& globals) {
  // The output name is checked first: a typo costs nothing to report.
  workload::TraceFormat format = workload::format_from_extension(opts.output);
  if (opts.legacy) format = workload::TraceFormat::kLegacyCsv;
  check_output_file("-o", opts.output);
  const config::ExperimentConfig e = config::load_experiment(opts.experiment, globals.overrides);
  const workload::Trace trace = workload::generate_trace(e.workload);
  workload::write_trace(trace, opts.output, format);
  if (!globals.quiet) {
    fmt::print("{}: {} events, {} tensors, {} ops ({} trace of {})\n", opts.output,
               trace.events.size(), trace.tensors.size(), trace.ops.size(), format_name(format),
               trace.model.empty() ? e.name : trace.model);
  }
  return 0;
}

const GroupRegistrar group("trace", "generate, convert and inspect tensor-access traces");

const CommandRegistrar registrar(
    {"trace", "gen"}, "generate an experiment's workload trace",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<TraceGenOptions>();
      app.add_option("experiment", opts->experiment, "experiment YAML file")->required();
      app.add_option("-o,--output", opts->output,
                     "trace file to write: .tst (binary), .csv, or .legacy.csv (the prototype's "
                     "columns)")
          ->required()
          ->type_name("OUT");
      app.add_flag("--legacy", opts->legacy,
                   "write the prototype's CSV columns (tensor_id,size_mb,reuse_distance,stride,op,"
                   "model_type) whatever the extension says");
      return [opts](const GlobalOptions& g) { return run_trace_gen(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

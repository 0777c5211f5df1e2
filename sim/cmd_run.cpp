// `tessera run EXPERIMENT.yaml [-o OUTDIR] [--mode at|lt]`: the timed
// SystemC/TLM-2.0 run of the experiment's workload on its platform. Writes
// OUTDIR/result.json and OUTDIR/timeline.json (atomically) and prints a summary.
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "models/cache/plugin_loader.h"
#include "models/cache/policy.h"
#include "models/config/experiment_config.h"
#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "models/platform/result.h"
#include "models/tlm/platform_run.h"
#include "models/workload/generator.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/output_path.h"
#include "sim/support/progress.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

struct RunOptions {
  std::string experiment;
  std::string outdir;
  std::string mode = "at";
};

void print_summary(const nlohmann::ordered_json& result, const std::filesystem::path& outdir) {
  const auto& platform = result["platform"];
  fmt::print("timed run of '{}' on {} ({} mode): {} operators, {} tiles\n",
             result["experiment"].get<std::string>(), platform["name"].get<std::string>(),
             result["mode"].get<std::string>(), result["workload"]["operators"].get<std::size_t>(),
             platform["tiles"]["count"].get<std::uint32_t>());
  Table t({{"policy"},
           {"capacity"},
           {"cycles", Table::kRight},
           {"time ms", Table::kRight},
           {"util", Table::kRight},
           {"hit rate", Table::kRight},
           {"DRAM read", Table::kRight},
           {"DRAM GB/s", Table::kRight},
           {"energy mJ", Table::kRight},
           {"transactions", Table::kRight}});
  for (const auto& run : result["runs"]) {
    double util = 0;
    for (const auto& tile : run["tiles"]) util += tile["utilization"].get<double>();
    util /= std::max<std::size_t>(run["tiles"].size(), 1);
    double bw = 0;
    for (const auto& ch : run["dram"]["channels"]) bw += ch["bandwidth_gbps"].get<double>();
    t.add_row({run["policy"].get<std::string>(), format_bytes(run["capacity_bytes"].get<Bytes>()),
               Table::count(run["total_cycles"].get<std::uint64_t>()),
               Table::fixed(run["total_time_ms"].get<double>(), 3), Table::percent(util, 1),
               Table::percent(run["cache"]["hit_rate"].get<double>(), 1),
               format_bytes(run["dram"]["read_bytes"].get<Bytes>()), Table::fixed(bw, 2),
               Table::fixed(run["energy_pj"]["total"].get<double>() / 1e9, 3),
               Table::count(run["transactions"].get<std::uint64_t>())});
  }
  fmt::print("{}", t.render());
  fmt::print("simulated {} TLM transactions in {:.2f} s ({:.2f} M/s)\n",
             result["transactions"].get<std::uint64_t>(), result["wall_seconds"].get<double>(),
             result["transactions_per_second"].get<double>() / 1e6);
  for (const auto& run : result["runs"]) {
    if (run["checks"]["operators_below_roofline_bound"].get<std::uint64_t>() > 0) {
      fmt::print("WARNING: {} operators ran faster than the roofline bound (a simulator bug)\n",
                 run["checks"]["operators_below_roofline_bound"].get<std::uint64_t>());
    }
  }
  fmt::print("result:   {}\ntimeline: {} (open in https://ui.perfetto.dev)\n",
             (outdir / "result.json").string(), (outdir / "timeline.json").string());
}

int run_run(const RunOptions& opts, const GlobalOptions& globals) {
  const config::ExperimentConfig e = config::load_experiment(opts.experiment, globals.overrides);
  if (!e.platform) {
    throw InputError(opts.experiment +
                     ": platform: expected a platform (a file such as ../platforms/edge-npu.yaml, "
                     "or an inline map), found nothing");
  }
  const std::filesystem::path outdir = opts.outdir.empty()
                                           ? std::filesystem::path("results") / e.name
                                           : std::filesystem::path(opts.outdir);
  check_output_dir("-o", outdir);
  cache::load_policy_plugins(globals.policy_plugins);
  const config::PlatformCacheConfig& cache_config = e.platform->cache;
  for (std::size_t i = 0; i < cache_config.policies.size(); ++i) {
    cache::check_policy_name(cache_config.policies[i], cache_config.policy_marks[i]);
  }
  const workload::Trace trace = workload::generate_trace(e.workload);

  // The SystemC banner goes to stdout before the kernel starts otherwise.
  ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
  Progress progress("timed run", 0, !globals.quiet);
  tlm_platform::RunOptions run_opts;
  run_opts.lt_modes = {opts.mode == "lt"};
  run_opts.seed = e.seed;
  run_opts.progress = [&progress](std::uint64_t done, std::uint64_t) { progress.update(done); };
  const auto start = std::chrono::steady_clock::now();
  std::vector<platform::TimedRun> runs = tlm_platform::run_timed(trace, *e.platform, run_opts);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.finish();

  platform::RunContext ctx;
  ctx.experiment = e.name;
  ctx.mode = opts.mode;
  ctx.trace = &trace;
  ctx.platform = &*e.platform;
  nlohmann::ordered_json result = platform::result_json(ctx, runs);
  std::uint64_t transactions = 0;
  for (const auto& run : runs) transactions += run.record.transactions;
  result["transactions"] = transactions;
  result["wall_seconds"] = wall;
  result["transactions_per_second"] = wall > 0 ? static_cast<double>(transactions) / wall : 0.0;
  // Both or neither: a failure while writing must not leave a timeline without its result.
  write_files_atomically({{outdir / "timeline.json", json_text(platform::timeline_json(ctx, runs))},
                          {outdir / "result.json", json_text(result)}});
  if (!globals.quiet) print_summary(result, outdir);
  return kExitOk;
}

const CommandRegistrar registrar(
    {"run"}, "timed SystemC/TLM-2.0 run of an experiment on its platform",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<RunOptions>();
      app.add_option("experiment", opts->experiment, "experiment YAML file (with a platform:)")
          ->required()
          ->check(CLI::ExistingFile);
      app.add_option("-o,--output", opts->outdir,
                     "output directory for result.json and timeline.json (default results/NAME)");
      app.add_option("--mode", opts->mode,
                     "at: approximately-timed 4-phase protocol (default); lt: loosely-timed "
                     "b_transport with a quantum keeper (faster, approximate)")
          ->check(CLI::IsMember({"at", "lt"}));
      return [opts](const GlobalOptions& g) { return run_run(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

// libsystemc.so's own main() calls sc_main, so a program linking SystemC must
// define one. `tessera` has its own main() (sim/main.cpp), which wins; should
// SystemC's ever run instead, it runs the same command line.
extern "C" int sc_main(int argc, char** argv) {
  return tessera::cli::run_cli(argc, argv);
}

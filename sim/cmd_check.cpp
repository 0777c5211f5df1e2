// `tessera check FILE.yaml`: parse a config strictly and report the first
// problem, without running anything.
#include <fmt/format.h>

#include <memory>

#include "models/config/experiment_config.h"
#include "sim/command.h"

namespace tessera::cli {
namespace {

struct CheckOptions {
  std::string file;
};

int run_check(const CheckOptions& opts, const GlobalOptions& globals) {
  const config::ExperimentConfig e = config::load_experiment(opts.file, globals.overrides);
  fmt::print("{}: ok (experiment '{}', workload family {}, seed {})\n", opts.file, e.name,
             e.workload.family, e.seed);
  return 0;
}

const CommandRegistrar registrar({"check"}, "validate an experiment file without running it",
                                 [](CLI::App& app) -> CommandAction {
                                   auto opts = std::make_shared<CheckOptions>();
                                   app.add_option("file", opts->file, "experiment YAML file")
                                       ->required()
                                       ->check(CLI::ExistingFile);
                                   return [opts](const GlobalOptions& g) {
                                     return run_check(*opts, g);
                                   };
                                 });

}  // namespace
}  // namespace tessera::cli

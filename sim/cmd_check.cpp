// `tessera check FILE.yaml`: parse a config strictly and report the first
// problem, without running anything.
#include <fmt/format.h>

#include <memory>

#include "models/config/experiment_config.h"
#include "models/config/platform_config.h"
#include "sim/command.h"

namespace tessera::cli {
namespace {

struct CheckOptions {
  std::string file;
};

int run_check(const CheckOptions& opts, const GlobalOptions& globals) {
  if (config::looks_like_platform(opts.file)) {
    const config::PlatformConfig p = config::load_platform(opts.file, globals.overrides);
    fmt::print("{}: ok (platform '{}', {} {} tiles, {} cache, {} DRAM)\n", opts.file, p.name,
               p.tiles.count, config::tile_kind_name(p.tiles.kind),
               format_bytes(p.cache.capacities_bytes.front()), p.dram.preset);
    return 0;
  }
  const config::ExperimentConfig e = config::load_experiment(opts.file, globals.overrides);
  fmt::print("{}: ok (experiment '{}', workload family {}, seed {})\n", opts.file, e.name,
             e.workload.family, e.seed);
  return 0;
}

const CommandRegistrar registrar({"check"},
                                 "validate an experiment or platform file without running it",
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

// `tessera check FILE.yaml`: parse a config strictly and report the first
// problem, without running anything.
#include <fmt/format.h>

#include <memory>

#include "models/cache/plugin_loader.h"
#include "models/cache/policy.h"
#include "models/config/experiment_config.h"
#include "models/config/platform_config.h"
#include "sim/command.h"

namespace tessera::cli {
namespace {

struct CheckOptions {
  std::string file;
};

// Policy names are registered at run time (built-ins and --policy-plugin
// libraries), so the config parser cannot check them; check does, as replay
// and run would.
void check_policies(const std::vector<std::string>& names, const std::vector<std::string>& marks) {
  for (std::size_t i = 0; i < names.size(); ++i) cache::check_policy_name(names[i], marks[i]);
}

int run_check(const CheckOptions& opts, const GlobalOptions& globals) {
  cache::load_policy_plugins(globals.policy_plugins);
  if (config::looks_like_platform(opts.file)) {
    const config::PlatformConfig p = config::load_platform(opts.file, globals.overrides);
    check_policies(p.cache.policies, p.cache.policy_marks);
    fmt::print("{}: ok (platform '{}', {} {} tiles, {} cache, {} DRAM)\n", opts.file, p.name,
               p.tiles.count, config::tile_kind_name(p.tiles.kind),
               format_bytes(p.cache.capacities_bytes.front()), p.dram.preset);
    return 0;
  }
  const config::ExperimentConfig e = config::load_experiment(opts.file, globals.overrides);
  check_policies(e.replay.policies, e.replay.policy_marks);
  if (e.platform) check_policies(e.platform->cache.policies, e.platform->cache.policy_marks);
  fmt::print("{}: ok (experiment '{}', workload family {}, seed {})\n", opts.file, e.name,
             e.workload.family, e.seed);
  return 0;
}

const CommandRegistrar registrar({"check"},
                                 "validate an experiment or platform file without running it",
                                 [](CLI::App& app) -> CommandAction {
                                   auto opts = std::make_shared<CheckOptions>();
                                   app.add_option("file", opts->file,
                                                  "experiment or platform YAML file")
                                       ->required()
                                       ->check(CLI::ExistingFile);
                                   return [opts](const GlobalOptions& g) {
                                     return run_check(*opts, g);
                                   };
                                 });

}  // namespace
}  // namespace tessera::cli

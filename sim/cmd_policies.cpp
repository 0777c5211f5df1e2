// `tessera policies`: every registered eviction policy with a one-line
// description, built-ins first, then those loaded with --policy-plugin.
#include <fmt/format.h>

#include <memory>

#include "models/cache/plugin_loader.h"
#include "models/cache/policy.h"
#include "sim/command.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

int run_policies(const GlobalOptions& globals) {
  cache::load_policy_plugins(globals.policy_plugins);
  Table table({{"policy"}, {"source"}, {"description"}});
  for (const auto* entry : cache::PolicyRegistry::instance().entries()) {
    if (cache::plugin_of_policy(entry->name).empty()) {
      table.add_row({entry->name, "built-in", entry->description});
    }
  }
  for (const auto* entry : cache::PolicyRegistry::instance().entries()) {
    const std::string plugin = cache::plugin_of_policy(entry->name);
    if (!plugin.empty()) table.add_row({entry->name, plugin, entry->description});
  }
  fmt::print("{}", table.render());
  return 0;
}

const CommandRegistrar registrar({"policies"},
                                 "list the eviction policies (built-in and from --policy-plugin)",
                                 [](CLI::App&) -> CommandAction {
                                   return [](const GlobalOptions& g) { return run_policies(g); };
                                 });

}  // namespace
}  // namespace tessera::cli

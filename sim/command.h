// Subcommands register themselves from their own file (sim/cmd_*.cpp), so
// adding a command touches no shared list:
//
//   static CommandRegistrar reg({"trace", "gen"}, "generate a trace", [](CLI::App& app) {
//     auto opts = std::make_shared<Options>();
//     app.add_option("experiment", opts->experiment)->required();
//     return [opts](const GlobalOptions& g) { return run(*opts, g); };
//   });
//
// A group ({"trace"}) gets its description from register_group().
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace tessera::cli {

// Options every subcommand understands (given before or after the subcommand).
struct GlobalOptions {
  std::vector<std::string> overrides;       // --set key.path=value
  std::vector<std::string> policy_plugins;  // --policy-plugin lib.so
  bool quiet = false;                       // --quiet: no progress bars, no summaries
};

// Returns the process exit code. May throw tessera::InputError (exit 2) or
// tessera::RuntimeError (exit 1); main turns them into one line on stderr.
using CommandAction = std::function<int(const GlobalOptions&)>;
using CommandSetup = std::function<CommandAction(CLI::App&)>;

struct CommandSpec {
  std::vector<std::string> path;  // {"trace", "gen"}
  std::string description;
  CommandSetup setup;
};

std::vector<CommandSpec>& command_specs();
std::vector<std::pair<std::string, std::string>>& command_groups();

struct CommandRegistrar {
  CommandRegistrar(std::vector<std::string> path, std::string description, CommandSetup setup) {
    command_specs().push_back({std::move(path), std::move(description), std::move(setup)});
  }
};
struct GroupRegistrar {
  GroupRegistrar(std::string name, std::string description) {
    command_groups().emplace_back(std::move(name), std::move(description));
  }
};

// Runs the whole command line; what main() and the in-process tests call.
int run_cli(int argc, char** argv);

}  // namespace tessera::cli

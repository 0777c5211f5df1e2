#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "models/core/error.h"
#include "models/core/suggest.h"
#include "models/core/version.h"
#include "sim/command.h"

namespace tessera::cli {

std::vector<CommandSpec>& command_specs() {
  static std::vector<CommandSpec> specs;
  return specs;
}

std::vector<std::pair<std::string, std::string>>& command_groups() {
  static std::vector<std::pair<std::string, std::string>> groups;
  return groups;
}

namespace {

std::string group_description(const std::string& name) {
  for (const auto& [group, description] : command_groups()) {
    if (group == name) return description;
  }
  return name + " commands";
}

struct UnknownCommand {
  std::string words;               // "trace gne": the command line up to the bad word
  std::vector<std::string> known;  // the commands that could stand there
  std::string group = "commands";  // "commands" or "trace commands"
};

// The first word of the command line that should name a command (or a
// group's subcommand) but names none ("tessera frobnicate", "tessera trace
// gne"); words empty when there is none. CLI11 alone would only say that a
// subcommand is required.
UnknownCommand unknown_command(CLI::App& app, int argc, char** argv) {
  UnknownCommand out;
  CLI::App* level = &app;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--set" || word == "--policy-plugin") {
      ++i;  // skip the option's value
      continue;
    }
    if (word.empty() || word[0] == '-') continue;
    CLI::App* match = nullptr;
    for (CLI::App* sub : level->get_subcommands({})) {
      if (sub->get_name() == word) match = sub;
    }
    path += (path.empty() ? "" : " ") + word;
    if (match == nullptr) {
      out.words = path;
      for (const CLI::App* sub : level->get_subcommands({})) out.known.push_back(sub->get_name());
      if (level != &app) out.group = level->get_name() + " commands";
      return out;
    }
    // A command (no subcommands) takes the rest as its own arguments.
    if (match->get_subcommands({}).empty()) return out;
    level = match;
  }
  return out;
}

// Unsigned options reject what CLI11 2.1 would read wrongly: strtoull wraps
// "-5" to 18446744073709551611 (`tessera dram --requests -5` ran for ever)
// and base 0 reads "010" as 8. Only plain decimal digits are a count, and
// leading zeros are dropped before CLI11 converts it.
void require_plain_counts(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    if (opt->get_type_name() != "UINT") continue;
    // transform, not check: a check's validator may not change the text.
    opt->transform(CLI::Validator(
        [](std::string& text) -> std::string {
          if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
            text.erase(0, std::min(text.find_first_not_of('0'), text.size() - 1));
            return "";
          }
          return "expected a whole number >= 0, found '" + text + "'";
        },
        ""));
  }
  for (CLI::App* sub : app.get_subcommands({})) require_plain_counts(*sub);
}

int run_parsed(int argc, char** argv) {
  CLI::App app{"Tessera: discrete-event simulation of ML-accelerator memory hierarchies",
               "tessera"};
  app.set_version_flag("--version", std::string("tessera ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();

  GlobalOptions globals;
  app.add_option("--set", globals.overrides,
                 "override a config key: --set key.path=value (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  app.add_option("--policy-plugin", globals.policy_plugins,
                 "load eviction policies from a shared library (repeatable)")
      ->type_name("LIB.so")
      ->allow_extra_args(false);
  app.add_flag("-q,--quiet", globals.quiet, "no progress bars or summary lines");

  // Build the subcommand tree from the registrations, sorted for stable --help.
  auto specs = command_specs();
  std::sort(specs.begin(), specs.end(),
            [](const CommandSpec& a, const CommandSpec& b) { return a.path < b.path; });
  std::map<std::string, CLI::App*> groups;
  std::vector<std::pair<CLI::App*, CommandAction>> actions;
  for (const CommandSpec& spec : specs) {
    CLI::App* parent = &app;
    std::string key;
    for (std::size_t i = 0; i + 1 < spec.path.size(); ++i) {
      key += "/" + spec.path[i];
      auto it = groups.find(key);
      if (it == groups.end()) {
        CLI::App* group = parent->add_subcommand(spec.path[i], group_description(spec.path[i]));
        group->require_subcommand(1);
        group->fallthrough();
        it = groups.emplace(key, group).first;
      }
      parent = it->second;
    }
    CLI::App* sub = parent->add_subcommand(spec.path.back(), spec.description);
    sub->fallthrough();
    actions.emplace_back(sub, spec.setup(*sub));
  }
  require_plain_counts(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line naming what was wrong, then where to look; always exit code 2.
    const UnknownCommand unknown = unknown_command(app, argc, argv);
    if (!unknown.words.empty()) {
      std::string known;
      for (const std::string& name : unknown.known) known += (known.empty() ? "" : ", ") + name;
      const std::string word = unknown.words.substr(unknown.words.rfind(' ') + 1);
      std::cerr << "tessera: unknown command '" << unknown.words << "'; " << unknown.group << ": "
                << known << did_you_mean(word, unknown.known) << "\nRun with --help for usage.\n";
    } else {
      std::cerr << "tessera: " << e.what() << "\nRun with --help for usage.\n";
    }
    return kExitInput;
  }
  for (auto& [sub, action] : actions) {
    if (sub->parsed()) return action(globals);
  }
  std::cerr << "tessera: no command given\nRun with --help for usage.\n";
  return kExitInput;
}

}  // namespace

int run_cli(int argc, char** argv) {
  // No exception ever reaches the user: each kind maps to one line and an exit code.
  try {
    return run_parsed(argc, argv);
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInput;
  } catch (const RuntimeError& e) {
    std::cerr << "tessera: " << e.what() << "\n";
    return kExitRuntime;
  } catch (const std::bad_alloc&) {
    std::cerr << "tessera: out of memory\n";
    return kExitRuntime;
  } catch (const std::exception& e) {
    std::cerr << "tessera: internal error: " << e.what() << "\n";
    return kExitRuntime;
  }
}

}  // namespace tessera::cli

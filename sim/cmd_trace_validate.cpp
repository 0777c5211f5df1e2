// `tessera trace validate TRACE --against REF [--json]`: statistical tests
// of a trace against another trace or a named reuse-distance distribution.
// Exit code 0 when every test passes, 1 when one fails, 2 on bad input.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/analysis/validation.h"
#include "models/core/error.h"
#include "models/workload/trace_io.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

struct ValidateCmdOptions {
  std::string trace;
  std::string against;
  bool json = false;
  analysis::ValidationOptions thresholds;
};

std::string general(double v) {
  return fmt::format("{:.6g}", v);
}

int run_validate(const ValidateCmdOptions& opts, const GlobalOptions& /*globals*/) {
  const auto& th = opts.thresholds;
  if (!(th.max_ks_d >= 0.0 && th.max_ks_d <= 1.0)) {
    throw InputError(fmt::format("--max-ks-d: expected a number in [0, 1], found {}", th.max_ks_d));
  }
  if (!(th.max_effect >= 0.0)) {
    throw InputError(fmt::format("--max-effect: expected a number >= 0, found {}", th.max_effect));
  }
  if (!(th.alpha >= 0.0 && th.alpha <= 1.0)) {
    throw InputError(fmt::format("--alpha: expected a number in [0, 1], found {}", th.alpha));
  }
  analysis::NamedReference named;
  const bool is_named = analysis::parse_named_reference(opts.against, named);
  if (!is_named && !std::filesystem::is_regular_file(opts.against)) {
    throw InputError(
        "--against: expected a trace file or a distribution (uniform, zipf:S), "
        "found '" +
        opts.against + "'");
  }
  const workload::Trace trace = workload::read_trace(opts.trace);
  std::vector<analysis::TestOutcome> results;
  if (is_named) {
    results = analysis::validate_against_distribution(trace, named, th);
  } else {
    const workload::Trace reference = workload::read_trace(opts.against);
    results = analysis::validate_against_trace(trace, reference, th);
  }
  bool all_pass = true;
  for (const auto& r : results) all_pass = all_pass && r.pass;

  if (opts.json) {
    nlohmann::ordered_json j;
    j["trace"] = opts.trace;
    j["against"] = opts.against;
    j["thresholds"] = {
        {"max_ks_d", th.max_ks_d}, {"max_effect", th.max_effect}, {"alpha", th.alpha}};
    auto tests = nlohmann::ordered_json::array();
    for (const auto& r : results) {
      nlohmann::ordered_json t;
      t["name"] = r.name;
      t["measure"] = r.measure;
      t["test"] = r.test;
      t["method"] = r.method;
      t["statistic"] = r.statistic;
      if (r.test == "chi_square") {
        t["dof"] = r.dof;
        t["bins"] = r.bins;
      }
      t["p_value"] = r.p_value;
      t["effect_size"] = {{"name", r.effect_name}, {"value", r.effect}, {"threshold", r.threshold}};
      t["n"] = r.n;
      t["m"] = r.m;
      t["verdict"] = r.pass ? "pass" : "fail";
      tests.push_back(std::move(t));
    }
    j["tests"] = std::move(tests);
    j["verdict"] = all_pass ? "pass" : "fail";
    print_json(j);
  } else {
    fmt::print("trace {} against {}\n\n", opts.trace, opts.against);
    Table t({{"test"},
             {"statistic", Table::kRight},
             {"dof", Table::kRight},
             {"p-value", Table::kRight},
             {"effect", Table::kRight},
             {"threshold", Table::kRight},
             {"verdict"}});
    for (const auto& r : results) {
      t.add_row({r.name, general(r.statistic),
                 r.test == "chi_square" ? std::to_string(r.dof) : std::string("-"),
                 general(r.p_value), r.effect_name + " " + Table::fixed(r.effect, 4),
                 Table::fixed(r.threshold, 4), r.pass ? "pass" : "FAIL"});
    }
    std::fputs(t.render().c_str(), stdout);
    fmt::print("\n{}: a test fails when its effect size exceeds the threshold and p < {}\n",
               all_pass ? "all tests pass" : "some tests FAIL", th.alpha);
  }
  return all_pass ? kExitOk : kExitRuntime;
}

const CommandRegistrar registrar(
    {"trace", "validate"},
    "test a trace against another trace or a named reuse-distance distribution (KS, chi-square)",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<ValidateCmdOptions>();
      app.add_option("trace", opts->trace, "trace file (.tst or .csv)")
          ->required()
          ->check(CLI::ExistingFile);
      app.add_option("--against", opts->against,
                     "reference: a trace file, 'uniform' or 'zipf:S' (reuse distances)")
          ->required()
          ->type_name("REF");
      app.add_flag("--json", opts->json, "print JSON instead of a table");
      app.add_option("--max-ks-d", opts->thresholds.max_ks_d, "largest KS statistic D that passes")
          ->capture_default_str();
      app.add_option("--max-effect", opts->thresholds.max_effect,
                     "largest chi-square effect size (Cramer's V / Cohen's w) that passes")
          ->capture_default_str();
      app.add_option("--alpha", opts->thresholds.alpha,
                     "a difference with p >= alpha is not significant and passes")
          ->capture_default_str();
      return [opts](const GlobalOptions& g) { return run_validate(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

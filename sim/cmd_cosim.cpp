// `tessera cosim EXPERIMENT.yaml [-o OUTDIR] [--json]`: runs the experiment's `cosim:`
// workload (rows dot products of length k, seeded data or a binary input file) on the
// Verilated 16-lane E4M3 dot unit (rtl::DotEngine), fed by a memory stream of the
// configured bandwidth, and reports
//   - cycles measured against the unit's roofline (compute: one 16-lane beat per cycle;
//     memory: 32 operand bytes per beat at bandwidth / clock bytes per cycle),
//   - that the RTL results equal the bit-accurate C++ model's,
//   - the numerical error of the RTL and of each configured accumulation method (the unit's
//     C++ model with that method and sequential reduction) against the exact result (MPFR).
// OUTDIR/result.json holds the same figures (deterministic: no wall-clock times).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "models/config/experiment_config.h"
#include "models/core/error.h"
#include "models/numerics/accuracy.h"
#include "models/numerics/dot_model.h"
#include "models/numerics/fp_arith.h"
#include "models/numerics/mpfr_ref.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/table.h"
#ifdef TESSERA_HAVE_RTL
#include "rtl/engine/dot_engine.h"
#endif

namespace tessera::cli {
namespace {

struct CosimOptions {
  std::string file;
  std::string out_dir;
  bool json = false;
};

#ifdef TESSERA_HAVE_RTL

using numerics::FpFormat;

// Operands: `rows * k` bytes of A then `rows * k` bytes of B (one E4M3 value per byte).
void read_input(const std::string& path, std::size_t n, std::vector<std::uint64_t>& a,
                std::vector<std::uint64_t>& b) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the cosim input file", path));
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() != 2 * n) {
    throw InputError(fmt::format(
        "{}: byte 0: expected {} bytes (rows * k E4M3 values of A, then of B), found {}", path,
        2 * n, bytes.size()));
  }
  a.resize(n);
  b.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = static_cast<unsigned char>(bytes[i]);
    b[i] = static_cast<unsigned char>(bytes[n + i]);
  }
}

int run_cosim(const CosimOptions& opts, const GlobalOptions& globals) {
  const config::ExperimentConfig e = config::load_experiment(opts.file, globals.overrides);
  if (!e.cosim.present) {
    throw InputError(
        fmt::format("{}: cosim: expected a cosim section (rows, k, distribution, methods, ...), "
                    "found nothing",
                    opts.file));
  }
  const config::CosimConfig& c = e.cosim;
  const rtl::DotUnitInfo unit = rtl::DotEngine::info();
  const FpFormat f = unit.format;
  const std::size_t rows = c.rows, k = c.k, n = rows * k;
  const auto dist = numerics::parse_distribution(c.distribution, c.source);
  std::vector<std::uint64_t> a, b;
  if (!c.input_file.empty()) {
    read_input(c.input_file, n, a, b);
  } else {
    a = numerics::draw_values(f, dist, n, e.seed);
    b = numerics::draw_dot_b(f, dist, n, e.seed);
  }

  // The RTL run.
  rtl::DotEngine engine;
  std::vector<std::uint64_t> results(rows);
  const double bytes_per_cycle = c.bandwidth_bytes_per_s / static_cast<double>(c.clock_hz);
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t cycles =
      engine.run(a.data(), b.data(), k, rows, results.data(), bytes_per_cycle);
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // The bit-accurate model of the same configuration must agree everywhere.
  numerics::DotModel model(f, unit.lanes, unit.reduce, unit.method);
  std::uint64_t mismatches = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (model.dot(a.data() + r * k, b.data() + r * k, k) != results[r]) ++mismatches;
  }

  // Roofline of the unit.
  const std::uint64_t beats = rows * ((k + unit.lanes - 1) / unit.lanes);
  const std::uint64_t compute_cycles = beats;
  const auto memory_cycles = static_cast<std::uint64_t>(
      std::ceil(static_cast<double>(beats) * 2.0 * unit.lanes / bytes_per_cycle));
  const std::uint64_t bound = std::max(compute_cycles, memory_cycles);
  const std::uint64_t latency = static_cast<std::uint64_t>(unit.mul_latency_cycles) + 2;

  // Numerical error per method against the exact dot products.
  std::vector<numerics::AccumMethod> methods;
  for (const auto& m : c.methods) methods.push_back(numerics::parse_method(m, c.source));
  std::vector<numerics::DotModel> models;
  // Methods are compared with sequential reduction (lane order): under the tree, each
  // beat's rounded sum dominates and every method would show the same error.
  for (auto m : methods) models.emplace_back(f, unit.lanes, numerics::DotReduce::kSequential, m);
  std::vector<numerics::AccuracyRow> acc(methods.size());
  numerics::AccuracyRow rtl_row;
  numerics::ExactSum exact(f);
  auto record = [](numerics::AccuracyRow& row, const numerics::ErrorFigures& err) {
    ++row.trials;
    if (!std::isfinite(err.rel) || !std::isfinite(err.ulps)) {
      ++row.non_finite;
      return;
    }
    row.max_rel = std::max(row.max_rel, err.rel);
    row.max_ulps = std::max(row.max_ulps, err.ulps);
    row.mean_rel += err.rel;
    row.mean_ulps += err.ulps;
  };
  for (std::size_t r = 0; r < rows; ++r) {
    exact.clear();
    for (std::size_t i = 0; i < k; ++i) exact.add_product(a[r * k + i], b[r * k + i]);
    record(rtl_row, exact.error_of(results[r]));
    for (std::size_t m = 0; m < methods.size(); ++m) {
      record(acc[m], exact.error_of(models[m].dot(a.data() + r * k, b.data() + r * k, k)));
    }
  }
  auto mean = [](const numerics::AccuracyRow& row, double sum) {
    const int finite = row.trials - row.non_finite;
    return finite > 0 ? sum / finite : 0.0;
  };

  nlohmann::ordered_json j;
  j["schema"] = "tessera.cosim/1";
  j["experiment"] = e.name;
  j["unit"] = {{"kind", c.unit},
               {"format", f.name()},
               {"lanes", unit.lanes},
               {"reduce", unit.reduce == numerics::DotReduce::kTree ? "tree" : "sequential"},
               {"method", numerics::method_name(unit.method)},
               {"latency_cycles", latency}};
  j["workload"] = {{"rows", rows},
                   {"k", k},
                   {"distribution", c.input_file.empty() ? c.distribution : "file"},
                   {"seed", e.seed},
                   {"clock_hz", c.clock_hz},
                   {"bandwidth_bytes_per_s", c.bandwidth_bytes_per_s}};
  j["cycles"] = {{"measured", cycles},
                 {"compute_bound", compute_cycles},
                 {"memory_bound", memory_cycles},
                 {"bottleneck", memory_cycles > compute_cycles ? "memory" : "compute"},
                 {"roofline_estimate", bound + latency},
                 {"ratio_to_bound", static_cast<double>(cycles) / static_cast<double>(bound)},
                 {"below_bound", cycles < bound}};
  j["rtl_model_mismatches"] = mismatches;
  auto row_json = [&](const std::string& name, const numerics::AccuracyRow& row) {
    return nlohmann::ordered_json{{"method", name},
                                  {"max_rel", row.max_rel},
                                  {"mean_rel", mean(row, row.mean_rel)},
                                  {"max_ulps", row.max_ulps},
                                  {"mean_ulps", mean(row, row.mean_ulps)},
                                  {"non_finite", row.non_finite}};
  };
  j["accuracy"] = nlohmann::ordered_json::array();
  j["accuracy"].push_back(row_json("rtl", rtl_row));
  for (std::size_t m = 0; m < methods.size(); ++m) {
    j["accuracy"].push_back(row_json(numerics::method_name(methods[m]), acc[m]));
  }
  if (!opts.out_dir.empty()) {
    write_json(std::filesystem::path(opts.out_dir) / "result.json", j);
  }
  if (opts.json) {
    print_json(j);
  } else if (!globals.quiet) {
    fmt::print("cosim {}: {} dot products of length {} on the RTL {} x{} dot unit ({})\n", e.name,
               rows, k, f.name(), unit.lanes, numerics::method_name(unit.method));
    fmt::print(
        "cycles: measured {}, roofline bound {} ({}-bound; compute {}, memory {}), "
        "ratio {:.3f}\n",
        cycles, bound, memory_cycles > compute_cycles ? "memory" : "compute", compute_cycles,
        memory_cycles, static_cast<double>(cycles) / static_cast<double>(bound));
    fmt::print("RTL vs bit-accurate model: {} mismatches; simulated {:.2f} M cycles/s\n",
               mismatches, wall_s > 0 ? static_cast<double>(cycles) / wall_s / 1e6 : 0.0);
    Table t({{"method"},
             {"max rel", Table::kRight},
             {"mean rel", Table::kRight},
             {"max ulps", Table::kRight},
             {"mean ulps", Table::kRight},
             {"non-finite", Table::kRight}});
    auto add = [&](const std::string& name, const numerics::AccuracyRow& row) {
      t.add_row({name, fmt::format("{:.3g}", row.max_rel),
                 fmt::format("{:.3g}", mean(row, row.mean_rel)),
                 fmt::format("{:.3g}", row.max_ulps),
                 fmt::format("{:.3g}", mean(row, row.mean_ulps)), Table::count(row.non_finite)});
    };
    add("rtl", rtl_row);
    for (std::size_t m = 0; m < methods.size(); ++m) add(numerics::method_name(methods[m]), acc[m]);
    fmt::print("{}", t.render());
    if (!opts.out_dir.empty()) fmt::print("result: {}/result.json\n", opts.out_dir);
  }
  if (mismatches != 0) {
    throw RuntimeError(
        fmt::format("cosim: the RTL and its bit-accurate model disagree on {} of {} "
                    "dot products",
                    mismatches, rows));
  }
  return 0;
}

#else

int run_cosim(const CosimOptions&, const GlobalOptions&) {
  throw RuntimeError(
      "cosim: this tessera was built without the RTL (configure with -DTESSERA_BUILD_RTL=ON)");
}

#endif

const CommandRegistrar registrar(
    {"cosim"},
    "run a dot-product workload on the Verilated RTL dot unit: cycles vs roofline, "
    "numerical error per accumulation method",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<CosimOptions>();
      app.add_option("experiment", opts->file, "experiment YAML file with a cosim: section")
          ->required()
          ->check(CLI::ExistingFile);
      app.add_option("-o,--out", opts->out_dir, "write OUTDIR/result.json");
      app.add_flag("--json", opts->json, "print the result as JSON");
      return [opts](const GlobalOptions& g) { return run_cosim(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

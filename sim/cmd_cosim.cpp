// `tessera cosim EXPERIMENT.yaml [-o OUTDIR] [--json] [--waves [--waves-format fst|vcd]]`:
// runs the experiment's `cosim:` workload on a Verilated unit. `unit: attention` runs in
// sim/cmd_cosim_attention.cpp; this file holds the command and the dot unit's run: rows dot
// products of length k (seeded data or a binary input file) on the Verilated 16-lane E4M3
// dot unit, by one of two memory paths:
//   - the experiment has a `platform:` whose tiles are `kind: rtl-dot`: the timed
//     platform with RtlDotTile tiles (the unit as a SystemC module behind a TLM adapter),
//     operands read through the platform's interconnect, shared cache and DRAM, results
//     written back (rtl/engine/platform_cosim.h); `--waves` writes tile 0's FST or VCD;
//   - otherwise: rtl::DotEngine (the --cc model) fed by an ideal stream of
//     `bandwidth_gbps` at `clock`.
// It reports
//   - cycles measured against the unit's roofline (compute: one 16-lane beat per cycle
//     per tile; memory: the operand and result bytes at the memory's bandwidth),
//   - that the RTL results equal the bit-accurate C++ model's,
//   - the numerical error of the RTL and of each configured accumulation method (the unit's
//     C++ model with that method and sequential reduction) against the exact result (MPFR).
// OUTDIR/result.json holds the same figures (deterministic: no wall-clock times).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "models/core/error.h"
#include "sim/cmd_cosim.h"
#ifdef TESSERA_HAVE_RTL
#include "models/config/experiment_config.h"
#include "models/numerics/accuracy.h"
#include "models/numerics/dot_model.h"
#include "models/numerics/mpfr_ref.h"
#include "rtl/engine/dot_engine.h"
#include "rtl/engine/platform_cosim.h"
#include "sim/cmd_cosim_input.h"
#include "sim/support/json_output.h"
#endif

namespace tessera::cli {
namespace {

#ifdef TESSERA_HAVE_RTL

using numerics::FpFormat;

int run_cosim(const CosimOptions& opts, const GlobalOptions& globals) {
  const config::ExperimentConfig e = config::load_experiment(opts.file, globals.overrides);
  if (!e.cosim.present) {
    throw InputError(
        fmt::format("{}: cosim: expected a cosim section (rows, k, distribution, methods, ...), "
                    "found nothing",
                    opts.file));
  }
  if (e.cosim.unit == "attention") return run_attention_cosim(opts, globals, e);
  const config::CosimConfig& c = e.cosim;
  const rtl::DotUnitInfo unit = rtl::DotEngine::info();
  const FpFormat f = unit.format;
  const std::size_t rows = c.rows, k = c.k, n = rows * k;
  const auto dist = numerics::parse_distribution(c.distribution, c.where("distribution"));
  std::vector<std::uint64_t> a, b;
  if (!c.input_file.empty()) {
    read_dot_input(c.input_file, n, a, b);
  } else {
    a = numerics::draw_values(f, dist, n, e.seed);
    b = numerics::draw_dot_b(f, dist, n, e.seed);
  }

  // The RTL run, on the platform or on the ideal stream.
  const bool on_platform = e.platform.has_value();
  if (on_platform && e.platform->tiles.kind != config::TileKind::kRtlDot) {
    throw InputError(fmt::format(
        "{}: platform.tiles.kind: expected rtl-dot (tessera cosim runs the RTL dot unit as "
        "the tiles' engine for cosim.unit dot), found {}",
        opts.file, config::tile_kind_name(e.platform->tiles.kind)));
  }
  if (on_platform && e.platform->tiles.lanes != static_cast<std::uint32_t>(unit.lanes)) {
    throw InputError(
        fmt::format("{}: platform.tiles.lanes: expected {} (the Verilated rtl-dot unit), found {}",
                    opts.file, unit.lanes, e.platform->tiles.lanes));
  }
  if (opts.waves && !on_platform) {
    throw InputError(fmt::format(
        "{}: --waves: expected a platform: with tiles of kind rtl-dot (waves come from the "
        "SystemC model of the unit), found no platform",
        opts.file));
  }
  const WavesOutput waves = waves_output(opts);
  std::vector<std::uint64_t> results(rows);
  std::uint64_t cycles = 0, compute_cycles = 0, memory_cycles = 0;
  double cpu_s = 0;
  Hertz clock_hz = c.clock_hz;
  double bandwidth = c.bandwidth_bytes_per_s;
  const std::uint64_t beats_per_row = (k + unit.lanes - 1) / unit.lanes;
  const std::uint64_t beats = rows * beats_per_row;
  rtl::PlatformCosimResult prun;
  if (on_platform) {
    const config::PlatformConfig& p = *e.platform;
    rtl::PlatformCosimRequest req;
    req.platform = &p;
    req.a = a.data();
    req.b = b.data();
    req.rows = rows;
    req.k = k;
    req.seed = e.seed;
    prun = run_on_platform(req, opts, waves);
    results = prun.results;
    cycles = prun.cycles;
    cpu_s = prun.cpu_seconds;
    clock_hz = p.clock_hz;
    bandwidth = prun.dram_peak_bytes_per_s;
    // Compute: the busiest tile's beats. Memory: every operand byte read and every result
    // byte written once, at the DRAM's peak bandwidth.
    for (const auto& t : prun.tiles) compute_cycles = std::max(compute_cycles, t.beats);
    memory_cycles = memory_bound_cycles(2 * n + rows, clock_hz, bandwidth);
  } else {
    rtl::DotEngine engine;
    const double bytes_per_cycle = bandwidth / static_cast<double>(clock_hz);
    const std::clock_t cpu0 = std::clock();
    cycles = engine.run(a.data(), b.data(), k, rows, results.data(), bytes_per_cycle);
    cpu_s = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    compute_cycles = beats;
    memory_cycles = static_cast<std::uint64_t>(
        std::ceil(static_cast<double>(beats) * 2.0 * unit.lanes / bytes_per_cycle));
  }

  // The bit-accurate model of the same configuration must agree everywhere.
  numerics::DotModel model(f, unit.lanes, unit.reduce, unit.method);
  std::uint64_t mismatches = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    if (model.dot(a.data() + r * k, b.data() + r * k, k) != results[r]) ++mismatches;
  }

  // Roofline of the unit.
  const std::uint64_t bound = std::max(compute_cycles, memory_cycles);
  const std::uint64_t latency = static_cast<std::uint64_t>(unit.mul_latency_cycles) + 2;

  // Numerical error per method against the exact dot products.
  std::vector<numerics::AccumMethod> methods;
  for (const auto& m : c.methods) methods.push_back(numerics::parse_method(m, c.where("methods")));
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
                   {"clock_hz", clock_hz},
                   {"bandwidth_bytes_per_s", bandwidth}};
  j["cycles"] = cycles_json(cycles, compute_cycles, memory_cycles, latency);
  if (on_platform) {
    j["memory"] = memory_json(*e.platform, prun);
    j["tiles"] = tiles_json(prun);
  } else {
    j["memory"] = {{"path", "stream"}};
  }
  j["rtl_model_mismatches"] = mismatches;
  j["accuracy"] = accuracy_json(rtl_row, methods, acc);
  if (!opts.out_dir.empty()) {
    write_json(std::filesystem::path(opts.out_dir) / "result.json", j);
  }
  if (opts.json) {
    print_json(j);
  } else if (!globals.quiet) {
    fmt::print("cosim {}: {} dot products of length {} on the RTL {} x{} dot unit ({})\n", e.name,
               rows, k, f.name(), unit.lanes, numerics::method_name(unit.method));
    print_cycles(cycles, bound, compute_cycles, memory_cycles);
    if (on_platform) {
      fmt::print(
          "memory: platform {} ({} rtl-dot tiles, DRAM {} at {:.1f} GB/s): {} bytes read "
          "from DRAM, cache read hits {} misses {}\n",
          e.platform->name, e.platform->tiles.count, prun.dram_name,
          prun.dram_peak_bytes_per_s / 1e9, prun.dram_read_bytes, prun.cache_read_hits,
          prun.cache_read_misses);
    }
    fmt::print("RTL vs bit-accurate model: {} mismatches; simulated {:.2f} M cycles per CPU-s\n",
               mismatches, cpu_s > 0 ? static_cast<double>(cycles) / cpu_s / 1e6 : 0.0);
    fmt::print("{}", accuracy_table(rtl_row, methods, acc));
    if (!opts.out_dir.empty()) fmt::print("result: {}/result.json\n", opts.out_dir);
    if (opts.waves) fmt::print("waves: {}\n", waves.path.string());
  }
  if (opts.waves) std::filesystem::rename(waves.tmp, waves.path);
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
    "run a dot-product or attention workload on a Verilated RTL unit: cycles vs roofline, "
    "numerical error per accumulation method",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<CosimOptions>();
      app.add_option("experiment", opts->file, "experiment YAML file with a cosim: section")
          ->required()
          ->check(CLI::ExistingFile);
      app.add_option("-o,--output,--out", opts->out_dir, "write OUTDIR/result.json");
      app.add_flag("--json", opts->json, "print the result as JSON");
      CLI::Option* waves = app.add_flag(
          "--waves", opts->waves,
          "write OUTDIR/waves.fst (or .vcd): tile 0's unit, every signal (platform path only)");
      app.add_option("--waves-format", opts->waves_format,
                     "waveform format of --waves: fst (default; compressed) or vcd (text)")
          ->check(CLI::IsMember({"fst", "vcd"}))
          ->needs(waves);
      return [opts](const GlobalOptions& g) { return run_cosim(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

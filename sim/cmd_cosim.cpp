// `tessera cosim EXPERIMENT.yaml [-o OUTDIR] [--json] [--waves]`: runs the experiment's
// `cosim:` workload (rows dot products of length k, seeded data or a binary input file) on
// the Verilated 16-lane E4M3 dot unit, by one of two memory paths:
//   - the experiment has a `platform:` whose tiles are `kind: rtl-dot`: the timed
//     platform with RtlDotTile tiles (the unit as a SystemC module behind a TLM adapter),
//     operands read through the platform's interconnect, shared cache and DRAM, results
//     written back (rtl/engine/platform_cosim.h); `--waves` writes tile 0's VCD;
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
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "models/config/experiment_config.h"
#include "models/core/error.h"
#include "models/numerics/accuracy.h"
#include "models/numerics/attention_accuracy.h"
#include "models/numerics/attention_model.h"
#include "models/numerics/attention_ref.h"
#include "models/numerics/dot_model.h"
#include "models/numerics/fp_arith.h"
#include "models/numerics/mpfr_ref.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/table.h"
#ifdef TESSERA_HAVE_RTL
#include "rtl/engine/dot_engine.h"
#include "rtl/engine/platform_cosim.h"
#endif

namespace tessera::cli {
namespace {

struct CosimOptions {
  std::string file;
  std::string out_dir;
  bool json = false;
  bool waves = false;
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

nlohmann::ordered_json tiles_json(const rtl::PlatformCosimResult& prun) {
  nlohmann::ordered_json tiles = nlohmann::ordered_json::array();
  for (const auto& t : prun.tiles) {
    tiles.push_back({{"rows", t.rows},
                     {"beats", t.beats},
                     {"first_beat_cycle", t.first_beat_cycle},
                     {"last_result_cycle", t.last_result_cycle},
                     {"finish_cycle", t.finish_cycle},
                     {"clocked_cycles", t.clocked_cycles},
                     {"read_bursts", t.read_bursts},
                     {"write_bursts", t.write_bursts},
                     {"read_bytes", t.read_bytes},
                     {"write_bytes", t.write_bytes}});
  }
  return tiles;
}

// Measured cycles against the roofline bound (the larger of the compute and memory
// bounds); the estimate adds the unit's pipeline latency.
nlohmann::ordered_json cycles_json(std::uint64_t cycles, std::uint64_t compute_cycles,
                                   std::uint64_t memory_cycles, std::uint64_t latency) {
  const std::uint64_t bound = std::max(compute_cycles, memory_cycles);
  return {{"measured", cycles},
          {"compute_bound", compute_cycles},
          {"memory_bound", memory_cycles},
          {"bottleneck", memory_cycles > compute_cycles ? "memory" : "compute"},
          {"roofline_estimate", bound + latency},
          {"ratio_to_bound", static_cast<double>(cycles) / static_cast<double>(bound)},
          {"below_bound", cycles < bound}};
}

nlohmann::ordered_json memory_json(const config::PlatformConfig& p,
                                   const rtl::PlatformCosimResult& prun) {
  return {{"path", "platform"},
          {"platform", p.name},
          {"tiles", p.tiles.count},
          {"dram", prun.dram_name},
          {"dram_peak_bytes_per_s", prun.dram_peak_bytes_per_s},
          {"dram_read_bytes", prun.dram_read_bytes},
          {"dram_write_bytes", prun.dram_write_bytes},
          {"cache_read_hits", prun.cache_read_hits},
          {"cache_read_misses", prun.cache_read_misses}};
}

// Cycles of `bytes` at `bytes_per_s` on a `clock_hz` clock, rounded up; in integers
// (bytes x Hz / bytes per s) so a bound like 262400 / 25.6 is exact.
std::uint64_t memory_bound_cycles(std::uint64_t bytes, Hertz clock_hz, double bytes_per_s) {
  const auto peak = static_cast<std::uint64_t>(std::llround(bytes_per_s));
  return (bytes * clock_hz + peak - 1) / peak;
}

// Runs `request` on the platform; no half-written waveform is left behind when it fails.
// Mean of a per-trial sum over the trials that gave a finite error.
double finite_mean(const numerics::AccuracyRow& row, double sum) {
  const int finite = row.trials - row.non_finite;
  return finite > 0 ? sum / finite : 0.0;
}

// The error rows of a run: the RTL's first, then each configured method's.
nlohmann::ordered_json accuracy_json(const numerics::AccuracyRow& rtl_row,
                                     const std::vector<numerics::AccumMethod>& methods,
                                     const std::vector<numerics::AccuracyRow>& acc) {
  auto row_json = [](const std::string& name, const numerics::AccuracyRow& row) {
    return nlohmann::ordered_json{{"method", name},
                                  {"max_rel", row.max_rel},
                                  {"mean_rel", finite_mean(row, row.mean_rel)},
                                  {"max_ulps", row.max_ulps},
                                  {"mean_ulps", finite_mean(row, row.mean_ulps)},
                                  {"non_finite", row.non_finite}};
  };
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  rows.push_back(row_json("rtl", rtl_row));
  for (std::size_t m = 0; m < methods.size(); ++m) {
    rows.push_back(row_json(numerics::method_name(methods[m]), acc[m]));
  }
  return rows;
}

std::string accuracy_table(const numerics::AccuracyRow& rtl_row,
                           const std::vector<numerics::AccumMethod>& methods,
                           const std::vector<numerics::AccuracyRow>& acc) {
  Table t({{"method"},
           {"max rel", Table::kRight},
           {"mean rel", Table::kRight},
           {"max ulps", Table::kRight},
           {"mean ulps", Table::kRight},
           {"non-finite", Table::kRight}});
  auto add = [&](const std::string& name, const numerics::AccuracyRow& row) {
    t.add_row(
        {name, fmt::format("{:.3g}", row.max_rel),
         fmt::format("{:.3g}", finite_mean(row, row.mean_rel)), fmt::format("{:.3g}", row.max_ulps),
         fmt::format("{:.3g}", finite_mean(row, row.mean_ulps)), Table::count(row.non_finite)});
  };
  add("rtl", rtl_row);
  for (std::size_t m = 0; m < methods.size(); ++m) add(numerics::method_name(methods[m]), acc[m]);
  return t.render();
}

void print_cycles(std::uint64_t cycles, std::uint64_t bound, std::uint64_t compute_cycles,
                  std::uint64_t memory_cycles) {
  fmt::print(
      "cycles: measured {}, roofline bound {} ({}-bound; compute {}, memory {}), ratio {:.3f}\n",
      cycles, bound, memory_cycles > compute_cycles ? "memory" : "compute", compute_cycles,
      memory_cycles, static_cast<double>(cycles) / static_cast<double>(bound));
}

rtl::PlatformCosimResult run_on_platform(const rtl::PlatformCosimRequest& request,
                                         const CosimOptions& opts,
                                         const std::filesystem::path& waves_tmp) {
  if (opts.waves) std::filesystem::create_directories(opts.out_dir);
  try {
    return rtl::run_platform_cosim(request);
  } catch (...) {
    std::error_code ignored;
    if (opts.waves) std::filesystem::remove(waves_tmp, ignored);
    throw;
  }
}

// `unit: attention`: rows query rows against `keys` keys on the platform's rtl-attention
// tiles. K and V are drawn once (seed), query row r with seed + r (docs/config/cosim.md).
int run_attention_cosim(const CosimOptions& opts, const GlobalOptions& globals,
                        const config::ExperimentConfig& e) {
  const config::CosimConfig& c = e.cosim;
  const numerics::AttentionConfig unit = rtl::rtl_attention_unit();
  const auto D = static_cast<std::uint64_t>(unit.head_dim);
  if (!e.platform.has_value()) {
    throw InputError(fmt::format(
        "{}: cosim.unit: attention runs on a platform: with tiles of kind rtl-attention, "
        "found no platform",
        opts.file));
  }
  const config::PlatformConfig& p = *e.platform;
  if (p.tiles.kind != config::TileKind::kRtlAttention) {
    throw InputError(fmt::format(
        "{}: platform.tiles.kind: expected rtl-attention (cosim.unit is attention), found {}",
        opts.file, config::tile_kind_name(p.tiles.kind)));
  }
  if (p.tiles.lanes != D) {
    throw InputError(fmt::format(
        "{}: platform.tiles.lanes: expected {} (the Verilated rtl-attention unit's head dim), "
        "found {}",
        opts.file, D, p.tiles.lanes));
  }
  if (c.head_dim != p.tiles.lanes) {
    throw InputError(fmt::format(
        "{}: cosim.head_dim: expected {} (platform.tiles.lanes: one lane per element of a "
        "row), found {}",
        c.source, p.tiles.lanes, c.head_dim));
  }
  const Bytes row_bytes = D * 2;  // E5M10
  const Bytes kv_bytes = 2 * c.keys * row_bytes;
  if (kv_bytes > p.tiles.scratchpad_bytes) {
    throw InputError(
        fmt::format("{}: cosim.keys: expected K and V ({} keys x {} bytes each) to fit the tiles' "
                    "scratchpad of {} bytes, found {} bytes",
                    c.source, c.keys, 2 * row_bytes, p.tiles.scratchpad_bytes, kv_bytes));
  }
  if (opts.waves && opts.out_dir.empty()) {
    throw InputError("--waves: expected -o OUTDIR (the waveform is OUTDIR/waves.vcd), found none");
  }
  const std::size_t rows = c.rows, keys = c.keys;
  const auto dist = numerics::parse_attention_distribution(c.distribution, c.source);
  const numerics::AttentionInputs kv = numerics::draw_attention_inputs(unit, dist, keys, e.seed);
  std::vector<std::uint64_t> q(rows * D);
  for (std::size_t r = 0; r < rows; ++r) {
    const auto row = r == 0 ? kv.q : numerics::draw_attention_inputs(unit, dist, 1, e.seed + r).q;
    std::copy(row.begin(), row.end(), q.begin() + static_cast<std::ptrdiff_t>(r * D));
  }

  const std::filesystem::path waves_path =
      opts.waves ? std::filesystem::path(opts.out_dir) / "waves.vcd" : std::filesystem::path();
  const std::filesystem::path waves_tmp =
      opts.waves ? std::filesystem::path(waves_path.string() + ".tmp") : std::filesystem::path();
  rtl::PlatformCosimRequest req;
  req.platform = &p;
  req.q = q.data();
  req.key = kv.k.data();
  req.value = kv.v.data();
  req.rows = rows;
  req.keys = keys;
  req.seed = e.seed;
  req.vcd_path = waves_tmp.string();
  const rtl::PlatformCosimResult prun = run_on_platform(req, opts, waves_tmp);

  // Roofline: one key per cycle per tile (the busiest tile's beats) against Q, K, V read
  // once and O written once at the DRAM's peak bandwidth.
  std::uint64_t compute_cycles = 0;
  for (const auto& t : prun.tiles) compute_cycles = std::max(compute_cycles, t.beats);
  const std::uint64_t traffic = (2 * rows + 2 * keys) * row_bytes;
  const std::uint64_t memory_cycles =
      memory_bound_cycles(traffic, p.clock_hz, prun.dram_peak_bytes_per_s);
  const std::uint64_t bound = std::max(compute_cycles, memory_cycles);
  const auto latency = static_cast<std::uint64_t>(rtl::rtl_attention_latency_cycles());
  const std::uint64_t cycles = prun.cycles;

  // Bit-exactness against the C++ model, and error per method against the exact result.
  numerics::AttentionModel model(unit);
  std::uint64_t mismatches = 0;
  std::vector<numerics::AccumMethod> methods;
  for (const auto& m : c.methods) methods.push_back(numerics::parse_method(m, c.source));
  std::vector<numerics::AttentionModel> models;
  // A method applies to the L-long sums (softmax denominator and output accumulators);
  // the scores stay the unit's D-lane tree.
  for (auto m : methods) {
    numerics::AttentionConfig mc = unit;
    mc.softmax_method = mc.out_method = m;
    models.emplace_back(mc);
  }
  std::vector<numerics::AccuracyRow> acc(methods.size());
  numerics::AccuracyRow rtl_row;
  auto record = [&](numerics::AccuracyRow& row, const std::vector<std::uint64_t>& got,
                    const std::vector<double>& exact) {
    for (std::size_t i = 0; i < got.size(); ++i) {
      ++row.trials;
      const double g = numerics::fp_to_double(unit.out_format, got[i]);
      if (!std::isfinite(g)) {
        ++row.non_finite;
        continue;
      }
      const double err = std::fabs(g - exact[i]);
      // An exact zero output has no relative error to speak of: any error counts as inf.
      const double rel = exact[i] == 0 ? (err == 0 ? 0.0 : HUGE_VAL) : err / std::fabs(exact[i]);
      const double ulps = err / numerics::ulp_at(unit.out_format, exact[i]);
      row.max_rel = std::max(row.max_rel, rel);
      row.max_ulps = std::max(row.max_ulps, ulps);
      row.mean_rel += rel;
      row.mean_ulps += ulps;
    }
  };
  for (std::size_t r = 0; r < rows; ++r) {
    const std::uint64_t* qr = q.data() + r * D;
    const auto want = model.run(qr, kv.k.data(), kv.v.data(), keys);
    const std::vector<std::uint64_t> got(
        prun.results.begin() + static_cast<std::ptrdiff_t>(r * D),
        prun.results.begin() + static_cast<std::ptrdiff_t>((r + 1) * D));
    if (got != want) ++mismatches;
    const auto exact = numerics::exact_attention(unit, qr, kv.k.data(), kv.v.data(), keys);
    record(rtl_row, got, exact);
    for (std::size_t m = 0; m < methods.size(); ++m) {
      record(acc[m], models[m].run(qr, kv.k.data(), kv.v.data(), keys), exact);
    }
  }

  nlohmann::ordered_json j;
  j["schema"] = "tessera.cosim/1";
  j["experiment"] = e.name;
  j["unit"] = {{"kind", "attention"},
               {"format", unit.out_format.name()},
               {"lanes", D},
               {"reduce", "tree"},
               {"method", numerics::method_name(unit.out_method)},
               {"latency_cycles", latency}};
  j["workload"] = {{"rows", rows},
                   {"keys", keys},
                   {"head_dim", D},
                   {"distribution", c.distribution},
                   {"seed", e.seed},
                   {"clock_hz", p.clock_hz},
                   {"bandwidth_bytes_per_s", prun.dram_peak_bytes_per_s}};
  j["cycles"] = cycles_json(cycles, compute_cycles, memory_cycles, latency);
  j["memory"] = memory_json(p, prun);
  j["tiles"] = tiles_json(prun);
  j["rtl_model_mismatches"] = mismatches;
  j["accuracy"] = accuracy_json(rtl_row, methods, acc);
  if (!opts.out_dir.empty()) {
    write_json(std::filesystem::path(opts.out_dir) / "result.json", j);
  }
  if (opts.json) {
    print_json(j);
  } else if (!globals.quiet) {
    fmt::print("cosim {}: {} attention rows of {} keys on the RTL {} D={} attention unit ({})\n",
               e.name, rows, keys, unit.out_format.name(), D,
               numerics::method_name(unit.out_method));
    print_cycles(cycles, bound, compute_cycles, memory_cycles);
    fmt::print(
        "memory: platform {} ({} rtl-attention tiles, DRAM {} at {:.1f} GB/s): {} bytes read "
        "from DRAM, cache read hits {} misses {}\n",
        p.name, p.tiles.count, prun.dram_name, prun.dram_peak_bytes_per_s / 1e9,
        prun.dram_read_bytes, prun.cache_read_hits, prun.cache_read_misses);
    fmt::print("RTL vs bit-accurate model: {} mismatches; simulated {:.2f} M cycles per CPU-s\n",
               mismatches,
               prun.cpu_seconds > 0 ? static_cast<double>(cycles) / prun.cpu_seconds / 1e6 : 0.0);
    fmt::print("{}", accuracy_table(rtl_row, methods, acc));
    if (!opts.out_dir.empty()) fmt::print("result: {}/result.json\n", opts.out_dir);
    if (opts.waves) fmt::print("waves: {}\n", waves_path.string());
  }
  if (opts.waves) std::filesystem::rename(waves_tmp, waves_path);
  if (mismatches != 0) {
    throw RuntimeError(
        fmt::format("cosim: the RTL and its bit-accurate model disagree on {} of {} attention rows",
                    mismatches, rows));
  }
  return 0;
}

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
  const auto dist = numerics::parse_distribution(c.distribution, c.source);
  std::vector<std::uint64_t> a, b;
  if (!c.input_file.empty()) {
    read_input(c.input_file, n, a, b);
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
  if (opts.waves && opts.out_dir.empty()) {
    throw InputError("--waves: expected -o OUTDIR (the waveform is OUTDIR/waves.vcd), found none");
  }
  std::vector<std::uint64_t> results(rows);
  std::uint64_t cycles = 0, compute_cycles = 0, memory_cycles = 0;
  double cpu_s = 0;
  Hertz clock_hz = c.clock_hz;
  double bandwidth = c.bandwidth_bytes_per_s;
  const std::uint64_t beats_per_row = (k + unit.lanes - 1) / unit.lanes;
  const std::uint64_t beats = rows * beats_per_row;
  rtl::PlatformCosimResult prun;
  const std::filesystem::path waves_path =
      opts.waves ? std::filesystem::path(opts.out_dir) / "waves.vcd" : std::filesystem::path();
  const std::filesystem::path waves_tmp =
      opts.waves ? std::filesystem::path(waves_path.string() + ".tmp") : std::filesystem::path();
  if (on_platform) {
    const config::PlatformConfig& p = *e.platform;
    if (opts.waves) std::filesystem::create_directories(opts.out_dir);
    rtl::PlatformCosimRequest req;
    req.platform = &p;
    req.a = a.data();
    req.b = b.data();
    req.rows = rows;
    req.k = k;
    req.seed = e.seed;
    req.vcd_path = waves_tmp.string();
    try {
      prun = rtl::run_platform_cosim(req);
    } catch (...) {
      std::error_code ignored;  // no half-written waveform left behind
      if (opts.waves) std::filesystem::remove(waves_tmp, ignored);
      throw;
    }
    results = prun.results;
    cycles = prun.cycles;
    cpu_s = prun.cpu_seconds;
    clock_hz = p.clock_hz;
    bandwidth = prun.dram_peak_bytes_per_s;
    // Compute: the busiest tile's beats. Memory: every operand byte read and every result
    // byte written once, at the DRAM's peak bandwidth.
    for (const auto& t : prun.tiles) compute_cycles = std::max(compute_cycles, t.beats);
    // In integers (bytes x Hz / bytes per s) so a bound like 262400 / 25.6 is exact.
    const auto peak = static_cast<std::uint64_t>(std::llround(bandwidth));
    const std::uint64_t traffic = 2 * n + rows;
    memory_cycles = (traffic * clock_hz + peak - 1) / peak;
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
    if (opts.waves) fmt::print("waves: {}\n", waves_path.string());
  }
  if (opts.waves) std::filesystem::rename(waves_tmp, waves_path);
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
      app.add_flag("--waves", opts->waves,
                   "write OUTDIR/waves.vcd: tile 0's dot unit (platform path only)");
      return [opts](const GlobalOptions& g) { return run_cosim(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

// `tessera cosim` with `unit: attention`: `rows` query rows against `keys` keys (D = the
// Verilated unit's head dim, E5M10) on a platform of rtl-attention tiles, from seeded data
// or a binary input file; cycles against the roofline, RTL == AttentionModel bit for bit,
// error per accumulation method against the exact result (MPFR). docs/rtl.md.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <utility>
#include <vector>

#include "sim/cmd_cosim.h"

#ifdef TESSERA_HAVE_RTL

#include "models/core/error.h"
#include "models/numerics/attention_accuracy.h"
#include "models/numerics/attention_model.h"
#include "models/numerics/attention_ref.h"
#include "models/numerics/fp_arith.h"
#include "sim/cmd_cosim_input.h"
#include "sim/support/json_output.h"

namespace tessera::cli {
namespace {

struct Inputs {
  std::vector<std::uint64_t> q, k, v;  // rows x D, keys x D, keys x D
};

// The cosim section's input file, or seeded data: K, V and query row 0 drawn with the
// experiment's seed, query row r > 0 with seed + r (distributions: docs/numerics.md,
// Attention / Accuracy).
Inputs attention_inputs(const config::CosimConfig& c, const numerics::AttentionConfig& unit,
                        std::uint64_t seed) {
  const auto D = static_cast<std::uint64_t>(unit.head_dim);
  Inputs in;
  if (!c.input_file.empty()) {
    AttentionFileShape shape;
    shape.exponent_bits = static_cast<std::uint32_t>(unit.score_format.exp_bits);
    shape.mantissa_bits = static_cast<std::uint32_t>(unit.score_format.man_bits);
    shape.rows = c.rows;
    shape.keys = c.keys;
    shape.head_dim = D;
    AttentionFileData d = read_attention_input(c.input_file, shape);
    in.q = std::move(d.q);
    in.k = std::move(d.k);
    in.v = std::move(d.v);
    return in;
  }
  const auto dist = numerics::parse_attention_distribution(c.distribution, c.where("distribution"));
  numerics::AttentionInputs kv = numerics::draw_attention_inputs(unit, dist, c.keys, seed);
  in.q.resize(c.rows * D);
  for (std::size_t r = 0; r < c.rows; ++r) {
    const auto row = r == 0 ? kv.q : numerics::draw_attention_inputs(unit, dist, 1, seed + r).q;
    std::copy(row.begin(), row.end(), in.q.begin() + static_cast<std::ptrdiff_t>(r * D));
  }
  in.k = std::move(kv.k);
  in.v = std::move(kv.v);
  return in;
}

}  // namespace

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
        c.where("head_dim"), p.tiles.lanes, c.head_dim));
  }
  const Bytes row_bytes = D * 2;  // E5M10
  const Bytes kv_bytes = 2 * c.keys * row_bytes;
  if (kv_bytes > p.tiles.scratchpad_bytes) {
    throw InputError(
        fmt::format("{}: cosim.keys: expected K and V ({} keys x {} bytes each) to fit the tiles' "
                    "scratchpad of {} bytes, found {} bytes",
                    c.where("keys"), c.keys, 2 * row_bytes, p.tiles.scratchpad_bytes, kv_bytes));
  }
  const WavesOutput waves = waves_output(opts);
  const std::size_t rows = c.rows, keys = c.keys;
  const Inputs in = attention_inputs(c, unit, e.seed);
  const std::vector<std::uint64_t>& q = in.q;
  const std::uint64_t* k = in.k.data();
  const std::uint64_t* v = in.v.data();

  rtl::PlatformCosimRequest req;
  req.platform = &p;
  req.q = q.data();
  req.key = k;
  req.value = v;
  req.rows = rows;
  req.keys = keys;
  req.seed = e.seed;
  const rtl::PlatformCosimResult prun = run_on_platform(req, opts, waves);

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
  for (const auto& m : c.methods) methods.push_back(numerics::parse_method(m, c.where("methods")));
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
    const auto want = model.run(qr, k, v, keys);
    const std::vector<std::uint64_t> got(
        prun.results.begin() + static_cast<std::ptrdiff_t>(r * D),
        prun.results.begin() + static_cast<std::ptrdiff_t>((r + 1) * D));
    if (got != want) ++mismatches;
    const auto exact = numerics::exact_attention(unit, qr, k, v, keys);
    record(rtl_row, got, exact);
    for (std::size_t m = 0; m < methods.size(); ++m) {
      record(acc[m], models[m].run(qr, k, v, keys), exact);
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
                   {"distribution", c.input_file.empty() ? c.distribution : "file"},
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
    if (opts.waves) fmt::print("waves: {}\n", waves.path.string());
  }
  if (opts.waves) std::filesystem::rename(waves.tmp, waves.path);
  if (mismatches != 0) {
    throw RuntimeError(
        fmt::format("cosim: the RTL and its bit-accurate model disagree on {} of {} attention rows",
                    mismatches, rows));
  }
  return 0;
}

}  // namespace tessera::cli

#endif

// The report pieces of `tessera cosim` both units' runs share (sim/cmd_cosim.h).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <system_error>

#include "sim/cmd_cosim.h"
#include "sim/support/table.h"

#ifdef TESSERA_HAVE_RTL

#include "models/core/error.h"

namespace tessera::cli {

WavesOutput waves_output(const CosimOptions& opts) {
  WavesOutput w;
  if (!opts.waves) return w;
  w.format = opts.waves_format == "vcd" ? rtl::WaveFormat::kVcd : rtl::WaveFormat::kFst;
  const std::string name = std::string("waves.") + rtl::wave_format_name(w.format);
  if (opts.out_dir.empty()) {
    throw InputError(
        fmt::format("--waves: expected -o OUTDIR (the waveform is OUTDIR/{}), found none", name));
  }
  w.path = std::filesystem::path(opts.out_dir) / name;
  w.tmp = std::filesystem::path(w.path.string() + ".tmp");
  return w;
}

rtl::PlatformCosimResult run_on_platform(const rtl::PlatformCosimRequest& request,
                                         const CosimOptions& opts, const WavesOutput& waves) {
  rtl::PlatformCosimRequest req = request;
  req.waves = waves.format;
  req.waves_path = waves.tmp.string();
  if (opts.waves) std::filesystem::create_directories(opts.out_dir);
  try {
    return rtl::run_platform_cosim(req);
  } catch (...) {
    std::error_code ignored;
    if (opts.waves) std::filesystem::remove(waves.tmp, ignored);
    throw;
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

std::uint64_t memory_bound_cycles(std::uint64_t bytes, Hertz clock_hz, double bytes_per_s) {
  const auto peak = static_cast<std::uint64_t>(std::llround(bytes_per_s));
  return (bytes * clock_hz + peak - 1) / peak;
}

namespace {
// Mean of a per-trial sum over the trials that gave a finite error.
double finite_mean(const numerics::AccuracyRow& row, double sum) {
  const int finite = row.trials - row.non_finite;
  return finite > 0 ? sum / finite : 0.0;
}
}  // namespace

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

}  // namespace tessera::cli

#endif

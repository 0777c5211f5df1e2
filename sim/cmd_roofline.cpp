// `tessera roofline`: the analytical estimate of one operator
// (--op gemm:M,N,K) or of a whole experiment's workload on a device of the
// library (platforms/devices/) or the experiment's own platform.
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/config/experiment_config.h"
#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "models/core/suggest.h"
#include "models/roofline/device_library.h"
#include "models/roofline/platform_device.h"
#include "models/roofline/workload_estimate.h"
#include "models/workload/generator.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/output_path.h"
#include "sim/support/svg_plot.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

using roofline::Estimate;
using roofline::OpSpec;

struct RooflineOptions {
  std::string experiment;
  std::string device;
  std::string op;
  std::string dtype = "fp16";
  std::vector<std::string> devices_dirs;
  std::string plot;
  std::uint64_t units = 0;  // compute units --op runs on (0: all)
  bool json = false;
};

constexpr const char* kOpForms =
    "gemm:M,N,K | bgemm:B,M,N,K | conv2d:N,C,H,W,K,R,S[,STRIDE[,PAD]] | "
    "attention:B,H,SQ,SKV,D | attention_unfused:B,H,SQ,SKV,D | elementwise:N[,INPUTS] | "
    "reduction:ROWS,COLS | softmax:ROWS,COLS | layernorm:ROWS,COLS | embedding:TOKENS,HIDDEN,VOCAB";

[[noreturn]] void bad_op(const std::string& text, const std::string& why) {
  throw InputError(fmt::format("--op: expected {} ({}), found '{}'", kOpForms, why, text));
}

OpSpec parse_op(const std::string& text, config::Dtype dtype) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) bad_op(text, "no ':'");
  const std::string kind = text.substr(0, colon);
  std::vector<std::uint64_t> v;
  std::stringstream list(text.substr(colon + 1));
  std::string item;
  while (std::getline(list, item, ',')) {
    char* end = nullptr;
    const unsigned long long x = std::strtoull(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || item[0] == '-')
      bad_op(text, "'" + item + "' is not a count");
    v.push_back(x);
  }
  auto need = [&](std::size_t lo, std::size_t hi) {
    if (v.size() < lo || v.size() > hi) {
      bad_op(text, fmt::format("{} takes {} numbers, found {}", kind,
                               lo == hi ? std::to_string(lo) : fmt::format("{} to {}", lo, hi),
                               v.size()));
    }
    // Every figure is a size or count >= 1, except conv2d's padding (the 9th).
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] == 0 && !(kind == "conv2d" && i == 8)) {
        bad_op(text, fmt::format("{} needs every number >= 1, found 0 as number {}", kind, i + 1));
      }
    }
  };
  if (kind == "gemm") {
    need(3, 3);
    return OpSpec::gemm(v[0], v[1], v[2], dtype);
  }
  if (kind == "bgemm" || kind == "batched_gemm") {
    need(4, 4);
    return OpSpec::batched_gemm(v[0], v[1], v[2], v[3], dtype);
  }
  if (kind == "conv2d") {
    need(7, 9);
    roofline::ConvShape c{v[0], v[1], v[2], v[3], v[4], v[5], v[6], 1, 0};
    if (v.size() > 7) c.stride = v[7];
    if (v.size() > 8) c.pad = v[8];
    return OpSpec::conv2d(c, dtype);
  }
  if (kind == "attention" || kind == "attention_fused" || kind == "attention_unfused") {
    need(5, 5);
    return OpSpec::attention({v[0], v[1], v[2], v[3], v[4]}, kind != "attention_unfused", dtype);
  }
  if (kind == "elementwise") {
    need(1, 2);
    return OpSpec::elementwise(v[0], v.size() > 1 ? v[1] : 1, dtype);
  }
  if (kind == "reduction") {
    need(2, 2);
    return OpSpec::reduction(v[0], v[1], dtype);
  }
  if (kind == "softmax") {
    need(2, 2);
    return OpSpec::softmax(v[0], v[1], dtype);
  }
  if (kind == "layernorm") {
    need(2, 2);
    return OpSpec::layernorm(v[0], v[1], dtype);
  }
  if (kind == "embedding") {
    need(3, 3);
    return OpSpec::embedding(v[0], v[1], v[2], dtype);
  }
  static const std::vector<std::string> kKinds{
      "gemm",      "bgemm",           "batched_gemm",      "conv2d",
      "attention", "attention_fused", "attention_unfused", "elementwise",
      "reduction", "softmax",         "layernorm",         "embedding"};
  const std::string guess = closest_name(kind, kKinds);
  bad_op(text, "unknown operator '" + kind + "'" +
                   (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
}

nlohmann::ordered_json estimate_json(const Estimate& e) {
  nlohmann::ordered_json j;
  j["op"] = e.op;
  j["type"] = roofline::op_type_name(e.type);
  j["dtype"] = config::dtype_name(e.dtype);
  j["time_ms"] = e.time_ms();
  j["bottleneck"] = e.bottleneck();
  j["bound_level"] = e.bound_level;
  j["flops"] = e.flops;
  j["bytes"] = e.dram_bytes;
  j["compulsory_bytes"] = e.compulsory_bytes;
  j["arithmetic_intensity"] = e.arithmetic_intensity;
  j["achieved_fraction"] = e.achieved_fraction;
  j["energy_j"] = e.energy_j;
  j["compute_energy_j"] = e.compute_energy_j;
  j["memory_energy_j"] = e.memory_energy_j;
  j["ideal_compute_ms"] = e.ideal_compute_s * 1e3;
  j["compute_ms"] = e.compute_s * 1e3;
  j["memory_ms"] = e.memory_s * 1e3;
  j["launch_ms"] = e.launch_s * 1e3;
  j["pack_ms"] = e.pack_s * 1e3;
  j["pack_bytes"] = e.pack_bytes;
  j["units"] = e.units;
  j["kernels"] = e.kernels;
  if (e.tiles > 0) {
    j["tile"] = {e.tile_m, e.tile_n};
    j["tiles"] = e.tiles;
    j["waves"] = e.waves;
  }
  j["quantization_efficiency"] = e.quantization_efficiency;
  nlohmann::ordered_json levels = nlohmann::ordered_json::array();
  for (const auto& l : e.levels) {
    levels.push_back({{"name", l.name},
                      {"bytes", l.bytes},
                      {"time_ms", l.time_s * 1e3},
                      {"energy_j", l.energy_j}});
  }
  j["levels"] = levels;
  return j;
}

// Roofs of every level with a bandwidth (bytes/s x AI, capped by the peak)
// and the operators as points at (DRAM arithmetic intensity, achieved FLOP/s).
std::string roofline_svg(const config::DeviceConfig& d, config::Dtype dtype,
                         const std::vector<Estimate>& ops) {
  SvgPlot plot;
  plot.title = fmt::format("Roofline: {} ({})", d.name, config::dtype_name(dtype));
  plot.x_label = "arithmetic intensity (FLOP / DRAM byte)";
  plot.y_label = "FLOP/s";
  plot.x_scale = SvgPlot::Scale::kLog;
  plot.y_scale = SvgPlot::Scale::kLog;
  const double peak = d.peak(dtype);
  double x_min = 0.01, x_max = 1e4;
  for (const auto& e : ops) {
    if (e.arithmetic_intensity > 0) {
      x_min = std::min(x_min, e.arithmetic_intensity / 2);
      x_max = std::max(x_max, e.arithmetic_intensity * 2);
    }
  }
  plot.x_min = x_min;
  plot.x_max = x_max;
  auto add_roof = [&](const std::string& name, double bw) {
    SvgSeries s;
    s.name = fmt::format("{} roof ({:.3g} GB/s)", name, bw / 1e9);
    s.markers = false;
    const double ridge = peak / bw;
    s.points.push_back({x_min, std::min(peak, bw * x_min)});
    if (ridge > x_min && ridge < x_max) s.points.push_back({ridge, peak});
    s.points.push_back({x_max, std::min(peak, bw * x_max)});
    plot.series.push_back(s);
  };
  SvgSeries compute;
  compute.name = fmt::format("{} peak ({:.4g} TFLOP/s)", config::dtype_name(dtype), peak / 1e12);
  compute.markers = false;
  compute.points = {{x_min, peak}, {x_max, peak}};
  plot.series.push_back(compute);
  add_roof("dram", d.memory_bandwidth_bytes_per_s);
  for (const auto& c : d.caches) {
    if (c.bandwidth_bytes_per_s > 0) add_roof(c.name, c.bandwidth_bytes_per_s);
  }
  SvgSeries points;
  points.name = "operators";
  points.line = false;
  for (const auto& e : ops) {
    if (e.arithmetic_intensity > 0 && e.time_s > 0) {
      points.points.push_back({e.arithmetic_intensity, e.flops / e.time_s});
    }
  }
  plot.series.push_back(points);
  return plot.render();
}

config::DeviceConfig resolve_device(const RooflineOptions& o,
                                    const config::ExperimentConfig* experiment) {
  std::vector<std::filesystem::path> dirs(o.devices_dirs.begin(), o.devices_dirs.end());
  if (!o.device.empty()) return roofline::find_device(o.device, dirs);
  if (experiment != nullptr && experiment->platform) {
    return roofline::device_from_platform(*experiment->platform);
  }
  throw InputError(
      "--device: expected a device name or file (see `tessera devices`), found nothing "
      "(the experiment has no platform: either)");
}

void print_estimate_text(const Estimate& e, const config::DeviceConfig& d) {
  fmt::print("device            {} ({})\n", d.name, d.description);
  fmt::print("operator          {} [{}], {}\n", e.op, roofline::op_type_name(e.type),
             config::dtype_name(e.dtype));
  fmt::print("time              {:.6f} ms  ({}-bound, limited by {})\n", e.time_ms(),
             e.bottleneck(), e.bound_level);
  fmt::print("flops             {:.6g}\n", e.flops);
  fmt::print("dram bytes        {:.6g}  (compulsory {:.6g})\n", e.dram_bytes, e.compulsory_bytes);
  fmt::print("arith. intensity  {:.4f} FLOP/B\n", e.arithmetic_intensity);
  fmt::print("compute           {:.6f} ms  (at peak {:.6f} ms)\n", e.compute_s * 1e3,
             e.ideal_compute_s * 1e3);
  if (e.tiles > 0) {
    fmt::print("quantization      tile {}x{}, {} tiles, {} waves, efficiency {:.2f}%\n", e.tile_m,
               e.tile_n, e.tiles, e.waves, e.quantization_efficiency * 100);
  }
  for (const auto& l : e.levels) {
    fmt::print("  {:<16}{:.6g} B  {:.6f} ms  {:.6g} J\n", l.name, l.bytes, l.time_s * 1e3,
               l.energy_j);
  }
  if (e.pack_bytes > 0) {
    fmt::print("operand packing   {:.6g} B  {:.6f} ms\n", e.pack_bytes, e.pack_s * 1e3);
  }
  fmt::print("launch            {:.6f} ms  (on {} of {} compute units)\n", e.launch_s * 1e3,
             e.units, d.compute_units);
  fmt::print("achieved          {:.2f}% of peak\n", e.achieved_fraction * 100);
  fmt::print("energy            {:.6g} J\n", e.energy_j);
}

int run_roofline(const RooflineOptions& o, const GlobalOptions& g) {
  const auto dtype = config::parse_dtype(o.dtype);
  if (!dtype) {
    static const std::vector<std::string> kDtypes{"fp32", "tf32", "bf16", "fp16", "fp8", "int8"};
    throw InputError(
        fmt::format("--dtype: expected one of fp32, tf32, bf16, fp16, fp8, int8, found '{}'{}",
                    o.dtype, did_you_mean(o.dtype, kDtypes)));
  }
  if (o.op.empty() == o.experiment.empty()) {
    throw InputError(fmt::format("roofline: expected either --op or an EXPERIMENT file, found {}",
                                 o.op.empty() ? "neither" : "both"));
  }
  if (!o.plot.empty()) check_output_file("--plot", o.plot);
  if (!o.op.empty()) {
    const config::DeviceConfig d = resolve_device(o, nullptr);
    if (o.units > d.compute_units) {
      throw InputError(
          fmt::format("--units: expected 0 (all) to {} (the compute units of {}), found {}",
                      d.compute_units, d.name, o.units));
    }
    OpSpec op = parse_op(o.op, *dtype);
    op.name = o.op;
    op.units = o.units;
    const Estimate e = roofline::estimate(op, d);
    if (!o.plot.empty()) write_file_atomically(o.plot, roofline_svg(d, *dtype, {e}));
    if (o.json) {
      nlohmann::ordered_json j;
      j["device"] = d.name;
      const nlohmann::ordered_json body = estimate_json(e);
      for (auto it = body.begin(); it != body.end(); ++it) j[it.key()] = it.value();
      print_json(j);
    } else if (!g.quiet) {
      print_estimate_text(e, d);
    }
    return 0;
  }
  const config::ExperimentConfig exp = config::load_experiment(o.experiment, g.overrides);
  const config::DeviceConfig d = resolve_device(o, &exp);
  const workload::Trace trace = workload::generate_trace(exp.workload);
  const roofline::WorkloadEstimate w = roofline::estimate_workload(trace, d);
  if (!o.plot.empty()) {
    const config::Dtype plot_dtype =
        w.ops.empty() ? roofline::dtype_for_bytes(2, d) : w.ops.front().dtype;
    write_file_atomically(o.plot, roofline_svg(d, plot_dtype, w.ops));
  }
  if (o.json) {
    nlohmann::ordered_json j;
    j["experiment"] = exp.name;
    j["device"] = d.name;
    j["model"] = trace.model;
    j["time_ms"] = w.time_s * 1e3;
    j["flops"] = w.flops;
    j["bytes"] = w.dram_bytes;
    j["arithmetic_intensity"] = w.dram_bytes > 0 ? w.flops / w.dram_bytes : 0.0;
    j["energy_j"] = w.energy_j;
    j["operators"] = w.ops.size();
    j["compute_bound_operators"] = w.compute_bound_ops;
    nlohmann::ordered_json ops = nlohmann::ordered_json::array();
    for (const auto& e : w.ops) ops.push_back(estimate_json(e));
    j["ops"] = ops;
    print_json(j);
    return 0;
  }
  if (g.quiet) return 0;
  Table t({{"op"},
           {"kind"},
           {"dtype"},
           {"MFLOP", Table::kRight},
           {"DRAM KiB", Table::kRight},
           {"FLOP/B", Table::kRight},
           {"time us", Table::kRight},
           {"bound"},
           {"peak", Table::kRight},
           {"energy uJ", Table::kRight}});
  for (const auto& e : w.ops) {
    t.add_row({e.op, roofline::op_type_name(e.type), config::dtype_name(e.dtype),
               Table::fixed(e.flops / 1e6, 3), Table::fixed(e.dram_bytes / 1024, 1),
               Table::fixed(e.arithmetic_intensity, 2), Table::fixed(e.time_s * 1e6, 3),
               e.compute_bound ? "compute" : e.bound_level, Table::percent(e.achieved_fraction, 1),
               Table::fixed(e.energy_j * 1e6, 3)});
  }
  std::cout << t.render();
  fmt::print(
      "\n{} on {}: {} operators ({} compute-bound), {:.6g} GFLOP, {:.6g} MB DRAM, "
      "{:.6f} ms, {:.6g} J\n",
      exp.name, d.name, w.ops.size(), w.compute_bound_ops, w.flops / 1e9, w.dram_bytes / 1e6,
      w.time_s * 1e3, w.energy_j);
  return 0;
}

const CommandRegistrar registrar(
    {"roofline"}, "analytical roofline + energy estimate of an operator or a workload",
    [](CLI::App& app) -> CommandAction {
      auto o = std::make_shared<RooflineOptions>();
      app.add_option("experiment", o->experiment, "experiment YAML (estimate its whole workload)")
          ->check(CLI::ExistingFile);
      app.add_option("--device,-d", o->device,
                     "device name from the library (tessera devices) or a device YAML file; "
                     "default: the experiment's platform");
      app.add_option("--op", o->op, std::string("one operator: ") + kOpForms);
      app.add_option("--dtype", o->dtype, "data type of --op: fp32 tf32 bf16 fp16 fp8 int8")
          ->capture_default_str();
      app.add_option("--devices-dir", o->devices_dirs,
                     "extra directory of device files, searched before $TESSERA_DEVICES and "
                     "the built-in library")
          ->check(CLI::ExistingDirectory);
      app.add_option("--plot", o->plot, "write the roofline as SVG to this file");
      app.add_option("--units", o->units,
                     "compute units --op runs on (cores, SMs; 0: all of the device's)")
          ->capture_default_str();
      app.add_flag("--json", o->json, "print JSON");
      return [o](const GlobalOptions& g) { return run_roofline(*o, g); };
    });

}  // namespace
}  // namespace tessera::cli

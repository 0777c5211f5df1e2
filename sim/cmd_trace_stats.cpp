// `tessera trace stats TRACE [--json] [--plot DIR]`: locality measures of a
// trace (reuse distances, reuse entropy, temporal locality, the exact LRU
// miss-ratio curve, the working set over time). Definitions: docs/analysis.md.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/analysis/trace_stats.h"
#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "models/workload/trace_io.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/output_path.h"
#include "sim/support/svg_plot.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

struct StatsCmdOptions {
  std::string trace;
  bool json = false;
  std::string plot_dir;
  std::vector<std::string> capacities;
  std::uint64_t window = 64;
  std::uint64_t ws_window = 0;
};

std::vector<Bytes> parse_capacities(const std::vector<std::string>& texts) {
  std::vector<Bytes> out;
  for (const std::string& t : texts) {
    const auto b = parse_bytes(t);
    if (!b || *b == 0) {
      throw InputError("--capacity: expected a size of at least 1 byte such as 64MiB, found '" + t +
                       "'");
    }
    out.push_back(*b);
  }
  return out;
}

// Entry counts 1, 2, 4, ... up to the distinct tensors: the object curve.
std::vector<std::uint64_t> entry_points(std::uint64_t tensors) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t n = 1; n < tensors; n *= 2) out.push_back(n);
  if (tensors > 0) out.push_back(tensors);
  return out;
}

nlohmann::ordered_json histogram_json(const std::vector<std::uint64_t>& hist) {
  auto arr = nlohmann::ordered_json::array();
  for (std::size_t b = 0; b < hist.size(); ++b) {
    const int bin = static_cast<int>(b);
    arr.push_back({{"bin", bin},
                   {"low", analysis::log2_bin_low(bin)},
                   {"high", bin == 0 ? 0 : (analysis::log2_bin_low(bin) * 2 - 1)},
                   {"count", hist[b]}});
  }
  return arr;
}

nlohmann::ordered_json stats_json(const std::string& path, const analysis::TraceStats& st) {
  nlohmann::ordered_json j;
  j["trace"] = path;
  j["events"] = st.events;
  j["tensors_touched"] = st.tensors_touched;
  j["distinct_bytes"] = st.distinct_bytes;
  j["accessed_bytes"] = st.accessed_bytes;
  j["reads"] = st.reads;
  j["writes"] = st.writes;
  j["partial_events"] = st.partial_events;
  j["cold_accesses"] = st.cold;
  j["reuses"] = st.reuses;
  j["reuse_distance"] = {{"mean_tensors", st.mean_distance_tensors},
                         {"mean_bytes", st.mean_distance_bytes},
                         {"max_tensors", st.max_distance_tensors},
                         {"histogram_tensors", histogram_json(st.distance_hist)},
                         {"histogram_bytes", histogram_json(st.byte_distance_hist)}};
  j["reuse_time"] = {{"mean_events", st.mean_time_events},
                     {"histogram_events", histogram_json(st.time_hist)}};
  j["reuse_entropy_bits"] = st.reuse_entropy_bits;
  j["temporal_locality"] = {{"window_events", st.locality_window_events},
                            {"score", st.temporal_locality}};
  j["tensor_size_histogram"] = histogram_json(st.tensor_size_hist);
  auto bytes = nlohmann::ordered_json::array();
  for (const auto& p : st.mrc.by_bytes) {
    bytes.push_back({{"capacity_bytes", p.capacity_bytes},
                     {"accesses", p.accesses},
                     {"hits", p.hits},
                     {"misses", p.misses},
                     {"miss_ratio", p.miss_ratio()},
                     {"bytes_hit", p.bytes_hit},
                     {"bytes_missed", p.bytes_missed},
                     {"byte_miss_ratio", p.byte_miss_ratio()}});
  }
  auto entries = nlohmann::ordered_json::array();
  for (std::uint64_t n : entry_points(st.tensors_touched)) {
    entries.push_back({{"entries", n},
                       {"hits", st.mrc.hits_with_entries(n)},
                       {"miss_ratio", st.mrc.miss_ratio_with_entries(n)}});
  }
  j["lru_mrc"] = {{"growth_misses", st.mrc.growth}, {"by_bytes", bytes}, {"by_entries", entries}};
  std::uint64_t max_ws = 0;
  double mean_ws = 0.0;
  for (Bytes b : st.working_set.bytes) {
    max_ws = std::max<std::uint64_t>(max_ws, b);
    mean_ws += static_cast<double>(b);
  }
  if (!st.working_set.bytes.empty()) mean_ws /= static_cast<double>(st.working_set.bytes.size());
  j["working_set"] = {{"window_events", st.working_set.window_events},
                      {"max_bytes", max_ws},
                      {"mean_bytes", mean_ws},
                      {"bytes", st.working_set.bytes}};
  return j;
}

void print_text(const std::string& path, const analysis::TraceStats& st) {
  fmt::print("trace {}\n\n", path);
  Table summary({{"measure"}, {"value", Table::kRight}});
  summary.add_row({"events", Table::count(st.events)});
  summary.add_row({"tensors touched", Table::count(st.tensors_touched)});
  summary.add_row({"distinct bytes", format_bytes(st.distinct_bytes)});
  summary.add_row({"accessed bytes", format_bytes(st.accessed_bytes)});
  summary.add_row({"partial-tensor events", Table::count(st.partial_events)});
  summary.add_row({"cold accesses", Table::count(st.cold)});
  summary.add_row({"mean reuse distance (tensors)", Table::fixed(st.mean_distance_tensors, 2)});
  summary.add_row({"mean reuse distance (bytes)",
                   format_bytes(static_cast<Bytes>(std::llround(st.mean_distance_bytes)))});
  summary.add_row({"mean reuse time (events)", Table::fixed(st.mean_time_events, 2)});
  summary.add_row({"reuse entropy (bits)", Table::fixed(st.reuse_entropy_bits, 4)});
  summary.add_row({fmt::format("temporal locality (W = {})", st.locality_window_events),
                   Table::fixed(st.temporal_locality, 4)});
  std::fputs(summary.render().c_str(), stdout);

  fmt::print("\nreuse distance histogram (tensors, log2 bins)\n");
  Table hist({{"distance"}, {"reuses", Table::kRight}, {"share", Table::kRight}});
  for (std::size_t b = 0; b < st.distance_hist.size(); ++b) {
    const int bin = static_cast<int>(b);
    const std::string range = bin == 0   ? "0"
                              : bin == 1 ? "1"
                                         : fmt::format("{}..{}", analysis::log2_bin_low(bin),
                                                       analysis::log2_bin_low(bin) * 2 - 1);
    hist.add_row({range, Table::count(st.distance_hist[b]),
                  Table::percent(st.reuses == 0 ? 0.0
                                                : static_cast<double>(st.distance_hist[b]) /
                                                      static_cast<double>(st.reuses))});
  }
  std::fputs(hist.render().c_str(), stdout);

  fmt::print("\nLRU miss-ratio curve (tensor-granular, exact)\n");
  Table mrc({{"capacity"},
             {"hits", Table::kRight},
             {"miss ratio", Table::kRight},
             {"byte miss ratio", Table::kRight}});
  for (const auto& p : st.mrc.by_bytes) {
    mrc.add_row({format_bytes(p.capacity_bytes), Table::count(p.hits),
                 Table::fixed(p.miss_ratio(), 4), Table::fixed(p.byte_miss_ratio(), 4)});
  }
  std::fputs(mrc.render().c_str(), stdout);
  if (st.mrc.growth > 0) {
    fmt::print(
        "note: {} accesses touched more of their tensor than before (a growing KV cache): they "
        "miss at every capacity (docs/analysis.md 2.1)\n",
        Table::count(st.mrc.growth));
  }
  std::uint64_t max_ws = 0;
  for (Bytes b : st.working_set.bytes) max_ws = std::max<std::uint64_t>(max_ws, b);
  fmt::print("\nworking set: {} windows of {} events, largest {}\n", st.working_set.bytes.size(),
             st.working_set.window_events, format_bytes(max_ws));
}

void write_plots(const std::filesystem::path& dir, const analysis::TraceStats& st) {
  {
    SvgPlot p;
    p.title = "Reuse-distance histogram";
    p.x_label = "log2 bin b of the reuse distance (b = 0: distance 0; b: 2^(b-1) .. 2^b - 1)";
    p.y_label = "reuses";
    SvgSeries s{"reuses", {}, true, true};
    for (std::size_t b = 0; b < st.distance_hist.size(); ++b) {
      s.points.emplace_back(static_cast<double>(b), static_cast<double>(st.distance_hist[b]));
    }
    p.series.push_back(std::move(s));
    write_file_atomically(dir / "reuse_distance.svg", p.render());
  }
  {
    SvgPlot p;
    p.title = "LRU miss-ratio curve";
    p.x_label = "capacity";
    p.y_label = "miss ratio";
    p.x_scale = SvgPlot::Scale::kLog;
    p.x_bytes = true;
    p.y_min = 0;
    p.y_max = 1;
    SvgSeries s{"lru", {}, true, true};
    for (const auto& pt : st.mrc.by_bytes) {
      s.points.emplace_back(static_cast<double>(pt.capacity_bytes), pt.miss_ratio());
    }
    p.series.push_back(std::move(s));
    write_file_atomically(dir / "mrc.svg", p.render());
  }
  {
    SvgPlot p;
    p.title = "Working set over time";
    p.x_label = fmt::format("event index (windows of {} events)", st.working_set.window_events);
    p.y_label = "distinct bytes in the window";
    SvgSeries s{"working set", {}, false, true};
    for (std::size_t w = 0; w < st.working_set.bytes.size(); ++w) {
      s.points.emplace_back(static_cast<double>(w * st.working_set.window_events),
                            static_cast<double>(st.working_set.bytes[w]));
    }
    p.series.push_back(std::move(s));
    write_file_atomically(dir / "working_set.svg", p.render());
  }
}

int run_stats(const StatsCmdOptions& opts, const GlobalOptions& /*globals*/) {
  if (opts.window == 0) throw InputError("--window: expected at least 1 event, found 0");
  if (!opts.plot_dir.empty()) check_output_dir("--plot", opts.plot_dir);
  const workload::Trace trace = workload::read_trace(opts.trace);
  analysis::StatsOptions so;
  so.capacities_bytes = parse_capacities(opts.capacities);
  so.locality_window_events = opts.window;
  so.working_set_window_events = opts.ws_window;
  const analysis::TraceStats st = analysis::compute_trace_stats(trace, so);
  if (!opts.plot_dir.empty()) write_plots(opts.plot_dir, st);
  if (opts.json) {
    print_json(stats_json(opts.trace, st));
  } else {
    print_text(opts.trace, st);
    if (!opts.plot_dir.empty()) {
      fmt::print("plots: {}/{{reuse_distance,mrc,working_set}}.svg\n", opts.plot_dir);
    }
  }
  return kExitOk;
}

const CommandRegistrar registrar(
    {"trace", "stats"},
    "locality of a trace: reuse distances, entropy, temporal locality, LRU MRC, working set",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<StatsCmdOptions>();
      app.add_option("trace", opts->trace, "trace file (.tst or .csv)")
          ->required()
          ->check(CLI::ExistingFile);
      app.add_flag("--json", opts->json, "print JSON instead of tables");
      app.add_option("--plot", opts->plot_dir,
                     "write reuse_distance.svg, mrc.svg and working_set.svg into DIR")
          ->type_name("DIR");
      app.add_option("--capacity", opts->capacities,
                     "MRC capacities, e.g. 1MiB,16MiB (default: 16 log-spaced from the smallest "
                     "tensor to the trace's distinct bytes)")
          ->delimiter(',')
          ->type_name("SIZE,...");
      app.add_option("--window", opts->window,
                     "W of the temporal locality score: reuse time <= W events")
          ->capture_default_str();
      app.add_option("--ws-window", opts->ws_window,
                     "working-set window in events (default 0: events / 100, rounded up)");
      return [opts](const GlobalOptions& g) { return run_stats(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

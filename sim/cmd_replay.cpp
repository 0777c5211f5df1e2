// `tessera replay EXPERIMENT.yaml`: replays the experiment's trace through
// the cache under every policy x capacity of its replay: section (or of
// --policy / --capacity), in parallel, and prints them side by side; -o
// writes the figures as JSON, --mrc a miss-ratio curve as CSV and SVG.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <sstream>
#include <thread>

#include "models/cache/plugin_loader.h"
#include "models/cache/replay.h"
#include "models/config/experiment_config.h"
#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "models/core/version.h"
#include "models/workload/generator.h"
#include "models/workload/trace_io.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/output_path.h"
#include "sim/support/progress.h"
#include "sim/support/svg_plot.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

struct ReplayOptions {
  std::string experiment;
  std::string trace;
  std::string policies;    // comma-separated, overrides replay.policies
  std::string capacities;  // comma-separated sizes, overrides replay.capacities
  std::string organization;
  std::string output;
  std::string mrc_dir;
  unsigned threads = 0;
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::vector<std::uint32_t> resolve_pins(const config::ReplayConfig& rc,
                                        const workload::Trace& trace) {
  std::vector<std::uint32_t> ids;
  for (std::uint32_t i = 0; i < trace.tensors.size(); ++i) {
    const workload::TensorInfo& t = trace.tensors[i];
    bool pin = std::find(rc.pin_roles.begin(), rc.pin_roles.end(),
                         workload::tensor_role_name(t.role)) != rc.pin_roles.end();
    for (const std::string& name : rc.pin_tensors) {
      const bool prefix = !name.empty() && name.back() == '*';
      pin = pin || (prefix ? t.name.compare(0, name.size() - 1, name, 0, name.size() - 1) == 0
                           : t.name == name);
    }
    if (pin) ids.push_back(i);
  }
  // A name that matches nothing is most likely a typo.
  for (std::size_t k = 0; k < rc.pin_tensors.size(); ++k) {
    const std::string& name = rc.pin_tensors[k];
    const bool prefix = !name.empty() && name.back() == '*';
    const bool found = std::any_of(trace.tensors.begin(), trace.tensors.end(), [&](const auto& t) {
      return prefix ? t.name.compare(0, name.size() - 1, name, 0, name.size() - 1) == 0
                    : t.name == name;
    });
    if (!found) {
      throw InputError(rc.pin_tensor_marks[k] + ": replay.pin_tensors: expected the name of a " +
                       "tensor in the trace (or a prefix ending in '*'), found '" + name + "'");
    }
  }
  return ids;
}

// Log-spaced capacities from min to max inclusive; for set-associative
// caches rounded down to whole sets (at least one). Duplicates removed.
std::vector<Bytes> mrc_capacities(Bytes min, Bytes max, std::uint32_t points, Bytes granule) {
  std::vector<Bytes> out;
  const double lo = std::log(static_cast<double>(min));
  const double hi = std::log(static_cast<double>(max));
  for (std::uint32_t i = 0; i < points; ++i) {
    const double x = std::exp(lo + (hi - lo) * i / (points - 1));
    Bytes c = static_cast<Bytes>(std::llround(x));
    c = std::max(granule, c / granule * granule);
    if (out.empty() || out.back() != c) out.push_back(c);
  }
  return out;
}

// Runs specs in parallel, with a progress bar when it takes a while.
std::vector<cache::ReplayResult> run_specs(const cache::PreparedTrace& prepared,
                                           const std::vector<cache::ReplaySpec>& specs,
                                           unsigned threads, const GlobalOptions& globals,
                                           const std::string& label) {
  std::uint64_t total = 0;
  for (const auto& s : specs) total += cache::replay_length(prepared, s);
  std::atomic<std::uint64_t> done{0};
  std::vector<cache::ReplayResult> results;
  std::exception_ptr error;
  std::atomic<bool> finished{false};
  std::thread worker([&] {
    try {
      results = cache::replay_all(prepared, specs, threads, &done);
    } catch (...) {
      error = std::current_exception();
    }
    finished = true;
  });
  {
    Progress progress(label, total, !globals.quiet);
    while (!finished) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      progress.update(done.load());
    }
    progress.finish();
  }
  worker.join();
  if (error) std::rethrow_exception(error);
  return results;
}

nlohmann::ordered_json run_json(const cache::ReplayResult& r) {
  const cache::CacheCounters& c = r.counters;
  nlohmann::ordered_json j;
  j["policy"] = r.policy;
  j["capacity_bytes"] = r.capacity_bytes;
  j["accesses"] = c.accesses;
  j["hits"] = c.hits;
  j["misses"] = c.misses;
  j["hit_rate"] = r.hit_rate();
  j["byte_hit_rate"] = r.byte_hit_rate();
  j["evictions"] = c.evictions;
  j["bypasses"] = c.bypasses;
  j["writebacks"] = c.writebacks;
  j["bytes_accessed"] = c.bytes_accessed;
  j["bytes_hit"] = c.bytes_hit;
  j["bytes_read_from_dram"] = c.bytes_read_from_dram;
  j["bytes_written_to_dram"] = c.bytes_written_to_dram;
  j["dirty_bytes_at_end"] = r.dirty_bytes_at_end;
  // The original prototype's figures, under its names.
  j["cache_hits"] = c.hits;
  j["dram_accesses"] = c.misses;
  j["total_latency_ms"] = r.total_latency_ms;
  j["bandwidth_wait_time_ms"] = r.bandwidth_wait_time_ms;
  j["cache_hit_rate_pct"] = 100.0 * r.hit_rate();
  return j;
}

void write_mrc(const std::string& dir, const std::vector<std::string>& policies,
               const std::vector<Bytes>& capacities,
               const std::vector<cache::ReplayResult>& results, const std::string& title) {
  std::string csv = "policy,capacity_bytes,accesses,misses,miss_ratio,byte_miss_ratio\n";
  SvgPlot plot;
  plot.title = title;
  plot.x_label = "capacity";
  plot.y_label = "miss ratio";
  plot.x_scale = SvgPlot::Scale::kLog;
  plot.x_bytes = true;
  plot.y_min = 0;
  plot.y_max = 1;
  std::size_t i = 0;
  for (const std::string& policy : policies) {
    SvgSeries series{policy, {}};
    for (std::size_t k = 0; k < capacities.size(); ++k, ++i) {
      const cache::ReplayResult& r = results[i];
      const double miss_ratio = 1.0 - r.hit_rate();
      const double byte_miss_ratio = 1.0 - r.byte_hit_rate();
      csv += fmt::format("{},{},{},{},{:.6f},{:.6f}\n", policy, r.capacity_bytes,
                         r.counters.accesses, r.counters.misses, miss_ratio, byte_miss_ratio);
      series.points.emplace_back(static_cast<double>(r.capacity_bytes), miss_ratio);
    }
    plot.series.push_back(std::move(series));
  }
  write_file_atomically(std::filesystem::path(dir) / "mrc.csv", csv);
  write_file_atomically(std::filesystem::path(dir) / "mrc.svg", plot.render());
}

int run_replay(const ReplayOptions& opts, const GlobalOptions& globals) {
  cache::load_policy_plugins(globals.policy_plugins);
  if (!opts.output.empty()) check_output_file("-o", opts.output);
  if (!opts.mrc_dir.empty()) check_output_dir("--mrc", opts.mrc_dir);
  const config::ExperimentConfig e = config::load_experiment(opts.experiment, globals.overrides);
  const config::ReplayConfig& rc = e.replay;

  std::vector<std::string> policies = rc.policies;
  if (!opts.policies.empty()) {
    policies = split_commas(opts.policies);
    if (policies.empty()) throw InputError("--policy: expected policy names, found nothing");
    for (const std::string& p : policies) cache::check_policy_name(p, "--policy");
  } else {
    for (std::size_t i = 0; i < policies.size(); ++i) {
      cache::check_policy_name(policies[i], rc.policy_marks[i]);
    }
  }

  std::vector<Bytes> capacities = rc.capacities;
  if (!opts.capacities.empty()) {
    capacities.clear();
    for (const std::string& c : split_commas(opts.capacities)) {
      const auto bytes = parse_bytes(c);
      if (!bytes || *bytes == 0) {
        throw InputError("--capacity: expected a size such as 64MiB, found '" + c + "'");
      }
      capacities.push_back(*bytes);
    }
    if (capacities.empty()) throw InputError("--capacity: expected sizes, found nothing");
  }
  std::string organization = rc.organization;
  if (!opts.organization.empty()) organization = opts.organization;

  workload::Trace trace =
      opts.trace.empty() ? workload::generate_trace(e.workload) : workload::read_trace(opts.trace);
  const cache::PreparedTrace prepared(trace);

  cache::ReplaySpec base;
  base.organization =
      organization == "tensor" ? cache::Organization::kTensor : cache::Organization::kSetAssoc;
  base.geometry.ways = rc.ways;
  base.geometry.line_bytes = rc.line_bytes;
  if (base.organization == cache::Organization::kTensor)
    base.pinned_tensors = resolve_pins(rc, trace);
  base.seed = e.seed;
  base.score_weight_size = rc.score_weight_size;
  base.score_weight_reuse = rc.score_weight_reuse;
  base.score_weight_stride = rc.score_weight_stride;
  base.latency.hit_ms = rc.hit_latency_ms;
  base.latency.miss_ms_per_mib = rc.miss_latency_ms_per_mib;
  base.latency.bandwidth_bytes_per_s = rc.bandwidth_bytes_per_s;
  const unsigned threads = opts.threads != 0 ? opts.threads : rc.threads;

  // Policy-major order: results[p * capacities + c].
  std::vector<cache::ReplaySpec> specs;
  for (const std::string& p : policies) {
    for (Bytes c : capacities) {
      cache::ReplaySpec s = base;
      s.policy = p;
      s.capacity_bytes = c;
      specs.push_back(s);
    }
  }
  const auto results = run_specs(prepared, specs, threads, globals, "replay");

  Bytes footprint = 0;
  for (const auto& t : trace.tensors) footprint += t.bytes;

  if (!globals.quiet) {
    fmt::print("replay of '{}': {} accesses, {} tensors, footprint {}, {} organization\n", e.name,
               Table::count(trace.events.size()), Table::count(trace.tensors.size()),
               format_bytes(footprint), organization);
  }
  Table table({{"policy"},
               {"capacity", Table::kRight},
               {"hits", Table::kRight},
               {"misses", Table::kRight},
               {"hit rate", Table::kRight},
               {"byte hit rate", Table::kRight},
               {"evictions", Table::kRight},
               {"DRAM read", Table::kRight},
               {"DRAM written", Table::kRight},
               {"latency ms", Table::kRight}});
  for (const auto& r : results) {
    table.add_row({r.policy, format_bytes(r.capacity_bytes), Table::count(r.counters.hits),
                   Table::count(r.counters.misses), Table::percent(r.hit_rate()),
                   Table::percent(r.byte_hit_rate()), Table::count(r.counters.evictions),
                   format_bytes(r.counters.bytes_read_from_dram),
                   format_bytes(r.counters.bytes_written_to_dram),
                   Table::fixed(r.total_latency_ms, 3)});
  }
  fmt::print("{}", table.render());

  if (!opts.output.empty()) {
    nlohmann::ordered_json doc;
    doc["schema_version"] = kResultSchemaVersion;
    doc["tessera_version"] = kVersion;
    doc["command"] = "replay";
    doc["experiment"] = e.name;
    doc["trace"] = {{"source", opts.trace.empty() ? "generated" : opts.trace},
                    {"model", trace.model},
                    {"events", trace.events.size()},
                    {"tensors", trace.tensors.size()},
                    {"footprint_bytes", footprint}};
    doc["organization"] = organization;
    if (base.organization == cache::Organization::kSetAssoc) {
      doc["set_assoc"] = {{"ways", rc.ways}, {"line_bytes", rc.line_bytes}};
    }
    doc["pinned_tensors"] = base.pinned_tensors.size();
    doc["latency_model"] = {{"hit_ms", rc.hit_latency_ms},
                            {"miss_ms_per_mib", rc.miss_latency_ms_per_mib},
                            {"bandwidth_bytes_per_s", rc.bandwidth_bytes_per_s}};
    nlohmann::ordered_json runs = nlohmann::ordered_json::array();
    for (const auto& r : results) runs.push_back(run_json(r));
    doc["runs"] = std::move(runs);
    write_json(opts.output, doc);
    if (!globals.quiet) fmt::print("results: {}\n", opts.output);
  }

  if (!opts.mrc_dir.empty()) {
    const Bytes granule = base.organization == cache::Organization::kSetAssoc
                              ? static_cast<Bytes>(rc.ways) * rc.line_bytes
                              : 1;
    const Bytes max = rc.mrc_max_bytes != 0 ? rc.mrc_max_bytes : std::max<Bytes>(footprint, 2);
    const Bytes min = std::min(rc.mrc_min_bytes, max / 2);
    const std::vector<Bytes> sweep =
        mrc_capacities(std::max<Bytes>(min, 1), max, rc.mrc_points, granule);
    std::vector<cache::ReplaySpec> mrc_specs;
    for (const std::string& p : policies) {
      for (Bytes c : sweep) {
        cache::ReplaySpec s = base;
        s.policy = p;
        s.capacity_bytes = c;
        mrc_specs.push_back(s);
      }
    }
    const auto mrc = run_specs(prepared, mrc_specs, threads, globals, "miss-ratio curve");
    write_mrc(opts.mrc_dir, policies, sweep, mrc, "Miss-ratio curve: " + e.name);
    if (!globals.quiet) {
      fmt::print("miss-ratio curve: {}/mrc.csv, {}/mrc.svg ({} capacities)\n", opts.mrc_dir,
                 opts.mrc_dir, sweep.size());
    }
  }
  return 0;
}

const CommandRegistrar registrar(
    {"replay"}, "replay a trace through the cache under several policies and capacities",
    [](CLI::App& app) -> CommandAction {
      auto opts = std::make_shared<ReplayOptions>();
      app.add_option("experiment", opts->experiment, "experiment YAML file")
          ->required()
          ->check(CLI::ExistingFile);
      app.add_option("--trace", opts->trace,
                     "replay this trace file (.tst or .csv) instead of generating the workload")
          ->check(CLI::ExistingFile);
      app.add_option("--policy", opts->policies,
                     "comma-separated policies (default: replay.policies); see `tessera policies`")
          ->type_name("P1,P2");
      app.add_option("--capacity", opts->capacities,
                     "comma-separated capacities, e.g. 16MiB,64MiB (default: replay.capacities)")
          ->type_name("SIZE,...");
      app.add_option("--organization", opts->organization,
                     "cache organization (default: replay.organization)")
          ->check(CLI::IsMember({"tensor", "set-assoc"}));
      app.add_option("-o,--output", opts->output, "write the results as JSON to this file");
      app.add_option("--mrc", opts->mrc_dir,
                     "also sweep log-spaced capacities (replay.mrc) and write DIR/mrc.csv and "
                     "DIR/mrc.svg")
          ->type_name("DIR");
      app.add_option("--threads", opts->threads, "worker threads (default: every core)");
      return [opts](const GlobalOptions& g) { return run_replay(*opts, g); };
    });

}  // namespace
}  // namespace tessera::cli

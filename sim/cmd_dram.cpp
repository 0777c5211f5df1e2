// `tessera dram PRESET_OR_CONFIG [--trace FILE | --pattern P] [--requests N] [--json]`:
// replays memory requests through the DRAM model (the core alone, or through
// the TLM-2.0 target with --tlm at|lt) and reports bandwidth, latency,
// row-buffer behaviour, refresh overhead and energy.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "models/config/dram_config.h"
#include "models/core/error.h"
#include "models/core/suggest.h"
#include "models/dram/checker/timing_checker.h"
#include "models/dram/from_config.h"
#include "models/dram/presets.h"
#include "models/dram/run.h"
#include "models/tlm/dram_replay.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/progress.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

struct DramOptions {
  std::string target;
  std::string trace;
  std::string pattern;
  std::uint64_t requests = 0;  // 0: 100000 for patterns, the whole trace for files
  std::string bytes = "64";
  std::uint64_t seed = 1;
  std::string tlm;  // "", "at" or "lt"
  bool check = false;
  bool json = false;
};

dram::DramSpec load_spec(const std::string& target, const GlobalOptions& g) {
  if (dram::has_preset(target)) {
    return dram::spec_from_config(config::dram_from_preset(target, g.overrides));
  }
  if (std::filesystem::is_regular_file(target)) {
    return dram::spec_from_config(config::load_dram_file(target, g.overrides));
  }
  std::error_code ec;
  const std::string found = std::filesystem::is_directory(target, ec)
                                ? "a directory '" + target + "'"
                                : "'" + target + "'" + did_you_mean(target, dram::preset_names());
  throw InputError(fmt::format(
      "dram: expected a DRAM preset ({}) or a config file with a dram: section, found {}",
      fmt::join(dram::preset_names(), ", "), found));
}

// A Tessera tensor-access trace (.tst binary or .csv) is the trace a user has
// at hand, but it holds tensors, not addresses and times: say so instead of
// quoting its binary first line back.
void reject_tensor_trace(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(22, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.rfind("\x89TST", 0) == 0 || head.rfind("# tessera-trace-csv", 0) == 0) {
    throw InputError(path +
                     ": expected a DRAM request trace (Tessera text 'TIME R|W ADDRESS [BYTES]', "
                     "DRAMSys .stl or Ramulator 2 LD/ST), found a Tessera tensor-access trace "
                     "(replay it with `tessera replay` or `tessera run`)");
  }
}

int run_dram(const DramOptions& o, const GlobalOptions& g) {
  dram::DramSpec spec = load_spec(o.target, g);
  if (!o.trace.empty() && !o.pattern.empty()) {
    throw InputError("dram: expected --trace or --pattern, found both");
  }
  const auto bytes = parse_bytes(o.bytes);
  if (!bytes || *bytes == 0 || *bytes > 1024 * 1024) {
    throw InputError(
        fmt::format("--bytes: expected a size between 1 B and 1 MiB, found '{}'", o.bytes));
  }
  std::unique_ptr<dram::RequestSource> source;
  std::uint64_t total = 0;
  std::string workload;
  if (!o.trace.empty()) {
    reject_tensor_trace(o.trace);
    dram::DramTraceFormat format;
    auto reqs = dram::read_dram_trace(o.trace, spec.timing.tck_ps, &format, o.requests);
    if (reqs.empty()) {
      throw InputError(o.trace + ": expected at least one request, found none");
    }
    total = reqs.size();
    workload = fmt::format("{} ({})", o.trace, dram::to_string(format));
    source = std::make_unique<dram::VectorSource>(std::move(reqs));
  } else {
    const std::string pattern = o.pattern.empty() ? "stream" : o.pattern;
    total = o.requests == 0 ? 100000 : o.requests;
    workload = pattern;
    source =
        std::make_unique<dram::PatternSource>(dram::parse_pattern(pattern), spec.capacity_bytes(),
                                              total, static_cast<std::uint32_t>(*bytes), o.seed);
  }

  Progress progress("dram", total, !g.quiet && !o.json);
  std::uint64_t done = 0;
  const dram::CompletionHook hook = [&](const dram::DramCompletion&) { progress.update(++done); };
  dram::RunSummary s;
  std::uint64_t held_back = 0;
  std::size_t violations = 0;
  std::string engine = "core";
  if (o.tlm.empty()) {
    dram::DramSystem core(spec, o.check);
    s = dram::run_core(core, *source, hook);
    if (o.check) {
      const dram::TimingChecker checker(spec);
      for (std::uint32_t ch = 0; ch < core.controllers(); ++ch) {
        const auto v = checker.check(core.command_log(ch), s.last_done_ps / spec.timing.tck_ps);
        for (std::size_t i = 0; i < v.size() && i < 5; ++i) {
          fmt::print(stderr, "controller {}: {}\n", ch, v[i].message);
        }
        violations += v.size();
      }
    }
  } else {
    if (o.check) throw InputError("--check: expected a core run, found --tlm (check the core)");
    engine = "tlm-" + o.tlm;
    const auto r = tlm_models::run_dram_tlm(
        spec, *source, o.tlm == "at" ? tlm_models::TlmMode::kAt : tlm_models::TlmMode::kLt, hook);
    s = r.summary;
    held_back = r.held_back;
  }
  progress.finish();

  const double share = s.peak_bandwidth_gbps > 0 ? s.bandwidth_gbps / s.peak_bandwidth_gbps : 0;
  if (o.json) {
    nlohmann::ordered_json j;
    j["dram"] = spec.name;
    j["standard"] = spec.standard;
    j["engine"] = engine;
    j["workload"] = workload;
    j["requests"] = s.requests;
    j["reads"] = s.reads;
    j["writes"] = s.writes;
    j["bytes"] = s.bytes;
    j["elapsed_ns"] = static_cast<double>(s.last_done_ps - s.first_arrival_ps) / 1000.0;
    j["bandwidth_gbps"] = s.bandwidth_gbps;
    j["peak_bandwidth_gbps"] = s.peak_bandwidth_gbps;
    j["bandwidth_share"] = share;
    j["latency_ns"] = {
        {"mean", s.latency_mean_ns}, {"p50", s.latency_p50_ns}, {"p99", s.latency_p99_ns}};
    j["row_hits"] = s.row_hits;
    j["row_misses"] = s.row_misses;
    j["row_conflicts"] = s.row_conflicts;
    j["activates"] = s.activates;
    j["refreshes"] = s.refreshes;
    j["refreshes_per_bank"] = s.refreshes_pb;
    j["refresh_overhead"] = s.refresh_overhead;
    j["energy_pj"] = s.energy_pj;
    j["energy_pj_per_bit"] = s.energy_pj_per_bit;
    if (!o.tlm.empty()) j["held_back"] = held_back;
    if (o.check) j["timing_violations"] = violations;
    print_json(j);
  } else {
    fmt::print("{} ({}), {} via {}: {} requests\n", spec.name, spec.standard, workload, engine,
               Table::count(s.requests));
    Table t({{"metric"}, {"value", Table::kRight}});
    t.add_row({"bandwidth", fmt::format("{:.2f} GB/s", s.bandwidth_gbps)});
    t.add_row({"peak bandwidth", fmt::format("{:.2f} GB/s", s.peak_bandwidth_gbps)});
    t.add_row({"share of peak", fmt::format("{:.1f} %", 100.0 * share)});
    t.add_row({"latency mean", fmt::format("{:.2f} ns", s.latency_mean_ns)});
    t.add_row({"latency p50", fmt::format("{:.2f} ns", s.latency_p50_ns)});
    t.add_row({"latency p99", fmt::format("{:.2f} ns", s.latency_p99_ns)});
    t.add_row({"row hits", Table::count(s.row_hits)});
    t.add_row({"row misses", Table::count(s.row_misses)});
    t.add_row({"row conflicts", Table::count(s.row_conflicts)});
    t.add_row({"refresh overhead", fmt::format("{:.2f} %", 100.0 * s.refresh_overhead)});
    t.add_row({"energy", fmt::format("{:.2f} pJ/bit", s.energy_pj_per_bit)});
    if (o.check) t.add_row({"timing violations", Table::count(violations)});
    fmt::print("{}", t.render());
  }
  if (violations != 0) {
    throw RuntimeError(fmt::format("dram: the timing checker found {} violations", violations));
  }
  return 0;
}

const CommandRegistrar registrar(
    {"dram"}, "replay memory requests through a DRAM model: bandwidth, latency, row hits, energy",
    [](CLI::App& app) -> CommandAction {
      auto o = std::make_shared<DramOptions>();
      app.add_option("target", o->target,
                     "a DRAM preset (DDR4-3200, DDR5-4800, LPDDR5-6400, GDDR6, HBM2E, HBM3) or a "
                     "YAML file with a dram: section")
          ->required();
      app.add_option("--trace", o->trace,
                     "request trace: Tessera text, DRAMSys .stl or Ramulator 2 LD/ST")
          ->check(CLI::ExistingFile);
      app.add_option("--pattern", o->pattern,
                     "synthetic requests: stream, random, strided:N or mix:R:W (default stream)");
      app.add_option("--requests", o->requests,
                     "requests to replay (0, the default: 100000 for patterns, the whole trace "
                     "for --trace; with --trace: at most this many)");
      app.add_option("--bytes", o->bytes, "request size for patterns (default 64)");
      app.add_option("--seed", o->seed, "seed of random patterns (default 1)");
      app.add_option("--tlm", o->tlm, "run through the TLM-2.0 target: at or lt (default: core)")
          ->check(CLI::IsMember({"at", "lt"}));
      app.add_flag("--check", o->check, "replay the command log through the timing checker");
      app.add_flag("--json", o->json, "print JSON instead of a table");
      return [o](const GlobalOptions& g) { return run_dram(*o, g); };
    });

}  // namespace
}  // namespace tessera::cli

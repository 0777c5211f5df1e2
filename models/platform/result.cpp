#include "models/platform/result.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "models/core/version.h"
#include "models/roofline/estimator.h"
#include "models/roofline/platform_device.h"
#include "models/roofline/workload_estimate.h"
#include "models/tile/op_timing.h"

namespace tessera::platform {

using nlohmann::ordered_json;

std::vector<OpFigures> op_figures(const TimedRun& run, std::size_t op_count) {
  std::vector<OpFigures> out(op_count);
  for (const auto& tile : run.record.tiles) {
    for (const TileOpRecord& r : tile) {
      if (r.op_id >= op_count) continue;
      OpFigures& f = out[r.op_id];
      f.span_ps = std::max(f.span_ps, r.end_ps - r.start_ps);
      f.compute_cycles = std::max(f.compute_cycles, r.compute_cycles);
      for (Picoseconds s : r.stall_ps) f.stall_ps += s;
      f.read_bytes += r.read_bytes;
      f.write_bytes += r.write_bytes;
    }
  }
  return out;
}

Picoseconds total_time_ps(const TimedRun& run) {
  Picoseconds t = 0;
  for (Picoseconds f : run.record.tile_finish_ps) t = std::max(t, f);
  return t;
}

EnergyBreakdown energy_of(const TimedRun& run, const RunContext& ctx) {
  EnergyBreakdown e;
  const auto& ops = ctx.trace->ops;
  for (const auto& op : ops) {
    const double macs = static_cast<double>(op.flops) / 2.0;
    e.compute_pj += macs * ctx.energy.mac_pj(op.dtype_bytes);
  }
  Bytes tile_bytes = 0;
  for (const auto& s : run.schedule) tile_bytes += s.read_bytes + s.write_bytes;
  const CacheStats& c = run.record.cache;
  e.scratchpad_pj = static_cast<double>(tile_bytes) * ctx.energy.scratchpad_pj_per_byte;
  const Bytes cache_bytes = c.read_hit_bytes + c.fill_bytes + c.write_hit_bytes +
                            c.write_miss_bytes - c.bypass_write_bytes;
  e.cache_pj = static_cast<double>(cache_bytes) * ctx.energy.cache_pj_per_byte;
  e.interconnect_pj = static_cast<double>(tile_bytes) * ctx.energy.interconnect_pj_per_byte;
  e.dram_pj = run.dram_energy_pj;
  return e;
}

namespace {

std::uint64_t whole_cycles(Picoseconds ps, Picoseconds period) {
  return (ps + period - 1) / period;
}

ordered_json platform_json(const config::PlatformConfig& p) {
  ordered_json j;
  j["name"] = p.name;
  j["source"] = p.source;
  j["clock_hz"] = p.clock_hz;
  j["tiles"] = {{"count", p.tiles.count},
                {"kind", config::tile_kind_name(p.tiles.kind)},
                {"rows", p.tiles.rows},
                {"cols", p.tiles.cols},
                {"dataflow", config::dataflow_name(p.tiles.dataflow)},
                {"lanes", p.tiles.lanes},
                {"scratchpad_bytes", p.tiles.scratchpad_bytes},
                {"accumulator_bytes", p.tiles.accumulator_bytes},
                {"double_buffering", p.tiles.double_buffering},
                {"max_outstanding", p.tiles.max_outstanding}};
  j["cache"] = {{"organization", config::cache_organization_name(p.cache.organization)},
                {"hit_latency_cycles", p.cache.hit_latency_cycles},
                {"banks", p.cache.banks}};
  j["interconnect"] = {{"bytes_per_cycle", p.interconnect.bytes_per_cycle},
                       {"latency_cycles", p.interconnect.latency_cycles},
                       {"arbitration", config::arbitration_name(p.interconnect.arbitration)},
                       {"burst_bytes", p.interconnect.burst_bytes}};
  j["dram"] = {{"preset", p.dram.preset}, {"channels", p.dram.channels}};
  return j;
}

// Per-operator roofline estimate on the platform-as-device, and the bound a
// simulation can never beat: the compute time at the platform's peak (the
// memory side of an operator is not attributable once fetches of the next
// operator overlap and the cache holds earlier results; the whole-run check
// below covers DRAM).
struct OpRoofline {
  double estimate_ps = 0;
  double bound_ps = 0;
  std::string bottleneck;
};

std::vector<OpRoofline> rooflines(const RunContext& ctx, double dram_bytes_per_s) {
  const workload::Trace& trace = *ctx.trace;
  const config::DeviceConfig device =
      roofline::device_from_platform(*ctx.platform, dram_bytes_per_s);
  const std::vector<Bytes> op_bytes = roofline::bytes_per_op(trace);
  std::vector<OpRoofline> out(trace.ops.size());
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    const workload::OpInfo& op = trace.ops[i];
    try {
      const roofline::Estimate e =
          roofline::estimate(roofline::op_spec_from_trace(trace, i, op_bytes, device), device);
      out[i].estimate_ps = e.time_s * 1e12;
      out[i].bottleneck = e.bottleneck();
    } catch (const std::exception&) {
      out[i].bottleneck = "n/a";  // an operator the estimator has no model for (no work)
    }
    const bool matrix = tile::is_gemm_like(op);
    double flops = static_cast<double>(op.flops);
    if (matrix) {
      flops = std::min(flops, 2.0 * static_cast<double>(std::max<std::uint64_t>(op.batch, 1)) *
                                  static_cast<double>(op.m) * static_cast<double>(op.n) *
                                  static_cast<double>(op.k));
    }
    const double peak = matrix && ctx.platform->tiles.kind == config::TileKind::kSystolic
                            ? device.peak(config::Dtype::kFp32)
                            : device.vector_flops_per_s;
    out[i].bound_ps = peak > 0 ? flops / peak * 1e12 : 0;
  }
  return out;
}

ordered_json run_json(const RunContext& ctx, const TimedRun& run) {
  const workload::Trace& trace = *ctx.trace;
  const config::PlatformConfig& p = *ctx.platform;
  const Picoseconds period = p.clock_period_ps();
  const Picoseconds total = total_time_ps(run);
  const RunRecord& rec = run.record;
  ordered_json j;
  j["mode"] = run.mode;
  j["policy"] = run.policy;
  j["capacity_bytes"] = run.capacity_bytes;
  j["total_cycles"] = whole_cycles(total, period);
  j["total_time_ps"] = total;
  j["total_time_ms"] = static_cast<double>(total) / kPsPerMs;
  j["transactions"] = rec.transactions;
  j["tile_transactions"] = rec.tile_transactions;
  j["wall_seconds"] = run.wall_seconds;
  j["transactions_per_second"] =
      run.wall_seconds > 0 ? static_cast<double>(rec.transactions) / run.wall_seconds : 0.0;

  // Tiles.
  ordered_json tiles = ordered_json::array();
  Cycles compute_bound_cycles = 0;
  for (std::size_t t = 0; t < rec.tiles.size(); ++t) {
    Cycles compute = 0;
    std::array<Picoseconds, kStallReasonCount> stall{};
    for (const TileOpRecord& r : rec.tiles[t]) {
      compute += r.compute_cycles;
      for (int k = 0; k < kStallReasonCount; ++k) stall[k] += r.stall_ps[k];
    }
    compute_bound_cycles = std::max(compute_bound_cycles, compute);
    ordered_json stalls;
    for (int k = 0; k < kStallReasonCount; ++k) {
      stalls[stall_reason_name(static_cast<StallReason>(k))] = whole_cycles(stall[k], period);
    }
    tiles.push_back({{"tile", t},
                     {"compute_cycles", compute},
                     {"stall_cycles", stalls},
                     {"finish_cycles", whole_cycles(rec.tile_finish_ps[t], period)},
                     {"utilization", total ? static_cast<double>(compute * period) / total : 0.0},
                     {"bytes_read", run.schedule[t].read_bytes},
                     {"bytes_written", run.schedule[t].write_bytes}});
  }
  j["tiles"] = tiles;

  // Cache.
  const CacheStats& c = rec.cache;
  const std::uint64_t reads = c.read_hits + c.read_misses;
  j["cache"] = {{"organization", config::cache_organization_name(p.cache.organization)},
                {"read_hits", c.read_hits},
                {"read_misses", c.read_misses},
                {"write_hits", c.write_hits},
                {"write_misses", c.write_misses},
                {"hit_rate", reads ? static_cast<double>(c.read_hits) / reads : 0.0},
                {"read_hit_bytes", c.read_hit_bytes},
                {"read_miss_bytes", c.read_miss_bytes},
                {"write_hit_bytes", c.write_hit_bytes},
                {"write_miss_bytes", c.write_miss_bytes},
                {"lookups", c.lookups},
                {"lookup_hits", c.lookup_hits},
                {"bypasses", c.bypasses},
                {"fill_bytes", c.fill_bytes},
                {"bypass_write_bytes", c.bypass_write_bytes},
                {"writeback_bytes", c.writeback_bytes}};

  // DRAM.
  ordered_json channels = ordered_json::array();
  Bytes dram_read = 0, dram_written = 0;
  for (std::size_t ch = 0; ch < rec.channels.size(); ++ch) {
    const DramChannelRecord& d = rec.channels[ch];
    dram_read += d.read_bytes;
    dram_written += d.write_bytes;
    const DramChannelCounters rc =
        ch < run.dram_channels.size() ? run.dram_channels[ch] : DramChannelCounters{};
    const std::uint64_t accesses = rc.row_hits + rc.row_misses + rc.row_conflicts;
    channels.push_back(
        {{"channel", ch},
         {"requests", d.requests},
         {"read_bytes", d.read_bytes},
         {"write_bytes", d.write_bytes},
         {"bandwidth_gbps", total ? static_cast<double>(d.read_bytes + d.write_bytes) /
                                        (static_cast<double>(total) / 1e3)
                                  : 0.0},
         {"row_hits", rc.row_hits},
         {"row_misses", rc.row_misses},
         {"row_conflicts", rc.row_conflicts},
         {"row_buffer_hit_rate", accesses ? static_cast<double>(rc.row_hits) / accesses : 0.0},
         {"latency_ns",
          {{"count", d.latency.count()},
           {"mean", d.latency.mean_ns()},
           {"p50", d.latency.quantile_ns(0.50)},
           {"p90", d.latency.quantile_ns(0.90)},
           {"p99", d.latency.quantile_ns(0.99)},
           {"max", d.latency.max_ns()}}}});
  }
  j["dram"] = {{"preset", run.dram_name},
               {"peak_bandwidth_gbps", run.dram_peak_bytes_per_s / 1e9},
               {"read_bytes", dram_read},
               {"write_bytes", dram_written},
               {"channels", channels}};

  // Energy.
  const EnergyBreakdown e = energy_of(run, ctx);
  j["energy_pj"] = {{"compute", e.compute_pj}, {"scratchpad", e.scratchpad_pj},
                    {"cache", e.cache_pj},     {"interconnect", e.interconnect_pj},
                    {"dram", e.dram_pj},       {"total", e.total_pj()}};

  // Operators and layers, with the roofline side by side.
  const std::vector<OpFigures> figs = op_figures(run, trace.ops.size());
  const std::vector<OpRoofline> roofs = rooflines(ctx, run.dram_peak_bytes_per_s);
  ordered_json ops = ordered_json::array();
  std::map<std::uint32_t, OpFigures> layers;
  std::uint64_t below = 0;
  for (std::size_t i = 0; i < trace.ops.size(); ++i) {
    const OpFigures& f = figs[i];
    const workload::OpInfo& op = trace.ops[i];
    const bool below_bound = static_cast<double>(f.span_ps) + 0.5 < roofs[i].bound_ps;
    below += below_bound ? 1 : 0;
    ops.push_back(
        {{"op", i},
         {"name", op.name},
         {"kind", workload::op_kind_name(op.kind)},
         {"layer", op.layer},
         {"cycles", whole_cycles(f.span_ps, period)},
         {"compute_cycles", f.compute_cycles},
         {"stall_cycles", whole_cycles(f.stall_ps, period)},
         {"bytes_read", f.read_bytes},
         {"bytes_written", f.write_bytes},
         {"roofline",
          {{"estimate_ps", roofs[i].estimate_ps},
           {"bound_ps", roofs[i].bound_ps},
           {"bottleneck", roofs[i].bottleneck},
           {"ratio",
            roofs[i].estimate_ps > 0 ? static_cast<double>(f.span_ps) / roofs[i].estimate_ps : 0.0},
           {"below_bound", below_bound}}}});
    OpFigures& l = layers[op.layer];
    l.span_ps += f.span_ps;
    l.compute_cycles += f.compute_cycles;
    l.stall_ps += f.stall_ps;
    l.read_bytes += f.read_bytes;
    l.write_bytes += f.write_bytes;
  }
  ordered_json layer_rows = ordered_json::array();
  for (const auto& [layer, l] : layers) {
    layer_rows.push_back({{"layer", layer},
                          {"cycles", whole_cycles(l.span_ps, period)},
                          {"compute_cycles", l.compute_cycles},
                          {"stall_cycles", whole_cycles(l.stall_ps, period)},
                          {"bytes_moved", l.read_bytes + l.write_bytes}});
  }
  j["layers"] = layer_rows;
  j["operators"] = ops;

  // Whole-run checks: nothing beats the busiest tile's compute or the DRAM's peak.
  const double memory_bound_ps =
      run.dram_peak_bytes_per_s > 0
          ? static_cast<double>(dram_read + dram_written) / run.dram_peak_bytes_per_s * 1e12
          : 0.0;
  j["checks"] = {{"compute_bound_cycles", compute_bound_cycles},
                 {"memory_bound_ps", memory_bound_ps},
                 {"below_compute_bound", total < compute_bound_cycles * period},
                 {"below_memory_bound", static_cast<double>(total) + 0.5 < memory_bound_ps},
                 {"operators_below_roofline_bound", below}};
  return j;
}

}  // namespace

ordered_json result_json(const RunContext& ctx, const std::vector<TimedRun>& runs) {
  ordered_json j;
  j["schema_version"] = kResultSchemaVersion;
  j["tessera_version"] = kVersion;
  j["engine"] = "timed";
  j["experiment"] = ctx.experiment;
  j["mode"] = ctx.mode;
  j["workload"] = {{"model", ctx.trace->model},
                   {"family", ctx.trace->family},
                   {"operators", ctx.trace->ops.size()},
                   {"events", ctx.trace->events.size()},
                   {"tensors", ctx.trace->tensors.size()}};
  j["platform"] = platform_json(*ctx.platform);
  j["energy_sources"] = {
      {"mac", "Horowitz ISSCC 2014: int8 0.23 pJ, fp16 1.5 pJ, fp32 4.6 pJ per multiply-add"},
      {"scratchpad", "Horowitz ISSCC 2014: 32 KB SRAM 20 pJ per 64-bit read = 2.5 pJ/byte"},
      {"cache", "Horowitz ISSCC 2014: 1 MB SRAM 100 pJ per 64-bit read = 12.5 pJ/byte"},
      {"interconnect",
       "Keckler et al. IEEE Micro 2011: ~0.1 pJ/bit/mm, 2 mm assumed = 1.6 pJ/byte"},
      {"dram", "the DRAM model's per-command and background energy (models/dram presets)"}};
  ordered_json rows = ordered_json::array();
  for (const TimedRun& run : runs) rows.push_back(run_json(ctx, run));
  j["runs"] = rows;
  return j;
}

namespace {

double us(Picoseconds ps) {
  return static_cast<double>(ps) / 1e6;
}

void slice(ordered_json& events, std::size_t pid, std::size_t tid, const std::string& name,
           const char* cat, Picoseconds start, Picoseconds end) {
  if (end <= start) return;
  events.push_back({{"name", name},
                    {"cat", cat},
                    {"ph", "X"},
                    {"pid", pid},
                    {"tid", tid},
                    {"ts", us(start)},
                    {"dur", us(end - start)}});
}

void meta(ordered_json& events, const char* what, std::size_t pid, std::size_t tid,
          const std::string& name) {
  events.push_back(
      {{"name", what}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", {{"name", name}}}});
}

}  // namespace

ordered_json timeline_json(const RunContext& ctx, const std::vector<TimedRun>& runs) {
  ordered_json events = ordered_json::array();
  const Picoseconds period = ctx.platform->clock_period_ps();
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const TimedRun& run = runs[r];
    const RunRecord& rec = run.record;
    meta(events, "process_name", r, 0,
         ctx.platform->name + " " + run.mode + " " + run.policy + " " +
             format_bytes(run.capacity_bytes));
    const std::size_t tiles = rec.tiles.size();
    for (std::size_t t = 0; t < tiles; ++t) {
      meta(events, "thread_name", r, t, "tile " + std::to_string(t));
      for (const TileOpRecord& op : rec.tiles[t]) {
        const std::string& name = ctx.trace->ops[op.op_id].name;
        slice(events, r, t, name, "op", op.start_ps, op.end_ps);
        slice(events, r, t, "stall: operand_fetch", "stall", op.start_ps, op.compute_start_ps);
        const Picoseconds compute_end = op.compute_start_ps + op.compute_cycles * period;
        slice(events, r, t, "stall: issue_blocked / drain", "stall", compute_end, op.end_ps);
      }
    }
    meta(events, "thread_name", r, tiles, "cache: misses outstanding");
    for (const Interval& i : rec.cache_misses.intervals()) {
      slice(events, r, tiles, "miss", "cache", i.start_ps, i.end_ps);
    }
    for (std::size_t ch = 0; ch < rec.channels.size(); ++ch) {
      const std::size_t tid = tiles + 1 + ch;
      meta(events, "thread_name", r, tid, "dram channel " + std::to_string(ch));
      for (const Interval& i : rec.channels[ch].busy.intervals()) {
        slice(events, r, tid, "busy", "dram", i.start_ps, i.end_ps);
      }
    }
  }
  ordered_json j;
  j["traceEvents"] = events;
  j["displayTimeUnit"] = "ns";
  j["otherData"] = {
      {"experiment", ctx.experiment},
      {"mode", ctx.mode},
      {"note", ctx.mode == "lt" ? "LT mode: cache and DRAM tracks are not recorded" : "AT mode"}};
  return j;
}

}  // namespace tessera::platform

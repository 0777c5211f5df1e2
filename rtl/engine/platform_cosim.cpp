#include "rtl/engine/platform_cosim.h"

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <memory>
#include <systemc>
#include <tlm>

#include "models/core/error.h"
#include "models/dram/dram_system.h"
#include "models/dram/from_config.h"
#include "models/platform/cache_core.h"
#include "models/platform/run_record.h"
#include "models/tlm/cache_module.h"
#include "models/tlm/dram_target.h"
#include "models/tlm/interconnect.h"
#include "models/tlm/platform_payload.h"
#include "models/workload/trace.h"
#include "rtl/engine/rtl_attention_tile.h"
#include "rtl/engine/rtl_dot_tile.h"

namespace tessera::rtl {

namespace {

Bytes align_up(Bytes x, Bytes a) {
  return (x + a - 1) / a * a;
}

// Adds one tensor per chunk of `bytes` at `base` to the trace; returns the first's id.
std::uint32_t add_chunks(workload::Trace& trace, const std::string& name, std::uint64_t base,
                         Bytes bytes, Bytes chunk_bytes) {
  const auto first = static_cast<std::uint32_t>(trace.tensors.size());
  for (Bytes off = 0; off < std::max<Bytes>(bytes, 1); off += chunk_bytes) {
    workload::TensorInfo t;
    t.name = name;
    t.address = base + off;
    t.bytes = std::max<Bytes>(1, std::min<Bytes>(chunk_bytes, bytes - off));
    trace.add_tensor(t);
  }
  return first;
}

// The operand and result tensors as the cache core sees them: one tensor per chunk of
// each tile's A, B and C (see rtl_tile_base.h), at the addresses the tiles use.
workload::Trace dot_layout(const PlatformCosimRequest& r, Bytes burst,
                           std::vector<DotTileWork>& work) {
  workload::Trace trace;
  trace.model = "cosim-dot";
  const std::uint32_t tiles = r.platform->tiles.count;
  std::uint64_t address = 0;
  for (std::uint32_t t = 0; t < tiles; ++t) {
    const std::size_t row0 = r.rows * t / tiles, row1 = r.rows * (t + 1) / tiles;
    const std::string tile = "tile" + std::to_string(t);
    DotTileWork w;
    w.a = r.a + row0 * r.k;
    w.b = r.b + row0 * r.k;
    w.rows = row1 - row0;
    w.k = r.k;
    w.chunk_bytes = r.chunk_bytes;
    const Bytes n = w.rows * w.k;
    w.a_address = address;
    w.a_tensor = add_chunks(trace, tile + ".a", address, n, r.chunk_bytes);
    address = align_up(address + n, burst);
    w.b_address = address;
    w.b_tensor = add_chunks(trace, tile + ".b", address, n, r.chunk_bytes);
    address = align_up(address + n, burst);
    w.c_address = address;
    w.c_tensor = add_chunks(trace, tile + ".c", address, w.rows, r.chunk_bytes);
    address = align_up(address + w.rows, burst);
    work.push_back(w);
  }
  return trace;
}

// Attention: K, then V (one copy for all tiles), then each tile's Q rows and O rows, each
// region aligned to the burst size, one tensor per chunk.
workload::Trace attention_layout(const PlatformCosimRequest& r, Bytes burst,
                                 std::vector<AttentionTileWork>& work) {
  workload::Trace trace;
  trace.model = "cosim-attention";
  const std::uint32_t tiles = r.platform->tiles.count;
  constexpr Bytes kRow = kRtlAttentionHeadDim * kRtlAttentionElementBytes;
  const Bytes kv = r.keys * kRow;
  const std::uint64_t k_address = 0;
  const std::uint32_t k_tensor = add_chunks(trace, "k", k_address, kv, r.chunk_bytes);
  const std::uint64_t v_address = align_up(kv, burst);
  const std::uint32_t v_tensor = add_chunks(trace, "v", v_address, kv, r.chunk_bytes);
  std::uint64_t address = align_up(v_address + kv, burst);
  for (std::uint32_t t = 0; t < tiles; ++t) {
    const std::size_t row0 = r.rows * t / tiles, row1 = r.rows * (t + 1) / tiles;
    const std::string tile = "tile" + std::to_string(t);
    AttentionTileWork w;
    w.q = r.q + row0 * kRtlAttentionHeadDim;
    w.k = r.key;
    w.v = r.value;
    w.rows = row1 - row0;
    w.keys = r.keys;
    w.chunk_bytes = r.chunk_bytes;
    w.k_address = k_address;
    w.k_tensor = k_tensor;
    w.v_address = v_address;
    w.v_tensor = v_tensor;
    const Bytes n = w.rows * kRow;
    w.q_address = address;
    w.q_tensor = add_chunks(trace, tile + ".q", address, n, r.chunk_bytes);
    address = align_up(address + n, burst);
    w.o_address = address;
    w.o_tensor = add_chunks(trace, tile + ".o", address, n, r.chunk_bytes);
    address = align_up(address + n, burst);
    work.push_back(w);
  }
  return trace;
}

using TileFactory =
    std::function<std::unique_ptr<RtlTileBase>(std::uint32_t tile, tlm_platform::PayloadPool&)>;

class CosimTop : public sc_core::sc_module {
 public:
  CosimTop(sc_core::sc_module_name name, const PlatformCosimRequest& r,
           const workload::Trace& trace, const dram::DramSpec& spec, const TileFactory& make)
      : sc_module(name),
        pool_(static_cast<unsigned>(r.platform->interconnect.burst_bytes)),
        core_(r.platform->cache, r.platform->cache.capacities_bytes.front(),
              r.platform->cache.policies.front(), trace, r.seed) {
    const config::PlatformConfig& p = *r.platform;
    record_.channels.resize(spec.org.controllers());
    dram_ = std::make_unique<tlm_models::DramTarget>("dram", spec);
    interconnect_ = std::make_unique<tlm_platform::Interconnect>("interconnect", p, p.tiles.count,
                                                                 p.cache.banks);
    cache_ = std::make_unique<tlm_platform::CacheModule>("cache", p, core_, dram_->core().mapping(),
                                                         pool_, record_);
    for (std::uint32_t t = 0; t < p.tiles.count; ++t) {
      tiles_.push_back(make(t, pool_));
      tiles_.back()->socket.bind(interconnect_->in);
    }
    for (std::uint32_t b = 0; b < p.cache.banks; ++b) interconnect_->out.bind(cache_->in);
    cache_->dram.bind(dram_->socket);
  }

  std::vector<std::unique_ptr<RtlTileBase>> tiles_;
  platform::RunRecord record_;

 private:
  tlm_platform::PayloadPool pool_;
  platform::SharedCacheCore core_;
  std::unique_ptr<tlm_models::DramTarget> dram_;
  std::unique_ptr<tlm_platform::Interconnect> interconnect_;
  std::unique_ptr<tlm_platform::CacheModule> cache_;
};

}  // namespace

DotUnitInfo rtl_dot_unit() {
  return DotEngine::info();
}

numerics::AttentionConfig rtl_attention_unit() {
  numerics::AttentionConfig c;  // the defaults are the Verilated parameter set
  c.head_dim = kRtlAttentionHeadDim;
  c.score_format = c.softmax_format = c.out_format = numerics::FpFormat{5, 10};
  c.score_reduce = numerics::DotReduce::kTree;
  c.score_method = c.softmax_method = c.out_method = numerics::AccumMethod::kNaive;
  return c;
}

int rtl_attention_latency_cycles() {
  return kRtlAttentionMulLatency + 4;  // attention_unit.v: out_valid after the last key
}

PlatformCosimResult run_platform_cosim(const PlatformCosimRequest& r) {
  const config::PlatformConfig& p = *r.platform;
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS)) {
    throw RuntimeError("the RTL co-simulation needs SystemC's default 1 ps time resolution");
  }
  // The platform's memory as every engine builds it (preset, dram: overrides, channels).
  const dram::DramSpec spec =
      dram::spec_from_platform(p.dram, p.source.empty() ? "platform" : p.source);

  const bool attention = p.tiles.kind == config::TileKind::kRtlAttention;
  PlatformCosimResult out;
  std::vector<DotTileWork> dot_work;
  std::vector<AttentionTileWork> att_work;
  workload::Trace trace;
  if (attention) {
    trace = attention_layout(r, p.interconnect.burst_bytes, att_work);
    out.results.assign(r.rows * kRtlAttentionHeadDim, 0);
    for (std::uint32_t t = 0; t < p.tiles.count; ++t) {
      att_work[t].out = out.results.data() + r.rows * t / p.tiles.count * kRtlAttentionHeadDim;
    }
  } else {
    trace = dot_layout(r, p.interconnect.burst_bytes, dot_work);
    out.results.assign(r.rows, 0);
    for (std::uint32_t t = 0; t < p.tiles.count; ++t) {
      dot_work[t].results = out.results.data() + r.rows * t / p.tiles.count;
    }
  }
  const TileFactory make = [&](std::uint32_t t,
                               tlm_platform::PayloadPool& pool) -> std::unique_ptr<RtlTileBase> {
    const std::string name = "tile" + std::to_string(t);
    const WaveFormat waves = t == 0 ? r.waves : WaveFormat::kNone;
    if (attention) {
      return std::make_unique<RtlAttentionTile>(name.c_str(), t, att_work[t], p, pool, waves);
    }
    return std::make_unique<RtlDotTile>(name.c_str(), t, dot_work[t], p, pool, waves);
  };
  CosimTop top("cosim", r, trace, spec, make);

  const auto wall0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  if (r.waves != WaveFormat::kNone) {
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaborate, then attach the trace
    top.tiles_.front()->open_trace(r.waves_path);
  }
  do {
    sc_core::sc_start();
  } while (sc_core::sc_pending_activity());
  out.cpu_seconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  top.tiles_.front()->close_trace();

  for (std::uint32_t t = 0; t < p.tiles.count; ++t) {
    const RtlTileBase& tile = *top.tiles_[t];
    if (!tile.done()) {
      throw RuntimeError(fmt::format("cosim: tile {} stopped before its last result", t));
    }
    const TileRecord& rec = tile.record();
    PlatformCosimTile o;
    o.rows = attention ? att_work[t].rows : dot_work[t].rows;
    o.beats = rec.beats;
    o.first_beat_cycle = rec.first_beat_cycle;
    o.last_result_cycle = rec.last_result_cycle;
    o.finish_cycle = rec.finish_cycle;
    o.clocked_cycles = rec.clocked_cycles;
    o.read_bursts = rec.read_bursts;
    o.write_bursts = rec.write_bursts;
    o.read_bytes = rec.read_bytes;
    o.write_bytes = rec.write_bytes;
    out.cycles = std::max(out.cycles, rec.finish_cycle);
    out.tiles.push_back(o);
  }
  for (const auto& ch : top.record_.channels) {
    out.dram_read_bytes += ch.read_bytes;
    out.dram_write_bytes += ch.write_bytes;
  }
  out.cache_read_hits = top.record_.cache.read_hits;
  out.cache_read_misses = top.record_.cache.read_misses;
  out.dram_peak_bytes_per_s = spec.peak_bytes_per_second();
  out.dram_name = spec.name;
  return out;
}

}  // namespace tessera::rtl

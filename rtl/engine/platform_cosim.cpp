#include "rtl/engine/platform_cosim.h"

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <systemc>
#include <tlm>

#include "models/core/error.h"
#include "models/dram/dram_system.h"
#include "models/dram/presets.h"
#include "models/platform/cache_core.h"
#include "models/platform/run_record.h"
#include "models/tlm/cache_module.h"
#include "models/tlm/dram_target.h"
#include "models/tlm/interconnect.h"
#include "models/tlm/platform_payload.h"
#include "models/workload/trace.h"
#include "rtl/engine/rtl_dot_tile.h"

namespace tessera::rtl {

namespace {

Bytes align_up(Bytes x, Bytes a) {
  return (x + a - 1) / a * a;
}

// The operand and result tensors as the cache core sees them: one tensor per chunk of
// each tile's A, B and C (see rtl_dot_tile.h), at the addresses the tiles use.
workload::Trace layout(const PlatformCosimRequest& r, Bytes burst, std::vector<DotTileWork>& work) {
  workload::Trace trace;
  trace.model = "cosim-dot";
  const std::uint32_t tiles = r.platform->tiles.count;
  std::uint64_t address = 0;
  auto add_chunks = [&](const std::string& name, std::uint64_t base, Bytes bytes) {
    const auto first = static_cast<std::uint32_t>(trace.tensors.size());
    for (Bytes off = 0; off < std::max<Bytes>(bytes, 1); off += r.chunk_bytes) {
      workload::TensorInfo t;
      t.name = name;
      t.address = base + off;
      t.bytes = std::max<Bytes>(1, std::min<Bytes>(r.chunk_bytes, bytes - off));
      trace.add_tensor(t);
    }
    return first;
  };
  for (std::uint32_t t = 0; t < tiles; ++t) {
    const std::size_t row0 = r.rows * t / tiles, row1 = r.rows * (t + 1) / tiles;
    DotTileWork w;
    w.a = r.a + row0 * r.k;
    w.b = r.b + row0 * r.k;
    w.rows = row1 - row0;
    w.k = r.k;
    w.chunk_bytes = r.chunk_bytes;
    const Bytes n = w.rows * w.k;
    w.a_address = address;
    w.a_tensor = add_chunks("tile" + std::to_string(t) + ".a", address, n);
    address = align_up(address + n, burst);
    w.b_address = address;
    w.b_tensor = add_chunks("tile" + std::to_string(t) + ".b", address, n);
    address = align_up(address + n, burst);
    w.c_address = address;
    w.c_tensor = add_chunks("tile" + std::to_string(t) + ".c", address, w.rows);
    address = align_up(address + w.rows, burst);
    work.push_back(w);
  }
  return trace;
}

class CosimTop : public sc_core::sc_module {
 public:
  CosimTop(sc_core::sc_module_name name, const PlatformCosimRequest& r,
           const workload::Trace& trace, std::vector<DotTileWork>& work, const dram::DramSpec& spec)
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
      tiles_.push_back(std::make_unique<RtlDotTile>(("tile" + std::to_string(t)).c_str(), t,
                                                    work[t], p, pool_,
                                                    t == 0 && !r.vcd_path.empty()));
      tiles_.back()->socket.bind(interconnect_->in);
    }
    for (std::uint32_t b = 0; b < p.cache.banks; ++b) interconnect_->out.bind(cache_->in);
    cache_->dram.bind(dram_->socket);
  }

  std::vector<std::unique_ptr<RtlDotTile>> tiles_;
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

PlatformCosimResult run_platform_cosim(const PlatformCosimRequest& r) {
  const config::PlatformConfig& p = *r.platform;
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS)) {
    throw RuntimeError("the RTL co-simulation needs SystemC's default 1 ps time resolution");
  }
  dram::DramSpec spec = dram::preset(p.dram.preset, "platform.dram.preset");
  spec.org.channels *= p.dram.channels;
  dram::validate(spec, p.source.empty() ? "platform" : p.source);

  std::vector<DotTileWork> work;
  const workload::Trace trace = layout(r, p.interconnect.burst_bytes, work);
  PlatformCosimResult out;
  out.results.assign(r.rows, 0);
  for (std::uint32_t t = 0; t < p.tiles.count; ++t) {
    work[t].results = out.results.data() + r.rows * t / p.tiles.count;
  }
  CosimTop top("cosim", r, trace, work, spec);

  const auto wall0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  if (!r.vcd_path.empty()) {
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaborate, then attach the trace
    top.tiles_.front()->open_trace(r.vcd_path);
  }
  do {
    sc_core::sc_start();
  } while (sc_core::sc_pending_activity());
  out.cpu_seconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  top.tiles_.front()->close_trace();

  for (std::uint32_t t = 0; t < p.tiles.count; ++t) {
    const RtlDotTile& tile = *top.tiles_[t];
    if (!tile.done()) {
      throw RuntimeError(fmt::format("cosim: tile {} stopped before its last result", t));
    }
    const DotTileRecord& rec = tile.record();
    PlatformCosimTile o;
    o.rows = work[t].rows;
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

// The `rtl-dot` and `rtl-attention` tile kinds at work: a dot-product workload on a timed
// platform whose tiles are RtlDotTile, or an attention workload on RtlAttentionTile (the
// Verilated SystemC unit behind the shared TLM adapter, RtlTileBase), fed through the
// platform's own interconnect, shared cache and DRAM target (models/tlm, instantiated as
// they are). Plain C++ interface: no SystemC or Verilated header leaks to the caller.
//
//   tile 0 (RTL) ─┐                      ┌─ bank 0 ─┐
//   tile T (RTL) ─┴─ Interconnect (xbar) ┴─ bank B ─┴─ CacheModule ── DRAM target
//
// Rows (dot products, or attention query rows) are split between the tiles in contiguous
// blocks (tile t: rows [t*R/T, (t+1)*R/T)); for attention every tile reads the one copy of
// K and V.
// Runs one SystemC simulation: at most once per process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/config/platform_config.h"
#include "models/numerics/attention_model.h"
#include "rtl/engine/dot_engine.h"
#include "rtl/engine/traced_unit.h"

namespace tessera::rtl {

struct PlatformCosimRequest {
  const config::PlatformConfig* platform = nullptr;  // tiles.kind: rtl-dot or rtl-attention
  // rtl-dot: rows dot products of length k.
  const std::uint64_t* a = nullptr;  // rows x k E4M3 bit patterns
  const std::uint64_t* b = nullptr;
  std::size_t rows = 0, k = 0;
  // rtl-attention: rows query rows against `keys` keys, D = rtl_attention_unit().head_dim
  // lanes, E5M10 bit patterns.
  const std::uint64_t* q = nullptr;      // rows x D
  const std::uint64_t* key = nullptr;    // keys x D
  const std::uint64_t* value = nullptr;  // keys x D
  std::size_t keys = 0;
  std::uint64_t seed = 1;  // the cache policy's seed
  // Not kNone: tile 0 carries the tracing twin of its unit and writes this waveform to
  // waves_path (every signal of the unit, all levels).
  WaveFormat waves = WaveFormat::kNone;
  std::string waves_path;
  Bytes chunk_bytes = 4096;  // cache residency granule of the operand streams
};

struct PlatformCosimTile {
  std::uint64_t rows = 0, beats = 0;
  std::uint64_t first_beat_cycle = 0, last_result_cycle = 0, finish_cycle = 0;
  std::uint64_t clocked_cycles = 0;
  std::uint64_t read_bursts = 0, write_bursts = 0;
  Bytes read_bytes = 0, write_bytes = 0;
};

struct PlatformCosimResult {
  std::vector<std::uint64_t> results;  // rtl-dot: rows; rtl-attention: rows x D
  std::vector<PlatformCosimTile> tiles;
  std::uint64_t cycles = 0;  // until the last tile's last write was acknowledged
  Bytes dram_read_bytes = 0, dram_write_bytes = 0;
  std::uint64_t cache_read_hits = 0, cache_read_misses = 0;
  double dram_peak_bytes_per_s = 0;
  std::string dram_name;
  double wall_seconds = 0;  // of the simulation alone (for speed figures; not in results)
  double cpu_seconds = 0;
};

// The unit every rtl-dot tile carries (the one Verilated configuration).
DotUnitInfo rtl_dot_unit();
// The unit every rtl-attention tile carries (the one Verilated configuration), and its
// latency: a row's output follows its last key by this many cycles.
numerics::AttentionConfig rtl_attention_unit();
int rtl_attention_latency_cycles();

PlatformCosimResult run_platform_cosim(const PlatformCosimRequest& request);

}  // namespace tessera::rtl

// RtlAttentionTile: a tile of the timed platform whose compute engine is the Verilated
// attention unit (rtl/attention_unit.v) as a SystemC module: Vattention_e5m10_d4_sc (D = 4
// lanes, E5M10 in all three stages, tree score reduction, naive accumulation, MUL_LATENCY
// 1), or its VCD- or FST-tracing twin. The TLM <-> pin adapter (burst reads, write-back, clock
// gating, record) is RtlTileBase's; this tile adds the unit's data pins and what a beat is:
//
//   streams: its query rows Q (rows x D), the keys K and the values V (keys x D each, the
//     same addresses for every tile: one copy in memory, shared through the cache), two
//     bytes per E5M10 element, read burst by burst in turn; the output rows O (rows x D)
//     written back. K and V are read once and kept in the tile's scratchpad; each query
//     row streams them from there.
//   beat: one key (in_q = the query row, in_k = K row j, in_v = V row j, in_last on the
//     row's last key); a row's output follows MUL_LATENCY + 4 cycles after its last key,
//     and the unit takes no key of the next row until it has been taken (in_ready low).
#pragma once

#include <cstdint>
#include <memory>

#include "rtl/engine/rtl_tile_base.h"

namespace tessera::rtl {

// The one Verilated configuration of the attention tile.
constexpr int kRtlAttentionHeadDim = 4;
constexpr int kRtlAttentionMulLatency = 1;
constexpr Bytes kRtlAttentionElementBytes = 2;  // E5M10

// One tile's share of the workload and where it lives in memory.
struct AttentionTileWork {
  const std::uint64_t* q = nullptr;  // rows x D bit patterns (two bytes each in memory)
  const std::uint64_t* k = nullptr;  // keys x D
  const std::uint64_t* v = nullptr;  // keys x D
  std::uint64_t* out = nullptr;      // rows x D
  std::size_t rows = 0, keys = 0;
  std::uint64_t q_address = 0, k_address = 0, v_address = 0, o_address = 0;
  std::uint32_t q_tensor = 0, k_tensor = 0, v_tensor = 0, o_tensor = 0;  // first chunks
  Bytes chunk_bytes = 4096;
};

class RtlAttentionTile : public RtlTileBase {
 public:
  RtlAttentionTile(sc_core::sc_module_name name, std::uint32_t id, const AttentionTileWork& work,
                   const config::PlatformConfig& platform, tlm_platform::PayloadPool& pool,
                   WaveFormat waves);

 private:
  bool beat_ready(std::uint64_t beat) const override;
  void drive_beat(std::uint64_t beat) override;
  void take_output() override;

  AttentionTileWork work_;
  std::uint64_t rows_done_ = 0;
  sc_core::sc_signal<std::uint64_t> in_q_{"in_q"}, in_k_{"in_k"}, in_v_{"in_v"}, out_o_{"out_o"};
  // The Verilated model, behind TracedUnit (its header pulls in all of SystemC's); last, so
  // it goes before the signals its pins are bound to.
  std::unique_ptr<TracedUnit> unit_;
};

}  // namespace tessera::rtl

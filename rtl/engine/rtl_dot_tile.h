// RtlDotTile: a tile of the timed platform whose compute engine is the Verilated dot unit
// as a SystemC module (verilate(... SYSTEMC ...): Vdot_e4m3_l16_sc, or its VCD- or
// FST-tracing twin). The TLM <-> pin adapter (burst reads, write-back, clock gating, record) is
// RtlTileBase's; this tile adds the unit's data pins and what a beat is:
//
//   streams: its rows of A and of B (one E4M3 byte per element), read burst by burst in
//     step; results (one byte per row) written back.
//   beat: 16 lanes of one row of A and B (in_last on the row's last beat); the dot unit
//     is always ready (out_ready is held high) and gives one result per row.
//
// Operand values come from the caller's arrays: the platform models time and traffic,
// not data (platform_payload.h), so the beat presented is the one whose bytes the
// platform has delivered. Memory layout per tile: its A rows, then its B rows, then its
// results, each aligned to the burst size.
#pragma once

#include <cstdint>
#include <memory>

#include "rtl/engine/rtl_tile_base.h"

namespace tessera::rtl {

// One tile's share of the workload and where it lives in memory.
struct DotTileWork {
  const std::uint64_t* a = nullptr;  // rows x k bit patterns (one byte each in memory)
  const std::uint64_t* b = nullptr;
  std::uint64_t* results = nullptr;  // rows
  std::size_t rows = 0;
  std::size_t k = 0;
  std::uint64_t a_address = 0, b_address = 0, c_address = 0;
  // Tensor ids of the first chunk of A, of B and of C (chunks are numbered on from there).
  std::uint32_t a_tensor = 0, b_tensor = 0, c_tensor = 0;
  Bytes chunk_bytes = 4096;
};

class RtlDotTile : public RtlTileBase {
 public:
  // waves: which build of the unit (a tracing twin for open_trace()).
  RtlDotTile(sc_core::sc_module_name name, std::uint32_t id, const DotTileWork& work,
             const config::PlatformConfig& platform, tlm_platform::PayloadPool& pool,
             WaveFormat waves);

 private:
  bool beat_ready(std::uint64_t beat) const override;
  void drive_beat(std::uint64_t beat) override;
  void take_output() override;

  DotTileWork work_;
  std::uint64_t beats_per_row_ = 0;
  std::uint64_t results_done_ = 0;
  sc_core::sc_signal<std::uint32_t> out_result_{"out_result"};
  sc_core::sc_signal<sc_dt::sc_bv<128>> in_a_{"in_a"}, in_b_{"in_b"};
  sc_dt::sc_bv<128> beat_a_, beat_b_;  // the next values of in_a / in_b (reused per beat)
  // The Verilated model, behind TracedUnit (its header pulls in all of SystemC's); last, so
  // it goes before the signals its pins are bound to.
  std::unique_ptr<TracedUnit> unit_;
};

}  // namespace tessera::rtl

#include "rtl/engine/rtl_attention_tile.h"

// The Verilated SystemC models (--sc): the plain one for speed and the VCD- and
// FST-tracing twins.
#include "Vattention_e5m10_d4_sc.h"
#include "Vattention_e5m10_d4_sc_fst.h"
#include "Vattention_e5m10_d4_sc_vcd.h"
#include "rtl/engine/verilated_unit.h"

namespace tessera::rtl {

namespace {
constexpr std::uint64_t kD = kRtlAttentionHeadDim;
constexpr Bytes kRowBytes = kD * kRtlAttentionElementBytes;
constexpr unsigned kElementBits = 16;
// A key settles into the softmax state MUL_LATENCY + 3 cycles after it is taken (dot
// unit MUL_LATENCY + 2, softmax stage 1); a row's output is out one cycle later. Two more
// for it to be taken and in_ready to rise again.
constexpr std::uint64_t kDrainCycles = kRtlAttentionMulLatency + 4 + 2;

// D values of one row, lane d in bits [16 d, 16 d + 16).
std::uint64_t pack_row(const std::uint64_t* row) {
  std::uint64_t word = 0;
  for (std::uint64_t d = 0; d < kD; ++d) word |= (row[d] & 0xFFFF) << (kElementBits * d);
  return word;
}
}  // namespace

RtlAttentionTile::RtlAttentionTile(sc_core::sc_module_name name, std::uint32_t id,
                                   const AttentionTileWork& work,
                                   const config::PlatformConfig& platform,
                                   tlm_platform::PayloadPool& pool, WaveFormat waves)
    : RtlTileBase(name, id, platform, pool), work_(work) {
  unit_ = std::make_unique<VerilatedUnit<Vattention_e5m10_d4_sc, Vattention_e5m10_d4_sc_vcd,
                                         Vattention_e5m10_d4_sc_fst>>(waves, [this](auto& m) {
    bind_handshake(m);
    m.in_q(in_q_);
    m.in_k(in_k_);
    m.in_v(in_v_);
    m.out_o(out_o_);
  });
  set_unit(*unit_);
  const Bytes q_bytes = work_.rows * kRowBytes, kv_bytes = work_.keys * kRowBytes;
  set_work({{work_.q_address, q_bytes, work_.q_tensor},
            {work_.k_address, kv_bytes, work_.k_tensor},
            {work_.v_address, kv_bytes, work_.v_tensor}},
           {work_.o_address, q_bytes, work_.o_tensor}, work_.chunk_bytes, work_.rows * work_.keys,
           kDrainCycles);
}

bool RtlAttentionTile::beat_ready(std::uint64_t beat) const {
  const std::uint64_t row = beat / work_.keys, key = beat % work_.keys;
  return prefix_bytes(0) >= (row + 1) * kRowBytes && prefix_bytes(1) >= (key + 1) * kRowBytes &&
         prefix_bytes(2) >= (key + 1) * kRowBytes;
}

void RtlAttentionTile::drive_beat(std::uint64_t beat) {
  const std::uint64_t row = beat / work_.keys, key = beat % work_.keys;
  in_q_.write(pack_row(work_.q + row * kD));
  in_k_.write(pack_row(work_.k + key * kD));
  in_v_.write(pack_row(work_.v + key * kD));
  in_last_.write(key + 1 == work_.keys);
}

void RtlAttentionTile::take_output() {
  const std::uint64_t word = out_o_.read();
  std::uint64_t* out = work_.out + rows_done_ * kD;
  for (std::uint64_t d = 0; d < kD; ++d) out[d] = (word >> (kElementBits * d)) & 0xFFFF;
  ++rows_done_;
  results_ready(rows_done_ * kRowBytes);
}

}  // namespace tessera::rtl

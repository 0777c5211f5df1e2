#include "rtl/engine/rtl_dot_tile.h"

#include <algorithm>

// The Verilated SystemC models (--sc): the plain one for speed and the VCD- and
// FST-tracing twins.
#include "Vdot_e4m3_l16_sc.h"
#include "Vdot_e4m3_l16_sc_fst.h"
#include "Vdot_e4m3_l16_sc_vcd.h"
#include "rtl/engine/verilated_unit.h"

namespace tessera::rtl {

namespace {
constexpr std::uint64_t kLanes = 16;
constexpr std::uint64_t kMulLatencyCycles = 1;  // MUL_LATENCY of Vdot_e4m3_l16_sc
// After its last beat the unit's result is out MUL_LATENCY + 2 cycles later; one more
// cycle for it to be taken.
constexpr std::uint64_t kDrainCycles = kMulLatencyCycles + 3;

}  // namespace

RtlDotTile::RtlDotTile(sc_core::sc_module_name name, std::uint32_t id, const DotTileWork& work,
                       const config::PlatformConfig& platform, tlm_platform::PayloadPool& pool,
                       WaveFormat waves)
    : RtlTileBase(name, id, platform, pool), work_(work) {
  unit_ =
      std::make_unique<VerilatedUnit<Vdot_e4m3_l16_sc, Vdot_e4m3_l16_sc_vcd, Vdot_e4m3_l16_sc_fst>>(
          waves, [this](auto& m) {
            bind_handshake(m);
            m.out_result(out_result_);
            m.in_a(in_a_);
            m.in_b(in_b_);
          });
  set_unit(*unit_);
  beats_per_row_ = work_.k == 0 ? 1 : (work_.k + kLanes - 1) / kLanes;
  const Bytes n = work_.rows * work_.k;
  set_work({{work_.a_address, n, work_.a_tensor}, {work_.b_address, n, work_.b_tensor}},
           {work_.c_address, work_.rows, work_.c_tensor}, work_.chunk_bytes,
           work_.rows * beats_per_row_, kDrainCycles);
}

bool RtlDotTile::beat_ready(std::uint64_t beat) const {
  const std::uint64_t row = beat / beats_per_row_;
  const std::uint64_t lane0 = (beat % beats_per_row_) * kLanes;
  const std::uint64_t end = row * work_.k + std::min<std::uint64_t>(lane0 + kLanes, work_.k);
  return prefix_bytes(0) >= end && prefix_bytes(1) >= end;
}

void RtlDotTile::drive_beat(std::uint64_t beat) {
  const std::uint64_t row = beat / beats_per_row_;
  const std::uint64_t j = beat % beats_per_row_;
  const std::uint64_t* pa = work_.a + row * work_.k;
  const std::uint64_t* pb = work_.b + row * work_.k;
  const std::uint64_t lane0 = j * kLanes;
  const std::uint64_t lanes = std::min<std::uint64_t>(kLanes, work_.k - lane0);
  // The pins' values are built in place, 32 bits (four lanes) at a time, in the two
  // buffers kept for it: an sc_bv<128> built per beat cost a heap allocation and its
  // bit-by-bit initialisation each. A full beat (every beat when k is a multiple of 16)
  // packs without the per-lane bounds test, which cost half the instructions here.
  const std::uint64_t* a = pa + lane0;
  const std::uint64_t* b = pb + lane0;
  const auto pack4 = [](const std::uint64_t* v) {
    return static_cast<std::uint32_t>((v[0] & 0xFF) | (v[1] & 0xFF) << 8 | (v[2] & 0xFF) << 16 |
                                      (v[3] & 0xFF) << 24);
  };
  for (std::uint64_t w = 0; w < kLanes / 4; ++w) {
    std::uint32_t wa = 0, wb = 0;
    if (4 * w + 4 <= lanes) {
      wa = pack4(a + 4 * w);
      wb = pack4(b + 4 * w);
    } else {
      for (std::uint64_t lane = 4 * w; lane < lanes; ++lane) {
        wa |= static_cast<std::uint32_t>(a[lane] & 0xFF) << (8 * (lane % 4));
        wb |= static_cast<std::uint32_t>(b[lane] & 0xFF) << (8 * (lane % 4));
      }
    }
    beat_a_.set_word(static_cast<int>(w), wa);
    beat_b_.set_word(static_cast<int>(w), wb);
  }
  in_a_.write(beat_a_);
  in_b_.write(beat_b_);
  in_last_.write(j + 1 == beats_per_row_);
}

void RtlDotTile::take_output() {
  work_.results[results_done_++] = out_result_.read() & 0xFF;
  results_ready(results_done_);  // one byte per result
}

}  // namespace tessera::rtl

#include "rtl/engine/rtl_attention_tile.h"

// The Verilated SystemC models (--sc): the plain one for speed and the VCD-tracing twin.
// Verilator's trace classes have virtual functions and a non-virtual destructor: its
// headers are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#include "Vattention_e5m10_d4_sc.h"
#include "Vattention_e5m10_d4_sc_vcd.h"
#include "verilated_vcd_sc.h"
#pragma GCC diagnostic pop

namespace tessera::rtl {

namespace {
constexpr std::uint64_t kD = kRtlAttentionHeadDim;
constexpr Bytes kRowBytes = kD * kRtlAttentionElementBytes;
constexpr unsigned kElementBits = 16;
// A key settles into the softmax state MUL_LATENCY + 3 cycles after it is taken (dot
// unit MUL_LATENCY + 2, softmax stage 1); a row's output is out one cycle later. Two more
// for it to be taken and in_ready to rise again.
constexpr std::uint64_t kDrainCycles = kRtlAttentionMulLatency + 4 + 2;

template <class Model, class Pins>
void bind_pins(Model& m, Pins& t) {
  m.clk(t.clk);
  m.rst(t.rst);
  m.in_valid(t.in_valid);
  m.in_ready(t.in_ready);
  m.in_last(t.in_last);
  m.out_valid(t.out_valid);
  m.out_ready(t.out_ready);
  m.in_q(t.in_q);
  m.in_k(t.in_k);
  m.in_v(t.in_v);
  m.out_o(t.out_o);
}

// D values of one row, lane d in bits [16 d, 16 d + 16).
std::uint64_t pack_row(const std::uint64_t* row) {
  std::uint64_t word = 0;
  for (std::uint64_t d = 0; d < kD; ++d) word |= (row[d] & 0xFFFF) << (kElementBits * d);
  return word;
}
}  // namespace

struct RtlAttentionTile::Unit {
  std::unique_ptr<Vattention_e5m10_d4_sc> fast;
  std::unique_ptr<Vattention_e5m10_d4_sc_vcd> traced;
  std::unique_ptr<VerilatedVcdSc> vcd;
};

RtlAttentionTile::RtlAttentionTile(sc_core::sc_module_name name, std::uint32_t id,
                                   const AttentionTileWork& work,
                                   const config::PlatformConfig& platform,
                                   tlm_platform::PayloadPool& pool, bool trace)
    : RtlTileBase(name, id, platform, pool), work_(work), unit_(std::make_unique<Unit>()) {
  struct {
    sc_core::sc_signal<bool>&clk, &rst, &in_valid, &in_ready, &in_last, &out_valid, &out_ready;
    sc_core::sc_signal<std::uint64_t>&in_q, &in_k, &in_v, &out_o;
  } pins{clk_,       rst_,  in_valid_, in_ready_, in_last_, out_valid_,
         out_ready_, in_q_, in_k_,     in_v_,     out_o_};
  if (trace) {
    Verilated::traceEverOn(true);
    unit_->traced = std::make_unique<Vattention_e5m10_d4_sc_vcd>("unit");
    bind_pins(*unit_->traced, pins);
  } else {
    unit_->fast = std::make_unique<Vattention_e5m10_d4_sc>("unit");
    bind_pins(*unit_->fast, pins);
  }
  const Bytes q_bytes = work_.rows * kRowBytes, kv_bytes = work_.keys * kRowBytes;
  set_work({{work_.q_address, q_bytes, work_.q_tensor},
            {work_.k_address, kv_bytes, work_.k_tensor},
            {work_.v_address, kv_bytes, work_.v_tensor}},
           {work_.o_address, q_bytes, work_.o_tensor}, work_.chunk_bytes, work_.rows * work_.keys,
           kDrainCycles);
}

RtlAttentionTile::~RtlAttentionTile() {
  close_trace();
}

void RtlAttentionTile::open_trace(const std::string& path) {
  if (!unit_->traced) return;
  unit_->vcd = std::make_unique<VerilatedVcdSc>();
  unit_->traced->trace(unit_->vcd.get(), 99);
  unit_->vcd->open(path.c_str());
}

void RtlAttentionTile::close_trace() {
  if (unit_ && unit_->vcd) {
    unit_->vcd->close();
    unit_->vcd.reset();
  }
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

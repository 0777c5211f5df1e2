#include "rtl/engine/rtl_dot_tile.h"

#include <algorithm>

// The Verilated SystemC models (--sc): the plain one for speed and the VCD-tracing twin.
// Verilator's trace classes have virtual functions and a non-virtual destructor: its
// headers are not ours to fix.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#include "Vdot_e4m3_l16_sc.h"
#include "Vdot_e4m3_l16_sc_vcd.h"
#include "verilated_vcd_sc.h"
#pragma GCC diagnostic pop

namespace tessera::rtl {

using sc_core::SC_PS;
using sc_core::sc_time;

namespace {
constexpr std::uint64_t kLanes = 16;
constexpr std::uint64_t kMulLatencyCycles = 1;  // MUL_LATENCY of Vdot_e4m3_l16_sc
constexpr std::uint64_t kResetCycles = 2;
constexpr std::uint64_t kNone = ~0ull;

template <class Model>
void bind_pins(Model& m, sc_core::sc_signal<bool>& clk, sc_core::sc_signal<bool>& rst,
               sc_core::sc_signal<bool>& in_valid, sc_core::sc_signal<bool>& in_ready,
               sc_core::sc_signal<bool>& in_last, sc_core::sc_signal<bool>& out_valid,
               sc_core::sc_signal<bool>& out_ready, sc_core::sc_signal<std::uint32_t>& out_result,
               sc_core::sc_signal<sc_dt::sc_bv<128>>& in_a,
               sc_core::sc_signal<sc_dt::sc_bv<128>>& in_b) {
  m.clk(clk);
  m.rst(rst);
  m.in_valid(in_valid);
  m.in_ready(in_ready);
  m.in_last(in_last);
  m.out_valid(out_valid);
  m.out_ready(out_ready);
  m.out_result(out_result);
  m.in_a(in_a);
  m.in_b(in_b);
}
}  // namespace

struct RtlDotTile::Unit {
  std::unique_ptr<Vdot_e4m3_l16_sc> fast;
  std::unique_ptr<Vdot_e4m3_l16_sc_vcd> traced;
  std::unique_ptr<VerilatedVcdSc> vcd;
};

RtlDotTile::RtlDotTile(sc_core::sc_module_name name, std::uint32_t id, const DotTileWork& work,
                       const config::PlatformConfig& platform, tlm_platform::PayloadPool& pool,
                       bool trace)
    : sc_module(name),
      socket("socket"),
      id_(id),
      work_(work),
      period_ps_(platform.clock_period_ps()),
      burst_bytes_(platform.interconnect.burst_bytes),
      max_outstanding_(platform.tiles.max_outstanding),
      pool_(pool),
      high_time_(static_cast<double>(period_ps_ / 2), SC_PS),
      low_time_(static_cast<double>(period_ps_ - period_ps_ / 2), SC_PS),
      unit_(std::make_unique<Unit>()) {
  if (trace) {
    Verilated::traceEverOn(true);
    unit_->traced = std::make_unique<Vdot_e4m3_l16_sc_vcd>("unit");
    bind_pins(*unit_->traced, clk_, rst_, in_valid_, in_ready_, in_last_, out_valid_, out_ready_,
              out_result_, in_a_, in_b_);
  } else {
    unit_->fast = std::make_unique<Vdot_e4m3_l16_sc>("unit");
    bind_pins(*unit_->fast, clk_, rst_, in_valid_, in_ready_, in_last_, out_valid_, out_ready_,
              out_result_, in_a_, in_b_);
  }
  beats_per_row_ = work_.k == 0 ? 1 : (work_.k + kLanes - 1) / kLanes;
  const std::uint64_t n = work_.rows * work_.k;
  operand_bursts_ = (n + burst_bytes_ - 1) / burst_bytes_;
  a_done_.assign(operand_bursts_, 0);
  b_done_.assign(operand_bursts_, 0);
  socket.register_nb_transport_bw(this, &RtlDotTile::nb_transport_bw);
  SC_THREAD(issue);
  SC_METHOD(edge);  // runs at time 0: drives reset, then schedules itself edge by edge
}

RtlDotTile::~RtlDotTile() {
  close_trace();
}

void RtlDotTile::open_trace(const std::string& path) {
  if (!unit_->traced) return;
  unit_->vcd = std::make_unique<VerilatedVcdSc>();
  unit_->traced->trace(unit_->vcd.get(), 99);
  unit_->vcd->open(path.c_str());
}

void RtlDotTile::close_trace() {
  if (unit_ && unit_->vcd) {
    unit_->vcd->close();
    unit_->vcd.reset();
  }
}

// ---- pin side ----------------------------------------------------------------------

void RtlDotTile::edge() {
  const Picoseconds now = now_ps();
  if (now == 0 && !clk_high_ && record_.clocked_cycles == 0) {
    // Time 0: reset asserted, nothing presented; the first rising edge is at one period.
    rst_.write(true);
    out_ready_.write(true);
    in_valid_.write(false);
    gated_ = false;
    next_trigger(sc_time(static_cast<double>(period_ps_), SC_PS));
    return;
  }
  if (gated_) {
    // Woken by arriving operands while the clock is stopped (low).
    present_next_beat();
    if (presented_ == kNone) {
      next_trigger(operands_event_);
      return;
    }
    gated_ = false;
    const Picoseconds rise = (now / period_ps_ + 1) * period_ps_;
    next_trigger(sc_time(static_cast<double>(rise - now), SC_PS));
    return;
  }
  const std::uint64_t cycle = now / period_ps_;
  if (!clk_high_) {
    // Rising edge: the unit samples the presented beat and hands over its result.
    clk_.write(true);
    clk_high_ = true;
    ++record_.clocked_cycles;
    if (presented_ != kNone) {
      if (record_.beats++ == 0) record_.first_beat_cycle = cycle;
      last_fire_cycle_ = cycle;
      presented_ = kNone;
    }
    if (out_valid_.read()) {
      record_.last_result_cycle = cycle;
      take_result(out_result_.read());
    }
    next_trigger(high_time_);
    return;
  }
  // Falling edge: present the next beat for the next rising edge, or stop the clock.
  clk_.write(false);
  clk_high_ = false;
  if (cycle < kResetCycles) {
    next_trigger(low_time_);
    return;
  }
  rst_.write(false);
  present_next_beat();
  if (results_done_ == work_.rows) return;  // all results taken: the clock stops for good
  // Drained: the last beat's result (if it ended a row) has been taken, nothing waits on
  // out_valid, so edges without a beat would change nothing.
  const bool drained = presented_ == kNone && !out_valid_.read() &&
                       cycle >= last_fire_cycle_ + kMulLatencyCycles + 3;
  if (drained) {
    gated_ = true;
    next_trigger(operands_event_);
    return;
  }
  next_trigger(low_time_);
}

bool RtlDotTile::beat_ready(std::uint64_t beat) const {
  const std::uint64_t row = beat / beats_per_row_;
  const std::uint64_t lane0 = (beat % beats_per_row_) * kLanes;
  const std::uint64_t end = row * work_.k + std::min<std::uint64_t>(lane0 + kLanes, work_.k);
  return a_prefix_bytes_ >= end && b_prefix_bytes_ >= end;
}

void RtlDotTile::present_next_beat() {
  const std::uint64_t total = work_.rows * beats_per_row_;
  if (next_beat_ >= total || !beat_ready(next_beat_)) {
    in_valid_.write(false);
    return;
  }
  const std::uint64_t beat = next_beat_++;
  const std::uint64_t row = beat / beats_per_row_;
  const std::uint64_t j = beat % beats_per_row_;
  const std::uint64_t* pa = work_.a + row * work_.k;
  const std::uint64_t* pb = work_.b + row * work_.k;
  sc_dt::sc_bv<128> va, vb;
  for (std::uint64_t w = 0; w < kLanes / 4; ++w) {
    std::uint32_t wa = 0, wb = 0;
    for (std::uint64_t l = 0; l < 4; ++l) {
      const std::uint64_t idx = j * kLanes + w * 4 + l;
      if (idx < work_.k) {
        wa |= static_cast<std::uint32_t>(pa[idx] & 0xFF) << (8 * l);
        wb |= static_cast<std::uint32_t>(pb[idx] & 0xFF) << (8 * l);
      }
    }
    va.set_word(static_cast<int>(w), wa);
    vb.set_word(static_cast<int>(w), wb);
  }
  in_a_.write(va);
  in_b_.write(vb);
  in_last_.write(j + 1 == beats_per_row_);
  in_valid_.write(true);
  presented_ = beat;
}

void RtlDotTile::take_result(std::uint64_t value) {
  work_.results[results_done_++] = value & 0xFF;
  if (results_done_ % burst_bytes_ == 0 || results_done_ == work_.rows) {
    write_queue_.push_back((results_done_ - 1) / burst_bytes_);
    credit_event_.notify(sc_core::SC_ZERO_TIME);
  }
}

// ---- memory side -------------------------------------------------------------------

void RtlDotTile::send(bool write, std::uint64_t address, unsigned length, std::uint32_t segment,
                      std::uint32_t tensor, std::uint64_t access_address, Bytes access_bytes) {
  tlm::tlm_generic_payload* p = pool_.acquire();
  tlm_platform::prepare(*p, write, address, length);
  tlm_platform::MemExt* e = tlm_platform::PayloadPool::ext(*p);
  e->tile = id_;
  e->tensor_id = tensor;
  e->segment = segment;
  e->access_address = access_address;
  e->access_bytes = access_bytes;
  e->segment_address = access_address;
  e->segment_bytes = access_bytes;
  ++outstanding_;
  if (write) {
    ++writes_pending_;
    ++record_.write_bursts;
    record_.write_bytes += length;
  } else {
    ++record_.read_bursts;
    record_.read_bytes += length;
  }
  request_in_progress_ = p;
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_time delay = sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum status = socket->nb_transport_fw(*p, phase, delay);
  if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP)) {
    request_in_progress_ = nullptr;
    arrived(*p);
  } else if (status == tlm::TLM_UPDATED && phase == tlm::END_REQ) {
    request_in_progress_ = nullptr;
  }
}

void RtlDotTile::issue() {
  const std::uint64_t n = work_.rows * work_.k;
  std::uint64_t next_read = 0;  // A burst i is read 2i, B burst i is read 2i + 1
  std::uint64_t chunk[2] = {kNone, kNone};
  std::uint32_t chunk_segment[2] = {0, 0};
  const std::uint64_t last_write = work_.rows == 0 ? 0 : (work_.rows - 1) / burst_bytes_ + 1;
  std::uint64_t writes_issued = 0;
  for (;;) {
    const bool slot = outstanding_ < max_outstanding_ && request_in_progress_ == nullptr;
    if (slot && !write_queue_.empty()) {
      // Results first: a write frees no operand, but holding it back would delay the end.
      const std::uint64_t w = write_queue_.front();
      write_queue_.pop_front();
      const std::uint64_t offset = w * burst_bytes_;
      const auto length =
          static_cast<unsigned>(std::min<std::uint64_t>(burst_bytes_, work_.rows - offset));
      const std::uint64_t c = offset / work_.chunk_bytes;
      const std::uint64_t c_start = c * work_.chunk_bytes;
      send(true, work_.c_address + offset, length, next_segment_++,
           work_.c_tensor + static_cast<std::uint32_t>(c), work_.c_address + c_start,
           std::min<Bytes>(work_.chunk_bytes, work_.rows - c_start));
      ++writes_issued;
      continue;
    }
    if (slot && next_read < 2 * operand_bursts_) {
      const int operand = static_cast<int>(next_read & 1);
      const std::uint64_t offset = (next_read >> 1) * burst_bytes_;
      const auto length = static_cast<unsigned>(std::min<std::uint64_t>(burst_bytes_, n - offset));
      const std::uint64_t c = offset / work_.chunk_bytes;
      const std::uint64_t c_start = c * work_.chunk_bytes;
      if (chunk[operand] != c) {  // a new chunk: a new segment (one cache decision)
        chunk[operand] = c;
        chunk_segment[operand] = next_segment_++;
      }
      const std::uint64_t base = operand == 0 ? work_.a_address : work_.b_address;
      const std::uint32_t tensor =
          (operand == 0 ? work_.a_tensor : work_.b_tensor) + static_cast<std::uint32_t>(c);
      send(false, base + offset, length, chunk_segment[operand], tensor, base + c_start,
           std::min<Bytes>(work_.chunk_bytes, n - c_start));
      ++next_read;
      continue;
    }
    if (next_read == 2 * operand_bursts_ && writes_issued == last_write && writes_pending_ == 0) {
      break;
    }
    wait(credit_event_);
  }
  done_ = true;
  record_.finish_cycle = (now_ps() + period_ps_ - 1) / period_ps_;
}

void RtlDotTile::arrived(tlm::tlm_generic_payload& p) {
  --outstanding_;
  if (p.is_write()) {
    --writes_pending_;
  } else {
    const std::uint64_t address = p.get_address();
    const bool is_a = address < work_.b_address;
    std::vector<std::uint8_t>& done = is_a ? a_done_ : b_done_;
    std::uint64_t& prefix = is_a ? a_prefix_bytes_ : b_prefix_bytes_;
    const std::uint64_t base = is_a ? work_.a_address : work_.b_address;
    done[(address - base) / burst_bytes_] = 1;
    const std::uint64_t n = work_.rows * work_.k;
    const std::uint64_t before = prefix;
    while (prefix < n && done[prefix / burst_bytes_]) {
      prefix = std::min<std::uint64_t>(n, (prefix / burst_bytes_ + 1) * burst_bytes_);
    }
    if (prefix != before && gated_) operands_event_.notify(sc_core::SC_ZERO_TIME);
  }
  p.release();
  credit_event_.notify(sc_core::SC_ZERO_TIME);
}

tlm::tlm_sync_enum RtlDotTile::nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                               sc_time&) {
  if (phase == tlm::END_REQ) {
    if (&p == request_in_progress_) request_in_progress_ = nullptr;
    credit_event_.notify(sc_core::SC_ZERO_TIME);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::BEGIN_RESP) {
    if (&p == request_in_progress_) request_in_progress_ = nullptr;  // implies END_REQ
    arrived(p);
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
}

}  // namespace tessera::rtl

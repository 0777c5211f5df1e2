#include "rtl/engine/rtl_tile_base.h"

#include <algorithm>
#include <utility>

namespace tessera::rtl {

using sc_core::SC_PS;
using sc_core::sc_time;

namespace {
constexpr std::uint64_t kResetCycles = 2;
}  // namespace

RtlTileBase::RtlTileBase(sc_core::sc_module_name name, std::uint32_t id,
                         const config::PlatformConfig& platform, tlm_platform::PayloadPool& pool)
    : sc_module(name),
      socket("socket"),
      id_(id),
      period_ps_(platform.clock_period_ps()),
      burst_bytes_(platform.interconnect.burst_bytes),
      max_outstanding_(platform.tiles.max_outstanding),
      pool_(pool),
      high_time_(static_cast<double>(period_ps_ / 2), SC_PS),
      low_time_(static_cast<double>(period_ps_ - period_ps_ / 2), SC_PS) {
  socket.register_nb_transport_bw(this, &RtlTileBase::nb_transport_bw);
  // A method, not a thread: it runs to its end at each credit (no stack switch per wake).
  SC_METHOD(issue);
  sensitive << credit_event_;
  // Runs at time 0 (drives reset), then at each clock edge: statically sensitive to
  // edge_event_, which it notifies one half period ahead (a timed notification of a
  // member event: cheaper per edge than next_trigger(sc_time), which re-arms the dynamic
  // sensitivity each time). While the clock is gated, next_trigger(operands_event_)
  // overrides the static sensitivity until operands arrive.
  SC_METHOD(edge);
  sensitive << edge_event_;
}

void RtlTileBase::set_work(std::vector<TileStream> reads, TileStream write, Bytes chunk_bytes,
                           std::uint64_t total_beats, std::uint64_t drain_cycles) {
  reads_.clear();
  for (const TileStream& s : reads) {
    ReadState r;
    r.stream = s;
    r.bursts = (s.bytes + burst_bytes_ - 1) / burst_bytes_;
    r.done.assign(r.bursts, 0);
    reads_.push_back(std::move(r));
  }
  write_ = write;
  chunk_bytes_ = chunk_bytes;
  write_bursts_total_ = (write.bytes + burst_bytes_ - 1) / burst_bytes_;
  total_beats_ = total_beats;
  drain_cycles_ = drain_cycles;
}

void RtlTileBase::results_ready(std::uint64_t bytes_done) {
  result_bytes_done_ = bytes_done;
  // Every burst now complete (the last one may be partial).
  const std::uint64_t complete =
      bytes_done == write_.bytes ? write_bursts_total_ : bytes_done / burst_bytes_;
  if (complete == bursts_queued_) return;
  while (bursts_queued_ < complete) write_queue_.push_back(bursts_queued_++);
  credit_event_.notify(sc_core::SC_ZERO_TIME);
}

// ---- pin side ----------------------------------------------------------------------

void RtlTileBase::edge() {
  const Picoseconds now = now_ps();
  if (now == 0 && !clk_high_ && record_.clocked_cycles == 0) {
    // Time 0: reset asserted, nothing presented; the first rising edge is at one period.
    rst_.write(true);
    out_ready_.write(true);
    in_valid_.write(false);
    gated_ = false;
    edge_event_.notify(sc_time(static_cast<double>(period_ps_), SC_PS));
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
    edge_event_.notify(sc_time(static_cast<double>(rise - now), SC_PS));
    return;
  }
  const std::uint64_t cycle = now / period_ps_;
  if (!clk_high_) {
    // Rising edge: the unit samples the presented beat (if it is ready for one) and hands
    // over its output. The pins read here hold their values from before this edge.
    clk_.write(true);
    clk_high_ = true;
    ++record_.clocked_cycles;
    if (presented_ != kNone && in_ready_.read()) {
      if (record_.beats++ == 0) record_.first_beat_cycle = cycle;
      last_fire_cycle_ = cycle;
      presented_ = kNone;
    }
    if (out_valid_.read()) {
      record_.last_result_cycle = cycle;
      take_output();
    }
    edge_event_.notify(high_time_);
    return;
  }
  // Falling edge: present the next beat for the next rising edge, or stop the clock.
  clk_.write(false);
  clk_high_ = false;
  if (cycle < kResetCycles) {
    edge_event_.notify(low_time_);
    return;
  }
  rst_.write(false);
  if (presented_ == kNone) present_next_beat();    // a beat not yet taken stays on the pins
  if (result_bytes_done_ == write_.bytes) return;  // all output taken: the clock stops
  // Drained: nothing presented, the unit ready for a beat, no output waiting, and the last
  // beat has had time to settle into the unit's state, so edges without a beat would
  // change nothing.
  const bool drained = presented_ == kNone && in_ready_.read() && !out_valid_.read() &&
                       cycle >= last_fire_cycle_ + drain_cycles_;
  if (drained) {
    gated_ = true;
    next_trigger(operands_event_);
    return;
  }
  edge_event_.notify(low_time_);
}

void RtlTileBase::present_next_beat() {
  if (next_beat_ >= total_beats_ || !beat_ready(next_beat_)) {
    in_valid_.write(false);
    return;
  }
  drive_beat(next_beat_);
  in_valid_.write(true);
  presented_ = next_beat_++;
}

// ---- memory side -------------------------------------------------------------------

void RtlTileBase::send(bool write, std::uint64_t address, unsigned length, std::uint32_t segment,
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

void RtlTileBase::issue() {
  if (done_) return;
  for (;;) {
    const bool slot = outstanding_ < max_outstanding_ && request_in_progress_ == nullptr;
    if (slot && !write_queue_.empty()) {
      const std::uint64_t w = write_queue_.front();
      write_queue_.pop_front();
      const std::uint64_t offset = w * burst_bytes_;
      const auto length =
          static_cast<unsigned>(std::min<std::uint64_t>(burst_bytes_, write_.bytes - offset));
      const std::uint64_t c = offset / chunk_bytes_;
      const std::uint64_t c_start = c * chunk_bytes_;
      send(true, write_.address + offset, length, next_segment_++,
           write_.tensor + static_cast<std::uint32_t>(c), write_.address + c_start,
           std::min<Bytes>(chunk_bytes_, write_.bytes - c_start));
      ++writes_issued_;
      continue;
    }
    ReadState* next = nullptr;  // the next stream in turn with bursts left
    std::size_t next_index = 0;
    for (std::size_t i = 0; i < reads_.size() && next == nullptr; ++i) {
      next_index = (read_turn_ + i) % reads_.size();
      if (reads_[next_index].next_burst < reads_[next_index].bursts) next = &reads_[next_index];
    }
    if (slot && next != nullptr) {
      read_turn_ = (next_index + 1) % reads_.size();
      ReadState& r = *next;
      const std::uint64_t offset = r.next_burst * burst_bytes_;
      const auto length =
          static_cast<unsigned>(std::min<std::uint64_t>(burst_bytes_, r.stream.bytes - offset));
      const std::uint64_t c = offset / chunk_bytes_;
      const std::uint64_t c_start = c * chunk_bytes_;
      if (r.chunk != c) {  // a new chunk: a new segment (one cache decision)
        r.chunk = c;
        r.chunk_segment = next_segment_++;
      }
      send(false, r.stream.address + offset, length, r.chunk_segment,
           r.stream.tensor + static_cast<std::uint32_t>(c), r.stream.address + c_start,
           std::min<Bytes>(chunk_bytes_, r.stream.bytes - c_start));
      ++r.next_burst;
      continue;
    }
    if (next == nullptr && writes_issued_ == write_bursts_total_ && writes_pending_ == 0) break;
    return;  // until the next credit (static sensitivity)
  }
  done_ = true;
  record_.finish_cycle = (now_ps() + period_ps_ - 1) / period_ps_;
}

void RtlTileBase::arrived(tlm::tlm_generic_payload& p) {
  --outstanding_;
  if (p.is_write()) {
    --writes_pending_;
  } else {
    const std::uint64_t address = p.get_address();
    for (ReadState& r : reads_) {
      if (address < r.stream.address || address >= r.stream.address + r.stream.bytes) continue;
      r.done[(address - r.stream.address) / burst_bytes_] = 1;
      const std::uint64_t n = r.stream.bytes;
      const std::uint64_t before = r.prefix;
      while (r.prefix < n && r.done[r.prefix / burst_bytes_]) {
        r.prefix = std::min<std::uint64_t>(n, (r.prefix / burst_bytes_ + 1) * burst_bytes_);
      }
      if (r.prefix != before && gated_) operands_event_.notify(sc_core::SC_ZERO_TIME);
      break;
    }
  }
  p.release();
  credit_event_.notify(sc_core::SC_ZERO_TIME);
}

tlm::tlm_sync_enum RtlTileBase::nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
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

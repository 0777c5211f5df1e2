#include "models/tlm/tile_initiator.h"

#include <fmt/format.h>

#include <algorithm>

namespace tessera::tlm_platform {

using sc_core::sc_time;

namespace {
Picoseconds stamp_ps() {
  return sc_core::sc_time_stamp().value();
}
// 1 ps resolution (checked by run_timed): a time value is picoseconds.
sc_time ps(Picoseconds t) {
  return sc_time::from_value(t);
}
}  // namespace

TileInitiator::TileInitiator(sc_core::sc_module_name name, std::uint32_t id,
                             const platform::TileSchedule& schedule,
                             const config::PlatformConfig& platform, bool lt_mode,
                             PayloadPool& pool, platform::RunRecord& record)
    : sc_module(name),
      socket("socket"),
      id_(id),
      schedule_(schedule),
      period_ps_(platform.clock_period_ps()),
      burst_bytes_(platform.interconnect.burst_bytes),
      max_outstanding_(platform.tiles.max_outstanding),
      double_buffering_(platform.tiles.double_buffering),
      lt_(lt_mode),
      pool_(pool),
      record_(record),
      lt_window_(platform.tiles.max_outstanding, 0) {
  socket.register_nb_transport_bw(this, &TileInitiator::nb_transport_bw);
  SC_THREAD(run);
}

Picoseconds TileInitiator::now_ps() const {
  return lt_ ? lt_now_ps_ : stamp_ps();
}

void TileInitiator::wait_until(Picoseconds t) {
  if (lt_) {
    lt_now_ps_ = std::max(lt_now_ps_, t);
    lt_sync();
  } else if (t > stamp_ps()) {
    wait(ps(t - stamp_ps()));
  }
}

void TileInitiator::lt_sync() {
  // The quantum keeper's need_sync() (kernel time + local offset >= next sync
  // point) is lt_now_ps_ >= next sync point: compared here without the two
  // kernel calls (time stamp, time conversion) it costs on every transaction.
  if (lt_now_ps_ < quantum_keeper_.next_sync_ps()) return;
  quantum_keeper_.set(ps(lt_now_ps_ - stamp_ps()));
  quantum_keeper_.sync();
}

void TileInitiator::wait_reads() {
  if (lt_) {
    wait_until(lt_reads_done_ps_);
    return;
  }
  while (pending_reads_ > 0) wait(reads_done_event_);
}

void TileInitiator::wait_writes() {
  if (lt_) {
    wait_until(lt_writes_done_ps_);
    return;
  }
  while (pending_writes_ > 0) wait(writes_done_event_);
}

void TileInitiator::run() {
  auto& ops = record_.tiles[id_];
  const auto& sched = schedule_.ops;
  ops.resize(sched.size());
  if (lt_) lt_now_ps_ = stamp_ps();
  if (sched.empty()) {
    record_.tile_finish_ps[id_] = now_ps();
    finished_ = true;
    return;
  }
  Picoseconds op_start = now_ps();
  if (double_buffering_) issue_segments(sched[0].seg_begin, sched[0].seg_write);
  for (std::size_t i = 0; i < sched.size(); ++i) {
    const platform::TileOp& op = sched[i];
    platform::TileOpRecord& r = ops[i];
    r.op_id = op.op_id;
    r.start_ps = op_start;
    r.compute_cycles = op.compute_cycles;
    for (std::uint32_t s = op.seg_begin; s < op.seg_end; ++s) {
      const platform::Segment& seg = schedule_.segments[s];
      (seg.write ? r.write_bytes : r.read_bytes) += seg.bytes;
    }
    if (!double_buffering_) issue_segments(op.seg_begin, op.seg_write);
    wait_reads();
    r.compute_start_ps = now_ps();
    r.stall_ps[static_cast<int>(platform::StallReason::kOperandFetch)] =
        r.compute_start_ps - r.start_ps;
    const Picoseconds compute_end = r.compute_start_ps + op.compute_cycles * period_ps_;
    const bool prefetch = double_buffering_ && i + 1 < sched.size();
    // Prefetch what the next operator reads that this one does not produce.
    if (prefetch) issue_segments(sched[i + 1].seg_begin, sched[i + 1].seg_dep);
    wait_until(compute_end);
    issue_segments(op.seg_write, op.seg_end);
    // The next operator's reads of this one's results follow the writes.
    if (prefetch) issue_segments(sched[i + 1].seg_dep, sched[i + 1].seg_write);
    r.end_ps = now_ps();
    r.stall_ps[static_cast<int>(platform::StallReason::kIssueBlocked)] = r.end_ps - compute_end;
    op_start = r.end_ps;
  }
  wait_writes();
  platform::TileOpRecord& last = ops.back();
  const Picoseconds finish = std::max(now_ps(), last.end_ps);
  last.stall_ps[static_cast<int>(platform::StallReason::kDrain)] = finish - last.end_ps;
  last.end_ps = finish;
  record_.tile_finish_ps[id_] = finish;
  finished_ = true;
  if (lt_) {
    lt_now_ps_ = finish;
    quantum_keeper_.set(ps(lt_now_ps_ - stamp_ps()));
    quantum_keeper_.sync();
  }
}

std::string TileInitiator::unfinished() const {
  if (finished_) return {};
  return fmt::format(
      "tile {} did not finish: {} requests outstanding ({} reads, {} writes), {}segments {} of "
      "[{}, {}) still to issue",
      id_, outstanding_, pending_reads_, pending_writes_,
      request_in_progress_ != nullptr ? "one awaiting END_REQ, " : "", issue_segment_,
      issue_segment_, issue_end_);
}

void TileInitiator::issue_segments(std::uint32_t begin, std::uint32_t end) {
  if (begin >= end) return;
  if (!lt_) {
    issue_segment_ = begin;
    issue_end_ = end;
    issue_address_ = schedule_.segments[begin].address;
    pump();
    while (issue_segment_ < issue_end_) wait(issued_event_);
    return;
  }
  for (std::uint32_t s = begin; s < end; ++s) {
    const platform::Segment& seg = schedule_.segments[s];
    std::uint64_t address = seg.address;
    const std::uint64_t stop = seg.address + seg.bytes;
    while (address < stop) {
      const std::uint64_t boundary = (address / burst_bytes_ + 1) * burst_bytes_;
      const std::uint64_t next = std::min(boundary, stop);
      issue_lt(s, address, static_cast<unsigned>(next - address));
      address = next;
    }
  }
}

void TileInitiator::pump() {
  if (pumping_) return;  // a synchronous answer inside send_at: the loop below goes on
  pumping_ = true;
  while (issue_segment_ < issue_end_ && outstanding_ < max_outstanding_ &&
         request_in_progress_ == nullptr) {
    const platform::Segment& seg = schedule_.segments[issue_segment_];
    const std::uint64_t stop = seg.address + seg.bytes;
    const std::uint64_t boundary = (issue_address_ / burst_bytes_ + 1) * burst_bytes_;
    const std::uint64_t next = std::min(boundary, stop);
    const std::uint32_t segment = issue_segment_;
    const std::uint64_t address = issue_address_;
    issue_address_ = next;
    if (next >= stop && ++issue_segment_ < issue_end_) {
      issue_address_ = schedule_.segments[issue_segment_].address;
    }
    send_at(segment, address, static_cast<unsigned>(next - address));
  }
  pumping_ = false;
  if (issue_segment_ >= issue_end_) issued_event_.notify();
}

tlm::tlm_generic_payload* TileInitiator::make_request(std::uint32_t segment, std::uint64_t address,
                                                      unsigned length) {
  const platform::Segment& seg = schedule_.segments[segment];
  tlm::tlm_generic_payload* p = pool_.acquire();
  prepare(*p, seg.write, address, length);
  MemExt* e = PayloadPool::ext(*p);
  e->tile = id_;
  e->tensor_id = seg.tensor_id;
  e->segment = segment;
  e->lookup = seg.lookup;
  e->access_address = seg.access_address;
  e->access_bytes = seg.access_bytes;
  e->segment_address = seg.address;
  e->segment_bytes = seg.bytes;
  ++record_.transactions;
  ++record_.tile_transactions;
  return p;
}

void TileInitiator::issue_lt(std::uint32_t segment, std::uint64_t address, unsigned length) {
  const bool write = schedule_.segments[segment].write;
  tlm::tlm_generic_payload* p = make_request(segment, address, length);
  Picoseconds& slot = lt_window_[lt_issued_++ % lt_window_.size()];
  const Picoseconds issue = std::max(lt_now_ps_, slot);
  // b_transport never waits on this platform (no target calls wait()), so the
  // kernel time is the same before and after it.
  const Picoseconds stamp = stamp_ps();
  sc_time delay = ps(issue - stamp);
  socket->b_transport(*p, delay);
  const Picoseconds done = stamp + delay.value();
  slot = done;
  // One request leaves the tile's port per cycle.
  lt_now_ps_ = issue + period_ps_;
  Picoseconds& batch = write ? lt_writes_done_ps_ : lt_reads_done_ps_;
  batch = std::max(batch, done);
  p->release();
  lt_sync();
}

void TileInitiator::send_at(std::uint32_t segment, std::uint64_t address, unsigned length) {
  const bool write = schedule_.segments[segment].write;
  tlm::tlm_generic_payload* p = make_request(segment, address, length);
  ++outstanding_;
  ++(write ? pending_writes_ : pending_reads_);
  request_in_progress_ = p;
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_time delay = sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum status = socket->nb_transport_fw(*p, phase, delay);
  if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP)) {
    request_in_progress_ = nullptr;
    complete(*p);
  } else if (status == tlm::TLM_UPDATED && phase == tlm::END_REQ) {
    request_in_progress_ = nullptr;
  }
}

tlm::tlm_sync_enum TileInitiator::nb_transport_bw(tlm::tlm_generic_payload& p,
                                                  tlm::tlm_phase& phase, sc_time&) {
  if (phase == tlm::END_REQ) {
    if (&p == request_in_progress_) request_in_progress_ = nullptr;
    pump();
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::BEGIN_RESP) {
    if (&p == request_in_progress_) request_in_progress_ = nullptr;  // implies END_REQ
    complete(p);
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
}

void TileInitiator::complete(tlm::tlm_generic_payload& p) {
  --outstanding_;
  if (p.is_write()) {
    if (--pending_writes_ == 0) writes_done_event_.notify();
  } else {
    if (--pending_reads_ == 0) reads_done_event_.notify();
  }
  p.release();
  pump();
}

}  // namespace tessera::tlm_platform

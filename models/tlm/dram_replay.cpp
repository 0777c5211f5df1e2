#include "models/tlm/dram_replay.h"

#include <memory>
#include <vector>

#include "models/tlm/dram_target.h"

namespace tessera::tlm_models {
namespace {

// SystemC time <-> picoseconds in integer ticks of the kernel's resolution
// (the DRAM target requires whole picoseconds), not through doubles.
Picoseconds ps_per_tick() {
  static const Picoseconds per_tick =
      static_cast<Picoseconds>(sc_core::sc_get_time_resolution().to_seconds() * 1e12 + 0.5);
  return per_tick;
}
Picoseconds to_ps(const sc_core::sc_time& t) {
  return t.value() * ps_per_tick();
}
Picoseconds now_ps() {
  return to_ps(sc_core::sc_time_stamp());
}
sc_core::sc_time from_ps(Picoseconds ps) {
  return sc_core::sc_time::from_value(ps / ps_per_tick());
}

class ReplayInitiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<ReplayInitiator> socket;

  ReplayInitiator(sc_core::sc_module_name name, dram::RequestSource& source, TlmMode mode,
                  std::size_t pool_size, const dram::CompletionHook& hook, Picoseconds tck_ps)
      : sc_core::sc_module(name),
        socket("socket"),
        source_(source),
        mode_(mode),
        hook_(hook),
        tck_ps_(tck_ps),
        pool_(pool_size),
        slots_(pool_size) {
    socket.register_nb_transport_bw(this, &ReplayInitiator::nb_transport_bw);
    for (std::size_t i = 0; i < pool_size; ++i) {
      free_.push_back(i);
      // Fields no request changes are set once.
      pool_[i].set_data_ptr(data_);
      pool_[i].set_byte_enable_ptr(nullptr);
      pool_[i].set_dmi_allowed(false);
    }
    SC_HAS_PROCESS(ReplayInitiator);
    SC_THREAD(run);
  }

  const dram::LatencyHistogram& latency() const { return latency_; }
  std::uint64_t requests() const { return requests_; }
  Picoseconds first() const { return first_ == ~Picoseconds{0} ? 0 : first_; }
  Picoseconds last_done() const { return last_done_; }

 private:
  struct Slot {
    std::uint64_t tag = 0;
    Picoseconds accepted = 0;
    bool write = false;
    std::uint32_t bytes = 0;
  };

  void run() {
    if (mode_ == TlmMode::kAt) {
      // AT runs from the callbacks: each END_REQ sends the next BEGIN_REQ
      // (annotated with the wait until its arrival), so no thread wakes per request.
      send_next(now_ps());
      return;
    }
    dram::TraceRequest r;
    while (source_.next(r)) {
      const Picoseconds now = now_ps();
      if (r.arrival_ps > now) wait(from_ps(r.arrival_ps - now));
      if (free_.empty()) wait(slot_freed_);
      const std::size_t i = take_slot(r);
      tlm::tlm_generic_payload& p = pool_[i];
      sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
      const Picoseconds start = now_ps();
      socket->b_transport(p, delay);
      slots_[i].accepted = start;
      complete(i, start + to_ps(delay));
      wait(delay);  // LT without temporal decoupling: the initiator waits out the latency
    }
  }

  std::size_t take_slot(const dram::TraceRequest& r) {
    const std::size_t i = free_.back();
    free_.pop_back();
    tlm::tlm_generic_payload& p = pool_[i];
    p.set_command(r.is_write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    p.set_address(r.address);
    p.set_data_length(r.bytes);
    p.set_streaming_width(r.bytes);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    slots_[i] = {requests_++, 0, r.is_write, r.bytes};
    return i;
  }

  // AT: the next requests' BEGIN_REQs, each at its arrival time or now if
  // later, while the target accepts them at once (TLM_UPDATED with END_REQ);
  // a request it holds back gets its END_REQ later through nb_transport_bw.
  void send_next(Picoseconds now) {
    for (;;) {
      if (!have_next_) {
        if (!source_.next(next_)) return;
        have_next_ = true;
      }
      if (free_.empty()) {
        waiting_for_slot_ = true;  // complete() calls again
        return;
      }
      have_next_ = false;
      const std::size_t i = take_slot(next_);
      tlm::tlm_phase phase = tlm::BEGIN_REQ;
      sc_core::sc_time delay =
          next_.arrival_ps > now ? from_ps(next_.arrival_ps - now) : sc_core::SC_ZERO_TIME;
      const tlm::tlm_sync_enum s = socket->nb_transport_fw(pool_[i], phase, delay);
      if (s != tlm::TLM_UPDATED || phase != tlm::END_REQ) return;
      slots_[i].accepted = now + to_ps(delay);
    }
  }

  void complete(std::size_t i, Picoseconds done) {
    const Slot& s = slots_[i];
    latency_.add(done - s.accepted, tck_ps_);
    first_ = std::min(first_, s.accepted);
    last_done_ = std::max(last_done_, done);
    if (hook_) {
      dram::DramCompletion c;
      c.tag = s.tag;
      c.is_write = s.write;
      c.bytes = s.bytes;
      c.arrival_ps = s.accepted;
      c.done_ps = done;
      hook_(c);
    }
    free_.push_back(i);
    if (mode_ == TlmMode::kLt) {
      slot_freed_.notify(sc_core::SC_ZERO_TIME);
    } else if (waiting_for_slot_) {
      waiting_for_slot_ = false;
      send_next(now_ps());
    }
  }

  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) {
    const auto i = static_cast<std::size_t>(&p - pool_.data());
    if (phase == tlm::END_REQ) {
      const Picoseconds now = now_ps();
      slots_[i].accepted = now;
      send_next(now);
      return tlm::TLM_ACCEPTED;
    }
    if (phase == tlm::BEGIN_RESP) {
      complete(i, now_ps() + to_ps(delay));
      return tlm::TLM_COMPLETED;
    }
    return tlm::TLM_ACCEPTED;
  }

  dram::RequestSource& source_;
  TlmMode mode_;
  dram::CompletionHook hook_;
  Picoseconds tck_ps_;
  std::vector<tlm::tlm_generic_payload> pool_;
  std::vector<Slot> slots_;
  std::vector<std::size_t> free_;
  sc_core::sc_event slot_freed_;
  dram::TraceRequest next_;  // AT: read from the source, not yet sent
  bool have_next_ = false;
  bool waiting_for_slot_ = false;
  unsigned char data_[4096] = {};
  dram::LatencyHistogram latency_;
  std::uint64_t requests_ = 0;
  Picoseconds first_ = ~Picoseconds{0};
  Picoseconds last_done_ = 0;
};

}  // namespace

TlmRunResult run_dram_tlm(const dram::DramSpec& spec, dram::RequestSource& source, TlmMode mode,
                          const dram::CompletionHook& hook) {
  // More payloads than the target can hold (queued, plus bursts on the way
  // out of the controller), so the initiator never limits it.
  const std::size_t pool = std::size_t{spec.org.controllers()} *
                               (spec.controller.read_queue + spec.controller.write_queue + 64) +
                           2;
  auto target = std::make_unique<DramTarget>("dram", spec);
  auto initiator =
      std::make_unique<ReplayInitiator>("replay", source, mode, pool, hook, spec.timing.tck_ps);
  initiator->socket.bind(target->socket);
  sc_core::sc_start();
  TlmRunResult r;
  r.summary = dram::summarize(target->core(), initiator->latency(), initiator->requests(),
                              initiator->first(), initiator->last_done());
  r.held_back = target->held_back();
  r.max_outstanding = target->max_outstanding();
  return r;
}

}  // namespace tessera::tlm_models

#include "models/tlm/dram_target.h"

#include <algorithm>

#include "models/core/error.h"

namespace tessera::tlm_models {

using dram::DramSystem;

DramTarget::DramTarget(sc_core::sc_module_name name, const dram::DramSpec& spec, bool log_commands)
    : sc_core::sc_module(name),
      socket("socket"),
      dram_(spec, log_commands),
      peq_(this, &DramTarget::peq_callback) {
  socket.register_nb_transport_fw(this, &DramTarget::nb_transport_fw);
  socket.register_b_transport(this, &DramTarget::b_transport);
  const dram::Timing& t = spec.timing;
  // No completion can come sooner than this after a command is issued.
  min_completion_ps_ = (std::min(t.cl, t.cwl) + t.burst_cycles(spec.org.burst_length)) * t.tck_ps;
  const sc_core::sc_time::value_type res_fs = static_cast<sc_core::sc_time::value_type>(
      sc_core::sc_get_time_resolution().to_seconds() * 1e15 + 0.5);
  if (res_fs < 1000 || res_fs % 1000 != 0) {
    throw RuntimeError("dram target: needs a SystemC time resolution of whole picoseconds");
  }
  ps_per_tick_ = res_fs / 1000;
  SC_HAS_PROCESS(DramTarget);
  SC_METHOD(on_wake);
  sensitive << wake_;
  dont_initialize();
}

Picoseconds DramTarget::now_ps() const {
  // Integer ticks of the kernel's resolution (1 ps by default), not doubles.
  return sc_core::sc_time_stamp().value() * ps_per_tick_;
}

sc_core::sc_time DramTarget::after_ps(Picoseconds ps) const {
  return sc_core::sc_time::from_value(ps / ps_per_tick_);
}

tlm::tlm_sync_enum DramTarget::nb_transport_fw(tlm::tlm_generic_payload& trans,
                                               tlm::tlm_phase& phase, sc_core::sc_time& delay) {
  if (phase == tlm::BEGIN_REQ && delay == sc_core::SC_ZERO_TIME) {
    // Handled inline: the queue would deliver it in the next delta cycle of
    // this same time, at the cost of a process wake per request.
    const Picoseconds now = now_ps();
    const bool accepted = begin_request(trans, now);
    if (!in_wake_) {
      run_ahead(now);
      schedule_wake(now);
    }
    if (!accepted) return tlm::TLM_ACCEPTED;
    phase = tlm::END_REQ;
    return tlm::TLM_UPDATED;
  }
  if (phase == tlm::BEGIN_REQ || phase == tlm::END_RESP) {
    peq_.notify(trans, phase, delay);
    return phase == tlm::END_RESP ? tlm::TLM_COMPLETED : tlm::TLM_ACCEPTED;
  }
  trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
  return tlm::TLM_COMPLETED;
}

void DramTarget::peq_callback(tlm::tlm_generic_payload& trans, const tlm::tlm_phase& phase) {
  const Picoseconds now = now_ps();
  if (phase == tlm::BEGIN_REQ) {
    if (begin_request(trans, now)) end_request(trans);
    run_ahead(now);
    schedule_wake(now);
  } else if (phase == tlm::END_RESP) {
    tlm::tlm_generic_payload* done = in_flight_.trans;
    response_in_flight_ = false;
    if (done->has_mm()) done->release();
    run_ahead(now);
    send_responses(now);
    schedule_wake(now);
  }
}

bool DramTarget::begin_request(tlm::tlm_generic_payload& trans, Picoseconds now) {
  dram_.advance_to(now);
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  if (blocked_.empty() && dram_.can_accept(trans.get_address(), write, trans.get_data_length())) {
    accept(trans, now);
    return true;
  }
  // Base protocol: the initiator waits for END_REQ before its next BEGIN_REQ.
  blocked_.push_back(&trans);
  ++held_back_;
  return false;
}

void DramTarget::accept(tlm::tlm_generic_payload& trans, Picoseconds now) {
  if (trans.has_mm()) trans.acquire();
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  dram_.submit({trans.get_address(), write, trans.get_data_length(), now,
                reinterpret_cast<std::uintptr_t>(&trans)});
  // Responses sent ahead of their time are still outstanding until then.
  // They were sent in completion order, so the due ones are at the front.
  while (sent_ahead_head_ < sent_ahead_.size() && sent_ahead_[sent_ahead_head_] <= now) {
    ++sent_ahead_head_;
  }
  if (sent_ahead_head_ == sent_ahead_.size()) {
    sent_ahead_.clear();
    sent_ahead_head_ = 0;
  } else if (sent_ahead_head_ >= 4096 && 2 * sent_ahead_head_ >= sent_ahead_.size()) {
    // Never all due at once (steady traffic): drop the due half, amortized O(1).
    sent_ahead_.erase(sent_ahead_.begin(), sent_ahead_.begin() + sent_ahead_head_);
    sent_ahead_head_ = 0;
  }
  max_outstanding_ = std::max<std::uint64_t>(
      max_outstanding_, dram_.outstanding() + (sent_ahead_.size() - sent_ahead_head_));
}

void DramTarget::end_request(tlm::tlm_generic_payload& trans) {
  tlm::tlm_phase phase = tlm::END_REQ;
  sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
  socket->nb_transport_bw(trans, phase, zero);
}

void DramTarget::on_wake() {
  const Picoseconds now = now_ps();
  wake_at_ = DramSystem::kNever;
  in_wake_ = true;
  dram_.advance_to(now);
  // The core may already be past `now` (run_ahead ran it to the moment a
  // slot frees): held-back requests wait for that moment. END_REQ may bring
  // the initiator's next BEGIN_REQ inline; it queues behind the held-back ones.
  while (!blocked_.empty() && dram_.now_ps() <= now) {
    tlm::tlm_generic_payload* t = blocked_.front();
    const bool write = t->get_command() == tlm::TLM_WRITE_COMMAND;
    if (!dram_.can_accept(t->get_address(), write, t->get_data_length())) break;
    blocked_.pop_front();
    accept(*t, now);
    end_request(*t);
  }
  // Run ahead before sending: the core's clock then stands at the next slot
  // (if a request is held back), so every completion before it is final now
  // and goes out in this wake instead of waking again for it.
  run_ahead(now);
  send_responses(now);
  in_wake_ = false;
  schedule_wake(now);
}

void DramTarget::send_responses(Picoseconds now) {
  // A command not issued yet issues at the core's clock or later (and not
  // before `now`), and completes min_completion_ps_ after it at the earliest;
  // requests entering later do likewise. Completions before that horizon are
  // final, in order. (Equal times are left: their order among completions
  // still to come is not known yet.)
  dram_.advance_to(now);
  const Picoseconds horizon = std::max(now, dram_.now_ps()) + min_completion_ps_;
  dram::DramCompletion c;
  while (!response_in_flight_ && dram_.pop_completion(horizon - 1, c)) {
    const Response r{reinterpret_cast<tlm::tlm_generic_payload*>(c.tag), c.done_ps};
    r.trans->set_response_status(tlm::TLM_OK_RESPONSE);
    tlm::tlm_phase phase = tlm::BEGIN_RESP;
    // Late only if the initiator held an earlier response (END_RESP after its time).
    sc_core::sc_time delay = r.done_ps > now ? after_ps(r.done_ps - now) : sc_core::SC_ZERO_TIME;
    if (r.done_ps > now) sent_ahead_.push_back(r.done_ps);
    in_flight_ = r;
    response_in_flight_ = true;
    const tlm::tlm_sync_enum s = socket->nb_transport_bw(*r.trans, phase, delay);
    if (s == tlm::TLM_COMPLETED || (s == tlm::TLM_UPDATED && phase == tlm::END_RESP)) {
      response_in_flight_ = false;
      if (r.trans->has_mm()) r.trans->release();
    }
  }
}

void DramTarget::run_ahead(Picoseconds now) {
  // While a request is held back nothing else can enter the core before it
  // (later BEGIN_REQs queue behind it), so the core's future up to the
  // moment a slot frees is already decided: run it there now instead of
  // waking at every command. Completions before then are still sent at
  // their times (annotated).
  if (blocked_.empty()) return;
  const tlm::tlm_generic_payload& head = *blocked_.front();
  const bool write = head.get_command() == tlm::TLM_WRITE_COMMAND;
  // The core's clock is at `now` or ahead of it here (every entry point
  // advances it to `now` first), so this is the step loop "advance to the
  // next command + 1 ps until the head fits" in one call.
  dram_.advance_to(now);
  dram_.advance_until_accepts(head.get_address(), write, head.get_data_length());
}

void DramTarget::schedule_wake(Picoseconds now) {
  Picoseconds next = DramSystem::kNever;
  // A held-back request enters when the core (run ahead) reaches its slot.
  if (!blocked_.empty()) next = std::max(dram_.now_ps(), now);
  if (!response_in_flight_) {
    // The earliest completion not sent yet must be sent by its time.
    const Picoseconds done = dram_.next_completion_ps();
    if (done != DramSystem::kNever) next = std::min(next, std::max(done, now));
    // A command not issued yet completes min_completion_ps_ after it at the
    // earliest: no need to look unless that could come first.
    if (next > now + min_completion_ps_) {
      const Picoseconds cmd = dram_.next_command_ps();
      if (cmd != DramSystem::kNever) next = std::min(next, std::max(cmd + min_completion_ps_, now));
    }
  }
  // A pending wake at or before `next` (and not in the past) does the job:
  // keep it rather than cancel and re-notify.
  if (wake_at_ != DramSystem::kNever && wake_at_ >= now && wake_at_ <= next) return;
  if (next == DramSystem::kNever) return;
  wake_at_ = next;
  // An earlier notification overrides a pending later one (IEEE 1666 sc_event::notify).
  if (next == now) {
    wake_.notify(sc_core::SC_ZERO_TIME);
  } else {
    wake_.notify(after_ps(next - now));
  }
}

void DramTarget::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  const Picoseconds start = now_ps();
  Picoseconds at =
      std::max(start + static_cast<Picoseconds>(delay.value()) * ps_per_tick_, dram_.now_ps());
  const bool write = trans.get_command() == tlm::TLM_WRITE_COMMAND;
  while (!dram_.can_accept(trans.get_address(), write, trans.get_data_length())) {
    const Picoseconds t = dram_.next_command_ps();
    if (t == DramSystem::kNever)
      throw RuntimeError("dram target: queue full with nothing to issue");
    dram_.advance_to(std::max(t + 1, dram_.now_ps() + 1));
    at = std::max(at, dram_.now_ps());
  }
  const auto tag = reinterpret_cast<std::uintptr_t>(&trans);
  dram_.submit({trans.get_address(), write, trans.get_data_length(), at, tag});
  dram::DramCompletion c;
  for (;;) {
    const Picoseconds next = dram_.next_event_ps();
    if (next == DramSystem::kNever) throw RuntimeError("dram target: request lost in the core");
    // Completions done by t are final once every command before t is issued.
    const Picoseconds t = std::max(next, dram_.now_ps());
    dram_.advance_to(t);
    if (dram_.pop_completion(t, c)) break;
    dram_.advance_to(t + 1);  // issue the command at t
    if (dram_.pop_completion(t + 1, c)) break;
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  delay = after_ps(c.done_ps - start);
}

}  // namespace tessera::tlm_models

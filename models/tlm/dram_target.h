// A TLM-2.0 target around the DRAM timing core (models/dram/dram_system.h).
//
// AT (nb_transport_fw), base protocol, four phases:
//  - BEGIN_REQ goes through a payload event queue. When the controller that
//    owns the address has queue room, the request enters the core at the
//    current time and END_REQ is sent at once; otherwise END_REQ is held back
//    (back-pressure: the base protocol forbids the initiator to send another
//    BEGIN_REQ meanwhile) until a command frees a slot.
//  - Responses (BEGIN_RESP) are sent in the order the core completes the
//    requests, at their completion times, one at a time: the next one waits
//    for END_RESP (or for TLM_COMPLETED returned on BEGIN_RESP).
//  - Many requests can be outstanding (up to the controllers' queues).
//  - The target sleeps until the next time something can happen (a
//    completion, or a command that frees a slot for a held-back request); it
//    never wakes per clock cycle.
//
// LT (b_transport): for fast functional-timing runs. The request enters the
// core at sc_time_stamp() + delay (or the core's current time if later), the
// core runs until it completes, and the delay is increased to its completion.
// Approximate and serial: the core's clock then stands at the completion, so
// the next request (of any initiator) enters no earlier - LT requests never
// overlap in the DRAM (latency without contention or bank parallelism). LT
// and AT traffic must not be mixed on one target.
//
// While an AT request is held back, nothing else can enter the core before
// it, so the target runs the core ahead to the moment a slot frees (its clock
// may then be ahead of sc_time_stamp(); completions are still sent at their
// own times) instead of waking at every command.
//
// Timing only: payload data is neither stored nor returned.
#pragma once

#include <tlm_utils/peq_with_cb_and_phase.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <deque>
#include <systemc>
#include <tlm>

#include "models/dram/dram_system.h"

namespace tessera::tlm_models {

class DramTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<DramTarget> socket;

  DramTarget(sc_core::sc_module_name name, const dram::DramSpec& spec, bool log_commands = false);

  dram::DramSystem& core() { return dram_; }
  const dram::DramSystem& core() const { return dram_; }
  // Requests whose END_REQ was delayed by a full queue (back-pressure events).
  std::uint64_t held_back() const { return held_back_; }
  std::uint64_t max_outstanding() const { return max_outstanding_; }

 private:
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void peq_callback(tlm::tlm_generic_payload& trans, const tlm::tlm_phase& phase);
  void on_wake();
  void accept(tlm::tlm_generic_payload& trans, Picoseconds now);
  void send_responses();
  void schedule_wake();
  Picoseconds now_ps() const;
  sc_core::sc_time after_ps(Picoseconds ps) const;

  dram::DramSystem dram_;
  tlm_utils::peq_with_cb_and_phase<DramTarget> peq_;
  sc_core::sc_event wake_;
  // BEGIN_REQs waiting for queue room, oldest first (one per initiator socket
  // under the base protocol; a deque keeps the target safe if several arrive).
  std::deque<tlm::tlm_generic_payload*> blocked_;
  std::deque<tlm::tlm_generic_payload*> responses_;
  bool response_in_flight_ = false;
  Picoseconds min_completion_ps_ = 0;
  Picoseconds ps_per_tick_ = 1;                     // SystemC time resolution
  Picoseconds wake_at_ = dram::DramSystem::kNever;  // the pending wake_ notification
  std::uint64_t held_back_ = 0;
  std::uint64_t max_outstanding_ = 0;
};

}  // namespace tessera::tlm_models

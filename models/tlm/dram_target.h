// A TLM-2.0 target around the DRAM timing core (models/dram/dram_system.h).
//
// AT (nb_transport_fw), base protocol, four phases:
//  - BEGIN_REQ: one annotated with a delay goes through a payload event queue
//    and is handled at its time; one with zero delay is handled inline (no
//    process wake). When the controller that owns the address has queue room
//    the request enters the core at the current time and END_REQ is given at
//    once (inline: the call returns TLM_UPDATED with phase END_REQ; from the
//    queue: nb_transport_bw). Otherwise END_REQ is held back (back-pressure:
//    the base protocol forbids the initiator another BEGIN_REQ meanwhile)
//    until a command frees a slot; held-back requests enter in arrival order,
//    and a later request never overtakes them.
//  - Responses (BEGIN_RESP) are sent in the order the core completes the
//    requests, annotated with the delay to their completion times: once no
//    command still to be issued can complete before a completion (it completes
//    min(CL, CWL) + burst after its issue at the earliest), that completion is
//    final and is sent at once, so one wake sends every final response. The
//    next response waits for END_RESP (or TLM_COMPLETED on BEGIN_RESP), as
//    the base protocol's response exclusion requires.
//  - Many requests can be outstanding (up to the controllers' queues).
//  - One SC_METHOD sleeps until the next time something can happen (a
//    completion to send, or a command that frees a slot for a held-back
//    request); it never wakes per clock cycle, and a wake already pending
//    earlier is kept rather than re-notified. Wakes per request on a saturated
//    random DDR4 trace: about one (the END_REQ of the held-back request).
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

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <deque>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/dram/dram_system.h"
#include "models/tlm/payload_event_queue.h"

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
  // A BEGIN_REQ at `now`: true if it entered the core (END_REQ due), false if held back.
  bool begin_request(tlm::tlm_generic_payload& trans, Picoseconds now);
  void on_wake();
  void accept(tlm::tlm_generic_payload& trans, Picoseconds now);
  void end_request(tlm::tlm_generic_payload& trans);
  void send_responses(Picoseconds now);
  // While a request is held back: runs the core to the moment it can enter.
  void run_ahead(Picoseconds now);
  // Call after run_ahead: notifies wake_ for the next time something can happen.
  void schedule_wake(Picoseconds now);
  Picoseconds now_ps() const;
  sc_core::sc_time after_ps(Picoseconds ps) const;

  dram::DramSystem dram_;
  PayloadEventQueue<DramTarget> peq_;
  sc_core::sc_event wake_;
  // BEGIN_REQs waiting for queue room, oldest first (one per initiator socket
  // under the base protocol; a deque keeps the target safe if several arrive).
  std::deque<tlm::tlm_generic_payload*> blocked_;
  struct Response {
    tlm::tlm_generic_payload* trans;
    Picoseconds done_ps;
  };
  // The response awaiting END_RESP (while response_in_flight_): the next
  // completion stays in the core until then.
  Response in_flight_{nullptr, 0};
  // Completion times of responses already sent ahead of their time (for
  // max_outstanding: such a request is still outstanding until then), in
  // completion order from sent_ahead_head_ on; cleared when all are due.
  std::vector<Picoseconds> sent_ahead_;
  std::size_t sent_ahead_head_ = 0;
  bool response_in_flight_ = false;
  bool in_wake_ = false;  // on_wake reschedules once at its end
  Picoseconds min_completion_ps_ = 0;
  Picoseconds ps_per_tick_ = 1;                     // SystemC time resolution
  Picoseconds wake_at_ = dram::DramSystem::kNever;  // the pending wake_ notification
  std::uint64_t held_back_ = 0;
  std::uint64_t max_outstanding_ = 0;
};

}  // namespace tessera::tlm_models

// The on-chip interconnect between the tiles and the banks of the shared
// cache: a crossbar that routes each request to the bank owning its address
// ((address / burst) mod banks), arbitrates among the tiles contending for a
// bank port (round-robin or fixed priority), and models the port width (a
// transaction occupies its bank port for ceil(bytes / bytes_per_cycle)
// cycles from its grant) and the traversal latency (each way, pipelined: a
// port accepts a new grant as soon as its occupancy ends).
//
// AT: the base protocol on both sides. A tile's request is held (no END_REQ)
// until it is granted, so a busy port back-pressures the tile; the granted
// request is sent to the bank at once, annotated with the `latency` cycles
// it takes to get there (no wake-up of its own), and responses travel back
// through a payload event queue. One arbitration round grants each port at
// most once and gives every grant its END_REQ after the round, so a tile's
// next request waits for the next round. LT: b_transport adds
// latency, occupancy and latency back; contention is not modelled.
#pragma once

#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <cstdint>
#include <deque>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/config/platform_config.h"
#include "models/core/units.h"
#include "models/tlm/payload_event_queue.h"

namespace tessera::tlm_platform {

class Interconnect : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Interconnect> in;      // tile i binds index i
  tlm_utils::multi_passthrough_initiator_socket<Interconnect> out;  // bank b binds index b

  SC_HAS_PROCESS(Interconnect);
  Interconnect(sc_core::sc_module_name name, const config::PlatformConfig& platform,
               std::uint32_t inputs, std::uint32_t outputs);

  std::uint32_t route(std::uint64_t address) const {
    return static_cast<std::uint32_t>((address / burst_bytes_) & (outputs_ - 1));
  }

  // What is still waiting inside (for the stalled-run error): empty when idle.
  std::string pending() const;

 private:
  tlm::tlm_sync_enum nb_transport_fw(int id, tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_bw(int id, tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void b_transport(int id, tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  void arbitrate();
  void forward(std::uint32_t output, tlm::tlm_generic_payload& p);
  void send_request(std::uint32_t output, tlm::tlm_generic_payload& p);
  void respond(tlm::tlm_generic_payload& p, const tlm::tlm_phase& phase);
  void send_response(std::uint32_t input, tlm::tlm_generic_payload& p);
  void end_request(std::uint32_t output, tlm::tlm_generic_payload& p);
  Cycles occupancy_cycles(const tlm::tlm_generic_payload& p) const {
    return (p.get_data_length() + bytes_per_cycle_ - 1) / bytes_per_cycle_;
  }

  struct Output {
    Picoseconds free_ps = 0;  // port busy until
    // Downstream request exclusion: granted requests travel the latency
    // pipeline freely; at its end they wait here while the bank has not
    // answered the previous BEGIN_REQ with END_REQ.
    tlm::tlm_generic_payload* awaiting_end_req = nullptr;
    std::deque<tlm::tlm_generic_payload*> blocked;
    std::uint32_t next_input = 0;  // round-robin pointer
    // Inputs with a request for this port waiting for a grant: a bit mask,
    // so arbitration finds the next requester without scanning every input.
    std::uint32_t waiting = 0;
    std::vector<std::uint64_t> requesters;
  };
  struct Input {
    tlm::tlm_generic_payload* request = nullptr;  // waiting for a grant
    std::uint32_t output = 0;
    bool response_busy = false;  // BEGIN_RESP sent, END_RESP not yet received
    std::deque<tlm::tlm_generic_payload*> responses;
  };

  std::uint32_t inputs_, outputs_;
  Bytes burst_bytes_;
  std::uint32_t bytes_per_cycle_;
  Picoseconds period_ps_;
  sc_core::sc_time latency_;
  config::Arbitration arbitration_;
  std::vector<Output> out_state_;
  std::vector<Input> in_state_;
  std::uint32_t waiting_ = 0;  // inputs with a request waiting for a grant
  // The first requester of `port` at or after input `start`, wrapping; inputs_ if none.
  std::uint32_t first_requester(const Output& port, std::uint32_t start) const;
  struct Grant {
    std::uint32_t input, output;
    tlm::tlm_generic_payload* payload;
  };
  std::vector<Grant> grants_;  // of the current arbitration round (reused)
  Picoseconds latency_ps_;
  // LT: latency plus the port occupancy of a full burst (most transactions),
  // built once instead of converted to sc_time per transaction.
  sc_core::sc_time burst_forward_;
  sc_core::sc_event arbitrate_event_;
  tlm_models::PayloadEventQueue<Interconnect> response_queue_;
};

}  // namespace tessera::tlm_platform

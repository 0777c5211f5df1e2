// A tile of the timed platform: a TLM initiator that runs its schedule
// (models/platform/schedule.h). For every operator it fetches the operands in
// burst transactions, computes for the cycles its dataflow model gives, then
// writes the results; with double buffering the next operator's fetches are
// issued as soon as the current compute starts.
//
// AT mode: 4-phase base protocol with up to `max_outstanding` requests in
// flight. The thread hands a range of segments to the issuer and sleeps until
// it is all issued, the reads are done or the compute ends, never per cycle
// or per burst: the bursts themselves are sent from the protocol callbacks
// (pump(), on END_REQ and on each response) as soon as the window and the
// request channel allow, at the same simulated time the thread would have. LT mode: b_transport
// with a quantum keeper; the tile keeps its own local time and models its outstanding window by
// issuing transaction k no earlier than transaction k - max_outstanding
// completed (an approximation: contention downstream is only what the
// targets' LT models charge).
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>
#include <cstdint>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/config/platform_config.h"
#include "models/platform/run_record.h"
#include "models/platform/schedule.h"
#include "models/tlm/platform_payload.h"

namespace tessera::tlm_platform {

class TileInitiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<TileInitiator> socket;

  SC_HAS_PROCESS(TileInitiator);
  TileInitiator(sc_core::sc_module_name name, std::uint32_t id,
                const platform::TileSchedule& schedule, const config::PlatformConfig& platform,
                bool lt_mode, PayloadPool& pool, platform::RunRecord& record);

  // Empty once the tile has run its whole schedule; otherwise what it still
  // waits on (a simulation that ends here is a deadlock in the model).
  std::string unfinished() const;

 private:
  void run();
  void issue_segments(std::uint32_t begin, std::uint32_t end);
  tlm::tlm_generic_payload* make_request(std::uint32_t segment, std::uint64_t address,
                                         unsigned length);
  void issue_lt(std::uint32_t segment, std::uint64_t address, unsigned length);
  void pump();
  void send_at(std::uint32_t segment, std::uint64_t address, unsigned length);
  void wait_reads();
  void wait_writes();
  Picoseconds now_ps() const;
  void wait_until(Picoseconds t);
  void lt_sync();
  void complete(tlm::tlm_generic_payload& p);
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);

  std::uint32_t id_;
  const platform::TileSchedule& schedule_;
  Picoseconds period_ps_;
  Bytes burst_bytes_;
  std::uint32_t max_outstanding_;
  bool double_buffering_;
  bool lt_;
  PayloadPool& pool_;
  platform::RunRecord& record_;

  // AT state
  std::uint32_t outstanding_ = 0;
  std::uint32_t pending_reads_ = 0;
  std::uint32_t pending_writes_ = 0;
  tlm::tlm_generic_payload* request_in_progress_ = nullptr;  // awaiting END_REQ
  // The range being issued: segments [issue_segment_, issue_end_), the next
  // burst starting at issue_address_.
  std::uint32_t issue_segment_ = 0, issue_end_ = 0;
  std::uint64_t issue_address_ = 0;
  bool pumping_ = false;
  sc_core::sc_event issued_event_;
  sc_core::sc_event reads_done_event_;
  sc_core::sc_event writes_done_event_;

  // The quantum keeper with its next sync point readable, so lt_sync() can
  // test it against the local time without asking the kernel.
  struct QuantumKeeper : tlm_utils::tlm_quantumkeeper {
    Picoseconds next_sync_ps() const { return m_next_sync_point.value(); }
  };
  // LT state: absolute local time and completion times of the last window.
  QuantumKeeper quantum_keeper_;
  Picoseconds lt_now_ps_ = 0;
  Picoseconds lt_reads_done_ps_ = 0;
  Picoseconds lt_writes_done_ps_ = 0;
  std::vector<Picoseconds> lt_window_;
  std::uint64_t lt_issued_ = 0;
  bool finished_ = false;
};

}  // namespace tessera::tlm_platform

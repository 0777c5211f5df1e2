// RtlDotTile: a tile of the timed platform whose compute engine is the Verilated dot unit
// as a SystemC module (verilate(... SYSTEMC ...): Vdot_e4m3_l16_sc, or its VCD-tracing
// twin). The tile is the TLM <-> pin adapter between the platform's memory path and the
// unit's valid/ready pins:
//
//   memory side (SC_THREAD issue): reads its rows of A and B in bursts through its
//     initiator socket (4-phase AT base protocol, up to max_outstanding in flight), A and
//     B burst by burst in step so a beat's operands arrive together; writes each full
//     burst of results (and the last, partial one) back.
//   pin side (one SC_METHOD, woken at each clock edge it generates itself): on the
//     rising edge it raises clk and takes out_result if out_valid (out_ready is held
//     high); on the falling edge it lowers clk and presents the next beat whose operand
//     bytes have all arrived (in_valid, in_a, in_b, in_last), so the unit samples it at
//     the next rising edge. Two process wakes and two model evaluations per cycle: the
//     fewest a pin-level --sc model allows (it evaluates on every clk edge).
//   clock gating: when no beat is ready and the unit's pipeline has drained, the clock
//     stops (the unit's state holds without edges, as idle cycles would leave it) and
//     restarts on the next clock-grid edge after operands arrive. Time, and so the cycle
//     count, is unchanged; the kernel does no work while the tile waits for memory.
//
// Operand values come from the caller's arrays: the platform models time and traffic,
// not data (platform_payload.h), so the beat presented is the one whose bytes the
// platform has delivered. Memory layout per tile: its A rows, then its B rows, then its
// results, each aligned to the burst size. Cache residency is decided per chunk of
// `chunk_bytes` of each operand (one tensor id each) so the rows stream from DRAM as they
// would in hardware, not as one tensor that is resident after its first miss.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/config/platform_config.h"
#include "models/tlm/platform_payload.h"

namespace tessera::rtl {

// One tile's share of the workload and where it lives in memory.
struct DotTileWork {
  const std::uint64_t* a = nullptr;  // rows x k bit patterns (one byte each in memory)
  const std::uint64_t* b = nullptr;
  std::uint64_t* results = nullptr;  // rows
  std::size_t rows = 0;
  std::size_t k = 0;
  std::uint64_t a_address = 0, b_address = 0, c_address = 0;
  // Tensor ids of the first chunk of A, of B and of C (chunks are numbered on from there).
  std::uint32_t a_tensor = 0, b_tensor = 0, c_tensor = 0;
  Bytes chunk_bytes = 4096;
};

// What the tile measured (cycles of the platform clock).
struct DotTileRecord {
  std::uint64_t beats = 0;
  std::uint64_t first_beat_cycle = 0;   // the unit sampled its first beat
  std::uint64_t last_result_cycle = 0;  // the last result was taken
  std::uint64_t finish_cycle = 0;       // the last result write was acknowledged
  std::uint64_t clocked_cycles = 0;     // cycles the clock ran (not gated)
  std::uint64_t read_bursts = 0, write_bursts = 0;
  Bytes read_bytes = 0, write_bytes = 0;
};

class RtlDotTile : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<RtlDotTile> socket;

  SC_HAS_PROCESS(RtlDotTile);
  // trace: build the VCD-tracing variant of the unit (see open_trace()).
  RtlDotTile(sc_core::sc_module_name name, std::uint32_t id, const DotTileWork& work,
             const config::PlatformConfig& platform, tlm_platform::PayloadPool& pool, bool trace);
  ~RtlDotTile() override;

  // Opens a VCD of the unit's pins and internal signals. Call after elaboration (once the
  // simulation has started at time 0) and before any clock edge.
  void open_trace(const std::string& path);
  void close_trace();

  const DotTileRecord& record() const { return record_; }
  bool done() const { return done_; }

 private:
  struct Unit;  // the Verilated model (hidden: its header pulls in all of SystemC's)

  void issue();  // SC_THREAD: the memory side
  void edge();   // SC_METHOD: the pin side
  void present_next_beat();
  bool beat_ready(std::uint64_t beat) const;
  void take_result(std::uint64_t value);
  // One burst; `segment` numbers the cache decision it shares with the other bursts of
  // its chunk (CacheModule asks its core once per segment).
  void send(bool write, std::uint64_t address, unsigned length, std::uint32_t segment,
            std::uint32_t tensor, std::uint64_t access_address, Bytes access_bytes);
  void arrived(tlm::tlm_generic_payload& p);
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  Picoseconds now_ps() const { return sc_core::sc_time_stamp().value(); }
  std::uint64_t cycle_now() const { return now_ps() / period_ps_; }

  std::uint32_t id_;
  DotTileWork work_;
  Picoseconds period_ps_;
  Bytes burst_bytes_;
  std::uint32_t max_outstanding_;
  tlm_platform::PayloadPool& pool_;
  DotTileRecord record_;
  sc_core::sc_time high_time_, low_time_;  // the clock's half periods (built once)

  // The unit and the signals bound to its pins.
  sc_core::sc_signal<bool> clk_{"clk"}, rst_{"rst"}, in_valid_{"in_valid"}, in_ready_{"in_ready"},
      in_last_{"in_last"}, out_valid_{"out_valid"}, out_ready_{"out_ready"};
  sc_core::sc_signal<std::uint32_t> out_result_{"out_result"};
  sc_core::sc_signal<sc_dt::sc_bv<128>> in_a_{"in_a"}, in_b_{"in_b"};
  std::unique_ptr<Unit> unit_;

  // Memory side.
  std::uint64_t beats_per_row_ = 0;
  std::uint64_t operand_bursts_ = 0;  // per operand (A and B have the same shape)
  std::vector<std::uint8_t> a_done_;  // per burst of A / B: its data has arrived
  std::vector<std::uint8_t> b_done_;
  std::uint64_t a_prefix_bytes_ = 0;  // every byte of A below this has arrived
  std::uint64_t b_prefix_bytes_ = 0;
  std::uint32_t outstanding_ = 0;
  std::uint32_t next_segment_ = 0;  // per-tile segment numbers for the cache's ring
  tlm::tlm_generic_payload* request_in_progress_ = nullptr;
  std::deque<std::uint64_t> write_queue_;  // result bursts ready to write (index)
  std::uint64_t writes_pending_ = 0;
  sc_core::sc_event credit_event_;    // a request slot or a result burst became available
  sc_core::sc_event operands_event_;  // operand bytes arrived (restarts a gated clock)
  sc_core::sc_event edge_event_;

  // Pin side.
  bool clk_high_ = false;
  bool gated_ = true;
  std::uint64_t next_beat_ = 0;      // next beat to present
  std::uint64_t presented_ = ~0ull;  // beat on the pins now (~0: none)
  std::uint64_t last_fire_cycle_ = 0;
  std::uint64_t results_done_ = 0;
  std::uint64_t results_written_ = 0;  // results handed to the write queue
  bool done_ = false;
};

}  // namespace tessera::rtl

// RtlTileBase: what the RTL tiles of the timed platform (RtlDotTile, RtlAttentionTile)
// share - the TLM <-> pin adapter around a Verilated SystemC unit with a valid/ready
// handshake (clk, rst, in_valid, in_ready, in_last, out_valid, out_ready; the data buses
// are the unit's own and live in the derived tile):
//
//   memory side (SC_METHOD issue, woken by each credit): reads the tile's operand streams in bursts
//   through its
//     initiator socket (4-phase AT base protocol, up to max_outstanding in flight), the
//     streams burst by burst in turn (round robin over those with bursts left) so a
//     beat's operands arrive together; writes each full burst of the result stream (and
//     the last, partial one) back as soon as its bytes are produced. Results go first: a
//     write frees no operand, but holding it back would delay the end.
//   pin side (one SC_METHOD, woken at each clock edge it generates itself): on the rising
//     edge it raises clk, counts the presented beat as taken if in_ready was high, and
//     takes the output if out_valid (out_ready is held high); on the falling edge it lowers
//     clk and presents the next beat whose operand bytes have all arrived (a beat the unit
//     did not take stays on the pins). Two process wakes and two model evaluations per
//     cycle: the fewest a pin-level --sc model allows.
//   clock gating: when no beat is ready, the unit is ready for one, and its pipeline has
//     drained (drain_cycles after the last beat, no output pending), the clock stops (the
//     unit's state holds without edges, as idle cycles would leave it) and restarts on
//     the next clock-grid edge after operands arrive. Time, and so the cycle count, is
//     unchanged; the kernel does no work while the tile waits for memory.
//
// Cache residency is decided per chunk of `chunk_bytes` of each stream (one tensor id per
// chunk, numbered on from the stream's `tensor`) so operands stream from DRAM as they would
// in hardware, not as one tensor that is resident after its first miss.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <cstdint>
#include <deque>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/config/platform_config.h"
#include "models/tlm/platform_payload.h"
#include "rtl/engine/traced_unit.h"

namespace tessera::rtl {

// A contiguous region the tile reads or writes: its address, size and the tensor id of
// its first chunk.
struct TileStream {
  std::uint64_t address = 0;
  Bytes bytes = 0;
  std::uint32_t tensor = 0;
};

// What a tile measured (cycles of the platform clock).
struct TileRecord {
  std::uint64_t beats = 0;
  std::uint64_t first_beat_cycle = 0;   // the unit took its first beat
  std::uint64_t last_result_cycle = 0;  // the last output was taken
  std::uint64_t finish_cycle = 0;       // the last result write was acknowledged
  std::uint64_t clocked_cycles = 0;     // cycles the clock ran (not gated)
  std::uint64_t read_bursts = 0, write_bursts = 0;
  Bytes read_bytes = 0, write_bytes = 0;
};

class RtlTileBase : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<RtlTileBase> socket;

  SC_HAS_PROCESS(RtlTileBase);
  RtlTileBase(sc_core::sc_module_name name, std::uint32_t id,
              const config::PlatformConfig& platform, tlm_platform::PayloadPool& pool);

  // Opens the waveform (VCD or FST, as the tile's unit was built) of the unit's pins and
  // internal signals at `path`; a unit built without tracing ignores it. Call after
  // elaboration (once the simulation has started at time 0) and before any clock edge.
  void open_trace(const std::string& path) {
    if (unit_ != nullptr) unit_->open_trace(path);
  }
  void close_trace() {
    if (unit_ != nullptr) unit_->close_trace();
  }

  const TileRecord& record() const { return record_; }
  bool done() const { return done_; }

 protected:
  static constexpr std::uint64_t kNone = ~0ull;

  // Called once by the derived tile's constructor: the streams it reads, the one it
  // writes, the residency granule, how many beats the unit takes in all, and how many
  // cycles after its last beat the unit's pipeline has settled.
  void set_work(std::vector<TileStream> reads, TileStream write, Bytes chunk_bytes,
                std::uint64_t total_beats, std::uint64_t drain_cycles);
  // Called once by the derived tile's constructor: its Verilated unit (a VerilatedUnit,
  // rtl/engine/verilated_unit.h). The derived tile owns it, declared after the signals its
  // pins are bound to, so it goes first.
  void set_unit(TracedUnit& unit) { unit_ = &unit; }
  // Every byte of read stream `i` below this offset has arrived.
  std::uint64_t prefix_bytes(std::size_t i) const { return reads_[i].prefix; }
  // The derived tile produced result bytes [0, bytes_done) of the write stream.
  void results_ready(std::uint64_t bytes_done);

  // The unit's side, per tile kind.
  virtual bool beat_ready(std::uint64_t beat) const = 0;  // its operand bytes have arrived
  virtual void drive_beat(std::uint64_t beat) = 0;        // data pins and in_last
  virtual void take_output() = 0;                         // out_valid is high: read the output pins

  sc_core::sc_signal<bool> clk_{"clk"}, rst_{"rst"}, in_valid_{"in_valid"}, in_ready_{"in_ready"},
      in_last_{"in_last"}, out_valid_{"out_valid"}, out_ready_{"out_ready"};

  // Binds the valid/ready handshake every unit shares (the data pins are the
  // derived tile's); a template because each Verilated unit is its own class.
  template <class Unit>
  void bind_handshake(Unit& m) {
    m.clk(clk_);
    m.rst(rst_);
    m.in_valid(in_valid_);
    m.in_ready(in_ready_);
    m.in_last(in_last_);
    m.out_valid(out_valid_);
    m.out_ready(out_ready_);
  }

 private:
  struct ReadState {
    TileStream stream;
    std::uint64_t bursts = 0, next_burst = 0;
    std::vector<std::uint8_t> done;  // per burst: its data has arrived
    std::uint64_t prefix = 0;
    std::uint64_t chunk = kNone;  // the chunk of the last burst issued, and its segment
    std::uint32_t chunk_segment = 0;
  };

  void issue();  // SC_METHOD (woken by credit_event_): the memory side
  void edge();   // SC_METHOD: the pin side
  void present_next_beat();
  // One burst; `segment` numbers the cache decision it shares with the other bursts of
  // its chunk (CacheModule asks its core once per segment).
  void send(bool write, std::uint64_t address, unsigned length, std::uint32_t segment,
            std::uint32_t tensor, std::uint64_t access_address, Bytes access_bytes);
  void arrived(tlm::tlm_generic_payload& p);
  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  Picoseconds now_ps() const { return sc_core::sc_time_stamp().value(); }

  TracedUnit* unit_ = nullptr;
  std::uint32_t id_;
  Picoseconds period_ps_;
  Bytes burst_bytes_;
  std::uint32_t max_outstanding_;
  tlm_platform::PayloadPool& pool_;
  sc_core::sc_time high_time_, low_time_;  // the clock's half periods (built once)

 protected:
  TileRecord record_;

 private:
  // Memory side.
  std::vector<ReadState> reads_;
  TileStream write_;
  Bytes chunk_bytes_ = 4096;
  std::uint64_t write_bursts_total_ = 0;
  std::uint64_t bursts_queued_ = 0;  // result bursts handed to the write queue
  std::uint32_t outstanding_ = 0;
  std::uint32_t next_segment_ = 0;  // per-tile segment numbers for the cache's ring
  tlm::tlm_generic_payload* request_in_progress_ = nullptr;
  std::deque<std::uint64_t> write_queue_;  // result bursts ready to write (index)
  std::uint64_t writes_pending_ = 0;
  std::uint64_t writes_issued_ = 0;
  std::size_t read_turn_ = 0;         // round robin over the read streams
  sc_core::sc_event credit_event_;    // a request slot or a result burst became available
  sc_core::sc_event operands_event_;  // operand bytes arrived (restarts a gated clock)
  sc_core::sc_event edge_event_;      // the next clock edge (edge()'s static sensitivity)

  // Pin side.
  std::uint64_t total_beats_ = 0;
  std::uint64_t drain_cycles_ = 0;
  bool clk_high_ = false;
  bool gated_ = true;
  std::uint64_t next_beat_ = 0;      // next beat to present
  std::uint64_t presented_ = kNone;  // beat on the pins now (kNone: none)
  std::uint64_t last_fire_cycle_ = 0;
  std::uint64_t result_bytes_done_ = 0;
  bool done_ = false;
};

}  // namespace tessera::rtl

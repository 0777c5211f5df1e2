// The DRAM timing core's public API: one object for a whole memory (every
// channel and pseudo-channel with its own controller), driven by requests in
// picoseconds. Plain C++, no SystemC; the TLM target (models/tlm/dram_target.h)
// and the timed platform drive it the same way:
//
//   DramSystem dram(dram::preset("DDR4-3200"));
//   if (dram.can_accept(addr, is_write)) dram.submit({addr, is_write, 64, now_ps, tag});
//   dram.advance_to(t_ps);                 // issue every command before t_ps
//   DramCompletion c;
//   while (dram.pop_completion(t_ps, c)) ...  // responses done by t_ps, in completion order
//   t_next = dram.next_event_ps();         // when to call advance_to again
//
// Timing conventions (documented in docs/dram.md):
// - Time only moves forward: submit() and advance_to() take times >= now_ps().
//   A request arriving between clock edges is seen at the next edge of tCK.
// - A request of any size is split into bursts (burst_bytes each, aligned);
//   it completes when its last burst has left the data bus.
// - Read latency = done_ps - arrival_ps and includes the burst transfer;
//   data_ps is the first data beat of the request's last burst. For an idle
//   controller: row hit data_ps - arrival = CL x tCK, closed bank (tRCD + CL)
//   x tCK, row conflict (tRP + tRCD + CL) x tCK; done adds BL / data_rate x tCK.
// - A write completes when its data has left the bus (CWL + burst after WR).
// - There is no extra controller pipeline latency.
// - Event-driven: each controller computes the earliest legal time of its next
//   command and jumps there; nothing is ticked per cycle.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/dram/address_mapping.h"
#include "models/dram/command.h"
#include "models/dram/spec.h"

namespace tessera::dram {

class ChannelController;

struct DramRequest {
  std::uint64_t address = 0;
  bool is_write = false;
  std::uint32_t bytes = 64;
  Picoseconds arrival_ps = 0;
  std::uint64_t tag = 0;  // returned in the completion
};

struct DramCompletion {
  std::uint64_t tag = 0;
  bool is_write = false;
  std::uint32_t bytes = 0;
  Picoseconds arrival_ps = 0;  // when the request entered the controller
  Picoseconds data_ps = 0;     // first beat of the last burst
  Picoseconds done_ps = 0;     // last beat of the last burst
};

// Per controller (channel or pseudo-channel) counters.
struct ChannelStats {
  std::uint64_t reads = 0;          // read bursts
  std::uint64_t writes = 0;         // write bursts
  std::uint64_t row_hits = 0;       // column access to an already open row
  std::uint64_t row_misses = 0;     // needed an ACT on a closed bank
  std::uint64_t row_conflicts = 0;  // needed a PRE of another row first
  std::uint64_t activates = 0;
  std::uint64_t precharges = 0;
  std::uint64_t refreshes = 0;     // all-bank refresh commands
  std::uint64_t refreshes_pb = 0;  // per-bank refresh commands
  Cycles refresh_busy_cycles = 0;  // sum of tRFC (rank-cycles) spent refreshing
  std::uint64_t bytes = 0;
  std::uint64_t latency_sum_cycles = 0;  // burst latency, arrival to done
  std::uint64_t decisions = 0;           // scheduler evaluations (the event-driven work done)
};

class DramSystem {
 public:
  // `log_commands`: keep every issued command (for the timing checker).
  explicit DramSystem(const DramSpec& spec, bool log_commands = false);
  ~DramSystem();
  DramSystem(const DramSystem&) = delete;
  DramSystem& operator=(const DramSystem&) = delete;

  const DramSpec& spec() const { return spec_; }
  const AddressMapping& mapping() const { return mapping_; }

  // False while the queue of the controller owning `address` (the first burst)
  // has no room for a request of `bytes`: the caller holds the request back.
  bool can_accept(std::uint64_t address, bool is_write, std::uint32_t bytes = 64) const;
  // Advances to req.arrival_ps, then queues the request. Precondition:
  // can_accept() and arrival_ps >= now_ps(). Throws RuntimeError otherwise.
  void submit(const DramRequest& req);

  // Issues every command whose time is before until_ps on every controller.
  void advance_to(Picoseconds until_ps);
  // Pops the earliest completion with done_ps <= until_ps (call advance_to(until_ps)
  // first). Completions come out in done_ps order (ties by submission order).
  bool pop_completion(Picoseconds until_ps, DramCompletion& out);
  // The next time something can change for a caller: the earliest pending
  // completion, or the earliest next command (which may free queue space or
  // produce a completion). kNever when nothing is outstanding.
  Picoseconds next_event_ps();
  // The earliest completion already known (kNever if none). Commands not yet
  // issued complete later than their issue time + min(CL, CWL) + burst.
  Picoseconds next_completion_ps() const { return heap_.empty() ? kNever : heap_.front().done_ps; }
  // The earliest next command of any controller with queued work (kNever if none):
  // issuing it may free queue space for a held-back request.
  Picoseconds next_command_ps();
  static constexpr Picoseconds kNever = ~Picoseconds{0};

  // Issues commands until can_accept(address, is_write, bytes) holds: exactly
  // what repeating `advance_to(max(next_command_ps() + 1, now_ps() + 1))`
  // until then does (same commands, same now_ps() afterwards, same
  // completions queued in the same order), without the round trip through
  // the whole system per command. The closed-loop replay of a full queue
  // (run_core, the TLM target's held-back requests) spends most of its
  // calls there. Throws RuntimeError if no command can ever free room.
  void advance_until_accepts(std::uint64_t address, bool is_write, std::uint32_t bytes = 64);

  // Runs until every submitted request has completed; returns the last done time.
  Picoseconds drain();

  Picoseconds now_ps() const { return now_ps_; }
  std::uint64_t outstanding() const { return outstanding_; }
  std::uint32_t controllers() const { return static_cast<std::uint32_t>(channels_.size()); }
  const ChannelStats& stats(std::uint32_t controller) const;
  ChannelStats total_stats() const;
  // Energy so far (commands + background up to `at_ps`), picojoules.
  double energy_pj(Picoseconds at_ps) const;
  // Issued commands of one controller, in issue order (log_commands only).
  const std::vector<CommandRecord>& command_log(std::uint32_t controller) const;

 private:
  struct Parent {
    std::uint64_t tag;
    Picoseconds arrival_ps;
    Cycles data_cycle;
    Cycles done_cycle;
    std::uint32_t bytes;
    std::uint32_t remaining;
    bool is_write;
  };
  struct Pending {
    Picoseconds done_ps;
    std::uint64_t order;
    std::uint32_t parent;
  };
  void collect(std::uint32_t channel);
  void push_pending(const Pending& p);

  DramSpec spec_;
  AddressMapping mapping_;
  std::vector<std::unique_ptr<ChannelController>> channels_;
  std::vector<Parent> parents_;
  std::vector<std::uint32_t> free_parents_;
  std::vector<Pending> heap_;  // min-heap on (done_ps, order)
  std::uint64_t order_ = 0;
  std::uint64_t outstanding_ = 0;
  Picoseconds now_ps_ = 0;
};

}  // namespace tessera::dram

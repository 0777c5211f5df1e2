// The DRAM of the timed platform's LT mode: an approximate, closed-form
// timing model that answers each request at once, for fast functional-timing
// runs (`tessera run --mode lt`). AT mode keeps the exact DRAM timing core
// (models/dram/dram_system.h behind models/tlm/dram_target.h).
//
// Why a second model: the core schedules every burst through queues, FR-FCFS
// and the refresh state machine; driven one b_transport at a time it cost
// about 5,000 instructions per DRAM request, 87% of an LT run. This model
// costs about a hundred per burst and keeps what sets the time of the
// platform's traffic:
//  - per bank: open row, and the earliest ACT, PRE, RD and WR;
//  - per bank group, rank and channel: the same bounds, raised by the JEDEC
//    distances the core's issue() applies (tRCD, tRAS, tRC, tRP, tRTP, tWR,
//    tCCD_S/L, tRRD_S/L, tFAW, tWTR_S/L, read-to-write turnaround, rank
//    switch tRTRS, the data bus one burst at a time);
//  - refresh at the core's times (all-bank: rank r first at
//    tREFI / ranks x (r + 1), then every tREFI; per-bank: one refresh unit
//    every tREFIpb in turn) as a window of tRFC (tRFCpb) in which the rank
//    (unit) takes no command, and which closes its open rows.
//
// Approximations (docs/platform.md, "AT and LT"): bursts are served in call
// order (no FR-FCFS reordering, no read priority over buffered writes, no
// queue limits, so no back-pressure); a request's commands are timed when
// it arrives, against the bounds left by earlier calls, so a request arriving
// "in the past" (an LT initiator behind the others within its quantum) waits
// behind everything already booked; the command bus (one command per cycle)
// is not modelled; open-adaptive pages behave as open; a command is checked
// against the refresh window around its first command only.
//
// Stats and energy mirror the core's (row hits / misses / conflicts per burst,
// ACT, PRE, refresh counts); refreshes are counted up to the end time asked.
#pragma once

#include <cstdint>
#include <vector>

#include "models/core/units.h"
#include "models/dram/address_mapping.h"
#include "models/dram/dram_system.h"
#include "models/dram/spec.h"

namespace tessera::platform {

class LtDram {
 public:
  explicit LtDram(const dram::DramSpec& spec);

  const dram::DramSpec& spec() const { return spec_; }
  const dram::AddressMapping& mapping() const { return mapping_; }

  // Times a request of `bytes` at `address` arriving at `arrival_ps` (split
  // into aligned bursts, as the core does) and returns when its last burst
  // has left the data bus.
  Picoseconds access(std::uint64_t address, bool is_write, std::uint32_t bytes,
                     Picoseconds arrival_ps);

  std::uint32_t controllers() const { return static_cast<std::uint32_t>(channels_.size()); }
  // Counters of one controller, refreshes counted up to `end_ps`.
  dram::ChannelStats stats(std::uint32_t controller, Picoseconds end_ps) const;
  // Energy up to `end_ps` (commands and background), as DramSystem::energy_pj.
  double energy_pj(Picoseconds end_ps) const;

 private:
  struct Bank {
    Cycles next_act = 0, next_pre = 0, next_rd = 0, next_wr = 0;
    Cycles refresh_first = 0;  // first refresh start of this bank's refresh unit
    Cycles refresh_next = 0;   // the first refresh start after those already applied
    std::uint32_t row = 0;
    bool open = false;
  };
  struct Group {
    Cycles next_act = 0, next_rd = 0, next_wr = 0;
  };
  struct Rank {
    Cycles next_act = 0, next_rd = 0, next_wr = 0;
    Cycles faw[4] = {0, 0, 0, 0};  // the last four ACTs, oldest at faw_head
    std::uint32_t faw_head = 0;
    std::uint32_t faw_count = 0;
  };
  struct Channel {
    Cycles next_rd = 0, next_wr = 0;  // data bus: one burst at a time per direction
    dram::ChannelStats stats;
  };

  // One burst; returns its done cycle.
  Cycles burst(std::uint64_t address, bool is_write, Cycles arrival);
  // Refresh starts of bank `b`'s unit at or before cycle t.
  std::uint64_t refreshes_by(const Bank& b, Cycles t) const {
    return t < b.refresh_first ? 0 : (t - b.refresh_first) / refresh_period_ + 1;
  }
  void activate(Bank& b, Group& g, Rank& r, Cycles t);

  dram::DramSpec spec_;
  dram::AddressMapping mapping_;
  const dram::Timing& tm_;
  std::uint32_t burst_cycles_;
  Bytes burst_bytes_;
  std::uint32_t ranks_, groups_, banks_per_group_;
  bool refresh_ = false;
  Cycles refresh_period_ = 1;  // between two refreshes of one bank's unit
  Cycles refresh_busy_ = 0;    // tRFC or tRFCpb
  bool close_after_access_ = false;
  std::vector<Bank> banks_;      // [controller][rank][group][bank]
  std::vector<Group> groups_v_;  // [controller][rank][group]
  std::vector<Rank> ranks_v_;    // [controller][rank]
  std::vector<Channel> channels_;
};

}  // namespace tessera::platform

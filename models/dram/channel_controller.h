// One memory controller (a channel or pseudo-channel): read and write queues,
// per-bank state, the timing bookkeeping, refresh and the scheduler.
//
// Event-driven: peek() computes, for the current queues, the command that
// goes next and the earliest cycle at which it is legal; advance() issues
// such commands until a given cycle. Nothing is evaluated per clock cycle.
//
// Timing bookkeeping: for every command kind, the earliest cycle it may be
// issued, kept per bank, per bank group, per rank and per channel. Issuing a
// command raises those bounds by the JEDEC distances (issue() in the .cpp
// lists each rule); the earliest time of a command is the max of its four
// bounds, the tFAW window and the one-command-per-cycle command bus.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/dram/command.h"
#include "models/dram/dram_system.h"
#include "models/dram/spec.h"

namespace tessera::dram {

struct BurstRequest {
  std::uint32_t parent = 0;  // DramSystem's request slot
  std::uint32_t row = 0;
  std::uint16_t bank = 0;  // flat: (rank * bank_groups + bank_group) * banks_per_group + bank
  std::uint8_t rank = 0;
  std::uint8_t bank_group = 0;
  bool is_write = false;
  std::uint8_t kind = 0;  // 0 unclassified, else 1 hit / 2 miss / 3 conflict
  Cycles arrival = 0;
  std::uint64_t seq = 0;
};

struct BurstDone {
  std::uint32_t parent;
  Cycles data_cycle;  // first beat
  Cycles done_cycle;  // last beat
};

class ChannelController {
 public:
  static constexpr Cycles kNever = ~Cycles{0};
  // Burst sequence numbers must stay below this (they share a 64-bit scan
  // key with the priority and the bank; see ScanEntry): 7e13 bursts.
  static constexpr std::uint64_t kSeqLimit = std::uint64_t{1} << 46;

  ChannelController(const DramSpec& spec, bool log_commands);

  bool can_accept(bool is_write, std::uint32_t bursts) const {
    return is_write ? queued_[1] + bursts <= spec_.controller.write_queue
                    : queued_[0] + bursts <= spec_.controller.read_queue;
  }
  // Precondition: can_accept(), req.arrival >= now().
  void enqueue(const BurstRequest& req);
  bool has_work() const { return queued_[0] + queued_[1] != 0; }

  // Issues every command with cycle < until. Cheap when the cached next
  // command is not due yet (callers advance every controller often).
  void advance(Cycles until) {
    if (peek_valid_ && next_.t >= until) return;
    advance_slow(until);
  }
  // Issues the next command and moves the clock past its cycle: what
  // advance(next_command_cycle() + 1) does (one command per cycle), without
  // its checks. Returns that cycle, or kNever (and issues nothing) when there
  // is no command to issue.
  Cycles issue_next() {
    ensure_peek();
    const Candidate c = next_;
    if (c.t == kNever) return kNever;
    issue(c);
    next_ = select();  // as advance() would, at the clock of the issued command
    if (c.t + 1 > now_) now_ = c.t + 1;
    return c.t;
  }
  // Cycle of the next command (including refresh), given the current queues.
  Cycles next_command_cycle() {
    ensure_peek();
    return next_.t;
  }
  Cycles now() const { return now_; }

  // Bursts whose column command was issued since the last take (issue order).
  std::vector<BurstDone>& finished() { return finished_; }
  const ChannelStats& stats() const { return stats_; }
  const std::vector<CommandRecord>& log() const { return log_; }

 private:
  struct Candidate {
    Cycles t = kNever;
    Command cmd = Command::kAct;
    std::uint32_t bank = 0;  // flat bank, or rank for REF / refresh-unit bank for REFpb
    int entry = -1;          // queue slot for request commands
    int prio = 9;            // 0 refresh, 1 prioritized row hit, 2 request, 3 page policy
    std::uint64_t seq = 0;
  };
  static bool better(const Candidate& a, const Candidate& b) {
    if (a.t != b.t) return a.t < b.t;
    if (a.prio != b.prio) return a.prio < b.prio;
    return a.seq < b.seq;
  }

  // The queues: one pool of slots, and per bank and direction (0 read,
  // 1 write) a list of its requests in arrival order. A bank's next request
  // command depends only on its own list and state, so it is cached per bank
  // (BankChoice) and recomputed only when that bank changed (its bit in
  // dirty_); a decision then costs one timing lookup per bank with queued
  // requests, not a scan of the whole queue.
  struct Slot {
    BurstRequest req;
    int next = -1, prev = -1;
  };
  struct BankList {
    int head = -1, tail = -1;
  };
  struct BankChoice {
    bool valid = false;    // the bank has a request command to offer
    bool has_hit = false;  // a queued request of this direction hits the open row
    Command cmd = Command::kAct;
    std::uint8_t prio = 2;
    int entry = -1;
    std::uint64_t seq = 0;
  };
  // What select() reads of a bank's choice, packed so its scan of the banks
  // touches one small record per bank (the scan is the hot loop of random
  // traffic): t = max(common_[common_index], local_t), ordered by key. A
  // bank without a valid choice has local_t = key = all ones (and never all
  // ones), so the scan can visit every bank without testing validity.
  struct ScanEntry {
    // max(bank bound, bank-group bound) of the choice's command, or kNever;
    // refreshed before a scan when the bank's retime_ bit says those bounds
    // moved.
    Cycles local_t = kNever;
    // (prio << 62) | (seq << 16) | bank (flat banks fit 16 bits, see
    // BurstRequest): ordered as (prio, seq), since seq is unique, and the
    // winner's bank comes out of its own key, so the scan keeps only the
    // running minimum of (t, key), no best index beside it.
    std::uint64_t key = ~std::uint64_t{0};
    Cycles never = kNever;           // all ones while the choice is not valid
    std::uint32_t common_index = 0;  // rank * kCommandKinds + command
    Command cmd = Command::kAct;     // the choice's command
  };

  void ensure_peek() {
    if (!peek_valid_) {
      next_ = select();
      peek_valid_ = true;
    }
  }
  void advance_slow(Cycles until);
  Candidate select();
  // The best (t, key) bank choice of direction `dir`, or -1; with
  // kRefreshFilter, skipping banks that wait for a pending refresh.
  template <bool kRefreshFilter>
  int scan_banks(int dir, Cycles refresh_due, Cycles& best_t, std::uint64_t& best_key) const;
  void refresh_candidates(Candidate& best);
  void issue(const Candidate& c);

  Cycles earliest(Command cmd, std::uint32_t bank) const;
  // Re-derives a bank's request command from its list (the FR-FCFS /
  // FCFS rules; see the .cpp) after the bank or its list changed.
  void choose(int dir, std::uint32_t bank);
  BankChoice& choice(int dir, std::uint32_t bank) {
    if (test_bit(dirty_[dir], bank)) choose(dir, bank);
    return choices_[std::size_t{bank} * 2 + static_cast<std::size_t>(dir)];
  }
  void retime(int dir, std::uint32_t bank) {
    ScanEntry& e = scan_[dir][bank];
    const Command cmd = e.cmd;
    e.local_t =
        std::max(bound(next_bank_, bank, cmd), bound(next_bg_, group_of_[bank], cmd)) | e.never;
  }
  // The bank's choice as a timed candidate; false when it has none now
  // (held back for pending hits, for the page policy or for a refresh).
  bool bank_candidate(int dir, std::uint32_t bank, Candidate& c);
  void touch_bank(std::uint32_t bank) {
    set_bit(dirty_[0], bank, true);
    set_bit(dirty_[1], bank, true);
  }
  // Bank or bank-group bounds of the group changed: the local times of its
  // banks are stale (the group's banks are contiguous flat banks).
  void touch_group(std::uint32_t group) {
    // Banks per group is a power of two (validated), so a group's bits fill
    // part of one word or whole words.
    const std::uint32_t first = group * bpg_;
    const std::uint64_t bits = group_bits_ << (first % 64);
    for (std::uint32_t w = first / 64; w <= (first + bpg_ - 1) / 64; ++w) {
      retime_[0][w] |= bits;
      retime_[1][w] |= bits;
    }
  }
  static bool test_bit(const std::vector<std::uint64_t>& bits, std::uint32_t i) {
    return (bits[i / 64] >> (i % 64)) & 1;
  }
  void set_bit(std::vector<std::uint64_t>& bits, std::uint32_t i, bool on) {
    if (on) {
      bits[i / 64] |= std::uint64_t{1} << (i % 64);
    } else {
      bits[i / 64] &= ~(std::uint64_t{1} << (i % 64));
    }
  }
  // Write drain (watermark hysteresis): re-evaluated at every change of the
  // queue counts, in order (each arrival, each dequeued burst), so the mode
  // sequence is a function of the request and command sequence alone; never
  // of when, or how often, a caller asks for the next command. Returns true
  // when the mode switched.
  bool update_write_mode();
  void unlink(int dir, int slot);
  Cycles earliest_ref(std::uint32_t rank) const;
  Cycles earliest_refpb(std::uint32_t rank, std::uint32_t unit) const;
  bool in_refresh_unit(std::uint32_t bank, std::uint32_t rank) const;
  std::uint32_t unit_bank(std::uint32_t rank, std::uint32_t unit, std::uint32_t i) const;
  void raise(std::vector<Cycles>& table, std::uint32_t index, Command cmd, Cycles t) {
    Cycles& slot = table[index * kCommandKinds + static_cast<int>(cmd)];
    if (t > slot) slot = t;
  }
  Cycles bound(const std::vector<Cycles>& table, std::uint32_t index, Command cmd) const {
    return table[index * kCommandKinds + static_cast<int>(cmd)];
  }

  DramSpec spec_;
  bool log_commands_;
  std::uint32_t bpg_, bgs_, bpr_, ranks_;  // banks per group, groups, banks per rank, ranks
  std::uint64_t group_bits_ = 0;           // bpg_ low bits set
  std::uint32_t burst_cycles_;
  std::uint32_t refresh_units_ = 0;  // per-bank refresh sets per rank
  std::uint32_t unit_size_ = 0;      // banks per per-bank refresh set

  std::vector<Slot> slots_;
  std::vector<int> free_slots_;
  std::vector<BankList> lists_;      // [bank * 2 + dir]
  std::vector<BankChoice> choices_;  // [bank * 2 + dir]
  std::vector<ScanEntry> scan_[2];   // per direction, [bank]; meaningful where valid_
  // Per direction, a bit per bank: choice to recompute (dirty_), choice
  // offers a command (valid_), local_t to recompute (retime_).
  std::vector<std::uint64_t> dirty_[2], valid_[2], retime_[2];
  std::uint32_t offering_[2] = {0, 0};    // per direction, banks with a valid choice
  std::vector<std::uint64_t> active_[2];  // per direction: bit per bank with queued requests
  std::uint32_t queued_[2] = {0, 0};
  bool write_mode_ = false;

  // Bank state.
  static constexpr std::uint32_t kClosed = ~std::uint32_t{0};
  std::vector<std::uint32_t> open_row_;
  std::vector<std::uint32_t> streak_;
  std::vector<std::uint8_t> close_after_access_;
  std::vector<std::uint64_t> closable_;  // bit per open bank with close_after_access_ set
  std::vector<std::uint32_t> open_banks_per_rank_;
  std::vector<std::uint32_t> group_of_, rank_of_;  // flat bank -> flat bank group, rank
  // Per rank and command kind, the bounds every bank shares for the current
  // decision: max(now, command bus, rank, channel, tFAW).
  std::vector<Cycles> common_;

  // Earliest-issue bounds.
  std::vector<Cycles> next_bank_, next_bg_, next_rank_, next_chan_;
  std::vector<Cycles> faw_;  // per rank, ring of the last 4 ACT cycles
  std::vector<std::uint32_t> faw_head_, faw_count_;
  Cycles cmd_bus_free_ = 0;

  // Refresh state per rank.
  std::vector<Cycles> ref_due_;
  std::vector<std::uint32_t> pb_unit_;

  Cycles now_ = 0;
  bool peek_valid_ = false;
  Candidate next_;
  std::vector<BurstDone> finished_;
  ChannelStats stats_;
  std::vector<CommandRecord> log_;
};

}  // namespace tessera::dram

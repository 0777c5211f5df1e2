#include "models/dram/channel_controller.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/core/error.h"

namespace tessera::dram {
namespace {

// GCC/Clang's 128-bit integer (__extension__ keeps -Wpedantic quiet).
__extension__ typedef unsigned __int128 U128;

}  // namespace

ChannelController::ChannelController(const DramSpec& spec, bool log_commands)
    : spec_(spec), log_commands_(log_commands) {
  const Organization& o = spec_.org;
  bpg_ = o.banks_per_group;
  group_bits_ = bpg_ >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bpg_) - 1;
  bgs_ = o.bank_groups;
  bpr_ = o.banks_per_rank();
  ranks_ = o.ranks;
  burst_cycles_ = spec_.timing.burst_cycles(o.burst_length);
  if (spec_.controller.refresh == RefreshMode::kPerBank) {
    if (spec_.per_bank_refresh_spans_bank_groups) {
      refresh_units_ = bpg_;
      unit_size_ = bgs_;
    } else {
      refresh_units_ = bpr_;
      unit_size_ = 1;
    }
  }
  const std::uint32_t banks = o.banks();
  const std::size_t capacity =
      std::size_t{spec_.controller.read_queue} + spec_.controller.write_queue;
  slots_.resize(capacity);
  free_slots_.reserve(capacity);
  for (std::size_t i = capacity; i-- > 0;) free_slots_.push_back(static_cast<int>(i));
  lists_.assign(std::size_t{banks} * 2, BankList{});
  choices_.assign(std::size_t{banks} * 2, BankChoice{});
  const std::size_t words = (banks + 63) / 64;
  active_[0].assign(words, 0);
  active_[1].assign(words, 0);
  for (int d = 0; d < 2; ++d) {
    scan_[d].assign(banks, ScanEntry{});
    dirty_[d].assign(words, 0);
    valid_[d].assign(words, 0);
    retime_[d].assign(words, 0);
  }
  closable_.assign(words, 0);
  open_row_.assign(banks, kClosed);
  streak_.assign(banks, 0);
  close_after_access_.assign(banks, 0);
  open_banks_per_rank_.assign(ranks_, 0);
  group_of_.resize(banks);
  rank_of_.resize(banks);
  for (std::uint32_t b = 0; b < banks; ++b) {
    group_of_[b] = b / bpg_;
    rank_of_[b] = b / bpr_;
  }
  common_.assign(std::size_t{ranks_} * kCommandKinds, 0);
  next_bank_.assign(std::size_t{banks} * kCommandKinds, 0);
  next_bg_.assign(std::size_t{ranks_} * bgs_ * kCommandKinds, 0);
  next_rank_.assign(std::size_t{ranks_} * kCommandKinds, 0);
  next_chan_.assign(kCommandKinds, 0);
  faw_.assign(std::size_t{ranks_} * 4, 0);
  faw_head_.assign(ranks_, 0);
  faw_count_.assign(ranks_, 0);
  ref_due_.assign(ranks_, 0);
  pb_unit_.assign(ranks_, 0);
  // Ranks refresh staggered across the interval so they do not stall together.
  const Cycles interval =
      spec_.controller.refresh == RefreshMode::kPerBank ? spec_.timing.refi_pb : spec_.timing.refi;
  for (std::uint32_t r = 0; r < ranks_; ++r) ref_due_[r] = interval / ranks_ * (r + 1);
  finished_.reserve(64);
}

void ChannelController::enqueue(const BurstRequest& req) {
  if (req.seq >= kSeqLimit) {
    throw RuntimeError(fmt::format("dram: more than {} bursts in one run", kSeqLimit));
  }
  const int dir = req.is_write ? 1 : 0;
  const int slot = free_slots_.back();
  free_slots_.pop_back();
  BurstRequest& r = slots_[static_cast<std::size_t>(slot)].req;
  r = req;
  if (r.arrival < now_) r.arrival = now_;
  if (r.arrival > now_) {
    // advance() may have skipped this controller: time moves to the arrival.
    now_ = r.arrival;
    if (peek_valid_ && next_.t < now_) peek_valid_ = false;
  }
  BankList& list = lists_[std::size_t{r.bank} * 2 + static_cast<std::size_t>(dir)];
  slots_[static_cast<std::size_t>(slot)].next = -1;
  slots_[static_cast<std::size_t>(slot)].prev = list.tail;
  if (list.tail >= 0) {
    slots_[static_cast<std::size_t>(list.tail)].next = slot;
  } else {
    list.head = slot;
    set_bit(active_[dir], r.bank, true);
  }
  list.tail = slot;
  ++queued_[dir];
  set_bit(dirty_[dir], r.bank, true);
  const bool switched = update_write_mode();

  if (!peek_valid_ || switched || spec_.controller.scheduler != Scheduler::kFrFcfs) {
    peek_valid_ = false;
    return;
  }
  // Keep the cached decision when the arrival cannot beat it (the common
  // case under load). An arrival to the inactive queue that did not switch
  // the mode changes nothing.
  if (r.is_write != write_mode_) return;
  if (next_.cmd == Command::kPre && next_.bank == r.bank) {
    peek_valid_ = false;  // a new hit may hold that precharge back
    return;
  }
  if ((next_.entry < 0 && next_.prio != 0) || streak_[r.bank] >= spec_.controller.row_hit_cap) {
    peek_valid_ = false;  // a page-policy precharge depends on pending hits
    return;
  }
  // Only the arrival's bank changed: its (possibly new) command competes
  // with the cached decision.
  Candidate c;
  if (bank_candidate(dir, r.bank, c) && better(c, next_)) next_ = c;
}

void ChannelController::advance_slow(Cycles until) {
  for (;;) {
    ensure_peek();
    if (next_.t == kNever || next_.t >= until) break;
    const Candidate c = next_;
    issue(c);
    peek_valid_ = false;
  }
  // The cached decision stays valid: every candidate was already at or after `until`.
  if (until > now_) now_ = until;
}

bool ChannelController::in_refresh_unit(std::uint32_t bank, std::uint32_t rank) const {
  const std::uint32_t in_rank = bank - rank * bpr_;
  const std::uint32_t unit = pb_unit_[rank];
  return spec_.per_bank_refresh_spans_bank_groups ? in_rank % bpg_ == unit : in_rank == unit;
}

std::uint32_t ChannelController::unit_bank(std::uint32_t rank, std::uint32_t unit,
                                           std::uint32_t i) const {
  // Spanning units hold bank `unit` of every bank group.
  return rank * bpr_ + (spec_.per_bank_refresh_spans_bank_groups ? i * bpg_ + unit : unit);
}

Cycles ChannelController::earliest(Command cmd, std::uint32_t bank) const {
  const std::uint32_t group = group_of_[bank];  // flat bank group (rank * bgs + bg)
  const std::uint32_t rank = rank_of_[bank];
  Cycles t = std::max(now_, cmd_bus_free_);
  t = std::max(t, bound(next_bank_, bank, cmd));
  t = std::max(t, bound(next_bg_, group, cmd));
  t = std::max(t, bound(next_rank_, rank, cmd));
  t = std::max(t, bound(next_chan_, 0, cmd));
  if (cmd == Command::kAct && spec_.timing.faw != 0 && faw_count_[rank] == 4) {
    // The oldest of the last four activations opens the window.
    t = std::max(t, faw_[rank * 4 + faw_head_[rank]] + spec_.timing.faw);
  }
  return t;
}

Cycles ChannelController::earliest_ref(std::uint32_t rank) const {
  Cycles t = std::max(now_, cmd_bus_free_);
  t = std::max(t, bound(next_rank_, rank, Command::kRef));
  for (std::uint32_t b = rank * bpr_; b < (rank + 1) * bpr_; ++b) {
    t = std::max(t, bound(next_bank_, b, Command::kRef));
  }
  return std::max(t, ref_due_[rank]);
}

Cycles ChannelController::earliest_refpb(std::uint32_t rank, std::uint32_t unit) const {
  Cycles t = std::max(now_, cmd_bus_free_);
  t = std::max(t, bound(next_rank_, rank, Command::kRefPb));
  for (std::uint32_t i = 0; i < unit_size_; ++i) {
    t = std::max(t, bound(next_bank_, unit_bank(rank, unit, i), Command::kRefPb));
  }
  return std::max(t, ref_due_[rank]);
}

void ChannelController::refresh_candidates(Candidate& best) {
  const RefreshMode mode = spec_.controller.refresh;
  if (mode == RefreshMode::kOff) return;
  for (std::uint32_t r = 0; r < ranks_; ++r) {
    const Cycles due = ref_due_[r];
    if (due > best.t) continue;
    Candidate c;
    c.prio = 0;
    c.seq = r;
    if (mode == RefreshMode::kAllBank) {
      if (open_banks_per_rank_[r] != 0) {
        for (std::uint32_t b = r * bpr_; b < (r + 1) * bpr_; ++b) {
          if (open_row_[b] == kClosed) continue;
          c.t = std::max(earliest(Command::kPre, b), due);
          c.cmd = Command::kPre;
          c.bank = b;
          if (better(c, best)) best = c;
        }
      } else {
        c.t = earliest_ref(r);
        c.cmd = Command::kRef;
        c.bank = r;
        if (better(c, best)) best = c;
      }
    } else {
      const std::uint32_t unit = pb_unit_[r];
      bool any_open = false;
      for (std::uint32_t i = 0; i < unit_size_; ++i) {
        const std::uint32_t b = unit_bank(r, unit, i);
        if (open_row_[b] == kClosed) continue;
        any_open = true;
        c.t = std::max(earliest(Command::kPre, b), due);
        c.cmd = Command::kPre;
        c.bank = b;
        if (better(c, best)) best = c;
      }
      if (!any_open) {
        c.t = earliest_refpb(r, unit);
        c.cmd = Command::kRefPb;
        c.bank = unit_bank(r, unit, 0);
        if (better(c, best)) best = c;
      }
    }
  }
}

void ChannelController::choose(int dir, std::uint32_t bank) {
  const std::size_t index = std::size_t{bank} * 2 + static_cast<std::size_t>(dir);
  BankChoice& ch = choices_[index];
  const std::size_t word = bank / 64;
  const std::uint64_t bit = std::uint64_t{1} << (bank % 64);
  dirty_[dir][word] &= ~bit;
  const BankList& list = lists_[index];
  bool valid = false;
  bool has_hit = false;
  if (list.head >= 0) {
    const ControllerSpec& cs = spec_.controller;
    const std::uint32_t open = open_row_[bank];
    const bool capped = cs.scheduler != Scheduler::kFrFcfs || streak_[bank] >= cs.row_hit_cap;
    int entry = list.head;
    if (open != kClosed) {
      // FR-FCFS with the streak below the cap: the oldest row hit goes first
      // (prioritized) and holds back the precharge a miss would need.
      // Otherwise (FCFS, the streak reached the cap, or nothing hits) per-bank
      // first come first served: the oldest request, the list head (a miss
      // when nothing hits). So only the oldest hit is looked for, and the
      // walk stops there (at once for a stream's open row).
      int oldest_hit = -1;
      for (int i = list.head; i >= 0; i = slots_[static_cast<std::size_t>(i)].next) {
        if (slots_[static_cast<std::size_t>(i)].req.row == open) {
          oldest_hit = i;
          break;
        }
      }
      has_hit = oldest_hit >= 0;
      if (!capped && has_hit) entry = oldest_hit;
    }
    const BurstRequest& e = slots_[static_cast<std::size_t>(entry)].req;
    ch.entry = entry;
    ch.seq = e.seq;
    // Column command on a hit, ACT on a closed bank, else PRE; selected
    // without branches (under random traffic which one a bank needs is a
    // coin toss for a branch predictor).
    const bool hit = open == e.row;
    const bool closed = open == kClosed;
    const auto column = static_cast<int>(e.is_write ? Command::kWr : Command::kRd);
    int cmd = hit ? column : static_cast<int>(Command::kPre);
    cmd = closed ? static_cast<int>(Command::kAct) : cmd;
    ch.cmd = static_cast<Command>(cmd);
    ch.prio = hit && !capped ? 1 : 2;
    // A PRE the page policy is about to issue anyway (its own candidate) is
    // not offered.
    valid = hit || closed || close_after_access_[bank] == 0 ||
            (cs.page_policy != PagePolicy::kClosed && has_hit);
  }
  ch.has_hit = has_hit;
  offering_[dir] = offering_[dir] + (valid ? 1 : 0) - (ch.valid ? 1 : 0);
  ch.valid = valid;
  std::uint64_t& valid_word = valid_[dir][word];
  valid_word = valid ? valid_word | bit : valid_word & ~bit;
  ScanEntry& se = scan_[dir][bank];
  if (!valid) {
    se.local_t = kNever;
    se.key = ~std::uint64_t{0};
    se.never = kNever;
    return;
  }
  se.never = 0;
  se.key = (std::uint64_t{ch.prio} << 62) | (ch.seq << 16) | bank;
  se.common_index = rank_of_[bank] * kCommandKinds + static_cast<std::uint32_t>(ch.cmd);
  se.cmd = ch.cmd;
  retime(dir, bank);
}

bool ChannelController::bank_candidate(int dir, std::uint32_t bank, Candidate& c) {
  const BankChoice& ch = choice(dir, bank);
  if (!ch.valid) return false;
  c.bank = bank;
  c.entry = ch.entry;
  c.seq = ch.seq;
  c.prio = ch.prio;
  c.cmd = ch.cmd;
  c.t = earliest(ch.cmd, bank);
  const RefreshMode rmode = spec_.controller.refresh;
  if (rmode != RefreshMode::kOff) {
    const std::uint32_t rank = rank_of_[bank];
    if (c.t >= ref_due_[rank] && (rmode == RefreshMode::kAllBank || in_refresh_unit(bank, rank))) {
      return false;  // waits for the pending refresh
    }
  }
  return true;
}

template <bool kRefreshFilter>
int ChannelController::scan_banks(int dir, Cycles refresh_due, Cycles& best_t,
                                  std::uint64_t& best_key) const {
  // The hot loop of random traffic: one packed record per bank, the time is
  // the bank's local time against the shared bounds of its rank and command,
  // the best (t, key) taken as one 128-bit compare with conditional moves
  // (under random traffic every comparison is a coin toss for a branch).
  const ScanEntry* scan = scan_[dir].data();
  const Cycles* common = common_.data();
  const RefreshMode rmode = spec_.controller.refresh;
  // The winner's bank is in its key's low bits. Keys of valid choices are
  // unique, so the minimum does not depend on the visiting order: the full
  // scan keeps two running minima (even and odd banks) to halve the chain of
  // dependent compares, and merges them at the end.
  const U128 start = (U128{best_t} << 64) | best_key;
  U128 best_v[2] = {start, start};
  const auto visit = [&](std::uint32_t b, U128& acc) {
    const ScanEntry& e = scan[b];
    const Cycles t = std::max(common[e.common_index], e.local_t);
    if (kRefreshFilter && t >= refresh_due) {
      const std::uint32_t rank = rank_of_[b];
      if (t >= ref_due_[rank] && (rmode == RefreshMode::kAllBank || in_refresh_unit(b, rank))) {
        return;  // waits for the pending refresh
      }
    }
    const U128 v = (U128{t} << 64) | e.key;
    acc = v < acc ? v : acc;
  };
  const std::vector<std::uint64_t>& valid = valid_[dir];
  const auto banks = static_cast<std::uint32_t>(scan_[dir].size());
  if (2 * offering_[dir] >= banks) {
    // Most banks offer a command (random traffic): visit every bank, a fixed
    // trip count with no data-dependent exit (banks without a choice cannot
    // win, see ScanEntry). A walk over the set bits mispredicted its exit.
    std::uint32_t b = 0;
    for (; b + 1 < banks; b += 2) {
      visit(b, best_v[0]);
      visit(b + 1, best_v[1]);
    }
    if (b < banks) visit(b, best_v[0]);
  } else {
    // Few banks offer one (streams): walk the set bits.
    for (std::size_t w = 0; w < valid.size(); ++w) {
      for (std::uint64_t bits = valid[w]; bits != 0; bits &= bits - 1) {
        visit(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))),
              best_v[0]);
      }
    }
  }
  const U128 best = std::min(best_v[0], best_v[1]);
  if (best == start) return -1;  // no bank beat the starting bound (all ones)
  best_t = static_cast<Cycles>(best >> 64);
  best_key = static_cast<std::uint64_t>(best);
  return static_cast<int>(best_key & 0xffff);
}

ChannelController::Candidate ChannelController::select() {
  Candidate best;
  ++stats_.decisions;

  const ControllerSpec& cs = spec_.controller;
  // The mode is kept by update_write_mode(), not decided here: select() runs
  // whenever a caller asks for the next command, and a decision with side
  // effects would make the schedule depend on when callers ask.
  const int dir = write_mode_ ? 1 : 0;

  // The bounds all banks of a rank share, once per decision.
  const Cycles base = std::max(now_, cmd_bus_free_);
  Cycles refresh_due = kNever;  // the earliest pending refresh of any rank
  for (std::uint32_t r = 0; r < ranks_; ++r) {
    for (const Command k : {Command::kAct, Command::kPre, Command::kRd, Command::kWr}) {
      common_[r * kCommandKinds + static_cast<int>(k)] =
          std::max({base, bound(next_rank_, r, k), bound(next_chan_, 0, k)});
    }
    if (spec_.timing.faw != 0 && faw_count_[r] == 4) {
      // The oldest of the last four activations opens the window.
      Cycles& act = common_[r * kCommandKinds + static_cast<int>(Command::kAct)];
      act = std::max(act, faw_[r * 4 + faw_head_[r]] + spec_.timing.faw);
    }
    refresh_due = std::min(refresh_due, ref_due_[r]);
  }
  const RefreshMode rmode = cs.refresh;
  if (rmode == RefreshMode::kOff) refresh_due = kNever;

  // Bring the cached choices up to date: banks whose list or state changed
  // choose again (which also times them), then banks whose bank or
  // bank-group bounds moved re-read their local time. Both are a few banks
  // per decision (the last command's bank and bank group).
  std::vector<std::uint64_t>& dirty = dirty_[dir];
  for (std::size_t w = 0; w < dirty.size(); ++w) {
    for (std::uint64_t bits = dirty[w]; bits != 0; bits &= bits - 1) {
      choose(dir,
             static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))));
    }
  }
  // (A bank without a valid choice keeps local_t = kNever through retime.)
  std::vector<std::uint64_t>& stale = retime_[dir];
  for (std::size_t w = 0; w < stale.size(); ++w) {
    for (std::uint64_t bits = stale[w]; bits != 0; bits &= bits - 1) {
      retime(dir,
             static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits))));
    }
    stale[w] = 0;
  }

  // Each bank with a valid choice offers it. A bank held back for a pending
  // refresh has t >= refresh_due, so when the unfiltered best is earlier
  // than refresh_due no held-back bank could have won and the (tighter)
  // unfiltered scan is exact; otherwise scan again with the filter.
  Cycles best_t = kNever;
  std::uint64_t best_key = ~std::uint64_t{0};
  int best_bank = scan_banks<false>(dir, refresh_due, best_t, best_key);
  if (best_t >= refresh_due && best_bank >= 0) {
    best_t = kNever;
    best_key = ~std::uint64_t{0};
    best_bank = scan_banks<true>(dir, refresh_due, best_t, best_key);
  }
  if (best_bank >= 0) {
    const BankChoice& ch =
        choices_[static_cast<std::size_t>(best_bank) * 2 + static_cast<std::size_t>(dir)];
    best.t = best_t;
    best.cmd = ch.cmd;
    best.bank = static_cast<std::uint32_t>(best_bank);
    best.entry = ch.entry;
    best.prio = ch.prio;
    best.seq = ch.seq;
  }

  // Refresh commands happen at or after their due time, so they matter only
  // when due no later than the best request command (refresh wins ties).
  if (refresh_due <= best.t) refresh_candidates(best);

  if (cs.page_policy != PagePolicy::kOpen) {
    for (std::size_t w = 0; w < closable_.size(); ++w) {
      for (std::uint64_t bits = closable_[w]; bits != 0; bits &= bits - 1) {
        const auto b =
            static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(__builtin_ctzll(bits)));
        // Open-adaptive keeps the row open while hits for it are queued.
        if (cs.page_policy == PagePolicy::kOpenAdaptive && choice(dir, b).has_hit) continue;
        Candidate c;
        c.cmd = Command::kPre;
        c.bank = b;
        c.prio = 3;
        c.seq = b;
        c.t = earliest(Command::kPre, b);
        if (better(c, best)) best = c;
      }
    }
  }
  return best;
}

bool ChannelController::update_write_mode() {
  const ControllerSpec& cs = spec_.controller;
  const bool was = write_mode_;
  if (!write_mode_) {
    if (queued_[1] >= cs.write_high_watermark || (queued_[0] == 0 && queued_[1] != 0)) {
      write_mode_ = true;
    }
  } else if (queued_[1] == 0 || (queued_[1] <= cs.write_low_watermark && queued_[0] != 0)) {
    write_mode_ = false;
  }
  return write_mode_ != was;
}

void ChannelController::unlink(int dir, int slot) {
  Slot& s = slots_[static_cast<std::size_t>(slot)];
  const std::uint32_t bank = s.req.bank;
  BankList& list = lists_[std::size_t{bank} * 2 + static_cast<std::size_t>(dir)];
  if (s.prev >= 0) {
    slots_[static_cast<std::size_t>(s.prev)].next = s.next;
  } else {
    list.head = s.next;
  }
  if (s.next >= 0) {
    slots_[static_cast<std::size_t>(s.next)].prev = s.prev;
  } else {
    list.tail = s.prev;
  }
  if (list.head < 0) set_bit(active_[dir], bank, false);
  --queued_[dir];
  free_slots_.push_back(slot);
  update_write_mode();  // the caller (issue) re-decides anyway
}

void ChannelController::issue(const Candidate& c) {
  const Timing& tm = spec_.timing;
  const Cycles t = c.t;
  const std::uint32_t L = burst_cycles_;
  std::uint32_t bank = c.bank;
  std::uint32_t rank = (c.cmd == Command::kRef) ? c.bank : rank_of_[bank];
  const std::uint32_t group = group_of_[bank];
  cmd_bus_free_ = t + 1;
  now_ = std::max(now_, t);

  BurstRequest* e = nullptr;
  if (c.entry >= 0) {
    e = &slots_[static_cast<std::size_t>(c.entry)].req;
    // The first command for a request classifies it (conflict, miss or hit).
    const std::uint8_t kind = c.cmd == Command::kPre ? 3 : c.cmd == Command::kAct ? 2 : 1;
    e->kind = e->kind == 0 ? kind : e->kind;
  }
  if (log_commands_) {
    CommandRecord rec;
    rec.cycle = t;
    rec.command = c.cmd;
    rec.rank = static_cast<std::uint8_t>(rank);
    if (c.cmd != Command::kRef) {
      rec.bank_group = static_cast<std::uint8_t>((bank % bpr_) / bpg_);
      rec.bank = static_cast<std::uint8_t>(bank % bpg_);
    }
    rec.row = e != nullptr ? e->row : 0;  // the request's own row, so the checker can compare
    log_.push_back(rec);
  }

  if (c.cmd != Command::kRef && c.cmd != Command::kRefPb) touch_group(group);
  switch (c.cmd) {
    case Command::kAct: {
      raise(next_bank_, bank, Command::kRd, t + tm.rcd_rd);
      raise(next_bank_, bank, Command::kWr, t + tm.rcd_wr);
      raise(next_bank_, bank, Command::kPre, t + tm.ras);
      raise(next_bank_, bank, Command::kAct, t + tm.rc);
      raise(next_bank_, bank, Command::kRefPb, t + tm.rc);
      raise(next_bank_, bank, Command::kRef, t + tm.rc);
      raise(next_bg_, group, Command::kAct, t + tm.rrd_l);
      raise(next_rank_, rank, Command::kAct, t + tm.rrd_s);
      raise(next_rank_, rank, Command::kRefPb, t + tm.rrd_s);
      faw_[rank * 4 + faw_head_[rank]] = t;
      faw_head_[rank] = (faw_head_[rank] + 1) % 4;
      if (faw_count_[rank] < 4) ++faw_count_[rank];
      open_row_[bank] = e->row;
      streak_[bank] = 0;
      close_after_access_[bank] = 0;
      ++open_banks_per_rank_[rank];
      touch_bank(bank);
      ++stats_.activates;
      break;
    }
    case Command::kPre: {
      raise(next_bank_, bank, Command::kAct, t + tm.rp);
      raise(next_bank_, bank, Command::kRefPb, t + tm.rp);
      raise(next_bank_, bank, Command::kRef, t + tm.rp);
      open_row_[bank] = kClosed;
      close_after_access_[bank] = 0;
      set_bit(closable_, bank, false);
      --open_banks_per_rank_[rank];
      touch_bank(bank);
      ++stats_.precharges;
      break;
    }
    case Command::kRd:
    case Command::kWr: {
      const bool wr = c.cmd == Command::kWr;
      if (!wr) {
        raise(next_bank_, bank, Command::kPre, t + tm.rtp);
        raise(next_bg_, group, Command::kRd, t + tm.ccd_l);
        raise(next_rank_, rank, Command::kRd, t + tm.ccd_s);
        const Cycles rd_to_wr = t + tm.cl + L + tm.rtw;
        const Cycles rd_to_wr_bus = rd_to_wr > tm.cwl ? rd_to_wr - tm.cwl : 0;
        raise(next_rank_, rank, Command::kWr, rd_to_wr_bus);
        raise(next_chan_, 0, Command::kRd, t + L);
        for (std::uint32_t r = 0; r < ranks_; ++r) {
          if (r == rank) continue;
          raise(next_rank_, r, Command::kRd, t + L + tm.rtrs);
          const Cycles w = t + tm.cl + L + tm.rtrs;
          raise(next_rank_, r, Command::kWr, w > tm.cwl ? w - tm.cwl : 0);
        }
      } else {
        raise(next_bank_, bank, Command::kPre, t + tm.cwl + L + tm.wr);
        raise(next_bg_, group, Command::kWr, t + tm.ccd_l);
        raise(next_bg_, group, Command::kRd, t + tm.cwl + L + tm.wtr_l);
        raise(next_rank_, rank, Command::kWr, t + tm.ccd_s);
        raise(next_rank_, rank, Command::kRd, t + tm.cwl + L + tm.wtr_s);
        raise(next_chan_, 0, Command::kWr, t + L);
        for (std::uint32_t r = 0; r < ranks_; ++r) {
          if (r == rank) continue;
          raise(next_rank_, r, Command::kWr, t + L + tm.rtrs);
          const Cycles w = t + tm.cwl + L + tm.rtrs;
          raise(next_rank_, r, Command::kRd, w > tm.cl ? w - tm.cl : 0);
        }
      }
      const Cycles data = t + (wr ? tm.cwl : tm.cl);
      const Cycles done = data + L;
      finished_.push_back({e->parent, data, done});
      if (wr) {
        ++stats_.writes;
      } else {
        ++stats_.reads;
      }
      if (e->kind == 1)
        ++stats_.row_hits;
      else if (e->kind == 2)
        ++stats_.row_misses;
      else
        ++stats_.row_conflicts;
      stats_.bytes += spec_.org.burst_bytes();
      stats_.latency_sum_cycles += done - e->arrival;
      ++streak_[bank];
      close_after_access_[bank] = spec_.controller.page_policy != PagePolicy::kOpen;
      if (close_after_access_[bank]) set_bit(closable_, bank, true);
      unlink(wr ? 1 : 0, c.entry);
      touch_bank(bank);
      break;
    }
    case Command::kRef: {
      raise(next_rank_, rank, Command::kAct, t + tm.rfc);
      raise(next_rank_, rank, Command::kRef, t + tm.rfc);
      raise(next_rank_, rank, Command::kRefPb, t + tm.rfc);
      ref_due_[rank] += tm.refi;
      ++stats_.refreshes;
      stats_.refresh_busy_cycles += tm.rfc;
      break;
    }
    case Command::kRefPb: {
      const std::uint32_t unit = pb_unit_[rank];
      for (std::uint32_t i = 0; i < unit_size_; ++i) {
        const std::uint32_t b = unit_bank(rank, unit, i);
        raise(next_bank_, b, Command::kAct, t + tm.rfc_pb);
        raise(next_bank_, b, Command::kRefPb, t + tm.rfc_pb);
        touch_group(group_of_[b]);
      }
      raise(next_rank_, rank, Command::kRefPb, t + tm.rrefd);
      raise(next_rank_, rank, Command::kAct, t + tm.rrefd);
      raise(next_rank_, rank, Command::kRef, t + tm.rfc_pb);
      pb_unit_[rank] = (unit + 1) % refresh_units_;
      ref_due_[rank] += tm.refi_pb;
      ++stats_.refreshes_pb;
      stats_.refresh_busy_cycles += tm.rfc_pb;
      break;
    }
  }
}

}  // namespace tessera::dram

#include "models/dram/channel_controller.h"

#include <algorithm>

namespace tessera::dram {

ChannelController::ChannelController(const DramSpec& spec, bool log_commands)
    : spec_(spec), log_commands_(log_commands) {
  const Organization& o = spec_.org;
  bpg_ = o.banks_per_group;
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
  reads_.reserve(spec_.controller.read_queue);
  writes_.reserve(spec_.controller.write_queue);
  open_row_.assign(banks, kClosed);
  streak_.assign(banks, 0);
  close_after_access_.assign(banks, 0);
  open_banks_per_rank_.assign(ranks_, 0);
  hit_gen_.assign(banks, 0);
  seen_gen_.assign(banks, 0);
  oldest_.assign(banks, -1);
  oldest_hit_.assign(banks, -1);
  oldest_miss_.assign(banks, -1);
  active_banks_.reserve(banks);
  memo_gen_.assign(std::size_t{banks} * kCommandKinds, 0);
  memo_t_.assign(std::size_t{banks} * kCommandKinds, 0);
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
  BurstRequest r = req;
  if (r.arrival < now_) r.arrival = now_;
  if (r.arrival > now_) {
    // advance() may have skipped this controller: time moves to the arrival.
    now_ = r.arrival;
    if (peek_valid_ && next_.t < now_) peek_valid_ = false;
  }
  std::vector<BurstRequest>& q = r.is_write ? writes_ : reads_;
  q.push_back(r);
  if (!peek_valid_ || spec_.controller.scheduler != Scheduler::kFrFcfs) {
    peek_valid_ = false;
    return;
  }
  // Keep the cached decision when the arrival cannot change the mode and
  // cannot beat it (the common case under load): select() is the hot spot.
  if (r.is_write != write_mode_) {
    // Inactive queue: the arrival matters only if it switches the mode.
    const bool may_switch =
        r.is_write ? (writes_.size() >= spec_.controller.write_high_watermark || reads_.empty())
                   : reads_.size() == 1;
    if (may_switch) peek_valid_ = false;
    return;
  }
  if (next_.cmd == Command::kPre && next_.bank == r.bank) {
    peek_valid_ = false;  // a new hit may hold that precharge back
    return;
  }
  if ((next_.entry < 0 && next_.prio != 0) || streak_[r.bank] >= spec_.controller.row_hit_cap) {
    peek_valid_ = false;  // a page-policy precharge depends on pending hits
    return;
  }
  ++gen_;
  for (const BurstRequest& e : q) {
    if (e.bank == r.bank && open_row_[e.bank] == e.row) hit_gen_[e.bank] = gen_;
  }
  Candidate c;
  if (request_candidate(q, q.size() - 1, c) && better(c, next_)) next_ = c;
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
  const std::uint32_t group = bank / bpg_;  // flat bank group (rank * bgs + bg)
  const std::uint32_t rank = bank / bpr_;
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

bool ChannelController::request_candidate(const std::vector<BurstRequest>& queue, std::size_t i,
                                          Candidate& c) {
  const ControllerSpec& cs = spec_.controller;
  const bool frfcfs = cs.scheduler == Scheduler::kFrFcfs;
  const BurstRequest& e = queue[i];
  c.bank = e.bank;
  c.entry = static_cast<int>(i);
  c.seq = e.seq;
  c.prio = 2;
  const std::uint32_t open = open_row_[e.bank];
  if (open == e.row) {
    c.cmd = e.is_write ? Command::kWr : Command::kRd;
    if (frfcfs && streak_[e.bank] < cs.row_hit_cap) c.prio = 1;
  } else if (open == kClosed) {
    c.cmd = Command::kAct;
  } else {
    // Do not close a row that still has prioritized hits waiting.
    if (frfcfs && hit_gen_[e.bank] == gen_ && streak_[e.bank] < cs.row_hit_cap) return false;
    // The page policy is about to close this row anyway (its own candidate).
    if (close_after_access_[e.bank] &&
        (cs.page_policy == PagePolicy::kClosed || hit_gen_[e.bank] != gen_)) {
      return false;
    }
    c.cmd = Command::kPre;
  }
  c.t = earliest_memo(c.cmd, e.bank);
  const RefreshMode rmode = cs.refresh;
  if (rmode != RefreshMode::kOff && c.t >= ref_due_[e.rank] &&
      (rmode == RefreshMode::kAllBank || in_refresh_unit(e.bank, e.rank))) {
    return false;  // waits for the pending refresh
  }
  return true;
}

ChannelController::Candidate ChannelController::select() {
  Candidate best;
  ++gen_;
  ++stats_.decisions;

  const ControllerSpec& cs = spec_.controller;
  if (!write_mode_) {
    if (writes_.size() >= cs.write_high_watermark || (reads_.empty() && !writes_.empty())) {
      write_mode_ = true;
    }
  } else if (writes_.empty() || (writes_.size() <= cs.write_low_watermark && !reads_.empty())) {
    write_mode_ = false;
  }
  const std::vector<BurstRequest>& queue = write_mode_ ? writes_ : reads_;
  const bool frfcfs = cs.scheduler == Scheduler::kFrFcfs;

  // One pass without timing work: per bank its oldest request, oldest row hit
  // and oldest non-hit. Only those can be the bank's next command, so the
  // timing bounds are evaluated at most twice per bank, not once per entry.
  active_banks_.clear();
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const BurstRequest& e = queue[i];
    const std::uint32_t b = e.bank;
    if (seen_gen_[b] != gen_) {
      seen_gen_[b] = gen_;
      oldest_[b] = static_cast<int>(i);
      oldest_hit_[b] = -1;
      oldest_miss_[b] = -1;
      active_banks_.push_back(b);
    }
    if (open_row_[b] == e.row) {
      if (oldest_hit_[b] < 0) {
        oldest_hit_[b] = static_cast<int>(i);
        hit_gen_[b] = gen_;
      }
    } else if (oldest_miss_[b] < 0) {
      oldest_miss_[b] = static_cast<int>(i);
    }
  }
  for (const std::uint32_t b : active_banks_) {
    Candidate c;
    if (!frfcfs || streak_[b] >= spec_.controller.row_hit_cap) {
      // Per-bank first come first served: only each bank's oldest request
      // (fcfs, or frfcfs once a bank's row-hit streak reached the cap).
      if (request_candidate(queue, static_cast<std::size_t>(oldest_[b]), c) && better(c, best)) {
        best = c;
      }
      continue;
    }
    if (oldest_hit_[b] >= 0 &&
        request_candidate(queue, static_cast<std::size_t>(oldest_hit_[b]), c) && better(c, best)) {
      best = c;
    }
    if (oldest_miss_[b] >= 0 &&
        request_candidate(queue, static_cast<std::size_t>(oldest_miss_[b]), c) && better(c, best)) {
      best = c;
    }
  }

  // Refresh commands happen at or after their due time, so they matter only
  // when due no later than the best request command (refresh wins ties).
  refresh_candidates(best);

  if (cs.page_policy != PagePolicy::kOpen) {
    for (std::uint32_t b = 0; b < open_row_.size(); ++b) {
      if (!close_after_access_[b] || open_row_[b] == kClosed) continue;
      if (cs.page_policy == PagePolicy::kOpenAdaptive && hit_gen_[b] == gen_) continue;
      Candidate c;
      c.cmd = Command::kPre;
      c.bank = b;
      c.prio = 3;
      c.seq = b;
      c.t = earliest(Command::kPre, b);
      if (better(c, best)) best = c;
    }
  }
  return best;
}

void ChannelController::issue(const Candidate& c) {
  const Timing& tm = spec_.timing;
  const Cycles t = c.t;
  const std::uint32_t L = burst_cycles_;
  std::uint32_t bank = c.bank;
  std::uint32_t rank = (c.cmd == Command::kRef) ? c.bank : bank / bpr_;
  const std::uint32_t group = bank / bpg_;
  cmd_bus_free_ = t + 1;
  now_ = std::max(now_, t);

  BurstRequest* e = nullptr;
  if (c.entry >= 0) {
    e = &(write_mode_ ? writes_ : reads_)[static_cast<std::size_t>(c.entry)];
    if (e->kind == 0) {
      e->kind = c.cmd == Command::kPre ? 3 : c.cmd == Command::kAct ? 2 : 1;
    }
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
      ++stats_.activates;
      break;
    }
    case Command::kPre: {
      raise(next_bank_, bank, Command::kAct, t + tm.rp);
      raise(next_bank_, bank, Command::kRefPb, t + tm.rp);
      raise(next_bank_, bank, Command::kRef, t + tm.rp);
      open_row_[bank] = kClosed;
      close_after_access_[bank] = 0;
      --open_banks_per_rank_[rank];
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
      std::vector<BurstRequest>& q = wr ? writes_ : reads_;
      q.erase(q.begin() + c.entry);
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

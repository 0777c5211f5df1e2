#include "models/platform/lt_dram.h"

#include <algorithm>

namespace tessera::platform {

namespace {
void raise(Cycles& bound, Cycles t) {
  bound = std::max(bound, t);
}
}  // namespace

LtDram::LtDram(const dram::DramSpec& spec)
    : spec_(spec),
      mapping_(spec_.org, spec_.controller.mapping),
      tm_(spec_.timing),
      burst_cycles_(spec_.timing.burst_cycles(spec_.org.burst_length)),
      burst_bytes_(spec_.org.burst_bytes()),
      ranks_(spec_.org.ranks),
      groups_(spec_.org.bank_groups),
      banks_per_group_(spec_.org.banks_per_group),
      close_after_access_(spec_.controller.page_policy == dram::PagePolicy::kClosed) {
  const dram::Organization& o = spec_.org;
  const std::uint32_t controllers = o.controllers();
  banks_.resize(std::size_t{controllers} * o.banks());
  groups_v_.resize(std::size_t{controllers} * ranks_ * groups_);
  ranks_v_.resize(std::size_t{controllers} * ranks_);
  channels_.resize(controllers);
  // Refresh at the core's times (models/dram/channel_controller.cpp): rank r
  // first at interval / ranks x (r + 1); per-bank refresh takes the units in
  // turn, one every tREFIpb, a unit being one bank, or bank k of every bank
  // group where the standard refreshes them together (DDR5 REFsb).
  const dram::RefreshMode mode = spec_.controller.refresh;
  refresh_ = mode != dram::RefreshMode::kOff;
  const bool per_bank = mode == dram::RefreshMode::kPerBank;
  const bool spans = spec_.per_bank_refresh_spans_bank_groups;
  const std::uint32_t units = per_bank ? (spans ? banks_per_group_ : o.banks_per_rank()) : 1;
  const Cycles interval = per_bank ? tm_.refi_pb : tm_.refi;
  refresh_period_ = std::max<Cycles>(1, interval * units);
  refresh_busy_ = per_bank ? tm_.rfc_pb : tm_.rfc;
  for (std::size_t i = 0; i < banks_.size(); ++i) {
    const std::uint32_t in_rank = static_cast<std::uint32_t>(i % o.banks_per_rank());
    const std::uint32_t rank = static_cast<std::uint32_t>(i / o.banks_per_rank() % ranks_);
    const std::uint32_t unit = !per_bank ? 0 : spans ? in_rank % banks_per_group_ : in_rank;
    banks_[i].refresh_first = interval / ranks_ * (rank + 1) + Cycles{unit} * interval;
    banks_[i].refresh_next = banks_[i].refresh_first;
  }
}

Picoseconds LtDram::access(std::uint64_t address, bool is_write, std::uint32_t bytes,
                           Picoseconds arrival_ps) {
  // A request arriving between clock edges is seen at the next edge (as in the core).
  const Cycles arrival = (arrival_ps + tm_.tck_ps - 1) / tm_.tck_ps;
  const std::uint64_t first = address / burst_bytes_ * burst_bytes_;
  const std::uint64_t stop = address + std::max<std::uint32_t>(bytes, 1);
  Cycles done = 0;
  for (std::uint64_t a = first; a < stop; a += burst_bytes_) {
    done = std::max(done, burst(a, is_write, arrival));
  }
  return done * tm_.tck_ps;
}

void LtDram::activate(Bank& b, Group& g, Rank& r, Cycles t) {
  raise(b.next_rd, t + tm_.rcd_rd);
  raise(b.next_wr, t + tm_.rcd_wr);
  raise(b.next_pre, t + tm_.ras);
  raise(b.next_act, t + tm_.rc);
  raise(g.next_act, t + tm_.rrd_l);
  raise(r.next_act, t + tm_.rrd_s);
  r.faw[r.faw_head] = t;
  r.faw_head = (r.faw_head + 1) % 4;
  if (r.faw_count < 4) ++r.faw_count;
}

Cycles LtDram::burst(std::uint64_t address, bool w, Cycles c) {
  const dram::DecodedAddress d = mapping_.decode(address);
  const std::size_t ri = std::size_t{d.controller} * ranks_ + d.rank;
  const std::size_t gi = ri * groups_ + d.bank_group;
  Bank& b = banks_[gi * banks_per_group_ + d.bank];
  Group& g = groups_v_[gi];
  Rank& r = ranks_v_[ri];
  Channel& ch = channels_[d.controller];
  dram::ChannelStats& s = ch.stats;

  const Cycles col_bound =
      w ? std::max(std::max(b.next_wr, g.next_wr), std::max(r.next_wr, ch.next_wr))
        : std::max(std::max(b.next_rd, g.next_rd), std::max(r.next_rd, ch.next_rd));
  auto act_bound = [&] {
    Cycles t = std::max(std::max(b.next_act, g.next_act), r.next_act);
    if (tm_.faw != 0 && r.faw_count == 4) t = std::max(t, r.faw[r.faw_head] + tm_.faw);
    return t;
  };
  if (refresh_) {
    // The first command this burst needs, with the bank as it was left.
    const Cycles cmd = !b.open          ? std::max(c, act_bound())
                       : b.row == d.row ? std::max(c, col_bound)
                                        : std::max(c, b.next_pre);
    // Nothing to do before the next refresh start (no division per burst).
    if (cmd >= b.refresh_next) {
      const std::uint64_t n = refreshes_by(b, cmd);
      // A refresh since the bank's last command closed its row (the core
      // precharges before REF: counted here).
      if (b.open) ++s.precharges;
      b.open = false;
      b.refresh_next = b.refresh_first + n * refresh_period_;
      // No command to the bank inside the latest refresh window.
      raise(b.next_act, b.refresh_next - refresh_period_ + refresh_busy_);
    }
  }

  Cycles col;
  if (b.open && b.row == d.row) {
    ++s.row_hits;
    col = std::max(c, col_bound);
  } else {
    if (b.open) {
      ++s.row_conflicts;
      ++s.precharges;
      raise(b.next_act, std::max(c, b.next_pre) + tm_.rp);
    } else {
      ++s.row_misses;
    }
    const Cycles act = std::max(c, act_bound());
    activate(b, g, r, act);
    ++s.activates;
    b.row = d.row;
    b.open = true;
    col = std::max(col_bound, act + (w ? tm_.rcd_wr : tm_.rcd_rd));
  }

  const std::uint32_t L = burst_cycles_;
  const Cycles done = col + (w ? tm_.cwl : tm_.cl) + L;
  Rank* const rank0 = &ranks_v_[std::size_t{d.controller} * ranks_];
  if (!w) {
    raise(b.next_pre, col + tm_.rtp);
    raise(g.next_rd, col + tm_.ccd_l);
    raise(r.next_rd, col + tm_.ccd_s);
    const Cycles rd_to_wr = col + tm_.cl + L + tm_.rtw;
    raise(r.next_wr, rd_to_wr > tm_.cwl ? rd_to_wr - tm_.cwl : 0);
    raise(ch.next_rd, col + L);
    for (std::uint32_t o = 0; o < ranks_; ++o) {
      if (o == d.rank) continue;
      raise(rank0[o].next_rd, col + L + tm_.rtrs);
      const Cycles wt = col + tm_.cl + L + tm_.rtrs;
      raise(rank0[o].next_wr, wt > tm_.cwl ? wt - tm_.cwl : 0);
    }
    ++s.reads;
  } else {
    raise(b.next_pre, col + tm_.cwl + L + tm_.wr);
    raise(g.next_wr, col + tm_.ccd_l);
    raise(g.next_rd, col + tm_.cwl + L + tm_.wtr_l);
    raise(r.next_wr, col + tm_.ccd_s);
    raise(r.next_rd, col + tm_.cwl + L + tm_.wtr_s);
    raise(ch.next_wr, col + L);
    for (std::uint32_t o = 0; o < ranks_; ++o) {
      if (o == d.rank) continue;
      raise(rank0[o].next_wr, col + L + tm_.rtrs);
      const Cycles rt = col + tm_.cwl + L + tm_.rtrs;
      raise(rank0[o].next_rd, rt > tm_.cl ? rt - tm_.cl : 0);
    }
    ++s.writes;
  }
  s.bytes += burst_bytes_;
  s.latency_sum_cycles += done - c;
  if (close_after_access_) {
    // Closed page: precharged as soon as the column command allows.
    ++s.precharges;
    raise(b.next_act, b.next_pre + tm_.rp);
    b.open = false;
  }
  return done;
}

dram::ChannelStats LtDram::stats(std::uint32_t controller, Picoseconds end_ps) const {
  dram::ChannelStats s = channels_.at(controller).stats;
  if (!refresh_) return s;
  const Cycles end = end_ps / tm_.tck_ps;
  const bool per_bank = spec_.controller.refresh == dram::RefreshMode::kPerBank;
  const Cycles interval = per_bank ? tm_.refi_pb : tm_.refi;
  for (std::uint32_t r = 0; r < ranks_; ++r) {
    // The rank's refresh commands started by the end, one every interval.
    const Cycles first = interval / ranks_ * (r + 1);
    const std::uint64_t n = end < first || interval == 0 ? 0 : (end - first) / interval + 1;
    (per_bank ? s.refreshes_pb : s.refreshes) += n;
    s.refresh_busy_cycles += n * refresh_busy_;
  }
  return s;
}

double LtDram::energy_pj(Picoseconds end_ps) const {
  // DramSystem::energy_pj's formula on these counters.
  const dram::EnergySpec& e = spec_.energy;
  double pj = 0;
  for (std::uint32_t c = 0; c < controllers(); ++c) {
    const dram::ChannelStats s = stats(c, end_ps);
    pj += e.act_pre_pj * static_cast<double>(s.activates) +
          e.read_pj * static_cast<double>(s.reads) + e.write_pj * static_cast<double>(s.writes) +
          e.refresh_pj * static_cast<double>(s.refreshes) +
          e.refresh_pb_pj * static_cast<double>(s.refreshes_pb);
  }
  pj += e.background_mw * 1e-3 * static_cast<double>(end_ps) *
        static_cast<double>(spec_.org.ranks * spec_.org.controllers());
  return pj;
}

}  // namespace tessera::platform

#include "models/dram/checker/timing_checker.h"

#include <fmt/format.h>

#include <deque>

namespace tessera::dram {
namespace {

enum Scope { kSameBank, kSameGroup, kSameRank, kOtherRank, kChannel };

struct Rule {
  Command prev;
  Command next;
  Scope scope;
  std::int64_t distance;
  const char* name;
};

constexpr std::int64_t kNone = -(std::int64_t{1} << 60);
constexpr int K = kCommandKinds;

int idx(Command c) {
  return static_cast<int>(c);
}

}  // namespace

TimingChecker::TimingChecker(const DramSpec& spec) : spec_(spec) {}

std::vector<Violation> TimingChecker::check(const std::vector<CommandRecord>& log,
                                            Cycles end_cycle) const {
  const Timing& t = spec_.timing;
  const Organization& o = spec_.org;
  const auto L = static_cast<std::int64_t>((o.burst_length + t.data_rate - 1) / t.data_rate);
  const auto v = [](std::uint32_t x) { return static_cast<std::int64_t>(x); };
  using C = Command;
  // JEDEC distances, written from the definitions (write recovery and
  // write-to-read count from the end of the write burst: CWL + BL/rate).
  const std::vector<Rule> rules = {
      {C::kAct, C::kAct, kSameBank, v(t.rc), "tRC"},
      {C::kAct, C::kRd, kSameBank, v(t.rcd_rd), "tRCD"},
      {C::kAct, C::kWr, kSameBank, v(t.rcd_wr), "tRCDWR"},
      {C::kAct, C::kPre, kSameBank, v(t.ras), "tRAS"},
      {C::kPre, C::kAct, kSameBank, v(t.rp), "tRP"},
      {C::kRd, C::kPre, kSameBank, v(t.rtp), "tRTP"},
      {C::kWr, C::kPre, kSameBank, v(t.cwl) + L + v(t.wr), "tWR"},
      {C::kRefPb, C::kAct, kSameBank, v(t.rfc_pb), "tRFCpb"},
      {C::kRefPb, C::kRefPb, kSameBank, v(t.rfc_pb), "tRFCpb"},
      {C::kPre, C::kRefPb, kSameBank, v(t.rp), "tRP(REFpb)"},
      {C::kAct, C::kRefPb, kSameBank, v(t.rc), "tRC(REFpb)"},
      {C::kAct, C::kAct, kSameGroup, v(t.rrd_l), "tRRD_L"},
      {C::kRd, C::kRd, kSameGroup, v(t.ccd_l), "tCCD_L"},
      {C::kWr, C::kWr, kSameGroup, v(t.ccd_l), "tCCD_L"},
      {C::kWr, C::kRd, kSameGroup, v(t.cwl) + L + v(t.wtr_l), "tWTR_L"},
      {C::kAct, C::kAct, kSameRank, v(t.rrd_s), "tRRD_S"},
      {C::kRd, C::kRd, kSameRank, v(t.ccd_s), "tCCD_S"},
      {C::kWr, C::kWr, kSameRank, v(t.ccd_s), "tCCD_S"},
      {C::kWr, C::kRd, kSameRank, v(t.cwl) + L + v(t.wtr_s), "tWTR_S"},
      {C::kRd, C::kWr, kSameRank, v(t.cl) + L + v(t.rtw) - v(t.cwl), "tRTW"},
      {C::kRef, C::kAct, kSameRank, v(t.rfc), "tRFC"},
      {C::kRef, C::kRef, kSameRank, v(t.rfc), "tRFC"},
      {C::kRef, C::kRefPb, kSameRank, v(t.rfc), "tRFC"},
      {C::kPre, C::kRef, kSameRank, v(t.rp), "tRP(REF)"},
      {C::kAct, C::kRef, kSameRank, v(t.rc), "tRC(REF)"},
      {C::kRefPb, C::kRefPb, kSameRank, v(t.rrefd), "tRREFD"},
      {C::kRefPb, C::kAct, kSameRank, v(t.rrefd), "tRREFD"},
      {C::kRefPb, C::kRef, kSameRank, v(t.rfc_pb), "tRFCpb(REF)"},
      {C::kAct, C::kRefPb, kSameRank, v(t.rrd_s), "tRRD(REFpb)"},
      {C::kRd, C::kRd, kOtherRank, L + v(t.rtrs), "tRTRS"},
      {C::kWr, C::kWr, kOtherRank, L + v(t.rtrs), "tRTRS"},
      {C::kRd, C::kWr, kOtherRank, v(t.cl) + L + v(t.rtrs) - v(t.cwl), "tRTRS(RD-WR)"},
      {C::kWr, C::kRd, kOtherRank, v(t.cwl) + L + v(t.rtrs) - v(t.cl), "tRTRS(WR-RD)"},
      {C::kRd, C::kRd, kChannel, L, "tBURST"},
      {C::kWr, C::kWr, kChannel, L, "tBURST"},
  };

  const std::uint32_t bpg = o.banks_per_group, bpr = o.banks_per_rank(), ranks = o.ranks;
  const std::uint32_t banks = o.banks();
  std::vector<std::int64_t> last_bank(std::size_t{banks} * K, kNone);
  std::vector<std::int64_t> last_group(std::size_t{ranks} * o.bank_groups * K, kNone);
  std::vector<std::int64_t> last_rank(std::size_t{ranks} * K, kNone);
  std::vector<std::int64_t> last_chan(K, kNone);
  std::vector<std::int64_t> open_row(banks, -1);
  std::vector<std::deque<std::int64_t>> acts(ranks);
  std::vector<std::int64_t> last_ref(ranks, 0);
  std::vector<std::uint64_t> ref_count(ranks, 0);
  std::int64_t last_cmd = kNone, bus_free = kNone;
  std::vector<Violation> out;

  for (std::size_t i = 0; i < log.size(); ++i) {
    const CommandRecord& r = log[i];
    const auto now = static_cast<std::int64_t>(r.cycle);
    const auto report = [&](const std::string& msg) {
      out.push_back({i, r.cycle,
                     fmt::format("{}: {} at {} (rank {} bg {} bank {})", msg,
                                 command_name(r.command), r.cycle, r.rank, r.bank_group, r.bank)});
    };
    if (r.rank >= ranks || r.bank_group >= o.bank_groups || r.bank >= bpg) {
      report("address out of range");
      continue;
    }
    if (now <= last_cmd) report("command bus: two commands in one cycle or out of order");
    last_cmd = now;

    // The banks this command addresses.
    std::vector<std::uint32_t> targets;
    const std::uint32_t first = r.rank * bpr + r.bank_group * bpg + r.bank;
    if (r.command == C::kRef) {
      for (std::uint32_t b = r.rank * bpr; b < (r.rank + 1) * bpr; ++b) targets.push_back(b);
    } else if (r.command == C::kRefPb && spec_.per_bank_refresh_spans_bank_groups) {
      for (std::uint32_t g = 0; g < o.bank_groups; ++g) {
        targets.push_back(r.rank * bpr + g * bpg + r.bank);
      }
    } else {
      targets.push_back(first);
    }

    for (const Rule& rule : rules) {
      if (rule.next != r.command) continue;
      const int p = idx(rule.prev);
      std::int64_t prev = kNone;
      switch (rule.scope) {
        case kSameBank:
          for (std::uint32_t b : targets) prev = std::max(prev, last_bank[b * K + p]);
          break;
        case kSameGroup:
          for (std::uint32_t b : targets) prev = std::max(prev, last_group[(b / bpg) * K + p]);
          break;
        case kSameRank:
          prev = last_rank[r.rank * K + p];
          break;
        case kOtherRank:
          for (std::uint32_t k = 0; k < ranks; ++k) {
            if (k != r.rank) prev = std::max(prev, last_rank[k * K + p]);
          }
          break;
        case kChannel:
          prev = last_chan[p];
          break;
      }
      if (prev != kNone && now - prev < rule.distance) {
        report(fmt::format("{} needs {} cycles after {} at {}, got {}", rule.name, rule.distance,
                           command_name(rule.prev), prev, now - prev));
      }
    }

    switch (r.command) {
      case C::kAct: {
        if (open_row[first] >= 0) report("ACT to a bank with an open row");
        open_row[first] = r.row;
        auto& window = acts[r.rank];
        if (t.faw != 0 && window.size() == 4 && now - window.front() < v(t.faw)) {
          report(fmt::format("tFAW: fifth ACT within {} cycles of the ACT at {}", t.faw,
                             window.front()));
        }
        window.push_back(now);
        if (window.size() > 4) window.pop_front();
        break;
      }
      case C::kPre:
        open_row[first] = -1;
        break;
      case C::kRd:
      case C::kWr: {
        if (open_row[first] < 0)
          report("column access to a closed bank");
        else if (open_row[first] != static_cast<std::int64_t>(r.row))
          report("column access to another row than the open one");
        const std::int64_t start = now + v(r.command == C::kRd ? t.cl : t.cwl);
        if (start < bus_free) report("data bus: burst overlaps the previous one");
        bus_free = std::max(bus_free, start + L);
        break;
      }
      case C::kRef:
      case C::kRefPb: {
        for (std::uint32_t b : targets) {
          if (open_row[b] >= 0) report("refresh of a bank with an open row");
        }
        const std::int64_t interval = v(r.command == C::kRef ? t.refi : t.refi_pb);
        if (now - last_ref[r.rank] > 9 * interval) {
          report(fmt::format("refresh postponed more than 8 intervals (previous at {})",
                             last_ref[r.rank]));
        }
        last_ref[r.rank] = now;
        ++ref_count[r.rank];
        break;
      }
    }

    const int c = idx(r.command);
    for (std::uint32_t b : targets) {
      last_bank[b * K + c] = now;
      last_group[(b / bpg) * K + c] = now;
    }
    last_rank[r.rank * K + c] = now;
    last_chan[c] = now;
  }

  // Refresh starvation: every rank must have received its refreshes.
  if (spec_.controller.refresh != RefreshMode::kOff) {
    const bool pb = spec_.controller.refresh == RefreshMode::kPerBank;
    const std::uint64_t interval = pb ? t.refi_pb : t.refi;
    for (std::uint32_t k = 0; k < ranks; ++k) {
      const std::uint64_t needed = end_cycle / interval;
      if (needed > 8 && ref_count[k] + 8 < needed) {
        out.push_back({log.size(), end_cycle,
                       fmt::format("refresh: rank {} got {} refreshes in {} cycles, needs at "
                                   "least {}",
                                   k, ref_count[k], end_cycle, needed - 8)});
      }
    }
  }
  return out;
}

}  // namespace tessera::dram

// The scheduler's decisions, pinned: for seeded traces on several standards,
// page policies, schedulers and refresh modes, a hash of every issued command
// (cycle, kind, rank, bank group, bank, row) and of every completion (tag,
// arrival, done). The figures were captured from the straightforward
// scheduler (a full scan of the active queue per decision, commit 5978c4a)
// before it was made incremental, so a faster scheduler cannot silently be a
// different one. A mismatch means the command sequence changed: if that is
// intended (a timing fix), say why in the commit and re-capture.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/rng.h"
#include "models/dram/dram_system.h"
#include "models/dram/presets.h"
#include "models/dram/run.h"

namespace tessera::dram {
namespace {

// FNV-1a, 64 bit, over the fields one at a time (no struct padding).
struct Fnv {
  std::uint64_t h = 1469598103934665603ull;
  void add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  }
};

struct Figures {
  std::uint64_t commands = 0;
  std::uint64_t command_hash = 0;
  std::uint64_t completion_hash = 0;
  Picoseconds last_done_ps = 0;
};

Figures run(const DramSpec& spec, RequestSource& src) {
  DramSystem dram(spec, /*log_commands=*/true);
  Fnv done;
  const RunSummary r = run_core(dram, src, [&](const DramCompletion& c) {
    done.add(c.tag);
    done.add(c.arrival_ps);
    done.add(c.data_ps);
    done.add(c.done_ps);
  });
  Fnv cmds;
  Figures f;
  for (std::uint32_t ch = 0; ch < dram.controllers(); ++ch) {
    for (const CommandRecord& c : dram.command_log(ch)) {
      cmds.add(ch);
      cmds.add(c.cycle);
      cmds.add(static_cast<std::uint64_t>(c.command));
      cmds.add(c.rank);
      cmds.add(c.bank_group);
      cmds.add(c.bank);
      cmds.add(c.row);
      ++f.commands;
    }
  }
  f.command_hash = cmds.h;
  f.completion_hash = done.h;
  f.last_done_ps = r.last_done_ps;
  return f;
}

Figures run_pattern(const DramSpec& spec, const std::string& pattern, std::uint64_t n) {
  PatternSource src(parse_pattern(pattern), spec.capacity_bytes(), n, 64, 2024);
  return run(spec, src);
}

// Requests with gaps (idle controllers, refresh while idle, arrivals between
// clock edges), mixed sizes (multi-burst requests across channels) and a
// small address window (row hits and conflicts).
Figures run_timed(const DramSpec& spec, std::uint64_t n) {
  Rng rng(77);
  std::vector<TraceRequest> reqs;
  Picoseconds t = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    t += rng.below(4) == 0 ? rng.below(200000) : rng.below(3000);
    TraceRequest r;
    r.arrival_ps = t;
    r.address = rng.below(std::uint64_t{1} << 26) & ~std::uint64_t{31};
    r.bytes = rng.below(8) == 0 ? 256 : 64;
    r.is_write = rng.below(3) == 0;
    reqs.push_back(r);
  }
  VectorSource src(std::move(reqs));
  return run(spec, src);
}

struct Case {
  const char* name;
  DramSpec spec;
  const char* pattern;  // nullptr: run_timed
  std::uint64_t requests;
  Figures golden;
};

DramSpec with(const char* preset_name, PagePolicy page, Scheduler sched, RefreshMode refresh,
              std::uint32_t ranks = 0) {
  DramSpec s = preset(preset_name);
  s.controller.page_policy = page;
  s.controller.scheduler = sched;
  s.controller.refresh = refresh;
  if (ranks != 0) s.org.ranks = ranks;
  return s;
}

std::vector<Case> cases() {
  using P = PagePolicy;
  using S = Scheduler;
  using R = RefreshMode;
  return {
      {"ddr4 mix open frfcfs",
       with("DDR4-3200", P::kOpen, S::kFrFcfs, R::kAllBank),
       "mix:2:1",
       30000,
       {93641u, 0x242d6dee31a469b9ull, 0x01f5190815710ca7ull, 182483750u}},
      {"ddr4 random closed frfcfs",
       with("DDR4-3200", P::kClosed, S::kFrFcfs, R::kAllBank),
       "random",
       20000,
       {60086u, 0x9e28b0b0c77ffeeaull, 0xee5da5f8085597b6ull, 115008750u}},
      {"ddr4 2 ranks mix adaptive fcfs",
       with("DDR4-3200", P::kOpenAdaptive, S::kFcfs, R::kAllBank, 2),
       "mix:1:1",
       20000,
       {65802u, 0xe48d8bc501cc3788ull, 0xcb2aee419473629dull, 79010000u}},
      {"ddr4 stream open frfcfs",
       with("DDR4-3200", P::kOpen, S::kFrFcfs, R::kAllBank),
       "stream",
       30000,
       {30574u, 0x12ba100d69c67abdull, 0x5083f85c2fb0dcc6ull, 78878125u}},
      {"ddr4 timed open frfcfs",
       with("DDR4-3200", P::kOpen, S::kFrFcfs, R::kAllBank),
       nullptr,
       20000,
       {110787u, 0xb6c56a9901abfbf4ull, 0xa21e1624235b7a2full, 536635625u}},
      {"ddr5 mix per-bank refresh",
       with("DDR5-4800", P::kOpen, S::kFrFcfs, R::kPerBank),
       "mix:3:1",
       30000,
       {93262u, 0x5bb1d7045509a2b7ull, 0x9ab7c16d1b012209ull, 68596736u}},
      {"ddr5 2 ranks mix per-bank fcfs",
       with("DDR5-4800", P::kOpen, S::kFcfs, R::kPerBank, 2),
       "mix:1:2",
       20000,
       {65361u, 0x165f282425a16120ull, 0xa3e3253d303f18deull, 44242848u}},
      {"ddr5 timed adaptive",
       with("DDR5-4800", P::kOpenAdaptive, S::kFrFcfs, R::kAllBank),
       nullptr,
       20000,
       {112981u, 0x950fbfedb1e56764ull, 0x0fd051565f1cb08aull, 536506880u}},
      {"lpddr5 mix adaptive per-bank",
       with("LPDDR5-6400", P::kOpenAdaptive, S::kFrFcfs, R::kPerBank),
       "mix:2:1",
       30000,
       {192434u, 0x22eaa8a35f8a2077ull, 0x8d982e791c92dad4ull, 593667500u}},
      {"gddr6 random open fcfs",
       with("GDDR6", P::kOpen, S::kFcfs, R::kAllBank),
       "random",
       20000,
       {120708u, 0xfd03b0db231abd6full, 0xb68fe6d3cf11e185ull, 88678320u}},
      {"hbm2e strided closed",
       with("HBM2E", P::kClosed, S::kFrFcfs, R::kAllBank),
       "strided:4096",
       20000,
       {45474u, 0x0077ac9c696c579eull, 0xfdc35e4c0c96bc43ull, 66772500u}},
      // Re-captured when the write-drain mode moved out of the next-command
      // query (evaluated at each queue change): same commands and last
      // completion, a few drain switches at other moments.
      {"hbm3 mix per-bank refresh",
       with("HBM3", P::kOpen, S::kFrFcfs, R::kPerBank),
       "mix:1:1",
       30000,
       {186034u, 0x1690cac378162926ull, 0x9f5202bbed43171bull, 11102500u}},
      {"hbm3 timed open",
       with("HBM3", P::kOpen, S::kFrFcfs, R::kAllBank),
       nullptr,
       20000,
       {168771u, 0x123c5865cb037a04ull, 0x0510f2a959af9ff5ull, 536478125u}},
  };
}

TEST(DramScheduleGolden, CommandSequencesAreUnchanged) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const Figures f =
        c.pattern ? run_pattern(c.spec, c.pattern, c.requests) : run_timed(c.spec, c.requests);
    EXPECT_EQ(f.commands, c.golden.commands);
    EXPECT_EQ(f.command_hash, c.golden.command_hash);
    EXPECT_EQ(f.completion_hash, c.golden.completion_hash);
    EXPECT_EQ(f.last_done_ps, c.golden.last_done_ps);
    // Paste-ready figures when something differs.
    if (f.command_hash != c.golden.command_hash || f.completion_hash != c.golden.completion_hash) {
      std::printf("  {%lluu, 0x%016llxull, 0x%016llxull, %lluu}  // %s\n",
                  static_cast<unsigned long long>(f.commands),
                  static_cast<unsigned long long>(f.command_hash),
                  static_cast<unsigned long long>(f.completion_hash),
                  static_cast<unsigned long long>(f.last_done_ps), c.name);
    }
  }
}

}  // namespace
}  // namespace tessera::dram

// Scheduler, page policy, refresh and write-drain behaviour on small hand-built cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "models/core/error.h"
#include "models/dram/dram_system.h"
#include "models/dram/presets.h"
#include "models/dram/run.h"

namespace tessera::dram {
namespace {

DramSpec quiet_ddr4() {
  DramSpec s = preset("DDR4-3200");
  s.controller.refresh = RefreshMode::kOff;
  return s;
}

// Submits all requests at time 0 (queue permitting) and returns completions in order.
std::vector<DramCompletion> run_all(DramSystem& dram, const std::vector<DramRequest>& reqs) {
  for (const DramRequest& r : reqs) dram.submit(r);
  dram.drain();
  std::vector<DramCompletion> out;
  DramCompletion c;
  while (dram.pop_completion(DramSystem::kNever - 1, c)) out.push_back(c);
  return out;
}

TEST(DramController, FrFcfsServesRowHitsFirstFcfsDoesNot) {
  // Same bank: rows 1, 2, 1, 2, 1, 2 arriving together.
  for (Scheduler sched : {Scheduler::kFcfs, Scheduler::kFrFcfs}) {
    DramSpec s = quiet_ddr4();
    s.controller.scheduler = sched;
    DramSystem dram(s);
    std::vector<DramRequest> reqs;
    for (std::uint32_t i = 0; i < 6; ++i) {
      reqs.push_back({dram.mapping().encode({0, 0, 0, 0, 1 + i % 2, i}), false, 64, 0, i});
    }
    const auto done = run_all(dram, reqs);
    ASSERT_EQ(done.size(), 6u);
    const ChannelStats st = dram.total_stats();
    if (sched == Scheduler::kFcfs) {
      // In order: miss, then five conflicts.
      EXPECT_EQ(st.row_misses, 1u);
      EXPECT_EQ(st.row_conflicts, 5u);
      for (std::uint32_t i = 0; i < 6; ++i) EXPECT_EQ(done[i].tag, i);
    } else {
      // Row 1 three times (miss + 2 hits), then row 2 (conflict + 2 hits).
      EXPECT_EQ(st.row_misses, 1u);
      EXPECT_EQ(st.row_conflicts, 1u);
      EXPECT_EQ(st.row_hits, 4u);
      EXPECT_EQ(done[0].tag, 0u);
      EXPECT_EQ(done[1].tag, 2u);
      EXPECT_EQ(done[2].tag, 4u);
    }
  }
}

TEST(DramController, RowHitCapLetsAnOlderConflictThrough) {
  // Request 0 opens row 1; request 1 (row 2) waits; then 10 hits to row 1.
  // With cap 3, request 1 is served after 3 row hits.
  DramSpec s = quiet_ddr4();
  s.controller.row_hit_cap = 3;
  DramSystem dram(s);
  std::vector<DramRequest> reqs;
  reqs.push_back({dram.mapping().encode({0, 0, 0, 0, 1, 0}), false, 64, 0, 0});
  reqs.push_back({dram.mapping().encode({0, 0, 0, 0, 2, 0}), false, 64, 0, 1});
  for (std::uint32_t i = 1; i <= 10; ++i) {
    reqs.push_back({dram.mapping().encode({0, 0, 0, 0, 1, i}), false, 64, 0, 1 + i});
  }
  const auto done = run_all(dram, reqs);
  std::size_t pos = 0;
  while (done[pos].tag != 1) ++pos;
  // Served after request 0 and at most cap = 3 hits... the first access counts toward the streak.
  EXPECT_LE(pos, 4u);
  EXPECT_GE(pos, 3u);
}

TEST(DramController, ClosedPagePolicyNeverConflicts) {
  DramSpec s = quiet_ddr4();
  s.controller.page_policy = PagePolicy::kClosed;
  DramSystem dram(s);
  PatternSource src(parse_pattern("random"), s.capacity_bytes(), 5000, 64, 9);
  const RunSummary r = run_core(dram, src);
  EXPECT_EQ(r.row_conflicts, 0u);
  EXPECT_EQ(r.row_misses, 5000u);
  // Every access is followed by its precharge (the last one may still be pending).
  EXPECT_GE(dram.total_stats().precharges, 4999u);
}

TEST(DramController, OpenAdaptiveClosesIdleRows) {
  // Two reads to one bank, far apart in time and rows: open leaves row 1 open
  // (the second is a conflict); open-adaptive closed it when it went idle.
  for (PagePolicy p : {PagePolicy::kOpen, PagePolicy::kOpenAdaptive}) {
    DramSpec s = quiet_ddr4();
    s.controller.page_policy = p;
    DramSystem dram(s);
    dram.submit({dram.mapping().encode({0, 0, 0, 0, 1, 0}), false, 64, 0, 0});
    dram.submit({dram.mapping().encode({0, 0, 0, 0, 2, 0}), false, 64, 1'000'000, 1});
    dram.drain();
    const ChannelStats st = dram.total_stats();
    EXPECT_EQ(st.row_conflicts, p == PagePolicy::kOpen ? 1u : 0u);
    EXPECT_EQ(st.row_misses, p == PagePolicy::kOpen ? 1u : 2u);
  }
}

TEST(DramController, AllBankRefreshRateMatchesTrefi) {
  const DramSpec s = preset("DDR4-3200");
  DramSystem dram(s);
  // Idle for 100 tREFI: refreshes still happen, one per tREFI (12480 cycles).
  dram.submit({0, false, 64, 0, 0});
  dram.advance_to(100 * 12480 * 625 + 1);
  EXPECT_EQ(dram.total_stats().refreshes, 100u);
  EXPECT_EQ(dram.total_stats().refresh_busy_cycles, 100u * 560u);
}

TEST(DramController, PerBankRefreshOnLpddr5) {
  DramSpec s = preset("LPDDR5-6400");
  s.controller.refresh = RefreshMode::kPerBank;
  DramSystem dram(s);
  dram.submit({0, false, 64, 0, 0});
  // tREFIpb = 3124 / 16 = 195 cycles: 10 tREFI hold 160 per-bank refreshes.
  dram.advance_to(10 * 3124 * 1250 + 1);
  EXPECT_EQ(dram.total_stats().refreshes, 0u);
  EXPECT_EQ(dram.total_stats().refreshes_pb, 10u * 3124u / 195u);
}

TEST(DramController, PerBankRefreshRejectedWhereTheStandardHasNone) {
  DramSpec s = preset("DDR4-3200");
  s.controller.refresh = RefreshMode::kPerBank;
  EXPECT_THROW(DramSystem{s}, InputError);
}

TEST(DramController, WritesWaitForTheHighWatermark) {
  // 4 writes then 4 reads, all at time 0: writes stay queued (below the high
  // watermark of 24) while reads are waiting, so every read completes first.
  DramSystem dram(quiet_ddr4());
  std::vector<DramRequest> reqs;
  for (std::uint32_t i = 0; i < 4; ++i) reqs.push_back({std::uint64_t{i} * 64, true, 64, 0, i});
  for (std::uint32_t i = 0; i < 4; ++i) {
    reqs.push_back({(std::uint64_t{i} + 100) * 64, false, 64, 0, 10 + i});
  }
  const auto done = run_all(dram, reqs);
  ASSERT_EQ(done.size(), 8u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_FALSE(done[i].is_write) << i;
  // With a high watermark of 2 the writes drain first instead.
  DramSpec s = quiet_ddr4();
  s.controller.write_high_watermark = 2;
  s.controller.write_low_watermark = 0;
  DramSystem drain_early(s);
  const auto done2 = run_all(drain_early, reqs);
  EXPECT_TRUE(done2[0].is_write);
}

// Asks every controller for its next command before each request, as the
// TLM target does when it schedules its wake-up; run_core alone does not.
class QueryingSource : public RequestSource {
 public:
  QueryingSource(RequestSource& inner, DramSystem& dram) : inner_(inner), dram_(dram) {}
  bool next(TraceRequest& out) override {
    dram_.next_command_ps();
    dram_.next_event_ps();
    return inner_.next(out);
  }

 private:
  RequestSource& inner_;
  DramSystem& dram_;
};

// A preset with 8-entry queues and write-drain watermarks 6 / 2: the drain
// mode switches often and requests wait for room.
DramSpec small_queues(const char* name) {
  DramSpec spec = preset(name);
  spec.controller.read_queue = 8;
  spec.controller.write_queue = 8;
  spec.controller.write_high_watermark = 6;
  spec.controller.write_low_watermark = 2;
  return spec;
}

TEST(DramController, ScheduleDoesNotDependOnWhenCallersAsk) {
  // Small queues and low watermarks make the write drain switch often, with
  // many requests entering at the same time: the drain mode used to be
  // decided lazily inside the next-command query, so querying between
  // arrivals changed the schedule (the TLM target differed from run_core on
  // multi-channel presets). Every completion must be identical.
  for (const char* name : {"DDR4-3200", "DDR5-4800", "HBM3", "LPDDR5-6400"}) {
    SCOPED_TRACE(name);
    const DramSpec spec = small_queues(name);
    const std::uint64_t n = 6000;
    std::vector<DramCompletion> plain(n), queried(n);
    DramSystem a(spec);
    PatternSource src_a(parse_pattern("mix:3:1"), spec.capacity_bytes(), n, 64, 11);
    run_core(a, src_a, [&](const DramCompletion& c) { plain[c.tag] = c; });
    DramSystem b(spec);
    PatternSource src_b(parse_pattern("mix:3:1"), spec.capacity_bytes(), n, 64, 11);
    QueryingSource querying(src_b, b);
    run_core(b, querying, [&](const DramCompletion& c) { queried[c.tag] = c; });
    for (std::uint64_t i = 0; i < n; ++i) {
      ASSERT_EQ(queried[i].arrival_ps, plain[i].arrival_ps) << "request " << i;
      ASSERT_EQ(queried[i].done_ps, plain[i].done_ps) << "request " << i;
    }
  }
}

TEST(DramController, BackPressureWhenTheQueueIsFull) {
  DramSpec s = quiet_ddr4();
  s.controller.read_queue = 4;
  DramSystem dram(s);
  for (std::uint32_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(dram.can_accept(i * 64, false));
    dram.submit({i * 64ull, false, 64, 0, i});
  }
  EXPECT_FALSE(dram.can_accept(4 * 64, false));
  EXPECT_TRUE(dram.can_accept(4 * 64, true));  // the write queue is separate
  EXPECT_THROW(dram.submit({4 * 64, false, 64, 0, 4}), RuntimeError);
  // The first column command frees a slot: ACT at 0, RD at tRCD = 22.
  EXPECT_EQ(dram.next_command_ps(), 0u);
  dram.advance_to(22 * 625 + 1);
  EXPECT_TRUE(dram.can_accept(4 * 64, false));
}

TEST(DramController, AdvanceUntilAcceptsIssuesWhatTheStepLoopDoes) {
  // advance_until_accepts() (run_core's fast path) against the loop it
  // replaces: next_command_ps() + advance_to(t + 1) until there is room, with
  // the completions popped after every step. Single-controller presets take
  // its one-controller path, the others the general one; 256-byte requests
  // and timed arrivals are mixed in. Every command, the time each request
  // enters, and every completion (in pop order) must be identical.
  for (const char* name : {"DDR4-3200", "GDDR6", "HBM2E", "LPDDR5-6400"}) {
    SCOPED_TRACE(name);
    const DramSpec spec = small_queues(name);
    PatternSource src(parse_pattern("mix:3:1"), spec.capacity_bytes(), 4000, 64, 5);
    std::vector<DramRequest> reqs;
    TraceRequest r;
    Picoseconds at = 0;
    while (src.next(r)) {
      const std::uint64_t i = reqs.size();
      at += (i % 7 == 0) ? 3 * spec.timing.tck_ps + 17 : 0;  // some arrive later, off the edge
      reqs.push_back({r.address, r.is_write, i % 5 == 0 ? 256u : 64u, at, i});
    }
    DramSystem step(spec, /*log_commands=*/true), fast(spec, /*log_commands=*/true);
    std::vector<DramCompletion> step_done, fast_done;
    DramCompletion c;
    for (const DramRequest& q : reqs) {
      Picoseconds step_at = std::max(q.arrival_ps, step.now_ps());
      step.advance_to(step_at);
      while (!step.can_accept(q.address, q.is_write, q.bytes)) {
        const Picoseconds t = step.next_command_ps();
        step.advance_to(std::max(t + 1, step.now_ps() + 1));
        while (step.pop_completion(step.now_ps(), c)) step_done.push_back(c);
        step_at = std::max(step_at, step.now_ps());
      }
      step.submit({q.address, q.is_write, q.bytes, step_at, q.tag});
      while (step.pop_completion(step.now_ps(), c)) step_done.push_back(c);

      Picoseconds fast_at = std::max(q.arrival_ps, fast.now_ps());
      fast.advance_to(fast_at);
      fast.advance_until_accepts(q.address, q.is_write, q.bytes);
      fast_at = std::max(fast_at, fast.now_ps());
      ASSERT_EQ(fast_at, step_at) << "request " << q.tag;
      ASSERT_EQ(fast.now_ps(), step.now_ps()) << "request " << q.tag;
      fast.submit({q.address, q.is_write, q.bytes, fast_at, q.tag});
      while (fast.pop_completion(fast.now_ps(), c)) fast_done.push_back(c);
    }
    step.drain();
    fast.drain();
    while (step.pop_completion(DramSystem::kNever - 1, c)) step_done.push_back(c);
    while (fast.pop_completion(DramSystem::kNever - 1, c)) fast_done.push_back(c);
    ASSERT_EQ(fast_done.size(), reqs.size());
    ASSERT_EQ(step_done.size(), reqs.size());
    for (std::size_t i = 0; i < reqs.size(); ++i) {
      ASSERT_EQ(fast_done[i].tag, step_done[i].tag) << "completion " << i;
      ASSERT_EQ(fast_done[i].arrival_ps, step_done[i].arrival_ps) << "completion " << i;
      ASSERT_EQ(fast_done[i].data_ps, step_done[i].data_ps) << "completion " << i;
      ASSERT_EQ(fast_done[i].done_ps, step_done[i].done_ps) << "completion " << i;
    }
    for (std::uint32_t ch = 0; ch < step.controllers(); ++ch) {
      const auto& a = step.command_log(ch);
      const auto& b = fast.command_log(ch);
      ASSERT_EQ(a.size(), b.size()) << "controller " << ch;
      for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].cycle, b[i].cycle) << "controller " << ch << " command " << i;
        ASSERT_EQ(a[i].command, b[i].command) << "controller " << ch << " command " << i;
        ASSERT_EQ(a[i].bank_group, b[i].bank_group) << "controller " << ch << " command " << i;
        ASSERT_EQ(a[i].bank, b[i].bank) << "controller " << ch << " command " << i;
        ASSERT_EQ(a[i].row, b[i].row) << "controller " << ch << " command " << i;
      }
    }
  }
}

TEST(DramController, LargeRequestsSplitIntoBursts) {
  DramSystem dram(quiet_ddr4());
  // 256 B at 0: four bursts in four bank groups; done when the last burst leaves.
  dram.submit({0, false, 256, 0, 5});
  dram.drain();
  DramCompletion c;
  ASSERT_TRUE(dram.pop_completion(DramSystem::kNever - 1, c));
  EXPECT_EQ(c.bytes, 256u);
  EXPECT_EQ(dram.total_stats().reads, 4u);
  // ACTs at 0, 4 (tRRD_S), 8, 12; last RD at 12 + 22 = 34; done 34 + 22 + 4 = 60 cycles.
  EXPECT_EQ(c.done_ps, 60u * 625u);
}

TEST(DramController, TimeNeverGoesBackwards) {
  DramSystem dram(quiet_ddr4());
  dram.advance_to(1'000'000);
  EXPECT_THROW(dram.submit({0, false, 64, 999'999, 0}), RuntimeError);
}

}  // namespace
}  // namespace tessera::dram

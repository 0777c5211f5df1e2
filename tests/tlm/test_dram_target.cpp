// The DRAM TLM-2.0 target: AT gives the core's completion times exactly,
// back-pressure holds END_REQ, responses come in completion order with many
// requests outstanding, and LT b_transport returns the unloaded latency.
// Each test runs in its own process (sc_start once per process).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "models/dram/presets.h"
#include "models/dram/run.h"
#include "models/tlm/dram_replay.h"
#include "models/tlm/dram_target.h"

namespace tessera::tlm_models {
namespace {

struct Done {
  Picoseconds arrival, done;
  bool operator==(const Done& o) const { return arrival == o.arrival && done == o.done; }
};

std::vector<Done> core_times(const dram::DramSpec& spec, const std::string& pattern,
                             std::uint64_t n) {
  dram::DramSystem dram(spec);
  dram::PatternSource src(dram::parse_pattern(pattern), spec.capacity_bytes(), n, 64, 11);
  std::vector<Done> out(n);
  dram::run_core(dram, src, [&](const dram::DramCompletion& c) {
    out[c.tag] = {c.arrival_ps, c.done_ps};
  });
  return out;
}

TEST(DramTarget, AtGivesTheCoreCompletionTimes) {
  const dram::DramSpec spec = dram::preset("DDR4-3200");
  const std::uint64_t n = 6000;
  const std::vector<Done> expected = core_times(spec, "mix:2:1", n);
  dram::PatternSource src(dram::parse_pattern("mix:2:1"), spec.capacity_bytes(), n, 64, 11);
  std::vector<Done> got(n);
  const TlmRunResult r = run_dram_tlm(spec, src, TlmMode::kAt, [&](const dram::DramCompletion& c) {
    got[c.tag] = {c.arrival_ps, c.done_ps};
  });
  EXPECT_EQ(r.summary.requests, n);
  for (std::uint64_t i = 0; i < n; ++i) {
    ASSERT_EQ(got[i].arrival, expected[i].arrival) << "request " << i;
    ASSERT_EQ(got[i].done, expected[i].done) << "request " << i;
  }
}

// Multi-controller presets with small queues: the queues fill, END_REQ is
// held back, and write drains start and stop, on several controllers at once.
// Every completion time must still be the core's (run_core), to the picosecond.
void expect_core_times_with_small_queues(const std::string& preset_name) {
  dram::DramSpec spec = dram::preset(preset_name);
  spec.controller.read_queue = 8;
  spec.controller.write_queue = 8;
  spec.controller.write_high_watermark = 6;
  spec.controller.write_low_watermark = 2;
  const std::uint64_t n = 8000;
  const std::vector<Done> expected = core_times(spec, "mix:3:1", n);
  dram::PatternSource src(dram::parse_pattern("mix:3:1"), spec.capacity_bytes(), n, 64, 11);
  std::vector<Done> got(n);
  const TlmRunResult r = run_dram_tlm(spec, src, TlmMode::kAt, [&](const dram::DramCompletion& c) {
    got[c.tag] = {c.arrival_ps, c.done_ps};
  });
  EXPECT_EQ(r.summary.requests, n);
  EXPECT_GT(r.held_back, 0u) << "the queues never filled: the test checks nothing new";
  for (std::uint64_t i = 0; i < n; ++i) {
    ASSERT_EQ(got[i].arrival, expected[i].arrival) << preset_name << " request " << i;
    ASSERT_EQ(got[i].done, expected[i].done) << preset_name << " request " << i;
  }
}

TEST(DramTarget, AtGivesTheCoreCompletionTimesDdr5SmallQueues) {
  expect_core_times_with_small_queues("DDR5-4800");
}

TEST(DramTarget, AtGivesTheCoreCompletionTimesHbm3SmallQueues) {
  expect_core_times_with_small_queues("HBM3");
}

TEST(DramTarget, AtGivesTheCoreCompletionTimesHbm2eSmallQueues) {
  expect_core_times_with_small_queues("HBM2E");
}

TEST(DramTarget, AtGivesTheCoreCompletionTimesLpddr5SmallQueues) {
  expect_core_times_with_small_queues("LPDDR5-6400");
}

TEST(DramTarget, AtGivesTheCoreCompletionTimesGddr6SmallQueues) {
  expect_core_times_with_small_queues("GDDR6");
}

TEST(DramTarget, BackPressureHoldsEndReq) {
  dram::DramSpec spec = dram::preset("DDR4-3200");
  spec.controller.read_queue = 4;
  dram::PatternSource src(dram::parse_pattern("random"), spec.capacity_bytes(), 200, 64, 3);
  const TlmRunResult r = run_dram_tlm(spec, src, TlmMode::kAt);
  EXPECT_EQ(r.summary.requests, 200u);
  EXPECT_EQ(r.summary.reads, 200u);
  // Random reads need ~3 commands each: the 4-entry queue fills and END_REQ waits.
  EXPECT_GT(r.held_back, 100u);
}

TEST(DramTarget, ResponsesInCompletionOrderWithManyOutstanding) {
  const dram::DramSpec spec = dram::preset("DDR4-3200");
  dram::PatternSource src(dram::parse_pattern("random"), spec.capacity_bytes(), 2000, 64, 5);
  std::vector<Picoseconds> done;
  std::vector<std::uint64_t> tags;
  const TlmRunResult r = run_dram_tlm(spec, src, TlmMode::kAt, [&](const dram::DramCompletion& c) {
    done.push_back(c.done_ps);
    tags.push_back(c.tag);
  });
  ASSERT_EQ(done.size(), 2000u);
  for (std::size_t i = 1; i < done.size(); ++i) ASSERT_LE(done[i - 1], done[i]);
  // FR-FCFS reorders: responses are not in request order.
  bool reordered = false;
  for (std::size_t i = 1; i < tags.size(); ++i) reordered |= tags[i] < tags[i - 1];
  EXPECT_TRUE(reordered);
  // The whole 32-entry read queue is used.
  EXPECT_GE(r.max_outstanding, 32u);
}

TEST(DramTarget, LtReturnsTheUnloadedLatency) {
  dram::DramSpec spec = dram::preset("DDR4-3200");
  spec.controller.refresh = dram::RefreshMode::kOff;
  // Sequential LT reads: the first to a closed bank (tRCD + CL + burst = 48
  // cycles = 30 ns), the next in the same row (CL + burst = 26 cycles = 16.25 ns).
  std::vector<dram::TraceRequest> reqs = {{0, 0, 64, false}, {0, 64 * 4, 64, false}};
  dram::VectorSource src(reqs);
  std::vector<Picoseconds> latency;
  run_dram_tlm(spec, src, TlmMode::kLt,
               [&](const dram::DramCompletion& c) { latency.push_back(c.done_ps - c.arrival_ps); });
  ASSERT_EQ(latency.size(), 2u);
  EXPECT_EQ(latency[0], 48u * 625u);
  EXPECT_EQ(latency[1], 26u * 625u);
}

}  // namespace
}  // namespace tessera::tlm_models

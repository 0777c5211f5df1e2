// The independent timing checker: zero violations on every standard under
// stream, random and mixed traffic (every page policy and refresh mode), and
// injected violations are caught.
#include <gtest/gtest.h>

#include "models/dram/checker/timing_checker.h"
#include "models/dram/dram_system.h"
#include "models/dram/presets.h"
#include "models/dram/run.h"

namespace tessera::dram {
namespace {

std::size_t violations_of(const DramSpec& spec, const std::string& pattern, std::uint64_t n,
                          std::uint64_t* commands = nullptr) {
  DramSystem dram(spec, /*log_commands=*/true);
  PatternSource src(parse_pattern(pattern), spec.capacity_bytes(), n, 64, 42);
  const RunSummary r = run_core(dram, src);
  const TimingChecker checker(spec);
  std::size_t total = 0;
  for (std::uint32_t ch = 0; ch < dram.controllers(); ++ch) {
    const auto v = checker.check(dram.command_log(ch), r.last_done_ps / spec.timing.tck_ps);
    for (std::size_t i = 0; i < v.size() && i < 3; ++i) ADD_FAILURE() << v[i].message;
    total += v.size();
    if (commands) *commands += dram.command_log(ch).size();
  }
  return total;
}

TEST(DramChecker, EveryStandardEveryPatternIsClean) {
  for (const std::string& name : preset_names()) {
    for (const char* pattern : {"stream", "random", "mix:2:1", "strided:4096"}) {
      SCOPED_TRACE(name + " " + pattern);
      std::uint64_t commands = 0;
      EXPECT_EQ(violations_of(preset(name), pattern, 6000, &commands), 0u);
      EXPECT_GT(commands, 6000u);
    }
  }
}

TEST(DramChecker, PoliciesSchedulersAndPerBankRefreshAreClean) {
  for (const std::string& name : preset_names()) {
    for (PagePolicy policy : {PagePolicy::kClosed, PagePolicy::kOpenAdaptive}) {
      for (Scheduler sched : {Scheduler::kFcfs, Scheduler::kFrFcfs}) {
        DramSpec s = preset(name);
        s.controller.page_policy = policy;
        s.controller.scheduler = sched;
        if (s.timing.rfc_pb != 0) s.controller.refresh = RefreshMode::kPerBank;
        SCOPED_TRACE(name + " " + to_string(policy) + " " + to_string(sched) + " " +
                     to_string(s.controller.refresh));
        EXPECT_EQ(violations_of(s, "mix:3:1", 3000), 0u);
      }
    }
  }
}

TEST(DramChecker, TwoRanksAreClean) {
  DramSpec s = preset("DDR4-3200");
  s.org.ranks = 2;
  EXPECT_EQ(violations_of(s, "mix:1:1", 20000), 0u);
  EXPECT_EQ(violations_of(s, "stream", 20000), 0u);
}

// A recorded log with one command moved: the checker must name the rule.
TEST(DramChecker, InjectedViolationsAreCaught) {
  const DramSpec s = preset("DDR4-3200");
  DramSystem dram(s, true);
  PatternSource src(parse_pattern("random"), s.capacity_bytes(), 2000, 64, 3);
  run_core(dram, src);
  std::vector<CommandRecord> log = dram.command_log(0);
  const TimingChecker checker(s);
  ASSERT_TRUE(checker.check(log, 0).empty());
  // Pull the first RD one cycle closer to its ACT: tRCD (22 cycles) is broken.
  bool found = false;
  for (std::size_t i = 1; i < log.size(); ++i) {
    if (log[i].command == Command::kRd && log[i - 1].command == Command::kAct &&
        log[i].cycle - log[i - 1].cycle == s.timing.rcd_rd) {
      std::vector<CommandRecord> bad = log;
      bad[i].cycle -= 1;
      const auto v = checker.check(bad, 0);
      ASSERT_FALSE(v.empty());
      EXPECT_NE(v[0].message.find("tRCD"), std::string::npos) << v[0].message;
      found = true;
      break;
    }
  }
  EXPECT_TRUE(found);
}

TEST(DramChecker, HandWrittenFawAndStateViolations) {
  const DramSpec s = preset("DDR4-3200");  // tRRD_S 4, tRRD_L 8, tFAW 34
  const TimingChecker checker(s);
  // Five ACTs to five banks in different groups, 4 cycles apart: the fifth is at
  // 16, only 16 cycles after the first; tFAW needs 34.
  std::vector<CommandRecord> log;
  for (std::uint32_t i = 0; i < 5; ++i) {
    CommandRecord r;
    r.cycle = 4 * i;
    r.command = Command::kAct;
    r.bank_group = static_cast<std::uint8_t>(i % 4);
    r.bank = static_cast<std::uint8_t>(i / 4);
    r.row = 1;
    log.push_back(r);
  }
  auto v = checker.check(log, 0);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].index, 4u);
  EXPECT_NE(v[0].message.find("tFAW"), std::string::npos) << v[0].message;
  // A read to a row that is not open, and an ACT to an open bank.
  std::vector<CommandRecord> state = {{0, Command::kAct, 0, 0, 0, 7},
                                      {30, Command::kRd, 0, 0, 0, 8},
                                      {80, Command::kAct, 0, 0, 0, 9}};
  v = checker.check(state, 0);
  ASSERT_EQ(v.size(), 2u);  // the wrong row, then the ACT to an open bank (tRC 74 <= 80 is met)
  EXPECT_NE(v[0].message.find("another row"), std::string::npos) << v[0].message;
  EXPECT_NE(v[1].message.find("open row"), std::string::npos) << v[1].message;
}

TEST(DramChecker, MissingRefreshIsCaught) {
  const DramSpec s = preset("DDR4-3200");
  const TimingChecker checker(s);
  // No refresh at all over 20 tREFI: more than the 8 JEDEC lets a controller postpone.
  const auto v = checker.check({}, 20 * s.timing.refi);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].message.find("refresh"), std::string::npos);
}

}  // namespace
}  // namespace tessera::dram

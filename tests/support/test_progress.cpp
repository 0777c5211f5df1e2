#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sim/support/json_output.h"
#include "sim/support/progress.h"

namespace tessera::cli {
namespace {

// The captured contents of a tmpfile.
std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[256];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

TEST(Progress, SilentWhenOutputIsNotATerminal) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress::Options o;
  o.delay_seconds = 0;
  o.out = f;
  {
    Progress p("work", 100, true, o);
    for (int i = 1; i <= 100; ++i) p.update(static_cast<std::uint64_t>(i));
    EXPECT_FALSE(p.shown());
    EXPECT_EQ(p.clock_reads(), 0u);  // the hot path never even reads the clock
  }
  EXPECT_EQ(contents(f), "");
  std::fclose(f);
}

TEST(Progress, SilentWhenQuiet) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress::Options o;
  o.delay_seconds = 0;
  o.force = true;
  o.out = f;
  {
    Progress p("work", 10, /*enabled=*/false, o);
    for (int i = 1; i <= 10; ++i) p.update(static_cast<std::uint64_t>(i));
    EXPECT_FALSE(p.shown());
  }
  EXPECT_EQ(contents(f), "");
  std::fclose(f);
}

TEST(Progress, SilentBeforeTheDelay) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress::Options o;
  o.delay_seconds = 3600;  // an hour: a test never gets there
  o.force = true;
  o.out = f;
  {
    Progress p("work", 1000, true, o);
    for (int i = 1; i <= 1000; ++i) p.update(static_cast<std::uint64_t>(i));
    EXPECT_FALSE(p.shown());
    EXPECT_GT(p.clock_reads(), 0u);
  }
  EXPECT_EQ(contents(f), "");
  std::fclose(f);
}

TEST(Progress, DrawsAndClearsOnceTheDelayHasPassed) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress::Options o;
  o.delay_seconds = 0;
  o.force = true;
  o.out = f;
  Progress p("replay", 200, true, o);
  p.update(50);  // the first call reads the clock (countdown starts at 1)
  EXPECT_TRUE(p.shown());
  const std::string drawn = contents(f);
  EXPECT_NE(drawn.find("replay ["), std::string::npos) << drawn;
  EXPECT_NE(drawn.find(" 25.0% (50/200"), std::string::npos) << drawn;
  p.finish();
  const std::string all = contents(f);
  // Cleared: the last thing written is a carriage return after blanks.
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back(), '\r');
  std::fclose(f);
}

TEST(Progress, AmortisesClockReadsInAHotLoop) {
  Progress::Options o;
  o.delay_seconds = 3600;
  o.force = true;
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  o.out = f;
  Progress p("hot", 0, true, o);
  constexpr std::uint64_t kCalls = 1'000'000;
  for (std::uint64_t i = 1; i <= kCalls; ++i) p.update(i);
  // The stride doubles while clock reads come faster than every 25 ms, so a
  // million fast calls need only a few dozen reads (log2(1e6) ~ 20 doublings
  // plus the reads at full stride), nowhere near one per call.
  EXPECT_LT(p.clock_reads(), 1000u);
  std::fclose(f);
}

TEST(JsonOutput, StableIndentedTextWithNewline) {
  nlohmann::ordered_json j;
  j["b"] = 1;
  j["a"] = {{"x", 2.5}};
  EXPECT_EQ(json_text(j), "{\n  \"b\": 1,\n  \"a\": {\n    \"x\": 2.5\n  }\n}\n");
  nlohmann::json sorted;
  sorted["b"] = 1;
  sorted["a"] = 2;
  EXPECT_EQ(json_text(sorted), "{\n  \"a\": 2,\n  \"b\": 1\n}\n");
}

}  // namespace
}  // namespace tessera::cli

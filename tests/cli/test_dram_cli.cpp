// `tessera dram` through the real binary: JSON fields, trace formats, TLM
// modes, and one-line errors with exit code 2.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

TEST(DramCli, JsonHasTheDocumentedFields) {
  const CliResult r =
      run_tessera({"dram", "DDR4-3200", "--pattern", "stream", "--requests", "20000", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key :
       {"requests", "bandwidth_gbps", "peak_bandwidth_gbps", "latency_ns", "row_hits", "row_misses",
        "row_conflicts", "energy_pj_per_bit", "refresh_overhead"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["requests"], 20000);
  EXPECT_DOUBLE_EQ(j["peak_bandwidth_gbps"].get<double>(), 25.6);
  EXPECT_GT(j["bandwidth_gbps"].get<double>(), 0.9 * 25.6);
  for (const char* key : {"mean", "p50", "p99"})
    EXPECT_GT(j["latency_ns"][key].get<double>(), 0) << key;
  EXPECT_LE(j["latency_ns"]["p50"].get<double>(), j["latency_ns"]["p99"].get<double>());
  EXPECT_EQ(j["row_hits"].get<std::uint64_t>() + j["row_misses"].get<std::uint64_t>() +
                j["row_conflicts"].get<std::uint64_t>(),
            20000u);
}

TEST(DramCli, TableOutputAndCheckerFlag) {
  const CliResult r =
      run_tessera({"dram", "LPDDR5-6400", "--pattern", "mix:2:1", "--requests", "5000", "--check"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("share of peak"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timing violations"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pJ/bit"), std::string::npos) << r.out;
}

TEST(DramCli, TheSameTraceInThreeFormatsGivesTheSameResult) {
  const auto dir = scratch_dir("dram-formats");
  std::string stl, ramulator, own;
  for (int i = 0; i < 300; ++i) {
    const unsigned long long addr =
        (static_cast<unsigned long long>(i) * 7919ull % 4096ull) * 64ull;
    stl += fmt::format("0: {} 0x{:x}\n", i % 3 == 0 ? "write" : "read", addr);
    ramulator += fmt::format("{} 0x{:x}\n", i % 3 == 0 ? "ST" : "LD", addr);
    own += fmt::format("0 {} 0x{:x}\n", i % 3 == 0 ? "W" : "R", addr);
  }
  std::vector<nlohmann::json> results;
  for (const auto& [name, text] : {std::pair<std::string, std::string>{"t.stl", stl},
                                   {"t.trace", ramulator},
                                   {"t.txt", own}}) {
    const CliResult r =
        run_tessera({"dram", "DDR4-3200", "--trace", write_text(dir, name, text), "--json"});
    ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
    results.push_back(nlohmann::json::parse(r.out));
  }
  for (const auto& j : results) {
    EXPECT_EQ(j["requests"], 300);
    EXPECT_EQ(j["writes"], 100);
    EXPECT_EQ(j["bandwidth_gbps"], results[0]["bandwidth_gbps"]);
    EXPECT_EQ(j["latency_ns"], results[0]["latency_ns"]);
  }
}

TEST(DramCli, TlmAtMatchesTheCore) {
  const CliResult core =
      run_tessera({"dram", "DDR4-3200", "--pattern", "random", "--requests", "3000", "--json"});
  const CliResult at = run_tessera(
      {"dram", "DDR4-3200", "--pattern", "random", "--requests", "3000", "--json", "--tlm", "at"});
  ASSERT_EQ(core.exit_code, 0) << core.err;
  ASSERT_EQ(at.exit_code, 0) << at.err;
  const auto a = nlohmann::json::parse(core.out), b = nlohmann::json::parse(at.out);
  EXPECT_EQ(b["engine"], "tlm-at");
  EXPECT_EQ(a["bandwidth_gbps"], b["bandwidth_gbps"]);
  EXPECT_EQ(a["latency_ns"], b["latency_ns"]);
  const CliResult lt = run_tessera(
      {"dram", "HBM2E", "--pattern", "stream", "--requests", "2000", "--tlm", "lt", "--json"});
  ASSERT_EQ(lt.exit_code, 0) << lt.err;
  EXPECT_EQ(nlohmann::json::parse(lt.out)["requests"], 2000);
}

TEST(DramCli, ConfigFileAndSetOverrides) {
  const auto dir = scratch_dir("dram-config");
  const std::string cfg = write_text(
      dir, "d.yaml", "dram:\n  preset: DDR4-3200\n  controller:\n    mapping: BaBgRaRoCoCh\n");
  const CliResult r = run_tessera({"dram", cfg, "--requests", "20000", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Bank bits on top: one bank group, tCCD_L bound, at most half the peak.
  EXPECT_LE(nlohmann::json::parse(r.out)["bandwidth_gbps"].get<double>(), 12.8);
  const CliResult s = run_tessera({"dram", "DDR4-3200", "--set", "dram.timing.CL=30", "--pattern",
                                   "random", "--requests", "100", "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
}

TEST(DramCli, BadInputIsOneLineWithExitCode2) {
  const auto dir = scratch_dir("dram-errors");
  CliResult r = run_tessera({"dram", "DDR9"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("expected a DRAM preset"), std::string::npos) << r.err;
  const std::string bad = write_text(dir, "bad.stl", "0: read 0x40\n1: read 0x80\n2: fetch 0x0\n");
  r = run_tessera({"dram", "DDR4-3200", "--trace", bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      bad + ":3: expected 'CYCLE: read|write 0xADDRESS' (DRAMSys .stl), found '2: fetch 0x0'\n");
  r = run_tessera({"dram", "DDR4-3200", "--pattern", "zigzag"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--pattern: expected stream"), std::string::npos) << r.err;
  r = run_tessera({"dram", "DDR4-3200", "--tlm", "ca"});
  EXPECT_EQ(r.exit_code, 2);
  const std::string cfg = write_text(dir, "c.yaml", "dram:\n  timing:\n    tRP: soon\n");
  r = run_tessera({"dram", cfg});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("c.yaml:3:10: dram.timing.tRP: expected"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

}  // namespace
}  // namespace tessera::testing

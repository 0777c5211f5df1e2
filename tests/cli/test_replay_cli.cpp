// `tessera replay` and `tessera policies` through the real binary: exact
// figures on a hand-made trace, JSON fields, the MRC files, plugins (load,
// version refusal) and the one-line errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

// Five 1 KiB tensors accessed A B C A D B E A (the hand-worked sequence of
// tests/unit/cache/test_policies_handworked.cpp); with 3 KiB the cache holds
// three: lru 1 hit, fifo 2, belady 3 (D and E bypass).
std::string hand_trace(const std::filesystem::path& dir) {
  std::string csv =
      "# tessera-trace-csv,1\n# model,hand\n# family,mlp\n# seed,1\n"
      "# tensor_columns,id,name,role,bytes,address\n";
  const char* names = "abcde";
  for (int i = 0; i < 5; ++i) {
    csv += "# tensor," + std::to_string(i) + "," + names[i] + ",activation,1024," +
           std::to_string(i * 1024) + "\n";
  }
  csv +=
      "# op_columns,id,name,kind,layer,flops,batch,m,n,k,dtype_bytes\n"
      "# op,0,op0,gemm,0,0,1,0,0,0,2\n"
      "seq,tensor_id,tensor,role,bytes,address,kind,op_id,op,op_kind,layer,flops\n";
  const std::string order = "ABCADBEA";
  for (std::size_t i = 0; i < order.size(); ++i) {
    const int t = order[i] - 'A';
    csv += std::to_string(i) + "," + std::to_string(t) + "," + names[t] + ",activation,1024," +
           std::to_string(t * 1024) + ",read,0,op0,gemm,0,0\n";
  }
  return write_text(dir, "hand.csv", csv);
}

std::string experiment(const std::filesystem::path& dir, const std::string& replay_section = "") {
  return write_text(dir, "exp.yaml",
                    "name: hand\nseed: 1\nworkload:\n  family: mlp\n  widths: [8, 8]\n"
                    "  batch: 1\n" +
                        replay_section);
}

std::string plugin(const std::string& name) {
  return (std::filesystem::path(TESSERA_BIN).parent_path().parent_path() / "lib" /
          ("libtessera_policy_" + name + ".so"))
      .string();
}

TEST(ReplayCli, ExactFiguresOnAHandMadeTraceAndJson) {
  const auto dir = scratch_dir("replay-exact");
  const auto out = (dir / "results.json").string();
  const auto r = run_tessera({"replay", experiment(dir), "--trace", hand_trace(dir), "--policy",
                              "lru,fifo,belady", "--capacity", "3KiB", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("lru"), std::string::npos);
  const auto doc = nlohmann::json::parse(slurp(out));
  EXPECT_EQ(doc["schema_version"], 1);
  ASSERT_EQ(doc["runs"].size(), 3u);
  const auto& lru = doc["runs"][0];
  EXPECT_EQ(lru["policy"], "lru");
  EXPECT_EQ(lru["capacity_bytes"], 3072);
  EXPECT_EQ(lru["accesses"], 8);
  EXPECT_EQ(lru["hits"], 1);
  EXPECT_EQ(lru["misses"], 7);
  EXPECT_EQ(lru["evictions"], 4);
  EXPECT_DOUBLE_EQ(lru["hit_rate"].get<double>(), 0.125);
  EXPECT_DOUBLE_EQ(lru["byte_hit_rate"].get<double>(), 0.125);
  EXPECT_EQ(lru["bytes_read_from_dram"], 7 * 1024);
  EXPECT_EQ(lru["bytes_written_to_dram"], 0);
  // The prototype's figures: 1 hit x 0.01 ms + 7 KiB = 7/1024 MiB x 0.1 ms
  // + 7168 B / 100e9 B/s (= 7.168e-5 ms).
  EXPECT_EQ(lru["cache_hits"], 1);
  EXPECT_EQ(lru["dram_accesses"], 7);
  EXPECT_NEAR(lru["total_latency_ms"].get<double>(), 0.01 + 0.7 / 1024 + 7.168e-5, 1e-12);
  EXPECT_NEAR(lru["bandwidth_wait_time_ms"].get<double>(), 7.168e-5, 1e-15);
  EXPECT_DOUBLE_EQ(lru["cache_hit_rate_pct"].get<double>(), 12.5);
  EXPECT_EQ(doc["runs"][1]["policy"], "fifo");
  EXPECT_EQ(doc["runs"][1]["hits"], 2);
  EXPECT_EQ(doc["runs"][2]["policy"], "belady");
  EXPECT_EQ(doc["runs"][2]["hits"], 3);
  EXPECT_EQ(doc["runs"][2]["evictions"], 0);
}

TEST(ReplayCli, ResultsAreOrderedPolicyThenCapacity) {
  const auto dir = scratch_dir("replay-order");
  const auto out = (dir / "r.json").string();
  const auto r =
      run_tessera({"replay", experiment(dir), "--trace", hand_trace(dir), "--policy", "fifo,lru",
                   "--capacity", "4KiB,1KiB,2KiB", "-o", out, "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(slurp(out));
  ASSERT_EQ(doc["runs"].size(), 6u);
  const std::vector<std::pair<std::string, int>> expected = {
      {"fifo", 4096}, {"fifo", 1024}, {"fifo", 2048}, {"lru", 4096}, {"lru", 1024}, {"lru", 2048}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(doc["runs"][i]["policy"], expected[i].first);
    EXPECT_EQ(doc["runs"][i]["capacity_bytes"], expected[i].second);
  }
}

TEST(ReplayCli, ReplaySectionSetsPoliciesCapacitiesAndPins) {
  const auto dir = scratch_dir("replay-section");
  const auto out = (dir / "r.json").string();
  // Pinning tensor a (1 KiB) leaves 2 KiB for the rest under LRU:
  // A m (pinned) B m C m A h D m evicts B, B m evicts C, E m evicts D, A h.
  const auto r = run_tessera(
      {"replay",
       experiment(dir, "replay:\n  policies: [lru]\n  capacities: [3KiB]\n  pin_tensors: [a]\n"),
       "--trace", hand_trace(dir), "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(slurp(out));
  EXPECT_EQ(doc["pinned_tensors"], 1);
  EXPECT_EQ(doc["runs"][0]["hits"], 2);
  EXPECT_EQ(doc["runs"][0]["evictions"], 3);
}

TEST(ReplayCli, MrcWritesCsvAndSvgWithOneLinePerPolicy) {
  const auto dir = scratch_dir("replay-mrc");
  const auto r = run_tessera(
      {"replay", experiment(dir, "replay:\n  mrc: {min: 1KiB, max: 8KiB, points: 4}\n"), "--trace",
       hand_trace(dir), "--policy", "lru,belady", "--mrc", (dir / "mrc").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = slurp(dir / "mrc" / "mrc.csv");
  // Capacities 1, 2, 4, 8 KiB (1, 2, 4, 8 entries) on A B C A D B E A.
  // LRU: 1 and 2 entries never hit (no reuse within 2 distinct keys);
  //   4: A B C, A h, D, B h, E evicts C, A h = 3 hits; 8: A, B, A = 3 hits.
  // belady: 1 entry keeps A (B's next use 5 is after A's 3): A@3 and A@7 hit;
  //   2 entries keep A and B (C, D, E are never used again): 3 hits; 4, 8: 3.
  EXPECT_EQ(csv,
            "policy,capacity_bytes,accesses,misses,miss_ratio,byte_miss_ratio\n"
            "lru,1024,8,8,1.000000,1.000000\n"
            "lru,2048,8,8,1.000000,1.000000\n"
            "lru,4096,8,5,0.625000,0.625000\n"
            "lru,8192,8,5,0.625000,0.625000\n"
            "belady,1024,8,6,0.750000,0.750000\n"
            "belady,2048,8,5,0.625000,0.625000\n"
            "belady,4096,8,5,0.625000,0.625000\n"
            "belady,8192,8,5,0.625000,0.625000\n");
  const std::string svg = slurp(dir / "mrc" / "mrc.svg");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find(">lru</text>"), std::string::npos);
  EXPECT_NE(svg.find(">belady</text>"), std::string::npos);
  EXPECT_NE(svg.find("id=\"series-1\""), std::string::npos);
}

TEST(ReplayCli, SetAssocOrganization) {
  const auto dir = scratch_dir("replay-setassoc");
  const auto out = (dir / "r.json").string();
  // 1 KiB tensors are 16 lines of 64 bytes; 4 KiB with 16 ways is 4 sets.
  const auto r = run_tessera({"replay", experiment(dir), "--trace", hand_trace(dir),
                              "--organization", "set-assoc", "--capacity", "4KiB", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(slurp(out));
  EXPECT_EQ(doc["organization"], "set-assoc");
  EXPECT_EQ(doc["runs"][0]["accesses"], 8 * 16);
  const int hits = doc["runs"][0]["hits"];
  EXPECT_EQ(hits + doc["runs"][0]["misses"].get<int>(), 8 * 16);
}

TEST(PoliciesCli, ListsEveryBuiltIn) {
  const auto r = run_tessera({"policies"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"arc", "belady", "belady-size", "clock", "fifo", "lfu", "lru", "random",
                           "s3fifo", "score", "sieve", "srrip"}) {
    EXPECT_NE(r.out.find(std::string("\n") + name + " "), std::string::npos) << name;
  }
}

TEST(PoliciesCli, PluginPoliciesAreListedAndUsable) {
  const auto dir = scratch_dir("replay-plugin");
  const auto listed = run_tessera({"--policy-plugin", plugin("mru"), "policies"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("most recently used (example plugin)"), std::string::npos);
  // MRU on A B C A D B E A with three entries:
  // A B C | A h (MRU A) | D m evicts A -> B C D | B h | E m evicts B -> C D E
  // A m evicts E: 2 hits.
  const auto out = (dir / "r.json").string();
  const auto r =
      run_tessera({"--policy-plugin", plugin("mru"), "replay", experiment(dir), "--trace",
                   hand_trace(dir), "--policy", "mru", "--capacity", "3KiB", "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(slurp(out))["runs"][0]["hits"], 2);
}

TEST(PoliciesCli, PluginOfAnotherInterfaceVersionIsRefused) {
  const auto r = run_tessera({"--policy-plugin", plugin("wrong_abi"), "policies"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            plugin("wrong_abi") +
                ": policy plugin built against policy plugin interface version 2, this "
                "tessera provides version 1; rebuild it against models/cache/plugin_api.h\n");
}

TEST(PoliciesCli, MissingPluginIsAnInputError) {
  const auto r = run_tessera({"--policy-plugin", "/nonexistent/libx.so", "policies"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "/nonexistent/libx.so: policy plugin: no such file\n");
}

TEST(ReplayCli, UnknownPolicyListsTheKnownOnes) {
  const auto dir = scratch_dir("replay-unknown");
  const auto r = run_tessera({"replay", experiment(dir), "--trace", hand_trace(dir), "--policy",
                              "lru,lfru", "--capacity", "3KiB"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "--policy: expected one of the eviction policies (arc, belady, belady-size, clock, "
            "fifo, lfu, lru, random, s3fifo, score, sieve, srrip), found 'lfru'\n");
}

TEST(ReplayCli, BadCapacityAndBadConfigAreOneLineErrors) {
  const auto dir = scratch_dir("replay-bad");
  const auto r =
      run_tessera({"replay", experiment(dir), "--trace", hand_trace(dir), "--capacity", "lots"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "--capacity: expected a size such as 64MiB, found 'lots'\n");
  const auto c = run_tessera(
      {"replay", experiment(dir, "replay:\n  organisation: tensor\n"), "--trace", hand_trace(dir)});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("exp.yaml:8:3: replay.organisation: expected one of the known keys"),
            std::string::npos)
      << c.err;
  const auto p = run_tessera(
      {"replay", experiment(dir, "replay:\n  pin_tensors: [zz]\n"), "--trace", hand_trace(dir)});
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_NE(p.err.find("exp.yaml:8:17: replay.pin_tensors: expected the name of a tensor"),
            std::string::npos)
      << p.err;
}

}  // namespace
}  // namespace tessera::testing

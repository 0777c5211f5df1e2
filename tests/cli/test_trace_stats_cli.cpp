// `tessera trace stats` and `tessera trace validate` through the real binary:
// exact figures on a hand-written trace, invariants on generated ones, the
// validate verdicts and exit codes, and the one-line input errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

// A B C A B B D A with sizes A=10, B=20, C=30, D=40 (the sequence worked out
// in tests/unit/analysis/test_reuse_distance.cpp), as a Tessera CSV trace.
std::string hand_trace(const std::filesystem::path& dir) {
  std::string csv =
      "# tessera-trace-csv,1\n"
      "# model,hand\n"
      "# family,mlp\n"
      "# seed,1\n"
      "# tensor_columns,id,name,role,bytes,address\n"
      "# tensor,0,a,activation,10,0\n"
      "# tensor,1,b,activation,20,16\n"
      "# tensor,2,c,activation,30,48\n"
      "# tensor,3,d,activation,40,80\n"
      "# op_columns,id,name,kind,layer,flops,batch,m,n,k,dtype_bytes\n"
      "# op,0,op0,elementwise,0,0,1,1,1,1,2\n"
      "seq,tensor_id,tensor,role,bytes,address,kind,op_id,op,op_kind,layer,flops\n";
  const char* names = "abcd";
  const int sizes[] = {10, 20, 30, 40};
  const int addresses[] = {0, 16, 48, 80};
  const int seq[] = {0, 1, 2, 0, 1, 1, 3, 0};
  for (int i = 0; i < 8; ++i) {
    const int t = seq[i];
    csv += std::to_string(i) + "," + std::to_string(t) + "," + names[t] + ",activation," +
           std::to_string(sizes[t]) + "," + std::to_string(addresses[t]) +
           ",read,0,op0,elementwise,0,0\n";
  }
  return write_text(dir, "hand.csv", csv);
}

nlohmann::json parse(const CliResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

// Reuse distances 2, 2, 0, 2 -> log2 bins {0: 1, 2: 3}: entropy of (1/4, 3/4)
// = 0.811278 bits. Reuse times 3, 3, 1, 4: with --window 3, 3 of 8 accesses
// are within W -> 0.375. LRU at 30 B: 2 hits (D bypasses, the last A hits);
// at 60 B: 3 hits; at 100 B: 4 hits (only the 4 cold misses).
TEST(TraceStatsCli, HandWorkedTrace) {
  const auto dir = scratch_dir("analysis-stats-hand");
  const std::string trace = hand_trace(dir);
  const nlohmann::json j = parse(run_tessera({"trace", "stats", trace, "--json", "--window", "3",
                                              "--ws-window", "3", "--capacity", "30,60,100B"}));
  EXPECT_EQ(j["events"], 8);
  EXPECT_EQ(j["tensors_touched"], 4);
  EXPECT_EQ(j["distinct_bytes"], 100);
  EXPECT_EQ(j["cold_accesses"], 4);
  EXPECT_EQ(j["partial_events"], 0);
  EXPECT_NEAR(j["reuse_entropy_bits"].get<double>(), 0.8112781245, 1e-9);
  EXPECT_DOUBLE_EQ(j["temporal_locality"]["score"].get<double>(), 0.375);
  EXPECT_DOUBLE_EQ(j["reuse_distance"]["mean_tensors"].get<double>(), 1.5);
  EXPECT_EQ(j["reuse_distance"]["histogram_tensors"][2]["count"], 3);
  const auto& mrc = j["lru_mrc"]["by_bytes"];
  ASSERT_EQ(mrc.size(), 3u);
  EXPECT_EQ(mrc[0]["capacity_bytes"], 30);
  EXPECT_EQ(mrc[0]["hits"], 2);
  EXPECT_EQ(mrc[1]["hits"], 3);
  EXPECT_EQ(mrc[2]["hits"], 4);
  EXPECT_DOUBLE_EQ(mrc[2]["miss_ratio"].get<double>(), 0.5);
  // Windows {A,B,C} = 60, {A,B} = 30, {D,A} = 50.
  EXPECT_EQ(j["working_set"]["bytes"], nlohmann::json::parse("[60, 30, 50]"));
  EXPECT_EQ(j["working_set"]["max_bytes"], 60);
  // By entries: 1 -> 1 hit (the B B reuse), 2 -> 1, 4 -> 4.
  const auto& entries = j["lru_mrc"]["by_entries"];
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0]["hits"], 1);
  EXPECT_EQ(entries[2]["entries"], 4);
  EXPECT_EQ(entries[2]["hits"], 4);
}

TEST(TraceStatsCli, TextOutputAndPlots) {
  const auto dir = scratch_dir("analysis-stats-plot");
  const std::string trace = hand_trace(dir);
  const CliResult r = run_tessera({"trace", "stats", trace, "--plot", (dir / "plots").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("reuse entropy (bits)"), std::string::npos);
  EXPECT_NE(r.out.find("LRU miss-ratio curve"), std::string::npos);
  for (const char* name : {"reuse_distance.svg", "mrc.svg", "working_set.svg"}) {
    const std::string svg = slurp(dir / "plots" / name);
    EXPECT_NE(svg.find("<svg"), std::string::npos) << name;
    EXPECT_NE(svg.find("</svg>"), std::string::npos) << name;
  }
}

// A generated trace: the MRC at the trace's distinct bytes misses only on
// first accesses and growth misses (the quickstart's KV caches grow), every
// point accounts for every access and every byte, and the curve never
// exceeds 1.
TEST(TraceStatsCli, GeneratedTraceInvariants) {
  const auto dir = scratch_dir("analysis-stats-gen");
  const std::string trace = (dir / "q.tst").string();
  ASSERT_EQ(
      run_tessera({"trace", "gen", source_path("configs/quickstart.yaml"), "-o", trace}).exit_code,
      0);
  const nlohmann::json j = parse(run_tessera({"trace", "stats", trace, "--json"}));
  const std::uint64_t events = j["events"];
  EXPECT_GT(events, 0u);
  EXPECT_EQ(j["cold_accesses"], j["tensors_touched"]);
  const auto& mrc = j["lru_mrc"]["by_bytes"];
  ASSERT_GE(mrc.size(), 2u);
  for (const auto& p : mrc) {
    EXPECT_EQ(p["hits"].get<std::uint64_t>() + p["misses"].get<std::uint64_t>(), events);
    EXPECT_EQ(p["bytes_hit"].get<std::uint64_t>() + p["bytes_missed"].get<std::uint64_t>(),
              j["accessed_bytes"].get<std::uint64_t>());
  }
  const std::uint64_t growth = j["lru_mrc"]["growth_misses"];
  EXPECT_GT(growth, 0u);
  EXPECT_EQ(mrc.back()["capacity_bytes"], j["distinct_bytes"]);
  EXPECT_EQ(mrc.back()["misses"].get<std::uint64_t>(),
            j["cold_accesses"].get<std::uint64_t>() + growth);
  const double score = j["temporal_locality"]["score"];
  EXPECT_GE(score, 0.0);
  EXPECT_LE(score, 1.0);
}

// `trace stats` and `replay --policy lru` on the same quickstart trace agree
// exactly at every capacity: hits, misses and bytes, from 64 KiB (below most
// tensors) through capacities where the largest tensors bypass, to above the
// largest access (the one-histogram path).
TEST(TraceStatsCli, MrcMatchesReplayLruOnTheQuickstart) {
  const auto dir = scratch_dir("analysis-stats-replay");
  const std::string trace = (dir / "q.tst").string();
  ASSERT_EQ(
      run_tessera({"trace", "gen", source_path("configs/quickstart.yaml"), "-o", trace}).exit_code,
      0);
  const std::string caps = "64KiB,1MiB,3MiB,16MiB,80MiB,1GiB";
  const nlohmann::json st =
      parse(run_tessera({"trace", "stats", trace, "--json", "--capacity", caps}));
  const std::string out = (dir / "replay.json").string();
  const CliResult r = run_tessera({"replay", source_path("configs/quickstart.yaml"), "--trace",
                                   trace, "--policy", "lru", "--capacity", caps, "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json replay = nlohmann::json::parse(slurp(out));
  const auto& mrc = st["lru_mrc"]["by_bytes"];
  ASSERT_EQ(mrc.size(), 6u);
  ASSERT_EQ(replay["runs"].size(), 6u);
  std::uint64_t some_hits_below_largest = 0;
  for (std::size_t k = 0; k < 6; ++k) {
    const auto& p = mrc[k];
    const auto& run = replay["runs"][k];
    SCOPED_TRACE(p["capacity_bytes"].dump());
    EXPECT_EQ(run["policy"], "lru");
    EXPECT_EQ(run["capacity_bytes"], p["capacity_bytes"]);
    EXPECT_EQ(run["accesses"], p["accesses"]);
    EXPECT_EQ(run["hits"], p["hits"]);
    EXPECT_EQ(run["misses"], p["misses"]);
    EXPECT_EQ(run["bytes_hit"], p["bytes_hit"]);
    EXPECT_EQ(run["bytes_accessed"].get<std::uint64_t>() - run["bytes_hit"].get<std::uint64_t>(),
              p["bytes_missed"].get<std::uint64_t>());
    if (k < 4) some_hits_below_largest += p["hits"].get<std::uint64_t>();
  }
  EXPECT_GT(some_hits_below_largest, 0u);
}

TEST(TraceValidateCli, SelfPassesOtherFamilyFails) {
  const auto dir = scratch_dir("analysis-validate");
  const std::string transformer = (dir / "q.tst").string();
  const std::string cnn = (dir / "cnn.tst").string();
  ASSERT_EQ(run_tessera({"trace", "gen", source_path("configs/quickstart.yaml"), "-o", transformer})
                .exit_code,
            0);
  ASSERT_EQ(
      run_tessera({"trace", "gen", source_path("configs/examples/cnn_custom.yaml"), "-o", cnn})
          .exit_code,
      0);

  const CliResult self =
      run_tessera({"trace", "validate", transformer, "--against", transformer, "--json"});
  ASSERT_EQ(self.exit_code, 0) << self.out << self.err;
  const nlohmann::json s = nlohmann::json::parse(self.out);
  EXPECT_EQ(s["verdict"], "pass");
  ASSERT_EQ(s["tests"].size(), 4u);
  for (const auto& t : s["tests"]) {
    EXPECT_DOUBLE_EQ(t["effect_size"]["value"].get<double>(), 0.0) << t["name"];
    EXPECT_DOUBLE_EQ(t["p_value"].get<double>(), 1.0) << t["name"];
    EXPECT_EQ(t["verdict"], "pass");
  }

  const CliResult other = run_tessera({"trace", "validate", transformer, "--against", cnn});
  EXPECT_EQ(other.exit_code, 1) << other.out << other.err;
  EXPECT_NE(other.out.find("FAIL"), std::string::npos);
  EXPECT_NE(other.out.find("some tests FAIL"), std::string::npos);
}

TEST(TraceValidateCli, NamedReference) {
  const auto dir = scratch_dir("analysis-validate-named");
  const std::string trace = hand_trace(dir);
  const CliResult r = run_tessera({"trace", "validate", trace, "--against", "zipf:1.0", "--json"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["tests"].size(), 2u);
  EXPECT_EQ(j["tests"][0]["name"], "reuse_distance.ks");
  EXPECT_EQ(j["tests"][1]["name"], "reuse_distance.chi_square");
  EXPECT_EQ(j["tests"][0]["n"], 4);  // the four reuses
}

TEST(TraceValidateCli, BadInput) {
  const auto dir = scratch_dir("analysis-validate-bad");
  const std::string trace = hand_trace(dir);
  CliResult r = run_tessera({"trace", "validate", trace, "--against", "zipf:abc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "--against: expected zipf:S with a number S > 0, found 'zipf:abc'\n");
  r = run_tessera({"trace", "validate", trace, "--against", (dir / "missing.tst").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--against: expected a trace file or a distribution"), std::string::npos);
  r = run_tessera({"trace", "stats", trace, "--capacity", "lots"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "--capacity: expected a size of at least 1 byte such as 64MiB, found 'lots'\n");
  r = run_tessera({"trace", "stats", (dir / "nope.tst").string()});
  EXPECT_EQ(r.exit_code, 2);
  const std::string bad = write_text(dir, "bad.tst", "not a trace");
  r = run_tessera({"trace", "stats", bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;  // one line
}

}  // namespace
}  // namespace tessera::testing

// One test per class of config error, through the real CLI (`tessera check`
// and `tessera trace gen`): each gets exactly one line on stderr naming
// file:line:col, the key, what was expected and what was found; exit code 2;
// and no output file is left behind.
#include <gtest/gtest.h>

#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

class ConfigErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_dir(std::string("config-errors-") +
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  std::string file(const std::string& name, const std::string& text) {
    return write_text(dir_, name, text);
  }

  // Runs `trace gen FILE -o OUT` (with `extra` arguments first) and `check
  // FILE` and expects the same one line and exit code 2 from both, and no
  // trace (or temporary) left in the directory.
  void expect_error(const std::string& config, const std::string& line,
                    const std::vector<std::string>& extra = {}) {
    const std::string out = (dir_ / "out.tst").string();
    std::vector<std::string> gen = extra;
    for (const char* a : {"trace", "gen"}) gen.push_back(a);
    gen.push_back(config);
    gen.push_back("-o");
    gen.push_back(out);
    const CliResult g = run_tessera(gen);
    EXPECT_EQ(g.exit_code, 2) << g.err;
    EXPECT_EQ(g.err, line + "\n");
    EXPECT_EQ(g.out, "");
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      EXPECT_EQ(name.find("out.tst"), std::string::npos) << "left behind: " << name;
    }
    std::vector<std::string> check = extra;
    check.push_back("check");
    check.push_back(config);
    const CliResult c = run_tessera(check);
    EXPECT_EQ(c.exit_code, 2) << c.err;
    EXPECT_EQ(c.err, line + "\n");
  }

  std::filesystem::path dir_;
};

TEST_F(ConfigErrors, UnknownKeyListsTheKnownOnesAndSuggestsTheNearOne) {
  const std::string f = file("exp.yaml",
                             "workload:\n"
                             "  legacy:\n"
                             "    model_type: MLP\n"
                             "    num_layer: 2\n");
  expect_error(f,
               f + ":4:5: workload.legacy.num_layer: expected one of the known keys (model_type, "
                   "num_layers, batch_size, seq_length, reuse_probability), found unknown key "
                   "'num_layer' (did you mean 'num_layers'?)");
}

TEST_F(ConfigErrors, WrongType) {
  const std::string f = file("exp.yaml",
                             "workload:\n"
                             "  family: mlp\n"
                             "  widths: [16, many]\n");
  expect_error(f, f + ":3:16: workload.widths[1]: expected an integer >= 1, found 'many'");
}

TEST_F(ConfigErrors, MissingRequiredKey) {
  const std::string f = file("exp.yaml", "name: nothing-to-run\nseed: 4\n");
  expect_error(f, f + ":1:1: workload: expected a workload section (required), found nothing");
}

TEST_F(ConfigErrors, OutOfRangeValue) {
  const std::string f = file("exp.yaml",
                             "workload:\n"
                             "  family: mlp\n"
                             "  widths: [16, 0]\n");
  expect_error(f, f + ":3:16: workload.widths[1]: expected an integer >= 1, found '0'");
}

TEST_F(ConfigErrors, BadUnit) {
  const std::string f = file("exp.yaml",
                             "workload: {family: mlp, widths: [16, 8]}\n"
                             "replay:\n"
                             "  capacities: [64KiB, 2XB]\n");
  expect_error(f, f + ":3:23: replay.capacities[1]: expected a size such as 4096, 64KiB or 2MiB "
                      "(at least 1 B), found '2XB'");
}

TEST_F(ConfigErrors, YamlSyntaxError) {
  const std::string f = file("exp.yaml",
                             "workload:\n"
                             "  family: [mlp\n");
  expect_error(
      f, f + ":3:1: expected valid YAML, found a syntax error: end of sequence flow not found");
}

TEST_F(ConfigErrors, IncludeOfAMissingFile) {
  const std::string f = file("exp.yaml",
                             "include: fragments/workload.yaml\n"
                             "seed: 2\n");
  expect_error(f, f + ":1:10: " + (dir_ / "fragments/workload.yaml").string() +
                      ": expected a readable file, found none");
}

TEST_F(ConfigErrors, IncludeCycle) {
  const std::string a = file("a.yaml", "include: b.yaml\nseed: 1\n");
  const std::string b = file("b.yaml", "include: a.yaml\nname: cyclic\n");
  expect_error(a, b +
                      ":1:10: include: expected a file that does not include itself, found a "
                      "cycle through " +
                      a);
}

TEST_F(ConfigErrors, BadSetOverride) {
  const std::string f = file("exp.yaml", "workload: {family: mlp, widths: [16, 8]}\n");
  expect_error(f, "--set workload.widths: expected key.path=value, found no '='",
               {"--set", "workload.widths"});
}

TEST_F(ConfigErrors, SetOverrideWithAWrongValue) {
  const std::string f = file("exp.yaml", "workload: {family: mlp, widths: [16, 8]}\n");
  // The override is checked like the file's own value; the message blames the
  // command line, where the bad value was written, not the file it replaced.
  expect_error(f,
               "--set: workload.family: expected one of transformer, cnn, mlp, moe, found 'mpl' "
               "(did you mean 'mlp'?)",
               {"--set", "workload.family=mpl"});
}

TEST_F(ConfigErrors, NonexistentFile) {
  const std::string missing = (dir_ / "nope.yaml").string();
  // `check` validates its argument with CLI11 first; trace gen reports it
  // through the config loader. Both: one line, exit 2.
  const std::string out = (dir_ / "out.tst").string();
  const CliResult g = run_tessera({"trace", "gen", missing, "-o", out});
  EXPECT_EQ(g.exit_code, 2);
  EXPECT_EQ(g.err, missing + ": expected a readable file, found none\n");
  EXPECT_FALSE(std::filesystem::exists(out));
  const CliResult c = run_tessera({"check", missing});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_EQ(c.err.substr(0, c.err.find('\n')), "tessera: file: File does not exist: " + missing);
}

}  // namespace
}  // namespace tessera::testing

// Runs the real `tessera` binary (TESSERA_BIN) and captures exit code, stdout
// and stderr, so tests check exactly what a user sees.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tessera::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh empty directory under the test's working directory.
inline std::filesystem::path scratch_dir(const std::string& name) {
  auto dir = std::filesystem::current_path() / ("scratch-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline CliResult run_tessera(const std::vector<std::string>& args) {
  static int counter = 0;
  const auto base = std::filesystem::temp_directory_path() /
                    ("tessera-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::string cmd = shell_quote(TESSERA_BIN);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " </dev/null >" + shell_quote(base.string() + ".out") + " 2>" +
         shell_quote(base.string() + ".err");
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(base.string() + ".out");
  r.err = slurp(base.string() + ".err");
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
  return r;
}

inline std::string source_path(const std::string& relative) {
  return std::string(TESSERA_SOURCE_DIR) + "/" + relative;
}

// Writes `text` to `dir/name` and returns the path.
inline std::string write_text(const std::filesystem::path& dir, const std::string& name,
                              const std::string& text) {
  const auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

}  // namespace tessera::testing

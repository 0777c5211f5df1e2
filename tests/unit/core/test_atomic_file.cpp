// Atomic outputs: a file appears whole or not at all, and files written together
// (a run's result.json and timeline.json) appear together or not at all.
#include "models/core/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/core/error.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;

// A fresh directory for one test, removed at the end.
struct Scratch {
  explicit Scratch(const std::string& name)
      : path(fs::temp_directory_path() /
             ("tessera-atomic-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  fs::path path;
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AtomicFile, WritesTheWholeTextAndNoTemporaryRemains) {
  Scratch dir("one");
  write_file_atomically(dir.path / "a.json", "{\"x\": 1}\n");
  EXPECT_EQ(read(dir.path / "a.json"), "{\"x\": 1}\n");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"a.json"}));
}

TEST(AtomicFile, AnUncommittedFileLeavesNothingBehind) {
  Scratch dir("uncommitted");
  {
    AtomicFile f(dir.path / "a.json");
    f.stream() << "half";
    f.finish_writing();  // written and closed, but never renamed into place
  }
  EXPECT_TRUE(dir.files().empty());
}

TEST(AtomicFile, FilesWrittenTogetherAllAppear) {
  Scratch dir("together");
  write_files_atomically({{dir.path / "timeline.json", "T"}, {dir.path / "result.json", "R"}});
  EXPECT_EQ(read(dir.path / "timeline.json"), "T");
  EXPECT_EQ(read(dir.path / "result.json"), "R");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"result.json", "timeline.json"}));
}

TEST(AtomicFile, WhenOneOfSeveralCannotBeWrittenNoneIsReplaced) {
  Scratch dir("split");
  write_files_atomically(
      {{dir.path / "timeline.json", "old T"}, {dir.path / "result.json", "old R"}});
  // The second file's parent is a regular file: it cannot be opened, after the first was
  // already written to its temporary.
  write_file_atomically(dir.path / "blocker", "x");
  EXPECT_THROW(write_files_atomically({{dir.path / "timeline.json", "new T"},
                                       {dir.path / "blocker" / "result.json", "new R"}}),
               RuntimeError);
  EXPECT_EQ(read(dir.path / "timeline.json"), "old T");
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"blocker", "result.json", "timeline.json"}));
}

}  // namespace
}  // namespace tessera

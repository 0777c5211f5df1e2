#include "sim/support/output_path.h"

#include <unistd.h>

#include "models/core/error.h"

namespace tessera::cli {
namespace fs = std::filesystem;
namespace {

// Why files cannot be created under `dir`'s nearest existing ancestor, or "".
std::string ancestor_problem(const fs::path& dir) {
  fs::path p = dir.empty() ? fs::path(".") : dir;
  std::error_code ec;
  while (!fs::exists(p, ec)) {
    if (!p.has_parent_path() || p.parent_path() == p) return "";
    p = p.parent_path();
    if (p.empty()) p = ".";
  }
  if (!fs::is_directory(p, ec)) return "'" + p.string() + "' is a file, not a directory";
  if (::access(p.c_str(), W_OK | X_OK) != 0) return "'" + p.string() + "' is not writable";
  return "";
}

}  // namespace

void check_output_file(const std::string& option, const fs::path& path) {
  const std::string expected =
      option + ": expected a writable file path, found '" + path.string() + "'";
  std::error_code ec;
  if (path.empty()) throw InputError(option + ": expected a file path, found nothing");
  if (fs::is_directory(path, ec)) throw InputError(expected + " (a directory)");
  const std::string why = ancestor_problem(path.parent_path());
  if (!why.empty()) throw InputError(expected + " (" + why + ")");
}

void check_output_dir(const std::string& option, const fs::path& dir) {
  const std::string expected =
      option + ": expected a writable directory, found '" + dir.string() + "'";
  std::error_code ec;
  if (dir.empty()) throw InputError(option + ": expected a directory, found nothing");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) throw InputError(expected + " (a file)");
  const std::string why = ancestor_problem(dir);
  if (!why.empty()) throw InputError(expected + " (" + why + ")");
}

}  // namespace tessera::cli

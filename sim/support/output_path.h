// Output paths are checked before any work is done: a run that takes minutes
// should not end with "cannot open for writing" because -o named a directory
// or a path under a regular file. The files themselves are still written
// atomically (models/core/atomic_file.h); this only moves the failure to the
// start, as an input error naming the option.
#pragma once

#include <filesystem>
#include <string>

namespace tessera::cli {

// `path` will be written as a file: it must not be a directory, and its
// nearest existing ancestor must be a writable directory (missing parents are
// created when the file is written). Throws InputError
//   "OPTION: expected a writable file path, found 'PATH' (WHY)".
void check_output_file(const std::string& option, const std::filesystem::path& path);

// `dir` will receive files: it must be a directory if it exists, and its
// nearest existing ancestor must be a writable directory. Throws InputError
//   "OPTION: expected a writable directory, found 'DIR' (WHY)".
void check_output_dir(const std::string& option, const std::filesystem::path& dir);

}  // namespace tessera::cli

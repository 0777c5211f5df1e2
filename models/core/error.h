// The two kinds of failure a user can see, and the exit codes they map to.
// Messages are complete one-line sentences: the CLI prints them as they are.
#pragma once

#include <stdexcept>
#include <string>

namespace tessera {

enum ExitCode : int {
  kExitOk = 0,
  kExitRuntime = 1,  // the run itself failed (I/O, simulation error, failed validation)
  kExitInput = 2,    // bad command line, config or trace
};

// Bad input: a config key, a trace file, a command-line value. Exit code 2.
// The message names where (file:line:col or byte offset), what was expected
// and what was found.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// A failure while running on valid input (cannot write a file, ...). Exit code 1.
class RuntimeError : public std::runtime_error {
 public:
  explicit RuntimeError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace tessera

// Runs one SystemC measurement in a forked child and returns what it measured.
// The SystemC kernel cannot be restarted inside a process, so every benchmark
// iteration that elaborates a netlist gets a fresh process; the result comes
// back through a pipe as a plain struct.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <type_traits>

namespace tessera::bench {

// `measure` runs in the child and returns a trivially copyable T. Returns a
// value-initialised T when the child fails (callers check a field for zero).
template <typename T, typename Measure>
T run_in_child(Measure measure) {
  static_assert(std::is_trivially_copyable_v<T>, "the result crosses a pipe as bytes");
  int fds[2];
  if (::pipe(fds) != 0) return T{};
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return T{};
  }
  if (pid == 0) {
    ::close(fds[0]);
    ::setenv("SC_COPYRIGHT_MESSAGE", "DISABLE", 1);
    const T result = measure();
    const ssize_t written = ::write(fds[1], &result, sizeof result);
    ::_exit(written == static_cast<ssize_t>(sizeof result) ? 0 : 1);
  }
  ::close(fds[1]);
  T result{};
  const ssize_t got = ::read(fds[0], &result, sizeof result);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return got == static_cast<ssize_t>(sizeof result) ? result : T{};
}

}  // namespace tessera::bench

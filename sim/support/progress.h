// A progress bar on stderr for long runs. It stays invisible unless stderr
// is a terminal, the run is not --quiet, and the work has already taken more
// than `delay_seconds` (2 s by default): short runs and piped output are
// never cluttered.
//
// update() is cheap enough for a hot loop: it decrements a counter and only
// looks at the clock every `stride_` calls, where the stride adapts so the
// clock is read about every 50 ms whatever the caller's call rate.
//
//   Progress progress("replay", trace.events.size(), !globals.quiet);
//   for (std::size_t i = 0; i < n; ++i) { ...; progress.update(i + 1); }
//   progress.finish();
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace tessera::cli {

class Progress {
 public:
  struct Options {
    double delay_seconds = 2.0;  // stay silent until the work has run this long
    bool force = false;          // draw even when `out` is not a terminal (tests)
    std::FILE* out = stderr;
  };

  // total == 0: the amount of work is unknown; the bar shows a count only.
  Progress(std::string label, std::uint64_t total, bool enabled);
  Progress(std::string label, std::uint64_t total, bool enabled, Options options);
  ~Progress();  // clears the bar if one is showing
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` units of `total` are complete.
  void update(std::uint64_t done) {
    if (--countdown_ != 0) return;
    check(done);
  }
  // Clears the bar (if shown) so later output starts on a clean line.
  void finish();

  // Whether the bar was ever drawn (it is cleared again by finish()).
  bool shown() const { return shown_; }
  std::uint64_t clock_reads() const { return clock_reads_; }

 private:
  using Clock = std::chrono::steady_clock;
  void check(std::uint64_t done);
  void draw(std::uint64_t done, double elapsed_seconds);

  std::string label_;
  std::uint64_t total_;
  Options options_;
  bool active_;           // enabled and drawing is allowed (terminal or forced)
  bool shown_ = false;    // drawn at least once
  bool visible_ = false;  // on screen now
  std::uint64_t countdown_ = 1;
  std::uint64_t stride_ = 1;
  std::uint64_t clock_reads_ = 0;
  Clock::time_point start_;
  Clock::time_point last_check_;
  Clock::time_point last_draw_;
  std::size_t last_width_ = 0;
};

}  // namespace tessera::cli

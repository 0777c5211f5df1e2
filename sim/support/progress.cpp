#include "sim/support/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace tessera::cli {
namespace {

constexpr double kTargetCheckSeconds = 0.05;  // read the clock about 20 times a second
constexpr double kRedrawSeconds = 0.1;        // redraw at most 10 times a second
constexpr std::uint64_t kMaxStride = std::uint64_t{1} << 24;
constexpr int kBarWidth = 30;

double seconds_between(std::chrono::steady_clock::time_point a,
                       std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

Progress::Progress(std::string label, std::uint64_t total, bool enabled)
    : Progress(std::move(label), total, enabled, Options{}) {}

Progress::Progress(std::string label, std::uint64_t total, bool enabled, Options options)
    : label_(std::move(label)), total_(total), options_(options) {
  active_ = enabled && options_.out != nullptr &&
            (options_.force || ::isatty(::fileno(options_.out)) == 1);
  if (!active_) {
    // Never reach check(): the countdown would take 2^64 calls to expire.
    countdown_ = ~std::uint64_t{0};
    return;
  }
  start_ = last_check_ = last_draw_ = Clock::now();
}

Progress::~Progress() {
  finish();
}

void Progress::check(std::uint64_t done) {
  if (!active_) {
    countdown_ = ~std::uint64_t{0};
    return;
  }
  const Clock::time_point now = Clock::now();
  ++clock_reads_;
  // Adapt the stride so clock reads stay near kTargetCheckSeconds apart.
  const double since_check = seconds_between(last_check_, now);
  if (since_check < kTargetCheckSeconds / 2) {
    stride_ = std::min(stride_ * 2, kMaxStride);
  } else if (since_check > kTargetCheckSeconds * 2 && stride_ > 1) {
    stride_ /= 2;
  }
  last_check_ = now;
  countdown_ = stride_;

  const double elapsed = seconds_between(start_, now);
  if (elapsed < options_.delay_seconds) return;
  if (visible_ && seconds_between(last_draw_, now) < kRedrawSeconds) return;
  last_draw_ = now;
  draw(done, elapsed);
}

void Progress::draw(std::uint64_t done, double elapsed_seconds) {
  std::string line;
  if (total_ > 0) {
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    const int filled = static_cast<int>(fraction * kBarWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');
    std::string eta;
    if (fraction > 0.0 && fraction < 1.0) {
      eta = fmt::format(", {:.0f} s left", elapsed_seconds * (1.0 - fraction) / fraction);
    }
    line = fmt::format("{} [{}] {:5.1f}% ({}/{}, {:.0f} s{})", label_, bar, fraction * 100.0, done,
                       total_, elapsed_seconds, eta);
  } else {
    line = fmt::format("{}: {} done ({:.0f} s)", label_, done, elapsed_seconds);
  }
  // Pad over the previous, possibly longer, line instead of clearing it.
  const std::size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');
  last_width_ = width;
  std::fputc('\r', options_.out);
  std::fputs(line.c_str(), options_.out);
  std::fflush(options_.out);
  shown_ = true;
  visible_ = true;
}

void Progress::finish() {
  if (visible_) {
    std::fputc('\r', options_.out);
    std::fputs(std::string(last_width_, ' ').c_str(), options_.out);
    std::fputc('\r', options_.out);
    std::fflush(options_.out);
    visible_ = false;
  }
  active_ = false;
  countdown_ = ~std::uint64_t{0};
}

}  // namespace tessera::cli

#include "sim/kernel_timing.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace tessera::cli {

double clock_seconds(TimingClock clock) {
  if (clock == TimingClock::kThreadCpu) {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

KernelTiming time_kernel_calls(const std::function<void(int reps)>& run, double budget_s,
                               int batches, TimingClock clock,
                               const std::function<void()>& before_batch) {
  using Clock = std::chrono::steady_clock;
  auto seconds_on_clock = [clock](double t0) { return clock_seconds(clock) - t0; };
  batches = std::max(1, batches);
  run(1);  // warm-up: page faults, the BLAS thread pool, caches
  double t0 = clock_seconds(clock);
  run(1);
  const double one = std::max(1e-8, seconds_on_clock(t0));
  KernelTiming out;
  out.calls_per_batch = std::max(1, static_cast<int>(budget_s / batches / one));
  std::vector<double> per_call;
  const auto until = Clock::now() + std::chrono::duration<double>(budget_s);
  // At least `batches`; more while the budget lasts (a fast kernel gets many).
  while (static_cast<int>(per_call.size()) < batches ||
         (per_call.size() < 4u * static_cast<unsigned>(batches) && Clock::now() < until)) {
    if (before_batch) before_batch();
    t0 = clock_seconds(clock);
    run(out.calls_per_batch);
    per_call.push_back(seconds_on_clock(t0) / out.calls_per_batch);
  }
  out.per_batch_s = per_call;
  std::sort(per_call.begin(), per_call.end());
  out.batches = static_cast<int>(per_call.size());
  out.min_s = per_call.front();
  out.max_s = per_call.back();
  const std::size_t n = per_call.size();
  out.median_s = n % 2 ? per_call[n / 2] : 0.5 * (per_call[n / 2 - 1] + per_call[n / 2]);
  return out;
}

}  // namespace tessera::cli

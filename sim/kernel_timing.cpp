#include "sim/kernel_timing.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace tessera::cli {

KernelTiming time_kernel_calls(const std::function<void(int reps)>& run, double budget_s,
                               int batches) {
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  batches = std::max(1, batches);
  run(1);  // warm-up: page faults, the BLAS thread pool, caches
  auto t0 = Clock::now();
  run(1);
  const double one = std::max(1e-8, seconds(t0));
  KernelTiming out;
  out.calls_per_batch = std::max(1, static_cast<int>(budget_s / batches / one));
  std::vector<double> per_call;
  const auto until = Clock::now() + std::chrono::duration<double>(budget_s);
  // At least `batches`; more while the budget lasts (a fast kernel gets many).
  while (static_cast<int>(per_call.size()) < batches ||
         (per_call.size() < 4u * static_cast<unsigned>(batches) && Clock::now() < until)) {
    t0 = Clock::now();
    run(out.calls_per_batch);
    per_call.push_back(seconds(t0) / out.calls_per_batch);
  }
  std::sort(per_call.begin(), per_call.end());
  out.batches = static_cast<int>(per_call.size());
  out.min_s = per_call.front();
  out.max_s = per_call.back();
  const std::size_t n = per_call.size();
  out.median_s = n % 2 ? per_call[n / 2] : 0.5 * (per_call[n / 2 - 1] + per_call[n / 2]);
  return out;
}

}  // namespace tessera::cli

// Wall-clock timing of a library kernel that is robust to a loaded machine:
// one warm-up call, then several batches of back-to-back calls, each batch
// giving one time per call. The minimum is the figure least disturbed by
// other processes (what STREAM and the Empirical Roofline Toolkit report);
// the median and the spread (median / minimum - 1) say how noisy the run was.
#pragma once

#include <functional>
#include <vector>

namespace tessera::cli {

// Wall-clock is what the targets are about. The calling thread's CPU time is
// a development aid for a loaded machine: it leaves out the time the thread
// waits for a core, so it is only meaningful for single-threaded kernels
// (OPENBLAS_NUM_THREADS=1); callers enforce that.
enum class TimingClock { kWall, kThreadCpu };

// Seconds on `clock` since some fixed point.
double clock_seconds(TimingClock clock);

struct KernelTiming {
  double min_s = 0;     // best time per call
  double median_s = 0;  // median over batches
  double max_s = 0;
  int batches = 0;
  int calls_per_batch = 0;
  std::vector<double> per_batch_s;  // time per call of each batch, in the order run
  double spread() const { return min_s > 0 ? median_s / min_s - 1.0 : 0.0; }
};

// `run(reps)` makes `reps` back-to-back calls. Spends about `budget_s` in all,
// over at least `batches` batches.
// `before_batch`, when given, runs before every timed batch, outside the
// timing (validate-roofline re-measures the roofs there: A B A B ...).
KernelTiming time_kernel_calls(const std::function<void(int reps)>& run, double budget_s,
                               int batches, TimingClock clock = TimingClock::kWall,
                               const std::function<void()>& before_batch = nullptr);

}  // namespace tessera::cli

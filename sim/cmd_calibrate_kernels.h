// The measuring kernels of `tessera calibrate host`, shared with
// `tessera validate-roofline`, which re-measures the roofs between a kernel's
// batches (this VM's speed drifts by tens of percent within minutes): an FMA
// microkernel, the STREAM triad, and a strided-run copy for the per-run
// latency of a BLAS's packing.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "models/core/units.h"
#include "sim/kernel_timing.h"

namespace tessera::cli {

struct FmaKernel {
  const char* isa;
  double flops_per_iter;
  float (*fn)(std::uint64_t);
};

// The widest FMA kernel the CPU runs: AVX-512, AVX2, or scalar.
FmaKernel pick_fma();

// Runs `work(thread)` on `threads` threads released together; returns the
// wall time from release to the last finish (on the thread CPU clock, the
// longest CPU time any thread spent in its work).
double run_parallel(unsigned threads, const std::function<void(unsigned)>& work, TimingClock clock);

// Best FMA FLOP/s on `threads` threads over about `seconds`.
double measure_peak_flops(const FmaKernel& k, unsigned threads, double seconds, TimingClock clock);

// Bytes the triad a = b + s c moves per element: 24 as STREAM counts it, 32
// when the write of a allocates its line first (read-for-ownership).
double triad_bytes_per_element(bool write_allocate);

// Best aggregate triad bandwidth with `bytes_per_thread` working set per thread.
double measure_triad(unsigned threads, Bytes bytes_per_thread, double seconds, TimingClock clock,
                     bool write_allocate);

// Best aggregate bandwidth of a read-only stream (per thread the sum of two
// arrays of `bytes_per_thread` together: the triad's two read streams without
// its store): line fills without write-backs, what a dot product or a GEMV
// asks of DRAM.
double measure_read(unsigned threads, Bytes bytes_per_thread, double seconds, TimingClock clock);

// Extra time per contiguous run when copying short runs (`run_bytes`, one
// every `stride_bytes`) out of a DRAM-sized matrix, over copying the same
// bytes contiguously: the prefetcher's restart on each run. One thread, cold
// data on every pass, best of several.
struct RunLatency {
  double per_run_s = 0;
  double strided_s = 0, contiguous_s = 0;  // best pass times
  std::uint64_t runs = 0;
};
RunLatency measure_run_latency(Bytes matrix_bytes, Bytes run_bytes, Bytes stride_bytes,
                               double seconds, TimingClock clock);

// Short bursts of the FMA kernel, the triad and the read-only stream, for
// measuring the roofs again between the batches of a kernel under test, on
// the clock the kernel is timed on (thread CPU time leaves out the waits
// for a core that a loaded machine adds to a wall-clock probe).
class RoofProbe {
 public:
  // `dram_bytes`: the triad's working set over all threads (well above the
  // LLC); the read-only stream sums two arrays of the same total size.
  RoofProbe(unsigned threads, Bytes dram_bytes, bool write_allocate,
            TimingClock clock = TimingClock::kWall);
  double flops_per_s();       // best of three bursts of ~2 ms per thread
  double dram_bytes_per_s();  // best of two triad passes over the working set
  double read_bytes_per_s();  // best of two read-only passes (as calibrate's)
  unsigned threads() const { return threads_; }

 private:
  unsigned threads_;
  bool write_allocate_;
  TimingClock clock_;
  FmaKernel fma_;
  std::uint64_t fma_iters_ = 0;
  std::size_t elements_ = 0;  // per array per thread
  std::vector<std::unique_ptr<double[]>> arrays_;
  std::size_t read_elements_ = 0;  // per read array per thread (allocated on first use)
  std::vector<std::unique_ptr<double[]>> read_storage_;
  std::vector<const double*> read_arrays_;  // cache-line aligned starts
  double read_sink_ = 0;
};

}  // namespace tessera::cli

#include "sim/cmd_calibrate_kernels.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>

namespace tessera::cli {
namespace {

using Clock = std::chrono::steady_clock;

// ---- FMA microkernels: FLOPs done per call = iters * accumulators * lanes * 2.

__attribute__((target("avx512f"))) float fma_avx512(std::uint64_t iters) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(1.0f + static_cast<float>(i) * 1e-3f);
  const __m512 mul = _mm512_set1_ps(0.999999f), add = _mm512_set1_ps(1e-6f);
  for (std::uint64_t it = 0; it < iters; ++it) {
    // Unrolled, so the accumulators live in registers: without it GCC -O2
    // keeps acc[] on the stack and the loop times store-to-load forwarding
    // (about a third of the FMA rate on this machine), not the FMA units.
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) acc[i] = _mm512_fmadd_ps(acc[i], mul, add);
  }
  __m512 sum = acc[0];
  for (int i = 1; i < 16; ++i) sum = _mm512_add_ps(sum, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, sum);
  return out[0] + out[15];
}

__attribute__((target("avx2,fma"))) float fma_avx2(std::uint64_t iters) {
  __m256 acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(1.0f + static_cast<float>(i) * 1e-3f);
  const __m256 mul = _mm256_set1_ps(0.999999f), add = _mm256_set1_ps(1e-6f);
  for (std::uint64_t it = 0; it < iters; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], mul, add);
  }
  float out[8];
  __m256 sum = acc[0];
  for (int i = 1; i < 12; ++i) sum = _mm256_add_ps(sum, acc[i]);
  _mm256_storeu_ps(out, sum);
  return out[0] + out[7];
}

float fma_scalar(std::uint64_t iters) {
  float acc[8];
  for (int i = 0; i < 8; ++i) acc[i] = 1.0f + static_cast<float>(i) * 1e-3f;
  for (std::uint64_t it = 0; it < iters; ++it) {
#pragma GCC unroll 8
    for (float& a : acc) a = a * 0.999999f + 1e-6f;
  }
  return acc[0] + acc[7];
}

// ---- STREAM triad: a = b + s * c.

__attribute__((target("avx512f"))) void triad_avx512(double* a, const double* b, const double* c,
                                                     std::size_t n, double s) {
  const __m512d vs = _mm512_set1_pd(s);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm512_storeu_pd(a + i, _mm512_fmadd_pd(vs, _mm512_loadu_pd(c + i), _mm512_loadu_pd(b + i)));
  }
  for (; i < n; ++i) a[i] = b[i] + s * c[i];
}

void triad_plain(double* a, const double* b, const double* c, std::size_t n, double s) {
  for (std::size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
}

void triad(double* a, const double* b, const double* c, std::size_t n) {
  if (__builtin_cpu_supports("avx512f"))
    triad_avx512(a, b, c, n, 3.0);
  else
    triad_plain(a, b, c, n, 3.0);
}

// ---- Read-only stream: the sum of two arrays, x + y, element by element:
// the triad's two read streams without its store (what sdot does to DRAM:
// line fills and no write-backs). Four accumulators, so the adds never limit
// it.

__attribute__((target("avx512f"))) double read_sum_avx512(const double* x, const double* y,
                                                          std::size_t n) {
  __m512d s0 = _mm512_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    s0 = _mm512_add_pd(s0, _mm512_loadu_pd(x + i));
    s1 = _mm512_add_pd(s1, _mm512_loadu_pd(y + i));
    s2 = _mm512_add_pd(s2, _mm512_loadu_pd(x + i + 8));
    s3 = _mm512_add_pd(s3, _mm512_loadu_pd(y + i + 8));
  }
  double tail = 0;
  for (; i < n; ++i) tail += x[i] + y[i];
  double lanes[8];
  _mm512_storeu_pd(lanes, _mm512_add_pd(_mm512_add_pd(s0, s1), _mm512_add_pd(s2, s3)));
  for (double v : lanes) tail += v;
  return tail;
}

double read_sum_plain(const double* x, const double* y, std::size_t n) {
  double s[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    s[0] += x[i];
    s[1] += y[i];
    s[2] += x[i + 1];
    s[3] += y[i + 1];
  }
  for (; i < n; ++i) s[0] += x[i] + y[i];
  return s[0] + s[1] + s[2] + s[3];
}

double read_sum(const double* x, const double* y, std::size_t n) {
  return __builtin_cpu_supports("avx512f") ? read_sum_avx512(x, y, n) : read_sum_plain(x, y, n);
}

volatile float g_sink = 0;

// Sizes one FMA run to about `seconds` from a single-thread probe.
std::uint64_t fma_iters_for(const FmaKernel& k, double seconds) {
  std::uint64_t iters = 1 << 12;
  for (;;) {
    const auto t0 = Clock::now();
    g_sink = g_sink + k.fn(iters);
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    if (dt > 2e-3 || iters > (1ull << 36)) {
      return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(iters * seconds / dt));
    }
    iters *= 4;
  }
}

double fma_run(const FmaKernel& k, unsigned threads, std::uint64_t iters, TimingClock clock) {
  std::vector<float> sinks(threads);
  const double dt = run_parallel(
      threads, [&](unsigned t) { sinks[t] = k.fn(iters); }, clock);
  for (float s : sinks) g_sink = g_sink + s;
  return static_cast<double>(iters) * k.flops_per_iter * threads / dt;
}

std::vector<std::unique_ptr<double[]>> triad_arrays(unsigned threads, std::size_t n) {
  std::vector<std::unique_ptr<double[]>> arrays(3 * threads);
  // First touch by the owning thread (NUMA placement, as STREAM's OpenMP init).
  run_parallel(
      threads,
      [&](unsigned t) {
        for (int j = 0; j < 3; ++j) {
          arrays[3 * t + j] = std::make_unique<double[]>(n);
          for (std::size_t i = 0; i < n; ++i) arrays[3 * t + j][i] = 1.0 + j;
        }
      },
      TimingClock::kWall);
  return arrays;
}

double triad_run(std::vector<std::unique_ptr<double[]>>& arrays, unsigned threads, std::size_t n,
                 int reps, TimingClock clock, bool write_allocate) {
  const double dt = run_parallel(
      threads,
      [&](unsigned t) {
        for (int r = 0; r < reps; ++r) {
          triad(arrays[3 * t].get(), arrays[3 * t + 1].get(), arrays[3 * t + 2].get(), n);
        }
      },
      clock);
  return triad_bytes_per_element(write_allocate) * static_cast<double>(n) * reps * threads / dt;
}

}  // namespace

FmaKernel pick_fma() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return {"AVX-512 FMA, 16 accumulators", 16 * 16 * 2, fma_avx512};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return {"AVX2 FMA, 12 accumulators", 12 * 8 * 2, fma_avx2};
  }
  return {"scalar multiply-add, 8 accumulators", 8 * 2, fma_scalar};
}

double run_parallel(unsigned threads, const std::function<void(unsigned)>& work,
                    TimingClock clock) {
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  std::vector<double> cpu_s(threads, 0.0);
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) {
      }
      const double t0 = clock_seconds(TimingClock::kThreadCpu);
      work(t);
      cpu_s[t] = clock_seconds(TimingClock::kThreadCpu) - t0;
    });
  }
  while (ready.load() < threads) {
  }
  const auto start = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& th : pool) th.join();
  if (clock == TimingClock::kThreadCpu) return *std::max_element(cpu_s.begin(), cpu_s.end());
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double measure_peak_flops(const FmaKernel& k, unsigned threads, double seconds, TimingClock clock) {
  const std::uint64_t iters = fma_iters_for(k, seconds / 5);
  double best = 0;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  for (int rep = 0; rep < 5 || (rep < 50 && Clock::now() < until); ++rep) {
    best = std::max(best, fma_run(k, threads, iters, clock));
    if (Clock::now() > until && rep >= 2) break;
  }
  return best;
}

double triad_bytes_per_element(bool write_allocate) {
  // b and c read, a written (8 B each); with write-allocate a's line is read
  // first: 8 B more (McCalpin's STREAM FAQ counts 24 and notes the 32).
  return write_allocate ? 32.0 : 24.0;
}

double measure_triad(unsigned threads, Bytes bytes_per_thread, double seconds, TimingClock clock,
                     bool write_allocate) {
  const std::size_t n = std::max<std::size_t>(64, bytes_per_thread / 24);
  auto arrays = triad_arrays(threads, n);
  // Repeat small working sets so one timed run lasts ~ seconds / 10.
  const auto t0 = Clock::now();
  triad(arrays[0].get(), arrays[1].get(), arrays[2].get(), n);
  const double one = std::max(1e-7, std::chrono::duration<double>(Clock::now() - t0).count());
  const int reps = std::max(1, static_cast<int>(seconds / 10 / one));
  double best = 0;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  for (int run = 0; run < 3 || (run < 100 && Clock::now() < until); ++run) {
    best = std::max(best, triad_run(arrays, threads, n, reps, clock, write_allocate));
  }
  return best;
}

double measure_read(unsigned threads, Bytes bytes_per_thread, double seconds, TimingClock clock) {
  const std::size_t n = std::max<std::size_t>(64, bytes_per_thread / 16);
  // Two arrays per thread, first-touched by it (as the triad's), each starting
  // on a cache line: a 64-byte load straddling two lines cut this stream's
  // bandwidth by a quarter here (26 against 35 GB/s on one thread).
  std::vector<std::unique_ptr<double[]>> storage(2 * threads);
  std::vector<const double*> arrays(2 * threads);
  run_parallel(
      threads,
      [&](unsigned t) {
        for (unsigned j = 0; j < 2; ++j) {
          storage[2 * t + j] = std::make_unique<double[]>(n + 8);
          double* p = storage[2 * t + j].get();
          const auto misalign = reinterpret_cast<std::uintptr_t>(p) % 64;
          if (misalign != 0) p += (64 - misalign) / sizeof(double);
          for (std::size_t i = 0; i < n; ++i) p[i] = 1.0 + j;
          arrays[2 * t + j] = p;
        }
      },
      TimingClock::kWall);
  std::vector<double> sums(threads, 0.0);
  double best = 0;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  for (int run = 0; run < 3 || (run < 100 && Clock::now() < until); ++run) {
    const double dt = run_parallel(
        threads, [&](unsigned t) { sums[t] += read_sum(arrays[2 * t], arrays[2 * t + 1], n); },
        clock);
    best = std::max(best, 16.0 * static_cast<double>(n) * threads / dt);
  }
  for (double v : sums) g_sink = g_sink + static_cast<float>(v);
  return best;
}

RunLatency measure_run_latency(Bytes matrix_bytes, Bytes run_bytes, Bytes stride_bytes,
                               double seconds, TimingClock clock) {
  RunLatency out;
  const std::size_t rows = matrix_bytes / stride_bytes;
  out.runs = rows;
  const std::size_t copied = rows * run_bytes;
  // Two matrices: the strided passes read one, the contiguous passes the
  // other, each pass a part no earlier pass touched (cold, from DRAM).
  auto strided = std::make_unique<char[]>(matrix_bytes);
  auto contiguous = std::make_unique<char[]>(matrix_bytes);
  auto dest = std::make_unique<char[]>(copied);
  std::memset(strided.get(), 1, matrix_bytes);
  std::memset(contiguous.get(), 2, matrix_bytes);
  std::memset(dest.get(), 0, copied);
  const std::size_t slots = std::max<std::size_t>(1, stride_bytes / run_bytes);
  double best_strided = 1e30, best_contiguous = 1e30;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  for (std::size_t pass = 0; pass < slots && (pass < 3 || Clock::now() < until); ++pass) {
    // Slots in a scattered order: a run's neighbour, which the prefetcher may
    // have fetched, is not the next pass's.
    const std::size_t offset = (pass * 13 % slots) * run_bytes;
    double t0 = clock_seconds(clock);
    for (std::size_t r = 0; r < rows; ++r) {
      std::memcpy(dest.get() + r * run_bytes, strided.get() + r * stride_bytes + offset, run_bytes);
    }
    best_strided = std::min(best_strided, clock_seconds(clock) - t0);
    const std::size_t start = (pass % (matrix_bytes / copied)) * copied;
    t0 = clock_seconds(clock);
    std::memcpy(dest.get(), contiguous.get() + start, copied);
    best_contiguous = std::min(best_contiguous, clock_seconds(clock) - t0);
    g_sink = g_sink + static_cast<float>(dest[pass % copied]);
  }
  out.strided_s = best_strided;
  out.contiguous_s = best_contiguous;
  out.per_run_s = std::max(0.0, (best_strided - best_contiguous) / static_cast<double>(rows));
  return out;
}

RoofProbe::RoofProbe(unsigned threads, Bytes dram_bytes, bool write_allocate, TimingClock clock)
    : threads_(std::max(1u, threads)),
      write_allocate_(write_allocate),
      clock_(clock),
      fma_(pick_fma()) {
  fma_iters_ = fma_iters_for(fma_, 2e-3);
  elements_ = std::max<std::size_t>(64, dram_bytes / threads_ / 24);
  arrays_ = triad_arrays(threads_, elements_);
  read_elements_ = std::max<std::size_t>(64, dram_bytes / threads_ / 16);
}

// Best of a few runs, as calibrate takes the best of many: a single run would
// sit systematically below the file's figure.
double RoofProbe::flops_per_s() {
  double best = 0;
  for (int i = 0; i < 3; ++i) {
    best = std::max(best, fma_run(fma_, threads_, fma_iters_, clock_));
  }
  return best;
}

double RoofProbe::dram_bytes_per_s() {
  double best = 0;
  for (int i = 0; i < 2; ++i) {
    best = std::max(best, triad_run(arrays_, threads_, elements_, 1, clock_, write_allocate_));
  }
  return best;
}

double RoofProbe::read_bytes_per_s() {
  if (read_arrays_.empty()) {
    // As measure_read's: two arrays per thread, first-touched by it, each
    // starting on a cache line.
    read_storage_.resize(2 * threads_);
    read_arrays_.resize(2 * threads_);
    run_parallel(
        threads_,
        [&](unsigned t) {
          for (unsigned j = 0; j < 2; ++j) {
            read_storage_[2 * t + j] = std::make_unique<double[]>(read_elements_ + 8);
            double* p = read_storage_[2 * t + j].get();
            const auto misalign = reinterpret_cast<std::uintptr_t>(p) % 64;
            if (misalign != 0) p += (64 - misalign) / sizeof(double);
            for (std::size_t i = 0; i < read_elements_; ++i) p[i] = 1.0 + j;
            read_arrays_[2 * t + j] = p;
          }
        },
        TimingClock::kWall);
  }
  std::vector<double> sums(threads_, 0.0);
  double best = 0;
  for (int i = 0; i < 2; ++i) {
    const double dt = run_parallel(
        threads_,
        [&](unsigned t) {
          sums[t] += read_sum(read_arrays_[2 * t], read_arrays_[2 * t + 1], read_elements_);
        },
        clock_);
    best = std::max(best, 16.0 * static_cast<double>(read_elements_) * threads_ / dt);
  }
  for (double v : sums) read_sink_ += v;
  g_sink = g_sink + static_cast<float>(read_sink_ * 1e-30);
  return best;
}

}  // namespace tessera::cli

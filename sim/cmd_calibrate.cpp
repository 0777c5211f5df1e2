// `tessera calibrate host -o platforms/devices/host.yaml`: measures this
// machine the way the Empirical Roofline Toolkit does (Lo et al., "Roofline
// Model Toolkit: A Practical Tool for Architectural and Program Analysis",
// PMBS 2014): peak FP32 FLOP/s from an FMA microkernel with independent
// accumulators on every hardware thread, and bandwidth from the STREAM triad
// (McCalpin, "Memory Bandwidth and Machine Balance", IEEE TCCA 1995) at
// working sets sized for each cache level and for DRAM, on all threads and,
// for DRAM, on one thread (the bandwidth a single-threaded kernel gets). Best
// of several runs. When the binary links a BLAS (sim/blas_probe.h) it also
// times one sgemm calibration shape, distinct from every shape
// validate-roofline checks, and a 1x1x1 call: the GEMM efficiency (achieved /
// peak with packing and call overhead taken out, as the estimator models
// them) and the per-call overhead. Writes a device file (atomically) that the
// roofline estimator reads.
#include <fmt/format.h>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "models/config/device_config.h"
#include "models/config/node.h"
#include "models/config/tree.h"
#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "models/roofline/estimator.h"
#include "sim/blas_probe.h"
#include "sim/command.h"

namespace tessera::cli {
namespace {
// Constant-initialised, so the probe's start-up registration may come first.
const BlasProbe* g_blas_probe = nullptr;
}  // namespace

const BlasProbe* blas_probe() {
  return g_blas_probe;
}
void register_blas_probe(const BlasProbe* probe) {
  g_blas_probe = probe;
}

namespace {

using Clock = std::chrono::steady_clock;

struct CalibrateOptions {
  std::string output;
  double seconds = 3.0;  // total measuring time (split across the measurements)
  unsigned threads = 0;  // 0: all hardware threads
  std::string dram_size = "768MiB";
  std::string name = "host";
  // The one GEMM shape the efficiency is measured on. It must stay out of
  // validate-roofline's list (sim/cmd_validate_roofline.cpp), or the check
  // would grade the calibration against itself.
  std::string gemm_shape = "1280,1280,1280";
  std::string clock = "wall";  // or "cpu": thread CPU time, one thread only
};

struct Shape {
  std::uint64_t m = 0, n = 0, k = 0;
};

Shape parse_gemm_shape(const std::string& text) {
  Shape s;
  char tail = 0;
  unsigned long long m = 0, n = 0, k = 0;
  if (std::sscanf(text.c_str(), "%llu,%llu,%llu%c", &m, &n, &k, &tail) != 3 || m == 0 || n == 0 ||
      k == 0 || m > 65536 || n > 65536 || k > 65536) {
    throw InputError(fmt::format(
        "--gemm-shape: expected M,N,K with each from 1 to 65536 (e.g. 1280,1280,1280), found '{}'",
        text));
  }
  s.m = m;
  s.n = n;
  s.k = k;
  return s;
}

// ---- FMA microkernels: FLOPs done per call = iters * accumulators * lanes * 2.

__attribute__((target("avx512f"))) float fma_avx512(std::uint64_t iters) {
  __m512 acc[16];
  for (int i = 0; i < 16; ++i) acc[i] = _mm512_set1_ps(1.0f + static_cast<float>(i) * 1e-3f);
  const __m512 mul = _mm512_set1_ps(0.999999f), add = _mm512_set1_ps(1e-6f);
  for (std::uint64_t it = 0; it < iters; ++it) {
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
    for (float& a : acc) a = a * 0.999999f + 1e-6f;
  }
  return acc[0] + acc[7];
}

struct FmaKernel {
  const char* isa;
  double flops_per_iter;
  float (*fn)(std::uint64_t);
};

FmaKernel pick_fma() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return {"AVX-512 FMA, 16 accumulators", 16 * 16 * 2, fma_avx512};
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    return {"AVX2 FMA, 12 accumulators", 12 * 8 * 2, fma_avx2};
  }
  return {"scalar multiply-add, 8 accumulators", 8 * 2, fma_scalar};
}

// Runs `work(thread)` on `threads` threads released together; returns the
// wall time from release to the last finish (or, on the thread CPU clock, the
// longest CPU time any thread spent in its work).
template <class Work>
double run_parallel(unsigned threads, Work work, TimingClock clock) {
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

volatile float g_sink = 0;

double measure_peak_flops(const FmaKernel& k, unsigned threads, double seconds, TimingClock clock) {
  // Size one run to ~1/5 of the budget from a single-thread probe.
  std::uint64_t iters = 1 << 12;
  for (;;) {
    const auto t0 = Clock::now();
    g_sink = g_sink + k.fn(iters);
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    if (dt > 2e-3 || iters > (1ull << 36)) {
      iters = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(iters * (seconds / 5) / dt));
      break;
    }
    iters *= 4;
  }
  double best = 0;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  for (int rep = 0; rep < 5 || (rep < 50 && Clock::now() < until); ++rep) {
    std::vector<float> sinks(threads);
    const double dt = run_parallel(
        threads, [&](unsigned t) { sinks[t] = k.fn(iters); }, clock);
    for (float s : sinks) g_sink = g_sink + s;
    best = std::max(best, static_cast<double>(iters) * k.flops_per_iter * threads / dt);
    if (Clock::now() > until && rep >= 2) break;
  }
  return best;
}

// ---- STREAM triad: a = b + s * c, 24 bytes per element (reads of b and c,
// the write of a; write-allocate traffic not counted, as STREAM does).

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

// Aggregate triad bandwidth with `bytes_per_thread` working set per thread.
double measure_triad(unsigned threads, Bytes bytes_per_thread, double seconds, TimingClock clock) {
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const std::size_t n = std::max<std::size_t>(64, bytes_per_thread / 24);
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
      clock);
  auto pass = [&](unsigned t, int reps) {
    double* a = arrays[3 * t].get();
    const double* b = arrays[3 * t + 1].get();
    const double* c = arrays[3 * t + 2].get();
    for (int r = 0; r < reps; ++r) {
      if (avx512)
        triad_avx512(a, b, c, n, 3.0);
      else
        triad_plain(a, b, c, n, 3.0);
    }
  };
  // Repeat small working sets so one timed run lasts ~ seconds / 10.
  const auto t0 = Clock::now();
  pass(0, 1);
  const double one = std::max(1e-7, std::chrono::duration<double>(Clock::now() - t0).count());
  const int reps = std::max(1, static_cast<int>(seconds / 10 / one));
  double best = 0;
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  for (int run = 0; run < 3 || (run < 100 && Clock::now() < until); ++run) {
    const double dt = run_parallel(
        threads, [&](unsigned t) { pass(t, reps); }, clock);
    best = std::max(best, 24.0 * static_cast<double>(n) * reps * threads / dt);
  }
  return best;
}

struct CacheInfo {
  int level = 0;
  Bytes size_bytes = 0;
  unsigned shared_by = 1;  // hardware threads sharing one instance
};

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

unsigned count_cpu_list(const std::string& list) {
  unsigned count = 0;
  std::size_t start = 0;
  while (start < list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string part = list.substr(start, comma - start);
    const auto dash = part.find('-');
    if (dash == std::string::npos)
      ++count;
    else
      count += std::stoul(part.substr(dash + 1)) - std::stoul(part.substr(0, dash)) + 1;
    start = comma + 1;
  }
  return std::max(1u, count);
}

// Data and unified caches of cpu0 from sysfs, innermost first.
std::vector<CacheInfo> host_caches() {
  std::vector<CacheInfo> out;
  for (int i = 0; i < 8; ++i) {
    const std::string dir = fmt::format("/sys/devices/system/cpu/cpu0/cache/index{}/", i);
    const std::string type = read_line(dir + "type");
    if (type.empty()) break;
    if (type == "Instruction") continue;
    CacheInfo c;
    c.level = std::atoi(read_line(dir + "level").c_str());
    const auto bytes = parse_bytes(read_line(dir + "size") + "iB");  // "48K" -> "48KiB"
    if (!bytes || c.level <= 0) continue;
    c.size_bytes = *bytes;
    c.shared_by = count_cpu_list(read_line(dir + "shared_cpu_list"));
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(),
            [](const CacheInfo& a, const CacheInfo& b) { return a.level < b.level; });
  return out;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

std::string gbps(double v) {
  return fmt::format("{:.2f}GB/s", v / 1e9);
}

// What the BLAS probe measured (absent: the binary has no BLAS).
struct BlasFigures {
  bool measured = false;
  std::string library;
  Shape shape;
  unsigned threads = 1;
  double gemm_s = 0;  // best time per call of the calibration shape
  double gemm_spread = 0;
  double call_s = 0;  // best time of a 1x1x1 call: the per-call overhead
};

BlasFigures measure_blas(const Shape& shape, double seconds, TimingClock clock, bool quiet) {
  BlasFigures b;
  const BlasProbe* probe = blas_probe();
  if (probe == nullptr) return b;
  b.measured = true;
  b.library = probe->describe();
  b.shape = shape;
  b.threads = probe->sgemm_threads(shape.m, shape.n, shape.k);
  if (!quiet) {
    fmt::print(stderr, "calibrate: {}: sgemm {}x{}x{} ({} threads), 1x1x1...\n", b.library, shape.m,
               shape.n, shape.k, b.threads);
  }
  if (clock == TimingClock::kThreadCpu && b.threads > 1) {
    throw InputError(fmt::format(
        "--clock cpu: expected the BLAS on one thread (OPENBLAS_NUM_THREADS=1), found {} threads "
        "for the calibration sgemm",
        b.threads));
  }
  const KernelTiming gemm = probe->time_sgemm(shape.m, shape.n, shape.k, 0.8 * seconds, 7, clock);
  b.gemm_s = gemm.min_s;
  b.gemm_spread = gemm.spread();
  b.call_s = probe->time_sgemm(1, 1, 1, 0.2 * seconds, 7, clock).min_s;
  return b;
}

// The efficiency that makes the estimator reproduce the calibration shape:
// the compute time at the full peak over the measured time less the packing
// and call overhead the estimator adds itself.
double calibrated_efficiency(const std::string& yaml, const std::string& origin,
                             const BlasFigures& b) {
  const config::ValuePtr root = config::parse_tree(yaml, origin);
  const config::DeviceConfig d = config::parse_device(config::Node(*root), "host");
  roofline::OpSpec op =
      roofline::OpSpec::gemm(b.shape.m, b.shape.n, b.shape.k, config::Dtype::kFp32);
  op.units = std::min<std::uint64_t>(b.threads, d.compute_units);
  const roofline::Estimate e = roofline::estimate(op, d);  // at efficiency 1
  const double kernel_s = b.gemm_s - e.pack_s - e.launch_s;
  if (!(kernel_s > 0)) return 1.0;
  return std::clamp(e.compute_s / kernel_s, 0.01, 1.0);
}

int run_calibrate(const CalibrateOptions& o, const GlobalOptions& g) {
  if (!(o.seconds > 0)) {
    throw InputError(fmt::format("--seconds: expected a duration above 0, found {}", o.seconds));
  }
  const auto dram_bytes = parse_bytes(o.dram_size);
  if (!dram_bytes || *dram_bytes < 3 * kKiB) {
    throw InputError(fmt::format(
        "--dram-size: expected a size such as 768MiB (at least 3 KiB), found '{}'", o.dram_size));
  }
  const Shape gemm_shape = parse_gemm_shape(o.gemm_shape);
  const unsigned threads =
      o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  TimingClock clock = TimingClock::kWall;
  if (o.clock == "cpu") {
    if (threads != 1) {
      throw InputError(fmt::format(
          "--clock cpu: expected --threads 1 (thread CPU time is a one-thread measure), found {}",
          threads));
    }
    clock = TimingClock::kThreadCpu;
  } else if (o.clock != "wall") {
    throw InputError(fmt::format("--clock: expected wall or cpu, found '{}'", o.clock));
  }
  const FmaKernel kernel = pick_fma();
  const auto caches = host_caches();
  // FMA, each cache level, DRAM on all threads, DRAM on one, the BLAS.
  const double slice = o.seconds / static_cast<double>(caches.size() + 4);
  if (!g.quiet)
    fmt::print(stderr, "calibrate: peak FP32 ({}) on {} threads...\n", kernel.isa, threads);
  const double peak = measure_peak_flops(kernel, threads, slice, clock);
  if (!g.quiet) fmt::print(stderr, "calibrate: {:.2f} GFLOP/s\n", peak / 1e9);

  std::string cache_yaml;
  for (const auto& c : caches) {
    const bool per_unit = c.shared_by < threads;
    const Bytes working = per_unit ? c.size_bytes / 2 : c.size_bytes / 2 / threads;
    if (!g.quiet) {
      fmt::print(stderr, "calibrate: L{} triad, {} per thread...\n", c.level,
                 format_bytes(working));
    }
    const double bw = measure_triad(threads, working, slice, clock);
    cache_yaml += fmt::format(
        "  - name: l{}\n    size: {}\n    per_unit: {}\n    bandwidth: {}   # measured\n", c.level,
        format_bytes(c.size_bytes).erase(format_bytes(c.size_bytes).find(' '), 1),
        per_unit ? "true" : "false", gbps(bw));
  }
  if (!g.quiet)
    fmt::print(stderr, "calibrate: DRAM triad, {} in all...\n", format_bytes(*dram_bytes));
  const double dram_bw = measure_triad(threads, *dram_bytes / threads, slice, clock);
  if (!g.quiet) fmt::print(stderr, "calibrate: DRAM triad on one thread...\n");
  const double dram_bw_one = threads > 1 ? measure_triad(1, *dram_bytes, slice, clock) : dram_bw;
  const BlasFigures blas = measure_blas(gemm_shape, slice, clock, g.quiet);

  // The file, with the GEMM efficiency still to fill in.
  auto device_yaml = [&](double efficiency) {
    std::string yaml;
    yaml += fmt::format("# {} measured by `tessera calibrate host` ({} threads).\n", cpu_model(),
                        threads);
    yaml +=
        "# Method: the Empirical Roofline Toolkit's (Lo et al., PMBS 2014). Peak FP32: an FMA\n";
    yaml += fmt::format("# microkernel ({}) on every thread, best of several runs.\n", kernel.isa);
    yaml += "# Bandwidth: STREAM triad (McCalpin 1995), 24 B per element, best of several runs,\n";
    yaml +=
        "# with a working set of half of each cache level per thread, then --dram-size for DRAM\n";
    yaml += "# (on all threads, and on one for memory.bandwidth_per_unit).\n";
    yaml += "# Cache sizes: /sys/devices/system/cpu/cpu0/cache. Energy: not measured (absent).\n";
    if (clock == TimingClock::kThreadCpu) {
      yaml += "# Timed on the thread CPU clock (--clock cpu): a one-thread development aid.\n";
    }
    if (blas.measured) {
      yaml += fmt::format("# BLAS: {}.\n", blas.library);
      yaml += fmt::format(
          "# gemm.efficiency: sgemm {}x{}x{} on {} threads, best {:.6g} s per call (median {:.1f}% "
          "slower),\n",
          blas.shape.m, blas.shape.n, blas.shape.k, blas.threads, blas.gemm_s,
          blas.gemm_spread * 100);
      yaml +=
          "# less the estimator's packing and call overhead, over the time at the FMA peak. The\n"
          "# calibration shape is none of validate-roofline's.\n";
    }
    yaml += fmt::format("name: {}\n", o.name);
    yaml += fmt::format("description: \"{} ({} threads, measured)\"\n", cpu_model(), threads);
    yaml += fmt::format("compute_units: {}            # hardware threads used\n", threads);
    yaml += "# One thread's share of C: BLAS libraries split the output across threads in\n";
    yaml += "# blocks of whole register tiles (OpenBLAS sgemm kernels: 16 x 4 ... 32 x 6).\n";
    yaml += "tiles: [[16, 4]]\n";
    if (blas.measured) {
      yaml += fmt::format(
          "launch_overhead: {}ns        # measured: best 1x1x1 sgemm call (the library's "
          "per-call cost)\n",
          std::max<long long>(1, std::llround(blas.call_s * 1e9)));
    } else {
      yaml += "launch_overhead: 1us        # not measured (no BLAS linked): a library call\n";
    }
    yaml += "peak:\n";
    yaml += fmt::format("  fp32: {:.4g}   # measured\n", peak);
    yaml += fmt::format("vector_peak: {:.4g}   # measured (the same FMA units)\n", peak);
    yaml += "gemm:\n";
    if (blas.measured) {
      yaml += fmt::format("  efficiency: {:.4f}   # measured (see above)\n", efficiency);
    } else {
      yaml += "  efficiency: 1.0   # not measured: no BLAS linked\n";
    }
    yaml += "  packs_operands: true   # CPU BLAS libraries pack A and B (GotoBLAS, BLIS)\n";
    yaml += "memory:\n";
    yaml += fmt::format("  bandwidth: {}   # measured, STREAM triad over {}\n", gbps(dram_bw),
                        format_bytes(*dram_bytes));
    yaml += fmt::format("  bandwidth_per_unit: {}   # measured, the same on one thread\n",
                        gbps(dram_bw_one));
    if (!caches.empty()) yaml += "caches:\n" + cache_yaml;
    return yaml;
  };
  const double efficiency =
      blas.measured ? calibrated_efficiency(device_yaml(1.0), o.output, blas) : 1.0;
  const std::string yaml = device_yaml(efficiency);
  // The file must be a valid device before it replaces anything.
  const std::string check_path = o.output + ".check.yaml";
  write_file_atomically(check_path, yaml);
  try {
    config::load_device(check_path);
  } catch (...) {
    std::filesystem::remove(check_path);
    throw;
  }
  std::filesystem::remove(check_path);
  write_file_atomically(o.output, yaml);
  if (!g.quiet) {
    fmt::print(
        "{}: peak {:.2f} GFLOP/s FP32, DRAM {:.2f} GB/s ({:.2f} GB/s on one thread), ridge {:.2f} "
        "FLOP/B",
        o.output, peak / 1e9, dram_bw / 1e9, dram_bw_one / 1e9, peak / dram_bw);
    if (blas.measured) {
      fmt::print(", GEMM efficiency {:.3f}, call overhead {:.3g} us", efficiency,
                 blas.call_s * 1e6);
    }
    fmt::print("\n");
  }
  return 0;
}

const GroupRegistrar group("calibrate", "measure a machine and write its roofline device file");

const CommandRegistrar registrar(
    {"calibrate", "host"}, "measure this CPU's peak FP32 FLOP/s and bandwidths (ERT method)",
    [](CLI::App& app) -> CommandAction {
      auto o = std::make_shared<CalibrateOptions>();
      app.add_option("-o,--output", o->output,
                     "device file to write (e.g. platforms/devices/host.yaml)")
          ->required();
      app.add_option("--seconds", o->seconds, "total measuring time")->capture_default_str();
      app.add_option("--threads", o->threads, "threads to use (0: all hardware threads)")
          ->capture_default_str();
      app.add_option("--dram-size", o->dram_size,
                     "triad working set for DRAM, all threads together (well above the LLC)")
          ->capture_default_str();
      app.add_option("--name", o->name, "device name written into the file")->capture_default_str();
      app.add_option("--clock", o->clock,
                     "wall, or cpu: thread CPU time (with --threads 1 and OPENBLAS_NUM_THREADS=1, "
                     "to check the one-thread model on a loaded machine)")
          ->capture_default_str();
      app.add_option("--gemm-shape", o->gemm_shape,
                     "M,N,K of the one sgemm the GEMM efficiency is measured on (keep it out of "
                     "validate-roofline's shapes)")
          ->capture_default_str();
      return [o](const GlobalOptions& g) { return run_calibrate(*o, g); };
    });

}  // namespace
}  // namespace tessera::cli

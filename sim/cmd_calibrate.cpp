// `tessera calibrate host -o platforms/devices/host.yaml`: measures this
// machine the way the Empirical Roofline Toolkit does (Lo et al., "Roofline
// Model Toolkit: A Practical Tool for Architectural and Program Analysis",
// PMBS 2014): peak FP32 FLOP/s from an FMA microkernel with independent
// accumulators on every hardware thread, and bandwidth from the STREAM triad
// (McCalpin, "Memory Bandwidth and Machine Balance", IEEE TCCA 1995) at
// working sets sized for each cache level and for DRAM. Best of several runs.
// Writes a device file (atomically) that the roofline estimator reads.
#include <fmt/format.h>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "models/config/device_config.h"
#include "models/core/atomic_file.h"
#include "models/core/error.h"
#include "sim/command.h"

namespace tessera::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct CalibrateOptions {
  std::string output;
  double seconds = 3.0;  // total measuring time (split across the measurements)
  unsigned threads = 0;  // 0: all hardware threads
  std::string dram_size = "768MiB";
  std::string name = "host";
};

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
// wall time from release to the last finish.
template <class Work>
double run_parallel(unsigned threads, Work work) {
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) {
      }
      work(t);
    });
  }
  while (ready.load() < threads) {
  }
  const auto start = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& th : pool) th.join();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

volatile float g_sink = 0;

double measure_peak_flops(const FmaKernel& k, unsigned threads, double seconds) {
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
    const double dt = run_parallel(threads, [&](unsigned t) { sinks[t] = k.fn(iters); });
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
double measure_triad(unsigned threads, Bytes bytes_per_thread, double seconds) {
  const bool avx512 = __builtin_cpu_supports("avx512f");
  const std::size_t n = std::max<std::size_t>(64, bytes_per_thread / 24);
  std::vector<std::unique_ptr<double[]>> arrays(3 * threads);
  // First touch by the owning thread (NUMA placement, as STREAM's OpenMP init).
  run_parallel(threads, [&](unsigned t) {
    for (int j = 0; j < 3; ++j) {
      arrays[3 * t + j] = std::make_unique<double[]>(n);
      for (std::size_t i = 0; i < n; ++i) arrays[3 * t + j][i] = 1.0 + j;
    }
  });
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
    const double dt = run_parallel(threads, [&](unsigned t) { pass(t, reps); });
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

int run_calibrate(const CalibrateOptions& o, const GlobalOptions& g) {
  if (!(o.seconds > 0)) {
    throw InputError(fmt::format("--seconds: expected a duration above 0, found {}", o.seconds));
  }
  const auto dram_bytes = parse_bytes(o.dram_size);
  if (!dram_bytes || *dram_bytes < 3 * kKiB) {
    throw InputError(fmt::format(
        "--dram-size: expected a size such as 768MiB (at least 3 KiB), found '{}'", o.dram_size));
  }
  const unsigned threads =
      o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  const FmaKernel kernel = pick_fma();
  const auto caches = host_caches();
  const double slice = o.seconds / static_cast<double>(caches.size() + 2);
  if (!g.quiet)
    fmt::print(stderr, "calibrate: peak FP32 ({}) on {} threads...\n", kernel.isa, threads);
  const double peak = measure_peak_flops(kernel, threads, slice);
  if (!g.quiet) fmt::print(stderr, "calibrate: {:.2f} GFLOP/s\n", peak / 1e9);

  std::string yaml;
  yaml += fmt::format("# {} measured by `tessera calibrate host` ({} threads).\n", cpu_model(),
                      threads);
  yaml += "# Method: the Empirical Roofline Toolkit's (Lo et al., PMBS 2014). Peak FP32: an FMA\n";
  yaml += fmt::format("# microkernel ({}) on every thread, best of several runs.\n", kernel.isa);
  yaml += "# Bandwidth: STREAM triad (McCalpin 1995), 24 B per element, best of several runs,\n";
  yaml +=
      "# with a working set of half of each cache level per thread, then --dram-size for DRAM.\n";
  yaml += "# Cache sizes: /sys/devices/system/cpu/cpu0/cache. Energy: not measured (absent).\n";
  yaml += fmt::format("name: {}\n", o.name);
  yaml += fmt::format("description: \"{} ({} threads, measured)\"\n", cpu_model(), threads);
  yaml += fmt::format("compute_units: {}            # hardware threads used\n", threads);
  yaml += "# One thread's share of C: BLAS libraries split the output across threads in\n";
  yaml += "# blocks of whole register tiles (OpenBLAS sgemm kernels: 16 x 4 ... 32 x 6).\n";
  yaml += "tiles: [[16, 4]]\n";
  yaml += "launch_overhead: 1us        # not measured: a library call plus waking the threads\n";
  yaml += "peak:\n";
  yaml += fmt::format("  fp32: {:.4g}   # measured\n", peak);
  yaml += fmt::format("vector_peak: {:.4g}   # measured (the same FMA units)\n", peak);
  std::string cache_yaml;
  for (const auto& c : caches) {
    const bool per_unit = c.shared_by < threads;
    const Bytes working = per_unit ? c.size_bytes / 2 : c.size_bytes / 2 / threads;
    if (!g.quiet) {
      fmt::print(stderr, "calibrate: L{} triad, {} per thread...\n", c.level,
                 format_bytes(working));
    }
    const double bw = measure_triad(threads, working, slice);
    cache_yaml += fmt::format(
        "  - name: l{}\n    size: {}\n    per_unit: {}\n    bandwidth: {}   # measured\n", c.level,
        format_bytes(c.size_bytes).erase(format_bytes(c.size_bytes).find(' '), 1),
        per_unit ? "true" : "false", gbps(bw));
  }
  if (!g.quiet)
    fmt::print(stderr, "calibrate: DRAM triad, {} in all...\n", format_bytes(*dram_bytes));
  const double dram_bw = measure_triad(threads, *dram_bytes / threads, slice);
  yaml += "memory:\n";
  yaml += fmt::format("  bandwidth: {}   # measured, STREAM triad over {}\n", gbps(dram_bw),
                      format_bytes(*dram_bytes));
  if (!caches.empty()) yaml += "caches:\n" + cache_yaml;
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
    fmt::print("{}: peak {:.2f} GFLOP/s FP32, DRAM {:.2f} GB/s, ridge {:.2f} FLOP/B\n", o.output,
               peak / 1e9, dram_bw / 1e9, peak / dram_bw);
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
      return [o](const GlobalOptions& g) { return run_calibrate(*o, g); };
    });

}  // namespace
}  // namespace tessera::cli

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
#include <unistd.h>

#include <algorithm>
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
#include "models/roofline/blas_calibration.h"
#include "models/roofline/estimator.h"
#include "sim/blas_probe.h"
#include "sim/cmd_calibrate_kernels.h"
#include "sim/command.h"
#include "sim/support/output_path.h"

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
  // The small shape that, with the large one, separates the per-micro-tile
  // cost from the efficiency; also none of validate-roofline's.
  std::string small_shape = "40,40,40";
  std::string clock = "wall";  // or "cpu": thread CPU time, one thread only
};

struct Shape {
  std::uint64_t m = 0, n = 0, k = 0;
};

Shape parse_gemm_shape(const std::string& text, const char* option = "--gemm-shape") {
  Shape s;
  char tail = 0;
  unsigned long long m = 0, n = 0, k = 0;
  if (std::sscanf(text.c_str(), "%llu,%llu,%llu%c", &m, &n, &k, &tail) != 3 || m == 0 || n == 0 ||
      k == 0 || m > 65536 || n > 65536 || k > 65536) {
    throw InputError(fmt::format(
        "{}: expected M,N,K with each from 1 to 65536 (e.g. 1280,1280,1280), found '{}'", option,
        text));
  }
  s.m = m;
  s.n = n;
  s.k = k;
  return s;
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
  if (out.empty()) {
    // Some VMs expose no cache directories in sysfs. The C library reads the
    // per-core L1d and L2 from CPUID; the shared L3 is not taken from there:
    // hypervisors report it wrongly (this VM: 508 MiB).
    const long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (l1 > 0) out.push_back({1, static_cast<Bytes>(l1), 1});
    if (l2 > l1 && l1 > 0) out.push_back({2, static_cast<Bytes>(l2), 1});
  }
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
  Shape small;
  unsigned small_threads = 1;
  double small_s = 0;  // best time per call of the small calibration shape
  SgemmBlocking blocking;
};

BlasFigures measure_blas(const Shape& shape, const Shape& small, double seconds, TimingClock clock,
                         bool quiet) {
  BlasFigures b;
  const BlasProbe* probe = blas_probe();
  if (probe == nullptr) return b;
  b.measured = true;
  b.library = probe->describe();
  b.shape = shape;
  b.threads = probe->sgemm_threads(shape.m, shape.n, shape.k);
  b.small = small;
  b.small_threads = probe->sgemm_threads(small.m, small.n, small.k);
  if (probe->sgemm_blocking != nullptr) b.blocking = probe->sgemm_blocking();
  if (!quiet) {
    fmt::print(stderr, "calibrate: {}: sgemm {}x{}x{} ({} threads), {}x{}x{}, 1x1x1...\n",
               b.library, shape.m, shape.n, shape.k, b.threads, small.m, small.n, small.k);
  }
  if (clock == TimingClock::kThreadCpu && b.threads > 1) {
    throw InputError(fmt::format(
        "--clock cpu: expected the BLAS on one thread (OPENBLAS_NUM_THREADS=1), found {} threads "
        "for the calibration sgemm",
        b.threads));
  }
  const KernelTiming gemm = probe->time_sgemm(shape.m, shape.n, shape.k, 0.7 * seconds, 7, clock);
  b.gemm_s = gemm.min_s;
  b.gemm_spread = gemm.spread();
  b.small_s = probe->time_sgemm(small.m, small.n, small.k, 0.2 * seconds, 7, clock).min_s;
  b.call_s = probe->time_sgemm(1, 1, 1, 0.1 * seconds, 7, clock).min_s;
  return b;
}

// The efficiency and per-micro-tile cost that make the estimator reproduce
// both calibration shapes (models/roofline/blas_calibration.h).
roofline::GemmCalibration calibrate_gemm(const std::string& yaml, const std::string& origin,
                                         const BlasFigures& b) {
  const config::ValuePtr root = config::parse_tree(yaml, origin);
  const config::DeviceConfig d = config::parse_device(config::Node(*root), "host");
  return roofline::solve_gemm_calibration(
      d, {b.shape.m, b.shape.n, b.shape.k, b.threads, b.gemm_s},
      {b.small.m, b.small.n, b.small.k, b.small_threads, b.small_s});
}

int run_calibrate(const CalibrateOptions& o, const GlobalOptions& g) {
  // Checked first: the measurement takes --seconds, and more threads than the
  // machine has would time the scheduler, not the CPU (100000 never ended).
  check_output_file("-o", o.output);
  const unsigned hardware_threads = std::max(1u, std::thread::hardware_concurrency());
  if (o.threads > hardware_threads) {
    throw InputError(
        fmt::format("--threads: expected 0 (all) to {} (this machine's hardware threads), found {}",
                    hardware_threads, o.threads));
  }
  if (!(o.seconds > 0)) {
    throw InputError(fmt::format("--seconds: expected a duration above 0, found {}", o.seconds));
  }
  const auto dram_bytes = parse_bytes(o.dram_size);
  if (!dram_bytes || *dram_bytes < 3 * kKiB) {
    throw InputError(fmt::format(
        "--dram-size: expected a size such as 768MiB (at least 3 KiB), found '{}'", o.dram_size));
  }
  const Shape gemm_shape = parse_gemm_shape(o.gemm_shape);
  const Shape small_shape = parse_gemm_shape(o.small_shape, "--small-shape");
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
  // FMA, each cache level, DRAM triad and read on all threads and on one, run
  // latency, the BLAS.
  const double slice = o.seconds / static_cast<double>(caches.size() + 7);
  // x86 stores allocate their line: the triad moves 32 B per element and the
  // bandwidths below count them all (docs/roofline.md, "Write-allocate").
  constexpr bool kWriteAllocate = true;
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
    const double bw = measure_triad(threads, working, slice, clock, kWriteAllocate);
    cache_yaml += fmt::format(
        "  - name: l{}\n    size: {}\n    per_unit: {}\n    bandwidth: {}   # measured\n", c.level,
        format_bytes(c.size_bytes).erase(format_bytes(c.size_bytes).find(' '), 1),
        per_unit ? "true" : "false", gbps(bw));
  }
  if (!g.quiet)
    fmt::print(stderr, "calibrate: DRAM triad, {} in all...\n", format_bytes(*dram_bytes));
  const double dram_bw =
      measure_triad(threads, *dram_bytes / threads, slice, clock, kWriteAllocate);
  if (!g.quiet) fmt::print(stderr, "calibrate: DRAM triad on one thread...\n");
  const double dram_bw_one =
      threads > 1 ? measure_triad(1, *dram_bytes, slice, clock, kWriteAllocate) : dram_bw;
  // A read-only stream draws less than the triad here (one core sustains
  // fewer fills without write-backs to overlap): dot products and GEMV get it.
  if (!g.quiet) fmt::print(stderr, "calibrate: DRAM read-only stream, all threads and one...\n");
  const double read_bw = measure_read(threads, *dram_bytes / threads, slice, clock);
  const double read_bw_one = threads > 1 ? measure_read(1, *dram_bytes, slice, clock) : read_bw;
  // Short runs (512 B every 16 KiB) out of a DRAM-sized matrix: the cost a
  // BLAS's packing pays per row piece. Neither figure is any packing's own.
  const Bytes run_matrix = std::max<Bytes>(64 * kKiB, *dram_bytes / 3);
  if (!g.quiet) {
    fmt::print(stderr, "calibrate: 512 B runs every 16 KiB over {}, one thread...\n",
               format_bytes(run_matrix));
  }
  const RunLatency runs = measure_run_latency(run_matrix, 512, 16 * kKiB, slice, clock);
  const BlasFigures blas = measure_blas(gemm_shape, small_shape, slice, clock, g.quiet);

  // The file, with the GEMM efficiency and tile overhead still to fill in.
  auto device_yaml = [&](double efficiency, double tile_overhead_s) {
    std::string yaml;
    yaml += fmt::format("# {} measured by `tessera calibrate host` ({} threads).\n", cpu_model(),
                        threads);
    yaml +=
        "# Method: the Empirical Roofline Toolkit's (Lo et al., PMBS 2014). Peak FP32: an FMA\n";
    yaml += fmt::format("# microkernel ({}) on every thread, best of several runs.\n", kernel.isa);
    yaml +=
        "# Bandwidth: STREAM triad (McCalpin 1995), 32 B per element (the write allocates its\n"
        "# line: memory.write_allocate), best of several runs,\n";
    yaml +=
        "# with a working set of half of each cache level per thread, then --dram-size for DRAM\n";
    yaml += "# (on all threads, and on one for memory.bandwidth_per_unit).\n";
    yaml +=
        "# Read-only bandwidth: x + y summed over --dram-size (the triad's two read streams\n"
        "# without its store), best of several runs, on all threads and on one\n"
        "# (memory.read_bandwidth*).\n";
    yaml +=
        "# Cache sizes: /sys/devices/system/cpu/cpu0/cache (without it, L1d and L2 from CPUID).\n"
        "# Energy: not measured (absent).\n";
    if (clock == TimingClock::kThreadCpu) {
      yaml += "# Timed on the thread CPU clock (--clock cpu): a one-thread development aid.\n";
    }
    yaml += fmt::format(
        "# gemm.pack_run_latency: copying {} runs of 512 B, 16 KiB apart, took {:.4g} s against\n"
        "# {:.4g} s for the same bytes in one run (one thread, cold, best of several passes).\n",
        runs.runs, runs.strided_s, runs.contiguous_s);
    if (blas.measured) {
      yaml += fmt::format("# BLAS: {}.\n", blas.library);
      yaml += fmt::format(
          "# gemm.efficiency: sgemm {}x{}x{} on {} threads, best {:.6g} s per call (median {:.1f}% "
          "slower),\n",
          blas.shape.m, blas.shape.n, blas.shape.k, blas.threads, blas.gemm_s,
          blas.gemm_spread * 100);
      yaml += fmt::format(
          "# and sgemm {}x{}x{} on {} threads, best {:.6g} s: the efficiency and "
          "gemm.tile_overhead\n"
          "# solve measured = packing + call + compute at the peak / efficiency + micro-tiles x\n"
          "# overhead / threads for both. Neither shape is one of validate-roofline's.\n",
          blas.small.m, blas.small.n, blas.small.k, blas.small_threads, blas.small_s);
    }
    yaml += fmt::format("name: {}\n", o.name);
    yaml += fmt::format("description: \"{} ({} threads, measured)\"\n", cpu_model(), threads);
    yaml += fmt::format("compute_units: {}            # hardware threads used\n", threads);
    const SgemmBlocking& bk = blas.blocking;
    if (bk.unroll_m > 0) {
      // The library works on the transposed problem (C^T = B^T A^T): its
      // micro-kernel's M runs along our N.
      yaml += fmt::format(
          "# The library's sgemm micro-tile ({} x {} on C^T = B^T A^T, read from its parameter\n"
          "# table), as rows x columns of C.\n",
          bk.unroll_m, bk.unroll_n);
      yaml += fmt::format("tiles: [[{}, {}]]\n", bk.unroll_n, bk.unroll_m);
    } else {
      yaml += "# One thread's share of C: BLAS libraries split the output across threads in\n";
      yaml += "# blocks of whole register tiles (OpenBLAS sgemm kernels: 16 x 4 ... 32 x 6).\n";
      yaml += "tiles: [[16, 4]]\n";
    }
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
    if (bk.q > 0) {
      yaml += fmt::format(
          "  pack_block_k: {}   # the library's kc (its Q), from its parameter table\n", bk.q);
      yaml += fmt::format("  pack_block_m: {}   # the library's mc (its P)\n", bk.p);
    }
    yaml += fmt::format("  pack_run_latency: {}ns   # measured (see above)\n",
                        std::llround(runs.per_run_s * 1e9));
    if (blas.measured) {
      yaml += fmt::format("  tile_overhead: {}ps   # measured (see above)\n",
                          std::llround(tile_overhead_s * 1e12));
      yaml += "  beta_pass: true   # OpenBLAS scales C by beta in a pass of its own (level3.c)\n";
    }
    yaml += "memory:\n";
    yaml += fmt::format("  bandwidth: {}   # measured, STREAM triad over {}\n", gbps(dram_bw),
                        format_bytes(*dram_bytes));
    yaml += fmt::format("  bandwidth_per_unit: {}   # measured, the same on one thread\n",
                        gbps(dram_bw_one));
    yaml += fmt::format("  read_bandwidth: {}   # measured, read-only sum of x + y over {}\n",
                        gbps(read_bw), format_bytes(*dram_bytes));
    yaml += fmt::format("  read_bandwidth_per_unit: {}   # measured, the same on one thread\n",
                        gbps(read_bw_one));
    yaml += "  write_allocate: true   # x86 stores fill their line first (no streaming stores)\n";
    if (!caches.empty()) yaml += "caches:\n" + cache_yaml;
    return yaml;
  };
  roofline::GemmCalibration gemm_fit;
  if (blas.measured) gemm_fit = calibrate_gemm(device_yaml(1.0, 0.0), o.output, blas);
  const double efficiency = gemm_fit.efficiency;
  const std::string yaml = device_yaml(efficiency, gemm_fit.tile_overhead_s);
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
        "{}: peak {:.2f} GFLOP/s FP32, DRAM {:.2f} GB/s ({:.2f} GB/s on one thread), read-only "
        "{:.2f} GB/s ({:.2f} on one), ridge {:.2f} FLOP/B, run latency {:.3g} ns",
        o.output, peak / 1e9, dram_bw / 1e9, dram_bw_one / 1e9, read_bw / 1e9, read_bw_one / 1e9,
        peak / dram_bw, runs.per_run_s * 1e9);
    if (blas.measured) {
      fmt::print(", GEMM efficiency {:.3f}, call overhead {:.3g} us, tile overhead {:.3g} ns",
                 efficiency, blas.call_s * 1e6, gemm_fit.tile_overhead_s * 1e9);
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
      app.add_option("--small-shape", o->small_shape,
                     "M,N,K of the small sgemm that separates the per-micro-tile cost (keep it "
                     "out of validate-roofline's shapes)")
          ->capture_default_str();
      return [o](const GlobalOptions& g) { return run_calibrate(*o, g); };
    });

}  // namespace
}  // namespace tessera::cli

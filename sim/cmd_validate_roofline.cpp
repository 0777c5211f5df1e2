// `tessera validate-roofline --device platforms/devices/host.yaml`: times
// kernels of a library nobody here wrote (OpenBLAS: sgemm from tiny to large,
// and the bandwidth-bound sgemv, saxpy, sdot, scopy) on this machine and
// compares each with the roofline estimate for the device file: measured
// time, estimate, error, and the bottleneck on both sides.
//
// Each kernel is estimated on as many cores as OpenBLAS gives it
// (sim/openblas_probe.h: small calls, sdot and scopy run on one thread).
// Times are wall-clock, best of several batches after a warm-up
// (sim/kernel_timing.h); the median and the spread are printed beside it.
//
// This VM's speed drifts by 30-50% within minutes, more than the error
// budget, so a device file measured minutes earlier is stale. Before every
// batch the roofs are measured again on the kernel's threads and clock (FMA
// bursts, triad passes and read-only passes: sim/cmd_calibrate_kernels.h),
// A B A B...;
// the second error compares each batch with the device file scaled to the
// roofs measured right before it (models/roofline/validation.h). The device
// file stays the model's input; the scaling is the same for every kernel.
//
// The measured bottleneck is independent of the model: whichever of
// achieved FLOP/s / peak and compulsory bytes per second / DRAM bandwidth
// (both for the cores the kernel ran on, at the in-situ roofs) is closer to
// saturation. Linked against OpenBLAS only here (sim/CMakeLists.txt).
#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "models/core/error.h"
#include "models/roofline/device_library.h"
#include "models/roofline/estimator.h"
#include "models/roofline/validation.h"
#include "sim/cmd_calibrate_kernels.h"
#include "sim/command.h"
#include "sim/kernel_timing.h"
#include "sim/openblas_probe.h"
#include "sim/support/json_output.h"
#include "sim/support/progress.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

using config::Dtype;
using roofline::OpSpec;

struct ValidateOptions {
  std::string device;
  std::vector<std::string> devices_dirs;
  double seconds_per_kernel = 0.2;
  int batches = 7;  // timed batches per kernel (at least)
  std::string clock = "wall";
  std::string roof_size = "192MiB";  // triad working set of the in-situ roofs
  bool interleave = true;            // re-measure the roofs between batches
  bool quick = false;                // skip the largest kernels (tests)
  bool json = false;
};

using Kind = BlasKernel;

struct Kernel {
  Kind kind;
  std::string name;
  std::uint64_t m = 0, n = 0, k = 0;  // sgemm: m x k * k x n; sgemv: m x k * k; vectors: m
};

struct Row {
  Kernel kernel;
  unsigned threads = 1;  // OpenBLAS's threads for the call = the estimate's units
  KernelTiming timing;
  roofline::KernelCheck check;
};

// Calls the kernel `reps` times on its buffers.
class Runner {
 public:
  explicit Runner(const Kernel& k) : k_(k) {
    auto alloc = [](std::uint64_t count, float value) {
      auto p = std::make_unique<float[]>(count);
      std::fill(p.get(), p.get() + count, value);
      return p;
    };
    switch (k.kind) {
      case Kind::kSgemm:
        a_ = alloc(k.m * k.k, 0.5f);
        b_ = alloc(k.k * k.n, 0.25f);
        c_ = alloc(k.m * k.n, 0.0f);
        break;
      case Kind::kSgemv:
        a_ = alloc(k.m * k.k, 0.5f);
        b_ = alloc(k.k, 0.25f);
        c_ = alloc(k.m, 0.0f);
        break;
      default:
        a_ = alloc(k.m, 0.5f);
        b_ = alloc(k.m, 0.25f);
        break;
    }
  }
  void run(int reps) {
    const int m = static_cast<int>(k_.m), n = static_cast<int>(k_.n), kk = static_cast<int>(k_.k);
    for (int r = 0; r < reps; ++r) {
      switch (k_.kind) {
        case Kind::kSgemm:
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, kk, 1.0f, a_.get(), kk,
                      b_.get(), n, 0.0f, c_.get(), n);
          break;
        case Kind::kSgemv:
          cblas_sgemv(CblasRowMajor, CblasNoTrans, m, kk, 1.0f, a_.get(), kk, b_.get(), 1, 0.0f,
                      c_.get(), 1);
          break;
        case Kind::kSaxpy:
          cblas_saxpy(m, 1e-3f, a_.get(), 1, b_.get(), 1);
          break;
        case Kind::kSdot:
          sink_ += cblas_sdot(m, a_.get(), 1, b_.get(), 1);
          break;
        case Kind::kScopy:
          cblas_scopy(m, a_.get(), 1, b_.get(), 1);
          break;
      }
    }
  }
  float sink() const { return sink_; }

 private:
  Kernel k_;
  std::unique_ptr<float[]> a_, b_, c_;
  float sink_ = 0;
};

KernelTiming time_kernel(const Kernel& k, double budget_s, int batches, TimingClock clock,
                         float& sink, const std::function<void()>& before_batch) {
  Runner r(k);
  const KernelTiming t =
      time_kernel_calls([&](int reps) { r.run(reps); }, budget_s, batches, clock, before_batch);
  sink += r.sink();
  return t;
}

OpSpec spec_of(const Kernel& k) {
  OpSpec op;
  switch (k.kind) {
    case Kind::kSgemm:
      op = OpSpec::gemm(k.m, k.n, k.k, Dtype::kFp32);
      break;
    case Kind::kSgemv:
      op = OpSpec::gemm(k.m, 1, k.k, Dtype::kFp32);  // y = A x: n = 1
      break;
    case Kind::kSaxpy:
      op = OpSpec::elementwise(k.m, 2, Dtype::kFp32);  // read x, y; write y in place
      op.in_place = true;
      op.flops_override = 2 * k.m;
      break;
    case Kind::kSdot:
      op = OpSpec::elementwise(k.m, 2, Dtype::kFp32);  // read x, y: 8 B per element
      op.n = 0;                                        // a scalar result
      op.flops_override = 2 * k.m;
      break;
    case Kind::kScopy:
      op = OpSpec::elementwise(k.m, 1, Dtype::kFp32);  // read x, write y
      op.flops_override = 0;
      break;
  }
  op.name = k.name;
  return op;
}

std::vector<Kernel> kernels(bool quick) {
  std::vector<Kernel> out;
  const std::uint64_t squares_full[] = {16, 32, 64, 128, 256, 384, 512, 768, 1024, 1536, 2048};
  const std::uint64_t squares_quick[] = {16, 64, 256};
  if (quick) {
    for (auto s : squares_quick)
      out.push_back({Kind::kSgemm, fmt::format("sgemm {0}^3", s), s, s, s});
    out.push_back({Kind::kSgemv, "sgemv 512x512", 512, 1, 512});
    out.push_back({Kind::kSaxpy, "saxpy 64Ki", 65536});
    out.push_back({Kind::kSdot, "sdot 64Ki", 65536});
    return out;
  }
  for (auto s : squares_full) out.push_back({Kind::kSgemm, fmt::format("sgemm {0}^3", s), s, s, s});
  // Rectangular and skinny shapes: the tall-skinny ones are memory bound.
  const std::uint64_t rect[][3] = {{4096, 4096, 64},   {4096, 64, 4096}, {64, 4096, 4096},
                                   {2048, 2048, 256},  {8192, 8, 8192},  {8192, 16, 1024},
                                   {1000, 1000, 1000}, {3000, 200, 3000}};
  for (const auto& r : rect) {
    out.push_back(
        {Kind::kSgemm, fmt::format("sgemm {}x{}x{}", r[0], r[1], r[2]), r[0], r[1], r[2]});
  }
  // Bandwidth-bound kernels, sized far above the last-level cache.
  out.push_back({Kind::kSgemv, "sgemv 8192x8192", 8192, 1, 8192});
  out.push_back({Kind::kSgemv, "sgemv 16384x8192", 16384, 1, 8192});
  out.push_back({Kind::kSaxpy, "saxpy 64Mi", 64ull << 20});
  out.push_back({Kind::kSdot, "sdot 64Mi", 64ull << 20});
  out.push_back({Kind::kScopy, "scopy 64Mi", 64ull << 20});
  out.push_back({Kind::kSaxpy, "saxpy 128Mi", 128ull << 20});
  return out;
}

// "cpu" times the calling thread only: the whole kernel must run on it.
TimingClock parse_clock(const std::string& name) {
  if (name == "wall") return TimingClock::kWall;
  if (name != "cpu") {
    throw InputError(fmt::format("--clock: expected wall or cpu, found '{}'", name));
  }
  if (openblas_get_num_threads() != 1) {
    throw InputError(fmt::format(
        "--clock cpu: expected OpenBLAS on one thread (OPENBLAS_NUM_THREADS=1: thread CPU time "
        "misses the other threads' work), found {} threads",
        openblas_get_num_threads()));
  }
  return TimingClock::kThreadCpu;
}

int run_validate(const ValidateOptions& o, const GlobalOptions& g) {
  const std::vector<std::filesystem::path> dirs(o.devices_dirs.begin(), o.devices_dirs.end());
  const config::DeviceConfig d = roofline::find_device(o.device, dirs);
  if (!d.supports(Dtype::kFp32)) {
    throw InputError(
        fmt::format("--device: expected a device with an fp32 peak, found '{}' "
                    "without one",
                    d.name));
  }
  if (!(o.seconds_per_kernel > 0)) {
    throw InputError(
        fmt::format("--seconds: expected a duration above 0, found {}", o.seconds_per_kernel));
  }
  if (o.batches < 1 || o.batches > 1000) {
    throw InputError(fmt::format("--batches: expected 1 to 1000, found {}", o.batches));
  }
  const TimingClock clock = parse_clock(o.clock);
  const auto roof_bytes = parse_bytes(o.roof_size);
  if (!roof_bytes || *roof_bytes < 3 * kKiB) {
    throw InputError(fmt::format(
        "--roof-size: expected a size such as 192MiB (at least 3 KiB), found '{}'", o.roof_size));
  }
  const auto list = kernels(o.quick);
  // One roof probe per thread count the kernels run on (1 and all).
  std::map<unsigned, std::unique_ptr<RoofProbe>> probes;
  std::vector<Row> rows;
  float sink = 0;
  Progress progress("validate-roofline", list.size(), !g.quiet && !o.json);
  for (std::size_t i = 0; i < list.size(); ++i) {
    Row r;
    r.kernel = list[i];
    const Kernel& k = list[i];
    r.threads = openblas_threads(k.kind, k.m, k.n, k.k);
    OpSpec op = spec_of(k);
    op.units = std::min<std::uint64_t>(r.threads, d.compute_units);
    const config::DeviceConfig on_units = roofline::restrict_to_units(d, op.units);
    std::vector<roofline::InterleavedBatch> ratios;  // per batch: the roofs now
    std::function<void()> before;
    if (o.interleave) {
      auto& probe = probes[r.threads];
      if (!probe) {
        probe = std::make_unique<RoofProbe>(r.threads, *roof_bytes, d.write_allocate, clock);
      }
      before = [&] {
        roofline::InterleavedBatch now;
        now.compute_ratio = probe->flops_per_s() / on_units.peak(Dtype::kFp32);
        now.memory_ratio = probe->dram_bytes_per_s() / on_units.memory_bandwidth_bytes_per_s;
        // The read-only stream drifts apart from the triad (up to 15% within
        // a minute here): kernels streaming at it are corrected by its own probe.
        if (on_units.memory_read_bandwidth_bytes_per_s > 0) {
          now.read_ratio = probe->read_bytes_per_s() / on_units.memory_read_bandwidth_bytes_per_s;
        }
        ratios.push_back(now);
      };
      before();  // warm-up of the probe itself
      ratios.clear();
    }
    r.timing = time_kernel(k, o.seconds_per_kernel, o.batches, clock, sink, before);
    std::vector<roofline::InterleavedBatch> batches;
    for (std::size_t b = 0; b < r.timing.per_batch_s.size(); ++b) {
      roofline::InterleavedBatch ib;
      if (b < ratios.size()) ib = ratios[b];
      ib.measured_s = r.timing.per_batch_s[b];
      batches.push_back(ib);
    }
    r.check = roofline::check_kernel(k.name, op, d, batches);
    rows.push_back(r);
    progress.update(i + 1);
  }
  progress.finish();

  std::vector<roofline::KernelCheck> checks;
  for (const Row& r : rows) checks.push_back(r.check);
  const roofline::ValidationCounts file = roofline::count_targets(checks, false);
  const roofline::ValidationCounts insitu = roofline::count_targets(checks, true);
  auto counts_json = [](const roofline::ValidationCounts& c) {
    return nlohmann::ordered_json{
        {"compute_bound", {{"kernels", c.compute_n}, {"within_15_percent", c.compute_ok}}},
        {"memory_bound", {{"kernels", c.memory_n}, {"within_20_percent", c.memory_ok}}},
        {"bottleneck_agreement", c.bound_fraction()}};
  };
  if (o.json) {
    nlohmann::ordered_json j;
    j["device"] = d.name;
    j["blas"] = openblas_description();
    j["clock"] = o.clock;
    j["interleaved_roofs"] = o.interleave;
    nlohmann::ordered_json ks = nlohmann::ordered_json::array();
    for (const Row& r : rows) {
      const roofline::KernelCheck& c = r.check;
      ks.push_back({{"kernel", r.kernel.name},
                    {"threads", r.threads},
                    {"measured_ms", c.best_s * 1e3},
                    {"median_ms", c.median_s * 1e3},
                    {"spread", r.timing.spread()},
                    {"batches", r.timing.batches},
                    {"estimate_ms", c.estimate.time_ms()},
                    {"pack_ms", c.estimate.pack_s * 1e3},
                    {"pack_run_ms", c.estimate.pack_run_s * 1e3},
                    {"tile_overhead_ms", c.estimate.tile_overhead_s * 1e3},
                    {"beta_ms", c.estimate.beta_s * 1e3},
                    {"error", c.error},
                    {"insitu_compute_ratio", c.compute_ratio},
                    {"insitu_memory_ratio", c.memory_ratio},
                    {"insitu_read_ratio", c.read_ratio},
                    {"insitu_estimate_ms", c.insitu_estimate_s * 1e3},
                    {"insitu_error", c.insitu_error},
                    {"bottleneck", c.estimate.bottleneck()},
                    {"measured_bottleneck", c.measured_compute_bound ? "compute" : "memory"},
                    {"flops", c.estimate.flops},
                    {"bytes", c.estimate.dram_bytes},
                    {"measured_gflops", c.estimate.flops / c.best_s / 1e9}});
    }
    j["kernels"] = ks;
    // Against the device file as it is (the model's input).
    j["compute_bound"] = counts_json(file)["compute_bound"];
    j["memory_bound"] = counts_json(file)["memory_bound"];
    j["bottleneck_agreement"] = file.bound_fraction();
    // Against the file scaled to the roofs measured between the batches.
    j["insitu"] = counts_json(insitu);
    print_json(j);
    return 0;
  }
  Table t({{"kernel"},
           {"thr", Table::kRight},
           {"measured us", Table::kRight},
           {"median vs best", Table::kRight},
           {"estimate us", Table::kRight},
           {"error", Table::kRight},
           {"roofs now", Table::kRight},
           {"in-situ us", Table::kRight},
           {"in-situ error", Table::kRight},
           {"GFLOP/s", Table::kRight},
           {"model bound"},
           {"measured bound"}});
  for (const Row& r : rows) {
    const roofline::KernelCheck& c = r.check;
    t.add_row({r.kernel.name, Table::count(r.threads), Table::fixed(c.best_s * 1e6, 2),
               fmt::format("+{:.0f}%", r.timing.spread() * 100),
               Table::fixed(c.estimate.time_s * 1e6, 2), fmt::format("{:+.1f}%", c.error * 100),
               c.read_ratio > 0
                   ? fmt::format("{:.0f}%/{:.0f}%/{:.0f}%", c.compute_ratio * 100,
                                 c.memory_ratio * 100, c.read_ratio * 100)
                   : fmt::format("{:.0f}%/{:.0f}%", c.compute_ratio * 100, c.memory_ratio * 100),
               Table::fixed(c.insitu_estimate_s * 1e6, 2),
               fmt::format("{:+.1f}%", c.insitu_error * 100),
               Table::fixed(c.estimate.flops / c.best_s / 1e9, 2),
               c.estimate.compute_bound ? "compute" : "memory (" + c.estimate.bound_level + ")",
               c.measured_compute_bound ? "compute" : "memory"});
  }
  fmt::print("BLAS: {}; clock: {}; roofs {}\n", openblas_description(),
             clock == TimingClock::kWall ? "wall" : "thread CPU time (development aid)",
             o.interleave ? "re-measured before every batch on the timing clock (\"roofs now\": "
                            "FMA / triad / read-only stream as % of the file's)"
                          : "from the file only (--no-interleave)");
  std::cout << t.render();
  auto summary = [&](const char* what, const roofline::ValidationCounts& c) {
    fmt::print(
        "{} ({}): compute-bound within 15%: {}/{}; memory-bound within 20%: {}/{}; "
        "bottleneck agrees: {}/{} ({:.0f}%)\n",
        d.name, what, c.compute_ok, c.compute_n, c.memory_ok, c.memory_n, c.bound_ok, c.total,
        100.0 * c.bound_fraction());
  };
  fmt::print("\n");
  summary("device file", file);
  if (o.interleave) summary("in-situ roofs", insitu);
  if (sink == 12345.0f) fmt::print("\n");  // keeps sdot's result alive
  return 0;
}

const CommandRegistrar registrar(
    {"validate-roofline"},
    "time OpenBLAS kernels on this machine and compare them with the roofline estimate",
    [](CLI::App& app) -> CommandAction {
      auto o = std::make_shared<ValidateOptions>();
      app.add_option("--device,-d", o->device,
                     "device file or name (e.g. platforms/devices/host.yaml)")
          ->required();
      app.add_option("--devices-dir", o->devices_dirs, "extra directory of device files");
      app.add_option("--seconds", o->seconds_per_kernel, "timing budget per kernel")
          ->capture_default_str();
      app.add_option("--batches", o->batches,
                     "timed batches per kernel after a warm-up (best, median and spread)")
          ->capture_default_str();
      app.add_option("--clock", o->clock,
                     "wall, or cpu: the calling thread's CPU time (needs OPENBLAS_NUM_THREADS=1; "
                     "for checking the single-thread model on a loaded machine)")
          ->capture_default_str();
      app.add_option("--roof-size", o->roof_size,
                     "triad working set of the roofs re-measured between batches (above the LLC)")
          ->capture_default_str();
      app.add_flag("--interleave,!--no-interleave", o->interleave,
                   "re-measure the FMA and triad roofs before every batch (default on; "
                   "--no-interleave turns it off)");
      app.add_flag("--quick", o->quick, "a few small kernels only (seconds, for tests)");
      app.add_flag("--json", o->json, "print JSON");
      return [o](const GlobalOptions& g) { return run_validate(*o, g); };
    });

}  // namespace
}  // namespace tessera::cli

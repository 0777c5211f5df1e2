// tessera-rtl-bench: simulated clock cycles per CPU second of the Verilated 16-lane E4M3
// dot unit in SystemC co-simulation, three ways (each in a forked child: the SystemC
// kernel elaborates once per process):
//   engine    rtl::DotEngine (the --cc model) clocked from C++ in bursts by one SC_THREAD
//             that then waits the cycles the burst took: one kernel wake per 64 dot
//             products;
//   tile      the `rtl-dot` tile (the --sc model, pin level, two process wakes and two
//             model evaluations per cycle) on the timed platform, compute-bound (four
//             DDR4-3200 channels feed 102 bytes per cycle against the unit's 32 per beat):
//             everything the co-simulation does, memory path included;
//   tile-mem  the same tile, memory-bound (one channel): the clock is gated while the
//             tile waits for operands, so simulated cycles cost less than clocked ones.
// CPU time (std::clock) of the simulation alone, so the figures hold on a loaded machine.
// Not a test: prints figures for the README. Usage: tessera-rtl-bench [cycles]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <systemc>
#include <vector>

#include "models/config/platform_config.h"
#include "models/core/rng.h"
#include "models/numerics/fp_arith.h"
#include "rtl/engine/dot_engine.h"
#include "rtl/engine/platform_cosim.h"
#include "tests/bench/run_in_child.h"

namespace {

using tessera::numerics::FpFormat;

struct Figures {
  double cpu_s = 0;
  double wall_s = 0;
  std::uint64_t cycles = 0;          // simulated clock cycles
  std::uint64_t clocked_cycles = 0;  // of which the unit's clock ran
};

std::vector<std::uint64_t> operands(std::size_t n, std::uint64_t seed) {
  const FpFormat f{4, 3};
  tessera::Rng rng(seed);
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) x = tessera::numerics::fp_from_double(f, rng.uniform() * 2 - 1);
  return v;
}

struct DotTile : sc_core::sc_module {
  SC_HAS_PROCESS(DotTile);
  DotTile(sc_core::sc_module_name name, std::uint64_t target_cycles)
      : sc_core::sc_module(name),
        target_(target_cycles),
        a_(operands(kBatch * kK, 7)),
        b_(operands(kBatch * kK, 8)),
        results_(kBatch) {
    SC_THREAD(run);
  }

  void run() {
    const sc_core::sc_time period(1, sc_core::SC_NS);
    while (engine_.total_cycles() < target_) {
      const std::uint64_t c = engine_.run(a_.data(), b_.data(), kK, kBatch, results_.data());
      wait(static_cast<double>(c) * period);
    }
  }

  static constexpr std::size_t kK = 256;     // 16 beats per dot product
  static constexpr std::size_t kBatch = 64;  // dot products per kernel wake
  tessera::rtl::DotEngine engine_;
  std::uint64_t target_;
  std::vector<std::uint64_t> a_, b_, results_;
};

Figures run_engine(std::uint64_t target) {
  DotTile tile("dot_tile", target);
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  sc_core::sc_start();
  Figures f;
  f.cpu_s = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  f.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  f.cycles = f.clocked_cycles = tile.engine_.total_cycles();
  return f;
}

Figures run_tile(std::uint64_t target, std::uint32_t dram_channels) {
  tessera::config::PlatformConfig p;
  p.name = "bench";
  p.tiles.kind = tessera::config::TileKind::kRtlDot;
  p.tiles.lanes = 16;
  p.tiles.max_outstanding = 32;
  p.cache.capacities_bytes = {1 << 20};
  p.cache.banks = 4;
  p.interconnect.bytes_per_cycle = 64;
  p.dram.preset = "DDR4-3200";
  p.dram.channels = dram_channels;
  const std::size_t k = 256, rows = std::max<std::size_t>(1, target / (k / 16));
  const std::vector<std::uint64_t> a = operands(rows * k, 7), b = operands(rows * k, 8);
  tessera::rtl::PlatformCosimRequest req;
  req.platform = &p;
  req.a = a.data();
  req.b = b.data();
  req.rows = rows;
  req.k = k;
  const tessera::rtl::PlatformCosimResult r = tessera::rtl::run_platform_cosim(req);
  Figures f;
  f.cpu_s = r.cpu_seconds;
  f.wall_s = r.wall_seconds;
  f.cycles = r.cycles;
  f.clocked_cycles = r.tiles.front().clocked_cycles;
  return f;
}

void print(const char* what, const Figures& f) {
  if (f.cycles == 0 || f.cpu_s <= 0) {
    std::printf("%-9s failed\n", what);
    return;
  }
  std::printf(
      "%-9s %10llu cycles (%10llu clocked) in %.3f CPU-s (%.3f wall-s): %.2f M cycles per "
      "CPU-s, %.2f M clocked cycles per CPU-s\n",
      what, static_cast<unsigned long long>(f.cycles),
      static_cast<unsigned long long>(f.clocked_cycles), f.cpu_s, f.wall_s,
      static_cast<double>(f.cycles) / f.cpu_s / 1e6,
      static_cast<double>(f.clocked_cycles) / f.cpu_s / 1e6);
}

}  // namespace

int sc_main(int argc, char** argv) {
  const std::uint64_t target = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 4'000'000;
  const std::string only = argc > 2 ? argv[2] : "";
  using tessera::bench::run_in_child;
  std::printf("rtl-dot e4m3 x16, SystemC co-simulation, ~%llu cycles each\n",
              static_cast<unsigned long long>(target));
  if (only.empty() || only == "engine") {
    print("engine", run_in_child<Figures>([&] { return run_engine(target); }));
  }
  if (only.empty() || only == "tile") {
    print("tile", run_in_child<Figures>([&] { return run_tile(target, 4); }));
  }
  if (only.empty() || only == "tile-mem") {
    print("tile-mem", run_in_child<Figures>([&] { return run_tile(target, 1); }));
  }
  return 0;
}

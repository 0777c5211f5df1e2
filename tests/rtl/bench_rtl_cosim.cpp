// tessera-rtl-bench: simulated clock cycles per wall-clock second of the Verilated
// 16-lane E4M3 dot unit inside a SystemC simulation. A tile-like SC_THREAD hands batches
// of dot products to rtl::DotEngine (the --cc model stepped cycle by cycle) and waits the
// cycles it reports, as the `rtl-dot` tile does; one kernel wake per batch.
// Not a test: prints figures for the README. Usage: tessera-rtl-bench [cycles]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <systemc>
#include <vector>

#include "models/core/rng.h"
#include "models/numerics/fp_arith.h"
#include "rtl/engine/dot_engine.h"

namespace {

using tessera::numerics::FpFormat;

struct DotTile : sc_core::sc_module {
  SC_HAS_PROCESS(DotTile);
  DotTile(sc_core::sc_module_name name, std::uint64_t target_cycles)
      : sc_core::sc_module(name), target_(target_cycles) {
    const FpFormat f{4, 3};
    tessera::Rng rng(7);
    a_.resize(kBatch * kK);
    b_.resize(kBatch * kK);
    for (auto& x : a_) x = tessera::numerics::fp_from_double(f, rng.uniform() * 2 - 1);
    for (auto& x : b_) x = tessera::numerics::fp_from_double(f, rng.uniform() * 2 - 1);
    results_.resize(kBatch);
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

}  // namespace

int sc_main(int argc, char** argv) {
  const std::uint64_t target = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  DotTile tile("dot_tile", target);
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto cycles = tile.engine_.total_cycles();
  std::printf(
      "rtl-dot e4m3 x16 (SystemC co-simulation): %llu cycles in %.3f s = %.2f M cycles/s"
      " (simulated time %s)\n",
      static_cast<unsigned long long>(cycles), secs, static_cast<double>(cycles) / secs / 1e6,
      sc_core::sc_time_stamp().to_string().c_str());
  return 0;
}

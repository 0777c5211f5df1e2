// The timed platform run: builds one netlist per (capacity, policy) of the
// platform's cache from the typed config (tiles -> interconnect -> cache
// banks -> DRAM), runs them side by side in one SystemC simulation (the
// kernel cannot be restarted in a process, and independent netlists do not
// interact), and returns what each recorded.
//
//   tile 0 ─┐                      ┌─ bank 0 ─┐
//   tile 1 ─┼─ Interconnect (xbar) ┼─ bank 1 ─┼─ CacheModule ── DRAM target
//   tile T ─┘                      └─ bank B ─┘   (core)        (models/dram)
//
// Must be called at most once per process (SystemC elaboration happens once).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/config/platform_config.h"
#include "models/platform/result.h"
#include "models/workload/trace.h"

namespace tessera::tlm_platform {

struct RunOptions {
  // One netlist per mode per (capacity, policy): {false} = AT only; tests
  // pass {false, true} to run AT and LT side by side in one simulation.
  std::vector<bool> lt_modes{false};
  std::uint64_t seed = 1;
  // LT global quantum. 100 ns: an LT tile books its DRAM requests up to a
  // quantum ahead of the others, which then queue behind them; at 1 us the
  // quickstart's LT time was 14% under AT's, at 100 ns 4% (docs/platform.md).
  Picoseconds lt_quantum_ps = 100 * kPsPerNs;
  // Called between simulation slices with (tile transactions issued, total).
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

std::vector<platform::TimedRun> run_timed(const workload::Trace& trace,
                                          const config::PlatformConfig& platform,
                                          const RunOptions& options);

}  // namespace tessera::tlm_platform

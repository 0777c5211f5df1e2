// What the `tessera cosim` sources (sim/cmd_cosim*.cpp) share: the command's options, the
// waveform output, and the report pieces both units' runs print and write (cycles against
// the roofline, platform memory and tiles, error per method).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/command.h"

#ifdef TESSERA_HAVE_RTL
#include "models/config/experiment_config.h"
#include "models/numerics/accuracy.h"
#include "rtl/engine/platform_cosim.h"
#endif

namespace tessera::cli {

struct CosimOptions {
  std::string file;
  std::string out_dir;
  bool json = false;
  bool waves = false;
  std::string waves_format = "fst";  // fst | vcd
};

#ifdef TESSERA_HAVE_RTL

// Where --waves writes: OUTDIR/waves.<format>, first as waves.<format>.tmp (renamed when
// the run is done, so no half-written waveform is left behind).
struct WavesOutput {
  rtl::WaveFormat format = rtl::WaveFormat::kNone;
  std::filesystem::path path, tmp;
};
// Checks -o is given with --waves; format kNone without --waves.
WavesOutput waves_output(const CosimOptions& opts);

// Runs `request` on the platform (creating OUTDIR for the waveform); removes the partial
// waveform when it fails.
rtl::PlatformCosimResult run_on_platform(const rtl::PlatformCosimRequest& request,
                                         const CosimOptions& opts, const WavesOutput& waves);

// Cycles of `bytes` at `bytes_per_s` on a `clock_hz` clock, rounded up; in integers
// (bytes x Hz / bytes per s) so a bound like 262400 / 25.6 is exact.
std::uint64_t memory_bound_cycles(std::uint64_t bytes, Hertz clock_hz, double bytes_per_s);

// Measured cycles against the roofline bound (the larger of the compute and memory
// bounds); the estimate adds the unit's pipeline latency.
nlohmann::ordered_json cycles_json(std::uint64_t cycles, std::uint64_t compute_cycles,
                                   std::uint64_t memory_cycles, std::uint64_t latency);
void print_cycles(std::uint64_t cycles, std::uint64_t bound, std::uint64_t compute_cycles,
                  std::uint64_t memory_cycles);

nlohmann::ordered_json tiles_json(const rtl::PlatformCosimResult& prun);
nlohmann::ordered_json memory_json(const config::PlatformConfig& p,
                                   const rtl::PlatformCosimResult& prun);

// The error rows of a run: the RTL's first, then each configured method's.
nlohmann::ordered_json accuracy_json(const numerics::AccuracyRow& rtl_row,
                                     const std::vector<numerics::AccumMethod>& methods,
                                     const std::vector<numerics::AccuracyRow>& acc);
std::string accuracy_table(const numerics::AccuracyRow& rtl_row,
                           const std::vector<numerics::AccumMethod>& methods,
                           const std::vector<numerics::AccuracyRow>& acc);

// `unit: attention` (sim/cmd_cosim_attention.cpp).
int run_attention_cosim(const CosimOptions& opts, const GlobalOptions& globals,
                        const config::ExperimentConfig& e);

#endif

}  // namespace tessera::cli

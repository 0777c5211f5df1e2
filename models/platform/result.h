// The result of a timed platform run as JSON (result.json, versioned by
// kResultSchemaVersion) and its timeline in the Chrome trace-event format
// (timeline.json, opens in Perfetto / chrome://tracing). Plain C++: the
// SystemC side hands over a RunRecord and DRAM counters.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/config/platform_config.h"
#include "models/platform/energy.h"
#include "models/platform/run_record.h"
#include "models/platform/schedule.h"
#include "models/workload/trace.h"

namespace tessera::platform {

struct DramChannelCounters {
  std::uint64_t row_hits = 0;
  std::uint64_t row_misses = 0;
  std::uint64_t row_conflicts = 0;
};

// One run (one policy x capacity) of a timed platform experiment.
struct TimedRun {
  std::string mode = "at";  // "at" or "lt"
  std::string policy;
  Bytes capacity_bytes = 0;
  std::vector<TileSchedule> schedule;
  RunRecord record;
  std::vector<DramChannelCounters> dram_channels;
  double dram_energy_pj = 0;
  double dram_peak_bytes_per_s = 0;
  std::string dram_name;
  double wall_seconds = 0;
};

struct RunContext {
  std::string experiment;
  std::string mode;  // "at" or "lt"
  const workload::Trace* trace = nullptr;
  const config::PlatformConfig* platform = nullptr;
  EnergyTable energy;
};

// Per-operator figures of one run (max over tiles of the span; sums of bytes).
struct OpFigures {
  Picoseconds span_ps = 0;
  Cycles compute_cycles = 0;  // the busiest tile's compute
  Picoseconds stall_ps = 0;   // summed over tiles
  Bytes read_bytes = 0, write_bytes = 0;
};
std::vector<OpFigures> op_figures(const TimedRun& run, std::size_t op_count);

// Total time of a run: the last tile finishing (its writes acknowledged).
Picoseconds total_time_ps(const TimedRun& run);
EnergyBreakdown energy_of(const TimedRun& run, const RunContext& ctx);

nlohmann::ordered_json result_json(const RunContext& ctx, const std::vector<TimedRun>& runs);
nlohmann::ordered_json timeline_json(const RunContext& ctx, const std::vector<TimedRun>& runs);

}  // namespace tessera::platform

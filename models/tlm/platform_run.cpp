#include "models/tlm/platform_run.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>
#include <systemc>
#include <tlm>

#include "models/core/error.h"
#include "models/dram/dram_system.h"
#include "models/dram/from_config.h"
#include "models/platform/cache_core.h"
#include "models/platform/line_cache_core.h"
#include "models/platform/schedule.h"
#include "models/tlm/cache_module.h"
#include "models/tlm/dram_target.h"
#include "models/tlm/interconnect.h"
#include "models/tlm/lt_dram_target.h"
#include "models/tlm/platform_payload.h"
#include "models/tlm/tile_initiator.h"

namespace tessera::tlm_platform {

namespace {

// One netlist: tiles -> interconnect -> cache banks -> DRAM, for one
// (capacity, policy) of the platform.
class PlatformTop : public sc_core::sc_module {
 public:
  PlatformTop(sc_core::sc_module_name name, const config::PlatformConfig& platform,
              const workload::Trace& trace, const dram::DramSpec& spec, bool lt_mode,
              std::uint64_t seed, platform::TimedRun& run)
      : sc_module(name),
        run_(run),
        pool_(static_cast<unsigned>(platform.interconnect.burst_bytes)) {
    if (platform.cache.organization == config::CacheOrganization::kTensor) {
      core_ = std::make_unique<platform::SharedCacheCore>(platform.cache, run.capacity_bytes,
                                                          run.policy, trace, seed,
                                                          platform::lookup_sequence(run.schedule));
    } else {
      lines_ = std::make_unique<platform::LineCacheCore>(
          platform.cache, run.capacity_bytes, platform.interconnect.burst_bytes, run.policy, seed,
          platform::lookup_sequence(run.schedule));
    }
    const std::uint32_t tiles = platform.tiles.count;
    run.record.tiles.resize(tiles);
    run.record.tile_finish_ps.assign(tiles, 0);
    // LT times DRAM with the approximate closed-form model (lt_dram.h), AT
    // with the exact timing core.
    if (lt_mode) {
      lt_dram_ = std::make_unique<tlm_models::LtDramTarget>("dram", spec);
    } else {
      dram_ = std::make_unique<tlm_models::DramTarget>("dram", spec);
    }
    const dram::AddressMapping& mapping =
        lt_mode ? lt_dram_->model().mapping() : dram_->core().mapping();
    run.record.channels.resize(spec.org.controllers());
    // Merge DRAM busy gaps shorter than 16 cycles so the timeline stays readable.
    for (auto& ch : run.record.channels) ch.busy.set_gap(16 * platform.clock_period_ps());
    run.record.cache_misses.set_gap(16 * platform.clock_period_ps());
    interconnect_ =
        std::make_unique<Interconnect>("interconnect", platform, tiles, platform.cache.banks);
    cache_ =
        core_
            ? std::make_unique<CacheModule>("cache", platform, *core_, mapping, pool_, run.record)
            : std::make_unique<CacheModule>("cache", platform, *lines_, mapping, pool_, run.record);
    for (std::uint32_t t = 0; t < tiles; ++t) {
      tiles_.push_back(std::make_unique<TileInitiator>(("tile" + std::to_string(t)).c_str(), t,
                                                       run.schedule[t], platform, lt_mode, pool_,
                                                       run.record));
      tiles_.back()->socket.bind(interconnect_->in);
    }
    for (std::uint32_t b = 0; b < platform.cache.banks; ++b) interconnect_->out.bind(cache_->in);
    if (lt_mode) {
      cache_->dram.bind(lt_dram_->socket);
    } else {
      cache_->dram.bind(dram_->socket);
    }
  }

  // Empty when every tile ran its schedule to the end.
  std::string unfinished() const {
    for (const auto& tile : tiles_) {
      std::string what = tile->unfinished();
      if (!what.empty()) return what + "; interconnect:" + interconnect_->pending();
    }
    return {};
  }

  // DRAM counters and energy once the simulation has ended.
  void collect(Picoseconds end_ps) {
    if (lt_dram_) {
      const platform::LtDram& model = lt_dram_->model();
      run_.dram_channels.resize(model.controllers());
      for (std::uint32_t c = 0; c < model.controllers(); ++c) {
        const dram::ChannelStats s = model.stats(c, end_ps);
        run_.dram_channels[c] = {s.row_hits, s.row_misses, s.row_conflicts};
      }
      run_.dram_energy_pj = model.energy_pj(end_ps);
      return;
    }
    const dram::DramSystem& core = dram_->core();
    run_.dram_channels.resize(core.controllers());
    for (std::uint32_t c = 0; c < core.controllers(); ++c) {
      const dram::ChannelStats& s = core.stats(c);
      run_.dram_channels[c] = {s.row_hits, s.row_misses, s.row_conflicts};
    }
    run_.dram_energy_pj = core.energy_pj(end_ps);
  }

 private:
  platform::TimedRun& run_;
  PayloadPool pool_;
  std::unique_ptr<platform::SharedCacheCore> core_;    // tensor organization, or
  std::unique_ptr<platform::LineCacheCore> lines_;     // set-associative
  std::unique_ptr<tlm_models::DramTarget> dram_;       // AT, or
  std::unique_ptr<tlm_models::LtDramTarget> lt_dram_;  // LT
  std::unique_ptr<Interconnect> interconnect_;
  std::unique_ptr<CacheModule> cache_;
  std::vector<std::unique_ptr<TileInitiator>> tiles_;
};

}  // namespace

std::vector<platform::TimedRun> run_timed(const workload::Trace& trace,
                                          const config::PlatformConfig& platform,
                                          const RunOptions& options) {
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS)) {
    throw RuntimeError("the timed platform needs SystemC's default 1 ps time resolution");
  }
  const dram::DramSpec spec = dram::spec_from_platform(
      platform.dram, platform.source.empty() ? "platform" : platform.source);
  const std::vector<platform::TileSchedule> schedule = platform::build_schedule(trace, platform);
  std::uint64_t total_tile_transactions = 0;
  for (const auto& s : schedule) total_tile_transactions += s.transactions;

  std::vector<platform::TimedRun> runs;
  for (const bool lt : options.lt_modes) {
    for (Bytes capacity : platform.cache.capacities_bytes) {
      for (const std::string& policy : platform.cache.policies) {
        platform::TimedRun run;
        run.mode = lt ? "lt" : "at";
        run.policy = policy;
        run.capacity_bytes = capacity;
        run.schedule = schedule;
        run.dram_name = spec.name;
        run.dram_peak_bytes_per_s = spec.peak_bytes_per_second();
        runs.push_back(std::move(run));
      }
    }
  }
  total_tile_transactions *= runs.size();

  tlm::tlm_global_quantum::instance().set(
      sc_core::sc_time(static_cast<double>(options.lt_quantum_ps), sc_core::SC_PS));
  std::vector<std::unique_ptr<PlatformTop>> tops;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    tops.push_back(std::make_unique<PlatformTop>(("platform" + std::to_string(i)).c_str(), platform,
                                                 trace, spec, runs[i].mode == "lt", options.seed,
                                                 runs[i]));
  }

  // Simulate in slices so progress can be reported; stop when nothing is left.
  const auto start = std::chrono::steady_clock::now();
  const sc_core::sc_time slice(10, sc_core::SC_US);
  do {
    sc_core::sc_start(slice);
    if (options.progress) {
      std::uint64_t issued = 0;
      for (const auto& run : runs) issued += run.record.tile_transactions;
      options.progress(issued, total_tile_transactions);
    }
  } while (sc_core::sc_pending_activity());
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Picoseconds end_ps = sc_core::sc_time_stamp().value();
  // No event left while a tile still waits is a deadlock in the model: its
  // figures would be silently short, so it is an error, never a result.
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string what = tops[i]->unfinished();
    if (!what.empty()) {
      throw RuntimeError(fmt::format(
          "timed run {} ({} {} {} B) stalled at {} ps with no event left: {} (a model bug; "
          "please report it with the experiment)",
          i, runs[i].mode, runs[i].policy, runs[i].capacity_bytes, end_ps, what));
    }
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    tops[i]->collect(end_ps);
    runs[i].record.end_ps = end_ps;
    runs[i].wall_seconds = wall;
  }
  return runs;
}

}  // namespace tessera::tlm_platform

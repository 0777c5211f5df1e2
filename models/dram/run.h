// Replays a request source through a DramSystem (the core alone, no SystemC)
// and summarises the run. Requests are submitted in order; a request waits
// while its controller queue is full (closed loop), and its latency counts
// from the moment it entered the controller.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "models/dram/dram_system.h"
#include "models/dram/request_source.h"

namespace tessera::dram {

// Latency distribution in whole cycles (exact below kBuckets cycles).
class LatencyHistogram {
 public:
  static constexpr std::size_t kBuckets = 1 << 16;
  LatencyHistogram() : counts_(kBuckets + 1, 0) {}
  void add(Picoseconds latency_ps, Picoseconds tck_ps);
  std::uint64_t count() const { return count_; }
  double mean_ps() const { return count_ ? static_cast<double>(sum_ps_) / count_ : 0.0; }
  // The smallest latency (cycles x tCK) with at least fraction q of samples at or below it.
  Picoseconds quantile_ps(double q, Picoseconds tck_ps) const;

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ps_ = 0;
};

struct RunSummary {
  std::uint64_t requests = 0;
  std::uint64_t reads = 0, writes = 0;
  Bytes bytes = 0;
  Picoseconds first_arrival_ps = 0, last_done_ps = 0;
  double bandwidth_gbps = 0;       // GB/s (1e9 bytes per second)
  double peak_bandwidth_gbps = 0;  // all controllers
  double latency_mean_ns = 0, latency_p50_ns = 0, latency_p99_ns = 0;
  std::uint64_t row_hits = 0, row_misses = 0, row_conflicts = 0;
  std::uint64_t activates = 0, refreshes = 0, refreshes_pb = 0;
  double refresh_overhead = 0;  // share of rank-time spent in tRFC
  double energy_pj = 0;
  double energy_pj_per_bit = 0;
};

// Hook for every completion (TLM comparison tests, progress bars).
using CompletionHook = std::function<void(const DramCompletion&)>;

RunSummary run_core(DramSystem& dram, RequestSource& source, const CompletionHook& hook = {});

// Fills the summary's derived fields from the system's counters and a histogram;
// shared by run_core and the TLM replay so both report the same way.
RunSummary summarize(const DramSystem& dram, const LatencyHistogram& latency,
                     std::uint64_t requests, Picoseconds first_arrival_ps,
                     Picoseconds last_done_ps);

}  // namespace tessera::dram

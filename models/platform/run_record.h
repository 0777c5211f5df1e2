// What a timed run records while it runs (plain C++; the SystemC modules
// write into it): per tile and operator the time span, compute and stall
// time by reason, bytes moved; busy intervals of the cache and of each DRAM
// channel for the timeline; cache and DRAM counters; DRAM latencies.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/core/units.h"

namespace tessera::platform {

// Why a tile was not computing.
enum class StallReason : std::uint8_t {
  kOperandFetch = 0,  // waiting for the operator's reads to return
  kIssueBlocked = 1,  // compute done, but the tile still waits to issue requests
                      // (its outstanding-request window is full or a port is busy)
  kDrain = 2,         // the last writes draining at the end of the run
};
inline constexpr int kStallReasonCount = 3;
const char* stall_reason_name(StallReason reason);

struct TileOpRecord {
  std::uint32_t op_id = 0;
  Picoseconds start_ps = 0;  // the tile started on this operator
  Picoseconds compute_start_ps = 0;
  Picoseconds end_ps = 0;  // its writes were all issued
  Cycles compute_cycles = 0;
  std::array<Picoseconds, kStallReasonCount> stall_ps{};
  Bytes read_bytes = 0;
  Bytes write_bytes = 0;
};

struct Interval {
  Picoseconds start_ps = 0;
  Picoseconds end_ps = 0;
};

// Merges busy intervals closer than `gap_ps`, and stops recording after
// `max_intervals` (the timeline notes the truncation) so a long run keeps a
// bounded timeline.
class BusyTrack {
 public:
  BusyTrack(Picoseconds gap_ps = 0, std::size_t max_intervals = 20000)
      : gap_ps_(gap_ps), max_(max_intervals) {}
  void set_gap(Picoseconds gap_ps) { gap_ps_ = gap_ps; }
  void begin(Picoseconds t) {
    if (depth_++ == 0) start_ = t;
  }
  void end(Picoseconds t) {
    if (depth_ == 0 || --depth_ != 0) return;
    if (!intervals_.empty() && start_ <= intervals_.back().end_ps + gap_ps_) {
      intervals_.back().end_ps = t;
    } else if (intervals_.size() < max_) {
      intervals_.push_back({start_, t});
    } else {
      truncated_ = true;
    }
    busy_ps_ += t - start_;
  }
  const std::vector<Interval>& intervals() const { return intervals_; }
  bool truncated() const { return truncated_; }
  Picoseconds busy_ps() const { return busy_ps_; }

 private:
  Picoseconds gap_ps_;
  std::size_t max_;
  std::uint32_t depth_ = 0;
  Picoseconds start_ = 0;
  Picoseconds busy_ps_ = 0;
  std::vector<Interval> intervals_;
  bool truncated_ = false;
};

// Latencies in a fixed histogram of 1 ns buckets up to 16 us (+ overflow):
// mean exact, percentiles to the bucket.
class LatencyHistogram {
 public:
  static constexpr std::size_t kBuckets = 16384;
  void add(Picoseconds latency_ps) {
    const std::uint64_t ns = latency_ps / kPsPerNs;
    ++counts_[ns < kBuckets ? ns : kBuckets];
    ++n_;
    sum_ps_ += latency_ps;
    if (latency_ps > max_ps_) max_ps_ = latency_ps;
  }
  std::uint64_t count() const { return n_; }
  double mean_ns() const { return n_ ? static_cast<double>(sum_ps_) / n_ / kPsPerNs : 0.0; }
  double max_ns() const { return static_cast<double>(max_ps_) / kPsPerNs; }
  // Upper edge of the bucket holding the q-quantile, in ns.
  double quantile_ns(double q) const;

 private:
  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(kBuckets + 1, 0);
  std::uint64_t n_ = 0;
  Picoseconds sum_ps_ = 0;
  Picoseconds max_ps_ = 0;
};

struct CacheStats {
  // Per tile request burst (reads and writes), bytes of the tile's requests.
  std::uint64_t read_hits = 0, read_misses = 0;
  std::uint64_t write_hits = 0, write_misses = 0;
  Bytes read_hit_bytes = 0, read_miss_bytes = 0;
  Bytes write_hit_bytes = 0, write_miss_bytes = 0;
  // Segment-level lookups of the cache core (one per tile and trace access).
  std::uint64_t lookups = 0, lookup_hits = 0, bypasses = 0;
  Bytes fill_bytes = 0;          // read from DRAM: demand fills and rest-of-entry fills
  Bytes bypass_write_bytes = 0;  // writes sent to DRAM without allocating
  Bytes writeback_bytes = 0;     // dirty evictions written to DRAM
};

struct DramChannelRecord {
  Bytes read_bytes = 0;
  Bytes write_bytes = 0;
  std::uint64_t requests = 0;
  LatencyHistogram latency;
  BusyTrack busy;
};

struct RunRecord {
  std::vector<std::vector<TileOpRecord>> tiles;  // [tile][op in schedule]
  std::vector<Picoseconds> tile_finish_ps;
  CacheStats cache;
  BusyTrack cache_misses;  // intervals with at least one miss outstanding
  std::vector<DramChannelRecord> channels;
  std::uint64_t transactions = 0;       // every TLM transaction simulated
  std::uint64_t tile_transactions = 0;  // of which issued by tiles
  Picoseconds end_ps = 0;
};

}  // namespace tessera::platform

// Functional trace replay: a trace through a cache core under one policy and
// capacity, counting hits, misses, evictions and DRAM traffic, plus the
// original prototype's latency figures.
//
// Library use (what `tessera replay` does, and what other areas call):
//
//   const PreparedTrace prepared(trace);          // once per trace
//   ReplaySpec spec;
//   spec.policy = "lru";
//   spec.capacity_bytes = 64 * kMiB;
//   ReplayResult r = replay(prepared, spec);      // thread-safe on a shared PreparedTrace
//   r.counters.hits, r.hit_rate(), r.total_latency_ms, ...
//
// The tensor organization keys entries by tensor id and sizes them by each
// event's bytes (tensor_cache.h). The set-associative organization splits
// every event into the lines of [address, address + bytes) and sends each
// line to set (line address / line_bytes) mod sets, where
// sets = capacity / (ways x line_bytes); each set is its own TensorCache with
// its own policy instance over the lines that map to it (so every policy
// file serves both organizations unchanged), and a set holds at most `ways`
// lines because its capacity is ways x line_bytes. A write to a line is taken
// to cover the whole line (write-allocate without fetch).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "models/cache/policy.h"
#include "models/cache/tensor_cache.h"
#include "models/workload/trace.h"

namespace tessera::cache {

enum class Organization { kTensor, kSetAssoc };
const char* organization_name(Organization o);

struct SetAssocGeometry {
  std::uint32_t ways = 16;
  Bytes line_bytes = 64;
};

// The original prototype's latency model. A hit costs hit_ms; a miss of
// size bytes costs (size / 2^20) x miss_ms_per_mib + size / bandwidth.
struct LatencyModel {
  double hit_ms = 0.01;
  double miss_ms_per_mib = 0.1;
  double bandwidth_bytes_per_s = 100e9;
};

struct ReplaySpec {
  std::string policy = "lru";
  Bytes capacity_bytes = 0;
  Organization organization = Organization::kTensor;
  SetAssocGeometry geometry;
  std::vector<std::uint32_t> pinned_tensors;  // tensor ids never evicted (tensor organization)
  std::uint64_t seed = 1;
  double score_weight_size = 0.4, score_weight_reuse = 0.5, score_weight_stride = 0.1;
  LatencyModel latency;
};

struct ReplayResult {
  std::string policy;
  Bytes capacity_bytes = 0;
  Organization organization = Organization::kTensor;
  CacheCounters counters;
  Bytes dirty_bytes_at_end = 0;  // written data still in the cache (not flushed)
  // The prototype's figures (LatencyModel): total_latency_ms is the sum over
  // accesses; bandwidth_wait_time_ms is the size / bandwidth part of it, the
  // time misses spend transferring over the DRAM link.
  double total_latency_ms = 0;
  double bandwidth_wait_time_ms = 0;

  double hit_rate() const;       // hits / accesses (0 when no accesses)
  double byte_hit_rate() const;  // bytes_hit / bytes_accessed
};

// The per-trace work every replay shares, computed once and lazily (each
// part on first need, thread-safe): the next-use index (one backward pass),
// reuse intervals and strides, and for set-associative replays the line
// stream of a line size.
class PreparedTrace {
 public:
  explicit PreparedTrace(const workload::Trace& trace);
  ~PreparedTrace();
  const workload::Trace& trace() const { return trace_; }

  struct Stream;  // an access stream: tensor events or line accesses
  const Stream& tensor_stream() const;
  const Stream& line_stream(Bytes line_bytes) const;

 private:
  const workload::Trace& trace_;
  mutable std::mutex mutex_;
  mutable std::unique_ptr<Stream> tensors_;
  mutable std::vector<std::unique_ptr<Stream>> lines_;
};

// Replays the whole trace. `progress`, when given, is advanced by the
// number of accesses done (in steps of 64 Ki, and at the end). Throws
// InputError for an unknown policy or an impossible geometry.
ReplayResult replay(const PreparedTrace& trace, const ReplaySpec& spec,
                    std::atomic<std::uint64_t>* progress = nullptr);
ReplayResult replay(const workload::Trace& trace, const ReplaySpec& spec);

// Replays every spec on up to `threads` threads (0: one per core), one spec
// per task; results come back in the order of `specs` whatever the
// scheduling. The first error (in spec order) is rethrown after all finish.
std::vector<ReplayResult> replay_all(const PreparedTrace& trace,
                                     const std::vector<ReplaySpec>& specs, unsigned threads = 0,
                                     std::atomic<std::uint64_t>* progress = nullptr);

// Accesses a replay of `spec` processes (events, or line accesses).
std::uint64_t replay_length(const PreparedTrace& trace, const ReplaySpec& spec);

// Next-use index: out[i] = the smallest j > i with keys[j] == keys[i], or
// kNever. One backward pass; `key_space` bounds the keys.
std::vector<std::uint64_t> next_use_index(const std::vector<std::uint32_t>& keys,
                                          std::uint32_t key_space);

}  // namespace tessera::cache

// The functional side of the timed platform's shared cache: one cache core
// (models/cache) plus what a timed lookup needs from it. The TLM cache module
// asks it, per tile segment (tensor organization), "hit or miss, and what did
// this evict", and times the answer. The set-associative organization has its
// own line-granular core (line_cache_core.h).
//
// Entry size: a lookup passes the bytes of the whole trace access the
// segment belongs to, so residency is decided per tensor access exactly as in
// the functional replay; a tile's segment is its part of that access.
//
// AccessInfo for history-based policies (score) is computed here from the
// cache's own lookup stream: the reuse interval counts lookups since the
// previous lookup of the same tensor, the stride is the distance from that
// lookup's address.
//
// Two ways to drive it:
//  - a lookup sequence (schedule.h: lookup_sequence): the timed platform's
//    way. Hit or miss is decided per tile segment in that fixed order,
//    whatever order the requests reach the cache in; a request whose lookup
//    is not decided yet decides every earlier one first (their fills and
//    write-backs are issued then). So the decisions, hits, misses and bytes
//    do not depend on timing: AT and LT agree exactly, for any number of
//    tiles. The price: when tiles drift apart, a tile running ahead makes the
//    cache decide the lagging tiles' earlier lookups at that moment, as if
//    they had arrived in schedule order. Oracle policies (belady,
//    belady-size) see the next use of each tensor in this same sequence, so
//    they are exact for the order the cache decides in.
//  - lookup() in arrival order, without a sequence (used by the RTL
//    co-simulation's tiles, whose schedules are not known up front): oracle
//    policies are refused with an InputError.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/cache/tensor_cache.h"
#include "models/config/platform_config.h"
#include "models/platform/schedule.h"
#include "models/workload/trace.h"

namespace tessera::platform {

struct LookupResult {
  bool hit = false;
  bool bypass = false;                  // not inserted: served straight from/to DRAM
  Bytes writeback_bytes = 0;            // dirty bytes this lookup's evictions write back
  std::uint64_t writeback_address = 0;  // base address of the first evicted tensor
  Bytes fill_bytes = 0;  // bytes the core reads from DRAM for this lookup (an insert reads
                         // the tensor's whole extent, which may exceed the access)
};

class SharedCacheCore {
 public:
  // Arrival-order mode (lookup()).
  SharedCacheCore(const config::PlatformCacheConfig& cache, Bytes capacity_bytes,
                  const std::string& policy, const workload::Trace& trace, std::uint64_t seed);
  // Lookup-sequence mode (decide_through()); `sequence` as lookup_sequence()
  // returns it, pointing into a schedule that outlives the core.
  SharedCacheCore(const config::PlatformCacheConfig& cache, Bytes capacity_bytes,
                  const std::string& policy, const workload::Trace& trace, std::uint64_t seed,
                  std::vector<const Segment*> sequence);

  LookupResult lookup(std::uint32_t tensor_id, std::uint64_t address, Bytes access_bytes,
                      bool write);

  // Decides, in sequence order, every lookup up to and including `index` not
  // decided yet, calling on_decided(segment, result) for each one; returns
  // the result of `index`.
  template <typename OnDecided>
  const LookupResult& decide_through(std::uint32_t index, OnDecided&& on_decided) {
    while (decided_ <= index) {
      const Segment* s = sequence_[decided_];
      if (s != nullptr) {
        results_[decided_] = lookup_at(s->tensor_id, s->access_address, s->access_bytes, s->write,
                                       next_use_[decided_]);
        on_decided(*s, results_[decided_]);
      }
      ++decided_;
    }
    return results_[index];
  }
  std::size_t sequence_length() const { return sequence_.size(); }

  const cache::CacheCounters& counters() const { return core_->counters(); }

 private:
  void init(const config::PlatformCacheConfig& cache, Bytes capacity_bytes,
            const std::string& policy, std::uint64_t seed, bool oracle_allowed);
  LookupResult lookup_at(std::uint32_t tensor_id, std::uint64_t address, Bytes access_bytes,
                         bool write, std::uint64_t next_use);

  const workload::Trace& trace_;
  std::vector<const Segment*> sequence_;
  std::vector<std::uint64_t> next_use_;  // per sequence index, in lookup positions
  std::vector<LookupResult> results_;
  std::uint32_t decided_ = 0;
  std::unique_ptr<cache::TensorCache> core_;
  unsigned needs_ = 0;
  std::uint64_t position_ = 0;
  std::vector<std::uint64_t> last_position_;
  std::vector<std::uint64_t> last_address_;
  std::vector<std::uint32_t> evicted_;
};

}  // namespace tessera::platform

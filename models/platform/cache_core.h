// The functional side of the timed platform's shared cache: one cache core
// (models/cache) plus what a timed lookup needs from it. The TLM cache module
// asks it, per tile segment (tensor organization), "hit or miss, and what did
// this evict", and times the answer.
//
// Entry size: a lookup passes the bytes of the whole trace access the
// segment belongs to, so residency is decided per tensor access exactly as in
// the functional replay; a tile's segment is its part of that access.
//
// AccessInfo for history-based policies (score) is computed here from the
// cache's own lookup stream: the reuse interval counts lookups since the
// previous lookup of the same tensor, the stride is the distance from that
// lookup's address. Oracle policies (belady, belady-size) need the future of
// an access stream that a timed run only discovers as it runs: they are
// refused with an InputError.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/cache/tensor_cache.h"
#include "models/config/platform_config.h"
#include "models/workload/trace.h"

namespace tessera::platform {

struct LookupResult {
  bool hit = false;
  bool bypass = false;                  // not inserted: served straight from/to DRAM
  Bytes writeback_bytes = 0;            // dirty bytes this lookup's evictions write back
  std::uint64_t writeback_address = 0;  // base address of the first evicted tensor
};

class SharedCacheCore {
 public:
  SharedCacheCore(const config::PlatformCacheConfig& cache, Bytes capacity_bytes,
                  const std::string& policy, const workload::Trace& trace, std::uint64_t seed);

  LookupResult lookup(std::uint32_t tensor_id, std::uint64_t address, Bytes access_bytes,
                      bool write);
  const cache::CacheCounters& counters() const { return core_->counters(); }

 private:
  const workload::Trace& trace_;
  std::unique_ptr<cache::TensorCache> core_;
  unsigned needs_ = 0;
  std::uint64_t position_ = 0;
  std::vector<std::uint64_t> last_position_;
  std::vector<std::uint64_t> last_address_;
  std::vector<std::uint32_t> evicted_;
};

}  // namespace tessera::platform

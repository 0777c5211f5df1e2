// The exact LRU miss-ratio curve of a trace in one pass (Mattson, Gecsei,
// Slutz & Traiger 1970), by object count and by bytes, for the
// tensor-granular cache of models/cache (tensor_cache.h): an entry holds its
// tensor's extent, the running maximum of the bytes its accesses have touched
// so far; an access that touches more than the extent is a miss at every
// capacity (a "growth miss"); an entry larger than the capacity bypasses.
//
// By objects (every tensor one slot): a reuse that is not a growth miss hits
// an LRU cache of N entries iff its reuse distance d satisfies d + 1 <= N.
//
// By bytes, capacity C: extents depend only on the access sequence and change
// only on their own tensor's access, so (docs/analysis.md §2.3)
//   * for C >= the largest access of the trace nothing ever bypasses and an
//     access to x with extent e hits iff it is not a growth miss and
//     b + e <= C, b = the extents of the distinct tensors accessed since x's
//     last use: one histogram over the sorted capacities serves all of them;
//   * below that, bypasses leave holes that a later insert fills without
//     evicting, so the resident set is no longer a function of b. Every such
//     capacity keeps its own LRU boundary in the scanner's recency order:
//     the entries resident at C are exactly the live markers at or above the
//     boundary whose extent is in [1, C]. A hit is one comparison; a miss
//     adds the extent and advances the boundary past least-recent markers
//     until the entry fits. The boundary only moves forward, so the walk is
//     amortised O(1) per access and capacity.
// Both are exact: the integration tests compare hits, misses and bytes with
// `replay --policy lru` at every capacity.
#pragma once

#include <vector>

#include "models/analysis/reuse_scanner.h"
#include "models/workload/trace.h"

namespace tessera::analysis {

struct MrcPoint {
  Bytes capacity_bytes = 0;
  std::uint64_t accesses = 0;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;  // cold, capacity, growth and bypass misses
  Bytes bytes_accessed = 0;  // sum of the accesses' bytes (CacheCounters' names)
  Bytes bytes_hit = 0;
  Bytes bytes_missed = 0;
  double miss_ratio() const {
    return accesses == 0 ? 0.0 : static_cast<double>(misses) / static_cast<double>(accesses);
  }
  double byte_miss_ratio() const {
    return bytes_accessed == 0
               ? 0.0
               : static_cast<double>(bytes_missed) / static_cast<double>(bytes_accessed);
  }
};

struct LruMrc {
  std::uint64_t accesses = 0;
  std::uint64_t cold = 0;
  std::uint64_t growth = 0;  // reuses that touched more than the tensor's extent
  // object_hist[d]: reuses at reuse distance d (distinct other tensors) that
  // can hit: not growth misses and not of a tensor that holds 0 bytes.
  std::vector<std::uint64_t> object_hist;
  std::vector<MrcPoint> by_bytes;  // one per requested capacity, ascending

  // Hits of an LRU cache holding `entries` tensors, whatever their sizes.
  std::uint64_t hits_with_entries(std::uint64_t entries) const;
  double miss_ratio_with_entries(std::uint64_t entries) const;
};

class LruMrcBuilder {
 public:
  // tensors: the id space. largest_access_bytes: the most bytes any access
  // of the stream will touch (capacities at or above it never bypass); a
  // step() with more throws RuntimeError. capacities_bytes: sorted and
  // deduplicated here; each >= 1 byte, at most 250 of them (InputError
  // otherwise).
  LruMrcBuilder(std::uint32_t tensors, Bytes largest_access_bytes,
                std::vector<Bytes> capacities_bytes);
  // The scanner holds a pointer to boundary_: not copyable or movable.
  LruMrcBuilder(const LruMrcBuilder&) = delete;
  LruMrcBuilder& operator=(const LruMrcBuilder&) = delete;

  // One access; returns its reuse sample so callers can build other measures
  // in the same pass.
  ReuseSample step(std::uint32_t tensor, Bytes access_bytes);

  LruMrc finish() const;

 private:
  void evict_until_fits(std::size_t k);

  std::vector<Bytes> caps_;
  std::size_t first_large_ = 0;  // caps_[first_large_..] >= largest_
  Bytes largest_ = 0;
  ReuseScanner scanner_;
  std::vector<std::uint64_t> object_hist_;
  // Capacities >= largest_: reuses (and their bytes) whose smallest hitting
  // capacity is caps_[k]; index caps_.size() = none.
  std::vector<std::uint64_t> large_first_hit_;
  std::vector<Bytes> large_first_hit_bytes_;
  // Capacities below largest_, one LRU each: the boundary slot (resident =
  // live markers at or above it with extent in [1, C]), bytes resident, hits.
  std::vector<std::uint32_t> boundary_;
  std::vector<Bytes> used_bytes_;
  std::vector<std::uint64_t> small_hits_;
  std::vector<Bytes> small_hit_bytes_;
  std::uint64_t accesses_ = 0;
  std::uint64_t cold_ = 0;
  std::uint64_t growth_ = 0;
  Bytes bytes_accessed_ = 0;
};

// The most bytes any event of the trace touches (0 for an empty trace).
Bytes largest_access_bytes(const workload::Trace& trace);

LruMrc compute_lru_mrc(const workload::Trace& trace, std::vector<Bytes> capacities_bytes);

// `points` capacities from lo to hi, geometrically spaced and rounded to whole
// bytes (duplicates removed). points >= 2, 1 <= lo <= hi.
std::vector<Bytes> log_spaced_capacities(Bytes lo, Bytes hi, int points);

}  // namespace tessera::analysis

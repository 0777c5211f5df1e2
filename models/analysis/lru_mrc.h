// The exact LRU miss-ratio curve of a trace in one pass (Mattson, Gecsei,
// Slutz & Traiger 1970), by object count and by bytes.
//
// By objects (every tensor one slot): an access hits an LRU cache of N
// entries iff its reuse distance d (distinct other tensors since its last
// use) satisfies d + 1 <= N. One histogram of d gives the whole curve.
//
// By bytes, for the tensor-granular LRU of models/cache (variable sizes; a
// miss evicts least-recent entries until the new tensor fits; a tensor larger
// than the capacity C bypasses and leaves the cache untouched). Its content is
// always the longest most-recent-first prefix of the recency stack of tensors
// of size <= C whose sizes sum to <= C (proof in docs/analysis.md §2), so an
// access to x of size s hits iff s <= C and
//     f_C(x) + s <= C,   f_C(x) = bytes of the distinct tensors of size <= C
//                                 accessed since x's last use.
// For C >= the largest tensor, f_C is the plain byte distance b and the hit
// condition is b + s <= C: one histogram serves every such C. Smaller C need
// f_C, which a class-split Fenwick tree answers for all of them in one query.
#pragma once

#include <vector>

#include "models/analysis/reuse_scanner.h"
#include "models/workload/trace.h"

namespace tessera::analysis {

struct MrcPoint {
  Bytes capacity_bytes = 0;
  std::uint64_t accesses = 0;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;  // cold, capacity and bypass misses
  double miss_ratio() const {
    return accesses == 0 ? 0.0 : static_cast<double>(misses) / static_cast<double>(accesses);
  }
};

struct LruMrc {
  std::uint64_t accesses = 0;
  std::uint64_t cold = 0;
  // object_hist[d]: reuses whose reuse distance is d distinct other tensors.
  std::vector<std::uint64_t> object_hist;
  std::vector<MrcPoint> by_bytes;  // one per requested capacity, ascending

  // Hits of an LRU cache holding `entries` tensors, whatever their sizes.
  std::uint64_t hits_with_entries(std::uint64_t entries) const;
  double miss_ratio_with_entries(std::uint64_t entries) const;
};

class LruMrcBuilder {
 public:
  // capacities_bytes: sorted and deduplicated here; each >= 1 byte, at most
  // 250 of them (InputError otherwise).
  LruMrcBuilder(std::vector<Bytes> sizes_bytes, std::vector<Bytes> capacities_bytes);

  // One access; returns its reuse sample so callers can build other measures
  // in the same pass.
  ReuseSample step(std::uint32_t tensor);

  LruMrc finish() const;

 private:
  std::vector<Bytes> sizes_;
  std::vector<Bytes> caps_;
  std::size_t first_large_ = 0;  // caps_[first_large_..] >= largest tensor
  ReuseScanner scanner_;
  std::vector<std::uint64_t> object_hist_;
  std::vector<std::uint64_t> large_first_hit_;  // reuses whose smallest hitting large capacity is k
  std::vector<std::uint64_t> small_hits_;
  std::vector<std::uint64_t> class_bytes_;  // scratch for the class query
  std::uint64_t accesses_ = 0;
  std::uint64_t cold_ = 0;
};

LruMrc compute_lru_mrc(const workload::Trace& trace, std::vector<Bytes> capacities_bytes);

// `points` capacities from lo to hi, geometrically spaced and rounded to whole
// bytes (duplicates removed). points >= 2, 1 <= lo <= hi.
std::vector<Bytes> log_spaced_capacities(Bytes lo, Bytes hi, int points);

}  // namespace tessera::analysis

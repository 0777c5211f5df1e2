// The tensor-granular cache core: fully associative, capacity in bytes,
// one variable-size entry per key (a tensor id, or a line within a set when
// the set-associative core uses it per set).
//
// Every key has an extent: the running maximum of the bytes its accesses
// have touched so far (a KV cache grows; a tile of a weight touches less than
// a whole tensor). The extent depends only on the access sequence, never on
// the capacity or the policy, and it only grows. An entry always holds its
// key's extent.
//
// An access of `bytes` to `key` (extent E before it, E' = max(E, bytes)):
//   resident and bytes <= E  -> hit (a write marks the entry dirty)
//   otherwise                -> miss, and the entry to insert is E' bytes.
//     A read miss reads E' bytes from DRAM; a write miss reads the E' - bytes
//     the write does not cover (write-allocate).
//     An entry larger than the capacity left after pinned entries, or one the
//     policy declines to admit, bypasses: the access goes to or from DRAM
//     directly (`bytes` each way) and the cache is left as it was.
//     Otherwise victims chosen by the policy are evicted until it fits; a
//     dirty victim is written back (bytes_written_to_dram).
//   A resident entry accessed with more bytes than its extent (a KV cache
//   that grew: a "growth miss", at every capacity) drops the old extent (not
//   counted as an eviction, its dirtiness carried over) and the larger one is
//   read and inserted like any miss (or bypasses).
// Because extents are capacity-independent and change only on an access to
// their own key, LRU over this core stays exactly reproducible by a one-pass
// miss-ratio curve (models/analysis/lru_mrc.h, docs/analysis.md §2).
// Pinned keys are never evicted and never shown to the policy; they still
// occupy capacity and are inserted on their first access.
// Dirty entries still resident at the end are not flushed (dirty_bytes()).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/cache/policy.h"

namespace tessera::cache {

struct CacheCounters {
  std::uint64_t accesses = 0;
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;    // including bypasses
  std::uint64_t bypasses = 0;  // misses not inserted (too large, or not admitted)
  std::uint64_t evictions = 0;
  std::uint64_t writebacks = 0;  // dirty evictions
  Bytes bytes_accessed = 0;
  Bytes bytes_hit = 0;
  Bytes bytes_missed = 0;  // bytes of missed accesses (what the latency model charges)
  Bytes bytes_read_from_dram = 0;
  Bytes bytes_written_to_dram = 0;

  CacheCounters& operator+=(const CacheCounters& o);
};

enum class AccessOutcome : std::uint8_t { kHit, kInserted, kBypassed };

class TensorCache {
 public:
  // Per-key core state: the key's extent with the resident, dirty and pinned
  // flags in its top bits. 8 bytes; the policy adds its own.
  static constexpr std::size_t kStateBytesPerEntry = sizeof(std::uint64_t);

  TensorCache(Bytes capacity_bytes, std::uint32_t key_space, std::unique_ptr<Policy> policy);

  // Pinned keys must be set before the first access.
  void pin(std::uint32_t key);

  AccessOutcome access(std::uint32_t key, const AccessInfo& info);

  bool contains(std::uint32_t key) const { return (state_[key] & kResidentBit) != 0; }
  Bytes resident_bytes(std::uint32_t key) const {
    return contains(key) ? state_[key] & kSizeMask : 0;
  }
  // Running maximum of the bytes of the key's accesses so far (0: none yet).
  Bytes extent_bytes(std::uint32_t key) const { return state_[key] & kSizeMask; }
  bool dirty(std::uint32_t key) const { return (state_[key] & kDirtyBit) != 0; }
  Bytes used_bytes() const { return used_bytes_; }
  Bytes capacity_bytes() const { return capacity_bytes_; }
  Bytes dirty_bytes() const;
  const CacheCounters& counters() const { return counters_; }
  const Policy& policy() const { return *policy_; }
  std::uint32_t key_space() const { return static_cast<std::uint32_t>(state_.size()); }

  // When set, every evicted key is appended (tests, hand-worked examples).
  void set_eviction_log(std::vector<std::uint32_t>* log) { eviction_log_ = log; }

 private:
  static constexpr std::uint64_t kDirtyBit = std::uint64_t{1} << 63;
  static constexpr std::uint64_t kPinnedBit = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kResidentBit = std::uint64_t{1} << 61;
  static constexpr std::uint64_t kSizeMask = kResidentBit - 1;

  AccessOutcome miss(std::uint32_t key, const AccessInfo& info, Bytes extent_bytes,
                     Bytes carried_dirty_bytes);
  void evict_one(const AccessInfo& incoming);

  Bytes capacity_bytes_;
  Bytes used_bytes_ = 0;
  Bytes pinned_bytes_ = 0;  // resident pinned bytes
  std::vector<std::uint64_t> state_;
  std::unique_ptr<Policy> policy_;
  CacheCounters counters_;
  std::vector<std::uint32_t>* eviction_log_ = nullptr;
};

}  // namespace tessera::cache

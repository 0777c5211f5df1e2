#include "models/cache/tensor_cache.h"

#include "models/core/error.h"

namespace tessera::cache {

CacheCounters& CacheCounters::operator+=(const CacheCounters& o) {
  accesses += o.accesses;
  hits += o.hits;
  misses += o.misses;
  bypasses += o.bypasses;
  evictions += o.evictions;
  writebacks += o.writebacks;
  bytes_accessed += o.bytes_accessed;
  bytes_hit += o.bytes_hit;
  bytes_missed += o.bytes_missed;
  bytes_read_from_dram += o.bytes_read_from_dram;
  bytes_written_to_dram += o.bytes_written_to_dram;
  return *this;
}

TensorCache::TensorCache(Bytes capacity_bytes, std::uint32_t key_space,
                         std::unique_ptr<Policy> policy)
    : capacity_bytes_(capacity_bytes), state_(key_space, 0), policy_(std::move(policy)) {
  if (!policy_) throw RuntimeError("TensorCache needs a policy");
}

void TensorCache::pin(std::uint32_t key) {
  state_[key] |= kPinnedBit;
}

Bytes TensorCache::dirty_bytes() const {
  Bytes total = 0;
  for (std::uint64_t s : state_) {
    if (s & kDirtyBit) total += s & kSizeMask;
  }
  return total;
}

AccessOutcome TensorCache::access(std::uint32_t key, const AccessInfo& info) {
  ++counters_.accesses;
  counters_.bytes_accessed += info.bytes;
  const std::uint64_t s = state_[key];
  const Bytes extent = s & kSizeMask;
  const bool resident = (s & kResidentBit) != 0;
  if (resident && info.bytes <= extent) {
    ++counters_.hits;
    counters_.bytes_hit += info.bytes;
    if (info.is_write) state_[key] = s | kDirtyBit;
    if (!(s & kPinnedBit)) {
      // Policies see the entry's size, not the access's.
      if (info.bytes == extent) {
        policy_->on_hit(key, info);
      } else {
        AccessInfo entry = info;
        entry.bytes = extent;
        policy_->on_hit(key, entry);
      }
    }
    return AccessOutcome::kHit;
  }
  Bytes carried_dirty_bytes = 0;
  if (resident) {
    // The entry grew: drop the smaller extent, keep its dirtiness.
    if (s & kDirtyBit) carried_dirty_bytes = extent;
    used_bytes_ -= extent;
    if (s & kPinnedBit)
      pinned_bytes_ -= extent;
    else
      policy_->on_evict(key);
  }
  const Bytes grown = info.bytes > extent ? info.bytes : extent;
  state_[key] = (s & kPinnedBit) | grown;  // absent, with the key's (new) extent
  return miss(key, info, grown, carried_dirty_bytes);
}

AccessOutcome TensorCache::miss(std::uint32_t key, const AccessInfo& info, Bytes extent_bytes,
                                Bytes carried_dirty_bytes) {
  ++counters_.misses;
  counters_.bytes_missed += info.bytes;
  AccessInfo entry = info;  // what the policy sees: the entry to insert
  entry.bytes = extent_bytes;
  const bool pinned = (state_[key] & kPinnedBit) != 0;
  if (!pinned) policy_->on_miss(key, entry);
  const Bytes room = capacity_bytes_ - pinned_bytes_;      // what unpinned entries may use
  bool bypass = extent_bytes > room || extent_bytes == 0;  // nothing to hold for 0 bytes
  if (!bypass && !pinned) bypass = !policy_->admit(key, entry, capacity_bytes_ - used_bytes_);
  if (bypass) {
    ++counters_.bypasses;
    if (info.is_write)
      counters_.bytes_written_to_dram += info.bytes;
    else
      counters_.bytes_read_from_dram += info.bytes;
    // A dropped dirty extent that the write did not cover goes back to DRAM.
    if (carried_dirty_bytes > (info.is_write ? info.bytes : 0)) {
      counters_.bytes_written_to_dram += carried_dirty_bytes;
    }
    return AccessOutcome::kBypassed;
  }
  // The entry is filled whole: a write supplies its own bytes, DRAM the rest.
  counters_.bytes_read_from_dram += info.is_write ? extent_bytes - info.bytes : extent_bytes;
  while (used_bytes_ + extent_bytes > capacity_bytes_) evict_one(entry);
  used_bytes_ += extent_bytes;
  std::uint64_t s = state_[key] | kResidentBit;
  if (carried_dirty_bytes != 0) s |= kDirtyBit;
  if (info.is_write) s |= kDirtyBit;
  state_[key] = s;
  if (pinned)
    pinned_bytes_ += extent_bytes;
  else
    policy_->on_insert(key, entry);
  return AccessOutcome::kInserted;
}

void TensorCache::evict_one(const AccessInfo& incoming) {
  const std::uint32_t v = policy_->victim(incoming);
  const std::uint64_t s = state_[v];
  const Bytes bytes = s & kSizeMask;
  if (!(s & kResidentBit) || (s & kPinnedBit)) {
    throw RuntimeError("eviction policy chose a victim that is not an evictable resident entry");
  }
  policy_->on_evict(v);
  ++counters_.evictions;
  if (s & kDirtyBit) {
    ++counters_.writebacks;
    counters_.bytes_written_to_dram += bytes;
  }
  used_bytes_ -= bytes;
  state_[v] = s & kSizeMask;  // absent; the extent stays (it is the key's, not the entry's)
  if (eviction_log_) eviction_log_->push_back(v);
}

}  // namespace tessera::cache

#include "models/analysis/lru_mrc.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "models/analysis/reuse_distance.h"
#include "models/core/error.h"

namespace tessera::analysis {
namespace {

constexpr std::size_t kMaxCapacities = 250;  // keeps per-access work and output bounded

std::vector<Bytes> sorted_unique(std::vector<Bytes> caps) {
  std::sort(caps.begin(), caps.end());
  caps.erase(std::unique(caps.begin(), caps.end()), caps.end());
  if (!caps.empty() && caps.front() == 0) {
    throw InputError("capacity: expected at least 1 byte, found 0");
  }
  if (caps.size() > kMaxCapacities) {
    throw InputError("capacities: expected at most " + std::to_string(kMaxCapacities) + ", found " +
                     std::to_string(caps.size()));
  }
  return caps;
}

}  // namespace

std::uint64_t LruMrc::hits_with_entries(std::uint64_t entries) const {
  std::uint64_t hits = 0;
  const std::uint64_t limit = std::min<std::uint64_t>(entries, object_hist.size());
  for (std::uint64_t d = 0; d < limit; ++d) hits += object_hist[d];  // d + 1 <= entries
  return hits;
}

double LruMrc::miss_ratio_with_entries(std::uint64_t entries) const {
  if (accesses == 0) return 0.0;
  return static_cast<double>(accesses - hits_with_entries(entries)) / static_cast<double>(accesses);
}

LruMrcBuilder::LruMrcBuilder(std::uint32_t tensors, Bytes largest_access_bytes,
                             std::vector<Bytes> capacities_bytes)
    : caps_(sorted_unique(std::move(capacities_bytes))),
      largest_(largest_access_bytes),
      scanner_(tensors) {
  first_large_ = static_cast<std::size_t>(std::lower_bound(caps_.begin(), caps_.end(), largest_) -
                                          caps_.begin());
  object_hist_.assign(std::size_t{tensors} + 1, 0);
  large_first_hit_.assign(caps_.size() + 1, 0);
  large_first_hit_bytes_.assign(caps_.size() + 1, 0);
  boundary_.assign(first_large_, 1);  // empty caches: every future marker is above
  used_bytes_.assign(first_large_, 0);
  small_hits_.assign(first_large_, 0);
  small_hit_bytes_.assign(first_large_, 0);
  if (first_large_ > 0) scanner_.attach_cursors(&boundary_);
}

// LRU eviction at capacity caps_[k]: walk the boundary up the recency order,
// dropping the resident markers it passes (live, extent in [1, C]) until the
// resident bytes fit. The entry just inserted sits at the top and fits alone,
// so the walk stops below it.
void LruMrcBuilder::evict_until_fits(std::size_t k) {
  const Bytes cap = caps_[k];
  const Bytes* slot_extent = scanner_.slot_extents();  // 0 for free slots: they weigh nothing
  std::uint32_t slot = boundary_[k];
  Bytes used = used_bytes_[k];
  while (used > cap) {
    const Bytes e = slot_extent[slot++];
    if (e <= cap) used -= e;  // resident (or free: 0); larger markers bypassed
  }
  boundary_[k] = slot;
  used_bytes_[k] = used;
}

ReuseSample LruMrcBuilder::step(std::uint32_t tensor, Bytes access_bytes) {
  if (access_bytes > largest_) {
    throw RuntimeError("LruMrcBuilder: an access of " + std::to_string(access_bytes) +
                       " bytes exceeds the declared largest access (" + std::to_string(largest_) +
                       " bytes)");
  }
  const ReuseSample s = scanner_.step(tensor, access_bytes);
  ++accesses_;
  bytes_accessed_ += access_bytes;
  const Bytes old_extent = s.prev_extent_bytes;
  const Bytes extent = s.extent_bytes;
  // Only a reuse of a non-empty entry that stays within its extent can hit.
  const bool can_hit = !s.cold() && !s.grew() && old_extent != 0;
  if (s.cold()) {
    ++cold_;
  } else if (s.grew()) {
    ++growth_;
  }
  if (can_hit) {
    ++object_hist_[s.tensors];
    // Large capacities: hit iff b + e <= C; record the smallest such C.
    const Bytes distance = s.bytes + extent;  // bytes the stack must hold down to x, x included
    const auto first = static_cast<std::size_t>(
        std::lower_bound(caps_.begin() + static_cast<std::ptrdiff_t>(first_large_), caps_.end(),
                         distance) -
        caps_.begin());
    ++large_first_hit_[first];
    large_first_hit_bytes_[first] += access_bytes;
  }
  if (first_large_ == 0 || extent == 0) return s;  // a 0-byte entry is never cached
  // Small capacities. Those below the old extent neither held x nor can take
  // it (its extent only grew): nothing changes there.
  const Bytes lowest_relevant = old_extent != 0 ? old_extent : extent;
  const std::uint32_t prev_slot = scanner_.prev_slot();
  for (auto k = static_cast<std::size_t>(
           std::lower_bound(caps_.begin(),
                            caps_.begin() + static_cast<std::ptrdiff_t>(first_large_),
                            lowest_relevant) -
           caps_.begin());
       k < first_large_; ++k) {
    const Bytes cap = caps_[k];
    const bool resident = old_extent != 0 && old_extent <= cap && prev_slot >= boundary_[k];
    if (resident && can_hit) {
      ++small_hits_[k];
      small_hit_bytes_[k] += access_bytes;
      continue;
    }
    if (resident) used_bytes_[k] -= old_extent;  // growth: the old extent is dropped
    if (extent > cap) continue;                  // bypass: the cache is left as it was
    used_bytes_[k] += extent;
    if (used_bytes_[k] > cap) evict_until_fits(k);
  }
  return s;
}

LruMrc LruMrcBuilder::finish() const {
  LruMrc out;
  out.accesses = accesses_;
  out.cold = cold_;
  out.growth = growth_;
  out.object_hist = object_hist_;
  // Trim trailing empty bins so the histogram ends at the largest distance seen.
  while (!out.object_hist.empty() && out.object_hist.back() == 0) out.object_hist.pop_back();
  std::uint64_t large_hits = 0;
  Bytes large_hit_bytes = 0;
  out.by_bytes.resize(caps_.size());
  for (std::size_t k = 0; k < caps_.size(); ++k) {
    MrcPoint& p = out.by_bytes[k];
    p.capacity_bytes = caps_[k];
    p.accesses = accesses_;
    p.bytes_accessed = bytes_accessed_;
    if (k < first_large_) {
      p.hits = small_hits_[k];
      p.bytes_hit = small_hit_bytes_[k];
    } else {
      large_hits += large_first_hit_[k];
      large_hit_bytes += large_first_hit_bytes_[k];
      p.hits = large_hits;
      p.bytes_hit = large_hit_bytes;
    }
    p.misses = accesses_ - p.hits;
    p.bytes_missed = bytes_accessed_ - p.bytes_hit;
  }
  return out;
}

Bytes largest_access_bytes(const workload::Trace& trace) {
  Bytes largest = 0;
  for (const auto& e : trace.events) largest = std::max(largest, e.bytes);
  return largest;
}

LruMrc compute_lru_mrc(const workload::Trace& trace, std::vector<Bytes> capacities_bytes) {
  check_tensor_ids(trace);
  LruMrcBuilder builder(static_cast<std::uint32_t>(trace.tensors.size()),
                        largest_access_bytes(trace), std::move(capacities_bytes));
  for (const auto& e : trace.events) builder.step(e.tensor_id, e.bytes);
  return builder.finish();
}

std::vector<Bytes> log_spaced_capacities(Bytes lo, Bytes hi, int points) {
  if (lo == 0 || hi < lo || points < 2) {
    throw InputError(
        "capacity sweep: expected 1 <= lo <= hi and points >= 2, found lo=" + std::to_string(lo) +
        " hi=" + std::to_string(hi) + " points=" + std::to_string(points));
  }
  std::vector<Bytes> caps;
  const double ratio = std::log(static_cast<double>(hi) / static_cast<double>(lo));
  for (int i = 0; i < points; ++i) {
    const double c = static_cast<double>(lo) * std::exp(ratio * i / (points - 1));
    caps.push_back(i == points - 1 ? hi : static_cast<Bytes>(std::llround(c)));
  }
  std::sort(caps.begin(), caps.end());
  caps.erase(std::unique(caps.begin(), caps.end()), caps.end());
  return caps;
}

}  // namespace tessera::analysis

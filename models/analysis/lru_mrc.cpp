#include "models/analysis/lru_mrc.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "models/analysis/reuse_distance.h"
#include "models/core/error.h"

namespace tessera::analysis {
namespace {

constexpr std::size_t kMaxCapacities = 250;  // classes must fit below ReuseScanner::kNoClass

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

LruMrcBuilder::LruMrcBuilder(std::vector<Bytes> sizes_bytes, std::vector<Bytes> capacities_bytes)
    : sizes_(std::move(sizes_bytes)),
      caps_(sorted_unique(std::move(capacities_bytes))),
      scanner_(sizes_) {
  const Bytes largest = sizes_.empty() ? 0 : *std::max_element(sizes_.begin(), sizes_.end());
  first_large_ = static_cast<std::size_t>(std::lower_bound(caps_.begin(), caps_.end(), largest) -
                                          caps_.begin());
  object_hist_.assign(sizes_.size(), 0);
  large_first_hit_.assign(caps_.size() + 1, 0);
  small_hits_.assign(first_large_, 0);
  if (first_large_ > 0) {
    // Class j = tensors whose size is in (caps_[j-1], caps_[j]]; tensors larger
    // than every small capacity never count towards f_C of a small C.
    std::vector<std::uint8_t> class_of(sizes_.size(), ReuseScanner::kNoClass);
    for (std::size_t t = 0; t < sizes_.size(); ++t) {
      const auto it = std::lower_bound(caps_.begin(), caps_.begin() + first_large_, sizes_[t]);
      if (it != caps_.begin() + first_large_) {
        class_of[t] = static_cast<std::uint8_t>(it - caps_.begin());
      }
    }
    scanner_.enable_classes(std::move(class_of), static_cast<unsigned>(first_large_));
    class_bytes_.assign(first_large_, 0);
  }
}

ReuseSample LruMrcBuilder::step(std::uint32_t tensor) {
  const ReuseSample s = scanner_.step(tensor);
  ++accesses_;
  if (s.cold()) {
    ++cold_;
    return s;
  }
  ++object_hist_[s.tensors];
  const Bytes size = sizes_[tensor];
  const Bytes distance = s.bytes + size;  // bytes the stack must hold down to x, x included
  // Large capacities: hit iff distance <= C; record the smallest such C.
  const auto first = std::lower_bound(caps_.begin() + static_cast<std::ptrdiff_t>(first_large_),
                                      caps_.end(), distance) -
                     caps_.begin();
  ++large_first_hit_[static_cast<std::size_t>(first)];
  // Small capacities (some tensor bypasses them): decide one by one.
  bool queried = false;
  std::uint64_t f = 0;  // f_C: bytes of classes [0, summed)
  std::size_t summed = 0;
  for (std::size_t k = 0; k < first_large_; ++k) {
    const Bytes cap = caps_[k];
    if (size > cap) continue;  // bypass: a miss
    if (distance <= cap) {
      ++small_hits_[k];  // f_C <= b, so b + s <= C implies a hit
      continue;
    }
    if (!queried) {
      // Only capacities below `distance` need f_C: classes up to the last one.
      const auto upto = static_cast<unsigned>(
          std::lower_bound(caps_.begin() + static_cast<std::ptrdiff_t>(k),
                           caps_.begin() + static_cast<std::ptrdiff_t>(first_large_), distance) -
          caps_.begin());
      scanner_.class_bytes_between(class_bytes_.data(), upto);
      queried = true;
    }
    while (summed <= k) f += class_bytes_[summed++];
    if (f + size <= cap) ++small_hits_[k];
  }
  return s;
}

LruMrc LruMrcBuilder::finish() const {
  LruMrc out;
  out.accesses = accesses_;
  out.cold = cold_;
  out.object_hist = object_hist_;
  // Trim trailing empty bins so the histogram ends at the largest distance seen.
  while (!out.object_hist.empty() && out.object_hist.back() == 0) out.object_hist.pop_back();
  std::uint64_t large_hits = 0;
  out.by_bytes.resize(caps_.size());
  for (std::size_t k = 0; k < caps_.size(); ++k) {
    MrcPoint& p = out.by_bytes[k];
    p.capacity_bytes = caps_[k];
    p.accesses = accesses_;
    if (k < first_large_) {
      p.hits = small_hits_[k];
    } else {
      large_hits += large_first_hit_[k];
      p.hits = large_hits;
    }
    p.misses = accesses_ - p.hits;
  }
  return out;
}

LruMrc compute_lru_mrc(const workload::Trace& trace, std::vector<Bytes> capacities_bytes) {
  check_tensor_ids(trace);
  LruMrcBuilder builder(tensor_sizes(trace), std::move(capacities_bytes));
  for (const auto& e : trace.events) builder.step(e.tensor_id);
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

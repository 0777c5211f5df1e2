// The functional side of a set-associative shared cache in a timed run
// (platform.cache.organization: set-assoc): the set-associative organization
// of `tessera replay` (models/cache/replay.h: every set its own TensorCache of
// ways x line bytes, with its own policy instance over the lines that map to
// it) driven by the schedule's lookup sequence.
//
// Lookups are line-granular, per burst: a tile burst looks up every line it
// touches. With G = min(line, burst) (both powers of two, bursts
// burst-aligned), lookup k of a segment covers granule
// segment.address / G + k, i.e. the part of the segment inside it. So a line
// no larger than a burst is looked up once per segment, and a line larger
// than a burst once per burst that touches it (the second burst of a line
// hits what the first one inserted). Each lookup passes line_bytes to the
// core: a write is taken to cover the whole line (write-allocate without
// fetch), exactly as in the replay.
//
// Decisions are made as in SharedCacheCore's lookup-sequence mode: per
// segment in sequence order, a segment's lines in address order, whatever
// order the bursts arrive in; so hits, misses and bytes do not depend on
// timing (AT and LT agree). Oracle policies see the next use of every line in
// this same line-lookup order; `score` sees the reuse interval of the line in
// lookups and the distance from the previous lookup's line (the replay's
// line-stream features).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/cache/tensor_cache.h"
#include "models/config/platform_config.h"
#include "models/platform/schedule.h"

namespace tessera::platform {

// One line lookup's outcome.
struct LineLookup {
  static constexpr std::uint8_t kHit = 1;
  static constexpr std::uint8_t kBypass = 2;  // not inserted (the policy declined it)
};

class LineCacheCore {
 public:
  // `sequence` as lookup_sequence() returns it, pointing into a schedule that
  // outlives the core. Throws InputError for an unknown policy or a capacity
  // that is not a whole number of sets.
  LineCacheCore(const config::PlatformCacheConfig& cache, Bytes capacity_bytes, Bytes burst_bytes,
                const std::string& policy, std::uint64_t seed,
                std::vector<const Segment*> sequence);
  ~LineCacheCore();

  // Decides, in sequence order, every segment up to and including `index`
  // not decided yet, calling on_line(flags, writeback_address, writeback)
  // for each of their line lookups (writeback: a dirty line was evicted and
  // must be written back: line_bytes at writeback_address).
  template <typename OnLine>
  void decide_through(std::uint32_t index, OnLine&& on_line) {
    while (decided_ <= index) {
      const bool write = sequence_[decided_] != nullptr && sequence_[decided_]->write;
      for (std::uint64_t k = first_lookup_[decided_]; k < first_lookup_[decided_ + 1]; ++k) {
        const std::uint64_t victim = decide(k, write);
        on_line(flags_[k], victim, victim != kNoWriteback);
      }
      ++decided_;
    }
  }

  // The flags of the line lookups of a burst [address, address + bytes) of
  // the segment with lookup index `index` (decided already): burst_lines()
  // entries of LineLookup bits.
  const std::uint8_t* burst_flags(std::uint32_t index, std::uint64_t segment_address,
                                  std::uint64_t address) const {
    return flags_.data() + first_lookup_[index] + (address / granule_ - segment_address / granule_);
  }
  std::uint32_t burst_lines(std::uint64_t address, Bytes bytes) const {
    return static_cast<std::uint32_t>(burst_count(address, bytes, granule_));
  }
  // The granule of lookup j of a burst starting at `address`: its line is
  // granule_address / line_bytes.
  std::uint64_t granule_address(std::uint64_t address, std::uint32_t j) const {
    return (address / granule_ + j) * granule_;
  }
  Bytes granule_bytes() const { return granule_; }
  Bytes line_bytes() const { return line_; }
  std::uint64_t sets() const { return sets_; }
  std::uint64_t line_lookups() const { return first_lookup_.back(); }

  // Summed over the sets.
  cache::CacheCounters counters() const;

 private:
  static constexpr std::uint64_t kNoWriteback = ~std::uint64_t{0};
  // Looks up line lookup k; returns the written-back line's address or kNoWriteback.
  std::uint64_t decide(std::uint64_t k, bool write);

  Bytes line_;
  Bytes granule_;
  std::uint64_t sets_;
  unsigned needs_ = 0;
  std::uint32_t decided_ = 0;
  std::vector<const Segment*> sequence_;
  std::vector<std::uint64_t> first_lookup_;              // per sequence index, and one past the end
  std::vector<std::uint32_t> line_of_;                   // per line lookup: dense line id
  std::vector<std::uint8_t> flags_;                      // per line lookup, once decided
  std::vector<std::uint64_t> next_use_;                  // per line lookup (oracle policies only)
  std::vector<std::uint64_t> line_number_;               // per dense line id: address / line_bytes
  std::vector<std::uint32_t> set_slot_;                  // per dense line id: its set's cache
  std::vector<std::uint32_t> local_;                     // per dense line id: its key in that cache
  std::vector<std::vector<std::uint32_t>> line_in_set_;  // [set slot][local key] -> line id
  std::vector<std::unique_ptr<cache::TensorCache>> caches_;
  std::vector<std::uint64_t> last_position_;  // history policies: per line id
  std::uint64_t previous_address_ = 0;
  std::vector<std::uint32_t> evicted_;
};

}  // namespace tessera::platform

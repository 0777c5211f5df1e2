// Where memory requests come from for standalone DRAM runs: synthetic
// patterns and trace files (Tessera's own text format, DRAMSys .stl and
// Ramulator 2 load/store traces). Formats are described in docs/dram.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/core/rng.h"
#include "models/dram/spec.h"

namespace tessera::dram {

struct TraceRequest {
  Picoseconds arrival_ps = 0;  // 0: as soon as the controller accepts it
  std::uint64_t address = 0;
  std::uint32_t bytes = 64;
  bool is_write = false;
};

class RequestSource {
 public:
  virtual ~RequestSource() = default;
  virtual bool next(TraceRequest& out) = 0;
};

// --pattern values:
//   stream       sequential reads from address 0, `bytes` apart
//   random       reads at uniformly random `bytes`-aligned addresses
//   strided:N    reads N bytes apart (N > 0, e.g. 4096 or 4KiB)
//   mix:R:W      random addresses, R reads for every W writes (random order)
struct Pattern {
  enum class Kind { kStream, kRandom, kStrided, kMix } kind = Kind::kStream;
  std::uint64_t stride_bytes = 64;
  std::uint32_t reads = 1, writes = 0;
};
// Throws InputError("<what>: expected stream|random|strided:N|mix:R:W, found '...'").
Pattern parse_pattern(const std::string& text, const std::string& what = "--pattern");

class PatternSource : public RequestSource {
 public:
  // Addresses stay below `capacity_bytes` (wrapping).
  PatternSource(const Pattern& p, Bytes capacity_bytes, std::uint64_t count, std::uint32_t bytes,
                std::uint64_t seed);
  bool next(TraceRequest& out) override;

 private:
  Pattern pattern_;
  Bytes capacity_;
  std::uint64_t remaining_;
  std::uint32_t bytes_;
  std::uint64_t cursor_ = 0;
  Rng rng_;
};

class VectorSource : public RequestSource {
 public:
  explicit VectorSource(std::vector<TraceRequest> requests) : requests_(std::move(requests)) {}
  bool next(TraceRequest& out) override {
    if (pos_ >= requests_.size()) return false;
    out = requests_[pos_++];
    return true;
  }
  std::size_t size() const { return requests_.size(); }

 private:
  std::vector<TraceRequest> requests_;
  std::size_t pos_ = 0;
};

enum class DramTraceFormat { kTessera, kDramSysStl, kRamulatorLoadStore };
const char* to_string(DramTraceFormat f);

// Reads a whole trace; the format is recognised from the first request line.
// DRAMSys cycles are converted with `tck_ps`. Every bad line is an
// InputError "FILE:LINE: expected ..., found '...'". `limit` > 0 stops early.
std::vector<TraceRequest> read_dram_trace(const std::filesystem::path& path, Picoseconds tck_ps,
                                          DramTraceFormat* format = nullptr,
                                          std::uint64_t limit = 0);

}  // namespace tessera::dram

// What a test needs to know of an FST waveform, read with GTKWave's own FST reader (the
// fstapi.c Verilator ships for its writer): the full names of its variables ("scope.sub.
// name", a vector's " [msb:lsb]" dropped) with their widths, and how many value changes
// each variable had. Reading the file through the reader also checks it: a truncated or
// corrupt file fails to open or iterate.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace tessera::testing {

struct FstSummary {
  bool opened = false;
  std::uint64_t end_time = 0;                    // in the file's time units
  int timescale = 0;                             // exponent: -12 for ps
  std::map<std::string, std::uint32_t> widths;   // full name -> bits
  std::map<std::string, std::uint64_t> changes;  // full name -> value changes (time 0 too)
};

FstSummary read_fst(const std::string& path);

}  // namespace tessera::testing

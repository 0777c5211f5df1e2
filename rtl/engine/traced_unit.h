// TracedUnit: the Verilated SystemC unit an RTL tile carries, seen from the tile: the
// model itself is built and bound by the tile (rtl/engine/verilated_unit.h), what the tile
// base needs of it is only the waveform of its signals. Plain C++: no SystemC or Verilated
// header, so platform_cosim.h and the CLI can name a waveform format.
#pragma once

#include <string>

namespace tessera::rtl {

// Which build of the unit a tile carries: the plain one (fastest: tracing code costs time
// even with no file open), or a tracing twin writing VCD or FST (GTKWave reads both; FST
// is compressed, typically a tenth of the VCD's size or less).
enum class WaveFormat { kNone, kVcd, kFst };

// "vcd" / "fst" (the waveform file's extension); "" for kNone.
inline const char* wave_format_name(WaveFormat f) {
  switch (f) {
    case WaveFormat::kVcd:
      return "vcd";
    case WaveFormat::kFst:
      return "fst";
    case WaveFormat::kNone:
      break;
  }
  return "";
}

class TracedUnit {
 public:
  virtual ~TracedUnit() = default;
  // Opens the waveform of the unit's pins and every internal signal at `path` (a unit
  // built without a trace format ignores it). Call after elaboration (once the simulation
  // has started at time 0) and before any clock edge.
  virtual void open_trace(const std::string& path) = 0;
  // Flushes and closes it (no-op when none is open).
  virtual void close_trace() = 0;
};

}  // namespace tessera::rtl

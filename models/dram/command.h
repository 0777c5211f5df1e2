// DRAM commands as the controller issues them and the checker replays them.
#pragma once

#include <cstdint>

#include "models/core/units.h"

namespace tessera::dram {

enum class Command : std::uint8_t { kAct, kPre, kRd, kWr, kRef, kRefPb };
inline constexpr int kCommandKinds = 6;

inline const char* command_name(Command c) {
  switch (c) {
    case Command::kAct:
      return "ACT";
    case Command::kPre:
      return "PRE";
    case Command::kRd:
      return "RD";
    case Command::kWr:
      return "WR";
    case Command::kRef:
      return "REF";
    case Command::kRefPb:
      return "REFpb";
  }
  return "?";
}

// One issued command. For REF `bank` is unused; for REFpb it is the first
// bank of the refreshed set (see DramSpec::per_bank_refresh_spans_bank_groups).
struct CommandRecord {
  Cycles cycle = 0;
  Command command = Command::kAct;
  std::uint8_t rank = 0;
  std::uint8_t bank_group = 0;
  std::uint8_t bank = 0;  // within its bank group
  std::uint32_t row = 0;
};

}  // namespace tessera::dram

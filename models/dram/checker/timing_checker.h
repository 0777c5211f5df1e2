// An independent replay of a controller's command log that asserts every
// JEDEC constraint between every pair of commands: same bank, same bank
// group, same rank, other ranks and the whole channel; the tFAW window; bank
// state (ACT only on a closed bank, RD/WR only to the open row, REF only with
// the rank precharged); data-bus overlap; the command bus; and refresh
// (no two refreshes of a rank further apart than 9 x tREFI, JEDEC's 8
// postponed refreshes, and none missing at the end).
//
// It shares no code with the controller: the rules are written out again as
// a table (prev, next, scope, distance) from the standard's definitions, so a
// mistake in the controller's bookkeeping shows up as a violation here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/dram/command.h"
#include "models/dram/spec.h"

namespace tessera::dram {

struct Violation {
  std::size_t index = 0;  // position in the log
  Cycles cycle = 0;
  std::string message;  // "tRCD: RD at 30 only 7 cycles after ACT at 23 (rank 0 bg 1 bank 2)"
};

class TimingChecker {
 public:
  explicit TimingChecker(const DramSpec& spec);
  // Checks one controller's log (issue order). `end_cycle`: when the run ended,
  // for the refresh-starvation check.
  std::vector<Violation> check(const std::vector<CommandRecord>& log, Cycles end_cycle) const;

 private:
  DramSpec spec_;
};

}  // namespace tessera::dram

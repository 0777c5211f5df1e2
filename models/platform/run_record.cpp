#include "models/platform/run_record.h"

namespace tessera::platform {

const char* stall_reason_name(StallReason reason) {
  switch (reason) {
    case StallReason::kOperandFetch:
      return "operand_fetch";
    case StallReason::kIssueBlocked:
      return "issue_blocked";
    case StallReason::kDrain:
      return "drain";
  }
  return "unknown";
}

double LatencyHistogram::quantile_ns(double q) const {
  if (n_ == 0) return 0.0;
  const auto target = static_cast<std::uint64_t>(q * static_cast<double>(n_ - 1)) + 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= target) return i < kBuckets ? static_cast<double>(i + 1) : max_ns();
  }
  return max_ns();
}

}  // namespace tessera::platform

// Replays memory requests through the DRAM TLM target (models/tlm/dram_target.h)
// with a small initiator: the SystemC counterpart of dram::run_core, used by
// `tessera dram --tlm at|lt`, the TLM tests and the benchmark.
//
// AT: each request is sent (BEGIN_REQ) at its arrival time or right after the
// END_REQ of the previous one, whichever is later; responses are taken with
// TLM_COMPLETED. Latency counts from END_REQ (entry into the controller) to
// BEGIN_RESP, as run_core counts from entry to done.
// LT: one b_transport per request (approximate, see dram_target.h).
//
// Runs the SystemC kernel (sc_start): call at most once per process.
#pragma once

#include <cstdint>

#include "models/dram/run.h"

namespace tessera::tlm_models {

enum class TlmMode { kAt, kLt };

struct TlmRunResult {
  dram::RunSummary summary;
  std::uint64_t held_back = 0;        // BEGIN_REQs whose END_REQ waited for queue room
  std::uint64_t max_outstanding = 0;  // most requests in the target at once
};

TlmRunResult run_dram_tlm(const dram::DramSpec& spec, dram::RequestSource& source, TlmMode mode,
                          const dram::CompletionHook& hook = {});

}  // namespace tessera::tlm_models

// The timed platform's DRAM in LT mode: a b_transport-only TLM-2.0 target
// around the approximate closed-form model models/platform/lt_dram.h. Each
// call is timed at sc_time_stamp() + delay and returns with the delay
// increased to the request's completion; it never waits.
//
// AT mode (and `tessera dram --mode lt`) use DramTarget, the exact DRAM timing
// core; this target answers nb_transport_fw with an error response.
#pragma once

#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include "models/platform/lt_dram.h"

namespace tessera::tlm_models {

class LtDramTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<LtDramTarget> socket;

  LtDramTarget(sc_core::sc_module_name name, const dram::DramSpec& spec);

  platform::LtDram& model() { return model_; }
  const platform::LtDram& model() const { return model_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);

  platform::LtDram model_;
};

}  // namespace tessera::tlm_models

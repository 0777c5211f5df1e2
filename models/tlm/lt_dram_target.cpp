#include "models/tlm/lt_dram_target.h"

#include "models/core/error.h"

namespace tessera::tlm_models {

LtDramTarget::LtDramTarget(sc_core::sc_module_name name, const dram::DramSpec& spec)
    : sc_core::sc_module(name), socket("socket"), model_(spec) {
  if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS)) {
    throw RuntimeError("lt dram target: needs SystemC's default 1 ps time resolution");
  }
  socket.register_b_transport(this, &LtDramTarget::b_transport);
  socket.register_nb_transport_fw(this, &LtDramTarget::nb_transport_fw);
}

void LtDramTarget::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  // 1 ps resolution: time values are picoseconds.
  const Picoseconds start = sc_core::sc_time_stamp().value();
  const Picoseconds arrival = start + delay.value();
  const Picoseconds done =
      model_.access(trans.get_address(), trans.get_command() == tlm::TLM_WRITE_COMMAND,
                    trans.get_data_length(), arrival);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
  delay = sc_core::sc_time::from_value(done - start);
}

tlm::tlm_sync_enum LtDramTarget::nb_transport_fw(tlm::tlm_generic_payload& trans, tlm::tlm_phase&,
                                                 sc_core::sc_time&) {
  // LT only: the AT platform uses DramTarget.
  trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
  return tlm::TLM_COMPLETED;
}

}  // namespace tessera::tlm_models

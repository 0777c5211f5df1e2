#include "models/tlm/interconnect.h"

#include <fmt/format.h>

#include <limits>

#include "models/tlm/platform_payload.h"

namespace tessera::tlm_platform {

using sc_core::sc_time;

namespace {
Picoseconds stamp_ps() {
  return sc_core::sc_time_stamp().value();
}
// 1 ps resolution (checked by run_timed): a time value is picoseconds.
sc_time ps(Picoseconds t) {
  return sc_time::from_value(t);
}
}  // namespace

Interconnect::Interconnect(sc_core::sc_module_name name, const config::PlatformConfig& platform,
                           std::uint32_t inputs, std::uint32_t outputs)
    : sc_module(name),
      in("in"),
      out("out"),
      inputs_(inputs),
      outputs_(outputs),
      burst_bytes_(platform.interconnect.burst_bytes),
      bytes_per_cycle_(platform.interconnect.bytes_per_cycle),
      period_ps_(platform.clock_period_ps()),
      latency_(ps(platform.interconnect.latency_cycles * period_ps_)),
      arbitration_(platform.interconnect.arbitration),
      out_state_(outputs),
      in_state_(inputs),
      latency_ps_(platform.interconnect.latency_cycles * period_ps_),
      burst_forward_(
          ps(latency_ps_ + (burst_bytes_ + bytes_per_cycle_ - 1) / bytes_per_cycle_ * period_ps_)),
      response_queue_(this, &Interconnect::respond) {
  grants_.reserve(outputs);
  for (Output& port : out_state_) port.requesters.assign((inputs + 63) / 64, 0);
  in.register_nb_transport_fw(this, &Interconnect::nb_transport_fw);
  in.register_b_transport(this, &Interconnect::b_transport);
  out.register_nb_transport_bw(this, &Interconnect::nb_transport_bw);
  SC_METHOD(arbitrate);
  sensitive << arbitrate_event_;
  dont_initialize();
}

tlm::tlm_sync_enum Interconnect::nb_transport_fw(int id, tlm::tlm_generic_payload& p,
                                                 tlm::tlm_phase& phase, sc_time& delay) {
  Input& input = in_state_[static_cast<std::size_t>(id)];
  if (phase == tlm::BEGIN_REQ) {
    input.request = &p;
    input.output = route(p.get_address());
    Output& port = out_state_[input.output];
    port.requesters[static_cast<std::size_t>(id) / 64] |= std::uint64_t{1} << (id % 64);
    ++port.waiting;
    ++waiting_;
    arbitrate_event_.notify(delay);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::END_RESP) {
    input.response_busy = false;
    if (!input.responses.empty()) {
      tlm::tlm_generic_payload* next = input.responses.front();
      input.responses.pop_front();
      send_response(static_cast<std::uint32_t>(id), *next);
    }
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
}

void Interconnect::arbitrate() {
  const Picoseconds now = stamp_ps();
  Picoseconds next = std::numeric_limits<Picoseconds>::max();
  for (std::uint32_t o = 0; o < outputs_ && waiting_ > 0; ++o) {
    Output& port = out_state_[o];
    if (port.waiting == 0) continue;
    if (port.free_ps > now) {
      next = std::min(next, port.free_ps);
      continue;
    }
    // Pick the input: round-robin from the pointer, or the lowest index.
    const std::uint32_t chosen = first_requester(
        port, arbitration_ == config::Arbitration::kRoundRobin ? port.next_input : 0);
    port.requesters[chosen / 64] &= ~(std::uint64_t{1} << (chosen % 64));
    --port.waiting;
    Input& input = in_state_[chosen];
    tlm::tlm_generic_payload& p = *input.request;
    input.request = nullptr;
    --waiting_;
    port.next_input = (chosen + 1) % inputs_;
    port.free_ps = now + occupancy_cycles(p) * period_ps_;
    grants_.push_back({chosen, o, &p});
    // Others still waiting for this port are granted when it frees. (Without
    // this wake they waited for the next BEGIN_REQ to arbitrate again, and a
    // run whose last requester had nothing more to send stopped dead.)
    if (port.waiting > 0) next = std::min(next, port.free_ps);
  }
  for (const Grant& g : grants_) {
    // The grant ends the tile's request phase: it may send its next request
    // (granted in a later round).
    tlm::tlm_phase phase = tlm::END_REQ;
    sc_time zero = sc_core::SC_ZERO_TIME;
    in[static_cast<int>(g.input)]->nb_transport_bw(*g.payload, phase, zero);
    PayloadPool::ext(*g.payload)->ready_ps = now + latency_ps_;
    forward(g.output, *g.payload);
  }
  grants_.clear();
  if (next != std::numeric_limits<Picoseconds>::max()) arbitrate_event_.notify(ps(next - now));
}

std::uint32_t Interconnect::first_requester(const Output& port, std::uint32_t start) const {
  const auto scan = [&](std::uint32_t lo, std::uint32_t hi) {
    for (std::uint32_t w = lo / 64; w * 64 < hi; ++w) {
      std::uint64_t bits = port.requesters[w];
      if (w == lo / 64) bits &= ~std::uint64_t{0} << (lo % 64);
      if (bits != 0) {
        const std::uint32_t i = w * 64 + static_cast<std::uint32_t>(__builtin_ctzll(bits));
        return i < hi ? i : inputs_;
      }
    }
    return inputs_;
  };
  const std::uint32_t found = scan(start, inputs_);
  return found != inputs_ ? found : scan(0, start);
}

std::string Interconnect::pending() const {
  std::string text;
  for (std::uint32_t i = 0; i < inputs_; ++i) {
    const Input& input = in_state_[i];
    if (input.request != nullptr)
      text += fmt::format(" input {} waits for a grant to port {};", i, input.output);
    if (input.response_busy || !input.responses.empty()) {
      text += fmt::format(" input {} has {} responses queued{};", i, input.responses.size(),
                          input.response_busy ? " behind one awaiting END_RESP" : "");
    }
  }
  for (std::uint32_t o = 0; o < outputs_; ++o) {
    const Output& port = out_state_[o];
    if (port.waiting != 0 || port.awaiting_end_req != nullptr || !port.blocked.empty()) {
      text += fmt::format(" port {}: {} requesters, {} blocked{}, free at {} ps;", o, port.waiting,
                          port.blocked.size(),
                          port.awaiting_end_req ? ", one awaiting END_REQ" : "", port.free_ps);
    }
  }
  return text;
}

void Interconnect::forward(std::uint32_t o, tlm::tlm_generic_payload& p) {
  Output& port = out_state_[o];
  if (port.awaiting_end_req != nullptr || !port.blocked.empty()) {
    port.blocked.push_back(&p);
  } else {
    send_request(o, p);
  }
}

void Interconnect::send_request(std::uint32_t o, tlm::tlm_generic_payload& p) {
  out_state_[o].awaiting_end_req = &p;
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  const Picoseconds now = stamp_ps();
  const Picoseconds ready = PayloadPool::ext(p)->ready_ps;
  sc_time delay = ready > now ? ps(ready - now) : sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum status = out[static_cast<int>(o)]->nb_transport_fw(p, phase, delay);
  if (status == tlm::TLM_UPDATED && phase == tlm::END_REQ) {
    end_request(o, p);
  } else if (status == tlm::TLM_COMPLETED ||
             (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP)) {
    end_request(o, p);
    response_queue_.notify(p, tlm::BEGIN_RESP, delay + latency_);
  }
}

void Interconnect::end_request(std::uint32_t output, tlm::tlm_generic_payload& p) {
  Output& port = out_state_[output];
  if (port.awaiting_end_req != &p) return;
  port.awaiting_end_req = nullptr;
  if (!port.blocked.empty()) {
    tlm::tlm_generic_payload* next = port.blocked.front();
    port.blocked.pop_front();
    send_request(output, *next);
  }
}

tlm::tlm_sync_enum Interconnect::nb_transport_bw(int id, tlm::tlm_generic_payload& p,
                                                 tlm::tlm_phase& phase, sc_time& delay) {
  const auto o = static_cast<std::uint32_t>(id);
  if (phase == tlm::END_REQ) {
    end_request(o, p);
    return tlm::TLM_ACCEPTED;
  }
  if (phase == tlm::BEGIN_RESP) {
    end_request(o, p);
    response_queue_.notify(p, tlm::BEGIN_RESP, delay + latency_);
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
}

void Interconnect::respond(tlm::tlm_generic_payload& p, const tlm::tlm_phase&) {
  const std::uint32_t i = PayloadPool::ext(p)->tile;
  Input& input = in_state_[i];
  if (input.response_busy) {
    input.responses.push_back(&p);
  } else {
    send_response(i, p);
  }
}

void Interconnect::send_response(std::uint32_t input, tlm::tlm_generic_payload& p) {
  tlm::tlm_phase phase = tlm::BEGIN_RESP;
  sc_time delay = sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum status = in[static_cast<int>(input)]->nb_transport_bw(p, phase, delay);
  in_state_[input].response_busy =
      !(status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::END_RESP));
}

void Interconnect::b_transport(int, tlm::tlm_generic_payload& p, sc_time& delay) {
  const std::uint32_t o = route(p.get_address());
  delay += p.get_data_length() == burst_bytes_ ? burst_forward_
                                               : latency_ + ps(occupancy_cycles(p) * period_ps_);
  out[static_cast<int>(o)]->b_transport(p, delay);
  delay += latency_;
}

}  // namespace tessera::tlm_platform

#include "models/config/replay_config.h"

#include "models/config/node.h"

namespace tessera::config {

ReplayConfig parse_replay(const Node& node) {
  ReplayConfig r;
  if (!node.present()) return r;
  if (!node.is_map()) node.fail("a replay section (a map)");
  node.allow_keys({"policies", "capacities", "organization", "set_assoc", "pin_roles",
                   "pin_tensors", "score_weights", "latency", "mrc", "threads"});
  r.source = node.mark().str();
  if (node.has("policies")) {
    r.policies.clear();
    r.policy_marks.clear();
    for (const Node& p : node.at("policies").items(true)) {
      r.policies.push_back(p.as_string());
      r.policy_marks.push_back(p.mark().str() + ": " + p.path());
    }
    if (r.policies.empty()) node.at("policies").fail("at least one policy name");
  }
  if (node.has("capacities")) {
    r.capacities.clear();
    for (const Node& c : node.at("capacities").items(true)) r.capacities.push_back(c.as_bytes(1));
    if (r.capacities.empty()) node.at("capacities").fail("at least one capacity");
  }
  r.organization = node.enum_or("organization", "tensor", {"tensor", "set-assoc"});
  const Node sa = node.at("set_assoc");
  if (sa.present()) {
    if (!sa.is_map()) sa.fail("a map with ways and line_bytes");
    sa.allow_keys({"ways", "line_bytes"});
    r.ways = static_cast<std::uint32_t>(sa.u64_or("ways", 16, 1, 1u << 16));
    r.line_bytes = sa.bytes_or("line_bytes", 64, 1, kGiB);
  }
  for (const Node& role : node.at("pin_roles").items(true)) {
    r.pin_roles.push_back(role.as_enum({"weight", "activation", "kv_cache", "input", "output"}));
  }
  for (const Node& t : node.at("pin_tensors").items(true)) {
    r.pin_tensors.push_back(t.as_string());
    r.pin_tensor_marks.push_back(t.mark().str());
  }
  if ((!r.pin_roles.empty() || !r.pin_tensors.empty()) && r.organization != "tensor") {
    node.at("organization")
        .fail("organization tensor (pinning applies to tensor entries)",
              "'" + r.organization + "' with pin_roles or pin_tensors");
  }
  const Node w = node.at("score_weights");
  if (w.present()) {
    if (!w.is_map()) w.fail("a map with size, reuse and stride");
    w.allow_keys({"size", "reuse", "stride"});
    r.score_weight_size = w.double_or("size", 0.4, 0, 1e6);
    r.score_weight_reuse = w.double_or("reuse", 0.5, 0, 1e6);
    r.score_weight_stride = w.double_or("stride", 0.1, 0, 1e6);
  }
  const Node l = node.at("latency");
  if (l.present()) {
    if (!l.is_map()) l.fail("a map with hit_ms, miss_ms_per_mib and bandwidth_gbps");
    l.allow_keys({"hit_ms", "miss_ms_per_mib", "bandwidth_gbps"});
    r.hit_latency_ms = l.double_or("hit_ms", 0.01, 0, 1e9);
    r.miss_latency_ms_per_mib = l.double_or("miss_ms_per_mib", 0.1, 0, 1e9);
    r.bandwidth_bytes_per_s = l.double_or("bandwidth_gbps", 100, 1e-6, 1e9) * 1e9;
  }
  const Node m = node.at("mrc");
  if (m.present()) {
    if (!m.is_map()) m.fail("a map with min, max and points");
    m.allow_keys({"min", "max", "points"});
    r.mrc_min_bytes = m.bytes_or("min", 64 * kKiB, 1);
    r.mrc_max_bytes = m.bytes_or("max", 0);
    r.mrc_points = static_cast<std::uint32_t>(m.u64_or("points", 16, 2, 1000));
    if (r.mrc_max_bytes != 0 && r.mrc_max_bytes <= r.mrc_min_bytes) {
      m.at("max").fail("a size larger than mrc.min");
    }
  }
  r.threads = static_cast<std::uint32_t>(node.u64_or("threads", 0, 0, 1024));
  return r;
}

}  // namespace tessera::config

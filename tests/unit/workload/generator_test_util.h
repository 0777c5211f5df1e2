// Helpers shared by the generator tests: parse a workload from YAML text and
// look tensors, ops and events up by name.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/config/node.h"
#include "models/config/tree.h"
#include "models/config/workload_config.h"
#include "models/core/error.h"
#include "models/workload/generator.h"

namespace tessera::workload::testing {

// `yaml` is the body of the workload section (a YAML map).
inline config::WorkloadConfig parse(const std::string& yaml, std::uint64_t seed = 1) {
  auto tree = config::parse_tree("workload:\n" + yaml, "e.yaml");
  return config::parse_workload(config::Node(*tree).at("workload"), seed);
}

inline Trace generate(const std::string& yaml, std::uint64_t seed = 1) {
  return generate_trace(parse(yaml, seed));
}

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

inline std::uint32_t tensor_id(const Trace& t, const std::string& name) {
  for (std::size_t i = 0; i < t.tensors.size(); ++i) {
    if (t.tensors[i].name == name) return static_cast<std::uint32_t>(i);
  }
  ADD_FAILURE() << "no tensor " << name;
  return 0;
}

inline const OpInfo& op_named(const Trace& t, const std::string& name) {
  for (const OpInfo& op : t.ops) {
    if (op.name == name) return op;
  }
  ADD_FAILURE() << "no op " << name;
  return t.ops.front();
}

// Events of the op called `name`, in order.
inline std::vector<TraceEvent> events_of(const Trace& t, const std::string& name) {
  std::vector<TraceEvent> out;
  for (const TraceEvent& e : t.events) {
    if (t.ops[e.op_id()].name == name) out.push_back(e);
  }
  return out;
}

inline Bytes weight_bytes(const Trace& t) {
  Bytes total = 0;
  for (const TensorInfo& x : t.tensors) total += x.role == TensorRole::kWeight ? x.bytes : 0;
  return total;
}

inline std::uint64_t count_reads_of(const Trace& t, std::uint32_t tensor) {
  std::uint64_t n = 0;
  for (const TraceEvent& e : t.events) n += (e.tensor_id == tensor && !e.is_write()) ? 1 : 0;
  return n;
}

}  // namespace tessera::workload::testing

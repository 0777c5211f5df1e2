#include "models/config/cosim_config.h"

#include <filesystem>
#include <vector>

#include "models/config/node.h"

namespace tessera::config {

CosimConfig parse_cosim(const Node& node) {
  CosimConfig c;
  if (!node.present()) return c;
  if (!node.is_map()) node.fail("a cosim section (a map)");
  node.allow_keys({"unit", "rows", "k", "keys", "head_dim", "distribution", "input", "methods",
                   "clock", "bandwidth_gbps"});
  c.present = true;
  c.source = node.mark().str();
  for (const char* key : {"unit", "rows", "k", "keys", "head_dim", "distribution", "input",
                          "methods", "clock", "bandwidth_gbps"}) {
    if (node.has(key)) c.key_source[key] = node.at(key).mark().str();
  }
  c.unit = node.enum_or("unit", "dot", {"dot", "attention"});
  const bool attention = c.unit == "attention";
  for (const char* key :
       attention ? std::vector<const char*>{"k"} : std::vector<const char*>{"keys", "head_dim"}) {
    if (node.has(key)) {
      node.at(key).fail(std::string("no '") + key + "' for unit " + c.unit +
                            (attention ? " (it takes rows, keys, head_dim, input)"
                                       : " (it takes rows, k, input)"),
                        std::string("'") + key + "' set");
    }
  }
  c.rows = node.u64_or("rows", 256, 1, 1u << 24);
  if (attention) {
    c.keys = node.u64_or("keys", 64, 1, 1u << 20);
    c.head_dim = node.u64_or("head_dim", 4, 1, 1024);
    if (c.rows * c.keys > (std::uint64_t{1} << 28)) {
      node.at("rows").fail("rows * keys <= 268435456", std::to_string(c.rows * c.keys));
    }
    c.distribution = node.enum_or("distribution", "uniform", {"uniform", "peaked", "mixed"});
  } else {
    c.k = node.u64_or("k", 256, 1, 1u << 20);
    if (c.rows * c.k > (std::uint64_t{1} << 28)) {
      node.at("rows").fail("rows * k <= 268435456", std::to_string(c.rows * c.k));
    }
    c.distribution = node.enum_or("distribution", "uniform", {"uniform", "positive", "cancel"});
  }
  if (node.has("input")) {
    const std::filesystem::path p(node.at("input").as_string());
    c.input_file = p.is_absolute()
                       ? p.string()
                       : (std::filesystem::path(node.file()).parent_path() / p).string();
  }
  if (node.has("methods")) {
    c.methods.clear();
    for (const Node& m : node.at("methods").items(true)) {
      c.methods.push_back(
          m.as_enum({"naive", "kahan", "neumaier", "twosum", "fast2sum", "klein", "kulisch"}));
    }
    if (c.methods.empty()) node.at("methods").fail("at least one accumulation method");
  }
  c.clock_hz = node.frequency_hz_or("clock", 1'000'000'000);
  if (c.clock_hz == 0) node.at("clock").fail("a clock above 0 Hz", "0");
  c.bandwidth_bytes_per_s = node.double_or("bandwidth_gbps", 32, 1e-6, 1e9) * 1e9;
  return c;
}

}  // namespace tessera::config

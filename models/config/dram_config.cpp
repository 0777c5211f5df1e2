#include "models/config/dram_config.h"

#include <cctype>

#include "models/config/node.h"
#include "models/config/tree.h"
#include "models/core/error.h"
#include "models/core/units.h"

namespace tessera::config {

const std::vector<std::string>& dram_organization_keys() {
  static const std::vector<std::string> keys = {
      "channels", "pseudo_channels", "ranks",          "bank_groups",  "banks_per_group",
      "rows",     "columns",         "bus_width_bits", "burst_length", "devices_per_rank"};
  return keys;
}

const std::vector<std::string>& dram_timing_keys() {
  static const std::vector<std::string> keys = {
      "tCK",  "data_rate", "CL",     "CWL",    "tRCD",   "tRCD_WR", "tRP",   "tRAS",   "tRC",
      "tWR",  "tRTP",      "tCCD_S", "tCCD_L", "tRRD_S", "tRRD_L",  "tFAW",  "tWTR_S", "tWTR_L",
      "tRTW", "tRTRS",     "tRFC",   "tREFI",  "tRFCpb", "tREFIpb", "tRREFD"};
  return keys;
}

// Kept in step with models/dram/presets.cpp (a dram test compares the lists).
const std::vector<std::string>& dram_preset_names() {
  static const std::vector<std::string> names = {"DDR4-3200", "DDR5-4800", "LPDDR5-6400",
                                                 "GDDR6",     "HBM2E",     "HBM3"};
  return names;
}

namespace {

std::string where_of(const Node& n) {
  return n.mark().str() + ": " + n.path();
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

DramOverride timing_override(const std::string& key, const Node& n) {
  DramOverride o;
  o.key = key;
  o.where = where_of(n);
  if (key == "tCK") {
    o.value = n.as_time_ps();
    o.is_time = true;
    if (o.value == 0) n.fail("a positive time (625ps)");
    return o;
  }
  if (!n.is_scalar()) n.fail("cycles (an integer) or a time with a unit (13.75ns)");
  const std::string text = n.as_string();
  if (all_digits(text)) {
    o.value = n.as_u64(0, 1u << 24);
    return o;
  }
  if (key == "data_rate") n.fail("beats per tCK (an integer)");
  const auto ps = parse_time_ps(text);
  if (!ps) n.fail("cycles (an integer) or a time with a unit (13.75ns)");
  o.value = *ps;
  o.is_time = true;
  return o;
}

}  // namespace

DramConfig parse_dram(const Node& node, const std::vector<std::string>& extra_keys) {
  DramConfig c;
  c.where = node.mark().str();
  if (node.is_scalar()) {
    c.preset = node.as_enum(dram_preset_names());
    return c;
  }
  if (!node.is_map())
    node.fail("a DRAM preset name or a map with preset, organization, timing, controller");
  std::vector<std::string> keys{"preset", "organization", "timing", "controller"};
  keys.insert(keys.end(), extra_keys.begin(), extra_keys.end());
  node.allow_keys(keys);
  if (node.has("preset")) c.preset = node.at("preset").as_enum(dram_preset_names());

  const Node org = node.at("organization");
  if (org.present()) {
    if (!org.is_map()) org.fail("a map of organization keys");
    org.allow_keys(dram_organization_keys());
    for (const auto& [key, value] : org.entries()) {
      c.organization.push_back({key, value.as_u64(1, 1u << 30), false, where_of(value)});
    }
  }
  const Node timing = node.at("timing");
  if (timing.present()) {
    if (!timing.is_map()) timing.fail("a map of timing keys");
    timing.allow_keys(dram_timing_keys());
    for (const auto& [key, value] : timing.entries())
      c.timing.push_back(timing_override(key, value));
  }
  const Node ctl = node.at("controller");
  if (ctl.present()) {
    if (!ctl.is_map()) ctl.fail("a map of controller keys");
    ctl.allow_keys({"scheduler", "page_policy", "refresh", "mapping", "read_queue", "write_queue",
                    "write_high_watermark", "write_low_watermark", "row_hit_cap"});
    if (ctl.has("scheduler")) c.scheduler = ctl.at("scheduler").as_enum({"fcfs", "frfcfs"});
    if (ctl.has("page_policy")) {
      c.page_policy = ctl.at("page_policy").as_enum({"open", "closed", "open-adaptive"});
    }
    if (ctl.has("refresh")) c.refresh = ctl.at("refresh").as_enum({"all-bank", "per-bank", "off"});
    if (ctl.has("mapping")) {
      c.mapping = ctl.at("mapping").as_string();
      c.mapping_where = where_of(ctl.at("mapping"));
    }
    const auto count = [&](const char* key, std::optional<std::uint64_t>& out, std::uint64_t min) {
      if (ctl.has(key)) out = ctl.at(key).as_u64(min, 4096);
    };
    count("read_queue", c.read_queue, 1);
    count("write_queue", c.write_queue, 1);
    count("write_high_watermark", c.write_high_watermark, 1);
    count("write_low_watermark", c.write_low_watermark, 0);
    count("row_hit_cap", c.row_hit_cap, 1);
  }
  return c;
}

namespace {

DramConfig parse_root(const Value& root, const std::string& what) {
  const Node doc(root);
  if (!doc.is_map()) doc.fail("a map with a dram: section");
  doc.allow_keys({"dram"});
  return parse_dram(doc.required("dram", what));
}

}  // namespace

DramConfig load_dram_file(const std::filesystem::path& file,
                          const std::vector<std::string>& overrides) {
  ValuePtr root = load_tree(file);
  for (const auto& assignment : overrides) apply_override(*root, assignment);
  return parse_root(*root, "a dram section (preset, organization, timing, controller)");
}

DramConfig dram_from_preset(const std::string& preset, const std::vector<std::string>& overrides) {
  ValuePtr root = parse_tree("dram:\n  preset: \"" + preset + "\"\n", "<command line>");
  for (const auto& assignment : overrides) apply_override(*root, assignment);
  return parse_root(*root, "a dram section");
}

}  // namespace tessera::config

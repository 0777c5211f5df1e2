// `tessera devices`: the device library (platforms/devices/ and the search
// path of models/roofline/device_library.h).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "models/config/platform_config.h"
#include "models/roofline/device_library.h"
#include "models/roofline/platform_device.h"
#include "sim/command.h"
#include "sim/support/json_output.h"
#include "sim/support/table.h"

namespace tessera::cli {
namespace {

struct DevicesOptions {
  std::vector<std::string> devices_dirs;
  bool json = false;
};

std::string tflops(double v) {
  return v > 0 ? Table::fixed(v / 1e12, 1) : "-";
}

int run_devices(const DevicesOptions& o, const GlobalOptions& g) {
  const std::vector<std::filesystem::path> dirs(o.devices_dirs.begin(), o.devices_dirs.end());
  auto devices = roofline::list_devices(dirs);
  // Every Tessera platform is a device too: peak from its tiles and clock,
  // bandwidth from its DRAM (models/roofline/platform_device.h).
  std::vector<std::filesystem::path> platform_files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(TESSERA_PLATFORMS_DIR, ec)) {
    if (entry.path().extension() == ".yaml") platform_files.push_back(entry.path());
  }
  std::sort(platform_files.begin(), platform_files.end());
  for (const auto& file : platform_files) {
    config::DeviceConfig d = roofline::device_from_platform(config::load_platform(file));
    d.name = "platforms/" + file.filename().string();
    d.source = file.string();
    devices.push_back(std::move(d));
  }
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& d : devices) {
      nlohmann::ordered_json j;
      j["name"] = d.name;
      j["description"] = d.description;
      j["file"] = d.source;
      nlohmann::ordered_json peak;
      for (config::Dtype dt : config::kAllDtypes) {
        if (d.supports(dt)) peak[config::dtype_name(dt)] = d.peak(dt);
      }
      j["peak_flops_per_s"] = peak;
      j["memory_bandwidth_bytes_per_s"] = d.memory_bandwidth_bytes_per_s;
      if (d.memory_bandwidth_per_unit_bytes_per_s > 0) {
        j["memory_bandwidth_per_unit_bytes_per_s"] = d.memory_bandwidth_per_unit_bytes_per_s;
      }
      j["gemm"] = {{"efficiency", d.gemm.efficiency}, {"packs_operands", d.gemm.packs_operands}};
      j["memory_bytes"] = d.memory_bytes;
      j["compute_units"] = d.compute_units;
      nlohmann::ordered_json caches = nlohmann::ordered_json::array();
      for (const auto& c : d.caches) {
        caches.push_back({{"name", c.name},
                          {"size_bytes", c.size_bytes},
                          {"per_unit", c.per_unit},
                          {"bandwidth_bytes_per_s", c.bandwidth_bytes_per_s}});
      }
      j["caches"] = caches;
      list.push_back(j);
    }
    print_json(list);
    return 0;
  }
  if (g.quiet) return 0;
  Table t({{"name"},
           {"fp32 TF", Table::kRight},
           {"tf32 TF", Table::kRight},
           {"bf16 TF", Table::kRight},
           {"fp16 TF", Table::kRight},
           {"fp8 TF", Table::kRight},
           {"int8 TOP", Table::kRight},
           {"memory GB/s", Table::kRight},
           {"units", Table::kRight},
           {"description"}});
  for (const auto& d : devices) {
    t.add_row({d.name, tflops(d.peak(config::Dtype::kFp32)), tflops(d.peak(config::Dtype::kTf32)),
               tflops(d.peak(config::Dtype::kBf16)), tflops(d.peak(config::Dtype::kFp16)),
               tflops(d.peak(config::Dtype::kFp8)), tflops(d.peak(config::Dtype::kInt8)),
               Table::fixed(d.memory_bandwidth_bytes_per_s / 1e9, 0), Table::count(d.compute_units),
               d.description});
  }
  std::cout << t.render();
  return 0;
}

const CommandRegistrar registrar({"devices"}, "list the roofline device library",
                                 [](CLI::App& app) -> CommandAction {
                                   auto o = std::make_shared<DevicesOptions>();
                                   app.add_option("--devices-dir", o->devices_dirs,
                                                  "extra directory of device files")
                                       ->check(CLI::ExistingDirectory);
                                   app.add_flag("--json", o->json, "print JSON");
                                   return
                                       [o](const GlobalOptions& g) { return run_devices(*o, g); };
                                 });

}  // namespace
}  // namespace tessera::cli

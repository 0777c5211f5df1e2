#include "models/roofline/device_library.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <system_error>

#include "models/config/platform_config.h"
#include "models/config/tree.h"
#include "models/core/error.h"
#include "models/core/suggest.h"
#include "models/roofline/platform_device.h"

#ifndef TESSERA_DEFAULT_DEVICES_DIR
#define TESSERA_DEFAULT_DEVICES_DIR "platforms/devices"
#endif

namespace tessera::roofline {
namespace fs = std::filesystem;

std::vector<fs::path> device_search_path(const std::vector<fs::path>& extra_dirs) {
  std::vector<fs::path> dirs = extra_dirs;
  if (const char* env = std::getenv("TESSERA_DEVICES"); env != nullptr && *env != '\0') {
    std::string list(env);
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t colon = std::min(list.find(':', start), list.size());
      if (colon > start) dirs.emplace_back(list.substr(start, colon - start));
      start = colon + 1;
    }
  }
  dirs.emplace_back(TESSERA_DEFAULT_DEVICES_DIR);
  return dirs;
}

namespace {

// name -> file, first directory wins.
std::map<std::string, fs::path> device_files(const std::vector<fs::path>& dirs) {
  std::map<std::string, fs::path> files;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> here;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".yaml") here.push_back(entry.path());
    }
    std::sort(here.begin(), here.end());
    for (const auto& p : here) files.emplace(p.stem().string(), p);
  }
  return files;
}

}  // namespace

config::DeviceConfig find_device(const std::string& name_or_path,
                                 const std::vector<fs::path>& extra_dirs) {
  const bool is_path =
      name_or_path.find('/') != std::string::npos || fs::path(name_or_path).extension() == ".yaml";
  if (is_path) {
    std::error_code ec;
    if (!fs::is_regular_file(name_or_path, ec)) {
      throw InputError(fmt::format("--device: expected a device file, found {} '{}'",
                                   fs::is_directory(name_or_path, ec) ? "a directory" : "no file",
                                   name_or_path));
    }
    // A Tessera platform file is a device too (its peak from its tiles and clock).
    const config::ValuePtr root = config::load_tree(name_or_path);
    const bool device_file = root->kind == config::Value::Kind::Map && root->find("peak");
    if (!device_file && config::looks_like_platform(name_or_path)) {
      return device_from_platform(config::load_platform(name_or_path));
    }
    return config::load_device(name_or_path);
  }
  const auto dirs = device_search_path(extra_dirs);
  const auto files = device_files(dirs);
  const auto it = files.find(name_or_path);
  if (it == files.end()) {
    std::string known, searched;
    std::vector<std::string> names;
    for (const auto& [name, path] : files) {
      known += (known.empty() ? "" : ", ") + name;
      names.push_back(name);
    }
    for (const auto& d : dirs) searched += (searched.empty() ? "" : ", ") + d.string();
    throw InputError(fmt::format(
        "--device: expected a device name ({}) or a device file, found '{}'{} (searched {})",
        known.empty() ? "none found" : known, name_or_path, did_you_mean(name_or_path, names),
        searched));
  }
  return config::load_device(it->second);
}

std::vector<config::DeviceConfig> list_devices(const std::vector<fs::path>& extra_dirs) {
  std::vector<config::DeviceConfig> out;
  for (const auto& [name, path] : device_files(device_search_path(extra_dirs))) {
    out.push_back(config::load_device(path));
  }
  return out;
}

}  // namespace tessera::roofline

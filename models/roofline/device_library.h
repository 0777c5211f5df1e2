// Finding devices by name. A device NAME is the stem of a YAML file in one of
// the search directories, tried in this order:
//   1. directories given by the caller (the CLI's --devices-dir),
//   2. the directories in $TESSERA_DEVICES (colon-separated),
//   3. the source tree's platforms/devices/ (compiled in, so the binary finds
//      the library from any working directory).
// A value containing '/' or ending in .yaml is read as a file path instead: a
// device file, or a platform file (platforms/*.yaml) made a device by
// device_from_platform().
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "models/config/device_config.h"

namespace tessera::roofline {

std::vector<std::filesystem::path> device_search_path(
    const std::vector<std::filesystem::path>& extra_dirs = {});

// Throws InputError naming the directories searched and the known names.
config::DeviceConfig find_device(const std::string& name_or_path,
                                 const std::vector<std::filesystem::path>& extra_dirs = {});

// Every device file on the search path, by name (first directory wins), sorted.
std::vector<config::DeviceConfig> list_devices(
    const std::vector<std::filesystem::path>& extra_dirs = {});

}  // namespace tessera::roofline

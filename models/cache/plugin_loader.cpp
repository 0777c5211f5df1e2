#include "models/cache/plugin_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "models/cache/plugin_api.h"
#include "models/core/error.h"

namespace tessera::cache {
namespace {

std::mutex& loader_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, std::string>& plugin_policies() {  // policy name -> library
  static std::map<std::string, std::string> m;
  return m;
}
std::set<std::string>& loaded_paths() {
  static std::set<std::string> s;
  return s;
}

struct HostData {
  std::string path;
  std::string error;
};

int register_from_plugin(TesseraPolicyHost* host, const char* name, const char* description,
                         TesseraPolicyCreate create) {
  auto* data = static_cast<HostData*>(host->opaque);
  if (name == nullptr || *name == '\0' || create == nullptr) {
    data->error = "registered a policy without a name or factory";
    return 1;
  }
  if (PolicyRegistry::instance().find(name) != nullptr) {
    data->error = std::string("registers policy '") + name + "', which already exists";
    return 1;
  }
  PolicyRegistry::instance().add(
      name, description != nullptr ? description : "",
      [create](const PolicyContext& context) { return std::unique_ptr<Policy>(create(&context)); });
  plugin_policies()[name] = data->path;
  return 0;
}

}  // namespace

void load_policy_plugin(const std::string& path) {
  std::lock_guard<std::mutex> lock(loader_mutex());
  if (loaded_paths().count(path) != 0) return;
  // A bare file name would make dlopen search the library path; a plugin
  // is always a file the user names.
  const std::string open_path = path.find('/') == std::string::npos ? "./" + path : path;
  if (!std::filesystem::exists(open_path)) {
    throw InputError(path + ": policy plugin: no such file");
  }
  // Never closed: the policies' code must outlive every instance.
  void* handle = ::dlopen(open_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw InputError(path + ": cannot load policy plugin: " + (why ? why : "unknown error"));
  }
  auto version = reinterpret_cast<TesseraPolicyPluginAbiVersion>(
      ::dlsym(handle, "tessera_policy_plugin_abi_version"));
  auto init =
      reinterpret_cast<TesseraPolicyPluginInit>(::dlsym(handle, "tessera_policy_plugin_init"));
  if (version == nullptr || init == nullptr) {
    throw InputError(path +
                     ": not a policy plugin: expected the functions "
                     "tessera_policy_plugin_abi_version and tessera_policy_plugin_init");
  }
  const std::uint32_t theirs = version();
  if (theirs != TESSERA_POLICY_ABI_VERSION) {
    throw InputError(path + ": policy plugin built against policy plugin interface version " +
                     std::to_string(theirs) + ", this tessera provides version " +
                     std::to_string(TESSERA_POLICY_ABI_VERSION) +
                     "; rebuild it against models/cache/plugin_api.h");
  }
  HostData data{path, {}};
  TesseraPolicyHost host{TESSERA_POLICY_ABI_VERSION, &data, &register_from_plugin};
  const int status = init(&host);
  if (status != 0) {
    throw InputError(path + ": policy plugin failed to initialise: " +
                     (data.error.empty() ? "status " + std::to_string(status) : data.error));
  }
  loaded_paths().insert(path);
}

void load_policy_plugins(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) load_policy_plugin(p);
}

std::string plugin_of_policy(const std::string& name) {
  const auto it = plugin_policies().find(name);
  return it == plugin_policies().end() ? std::string() : it->second;
}

}  // namespace tessera::cache

#include "models/cache/policy.h"

#include "models/cache/plugin_loader.h"
#include "models/core/error.h"
#include "models/core/suggest.h"

namespace tessera::cache {

void check_policy_name(const std::string& name) {
  if (PolicyRegistry::instance().find(name) == nullptr) {
    throw InputError("unknown eviction policy '" + name +
                     "'; known: " + PolicyRegistry::instance().joined_names());
  }
}

void check_policy_name(const std::string& name, const std::string& where) {
  const PolicyRegistry& registry = PolicyRegistry::instance();
  if (registry.find(name) != nullptr) return;
  throw InputError(where + ": expected one of the eviction policies (" + registry.joined_names() +
                   "), found '" + name + "'" + did_you_mean(name, registry.names()));
}

std::unique_ptr<Policy> make_policy(const std::string& name, const PolicyContext& context) {
  check_policy_name(name);
  return PolicyRegistry::instance().find(name)->factory(context);
}

std::vector<std::string> builtin_policy_names() {
  std::vector<std::string> out;
  for (const std::string& name : PolicyRegistry::instance().names()) {
    if (plugin_of_policy(name).empty()) out.push_back(name);
  }
  return out;
}

}  // namespace tessera::cache

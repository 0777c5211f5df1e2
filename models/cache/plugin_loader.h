// Loads eviction-policy plugins (plugin_api.h) into the policy registry.
#pragma once

#include <string>
#include <vector>

namespace tessera::cache {

// dlopen()s each library and registers its policies. Throws InputError
// naming the file when it cannot be loaded, lacks the entry points, was
// built against another interface version ("... built against policy plugin
// interface version 2, this tessera provides version 1"), or registers a
// name that already exists. Loading the same path twice is a no-op.
void load_policy_plugins(const std::vector<std::string>& paths);
void load_policy_plugin(const std::string& path);

// The library a policy came from, or "" for a built-in one.
std::string plugin_of_policy(const std::string& name);

}  // namespace tessera::cache

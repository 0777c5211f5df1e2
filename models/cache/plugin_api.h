/* The interface between Tessera and an eviction-policy plugin (a shared
 * library loaded with `--policy-plugin lib.so`).
 *
 * A plugin exports two C functions:
 *
 *   uint32_t tessera_policy_plugin_abi_version(void);
 *       returns TESSERA_POLICY_ABI_VERSION as the plugin saw it when built;
 *       Tessera refuses a library whose version differs from its own.
 *   int tessera_policy_plugin_init(TesseraPolicyHost* host);
 *       registers the plugin's policies through host->register_policy and
 *       returns 0 (non-zero: the plugin failed; Tessera reports it).
 *
 * A policy is a C++ class derived from tessera::cache::Policy
 * (models/cache/policy.h); its factory returns a new instance that Tessera
 * owns and deletes. Because a C++ class crosses the boundary, a plugin must
 * be built with the same compiler family and standard library as Tessera,
 * and TESSERA_POLICY_ABI_VERSION is bumped whenever Policy, PolicyContext,
 * AccessInfo or this header change. examples/plugins/mru.cpp is a complete
 * plugin; docs/plugins.md explains it.
 */
#ifndef TESSERA_MODELS_CACHE_PLUGIN_API_H
#define TESSERA_MODELS_CACHE_PLUGIN_API_H

#include <cstdint>

#include "models/cache/policy.h"

#define TESSERA_POLICY_ABI_VERSION 1u

extern "C" {

typedef tessera::cache::Policy* (*TesseraPolicyCreate)(
    const tessera::cache::PolicyContext* context);

struct TesseraPolicyHost {
  std::uint32_t abi_version; /* the host's TESSERA_POLICY_ABI_VERSION */
  void* opaque;              /* host data: pass back unchanged */
  /* Returns 0 on success, non-zero when the name is taken or invalid. */
  int (*register_policy)(TesseraPolicyHost* host, const char* name, const char* description,
                         TesseraPolicyCreate create);
};

typedef std::uint32_t (*TesseraPolicyPluginAbiVersion)(void);
typedef int (*TesseraPolicyPluginInit)(TesseraPolicyHost* host);

}  // extern "C"

#endif

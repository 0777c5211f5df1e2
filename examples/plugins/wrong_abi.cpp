// A plugin that claims another interface version. It exists for the test
// suite (tests/cli/test_replay_cli.cpp), which checks that Tessera refuses
// it with a message naming the file and both versions.
#include <cstdint>

#include "models/cache/plugin_api.h"

extern "C" std::uint32_t tessera_policy_plugin_abi_version(void) {
  return TESSERA_POLICY_ABI_VERSION + 1;
}

extern "C" int tessera_policy_plugin_init(TesseraPolicyHost*) {
  return 0;
}

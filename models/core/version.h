#pragma once

namespace tessera {
inline constexpr const char* kVersion = "0.1.0";
// Bumped whenever a field of result.json changes meaning or is removed.
inline constexpr int kResultSchemaVersion = 1;
}  // namespace tessera

// JSON output with one stable format for every command: two-space indent,
// keys in the order the json type keeps them (sorted for nlohmann::json,
// insertion order for nlohmann::ordered_json), a final newline.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace tessera::cli {

std::string json_text(const nlohmann::json& value);
std::string json_text(const nlohmann::ordered_json& value);

// To stdout.
void print_json(const nlohmann::json& value);
void print_json(const nlohmann::ordered_json& value);

// Temporary file, then rename (models/core/atomic_file.h). Throws RuntimeError.
void write_json(const std::filesystem::path& path, const nlohmann::json& value);
void write_json(const std::filesystem::path& path, const nlohmann::ordered_json& value);

}  // namespace tessera::cli

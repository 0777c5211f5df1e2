#include "sim/support/json_output.h"

#include <cstdio>

#include "models/core/atomic_file.h"

namespace tessera::cli {
namespace {

template <typename Json>
std::string text_of(const Json& value) {
  // Invalid UTF-8 in names is replaced rather than thrown: output never fails
  // because of a stray byte in a tensor name.
  return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void print_text(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace

std::string json_text(const nlohmann::json& value) {
  return text_of(value);
}
std::string json_text(const nlohmann::ordered_json& value) {
  return text_of(value);
}

void print_json(const nlohmann::json& value) {
  print_text(json_text(value));
}
void print_json(const nlohmann::ordered_json& value) {
  print_text(json_text(value));
}

void write_json(const std::filesystem::path& path, const nlohmann::json& value) {
  write_file_atomically(path, json_text(value));
}
void write_json(const std::filesystem::path& path, const nlohmann::ordered_json& value) {
  write_file_atomically(path, json_text(value));
}

}  // namespace tessera::cli

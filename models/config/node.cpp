#include "models/config/node.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "models/core/error.h"
#include "models/core/suggest.h"

namespace tessera::config {

std::string Node::child_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

std::string Node::describe() const {
  if (value_ == nullptr || value_->kind == Value::Kind::Null) return "nothing";
  switch (value_->kind) {
    case Value::Kind::Map:
      return "a map";
    case Value::Kind::Sequence:
      return "a list";
    default:
      return "'" + value_->scalar + "'";
  }
}

void Node::fail(std::string_view expected, std::string_view found) const {
  std::string message = mark_.str() + ": ";
  if (!path_.empty()) message += path_ + ": ";
  message += "expected ";
  message += expected;
  message += ", found ";
  message += found;
  throw InputError(message);
}

void Node::fail(std::string_view expected) const {
  fail(expected, describe());
}

Node Node::at(const std::string& key) const {
  if (!is_map()) {
    if (present()) fail("a map");
    return Node(nullptr, child_path(key), mark_);
  }
  const MapEntry* entry = value_->find(key);
  if (entry == nullptr) return Node(nullptr, child_path(key), mark_);
  return Node(entry->value.get(), child_path(key),
              entry->value->mark.line > 0 ? entry->value->mark : entry->key_mark);
}

Node Node::required(const std::string& key, std::string_view what) const {
  Node child = at(key);
  if (!child.present()) {
    child.fail(std::string(what) + " (required)", "nothing");
  }
  return child;
}

void Node::allow_keys(const std::vector<std::string>& known) const {
  if (!present()) return;
  if (!is_map()) fail("a map");
  for (const MapEntry& entry : value_->map) {
    bool ok = false;
    for (const auto& k : known) ok = ok || k == entry.key;
    if (!ok) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      Node(entry.value.get(), child_path(entry.key), entry.key_mark)
          .fail("one of the known keys (" + list + ")",
                "unknown key '" + entry.key + "'" + did_you_mean(entry.key, known));
    }
  }
}

void Node::allow_keys(std::initializer_list<std::string_view> known) const {
  allow_keys(std::vector<std::string>(known.begin(), known.end()));
}

std::vector<std::pair<std::string, Node>> Node::entries() const {
  std::vector<std::pair<std::string, Node>> out;
  if (!present()) return out;
  if (!is_map()) fail("a map");
  for (const MapEntry& entry : value_->map) {
    out.emplace_back(entry.key,
                     Node(entry.value.get(), child_path(entry.key),
                          entry.value->mark.line > 0 ? entry.value->mark : entry.key_mark));
  }
  return out;
}

std::vector<Node> Node::items(bool scalar_as_list) const {
  std::vector<Node> out;
  if (!present()) return out;
  if (is_scalar() && scalar_as_list) {
    out.push_back(*this);
    return out;
  }
  if (!is_sequence()) fail("a list");
  for (std::size_t i = 0; i < value_->sequence.size(); ++i) {
    const Value* item = value_->sequence[i].get();
    out.push_back(Node(item, path_ + "[" + std::to_string(i) + "]",
                       item->mark.line > 0 ? item->mark : mark_));
  }
  return out;
}

const std::string& Node::scalar_text(std::string_view expected) const {
  if (!is_scalar()) fail(expected);
  return value_->scalar;
}

std::string Node::as_string() const {
  return scalar_text("a string");
}

std::uint64_t Node::as_u64(std::uint64_t min, std::uint64_t max) const {
  const std::string range =
      max == std::numeric_limits<std::uint64_t>::max()
          ? "an integer >= " + std::to_string(min)
          : "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  std::string text = scalar_text(range);
  std::string digits;
  for (char c : text) {
    if (c != '_') digits.push_back(c);
  }
  bool ok = !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos;
  std::uint64_t value = 0;
  if (ok) {
    errno = 0;
    value = std::strtoull(digits.c_str(), nullptr, 10);
    ok = errno == 0;
  } else {
    // Accept integral values written in scientific notation (1e6).
    char* end = nullptr;
    const double d = std::strtod(digits.c_str(), &end);
    ok = !digits.empty() && end && *end == '\0' && std::isfinite(d) && d >= 0 &&
         std::floor(d) == d && d < 1.8e19;
    value = ok ? static_cast<std::uint64_t>(d) : 0;
  }
  if (!ok || value < min || value > max) fail(range);
  return value;
}

std::int64_t Node::as_i64(std::int64_t min, std::int64_t max) const {
  const std::string range =
      "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  const std::string& text = scalar_text(range);
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < min || value > max) fail(range);
  return value;
}

double Node::as_double(double min, double max) const {
  std::string range = "a number";
  if (std::isfinite(min) && std::isfinite(max)) {
    range = fmt::format("a number in [{:g}, {:g}]", min, max);
  } else if (std::isfinite(min)) {
    range = fmt::format("a number >= {:g}", min);
  } else if (std::isfinite(max)) {
    range = fmt::format("a number <= {:g}", max);
  }
  const std::string& text = scalar_text(range);
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value) || value < min || value > max) {
    fail(range);
  }
  return value;
}

bool Node::as_bool() const {
  const std::string& text = scalar_text("true or false");
  if (text == "true" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "no" || text == "off") return false;
  fail("true or false");
}

Bytes Node::as_bytes(Bytes min, Bytes max) const {
  std::string expected = "a size such as 4096, 64KiB or 2MiB";
  if (min > 0) expected += " (at least " + format_bytes(min) + ")";
  const auto value = parse_bytes(scalar_text(expected));
  if (!value || *value < min || *value > max) fail(expected);
  return *value;
}

Picoseconds Node::as_time_ps() const {
  const char* expected = "a time with a unit such as 10ns, 1.5us or 312ps";
  const auto value = parse_time_ps(scalar_text(expected));
  if (!value) fail(expected);
  return *value;
}

Hertz Node::as_frequency_hz() const {
  const char* expected = "a frequency with a unit such as 1.5GHz or 800MHz";
  const auto value = parse_frequency_hz(scalar_text(expected));
  if (!value) fail(expected);
  return *value;
}

std::string Node::as_enum(const std::vector<std::string>& choices) const {
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  const std::string expected = "one of " + list;
  const std::string& text = scalar_text(expected);
  for (const auto& c : choices) {
    if (c == text) return text;
  }
  fail(expected, describe() + did_you_mean(text, choices));
}

std::string Node::as_enum(std::initializer_list<std::string_view> choices) const {
  return as_enum(std::vector<std::string>(choices.begin(), choices.end()));
}

std::string Node::string_or(const std::string& key, std::string fallback) const {
  const Node n = at(key);
  return n.present() ? n.as_string() : fallback;
}
std::uint64_t Node::u64_or(const std::string& key, std::uint64_t fallback, std::uint64_t min,
                           std::uint64_t max) const {
  const Node n = at(key);
  return n.present() ? n.as_u64(min, max) : fallback;
}
double Node::double_or(const std::string& key, double fallback, double min, double max) const {
  const Node n = at(key);
  return n.present() ? n.as_double(min, max) : fallback;
}
bool Node::bool_or(const std::string& key, bool fallback) const {
  const Node n = at(key);
  return n.present() ? n.as_bool() : fallback;
}
Bytes Node::bytes_or(const std::string& key, Bytes fallback, Bytes min, Bytes max) const {
  const Node n = at(key);
  return n.present() ? n.as_bytes(min, max) : fallback;
}
Picoseconds Node::time_ps_or(const std::string& key, Picoseconds fallback) const {
  const Node n = at(key);
  return n.present() ? n.as_time_ps() : fallback;
}
Hertz Node::frequency_hz_or(const std::string& key, Hertz fallback) const {
  const Node n = at(key);
  return n.present() ? n.as_frequency_hz() : fallback;
}
std::string Node::enum_or(const std::string& key, std::string fallback,
                          std::initializer_list<std::string_view> choices) const {
  const Node n = at(key);
  return n.present() ? n.as_enum(choices) : fallback;
}

}  // namespace tessera::config

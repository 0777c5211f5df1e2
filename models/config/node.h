// Strict, typed reading of a config tree. Every accessor either returns a
// value of the right type and range or throws InputError with one line:
//   FILE:LINE:COL: key.path: expected WHAT, found WHAT
// Parsers of typed config structs (the *_config.cpp files beside this one)
// are the only users; components receive the structs, never Nodes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/config/tree.h"
#include "models/core/units.h"

namespace tessera::config {

class Node {
 public:
  // A root node for a whole document.
  explicit Node(const Value& root) : value_(&root), mark_(root.mark) {}

  bool present() const { return value_ != nullptr && value_->kind != Value::Kind::Null; }
  bool is_map() const { return value_ && value_->kind == Value::Kind::Map; }
  bool is_sequence() const { return value_ && value_->kind == Value::Kind::Sequence; }
  bool is_scalar() const { return value_ && value_->kind == Value::Kind::Scalar; }
  // Dotted key path from the document root ("workload.hidden_size"); "" for the root.
  const std::string& path() const { return path_; }
  // Where the value is, or where its parent is when the value is absent.
  const Mark& mark() const { return mark_; }
  const std::string& file() const { return mark_.file; }

  // ---- maps --------------------------------------------------------------
  // The child under `key`; absent (present() == false) when not written.
  Node at(const std::string& key) const;
  bool has(const std::string& key) const { return at(key).present(); }
  // Like at(), but a missing key is an error ("expected KEY (WHAT), found nothing").
  Node required(const std::string& key, std::string_view what) const;
  // Fails unless this is a map whose keys are all in `known`; the message for
  // an unknown key lists the known ones. An absent node passes.
  void allow_keys(std::initializer_list<std::string_view> known) const;
  void allow_keys(const std::vector<std::string>& known) const;
  // The entries of a map in written order.
  std::vector<std::pair<std::string, Node>> entries() const;

  // ---- sequences ---------------------------------------------------------
  // The items of a list. With `scalar_as_list`, a single scalar reads as a
  // one-item list ("policy: lru" as well as "policy: [lru, fifo]").
  std::vector<Node> items(bool scalar_as_list = false) const;

  // ---- scalars -----------------------------------------------------------
  std::string as_string() const;
  std::uint64_t as_u64(std::uint64_t min = 0,
                       std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) const;
  std::int64_t as_i64(std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                      std::int64_t max = std::numeric_limits<std::int64_t>::max()) const;
  double as_double(double min = -std::numeric_limits<double>::infinity(),
                   double max = std::numeric_limits<double>::infinity()) const;
  bool as_bool() const;
  Bytes as_bytes(Bytes min = 0, Bytes max = std::numeric_limits<Bytes>::max()) const;
  Picoseconds as_time_ps() const;
  Hertz as_frequency_hz() const;
  // One of `choices`; the message lists them.
  std::string as_enum(std::initializer_list<std::string_view> choices) const;
  std::string as_enum(const std::vector<std::string>& choices) const;

  // ---- optional keys with defaults ----------------------------------------
  std::string string_or(const std::string& key, std::string fallback) const;
  std::uint64_t u64_or(const std::string& key, std::uint64_t fallback, std::uint64_t min = 0,
                       std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) const;
  double double_or(const std::string& key, double fallback,
                   double min = -std::numeric_limits<double>::infinity(),
                   double max = std::numeric_limits<double>::infinity()) const;
  bool bool_or(const std::string& key, bool fallback) const;
  Bytes bytes_or(const std::string& key, Bytes fallback, Bytes min = 0,
                 Bytes max = std::numeric_limits<Bytes>::max()) const;
  Picoseconds time_ps_or(const std::string& key, Picoseconds fallback) const;
  Hertz frequency_hz_or(const std::string& key, Hertz fallback) const;
  std::string enum_or(const std::string& key, std::string fallback,
                      std::initializer_list<std::string_view> choices) const;

  // Throws "MARK: PATH: expected EXPECTED, found FOUND".
  [[noreturn]] void fail(std::string_view expected, std::string_view found) const;
  // Throws "MARK: PATH: expected EXPECTED, found <description of this value>".
  [[noreturn]] void fail(std::string_view expected) const;
  // What this value looks like, for messages: "'abc'", "a map", "a list", "nothing".
  std::string describe() const;

 private:
  Node(const Value* value, std::string path, Mark mark)
      : value_(value), path_(std::move(path)), mark_(std::move(mark)) {}
  const std::string& scalar_text(std::string_view expected) const;
  std::string child_path(const std::string& key) const;

  const Value* value_ = nullptr;
  std::string path_;
  Mark mark_;
};

}  // namespace tessera::config

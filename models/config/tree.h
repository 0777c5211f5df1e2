// A YAML document as Tessera reads it: a tree of maps, sequences and scalars
// in which every node remembers the file, line and column it came from, so
// that every config error can name its place. `include:` is resolved and
// `--set` overrides are applied on this tree before any typed parsing.
// yaml-cpp is used only to read text into this tree (tree.cpp).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tessera::config {

struct Mark {
  std::string file;         // as given to the loader, or "--set"
  int line = 0;             // 1-based
  int column = 0;           // 1-based
  std::string str() const;  // "file:line:col"
};

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct MapEntry {
  std::string key;
  Mark key_mark;
  ValuePtr value;
};

struct Value {
  enum class Kind { Null, Scalar, Map, Sequence };
  Kind kind = Kind::Null;
  Mark mark;
  std::string scalar;  // Scalar: the text as written
  std::vector<MapEntry> map;
  std::vector<ValuePtr> sequence;

  const MapEntry* find(const std::string& key) const;
  MapEntry* find(const std::string& key);
};

// Reads a YAML (or JSON) file into a tree and resolves `include:` keys.
// `include: other.yaml` (or a list of files) in a mapping merges the
// fragment's top-level mapping into that mapping; keys written in the
// including mapping win. Paths are relative to the including file.
// Throws InputError with "file:line:col: ..." on syntax errors, missing
// files and include cycles.
ValuePtr load_tree(const std::filesystem::path& file);
// Parses YAML text held in memory (tests, --set values).
ValuePtr parse_tree(const std::string& text, const std::string& source_name);

// Applies one "key.path=value" override; the value is read as YAML, so
// lists ("[lru,fifo]") and numbers work. Missing intermediate maps are created.
// Throws InputError when the path walks through a non-map.
void apply_override(Value& root, const std::string& assignment);

}  // namespace tessera::config

#include "models/config/tree.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "models/core/error.h"

namespace tessera::config {
namespace fs = std::filesystem;

std::string Mark::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

const MapEntry* Value::find(const std::string& key) const {
  for (const MapEntry& e : map) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

MapEntry* Value::find(const std::string& key) {
  for (MapEntry& e : map) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

namespace {

Mark mark_of(const YAML::Mark& m, const std::string& file) {
  // yaml-cpp marks are 0-based; an unknown position is -1.
  return Mark{file, m.line + 1, m.column + 1};
}

ValuePtr convert(const YAML::Node& node, const std::string& file) {
  auto value = std::make_shared<Value>();
  value->mark = mark_of(node.Mark(), file);
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      value->kind = Value::Kind::Null;
      break;
    case YAML::NodeType::Scalar:
      value->kind = Value::Kind::Scalar;
      value->scalar = node.Scalar();
      break;
    case YAML::NodeType::Sequence:
      value->kind = Value::Kind::Sequence;
      for (const auto& item : node) value->sequence.push_back(convert(item, file));
      break;
    case YAML::NodeType::Map:
      value->kind = Value::Kind::Map;
      for (const auto& kv : node) {
        const Mark key_mark = mark_of(kv.first.Mark(), file);
        if (!kv.first.IsScalar()) {
          throw InputError(key_mark.str() + ": expected a plain key, found a " +
                           (kv.first.IsMap() ? "map" : "sequence"));
        }
        const std::string key = kv.first.Scalar();
        if (value->find(key) != nullptr) {
          throw InputError(key_mark.str() + ": " + key +
                           ": expected each key once, found it twice");
        }
        value->map.push_back(MapEntry{key, key_mark, convert(kv.second, file)});
      }
      break;
  }
  return value;
}

YAML::Node parse_yaml(const std::string& text, const std::string& source_name) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const Mark m = mark_of(e.mark, source_name);
    throw InputError(m.str() + ": expected valid YAML, found a syntax error: " + e.msg);
  }
}

// Merges `fragment` (a map) into `into`: keys already present in `into` win,
// nested maps merge recursively.
void merge_under(Value& into, const Value& fragment) {
  for (const MapEntry& entry : fragment.map) {
    MapEntry* existing = into.find(entry.key);
    if (existing == nullptr) {
      into.map.push_back(entry);
    } else if (existing->value->kind == Value::Kind::Map && entry.value->kind == Value::Kind::Map) {
      merge_under(*existing->value, *entry.value);
    }
  }
}

void resolve_includes(Value& value, const fs::path& dir, std::vector<fs::path>& stack);

ValuePtr load_with_stack(const fs::path& file, std::vector<fs::path>& stack, const Mark* from) {
  const std::string where = from ? from->str() + ": " : std::string();
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(file, ec);
  if (std::find(stack.begin(), stack.end(), canonical) != stack.end()) {
    throw InputError(
        where + "include: expected a file that does not include itself, found a cycle through " +
        file.string());
  }
  // A directory opens as a stream on Linux and reads as an empty document,
  // which would be reported as a missing workload: section.
  if (fs::is_directory(file, ec)) {
    throw InputError(where + file.string() + ": expected a readable file, found a directory");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw InputError(where + file.string() + ": expected a readable file, found none");
  }
  std::ostringstream text;
  text << in.rdbuf();
  ValuePtr root = convert(parse_yaml(text.str(), file.string()), file.string());
  stack.push_back(canonical);
  resolve_includes(*root, file.parent_path(), stack);
  stack.pop_back();
  return root;
}

void resolve_includes(Value& value, const fs::path& dir, std::vector<fs::path>& stack) {
  if (value.kind == Value::Kind::Sequence) {
    for (auto& item : value.sequence) resolve_includes(*item, dir, stack);
    return;
  }
  if (value.kind != Value::Kind::Map) return;
  for (auto& entry : value.map) resolve_includes(*entry.value, dir, stack);

  const auto it = std::find_if(value.map.begin(), value.map.end(),
                               [](const MapEntry& e) { return e.key == "include"; });
  if (it == value.map.end()) return;
  const MapEntry include = *it;
  value.map.erase(it);

  std::vector<const Value*> files;
  if (include.value->kind == Value::Kind::Scalar) {
    files.push_back(include.value.get());
  } else if (include.value->kind == Value::Kind::Sequence) {
    for (const auto& item : include.value->sequence) files.push_back(item.get());
  }
  if (files.empty()) {
    throw InputError(include.value->mark.str() +
                     ": include: expected a file name or a list of file names, found " +
                     (include.value->kind == Value::Kind::Map ? "a map" : "nothing"));
  }
  for (const Value* f : files) {
    if (f->kind != Value::Kind::Scalar) {
      throw InputError(f->mark.str() + ": include: expected a file name, found a " +
                       (f->kind == Value::Kind::Map ? "map" : "list"));
    }
    const fs::path target =
        fs::path(f->scalar).is_absolute() ? fs::path(f->scalar) : dir / f->scalar;
    ValuePtr fragment = load_with_stack(target, stack, &f->mark);
    if (fragment->kind != Value::Kind::Map) {
      throw InputError(fragment->mark.str() + ": expected a mapping of keys to include, found " +
                       (fragment->kind == Value::Kind::Null ? "an empty document" : "a non-map"));
    }
    merge_under(value, *fragment);
  }
}

}  // namespace

ValuePtr load_tree(const fs::path& file) {
  std::vector<fs::path> stack;
  return load_with_stack(file, stack, nullptr);
}

ValuePtr parse_tree(const std::string& text, const std::string& source_name) {
  return convert(parse_yaml(text, source_name), source_name);
}

void apply_override(Value& root, const std::string& assignment) {
  const auto eq = assignment.find('=');
  const std::string where = "--set " + assignment;
  if (eq == std::string::npos || eq == 0) {
    throw InputError(where + ": expected key.path=value, found no '='");
  }
  const std::string path = assignment.substr(0, eq);
  // Values from the command line are marked "--set" (no line): errors then
  // read "--set: key.path: expected ..., found ...", naming the key once.
  ValuePtr replacement;
  try {
    replacement = parse_tree(assignment.substr(eq + 1), "--set");
  } catch (const InputError&) {
    throw InputError(where + ": expected a YAML value after '=', found a syntax error");
  }
  replacement->mark = Mark{"--set", 0, 0};

  Value* node = &root;
  if (node->kind == Value::Kind::Null) node->kind = Value::Kind::Map;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    const std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (key.empty()) throw InputError(where + ": expected key.path=value, found an empty key");
    if (node->kind != Value::Kind::Map) {
      throw InputError(where + ": expected " + path.substr(0, start ? start - 1 : 0) +
                       " to be a map, found a " +
                       (node->kind == Value::Kind::Sequence ? "list" : "scalar"));
    }
    MapEntry* entry = node->find(key);
    if (dot == std::string::npos) {
      if (entry) {
        entry->value = replacement;
        entry->key_mark = replacement->mark;  // errors must blame --set, not the file
      } else {
        node->map.push_back(MapEntry{key, replacement->mark, replacement});
      }
      return;
    }
    if (!entry) {
      auto fresh = std::make_shared<Value>();
      fresh->kind = Value::Kind::Map;
      fresh->mark = replacement->mark;
      node->map.push_back(MapEntry{key, replacement->mark, fresh});
      entry = &node->map.back();
    }
    node = entry->value.get();
    start = dot + 1;
  }
}

}  // namespace tessera::config

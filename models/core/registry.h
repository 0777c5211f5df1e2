// A name -> factory registry. Implementations register themselves from their
// own file (Ramulator 2's idiom) through a static Registrar; the files live in
// OBJECT libraries so the linker cannot drop the registrations.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/core/error.h"

namespace tessera {

template <typename Factory>
class Registry {
 public:
  struct Entry {
    std::string name;
    std::string description;
    Factory factory;
  };

  // One registry per Factory type, created on first use (safe during static init).
  static Registry& instance() {
    static Registry registry;
    return registry;
  }

  // Registering a name twice is a programming error in a built-in and an input
  // error in a plugin; both are reported as InputError naming the duplicate.
  void add(std::string name, std::string description, Factory factory) {
    if (entries_.count(name) != 0) {
      throw InputError("'" + name + "' is registered twice");
    }
    Entry entry{name, std::move(description), std::move(factory)};
    entries_.emplace(std::move(name), std::move(entry));
  }

  const Entry* find(const std::string& name) const {
    const auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }

  // Sorted by name.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [name, entry] : entries_) out.push_back(name);
    return out;
  }
  std::vector<const Entry*> entries() const {
    std::vector<const Entry*> out;
    for (const auto& [name, entry] : entries_) out.push_back(&entry);
    return out;
  }

  // "a, b, c": for "unknown X 'y'; known: a, b, c" messages.
  std::string joined_names() const {
    std::string out;
    for (const auto& [name, entry] : entries_) {
      if (!out.empty()) out += ", ";
      out += name;
    }
    return out;
  }

 private:
  std::map<std::string, Entry> entries_;
};

// static Registrar<F> reg("lru", "least recently used", factory);
template <typename Factory>
struct Registrar {
  Registrar(std::string name, std::string description, Factory factory) {
    Registry<Factory>::instance().add(std::move(name), std::move(description), std::move(factory));
  }
};

}  // namespace tessera

// The eviction-policy interface shared by both cache cores.
//
// A policy manages a set of resident entries named by dense keys in
// [0, context.key_space). The core tells it what happened (hit, insert,
// evict) and asks two questions:
//   admit(key, info, free)  may this missed entry be inserted at all?
//                           (false = bypass; default true)
//   victim(incoming)        which resident entry would you evict next?
// victim() has no side effects: it does not change the policy's state, so
// calling it twice gives the same key, and a caller may ask without evicting.
// The core then calls on_evict(key) for the entry it removes, and that is
// where the policy updates its state (CLOCK's hand, S3-FIFO's promotions).
//
// Pinned entries and entries larger than the cache never reach the policy.
//
// Every key passed to on_hit/on_evict is resident (was inserted and not yet
// evicted); every key passed to on_insert is not. victim() is only called
// while at least one entry is resident.
//
// Policies register themselves by name from their own file under policies/
// (see registry.h in models/core and the TESSERA_REGISTER_POLICY macro below);
// plugins add more at run time (plugin_api.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/core/registry.h"
#include "models/core/units.h"

namespace tessera::cache {

inline constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

// What the replay engine knows about one access. Fields a policy does not
// ask for (Policy::needs()) are left at their defaults.
struct AccessInfo {
  std::uint64_t position = 0;  // index of this access in the replayed stream
  Bytes bytes = 0;             // size of the entry being accessed
  bool is_write = false;
  // kNeedsFuture: position of the next access to the same key, kNever if none.
  std::uint64_t next_use = kNever;
  // kNeedsHistory: accesses since the previous access to the same key
  // (kNever on a first access), and |address - previous access's address|.
  std::uint64_t reuse_interval = kNever;
  std::uint64_t stride_bytes = 0;
};

// Fixed facts a policy may size itself by. Trace-wide maxima are filled by
// the replay engine (used by `score` to normalise its features).
struct PolicyContext {
  std::uint32_t key_space = 0;           // keys are in [0, key_space)
  Bytes capacity_bytes = 0;              // bytes available to the policy's entries
  std::uint64_t seed = 1;                // for randomised policies
  Bytes max_bytes = 1;                   // largest entry in the stream
  std::uint64_t max_reuse_interval = 1;  // largest finite reuse interval
  std::uint64_t max_stride_bytes = 1;    // largest stride
  // `score` weights (size, reuse, stride); the prototype's 0.4 / 0.5 / 0.1.
  double score_weight_size = 0.4;
  double score_weight_reuse = 0.5;
  double score_weight_stride = 0.1;
};

class Policy {
 public:
  enum Needs : unsigned { kNeedsNothing = 0, kNeedsFuture = 1, kNeedsHistory = 2 };

  virtual ~Policy() = default;

  // Bit set of Needs: what the engine must compute for AccessInfo.
  virtual unsigned needs() const { return kNeedsNothing; }

  virtual void on_hit(std::uint32_t key, const AccessInfo& info) = 0;
  virtual void on_insert(std::uint32_t key, const AccessInfo& info) = 0;
  virtual void on_evict(std::uint32_t key) = 0;
  // Called on every miss before admit(), for policies that keep history of
  // evicted keys (ARC's ghost lists). `key` is not resident.
  virtual void on_miss(std::uint32_t key, const AccessInfo& info) {}

  // `free_bytes`: room left without evicting anything.
  virtual bool admit(std::uint32_t key, const AccessInfo& info, Bytes free_bytes) { return true; }
  virtual std::uint32_t victim(const AccessInfo& incoming) const = 0;

  // Bytes of policy state per key (for the <= 64 bytes per entry budget).
  virtual std::size_t state_bytes_per_entry() const = 0;
};

using PolicyFactory = std::function<std::unique_ptr<Policy>(const PolicyContext&)>;
using PolicyRegistry = Registry<PolicyFactory>;

// Creates the named policy. Throws InputError "unknown eviction policy
// 'NAME'; known: a, b, c" for a name no one registered.
std::unique_ptr<Policy> make_policy(const std::string& name, const PolicyContext& context);
// Throws the same error as make_policy when `name` is unknown.
void check_policy_name(const std::string& name);
// For names a user wrote: throws "WHERE: expected one of the eviction
// policies (a, b, c), found 'NAME' (did you mean 'x'?)", where WHERE is the
// option ("--policy") or "file:line:col: replay.policies[1]".
void check_policy_name(const std::string& name, const std::string& where);

// The policies built into Tessera, sorted (what `tessera policies` shows
// before plugins are loaded).
std::vector<std::string> builtin_policy_names();

}  // namespace tessera::cache

// In a policy's own .cpp:
//   TESSERA_REGISTER_POLICY(lru, "lru", "least recently used", LruPolicy)
// The class must be constructible from const PolicyContext&.
#define TESSERA_REGISTER_POLICY(ident, name, description, Class)                 \
  namespace {                                                                    \
  const ::tessera::Registrar<::tessera::cache::PolicyFactory> registrar_##ident( \
      name, description,                                                         \
      [](const ::tessera::cache::PolicyContext& context)                         \
          -> std::unique_ptr<::tessera::cache::Policy> {                         \
        return std::make_unique<Class>(context);                                 \
      });                                                                        \
  }

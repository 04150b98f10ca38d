// The audit chain: every state change appends one event, in the same
// transaction as the change, and each event carries the hash of the one
// before it. Changing or deleting any stored event (or the object it
// describes) behind the program's back breaks the chain at that event, and
// Verify() names it.
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "relos/core/time.h"

namespace relos::audit {

struct Event {
  int64_t seq = 0;        // 1, 2, 3... with no gaps
  Timestamp at;
  std::string actor_party;
  std::string actor_role;
  std::string actor_name;
  std::string kind;       // "order.created", "order.approved", "registry.imported"...
  std::string subject;    // "order/17", "registry", ...
  std::string payload;    // canonical JSON: the object's state after the change
  std::string prev_hash;  // hex SHA-256 of the previous event; 64 zeros for seq 1
  std::string hash;       // hex SHA-256 over all fields above
  friend bool operator==(const Event&, const Event&) = default;
};

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The hash of `e` from its fields (ignores e.hash): SHA-256 over a
// length-prefixed encoding of every field, so no two events collide by
// shifting text between fields.
std::string ComputeEventHash(const Event& e);

// Hex SHA-256 of arbitrary bytes.
std::string Sha256Hex(const std::string& bytes);

}  // namespace relos::audit

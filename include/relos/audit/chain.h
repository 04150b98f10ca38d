// Appending to and verifying the audit chain through a storage transaction.
// Append runs inside the caller's write transaction, so an event exists if
// and only if the change it records was committed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "relos/audit/event.h"
#include "relos/core/time.h"
#include "relos/storage/store.h"

namespace relos::audit {

struct EventDraft {
  Timestamp at;
  std::string actor_party;
  std::string actor_role;
  std::string actor_name;
  std::string kind;
  std::string subject;
  std::string payload;
};

// Appends `draft` after the last event: assigns seq, prev_hash and hash.
// Returns the stored event; errors from the store pass through.
Result<Event> Append(storage::Transaction& txn, const EventDraft& draft);

struct VerifyReport {
  int64_t events_checked = 0;
  int64_t objects_checked = 0;
  // Empty when everything verifies; otherwise the first problem found.
  std::optional<int64_t> broken_seq;  // the event at fault, when one is
  std::string problem;
  bool ok() const { return problem.empty(); }
};

// Walks the chain from seq 1: sequence without gaps, each prev_hash equal to
// the previous event's hash, each hash recomputed from the event's fields.
// Stops at the first broken link. Store errors pass through.
Result<VerifyReport> VerifyChain(storage::Transaction& txn);

}  // namespace relos::audit

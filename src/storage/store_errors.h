// The errors every backend returns for the same situations, spelt once so
// that the conformance suite can hold all backends to the same messages and
// reasons, and callers can tell refusals apart by reason().
#pragma once

#include <cstdint>
#include <string>

#include "relos/core/status.h"

namespace relos::storage::internal {

inline Status NotFoundError(const std::string& what, const std::string& key) {
  return NotFound(what + " '" + key + "' not found", "storage.not_found");
}

inline Status DuplicateOrderNumber(const std::string& number) {
  return AlreadyExists("order number '" + number + "' is already taken", "storage.duplicate_order_number");
}

inline Status DuplicateIdempotencyKey(const std::string& requester, const std::string& key) {
  return AlreadyExists("party " + requester + " already created an order with idempotency key '" + key + "'",
                       "storage.duplicate_idempotency_key");
}

inline Status StaleOrderVersion(int64_t id, int64_t stored, int64_t given) {
  return Aborted("order " + std::to_string(id) + " was changed concurrently: stored version " +
                     std::to_string(stored) + ", update carries version " + std::to_string(given) + " (expected " +
                     std::to_string(stored + 1) + ")",
                 "storage.stale_version");
}

inline Status DuplicateEventSeq(int64_t seq) {
  return AlreadyExists("audit event seq " + std::to_string(seq) + " already exists", "storage.duplicate_event");
}

inline Status DuplicateTransfer(const std::string& id) {
  return AlreadyExists("transfer id '" + id + "' is already taken", "storage.duplicate_transfer");
}

// Never echoes the hash: it is derived from a secret.
inline Status DuplicateToken() { return AlreadyExists("that token is already stored", "storage.duplicate_token"); }
inline Status UnknownToken() { return NotFound("no such token", "storage.not_found"); }
inline Status DuplicateReservation(const std::string& order, int64_t line_no, const std::string& resource) {
  return AlreadyExists("order " + order + " line " + std::to_string(line_no) + " already holds " + resource,
                       "storage.duplicate_reservation");
}

inline Status DuplicateReplenishment(const std::string& id) {
  return AlreadyExists("fuel replenishment '" + id + "' already exists", "storage.duplicate_replenishment");
}

inline std::string ReservationKey(const std::string& order, int64_t line_no, const std::string& resource) {
  return order + " line " + std::to_string(line_no) + " " + resource;
}

inline Status ReadOnlyTransaction() {
  return FailedPrecondition("this is a read transaction; writes need BeginWrite()", "storage.read_only");
}

inline Status FinishedTransaction() {
  return FailedPrecondition("the transaction was already committed", "storage.finished");
}

inline Status CheckLimit(int64_t limit) {
  if (limit < 1) return InvalidArgument("limit must be >= 1, got " + std::to_string(limit), "limit");
  return OkStatus();
}

}  // namespace relos::storage::internal

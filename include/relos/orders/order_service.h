// The order service: every change to an order goes through here, from the
// CLI and from the HTTP API alike. Each call is one write transaction that
// checks the actor's party and role (lifecycle.h), the agreement's rules
// (policy.h), applies the change, notifies observers (the ledger, capacity
// reservations) and appends the audit event, then commits; on any error
// nothing is changed.
//
// Thread-safety: thread-safe if the Store is (transactions serialise writers).
// Borrows store, clock and observers; they must outlive the service.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "relos/audit/chain.h"
#include "relos/core/time.h"
#include "relos/orders/lifecycle.h"
#include "relos/orders/order.h"
#include "relos/storage/store.h"

namespace relos::orders {

struct LineRequest {
  std::string item;
  Quantity quantity;
  Timestamp window_start;
  Timestamp window_end;
  std::string note;
  std::string document_sha256;  // optional: hex SHA-256 of the source document
};

struct CreateOrderRequest {
  std::string agreement;
  std::string unit;
  std::string facility;
  registry::Purpose purpose = registry::Purpose::kPortCall;
  registry::SettlementMode settlement = registry::SettlementMode::kCash;
  std::string exercise;
  std::vector<LineRequest> lines;
  // Optional; a retry with the same key and content returns the same order.
  std::string idempotency_key;
};

struct LineApproval {
  int line_no = 0;
  Quantity quantity;  // <= requested; zero refuses the line
};

struct LineDelivery {
  int line_no = 0;
  Quantity quantity;        // actual; above approved only with a discrepancy
  std::string discrepancy;  // what differed and why
};

struct LineReceipt {
  int line_no = 0;
  ReceiptVerdict verdict = ReceiptVerdict::kAcknowledged;
  std::optional<Quantity> quantity;  // default: as delivered
  std::string reason;                // required for a dispute
};

// Options common to every transition.
struct Command {
  std::string remark;
  // Optimistic concurrency: if set, the order's current version must equal
  // it, else Aborted (reason "order.stale").
  std::optional<int64_t> expected_version;
};

// Told of every transition inside its transaction; an error aborts the
// whole change. Implemented by the ledger and the capacity model.
class OrderObserver {
 public:
  virtual ~OrderObserver() = default;
  virtual Status OnTransition(storage::Transaction& txn, Action action, const Order& before, const Order& after,
                              const Actor& actor) = 0;
};

// The audit event of a change made by `actor` at `at` (the chain assigns seq
// and hashes on Append).
audit::EventDraft DraftFor(const Actor& actor, Timestamp at, std::string kind, std::string subject,
                           std::string payload);

class OrderService {
 public:
  OrderService(storage::Store& store, const Clock& clock, std::vector<OrderObserver*> observers = {});

  // Creates a draft. InvalidArgument for a malformed request (naming the
  // field: lines[2].quantity...); NotFound for an unknown agreement, unit,
  // facility or item; PermissionDenied unless the actor is a requester of a
  // party bound by the agreement; AlreadyExists for a key reused with other
  // content (the same content returns the original order).
  Result<Order> Create(const Actor& actor, const CreateOrderRequest& request);
  // Creates every draft of `requests` in one transaction, in order: all of
  // them or, on the first error, none (the error names orders[i] when there
  // are several). A request whose idempotency key was used with the same
  // content returns the order made then.
  Result<std::vector<Order>> CreateAll(const Actor& actor, const std::vector<CreateOrderRequest>& requests);

  // Transitions; each returns the order after the change. Errors: NotFound
  // (unknown order or not visible to the actor's party), PermissionDenied,
  // FailedPrecondition (state or policy rule), ResourceExhausted (capacity,
  // stock, presence days), InvalidArgument (bad per-line input), Aborted
  // (stale expected_version).
  Result<Order> Submit(const Actor& actor, int64_t id, const Command& cmd = {});
  // Empty `lines` approves every line in full.
  Result<Order> Approve(const Actor& actor, int64_t id, const std::vector<LineApproval>& lines, const Command& cmd = {});
  Result<Order> Reject(const Actor& actor, int64_t id, const Command& cmd);  // remark is the reason, required
  // Lines not listed are delivered as approved.
  Result<Order> Deliver(const Actor& actor, int64_t id, const std::vector<LineDelivery>& lines, const Command& cmd = {});
  // Lines not listed are acknowledged as delivered.
  Result<Order> Receipt(const Actor& actor, int64_t id, const std::vector<LineReceipt>& lines, const Command& cmd = {});
  // Settles a disputed line at an agreed quantity (<= delivered).
  Result<Order> Resolve(const Actor& actor, int64_t id, int line_no, const Quantity& agreed, const Command& cmd = {});
  Result<Order> Cancel(const Actor& actor, int64_t id, const Command& cmd);  // remark is the reason, required
  Result<Order> Close(const Actor& actor, int64_t id, const Command& cmd = {});

  Result<Order> Get(const Actor& actor, int64_t id);
  Result<Order> GetByNumber(const Actor& actor, const std::string& number);
  // Orders the actor's party is requester or supplier of, filtered.
  Result<std::vector<Order>> List(const Actor& actor, storage::OrderFilter filter);

 private:
  // Create's checks and writes for one request inside `txn`; no commit.
  Result<Order> CreateIn(storage::Transaction& txn, const Actor& actor, const CreateOrderRequest& request,
                         Timestamp now);
  // Loads the order, checks the transition, lets `mutate` change it, checks
  // the result and stores it with its event, all in one transaction.
  template <typename Mutate>
  Result<Order> Transition(const Actor& actor, int64_t id, Action action, const Command& cmd, Mutate&& mutate);

  storage::Store& store_;
  const Clock& clock_;
  std::vector<OrderObserver*> observers_;
};

}  // namespace relos::orders

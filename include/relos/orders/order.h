// A support order: one request for support under one agreement, from the
// requesting party's unit to the supplying party's facility, and everything
// that happened to it (approval with quoted prices, delivery with actual
// quantities and discrepancies, receipt acknowledged or disputed per line).
//
// The lifecycle (see lifecycle.h for who may do what):
//   draft -> submitted -> approved | rejected
//   approved -> delivered -> receipted -> closed
//   draft | submitted | approved -> cancelled
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "relos/core/money.h"
#include "relos/core/quantity.h"
#include "relos/core/time.h"
#include "relos/registry/registry.h"

namespace relos::orders {

enum class OrderState { kDraft, kSubmitted, kApproved, kRejected, kDelivered, kReceipted, kClosed, kCancelled };

enum class Role { kRequester, kApprover, kLogisticsOfficer, kReceiver, kFinance, kAuditor, kAdmin };

enum class ReceiptVerdict { kPending, kAcknowledged, kDisputed };

std::string_view Name(OrderState s);  // "draft", "submitted", ...
std::string_view Name(Role r);        // "requester", "approver", "logistics-officer", ...
std::string_view Name(ReceiptVerdict v);
Result<OrderState> ParseOrderState(std::string_view s);
Result<Role> ParseRole(std::string_view s);

// The person acting: a party, a role in it and a name for the record.
struct Actor {
  std::string party;
  Role role = Role::kRequester;
  std::string name;
  // Parses "IN:requester:Lt Rao"; InvalidArgument naming the part at fault.
  static Result<Actor> Parse(std::string_view text);
  std::string ToString() const;
  friend bool operator==(const Actor&, const Actor&) = default;
};

struct OrderLine {
  int line_no = 0;  // 1-based, stable
  std::string item;  // catalogue code
  Quantity requested;
  Timestamp window_start;  // requested delivery window; for berthing and
  Timestamp window_end;    // accommodation, the stay itself
  std::string note;
  // Set at approval. approved may be less than requested (partial approval)
  // or zero (line refused).
  std::optional<Quantity> approved;
  std::optional<Money> unit_price;  // quoted, from the facility's price list
  // Set at delivery. More than approved only with a discrepancy note.
  std::optional<Quantity> delivered;
  std::string discrepancy;
  // Set at receipt.
  ReceiptVerdict verdict = ReceiptVerdict::kPending;
  std::optional<Quantity> receipted;  // what the receiver acknowledges
  std::string dispute_reason;
  std::string document_sha256;  // hash of the line's source document, if attached
  friend bool operator==(const OrderLine&, const OrderLine&) = default;
};

// Who did what and when: the authorising officials of both sides.
struct OrderStep {
  OrderState to = OrderState::kDraft;
  Actor actor;
  Timestamp at;
  std::string remark;
  friend bool operator==(const OrderStep&, const OrderStep&) = default;
};

struct Order {
  int64_t id = 0;        // assigned by the store
  std::string number;    // "RELOS-IN-RU-2025-000001", assigned at creation
  std::string agreement;
  std::string requester;  // party code
  std::string supplier;   // party code
  std::string unit;       // requesting unit code
  std::string facility;   // supplying facility code (the place of delivery)
  registry::Purpose purpose = registry::Purpose::kPortCall;
  registry::SettlementMode settlement = registry::SettlementMode::kCash;
  std::string exercise;   // optional exercise or operation reference
  std::vector<OrderLine> lines;
  OrderState state = OrderState::kDraft;
  std::vector<OrderStep> history;
  std::string idempotency_key;  // as given at creation, scoped to the requester
  std::string content_hash;     // hash of the creation request, for replays
  int64_t version = 0;          // incremented on every change (optimistic concurrency)
  Timestamp created_at;
  Timestamp updated_at;

  const OrderLine* FindLine(int line_no) const;
  OrderLine* FindLine(int line_no);
  friend bool operator==(const Order&, const Order&) = default;
};

}  // namespace relos::orders

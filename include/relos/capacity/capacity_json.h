// The capacity model as JSON: what `relos capacity show|conflicts --json`
// print and the server's capacity routes answer, built in one place so the
// two cannot drift apart.
//
// Thread-safety: pure functions.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "relos/capacity/capacity.h"
#include "relos/codec/codec.h"

namespace relos::capacity {

// {facility, resource, kind, from, to (null: onwards), capacity, demand,
//  shortfall, orders, text, stock_unit (fuel only)}.
codec::Json ConflictJson(const Conflict& c);
codec::Json ConflictsJson(const std::vector<Conflict>& cs);

// {facility, from, to, resources: [{resource, kind, capacity, detail,
//  held: [{order, line, unit, amount, start, end}], peak (places) or
//  stock: [{at, change, stock, what}] (fuel)}]}.
codec::Json UsageJson(const FacilityUsage& u);

// The window of a usage report from its text (ISO 8601; "" for the
// default: from the start of `now`'s day, to 14 days after from).
// InvalidArgument naming `from_name` or `to_name` for a malformed time.
Result<std::pair<Timestamp, Timestamp>> UsageWindow(const std::string& from, const std::string& to, Timestamp now,
                                                   const std::string& from_name, const std::string& to_name);

// Which orders a conflict report over stored orders takes.
struct OrderConflictQuery {
  std::string party;     // orders it is requester or supplier of
  std::string facility;  // "" = every facility
  std::set<orders::OrderState> states{orders::OrderState::kDraft, orders::OrderState::kSubmitted};
  std::set<std::string> numbers;  // empty = every order
};

// Every over-subscription the queried orders (not yet holding capacity)
// would cause beside what is reserved, as by Place with involving_only.
Result<std::vector<Conflict>> ConflictsOfOrders(storage::Transaction& txn, const OrderConflictQuery& q,
                                               Timestamp now);

}  // namespace relos::capacity

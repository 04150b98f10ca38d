// Exercises, their plans and summaries as JSON: what `relos exercise ...
// --json` prints and the server's exercise routes answer, built in one place
// so the two cannot drift apart.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "relos/codec/codec.h"
#include "relos/exercise/exercise.h"

namespace relos::exercise {

// The exercise's document (ToJsonText) as a JSON value.
codec::Json ExerciseJson(const Exercise& e);

// {exercise, berth_plans: [{facility, berths, objective_hours,
//  lower_bound_hours, proven_optimal, method, problem, slots: [{call
//  (1-based), unit, berth, start, end, delay_hours}]}], orders: [{call,
//  label, requester, unit, facility, idempotency_key, lines}], conflicts}.
codec::Json PlanJson(const ExercisePlan& p);

// An order in one line: {id, number, state, unit, facility, lines (count)}.
codec::Json OrderSummaryJson(const orders::Order& o);

// The exercise's document with, beside its keys, `orders` (OrderSummaryJson),
// `order_states` {state: count} and `costs` {quoted, ledger_pending,
// ledger_outstanding}, each {currency: "1234.50 USD"}.
codec::Json SummaryJson(const ExerciseSummary& s);

// `minor` units of `currency` as text ("1234.50 USD"; "12 XYZ" for a code
// the currency table does not know).
std::string AmountText(int64_t minor, const std::string& currency);

// {created: [OrderSummaryJson...], skipped: ["<label>: <why>"...]}.
codec::Json CreatedOrdersJson(const CreatedOrders& c);

}  // namespace relos::exercise

// Exercises, plans and summaries as JSON (relos/exercise/exercise_json.h).
#include "relos/capacity/capacity_json.h"
#include "relos/core/money.h"
#include "relos/exercise/exercise_json.h"

namespace relos::exercise {

using codec::Json;

std::string AmountText(int64_t minor, const std::string& currency) {
  auto c = Currency::FromCode(currency);
  if (!c.ok()) return std::to_string(minor) + " " + currency;
  return Money(minor, *c).ToString();
}

namespace {

Json MoneyMapJson(const std::map<std::string, int64_t>& m) {
  Json j = Json::object();
  for (const auto& [unit, amount] : m) j[unit] = AmountText(amount, unit);
  return j;
}

}  // namespace

Json ExerciseJson(const Exercise& e) { return Json::parse(ToJsonText(e)); }

Json PlanJson(const ExercisePlan& p) {
  Json berths = Json::array();
  for (const auto& bp : p.berth_plans) {
    Json slots = Json::array();
    for (const auto& s : bp.slots) {
      slots.push_back({{"call", s.call + 1},
                       {"unit", s.unit},
                       {"berth", s.berth},
                       {"start", s.start.ToIso8601()},
                       {"end", s.end.ToIso8601()},
                       {"delay_hours", s.delay_hours}});
    }
    berths.push_back({{"facility", bp.facility},
                      {"berths", bp.berths},
                      {"objective_hours", bp.objective},
                      {"lower_bound_hours", bp.lower_bound},
                      {"proven_optimal", bp.proven_optimal},
                      {"method", bp.method},
                      {"problem", bp.problem},
                      {"slots", slots}});
  }
  Json orders = Json::array();
  for (const auto& po : p.orders) {
    Json lines = Json::array();
    for (const auto& l : po.request.lines) {
      lines.push_back({{"item", l.item},
                       {"quantity", l.quantity.ToString()},
                       {"window_start", l.window_start.ToIso8601()},
                       {"window_end", l.window_end.ToIso8601()}});
    }
    orders.push_back({{"call", po.call + 1},
                      {"label", po.label},
                      {"requester", po.requester},
                      {"unit", po.request.unit},
                      {"facility", po.request.facility},
                      {"idempotency_key", po.request.idempotency_key},
                      {"lines", lines}});
  }
  return {{"exercise", p.exercise.code},
          {"berth_plans", berths},
          {"orders", orders},
          {"conflicts", capacity::ConflictsJson(p.conflicts)}};
}

Json OrderSummaryJson(const orders::Order& o) {
  return {{"id", o.id},     {"number", o.number},     {"state", std::string(orders::Name(o.state))},
          {"unit", o.unit}, {"facility", o.facility}, {"lines", o.lines.size()}};
}

Json SummaryJson(const ExerciseSummary& s) {
  Json j = ExerciseJson(s.exercise);
  Json list = Json::array();
  for (const auto& o : s.orders) list.push_back(OrderSummaryJson(o));
  j["orders"] = list;
  j["order_states"] = s.order_states;
  j["costs"] = {{"quoted", MoneyMapJson(s.costs.quoted)},
                {"ledger_pending", MoneyMapJson(s.costs.pending)},
                {"ledger_outstanding", MoneyMapJson(s.costs.outstanding)}};
  return j;
}

Json CreatedOrdersJson(const CreatedOrders& c) {
  Json list = Json::array();
  for (const auto& o : c.created) list.push_back(OrderSummaryJson(o));
  return {{"created", list}, {"skipped", c.skipped}};
}

}  // namespace relos::exercise

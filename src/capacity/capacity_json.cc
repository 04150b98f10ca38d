// The capacity model as JSON (relos/capacity/capacity_json.h).
#include "relos/capacity/capacity_json.h"

#include <cstdint>

namespace relos::capacity {

using codec::Json;

Json ConflictJson(const Conflict& c) {
  Json j{{"facility", c.facility}, {"resource", c.resource},   {"kind", std::string(Name(c.kind))},
         {"from", c.from.ToIso8601()}, {"capacity", c.capacity}, {"demand", c.demand},
         {"shortfall", c.shortfall()}, {"orders", c.orders},     {"text", c.ToString()}};
  if (c.from == c.to) {
    j["to"] = nullptr;  // onwards
  } else {
    j["to"] = c.to.ToIso8601();
  }
  if (!c.stock_unit.empty()) j["stock_unit"] = c.stock_unit;
  return j;
}

Json ConflictsJson(const std::vector<Conflict>& cs) {
  Json j = Json::array();
  for (const auto& c : cs) j.push_back(ConflictJson(c));
  return j;
}

Json UsageJson(const FacilityUsage& u) {
  Json resources = Json::array();
  for (const auto& r : u.resources) {
    Json held = Json::array();
    for (const auto& h : r.held) {
      held.push_back({{"order", h.order},
                      {"line", h.line_no},
                      {"unit", h.unit},
                      {"amount", h.amount},
                      {"start", h.start.ToIso8601()},
                      {"end", h.end.ToIso8601()}});
    }
    Json j{{"resource", r.resource}, {"kind", std::string(Name(r.kind))}, {"capacity", r.capacity},
           {"detail", r.detail},     {"held", held}};
    if (r.kind == ResourceKind::kFuel) {
      Json stock = Json::array();
      for (const auto& p : r.stock) {
        stock.push_back({{"at", p.at.ToIso8601()}, {"change", p.change}, {"stock", p.stock}, {"what", p.what}});
      }
      j["stock"] = stock;
    } else {
      j["peak"] = r.peak;
    }
    resources.push_back(j);
  }
  return {{"facility", u.facility}, {"from", u.from.ToIso8601()}, {"to", u.to.ToIso8601()}, {"resources", resources}};
}

Result<std::pair<Timestamp, Timestamp>> UsageWindow(const std::string& from, const std::string& to, Timestamp now,
                                                   const std::string& from_name, const std::string& to_name) {
  auto parse = [](const std::string& text, const std::string& name, Timestamp dflt) -> Result<Timestamp> {
    if (text.empty()) return dflt;
    auto t = Timestamp::Parse(text);
    if (!t.ok()) return t.status().WithContext(name);
    return t;
  };
  ASSIGN_OR_RETURN(Timestamp start, parse(from, from_name, now.StartOfDay()));
  ASSIGN_OR_RETURN(Timestamp end, parse(to, to_name, start.PlusDays(14)));
  return std::make_pair(start, end);
}

Result<std::vector<Conflict>> ConflictsOfOrders(storage::Transaction& txn, const OrderConflictQuery& q,
                                               Timestamp now) {
  storage::OrderFilter f;
  f.involving_party = q.party;
  if (!q.facility.empty()) f.facility = q.facility;
  f.states = q.states;
  f.limit = INT64_MAX;
  ASSIGN_OR_RETURN(std::vector<orders::Order> list, txn.ListOrders(f));
  std::vector<Demand> demands;
  for (const auto& order : list) {
    if (!q.numbers.empty() && !q.numbers.count(order.number)) continue;
    ASSIGN_OR_RETURN(auto ds, DemandsOf(txn, order, /*approved=*/false));
    demands.insert(demands.end(), ds.begin(), ds.end());
  }
  ASSIGN_OR_RETURN(Placement p, Place(txn, demands, /*involving_only=*/true, now));
  return p.conflicts;
}

}  // namespace relos::capacity

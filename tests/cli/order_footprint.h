// What an order left behind, to compare an order raced through by several
// clients with one taken through alone: how many events of each kind it
// has, and how many distinct ledger transfers of each code name it (in the
// parties' statement lines).
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace relos::testing {

using OrderFootprint = std::pair<std::map<std::string, int>, std::map<std::string, size_t>>;

// `events`: the order's events (`relos events --json --subject order/N`);
// `statements`: statement lines of both parties (`relos ledger statement --json`).
inline OrderFootprint FootprintOf(const std::string& number, const nlohmann::json& events,
                                  const nlohmann::json& statements) {
  OrderFootprint f;
  for (const auto& e : events) ++f.first[e["kind"].get<std::string>()];
  std::map<std::string, std::set<std::string>> transfers;
  for (const auto& r : statements) {
    if (r.value("order", "") == number) transfers[r["code"].get<std::string>()].insert(r["transfer"].dump());
  }
  for (const auto& [code, ids] : transfers) f.second[code] = ids.size();
  return f;
}

}  // namespace relos::testing

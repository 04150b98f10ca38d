#include "server/api_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>

namespace relos::server {

using codec::Json;

Json UserJson(const auth::User& u) {
  Json roles = Json::array();
  for (orders::Role r : u.roles) roles.push_back(std::string(orders::Name(r)));
  return {{"name", u.name},
          {"party", u.party},
          {"roles", roles},
          {"disabled", u.disabled},
          {"created_at", u.created_at.ToIso8601()}};
}

Json PartnerView(const registry::Facility& f) {
  Json j = codec::ToJson(f);
  j.erase("capacities");
  Json grades = Json::array();
  for (const auto& stock : f.fuel) grades.push_back({{"grade", stock.grade}});
  j["fuel"] = grades;
  return j;
}

Result<int64_t> IntParam(const Call& c, const std::string& name, int64_t fallback, int64_t min, int64_t max) {
  auto it = c.request.query.find(name);
  if (it == c.request.query.end()) return fallback;
  const std::string& text = it->second;
  const std::string why = name + ": must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument(why, name);
  }
  int64_t v = std::stoll(text);
  if (v < min || v > max) return InvalidArgument(why, name);
  return v;
}

Result<std::optional<int64_t>> ExpectedVersion(const HttpRequest& req) {
  std::string v = req.Header("if-match");
  if (v.empty()) return std::optional<int64_t>();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("If-Match: must be the ETag last seen, a quoted version number such as \"3\"", "If-Match");
  }
  return std::optional<int64_t>(std::stoll(v));
}

namespace {

std::string Bound(double v) { return fmt::format("{:g}", v); }

}  // namespace

Result<std::optional<double>> NumberParam(const Call& c, const std::string& name, double min, double max) {
  auto it = c.request.query.find(name);
  if (it == c.request.query.end()) return std::optional<double>();
  const std::string& text = it->second;
  char* end = nullptr;
  const double v = text.empty() || text.size() > 32 ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || text.size() > 32 || end == nullptr || *end != '\0' || !(v > min && v <= max)) {
    return InvalidArgument(name + ": must be a number above " + Bound(min) + " and at most " + Bound(max), name);
  }
  return std::optional<double>(v);
}

Result<std::optional<double>> JsonNumberAt(const codec::Json& j, const std::string& key, const std::string& path,
                                           double min, double max, bool min_inclusive) {
  auto it = j.find(key);
  if (it == j.end()) return std::optional<double>();
  const std::string why = path + "." + key + ": must be a number " + (min_inclusive ? "from " : "above ") +
                          Bound(min) + (min_inclusive ? " to " : " and at most ") + Bound(max);
  if (!it->is_number()) return InvalidArgument(why, key);
  const double v = it->get<double>();
  if (!(min_inclusive ? v >= min : v > min) || !(v <= max)) return InvalidArgument(why, key);
  return std::optional<double>(v);
}

Result<std::string> IdempotencyKey(const Call& c) {
  const std::string& key = c.request.Header("idempotency-key");
  if (key.size() > 128) return InvalidArgument("Idempotency-Key: at most 128 characters", "Idempotency-Key");
  return key;
}

Result<bool> EventVisibleTo(storage::Transaction& txn, const audit::Event& e, const std::string& party) {
  if (e.actor_party == party) return true;
  if (e.subject.rfind("order/", 0) == 0) {
    auto o = txn.GetOrderByNumber(e.subject.substr(6));
    if (!o.ok()) return o.status().code() == StatusCode::kNotFound ? Result<bool>(false) : Result<bool>(o.status());
    return o->requester == party || o->supplier == party;
  }
  if (e.subject.rfind("user/", 0) == 0) {
    auto u = txn.Auth().GetUser(e.subject.substr(5));
    return u.ok() && u->party == party;
  }
  return false;
}

std::string OrderAndLedgerGauges(storage::Transaction& txn) {
  std::string out;
  std::map<std::string, int64_t> open;
  for (orders::OrderState s : {orders::OrderState::kDraft, orders::OrderState::kSubmitted,
                               orders::OrderState::kApproved, orders::OrderState::kDelivered,
                               orders::OrderState::kReceipted}) {
    open[std::string(orders::Name(s))] = 0;
  }
  storage::OrderFilter f;
  for (const auto& [state, n] : open) f.states.insert(*orders::ParseOrderState(state));
  while (true) {
    auto page = txn.ListOrders(f);
    if (!page.ok()) break;
    for (const auto& o : *page) ++open[std::string(orders::Name(o.state))];
    if (static_cast<int64_t>(page->size()) < f.limit) break;
    f.after_id = page->back().id;
  }
  out += "# HELP relos_orders_open Orders not yet closed, cancelled or rejected, by state.\n";
  out += "# TYPE relos_orders_open gauge\n";
  for (const auto& [state, n] : open) out += fmt::format("relos_orders_open{{state=\"{}\"}} {}\n", state, n);

  // Posted and pending amounts over every ledger account, per currency (minor
  // units; replacement-in-kind accounts, in item units, are left out).
  std::map<std::string, std::array<int64_t, 2>> posted, pending;  // unit -> {debits, credits}
  auto agreements = txn.ListAgreements();
  if (agreements.ok()) {
    for (const auto& a : *agreements) {
      auto accounts = txn.Ledger().ListAccounts(a.code);
      if (!accounts.ok()) continue;
      for (const auto& acc : *accounts) {
        if (acc.unit.size() != 3) continue;
        posted[acc.unit][0] += acc.debits_posted;
        posted[acc.unit][1] += acc.credits_posted;
        pending[acc.unit][0] += acc.debits_pending;
        pending[acc.unit][1] += acc.credits_pending;
      }
    }
  }
  out += "# HELP relos_ledger_amount_minor Sum over ledger accounts, in minor units of the currency.\n";
  out += "# TYPE relos_ledger_amount_minor gauge\n";
  for (const auto& [unit, dc] : posted) {
    out += fmt::format("relos_ledger_amount_minor{{currency=\"{}\",phase=\"posted\",side=\"debit\"}} {}\n", unit, dc[0]);
    out += fmt::format("relos_ledger_amount_minor{{currency=\"{}\",phase=\"posted\",side=\"credit\"}} {}\n", unit, dc[1]);
    const auto& p = pending[unit];
    out += fmt::format("relos_ledger_amount_minor{{currency=\"{}\",phase=\"pending\",side=\"debit\"}} {}\n", unit, p[0]);
    out += fmt::format("relos_ledger_amount_minor{{currency=\"{}\",phase=\"pending\",side=\"credit\"}} {}\n", unit, p[1]);
  }
  return out;
}

}  // namespace relos::server

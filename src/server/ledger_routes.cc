// The ledger's reports and actions, through ledger::SettlementService as
// `relos ledger|bill|pay|rik|eve|rates` call it: reports and the actions
// that name an agreement under /api/v1/ledger/{agreement}/..., actions on a
// bill, obligation or offset proposal under its own id (/api/v1/bills/...,
// /rik/..., /offsets/...). Amounts are integers in minor units of their
// currency (thousandths of the item's unit for replacement-in-kind
// accounts), never floats. An agreement that does not bind the caller's
// party is 404, as one that does not exist, and so is a bill, obligation or
// proposal of which the caller's party is not a side. The service checks
// the finance roles per party (the supplier's finance officer bills, the
// debtor's pays...): a refusal is 403 with rule "ledger.role".
#include <algorithm>

#include "relos/core/decimal.h"
#include "relos/ledger/record_json.h"
#include "relos/ledger/settlement.h"
#include "relos/server/api.h"
#include "server/api_util.h"

namespace relos::server {

using codec::Json;
using orders::Role;

namespace {

Status CheckBound(storage::Store& store, const std::string& agreement, const std::string& party) {
  ASSIGN_OR_RETURN(auto txn, store.BeginRead());
  auto a = txn->GetAgreement(agreement);
  if (!a.ok() || !a->Binds(party)) return NotFound("agreement '" + agreement + "' not found", "storage.not_found");
  return OkStatus();
}

// The ledger's own record of a bill (record_json.h), with what is left to
// pay; without its lines in lists.
Json BillJson(const ledger::Bill& b, bool with_lines) {
  Json j = Json::parse(ledger::RecordJson(b));
  j["outstanding"] = b.outstanding();
  if (!with_lines) j.erase("lines");
  return j;
}
Json RikJson(const ledger::RikObligation& r) { return Json::parse(ledger::RecordJson(r)); }
// The proposal's record with where it stands ("state": proposed,
// accepted-by-<party>, posted).
Json OffsetJson(const ledger::OffsetProposal& p) {
  Json j = Json::parse(ledger::RecordJson(p));
  j["state"] = ledger::OffsetState(p);
  return j;
}

// An ISO 8601 time from the query or a body member; `fallback` when absent.
Result<Timestamp> TimeParam(const Call& c, const std::string& name, Timestamp fallback) {
  auto it = c.request.query.find(name);
  if (it == c.request.query.end()) return fallback;
  Result<Timestamp> t = Timestamp::Parse(it->second);
  if (!t.ok()) return InvalidArgument(name + ": " + t.status().message(), name);
  return *t;
}
Result<std::optional<Timestamp>> JsonTimeAt(const Json& body, const std::string& key) {
  ASSIGN_OR_RETURN(std::string text, orders::JsonStringAt(body, key, "$", false));
  if (text.empty()) return std::optional<Timestamp>();
  Result<Timestamp> t = Timestamp::Parse(text);
  if (!t.ok()) return InvalidArgument("$." + key + ": " + t.status().message(), key);
  return std::optional<Timestamp>(*t);
}

// The id that makes a creating call idempotent: the Idempotency-Key header
// or the body's `member` (equal when both are given); "" when neither.
Result<std::string> CallId(const Call& c, const Json& body, const std::string& member) {
  ASSIGN_OR_RETURN(std::string id, orders::JsonStringAt(body, member, "$", false));
  ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c));
  if (!key.empty() && !id.empty() && key != id) {
    return InvalidArgument("Idempotency-Key: differs from $." + member, "Idempotency-Key");
  }
  if (id.empty()) id = key;
  if (id.size() > 128) return InvalidArgument("$." + member + ": at most 128 characters", member);
  return id;
}

Result<Json> ObjectBody(const Call& c, std::initializer_list<const char*> keys) {
  ASSIGN_OR_RETURN(Json body, c.Body());
  if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
  RETURN_IF_ERROR(orders::JsonOnlyKeys(body, "$", keys));
  return body;
}

// The service answers a party not bound by the agreement of a proposal
// with PermissionDenied; the API answers as for no such proposal, so that
// a guessed id discloses nothing.
Status Unseen(const Status& s, const std::string& id) {
  if (s.code() == StatusCode::kPermissionDenied && s.reason() == "agreement") {
    return NotFound("eve: no offset proposal '" + id + "'", "eve");
  }
  return s;
}

}  // namespace

void Api::AddLedgerRoutes() {
  const std::set<Role> readers = {Role::kFinance, Role::kAuditor};
  using Report = std::function<Result<Json>(ledger::SettlementService&, const Call&, const std::string&)>;
  const std::vector<std::tuple<std::string, std::string, std::vector<std::string>, Report>> reports = {
      {"accounts", "every account of the agreement with its pending and posted balances", {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.Accounts(c.actor, ag));
         Json rows = Json::array();
         for (const auto& a : list) {
           rows.push_back({{"code", a.code}, {"party", a.party}, {"purpose", a.purpose},
                           {"counterparty", a.counterparty}, {"unit", a.unit}, {"debits_pending", a.debits_pending},
                           {"debits_posted", a.debits_posted}, {"credits_pending", a.credits_pending},
                           {"credits_posted", a.credits_posted}});
         }
         return Json{{"accounts", rows}};
       }},
      {"balance", "net position of each party per unit, then in the settlement currency (row total: true)", {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.NetPosition(c.actor, ag));
         Json rows = Json::array();
         for (const auto& r : list) {
           rows.push_back({{"party", r.party}, {"counterparty", r.counterparty}, {"unit", r.unit},
                           {"owed_to", r.owed_to}, {"owes", r.owes}, {"pending_owes", r.pending_owes},
                           {"net", r.net}, {"total", r.total}});
         }
         return Json{{"net_position", rows}};
       }},
      {"orders", "every order of the agreement involving the caller's party, with its balance and reconciliation", {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.OrderPositions(c.actor, ag));
         Json rows = Json::array();
         for (const auto& p : list) {
           rows.push_back({{"order", p.order}, {"state", p.state}, {"reconciliation", p.reconciliation},
                           {"outstanding", p.balance.outstanding}, {"pending", p.balance.pending}});
         }
         return Json{{"orders", rows}};
       }},
      {"trial-balance", "debits and credits per unit; they must be equal", {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.TrialBalanceOf(c.actor, ag));
         Json rows = Json::array();
         for (const auto& r : list) {
           rows.push_back({{"unit", r.unit}, {"debits_pending", r.debits_pending}, {"debits_posted", r.debits_posted},
                           {"credits_pending", r.credits_pending}, {"credits_posted", r.credits_posted},
                           {"balanced", r.balanced()}});
         }
         return Json{{"trial_balance", rows}};
       }},
      {"statement", "statement of account of a party (party=, default the caller's) for [from, to)",
       {"party", "from", "to"},
       [this](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(Timestamp from, TimeParam(c, "from", Timestamp()));
         ASSIGN_OR_RETURN(Timestamp to, TimeParam(c, "to", clock_.Now().PlusSeconds(1)));
         auto party = c.request.query.find("party");
         const std::string& who = party == c.request.query.end() ? c.actor.party : party->second;
         ASSIGN_OR_RETURN(auto list, s.Statement(c.actor, ag, who, from, to));
         Json rows = Json::array();
         for (const auto& l : list) {
           const auto& t = l.transfer;
           rows.push_back({{"seq", t.seq}, {"at", t.at.ToIso8601()}, {"transfer", t.id}, {"code", t.code},
                           {"order", t.order}, {"account", l.account}, {"debit", l.debit}, {"credit", l.credit},
                           {"unit", t.unit}});
         }
         return Json{{"statement", rows}};
       }},
      {"ageing", "open bills by age: 0-30, 31-60, 61-90, over 90 days", {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.Ageing(c.actor, ag));
         Json rows = Json::array();
         for (const auto& r : list) {
           rows.push_back({{"creditor", r.creditor}, {"debtor", r.debtor}, {"currency", r.currency},
                           {"days_0_30", r.bucket[0]}, {"days_31_60", r.bucket[1]}, {"days_61_90", r.bucket[2]},
                           {"days_over_90", r.bucket[3]}});
         }
         return Json{{"ageing", rows}};
       }},
      {"ceiling", "use of each party's annual ceiling (year=YYYY, default this year)", {"year"},
       [this](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(int64_t year, IntParam(c, "year", clock_.Now().Year(), 1900, 9999));
         ASSIGN_OR_RETURN(auto list, s.Ceiling(c.actor, ag, static_cast<int>(year)));
         Json rows = Json::array();
         for (const auto& u : list) {
           rows.push_back({{"party", u.party}, {"year", u.year}, {"currency", u.currency}, {"ceiling", u.ceiling},
                           {"pending", u.pending}, {"posted", u.posted}});
         }
         return Json{{"ceiling", rows}};
       }},
      {"annual", "annual report: totals by category, facility, purpose and month (year=YYYY)", {"year"},
       [this](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(int64_t year, IntParam(c, "year", clock_.Now().Year(), 1900, 9999));
         ASSIGN_OR_RETURN(auto list, s.Annual(c.actor, ag, static_cast<int>(year)));
         Json rows = Json::array();
         for (const auto& r : list) {
           rows.push_back({{"dimension", r.dimension}, {"key", r.key}, {"currency", r.currency},
                           {"amount", r.amount}, {"orders", r.orders}});
         }
         return Json{{"annual", rows}};
       }},
      {"alerts", "unreceipted deliveries, unbilled receipts, overdue bills, replacement in kind due", {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.Alerts(c.actor, ag, {}));
         Json rows = Json::array();
         for (const auto& a : list) {
           rows.push_back({{"kind", a.kind}, {"subject", a.subject}, {"days", a.days}, {"detail", a.detail}});
         }
         return Json{{"alerts", rows}};
       }},
      {"bills", "bills under the agreement", {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.ListBills(c.actor, ag));
         Json rows = Json::array();
         for (const auto& b : list) rows.push_back(BillJson(b, false));
         return Json{{"bills", rows}};
       }},
      {"offsets", "equal-value-exchange offset proposals, each with its state (proposed, accepted-by-<party>, posted)",
       {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.ListOffsets(c.actor, ag));
         Json rows = Json::array();
         for (const auto& p : list) rows.push_back(OffsetJson(p));
         return Json{{"offsets", rows}};
       }},
      {"rik", "replacement-in-kind obligations and their state", {},
       [](ledger::SettlementService& s, const Call& c, const std::string& ag) -> Result<Json> {
         ASSIGN_OR_RETURN(auto list, s.ListRik(c.actor, ag));
         Json rows = Json::array();
         for (const auto& r : list) rows.push_back(RikJson(r));
         return Json{{"obligations", rows}};
       }},
  };
  for (const auto& [name, summary, query, report] : reports) {
    router_.Add({"GET", "/api/v1/ledger/{agreement}/" + name, summary + " (finance, auditor; minor units)", true,
                 readers, 200, false, query, [this, report](Call& c) -> Result<Reply> {
                   const std::string& agreement = c.params.at("agreement");
                   RETURN_IF_ERROR(CheckBound(store_, agreement, c.actor.party));
                   ledger::SettlementService service(store_, clock_);
                   ASSIGN_OR_RETURN(Json body, report(service, c, agreement));
                   return Reply{200, body};
                 }});
  }

  router_.Add({"POST", "/api/v1/ledger/{agreement}/bills",
               "bill the partner's unbilled claims posted in [from, to): {from?, to?} (default: everything so far; "
               "the supplier's finance officer); the Idempotency-Key makes a retry return the same bill",
               true, {Role::kFinance}, 201, true, {},
               [this](Call& c) -> Result<Reply> {
                 const std::string& agreement = c.params.at("agreement");
                 RETURN_IF_ERROR(CheckBound(store_, agreement, c.actor.party));
                 ASSIGN_OR_RETURN(Json body, ObjectBody(c, {"from", "to"}));
                 ASSIGN_OR_RETURN(std::optional<Timestamp> from, JsonTimeAt(body, "from"));
                 ASSIGN_OR_RETURN(std::optional<Timestamp> to, JsonTimeAt(body, "to"));
                 ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c));
                 ledger::SettlementService service(store_, clock_);
                 ASSIGN_OR_RETURN(ledger::Bill b,
                                  service.CreateBill(c.actor, agreement, from.value_or(Timestamp()), to, key));
                 Reply r{201, BillJson(b, true)};
                 r.headers.emplace_back("Location", "/api/v1/bills/" + b.number);
                 return r;
               },
               true});
  router_.Add({"POST", "/api/v1/ledger/{agreement}/offsets",
               "propose the equal-value-exchange offset netting both parties' open claims (finance of either party); "
               "the Idempotency-Key makes a retry return the same proposal",
               true, {Role::kFinance}, 201, false, {},
               [this](Call& c) -> Result<Reply> {
                 const std::string& agreement = c.params.at("agreement");
                 RETURN_IF_ERROR(CheckBound(store_, agreement, c.actor.party));
                 ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c));
                 ledger::SettlementService service(store_, clock_);
                 ASSIGN_OR_RETURN(ledger::OffsetProposal p, service.ProposeOffset(c.actor, agreement, key));
                 return Reply{201, OffsetJson(p)};
               },
               true});
  router_.Add({"GET", "/api/v1/bills/{number}", "one bill with its lines (finance, auditor of its supplier or debtor)",
               true, readers, 200, false, {}, [this](Call& c) -> Result<Reply> {
                 ledger::SettlementService service(store_, clock_);
                 ASSIGN_OR_RETURN(ledger::Bill b, service.GetBill(c.actor, c.params.at("number")));
                 return Reply{200, BillJson(b, true)};
               }});
  router_.Add({"POST", "/api/v1/bills/{number}/payments",
               "record a cash payment against a bill: {amount: \"1234.56 USD\", payment_id?}; the Idempotency-Key (or "
               "payment_id) makes a retry record it once (the debtor's finance officer)",
               true, {Role::kFinance}, 201, true, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Json body, ObjectBody(c, {"amount", "payment_id"}));
                 ASSIGN_OR_RETURN(std::string text, orders::JsonStringAt(body, "amount", "$", true));
                 Result<Money> amount = Money::Parse(text);
                 if (!amount.ok()) return InvalidArgument("$.amount: " + amount.status().message(), "amount");
                 ASSIGN_OR_RETURN(std::string payment_id, CallId(c, body, "payment_id"));
                 if (payment_id.empty()) {
                   return InvalidArgument("$.payment_id: required (or an Idempotency-Key header)", "payment_id");
                 }
                 ledger::SettlementService service(store_, clock_);
                 ASSIGN_OR_RETURN(ledger::Bill b, service.Pay(c.actor, c.params.at("number"), *amount, payment_id));
                 return Reply{201, BillJson(b, true)};
               },
               true});
  router_.Add({"POST", "/api/v1/rik/{key}/deliveries",
               "record a return delivery against a replacement-in-kind obligation: {quantity: \"12.5 tonne\", "
               "delivery_id?}; the Idempotency-Key (or delivery_id) makes a retry record it once (the debtor's finance "
               "or logistics officer)",
               true, {Role::kFinance, Role::kLogisticsOfficer}, 201, true, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Json body, ObjectBody(c, {"quantity", "delivery_id"}));
                 ASSIGN_OR_RETURN(std::string text, orders::JsonStringAt(body, "quantity", "$", true));
                 Result<Quantity> q = Quantity::Parse(text);
                 if (!q.ok()) return InvalidArgument("$.quantity: " + q.status().message(), "quantity");
                 ASSIGN_OR_RETURN(std::string delivery_id, CallId(c, body, "delivery_id"));
                 ledger::SettlementService service(store_, clock_);
                 ASSIGN_OR_RETURN(ledger::RikObligation r,
                                  service.DeliverRik(c.actor, c.params.at("key"), *q, delivery_id));
                 return Reply{201, RikJson(r)};
               },
               true});
  router_.Add({"POST", "/api/v1/offsets/{id}/accept",
               "accept an offset proposal for the caller's party; the second party's acceptance posts it (finance)",
               true, {Role::kFinance}, 200, false, {}, [this](Call& c) -> Result<Reply> {
                 const std::string& id = c.params.at("id");
                 ledger::SettlementService service(store_, clock_);
                 Result<ledger::OffsetProposal> p = service.AcceptOffset(c.actor, id);
                 if (!p.ok()) return Unseen(p.status(), id);
                 return Reply{200, OffsetJson(*p)};
               }});

  router_.Add({"GET", "/api/v1/rates", "the dated exchange-rate table (finance, auditor, admin)", true,
               {Role::kFinance, Role::kAuditor, Role::kAdmin}, 200, false, {}, [this](Call&) -> Result<Reply> {
                 ledger::SettlementService service(store_, clock_);
                 ASSIGN_OR_RETURN(auto list, service.ListRates());
                 Json rows = Json::array();
                 for (const auto& r : list) {
                   rows.push_back({{"from", r.from}, {"to", r.to}, {"valid_from", r.valid_from.DateString()},
                                   {"rate", FormatFixedPointTrimmed(r.rate_e9, 9)}});
                 }
                 return Reply{200, {{"rates", rows}}};
               }});
  router_.Add({"POST", "/api/v1/rates",
               "add or replace exchange rates: {rates: [{from, to, valid_from, rate}]}, rate a decimal string "
               "(finance, admin)",
               true, {Role::kFinance, Role::kAdmin}, 200, true, {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Json body, ObjectBody(c, {"rates"}));
                 auto list = body.find("rates");
                 if (list == body.end() || !list->is_array() || list->empty()) {
                   return InvalidArgument("$.rates: must be a non-empty list", "rates");
                 }
                 // The service reads the CLI's CSV; no field may smuggle in
                 // a separator or a line of its own.
                 std::string csv;
                 for (size_t i = 0; i < list->size(); ++i) {
                   const std::string path = "$.rates[" + std::to_string(i) + "]";
                   const Json& r = (*list)[i];
                   if (!r.is_object()) return InvalidArgument(path + ": must be an object", "rates");
                   RETURN_IF_ERROR(orders::JsonOnlyKeys(r, path, {"from", "to", "valid_from", "rate"}));
                   for (const char* key : {"from", "to", "valid_from", "rate"}) {
                     ASSIGN_OR_RETURN(std::string v, orders::JsonStringAt(r, key, path, true));
                     if (v.find_first_of(",\r\n\"") != std::string::npos) {
                       return InvalidArgument(path + "." + key + ": must not hold a comma, quote or line break", key);
                     }
                     csv += v + (std::string(key) == "rate" ? "\n" : ",");
                   }
                 }
                 ledger::SettlementService service(store_, clock_);
                 ASSIGN_OR_RETURN(int64_t n, service.ImportRates(c.actor, csv));
                 return Reply{200, {{"imported", n}}};
               }});
}

}  // namespace relos::server

// /api/v1/ledger/{agreement}/...: the ledger's reports, read through
// ledger::SettlementService as `relos ledger ...` reads them. Amounts are
// integers in minor units of their currency (thousandths of the item's unit
// for replacement-in-kind accounts), never floats. An agreement that does
// not bind the caller's party is 404, as one that does not exist.
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
         for (const auto& b : list) {
           rows.push_back({{"number", b.number}, {"supplier", b.supplier}, {"debtor", b.debtor},
                           {"billed_at", b.billed_at.ToIso8601()}, {"due", b.due.ToIso8601()},
                           {"currency", b.currency}, {"total", b.total}, {"paid", b.paid}, {"rounding", b.rounding},
                           {"status", b.status}});
         }
         return Json{{"bills", rows}};
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
}

}  // namespace relos::server

// Read-only views. Balances come from the accounts' running totals (one row
// each); statements use the account/time index of transfers.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "ledger/records.h"
#include "relos/ledger/settlement.h"

namespace relos::ledger {
namespace {

using orders::Actor;

Result<std::unique_ptr<storage::Transaction>> ReadFor(storage::Store& store, const Actor& actor,
                                                      const std::string& agreement, registry::Agreement* ag) {
  ASSIGN_OR_RETURN(auto txn, store.BeginRead());
  auto found = txn->GetAgreement(agreement);
  if (!found.ok()) return found.status().WithContext("agreement");
  if (!found->Binds(actor.party)) {
    return PermissionDenied("agreement: party " + actor.party + " is not bound by " + agreement, "agreement");
  }
  *ag = *found;
  return txn;
}

}  // namespace

Result<std::vector<Account>> SettlementService::Accounts(const Actor& actor, const std::string& agreement) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  return txn->Ledger().ListAccounts(agreement);
}

Result<std::vector<NetPositionRow>> SettlementService::NetPosition(const Actor& actor, const std::string& agreement) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  ASSIGN_OR_RETURN(auto accounts, txn->Ledger().ListAccounts(agreement));
  // Keyed by party, then unit; both parties always appear.
  std::map<std::pair<std::string, std::string>, NetPositionRow> rows;
  auto row = [&](const std::string& party, const std::string& unit) -> NetPositionRow& {
    NetPositionRow& r = rows[{party, unit}];
    r.party = party;
    r.counterparty = ag.PartnerOf(party);
    r.unit = unit;
    return r;
  };
  for (const auto& a : accounts) {
    if (a.purpose == kReceivable || a.purpose == kBilledReceivable || a.purpose == kRikReceivable) {
      row(a.party, a.unit).owed_to += a.debits_posted - a.credits_posted;
    } else if (a.purpose == kPayable || a.purpose == kBilledPayable || a.purpose == kRikPayable) {
      NetPositionRow& r = row(a.party, a.unit);
      r.owes += a.credits_posted - a.debits_posted;
      r.pending_owes += a.credits_pending - a.debits_pending;
    }
  }
  const std::string settlement = ag.terms.settlement_currency.code();
  const Timestamp now = clock_.Now();
  std::vector<NetPositionRow> out;
  for (const std::string& party : {ag.party_a, ag.party_b}) {
    NetPositionRow total{party, ag.PartnerOf(party), settlement};
    total.total = true;
    for (auto& [key, r] : rows) {
      if (key.first != party) continue;
      r.net = r.owed_to - r.owes;
      out.push_back(r);
      auto currency = Currency::FromCode(r.unit);
      if (!currency.ok()) continue;  // items owed back in kind have no cash value until a deadline passes
      for (auto [from, to] : {std::pair{r.owed_to, &total.owed_to}, std::pair{r.owes, &total.owes},
                              std::pair{r.pending_owes, &total.pending_owes}}) {
        ASSIGN_OR_RETURN(Money m, Convert(*txn, Money(from, *currency), settlement, now));
        *to += m.minor_units();
      }
    }
    total.net = total.owed_to - total.owes;
    out.push_back(total);
  }
  return out;
}

Result<std::vector<OrderPosition>> SettlementService::OrderPositions(const Actor& actor,
                                                                     const std::string& agreement) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  storage::OrderFilter f;
  f.agreement = agreement;
  f.involving_party = actor.party;
  f.limit = INT64_MAX;
  ASSIGN_OR_RETURN(auto orders, txn->ListOrders(f));
  std::vector<OrderPosition> out;
  for (const auto& o : orders) {
    ASSIGN_OR_RETURN(OrderBalance b, BalanceOfOrder(*txn, o.number));
    out.push_back({o.number, std::string(orders::Name(o.state)), ReconciliationState(o, b), std::move(b)});
  }
  std::sort(out.begin(), out.end(), [](const OrderPosition& x, const OrderPosition& y) { return x.order < y.order; });
  return out;
}

Result<std::vector<TrialBalanceRow>> SettlementService::TrialBalanceOf(const Actor& actor,
                                                                       const std::string& agreement) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  return TrialBalance(*txn, agreement);
}

Result<std::vector<StatementLine>> SettlementService::Statement(const Actor& actor, const std::string& agreement,
                                                                const std::string& party, Timestamp from,
                                                                Timestamp to) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  if (!ag.Binds(party)) return InvalidArgument("party: " + party + " is not bound by " + agreement, "party");
  ASSIGN_OR_RETURN(auto accounts, txn->Ledger().ListAccounts(agreement));
  // Each account's lines come in posting order (seq); they are merged, not
  // sorted, since a line is a large object to move. Accounts are few.
  std::vector<std::vector<StatementLine>> by_account;
  size_t total = 0;
  for (const auto& a : accounts) {
    if (a.party != party) continue;
    // One query per account, not pages: each page would scan the account's
    // index range for the period again.
    TransferFilter f;
    f.account = a.code;
    f.from = from;
    f.to = to;
    f.limit = INT64_MAX;
    ASSIGN_OR_RETURN(auto transfers, txn->Ledger().ListTransfers(f));
    std::vector<StatementLine>& lines = by_account.emplace_back();
    lines.reserve(transfers.size());
    for (auto& t : transfers) {
      if (t.kind == TransferKind::kPending || t.kind == TransferKind::kVoidPending) continue;
      StatementLine l;
      l.account = a.code;
      (t.debit_account == a.code ? l.debit : l.credit) = t.amount;
      l.transfer = std::move(t);
      lines.push_back(std::move(l));
    }
    total += lines.size();
  }
  // A transfer between two of the party's own accounts (a ceiling grant)
  // has a line for each, in account-code order (the accounts' order).
  std::vector<StatementLine> out;
  out.reserve(total);
  std::vector<size_t> next(by_account.size(), 0);
  while (out.size() < total) {
    size_t best = by_account.size();
    for (size_t i = 0; i < by_account.size(); ++i) {
      if (next[i] == by_account[i].size()) continue;
      if (best == by_account.size() ||
          by_account[i][next[i]].transfer.seq < by_account[best][next[best]].transfer.seq) {
        best = i;
      }
    }
    out.push_back(std::move(by_account[best][next[best]++]));
  }
  return out;
}

Result<std::vector<AgeingRow>> SettlementService::Ageing(const Actor& actor, const std::string& agreement) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  const Timestamp now = clock_.Now();
  RecordFilter f{"bill"};
  f.agreement = agreement;
  ASSIGN_OR_RETURN(auto recs, txn->Ledger().ListRecords(f));
  std::map<std::string, AgeingRow> rows;
  for (const auto& rec : recs) {
    if (rec.status == "paid") continue;
    ASSIGN_OR_RETURN(Bill b, internal::DecodeBill(rec.body));
    AgeingRow& r = rows[b.supplier + "/" + b.debtor + "/" + b.currency];
    r.agreement = agreement;
    r.creditor = b.supplier;
    r.debtor = b.debtor;
    r.currency = b.currency;
    const int64_t days = (now.unix_seconds() - b.billed_at.unix_seconds()) / kSecondsPerDay;
    r.bucket[days <= 30 ? 0 : days <= 60 ? 1 : days <= 90 ? 2 : 3] += b.outstanding();
  }
  std::vector<AgeingRow> out;
  for (auto& [k, r] : rows) out.push_back(r);
  return out;
}

Result<std::vector<CeilingUse>> SettlementService::Ceiling(const Actor& actor, const std::string& agreement,
                                                           int year) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  std::vector<CeilingUse> out;
  for (const auto& [party, cap] : ag.terms.annual_ceiling) {
    CeilingUse u{agreement, party, year, cap.currency().code(), cap.minor_units()};
    auto control = txn->Ledger().GetAccount(
        AccountCode(agreement, party, kCeilingControl, std::to_string(year), cap.currency().code()));
    if (control.ok()) {
      u.pending = control->debits_pending;
      u.posted = control->debits_posted;
    } else if (control.status().code() != StatusCode::kNotFound) {
      return control.status();
    }
    out.push_back(u);
  }
  return out;
}

Result<std::vector<AnnualRow>> SettlementService::Annual(const Actor& actor, const std::string& agreement, int year) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  storage::OrderFilter f;
  f.agreement = agreement;
  f.limit = INT64_MAX;
  ASSIGN_OR_RETURN(auto orders, txn->ListOrders(f));
  std::map<std::tuple<std::string, std::string, std::string>, AnnualRow> rows;
  std::map<std::string, registry::CatalogItem> items;
  auto add = [&](const std::string& dim, const std::string& key, const std::string& cur, int64_t amount, bool first) {
    AnnualRow& r = rows[{dim, key, cur}];
    r.dimension = dim;
    r.key = key;
    r.currency = cur;
    r.amount += amount;
    r.orders += first ? 1 : 0;
  };
  for (const auto& o : orders) {
    TransferFilter tf;
    tf.order = o.number;
    tf.limit = 100000;
    ASSIGN_OR_RETURN(auto transfers, txn->Ledger().ListTransfers(tf));
    std::set<std::string> counted;
    for (const auto& t : transfers) {
      // The support given: claims posted at receipt (and cash claims for
      // overdue replacement in kind), in the year.
      if (t.kind == TransferKind::kPending || t.kind == TransferKind::kVoidPending) continue;
      if (PurposeOf(t.debit_account) != kReceivable || t.code == "correction") continue;
      if (t.at.Year() != year) continue;
      const orders::OrderLine* line = o.FindLine(static_cast<int>(t.line_no));
      std::string category = "?";
      if (line != nullptr) {
        auto it = items.find(line->item);
        if (it == items.end()) {
          ASSIGN_OR_RETURN(registry::CatalogItem item, txn->GetCatalogItem(line->item));
          it = items.emplace(line->item, item).first;
        }
        category = std::string(registry::Name(it->second.category));
      }
      char month[8];
      std::snprintf(month, sizeof month, "%04d-%02d", t.at.Year(), t.at.Month());
      const bool first = counted.insert(t.unit).second;
      add("category", category, t.unit, t.amount, false);
      add("facility", o.facility, t.unit, t.amount, first);
      add("purpose", std::string(registry::Name(o.purpose)), t.unit, t.amount, first);
      add("month", month, t.unit, t.amount, false);
    }
  }
  std::vector<AnnualRow> out;
  for (auto& [k, r] : rows) out.push_back(r);
  return out;
}

Result<std::vector<Alert>> SettlementService::Alerts(const Actor& actor, const std::string& agreement,
                                                     const AlertThresholds& th) {
  registry::Agreement ag;
  ASSIGN_OR_RETURN(auto txn, ReadFor(store_, actor, agreement, &ag));
  const Timestamp now = clock_.Now();
  auto days_since = [&](Timestamp t) { return (now.unix_seconds() - t.unix_seconds()) / kSecondsPerDay; };
  std::vector<Alert> out;
  storage::OrderFilter f;
  f.agreement = agreement;
  f.involving_party = actor.party;
  f.states = {orders::OrderState::kDelivered, orders::OrderState::kReceipted};
  f.limit = INT64_MAX;
  ASSIGN_OR_RETURN(auto orders, txn->ListOrders(f));
  for (const auto& o : orders) {
    const int64_t d = days_since(o.updated_at);
    if (o.state == orders::OrderState::kDelivered && d > th.receipt_days) {
      out.push_back({"delivered-not-receipted", o.number, agreement, d, "delivered " + std::to_string(d) + " days ago"});
    }
    if (o.state == orders::OrderState::kReceipted && o.settlement != registry::SettlementMode::kEqualValueExchange) {
      ASSIGN_OR_RETURN(internal::Unbilled u, internal::UnbilledOf(*txn, o.number));
      const int64_t since = days_since(u.last_claim);
      if (u.amount > 0 && since > th.billing_days) {
        out.push_back({"receipted-not-billed", o.number, agreement, since,
                       std::to_string(u.amount) + " " + u.currency + " (minor units) unbilled for " +
                           std::to_string(since) + " days"});
      }
    }
  }
  RecordFilter bills{"bill"};
  bills.agreement = agreement;
  ASSIGN_OR_RETURN(auto recs, txn->Ledger().ListRecords(bills));
  for (const auto& rec : recs) {
    if (rec.status == "paid") continue;
    ASSIGN_OR_RETURN(Bill b, internal::DecodeBill(rec.body));
    if (b.due < now && (b.supplier == actor.party || b.debtor == actor.party)) {
      out.push_back({"bill-overdue", b.number, agreement, days_since(b.due),
                     std::to_string(b.outstanding()) + " " + b.currency + " (minor units) overdue since " +
                         b.due.DateString()});
    }
  }
  RecordFilter rik{"rik"};
  rik.agreement = agreement;
  rik.status = "open";
  ASSIGN_OR_RETURN(auto riks, txn->Ledger().ListRecords(rik));
  for (const auto& rec : riks) {
    ASSIGN_OR_RETURN(RikObligation r, internal::DecodeRik(rec.body));
    if (r.due < now.PlusDays(30)) {
      out.push_back({"rik-due", r.key, agreement, days_since(r.due), "return due " + r.due.DateString()});
    }
  }
  return out;
}

}  // namespace relos::ledger

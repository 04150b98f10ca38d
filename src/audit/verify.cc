#include "relos/audit/verify.h"

#include <map>
#include <set>

#include "relos/capacity/capacity.h"
#include "relos/codec/codec.h"
#include "relos/ledger/ledger.h"

namespace relos::audit {
namespace {

struct Latest {
  int64_t seq;
  std::string payload;
};

// What the chain says about one user: the latest of user.added,
// user.disabled and user.password_changed (which carry the user's name,
// party, roles and disabled flag), the tokens issued in order (kind and
// expiry, from token.issued and session.opened), and how many tokens were
// revoked (one per session.closed, plus the counts that disabling a user and
// changing a password record).
struct UserHistory {
  int64_t seq = 0;
  codec::Json state;
  std::vector<std::pair<std::string, std::string>> issued;  // (kind, expires_at)
  int64_t revoked = 0;
};

codec::Json UserState(const std::string& name, const std::string& party, const std::set<orders::Role>& roles,
                      bool disabled) {
  codec::Json r = codec::Json::array();
  for (orders::Role role : roles) r.push_back(std::string(orders::Name(role)));
  return {{"name", name}, {"party", party}, {"roles", r}, {"disabled", disabled}};
}

// Folds one event about "user/NAME" into its history. Payloads that do not
// parse are left to the checks below, which then find the row and the chain
// disagreeing.
void Fold(UserHistory& h, const Event& e) {
  codec::Json p = codec::Json::parse(e.payload, nullptr, false);
  if (!p.is_object()) return;
  if (e.kind == "user.added" || e.kind == "user.disabled" || e.kind == "user.password_changed") {
    h.seq = e.seq;
    h.state = UserState(p.value("name", ""), p.value("party", ""), {}, p.value("disabled", false));
    h.state["roles"] = p.value("roles", codec::Json::array());
    h.revoked += p.value("tokens_revoked", int64_t{0}) + p.value("sessions_revoked", int64_t{0});
  } else if (e.kind == "token.issued" || e.kind == "session.opened") {
    h.issued.emplace_back(p.value("kind", ""), p.value("expires_at", ""));
  } else if (e.kind == "session.closed") {
    ++h.revoked;
  }
}

// Every user row and its tokens against the chain; "" when they agree.
Result<std::string> CheckUsers(storage::Transaction& txn, const std::map<std::string, UserHistory>& history,
                               VerifyReport& report) {
  ASSIGN_OR_RETURN(auto users, txn.Auth().ListUsers());
  std::set<std::string> stored;
  for (const auto& u : users) {
    ++report.objects_checked;
    const std::string subject = "user/" + u.name;
    stored.insert(subject);
    auto it = history.find(subject);
    if (it == history.end() || it->second.seq == 0) {
      return subject + " exists in the store but no event records it (inserted outside relos)";
    }
    const UserHistory& h = it->second;
    if (UserState(u.name, u.party, u.roles, u.disabled) != h.state) {
      report.broken_seq = h.seq;
      return subject + " differs from what event " + std::to_string(h.seq) +
             " recorded (party, roles or disabled changed outside relos)";
    }
    ASSIGN_OR_RETURN(auto tokens, txn.Auth().ListTokens(u.name));
    std::vector<std::pair<std::string, std::string>> issued;
    int64_t revoked = 0;
    for (const auto& t : tokens) {
      issued.emplace_back(std::string(auth::Name(t.kind)), t.expires_at.ToIso8601());
      revoked += t.revoked;
    }
    if (issued != h.issued) {
      return subject + " has " + std::to_string(issued.size()) + " tokens, the chain records " +
             std::to_string(h.issued.size()) + " issued (a token inserted, deleted or its expiry changed outside relos)";
    }
    if (revoked != h.revoked) {
      return subject + " has " + std::to_string(revoked) + " revoked tokens, the chain records " +
             std::to_string(h.revoked) + " revocations (changed outside relos)";
    }
  }
  for (const auto& [subject, h] : history) {
    if (h.seq != 0 && !stored.count(subject)) {
      report.broken_seq = h.seq;
      return subject + " recorded by event " + std::to_string(h.seq) + " is missing from the store (deleted outside relos)";
    }
  }
  return std::string();
}

}  // namespace

Result<VerifyReport> VerifyStore(storage::Transaction& txn) {
  ASSIGN_OR_RETURN(VerifyReport report, VerifyChain(txn));
  if (!report.ok()) return report;

  // The last word of the chain on each subject.
  std::map<std::string, Latest> latest;
  std::map<std::string, UserHistory> users;
  int64_t after = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<Event> batch, txn.ListEvents(after, 4096));
    for (auto& e : batch) {
      if (e.subject.rfind("user/", 0) == 0) Fold(users[e.subject], e);
      latest[e.subject] = {e.seq, std::move(e.payload)};
      after = e.seq;
    }
    if (batch.size() < 4096) break;
  }

  // What the store holds now, in the same canonical form.
  std::map<std::string, std::string> current;
  ASSIGN_OR_RETURN(auto parties, txn.ListParties());
  for (const auto& p : parties) current["party/" + p.code] = codec::Canonical(codec::ToJson(p));
  ASSIGN_OR_RETURN(auto agreements, txn.ListAgreements());
  for (const auto& a : agreements) current["agreement/" + a.code] = codec::Canonical(codec::ToJson(a));
  ASSIGN_OR_RETURN(auto items, txn.ListCatalogItems());
  for (const auto& i : items) current["item/" + i.code] = codec::Canonical(codec::ToJson(i));
  ASSIGN_OR_RETURN(auto facilities, txn.ListFacilities());
  for (const auto& f : facilities) current["facility/" + f.code] = codec::Canonical(codec::ToJson(f));
  ASSIGN_OR_RETURN(auto units, txn.ListUnits());
  for (const auto& u : units) current["unit/" + u.code] = codec::Canonical(codec::ToJson(u));
  ASSIGN_OR_RETURN(auto fuel, txn.ListFuelCompatibility());
  if (!fuel.empty()) {
    codec::Json table = codec::Json::array();
    for (const auto& row : fuel) table.push_back(codec::ToJson(row));
    current["fuel-compatibility"] = codec::Canonical(table);
  }
  storage::OrderFilter all;
  all.limit = 1000;
  for (;;) {
    ASSIGN_OR_RETURN(auto orders, txn.ListOrders(all));
    for (const auto& o : orders) current["order/" + o.number] = codec::Canonical(codec::ToJson(o));
    if (orders.size() < static_cast<size_t>(all.limit)) break;
    all.after_id = orders.back().id;
  }

  // Ledger: every transfer and record as its event recorded it; every
  // account's static fields as created, its running balances equal to the
  // sums of its transfers.
  std::map<std::string, ledger::Account> sums;
  std::map<std::string, ledger::Transfer> pendings;
  ledger::TransferFilter tf;
  tf.limit = 4096;
  for (;;) {
    ASSIGN_OR_RETURN(auto batch, txn.Ledger().ListTransfers(tf));
    for (const auto& t : batch) {
      current["transfer/" + t.id] = ledger::CanonicalJson(t);
      ledger::Account& dr = sums[t.debit_account];
      ledger::Account& cr = sums[t.credit_account];
      switch (t.kind) {
        case ledger::TransferKind::kSinglePhase:
          dr.debits_posted += t.amount;
          cr.credits_posted += t.amount;
          break;
        case ledger::TransferKind::kPending:
          dr.debits_pending += t.amount;
          cr.credits_pending += t.amount;
          pendings[t.id] = t;
          break;
        case ledger::TransferKind::kPostPending:
        case ledger::TransferKind::kVoidPending: {
          auto p = pendings.find(t.pending_id);
          const int64_t reserved = p == pendings.end() ? 0 : p->second.amount;
          dr.debits_pending -= reserved;
          cr.credits_pending -= reserved;
          if (t.kind == ledger::TransferKind::kPostPending) {
            dr.debits_posted += t.amount;
            cr.credits_posted += t.amount;
          }
          break;
        }
      }
    }
    if (batch.size() < 4096) break;
    tf.after_seq = batch.back().seq;
  }
  ASSIGN_OR_RETURN(auto accounts, txn.Ledger().ListAccounts(""));
  for (const auto& a : accounts) {
    current["account/" + a.code] = ledger::CanonicalJson(a, false);
    const ledger::Account& s = sums[a.code];
    if (s.debits_pending != a.debits_pending || s.debits_posted != a.debits_posted ||
        s.credits_pending != a.credits_pending || s.credits_posted != a.credits_posted) {
      ++report.objects_checked;
      report.problem = "account/" + a.code + " balances differ from the sum of its transfers (changed outside relos)";
      return report;
    }
  }
  for (const char* kind : {"bill", "rik", "eve", "rate", "payment", "delivery", "bill-request", "eve-request"}) {
    ASSIGN_OR_RETURN(auto records, txn.Ledger().ListRecords({kind}));
    for (const auto& r : records) current[r.kind + "/" + r.key] = r.body;
  }

  ASSIGN_OR_RETURN(auto exercises, txn.Exercises().ListExercises());
  for (const auto& e : exercises) current["exercise/" + e.code] = e.body;
  for (const auto& f : facilities) {
    ASSIGN_OR_RETURN(auto replenishments, txn.Capacity().ListReplenishments(f.code, ""));
    for (const auto& r : replenishments) current["replenishment/" + r.id] = capacity::CanonicalJson(r);
  }

  for (const auto& [subject, state] : current) {
    ++report.objects_checked;
    auto it = latest.find(subject);
    if (it == latest.end()) {
      report.problem = subject + " exists in the store but no event records it (inserted outside relos)";
      return report;
    }
    if (it->second.payload != state) {
      report.broken_seq = it->second.seq;
      report.problem = subject + " differs from what event " + std::to_string(it->second.seq) +
                       " recorded (changed outside relos)";
      return report;
    }
  }
  for (const auto& [subject, last] : latest) {
    if (current.count(subject)) continue;
    const bool is_object = subject.rfind("order/", 0) == 0 || subject.rfind("party/", 0) == 0 ||
                           subject.rfind("agreement/", 0) == 0 || subject.rfind("item/", 0) == 0 ||
                           subject.rfind("facility/", 0) == 0 || subject.rfind("unit/", 0) == 0 ||
                           subject == "fuel-compatibility" || subject.rfind("transfer/", 0) == 0 ||
                           subject.rfind("account/", 0) == 0 || subject.rfind("bill/", 0) == 0 ||
                           subject.rfind("exercise/", 0) == 0 || subject.rfind("replenishment/", 0) == 0;
    if (is_object) {
      report.broken_seq = last.seq;
      report.problem = subject + " recorded by event " + std::to_string(last.seq) +
                       " is missing from the store (deleted outside relos)";
      return report;
    }
  }
  ASSIGN_OR_RETURN(report.problem, CheckUsers(txn, users, report));
  return report;
}

}  // namespace relos::audit

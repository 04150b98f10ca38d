#include "relos/ledger/ledger.h"

#include "relos/core/decimal.h"

#include <set>

#include "relos/audit/chain.h"
#include "relos/codec/codec.h"

namespace relos::ledger {
namespace {

using codec::Json;

audit::EventDraft Draft(const orders::Actor& actor, Timestamp at, std::string kind, std::string subject,
                        std::string payload) {
  return {at, actor.party, std::string(orders::Name(actor.role)), actor.name, std::move(kind), std::move(subject),
          std::move(payload)};
}

// Adds `delta` to a balance, crashing on overflow: amounts come from int64
// prices times quantities checked at the edges, so overflow here is a bug.
void Add(int64_t& field, int64_t delta) {
  RELOS_CHECK(!__builtin_add_overflow(field, delta, &field), "ledger balance overflow");
}

bool SameContent(const Transfer& a, const Transfer& b) {
  Transfer x = a;
  Transfer y = b;
  x.seq = y.seq = 0;
  // A post/void may leave accounts and unit to be filled from the pending.
  if (y.debit_account.empty()) y.debit_account = x.debit_account;
  if (y.credit_account.empty()) y.credit_account = x.credit_account;
  if (y.unit.empty()) y.unit = x.unit;
  return x == y;
}

}  // namespace

std::string AccountCode(const std::string& agreement, const std::string& party, const std::string& purpose,
                        const std::string& counterparty, const std::string& unit) {
  return agreement + ":" + party + ":" + purpose + ":" + (counterparty.empty() ? "-" : counterparty) + ":" + unit;
}

std::string PurposeOf(const std::string& code) {
  size_t a = code.find(':');
  if (a == std::string::npos) return "";
  size_t b = code.find(':', a + 1);
  if (b == std::string::npos) return "";
  size_t c = code.find(':', b + 1);
  if (c == std::string::npos) return "";
  return code.substr(b + 1, c - b - 1);
}

bool IsClaimPurpose(const std::string& p) { return p == kReceivable || p == kBilledReceivable || p == kRikReceivable; }

int64_t ExtendedPrice(const Quantity& q, const Money& unit_price) {
  return DivideRoundHalfAway(static_cast<Int128>(q.milli()) * unit_price.minor_units(), 1000);
}

std::string CanonicalJson(const Account& a, bool with_balances) {
  Json j = {{"code", a.code},   {"agreement", a.agreement},       {"party", a.party},
            {"purpose", a.purpose}, {"counterparty", a.counterparty}, {"unit", a.unit},
            {"flags", a.flags}, {"created_at", a.created_at.ToIso8601()}};
  if (with_balances) {
    j["debits_pending"] = a.debits_pending;
    j["debits_posted"] = a.debits_posted;
    j["credits_pending"] = a.credits_pending;
    j["credits_posted"] = a.credits_posted;
  }
  return codec::Canonical(j);
}

std::string CanonicalJson(const Transfer& t) {
  Json j = {{"seq", t.seq},
            {"id", t.id},
            {"debit_account", t.debit_account},
            {"credit_account", t.credit_account},
            {"amount", t.amount},
            {"unit", t.unit},
            {"kind", std::string(Name(t.kind))},
            {"pending_id", t.pending_id},
            {"code", t.code},
            {"agreement", t.agreement},
            {"order", t.order},
            {"line_no", t.line_no},
            {"reference", t.reference},
            {"corrects", t.corrects},
            {"at", t.at.ToIso8601()}};
  return codec::Canonical(j);
}

Result<Account> EnsureAccount(storage::Transaction& txn, const Account& spec, const orders::Actor& actor) {
  if (spec.code != AccountCode(spec.agreement, spec.party, spec.purpose, spec.counterparty, spec.unit)) {
    return InvalidArgument("code: account code '" + spec.code + "' does not match its fields", "code");
  }
  auto found = txn.Ledger().GetAccount(spec.code);
  if (found.ok()) return found;
  if (found.status().code() != StatusCode::kNotFound) return found.status();
  Account a = spec;
  a.debits_pending = a.debits_posted = a.credits_pending = a.credits_posted = 0;
  RETURN_IF_ERROR(txn.Ledger().PutAccount(a));
  RETURN_IF_ERROR(
      audit::Append(txn, Draft(actor, a.created_at, "ledger.account", "account/" + a.code, CanonicalJson(a, false)))
          .status());
  return a;
}

Result<std::optional<Transfer>> ResolutionOf(storage::Transaction& txn, const std::string& pending_id) {
  TransferFilter f;
  f.pending_id = pending_id;
  f.limit = 1;
  ASSIGN_OR_RETURN(auto found, txn.Ledger().ListTransfers(f));
  if (found.empty()) return std::optional<Transfer>();
  return std::optional<Transfer>(found.front());
}

Result<Transfer> Apply(storage::Transaction& txn, Transfer t, const orders::Actor& actor) {
  LedgerTables& db = txn.Ledger();
  if (t.id.empty() || t.id.size() > 200) return InvalidArgument("id: a transfer needs an id of 1..200 characters", "id");
  ASSIGN_OR_RETURN(std::optional<Transfer> prior, db.FindTransfer(t.id));
  if (prior) {
    if (SameContent(*prior, t)) return *prior;
    return AlreadyExists("transfer id '" + t.id + "' was used for a different transfer", "ledger.transfer_id");
  }
  if (t.amount < 0) return InvalidArgument("amount: must not be negative, got " + std::to_string(t.amount), "amount");

  std::optional<Transfer> pending;
  if (t.kind == TransferKind::kPostPending || t.kind == TransferKind::kVoidPending) {
    if (t.pending_id.empty()) return InvalidArgument("pending_id: a post or void names its pending transfer", "pending_id");
    ASSIGN_OR_RETURN(pending, db.FindTransfer(t.pending_id));
    if (!pending) return NotFound("pending_id: no transfer '" + t.pending_id + "'", "pending_id");
    if (pending->kind != TransferKind::kPending) {
      return InvalidArgument("pending_id: transfer '" + t.pending_id + "' is not pending", "pending_id");
    }
    ASSIGN_OR_RETURN(std::optional<Transfer> done, ResolutionOf(txn, t.pending_id));
    if (done) {
      return FailedPrecondition("pending transfer '" + t.pending_id + "' was already resolved by '" + done->id + "'",
                                "ledger.pending_resolved");
    }
    if (t.debit_account.empty()) t.debit_account = pending->debit_account;
    if (t.credit_account.empty()) t.credit_account = pending->credit_account;
    if (t.unit.empty()) t.unit = pending->unit;
    if (t.debit_account != pending->debit_account || t.credit_account != pending->credit_account) {
      return InvalidArgument("accounts: a post or void uses the accounts of its pending transfer", "accounts");
    }
    if (t.kind == TransferKind::kVoidPending) t.amount = pending->amount;
    if (t.amount > pending->amount) {
      return InvalidArgument("amount: cannot post " + std::to_string(t.amount) + ", more than the " +
                                 std::to_string(pending->amount) + " pending",
                             "amount");
    }
  } else {
    if (!t.pending_id.empty()) return InvalidArgument("pending_id: only a post or void names a pending transfer", "pending_id");
    if (t.amount == 0) return InvalidArgument("amount: must be greater than zero", "amount");
  }
  if (t.debit_account == t.credit_account) {
    return InvalidArgument("accounts: debit and credit account are the same (" + t.debit_account + ")", "accounts");
  }
  auto dr = db.GetAccount(t.debit_account);
  if (!dr.ok()) return dr.status().WithContext("debit_account");
  auto cr = db.GetAccount(t.credit_account);
  if (!cr.ok()) return cr.status().WithContext("credit_account");
  if (dr->unit != cr->unit || (!t.unit.empty() && t.unit != dr->unit)) {
    return InvalidArgument("unit: " + t.debit_account + " is in " + dr->unit + ", " + t.credit_account + " in " +
                               cr->unit + ", the transfer in " + t.unit,
                           "unit");
  }
  t.unit = dr->unit;

  switch (t.kind) {
    case TransferKind::kSinglePhase:
      Add(dr->debits_posted, t.amount);
      Add(cr->credits_posted, t.amount);
      break;
    case TransferKind::kPending:
      Add(dr->debits_pending, t.amount);
      Add(cr->credits_pending, t.amount);
      break;
    case TransferKind::kPostPending:
      Add(dr->debits_pending, -pending->amount);
      Add(cr->credits_pending, -pending->amount);
      Add(dr->debits_posted, t.amount);
      Add(cr->credits_posted, t.amount);
      break;
    case TransferKind::kVoidPending:
      Add(dr->debits_pending, -pending->amount);
      Add(cr->credits_pending, -pending->amount);
      break;
  }
  auto over = [](const Account& a) {
    return ((a.flags & kDebitsMustNotExceedCredits) && a.debits_pending + a.debits_posted > a.credits_posted) ||
           ((a.flags & kCreditsMustNotExceedDebits) && a.credits_pending + a.credits_posted > a.debits_posted);
  };
  if (over(*dr) || over(*cr)) {
    const Account& a = over(*dr) ? *dr : *cr;
    return ResourceExhausted("transfer '" + t.id + "' of " + std::to_string(t.amount) + " " + t.unit +
                                 " would break the limit of account " + a.code,
                             "ledger.account_limit");
  }
  ASSIGN_OR_RETURN(t.seq, db.InsertTransfer(t));
  RETURN_IF_ERROR(db.PutAccount(*dr));
  RETURN_IF_ERROR(db.PutAccount(*cr));
  RETURN_IF_ERROR(audit::Append(txn, Draft(actor, t.at, "ledger.transfer", "transfer/" + t.id, CanonicalJson(t))).status());
  return t;
}

Result<Transfer> Correct(storage::Transaction& txn, const std::string& original_id, const std::string& new_id,
                         Timestamp at, const orders::Actor& actor) {
  ASSIGN_OR_RETURN(std::optional<Transfer> original, txn.Ledger().FindTransfer(original_id));
  if (!original) return NotFound("corrects: no transfer '" + original_id + "'", "corrects");
  if (original->kind == TransferKind::kPending || original->kind == TransferKind::kVoidPending) {
    return InvalidArgument("corrects: only posted amounts are corrected; void a pending transfer instead", "corrects");
  }
  Transfer t = *original;
  t.seq = 0;
  t.id = new_id;
  t.kind = TransferKind::kSinglePhase;
  t.pending_id.clear();
  std::swap(t.debit_account, t.credit_account);
  t.code = "correction";
  t.corrects = original_id;
  t.at = at;
  return Apply(txn, std::move(t), actor);
}

Result<std::vector<TrialBalanceRow>> TrialBalance(storage::Transaction& txn, const std::string& agreement) {
  ASSIGN_OR_RETURN(auto accounts, txn.Ledger().ListAccounts(agreement));
  std::map<std::string, TrialBalanceRow> by_unit;
  for (const auto& a : accounts) {
    TrialBalanceRow& r = by_unit[a.unit];
    r.unit = a.unit;
    Add(r.debits_pending, a.debits_pending);
    Add(r.debits_posted, a.debits_posted);
    Add(r.credits_pending, a.credits_pending);
    Add(r.credits_posted, a.credits_posted);
  }
  std::vector<TrialBalanceRow> out;
  for (auto& [unit, row] : by_unit) out.push_back(row);
  return out;
}

namespace {
// A balance in its unit for people: a currency in its minor-unit decimals,
// an item (replacement in kind) in thousandths.
std::string AmountIn(int64_t v, const std::string& unit) {
  auto currency = Currency::FromCode(unit);
  if (currency.ok()) return Money(v, *currency).ToString();
  return FormatFixedPointTrimmed(v, Quantity::kScale) + " " + unit;
}
}  // namespace

std::string OrderBalance::ToString() const {
  std::string s;
  for (const auto& [unit, v] : outstanding) s += (s.empty() ? "" : ", ") + AmountIn(v, unit) + " outstanding";
  for (const auto& [unit, v] : pending) s += (s.empty() ? "" : ", ") + AmountIn(v, unit) + " pending";
  return s.empty() ? "zero" : s;
}

Result<OrderBalance> BalanceOfOrder(storage::Transaction& txn, const std::string& order_number) {
  TransferFilter f;
  f.order = order_number;
  f.limit = 1000;
  OrderBalance b;
  std::map<std::string, Transfer> pendings;
  std::set<std::string> resolved;
  for (;;) {
    ASSIGN_OR_RETURN(auto batch, txn.Ledger().ListTransfers(f));
    for (const auto& t : batch) {
      if (t.kind == TransferKind::kPending) {
        pendings.emplace(t.id, t);
        continue;
      }
      if (t.kind == TransferKind::kPostPending || t.kind == TransferKind::kVoidPending) resolved.insert(t.pending_id);
      if (t.kind == TransferKind::kVoidPending) continue;
      const std::string dp = PurposeOf(t.debit_account);
      const std::string cp = PurposeOf(t.credit_account);
      if (IsClaimPurpose(dp)) {
        b.outstanding[t.unit] += t.amount;
        ++b.posted_total;
      }
      if (IsClaimPurpose(cp)) {
        b.outstanding[t.unit] -= t.amount;
        // Billing and a deadline's conversion move a claim to another
        // account; payments, offsets and returns in kind discharge it.
        if (t.code == "payment" || t.code == "eve.offset" || t.code == "rik.discharge") ++b.settled_transfers;
      }
      if (dp == kBilledReceivable) b.billed = true;
    }
    if (static_cast<int64_t>(batch.size()) < f.limit) break;
    f.after_seq = batch.back().seq;
  }
  for (const auto& [id, t] : pendings) {
    if (resolved.count(id)) continue;
    ++b.open_pending;
    b.pending[t.unit] += t.amount;
  }
  std::erase_if(b.outstanding, [](const auto& kv) { return kv.second == 0; });
  return b;
}

}  // namespace relos::ledger

// The order hooks: approval reserves (pending), receipt posts, cancellation
// voids, close checks the balance. Transfer ids are derived from the order
// number and line, so a retried transition finds its own transfers.
#include <map>

#include "ledger/records.h"
#include "relos/ledger/settlement.h"

namespace relos::ledger {
namespace {

using orders::Action;
using orders::Order;
using orders::OrderLine;
using orders::ReceiptVerdict;

std::string LineTransferId(const Order& o, const OrderLine& l) { return "order:" + o.number + ":L" + std::to_string(l.line_no); }
std::string CeilingTransferId(const Order& o) { return "ceiling:" + o.number; }

Result<std::pair<std::string, std::string>> OrderAccounts(storage::Transaction& txn, const Order& o,
                                                          const std::string& currency, Timestamp at,
                                                          const orders::Actor& actor) {
  return internal::ClaimAccounts(txn, o.agreement, o.supplier, o.requester, kReceivable, kPayable, currency, at, actor);
}

// The ceiling accounts of `party` for `year`, the limit granted up to
// `ceiling` (a raised ceiling is granted by a top-up transfer).
Result<Account> CeilingControl(storage::Transaction& txn, const registry::Agreement& ag, const std::string& party,
                               int year, const Money& ceiling, Timestamp at, const orders::Actor& actor,
                               std::string* limit_code) {
  const std::string cur = ceiling.currency().code();
  const std::string y = std::to_string(year);
  Account control{AccountCode(ag.code, party, kCeilingControl, y, cur), ag.code, party, kCeilingControl, y, cur,
                  kDebitsMustNotExceedCredits};
  control.created_at = at;
  Account limit{AccountCode(ag.code, party, kCeilingLimit, y, cur), ag.code, party, kCeilingLimit, y, cur};
  limit.created_at = at;
  ASSIGN_OR_RETURN(Account c, EnsureAccount(txn, control, actor));
  RETURN_IF_ERROR(EnsureAccount(txn, limit, actor).status());
  *limit_code = limit.code;
  if (c.credits_posted < ceiling.minor_units()) {
    RETURN_IF_ERROR(internal::Single(txn, "ceiling:" + ag.code + ":" + party + ":" + y + ":grant:" +
                                              std::to_string(ceiling.minor_units()),
                                     limit.code, control.code, ceiling.minor_units() - c.credits_posted,
                                     "ceiling.grant", ag.code, "", 0, "", at, actor)
                        .status());
    ASSIGN_OR_RETURN(c, txn.Ledger().GetAccount(control.code));
  }
  return c;
}

// The order's obligation in the settlement currency: each currency's sum
// converted once at `at`.
Result<int64_t> ConvertedTotal(storage::Transaction& txn, const std::map<std::string, int64_t>& by_currency,
                               const Currency& to, Timestamp at) {
  int64_t total = 0;
  for (const auto& [code, amount] : by_currency) {
    ASSIGN_OR_RETURN(Currency c, Currency::FromCode(code));
    ASSIGN_OR_RETURN(Money m, Convert(txn, Money(amount, c), to.code(), at));
    total += m.minor_units();
  }
  return total;
}

Status Approve(storage::Transaction& txn, const Order& o, Timestamp at, const orders::Actor& actor) {
  ASSIGN_OR_RETURN(registry::Agreement ag, txn.GetAgreement(o.agreement));
  std::map<std::string, int64_t> by_currency;
  std::vector<Transfer> pendings;
  for (const auto& l : o.lines) {
    if (!l.approved || l.approved->is_zero() || !l.unit_price) continue;
    int64_t amount = ExtendedPrice(*l.approved, *l.unit_price);
    if (amount <= 0) continue;
    const std::string cur = l.unit_price->currency().code();
    by_currency[cur] += amount;
    ASSIGN_OR_RETURN(auto accounts, OrderAccounts(txn, o, cur, at, actor));
    Transfer t;
    t.id = LineTransferId(o, l);
    t.debit_account = accounts.first;
    t.credit_account = accounts.second;
    t.amount = amount;
    t.kind = TransferKind::kPending;
    t.code = "order.approve";
    t.agreement = o.agreement;
    t.order = o.number;
    t.line_no = l.line_no;
    t.at = at;
    pendings.push_back(std::move(t));
  }

  auto ceiling = ag.terms.annual_ceiling.find(o.requester);
  if (ceiling != ag.terms.annual_ceiling.end() && !ag.terms.ceiling_exempt_purposes.count(o.purpose) &&
      !by_currency.empty()) {
    const Money& cap = ceiling->second;
    ASSIGN_OR_RETURN(int64_t obligation, ConvertedTotal(txn, by_currency, cap.currency(), at));
    std::string limit_code;
    ASSIGN_OR_RETURN(Account control, CeilingControl(txn, ag, o.requester, at.Year(), cap, at, actor, &limit_code));
    const int64_t used = control.debits_pending + control.debits_posted;
    if (used + obligation > cap.minor_units()) {
      auto m = [&](int64_t v) { return Money(v, cap.currency()).ToString(); };
      return ResourceExhausted("ceiling: " + o.requester + "'s annual ceiling under " + ag.code + " for " +
                                   std::to_string(at.Year()) + " is " + m(cap.minor_units()) + "; used " + m(used) +
                                   ", this order " + m(obligation) + ", excess " +
                                   m(used + obligation - cap.minor_units()),
                               "ledger.ceiling");
    }
    if (obligation > 0) {
      Transfer t;
      t.id = CeilingTransferId(o);
      t.debit_account = control.code;
      t.credit_account = limit_code;
      t.amount = obligation;
      t.kind = TransferKind::kPending;
      t.code = "ceiling.use";
      t.agreement = o.agreement;
      t.order = o.number;
      t.at = at;
      RETURN_IF_ERROR(Apply(txn, std::move(t), actor).status());
    }
  }
  for (auto& t : pendings) RETURN_IF_ERROR(Apply(txn, std::move(t), actor).status());
  return OkStatus();
}

// Replacement in kind: the posted value is settled in kind at once and an
// obligation to return the items is opened (accounts in item thousandths).
Status OpenRik(storage::Transaction& txn, const Order& o, const OrderLine& l, int64_t posted, Timestamp at,
               const orders::Actor& actor, const std::pair<std::string, std::string>& money) {
  const std::string key = o.number + ":L" + std::to_string(l.line_no);
  if (posted > 0) {
    RETURN_IF_ERROR(internal::Single(txn, "rik:" + key + ":in-kind", money.second, money.first, posted, "rik.in-kind",
                                     o.agreement, o.number, l.line_no, key, at, actor)
                        .status());
  }
  if (l.receipted->is_zero()) return OkStatus();
  ASSIGN_OR_RETURN(auto items, internal::ClaimAccounts(txn, o.agreement, o.supplier, o.requester, kRikReceivable,
                                                       kRikPayable, l.item, at, actor));
  RETURN_IF_ERROR(internal::Single(txn, "rik:" + key, items.first, items.second, l.receipted->milli(),
                                   "rik.obligation", o.agreement, o.number, l.line_no, key, at, actor)
                      .status());
  ASSIGN_OR_RETURN(registry::Agreement ag, txn.GetAgreement(o.agreement));
  RikObligation r;
  r.key = key;
  r.agreement = o.agreement;
  r.order = o.number;
  r.line_no = l.line_no;
  r.creditor = o.supplier;
  r.debtor = o.requester;
  r.item = l.item;
  r.facility = o.facility;
  r.quantity = *l.receipted;
  r.returned = Quantity(0, l.receipted->unit());
  r.due = at.PlusDays(ag.terms.rik_return_days);
  r.status = "open";
  return internal::PutRecord(txn, {"rik", key, o.agreement, o.number, r.status, at, internal::Encode(r)},
                             "ledger.rik.opened", actor);
}

// Posts every acknowledged line whose pending transfer is still open; then,
// with no line left in dispute, posts the ceiling use at the approval rate.
Status PostReceipted(storage::Transaction& txn, const Order& o, Timestamp at, const orders::Actor& actor) {
  std::map<std::string, int64_t> actual_by_currency;
  bool disputed = false;
  for (const auto& l : o.lines) {
    if (l.verdict == ReceiptVerdict::kDisputed) disputed = true;
    if (!l.unit_price) continue;
    const int64_t actual = l.receipted ? ExtendedPrice(*l.receipted, *l.unit_price) : 0;
    if (l.verdict == ReceiptVerdict::kAcknowledged) actual_by_currency[l.unit_price->currency().code()] += actual;
    if (l.verdict != ReceiptVerdict::kAcknowledged) continue;
    const std::string pid = LineTransferId(o, l);
    ASSIGN_OR_RETURN(std::optional<Transfer> pending, txn.Ledger().FindTransfer(pid));
    if (!pending) continue;  // approved at zero
    ASSIGN_OR_RETURN(std::optional<Transfer> done, ResolutionOf(txn, pid));
    if (done) continue;
    Transfer t;
    t.id = pid + ":post";
    t.kind = actual == 0 ? TransferKind::kVoidPending : TransferKind::kPostPending;
    t.pending_id = pid;
    t.amount = std::min(actual, pending->amount);
    t.code = "order.receipt";
    t.agreement = o.agreement;
    t.order = o.number;
    t.line_no = l.line_no;
    t.at = at;
    RETURN_IF_ERROR(Apply(txn, std::move(t), actor).status());
    const std::pair<std::string, std::string> money{pending->debit_account, pending->credit_account};
    if (actual > pending->amount) {  // delivered and receipted above the approval, with a discrepancy note
      RETURN_IF_ERROR(internal::Single(txn, pid + ":excess", money.first, money.second, actual - pending->amount,
                                       "order.receipt.excess", o.agreement, o.number, l.line_no, "", at, actor)
                          .status());
    }
    if (o.settlement == registry::SettlementMode::kReplacementInKind) {
      RETURN_IF_ERROR(OpenRik(txn, o, l, actual, at, actor, money));
    }
  }
  if (disputed) return OkStatus();
  const std::string cid = CeilingTransferId(o);
  ASSIGN_OR_RETURN(std::optional<Transfer> ceiling, txn.Ledger().FindTransfer(cid));
  if (!ceiling) return OkStatus();
  ASSIGN_OR_RETURN(std::optional<Transfer> done, ResolutionOf(txn, cid));
  if (done) return OkStatus();
  ASSIGN_OR_RETURN(Account control, txn.Ledger().GetAccount(ceiling->debit_account));
  ASSIGN_OR_RETURN(Currency cur, Currency::FromCode(control.unit));
  ASSIGN_OR_RETURN(int64_t used, ConvertedTotal(txn, actual_by_currency, cur, ceiling->at));
  Transfer t;
  t.id = cid + ":post";
  t.kind = used == 0 ? TransferKind::kVoidPending : TransferKind::kPostPending;
  t.pending_id = cid;
  t.amount = std::min(used, ceiling->amount);
  t.code = "ceiling.use";
  t.agreement = o.agreement;
  t.order = o.number;
  t.at = at;
  return Apply(txn, std::move(t), actor).status();
}

Status VoidAll(storage::Transaction& txn, const Order& o, Timestamp at, const orders::Actor& actor) {
  TransferFilter f;
  f.order = o.number;
  f.limit = 100000;
  ASSIGN_OR_RETURN(auto transfers, txn.Ledger().ListTransfers(f));
  for (const auto& p : transfers) {
    if (p.kind != TransferKind::kPending) continue;
    ASSIGN_OR_RETURN(std::optional<Transfer> done, ResolutionOf(txn, p.id));
    if (done) continue;
    Transfer t;
    t.id = p.id + ":void";
    t.kind = TransferKind::kVoidPending;
    t.pending_id = p.id;
    t.code = "order.cancel";
    t.agreement = o.agreement;
    t.order = o.number;
    t.line_no = p.line_no;
    t.at = at;
    RETURN_IF_ERROR(Apply(txn, std::move(t), actor).status());
  }
  return OkStatus();
}

}  // namespace

Status LedgerObserver::OnTransition(storage::Transaction& txn, Action action, const Order&, const Order& after,
                                    const orders::Actor& actor) {
  const Timestamp at = after.updated_at;
  switch (action) {
    case Action::kApprove:
      return Approve(txn, after, at, actor);
    case Action::kReceipt:
    case Action::kResolve:
      return PostReceipted(txn, after, at, actor);
    case Action::kCancel:
      return VoidAll(txn, after, at, actor);
    case Action::kClose: {
      ASSIGN_OR_RETURN(OrderBalance b, BalanceOfOrder(txn, after.number));
      if (!b.zero()) {
        return FailedPrecondition("order " + after.number + " cannot close with an open balance: " + b.ToString() +
                                      "; bill and settle it first",
                                  "ledger.open_balance");
      }
      return OkStatus();
    }
    default:
      return OkStatus();
  }
}

}  // namespace relos::ledger

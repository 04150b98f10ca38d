#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "ledger/records.h"
#include "relos/ledger/settlement.h"

namespace relos::ledger {
namespace {

using orders::Actor;
using orders::Role;

constexpr int64_t kRateScale = 1000000000;  // rates carry 9 decimal places

Status RequireRole(const Actor& actor, std::initializer_list<Role> roles, const char* what) {
  for (Role r : roles) {
    if (actor.role == r) return OkStatus();
  }
  return PermissionDenied(std::string(what) + ": not for a " + std::string(orders::Name(actor.role)), "ledger.role");
}

Result<registry::Agreement> BoundAgreement(storage::Transaction& txn, const Actor& actor, const std::string& code) {
  auto ag = txn.GetAgreement(code);
  if (!ag.ok()) return ag.status().WithContext("agreement");
  if (!ag->Binds(actor.party)) {
    return PermissionDenied("agreement: party " + actor.party + " is not bound by " + code, "agreement");
  }
  return ag;
}

std::string RateKey(const Rate& r) { return r.from + "/" + r.to + "/" + r.valid_from.DateString(); }

Result<Rate> DecodeRate(const Record& rec) {
  Rate r;
  r.from = rec.key.substr(0, 3);
  r.to = rec.key.substr(4, 3);
  r.valid_from = rec.at;
  ASSIGN_OR_RETURN(r.rate_e9, ParseFixedPoint(rec.body, 9));
  return r;
}

// The latest rate for from->to valid at `at`, if any.
Result<std::optional<Rate>> FindRate(storage::Transaction& txn, const std::string& from, const std::string& to,
                                     Timestamp at) {
  RecordFilter f{"rate"};
  f.ref = from + "/" + to;
  ASSIGN_OR_RETURN(auto recs, txn.Ledger().ListRecords(f));
  std::optional<Rate> best;
  for (const auto& rec : recs) {
    ASSIGN_OR_RETURN(Rate r, DecodeRate(rec));
    if (at < r.valid_from) continue;
    if (!best || best->valid_from < r.valid_from) best = r;
  }
  return best;
}

Result<Bill> LoadBill(storage::Transaction& txn, const std::string& number) {
  ASSIGN_OR_RETURN(std::optional<Record> rec, txn.Ledger().FindRecord("bill", number));
  if (!rec) return NotFound("bill: no bill '" + number + "'", "bill");
  return internal::DecodeBill(rec->body);
}

Status SaveBill(storage::Transaction& txn, const Bill& b, const std::string& event, const Actor& actor, Timestamp at) {
  return internal::PutRecord(txn, {"bill", b.number, b.agreement, b.debtor, b.status, at, internal::Encode(b)}, event,
                             actor);
}

Status SaveRik(storage::Transaction& txn, const RikObligation& r, const std::string& event, const Actor& actor,
               Timestamp at) {
  return internal::PutRecord(txn, {"rik", r.key, r.agreement, r.order, r.status, at, internal::Encode(r)}, event,
                             actor);
}

Status SaveOffset(storage::Transaction& txn, const OffsetProposal& p, const std::string& event, const Actor& actor,
                  Timestamp at) {
  return internal::PutRecord(txn, {"eve", p.id, p.agreement, "", p.status, at, internal::Encode(p)}, event, actor);
}

std::string Serial(const std::string& prefix, int year, size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "-%04d-%04zu", year, n);
  return prefix + buf;
}

// A creating call made once per caller-chosen id (payments, return
// deliveries, bill and offset requests): a record (kind, id) written in the
// transaction of what the call made, naming it (ref) and holding the request
// it answered (body). The id is global to its kind; the request names the
// caller's party where another party could ask for the same thing.
struct CallId {
  const char* kind;   // record kind: "payment", "delivery", "bill-request", "eve-request"
  const char* field;  // how callers name the id: "payment_id", "delivery_id", "idempotency_key"
  std::string id;     // empty: the call is not protected (where the id is optional)
  std::string request;

  Status Check(bool required) const {
    if ((required && id.empty()) || id.size() > 128) {
      return InvalidArgument(std::string(field) + ": 1..128 characters" + (required ? "" : " when given") +
                                 ", the idempotency key of the " + kind,
                             field);
    }
    return OkStatus();
  }
  // The key of what an earlier call under this id made when it asked the
  // same; nullopt when there was none. AlreadyExists naming the id when it
  // asked something else.
  Result<std::optional<std::string>> Earlier(storage::Transaction& txn) const {
    if (id.empty()) return std::optional<std::string>();
    ASSIGN_OR_RETURN(std::optional<Record> prior, txn.Ledger().FindRecord(kind, id));
    if (!prior) return std::optional<std::string>();
    if (prior->body != request) {
      return AlreadyExists(std::string(field) + ": '" + id + "' was already used for a different request; a new " +
                               kind + " needs a new one",
                           field);
    }
    return std::optional<std::string>(prior->ref);
  }
  // Records that this call made `made`, in the same transaction.
  Status Remember(storage::Transaction& txn, const std::string& agreement, const std::string& made,
                  const std::string& status, const std::string& event, const Actor& actor, Timestamp at) const {
    if (id.empty()) return OkStatus();
    return internal::PutRecord(txn, {kind, id, agreement, made, status, at, request}, event, actor);
  }
};

// The records of `kind` under `agreement`, decoded, by key; the actor's
// party must be bound by the agreement.
template <typename T>
Result<std::vector<T>> RecordsUnder(storage::Store& store, const Actor& actor, const std::string& agreement,
                                    const char* kind, Result<T> (*decode)(const std::string&)) {
  ASSIGN_OR_RETURN(auto txn, store.BeginRead());
  RETURN_IF_ERROR(BoundAgreement(*txn, actor, agreement).status());
  RecordFilter f{kind};
  f.agreement = agreement;
  ASSIGN_OR_RETURN(auto recs, txn->Ledger().ListRecords(f));
  std::vector<T> out;
  for (const auto& rec : recs) {
    ASSIGN_OR_RETURN(T t, decode(rec.body));
    out.push_back(std::move(t));
  }
  return out;
}

Result<OffsetProposal> LoadOffset(storage::Transaction& txn, const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<Record> rec, txn.Ledger().FindRecord("eve", id));
  if (!rec) return NotFound("eve: no offset proposal '" + id + "'", "eve");
  return internal::DecodeOffset(rec->body);
}

}  // namespace

std::string Rate::ToString() const {
  return from + "/" + to + " " + FormatFixedPointTrimmed(rate_e9, 9) + " from " + valid_from.DateString();
}

Result<Money> Convert(storage::Transaction& txn, const Money& m, const std::string& to, Timestamp at) {
  if (m.currency().code() == to) return m;
  ASSIGN_OR_RETURN(Currency target, Currency::FromCode(to));
  const int ef = m.currency().exponent();
  const int et = target.exponent();
  Int128 scale_to = 1;
  Int128 scale_from = 1;
  for (int i = 0; i < et; ++i) scale_to *= 10;
  for (int i = 0; i < ef; ++i) scale_from *= 10;
  ASSIGN_OR_RETURN(std::optional<Rate> direct, FindRate(txn, m.currency().code(), to, at));
  if (direct) {
    return Money(DivideRoundHalfAway(static_cast<Int128>(m.minor_units()) * direct->rate_e9 * scale_to,
                                     static_cast<Int128>(kRateScale) * scale_from),
                 target);
  }
  ASSIGN_OR_RETURN(std::optional<Rate> inverse, FindRate(txn, to, m.currency().code(), at));
  if (inverse) {
    return Money(DivideRoundHalfAway(static_cast<Int128>(m.minor_units()) * kRateScale * scale_to,
                                     static_cast<Int128>(inverse->rate_e9) * scale_from),
                 target);
  }
  return NotFound("rate: no exchange rate " + m.currency().code() + "/" + to + " valid on " + at.DateString() +
                      "; import one with `relos rates import`",
                  "ledger.no_rate");
}

std::string ReconciliationState(const orders::Order& o, const OrderBalance& b) {
  using orders::OrderState;
  for (const auto& l : o.lines) {
    if (l.verdict == orders::ReceiptVerdict::kDisputed) return "disputed";
  }
  if (o.state == OrderState::kDraft || o.state == OrderState::kSubmitted || o.state == OrderState::kRejected ||
      o.state == OrderState::kCancelled) {
    return "open";
  }
  if (b.posted_total == 0) return b.open_pending > 0 ? "pending" : "open";
  if (b.zero()) return "settled";
  if (b.settled_transfers > 0) return "partly-settled";
  if (b.billed) return "billed";
  return "posted";
}

Result<int64_t> SettlementService::ImportRates(const Actor& actor, const std::string& csv) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kFinance, Role::kAdmin}, "rates import"));
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  std::istringstream in(csv);
  std::string line;
  int line_no = 0;
  int64_t n = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#' || line.rfind("from,", 0) == 0) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    const std::string where = "line " + std::to_string(line_no);
    if (f.size() != 4) return InvalidArgument(where + ": expected from,to,valid_from,rate", "rates");
    auto from = Currency::FromCode(f[0]);
    if (!from.ok()) return from.status().WithContext(where + " from");
    auto to = Currency::FromCode(f[1]);
    if (!to.ok()) return to.status().WithContext(where + " to");
    if (f[0] == f[1]) return InvalidArgument(where + " to: same currency as from", "to");
    auto valid = Timestamp::Parse(f[2]);
    if (!valid.ok()) return valid.status().WithContext(where + " valid_from");
    auto rate = ParseFixedPoint(f[3], 9);
    if (!rate.ok()) return rate.status().WithContext(where + " rate");
    if (*rate <= 0) return InvalidArgument(where + " rate: must be greater than zero", "rate");
    Rate r{f[0], f[1], valid->StartOfDay(), *rate};
    RETURN_IF_ERROR(internal::PutRecord(*txn,
                                        {"rate", RateKey(r), "", r.from + "/" + r.to, "in-force", r.valid_from,
                                         FormatFixedPointTrimmed(r.rate_e9, 9)},
                                        "ledger.rate", actor));
    ++n;
  }
  RETURN_IF_ERROR(txn->Commit());
  return n;
}

Result<std::vector<Rate>> SettlementService::ListRates() {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  ASSIGN_OR_RETURN(auto recs, txn->Ledger().ListRecords(RecordFilter{"rate"}));
  std::vector<Rate> out;
  for (const auto& rec : recs) {
    ASSIGN_OR_RETURN(Rate r, DecodeRate(rec));
    out.push_back(r);
  }
  return out;
}

Result<Bill> SettlementService::CreateBill(const Actor& actor, const std::string& agreement, Timestamp from,
                                           std::optional<Timestamp> until, const std::string& request_id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kFinance}, "bill create"));
  const CallId call{"bill-request", "idempotency_key", request_id,
                    agreement + "|" + actor.party + "|" + from.ToIso8601() + "|" + (until ? until->ToIso8601() : "now")};
  RETURN_IF_ERROR(call.Check(false));
  const Timestamp now = clock_.Now();
  const Timestamp to = until ? *until : now.PlusSeconds(1);
  if (!(from < to)) return InvalidArgument("to: the period must end after it starts", "to");
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(registry::Agreement ag, BoundAgreement(*txn, actor, agreement));
  ASSIGN_OR_RETURN(std::optional<std::string> made, call.Earlier(*txn));
  if (made) return LoadBill(*txn, *made);
  Bill b;
  b.agreement = agreement;
  b.supplier = actor.party;
  b.debtor = ag.PartnerOf(actor.party);
  b.period_from = from;
  b.period_to = to;
  b.billed_at = now;
  b.due = now.PlusDays(ag.terms.payment_term_days);
  b.currency = ag.terms.settlement_currency.code();
  b.status = "open";
  storage::OrderFilter f;
  f.agreement = agreement;
  f.supplier = actor.party;
  f.limit = INT64_MAX;
  ASSIGN_OR_RETURN(auto orders, txn->ListOrders(f));
  std::map<std::string, int64_t> sums;  // per supplier currency
  for (const auto& o : orders) {
    if (o.settlement == registry::SettlementMode::kEqualValueExchange) continue;
    ASSIGN_OR_RETURN(internal::Unbilled u, internal::UnbilledOf(*txn, o.number));
    if (u.amount <= 0 || u.last_claim < from || !(u.last_claim < to)) continue;
    ASSIGN_OR_RETURN(Currency cur, Currency::FromCode(u.currency));
    Money amount(u.amount, cur);
    ASSIGN_OR_RETURN(Money converted, Convert(*txn, amount, b.currency, now));
    b.lines.push_back({o.number, amount, converted, 0});
    b.total += converted.minor_units();
    sums[u.currency] += u.amount;
  }
  if (b.lines.empty()) {
    return FailedPrecondition("nothing to bill: " + actor.party + " has no unbilled claims under " + agreement +
                                  " posted between " + from.DateString() + " and " + to.DateString(),
                              "ledger.nothing_to_bill");
  }
  int64_t converted_sums = 0;
  for (const auto& [code, sum] : sums) {
    ASSIGN_OR_RETURN(Currency cur, Currency::FromCode(code));
    ASSIGN_OR_RETURN(Money m, Convert(*txn, Money(sum, cur), b.currency, now));
    converted_sums += m.minor_units();
  }
  b.rounding = b.total - converted_sums;
  RecordFilter existing{"bill"};
  existing.agreement = agreement;
  ASSIGN_OR_RETURN(auto bills, txn->Ledger().ListRecords(existing));
  b.number = Serial(agreement + "-B", now.Year(), bills.size() + 1);

  for (const auto& l : b.lines) {
    ASSIGN_OR_RETURN(auto money, internal::ClaimAccounts(*txn, agreement, b.supplier, b.debtor, kReceivable, kPayable,
                                                         l.amount.currency().code(), now, actor));
    RETURN_IF_ERROR(internal::Single(*txn, "bill:" + b.number + ":" + l.order + ":clear", money.second, money.first,
                                     l.amount.minor_units(), "bill.clear", agreement, l.order, 0, b.number, now, actor)
                        .status());
    ASSIGN_OR_RETURN(auto billed, internal::ClaimAccounts(*txn, agreement, b.supplier, b.debtor, kBilledReceivable,
                                                          kBilledPayable, b.currency, now, actor));
    if (l.converted.minor_units() > 0) {
      RETURN_IF_ERROR(internal::Single(*txn, "bill:" + b.number + ":" + l.order, billed.first, billed.second,
                                       l.converted.minor_units(), "bill", agreement, l.order, 0, b.number, now, actor)
                          .status());
    }
  }
  if (b.rounding != 0) {
    // The bill charges the sum of the per-order conversions; what that differs
    // from converting each currency's sum once is posted, not lost.
    ASSIGN_OR_RETURN(auto r, internal::ClaimAccounts(*txn, agreement, b.supplier, b.debtor, kRounding, kRoundingContra,
                                                     b.currency, now, actor));
    const bool up = b.rounding > 0;
    RETURN_IF_ERROR(internal::Single(*txn, "bill:" + b.number + ":rounding", up ? r.first : r.second,
                                     up ? r.second : r.first, up ? b.rounding : -b.rounding, "bill.rounding", agreement,
                                     "", 0, b.number, now, actor)
                        .status());
  }
  RETURN_IF_ERROR(SaveBill(*txn, b, "ledger.bill.created", actor, now));
  RETURN_IF_ERROR(call.Remember(*txn, agreement, b.number, "billed", "ledger.bill.request", actor, now));
  RETURN_IF_ERROR(txn->Commit());
  return b;
}

Result<Bill> SettlementService::GetBill(const Actor& actor, const std::string& number) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  ASSIGN_OR_RETURN(Bill b, LoadBill(*txn, number));
  if (b.supplier != actor.party && b.debtor != actor.party) return NotFound("bill: no bill '" + number + "'", "bill");
  return b;
}

Result<std::vector<Bill>> SettlementService::ListBills(const Actor& actor, const std::string& agreement) {
  return RecordsUnder<Bill>(store_, actor, agreement, "bill", internal::DecodeBill);
}

Result<Bill> SettlementService::Pay(const Actor& actor, const std::string& number, const Money& amount,
                                    const std::string& payment_id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kFinance}, "pay"));
  const CallId call{"payment", "payment_id", payment_id, number + "|" + amount.ToString()};
  RETURN_IF_ERROR(call.Check(true));
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(Bill b, LoadBill(*txn, number));
  if (b.debtor != actor.party) {
    if (b.supplier != actor.party) return NotFound("bill: no bill '" + number + "'", "bill");
    return PermissionDenied("pay: bill " + number + " is paid by " + b.debtor + ", not " + actor.party, "ledger.role");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> made, call.Earlier(*txn));
  if (made) return b;
  if (amount.currency().code() != b.currency) {
    return InvalidArgument("amount: bill " + number + " is payable in " + b.currency + ", not " +
                               amount.currency().code(),
                           "amount");
  }
  if (amount.minor_units() <= 0) return InvalidArgument("amount: must be greater than zero", "amount");
  if (amount.minor_units() > b.outstanding()) {
    ASSIGN_OR_RETURN(Currency cur, Currency::FromCode(b.currency));
    return InvalidArgument("amount: " + amount.ToString() + " exceeds the " + Money(b.outstanding(), cur).ToString() +
                               " outstanding on bill " + number,
                           "amount");
  }
  const Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(auto billed, internal::ClaimAccounts(*txn, b.agreement, b.supplier, b.debtor, kBilledReceivable,
                                                        kBilledPayable, b.currency, now, actor));
  int64_t left = amount.minor_units();
  for (auto& l : b.lines) {
    const int64_t take = std::min(left, l.converted.minor_units() - l.paid);
    if (take <= 0) continue;
    RETURN_IF_ERROR(internal::Single(*txn, "pay:" + payment_id + ":" + l.order, billed.second, billed.first, take,
                                     "payment", b.agreement, l.order, 0, b.number, now, actor)
                        .status());
    l.paid += take;
    left -= take;
  }
  b.paid += amount.minor_units();
  b.status = b.outstanding() == 0 ? "paid" : "partly-paid";
  RETURN_IF_ERROR(call.Remember(*txn, b.agreement, number, "received", "ledger.payment", actor, now));
  RETURN_IF_ERROR(SaveBill(*txn, b, "ledger.bill.paid", actor, now));
  RETURN_IF_ERROR(txn->Commit());
  return b;
}

Result<std::vector<RikObligation>> SettlementService::ListRik(const Actor& actor, const std::string& agreement) {
  return RecordsUnder<RikObligation>(store_, actor, agreement, "rik", internal::DecodeRik);
}

Result<RikObligation> SettlementService::DeliverRik(const Actor& actor, const std::string& key,
                                                    const Quantity& quantity, const std::string& delivery_id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kFinance, Role::kLogisticsOfficer}, "rik deliver"));
  const CallId call{"delivery", "delivery_id", delivery_id, key + "|" + quantity.ToString()};
  RETURN_IF_ERROR(call.Check(false));
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(std::optional<Record> rec, txn->Ledger().FindRecord("rik", key));
  if (!rec) return NotFound("rik: no obligation '" + key + "'", "rik");
  ASSIGN_OR_RETURN(RikObligation r, internal::DecodeRik(rec->body));
  if (r.debtor != actor.party) {
    if (r.creditor != actor.party) return NotFound("rik: no obligation '" + key + "'", "rik");
    return PermissionDenied("rik deliver: the return is recorded by the debtor " + r.debtor, "ledger.role");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> made, call.Earlier(*txn));
  if (made) return r;  // the obligation as it stands, this delivery counted once
  if (r.status != "open") {
    return FailedPrecondition("rik: obligation " + key + " is " + r.status, "ledger.rik_not_open");
  }
  auto q = quantity.ConvertTo(r.quantity.unit());
  if (!q.ok()) return q.status().WithContext("quantity");
  const int64_t remaining = r.quantity.milli() - r.returned.milli();
  if (q->milli() <= 0 || q->milli() > remaining) {
    return InvalidArgument("quantity: " + q->ToString() + " is not between zero and the " +
                               Quantity(remaining, r.quantity.unit()).ToString() + " still owed",
                           "quantity");
  }
  const Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(auto items, internal::ClaimAccounts(*txn, r.agreement, r.creditor, r.debtor, kRikReceivable,
                                                       kRikPayable, r.item, now, actor));
  TransferFilter prior;
  prior.reference = key;
  prior.limit = 100000;
  ASSIGN_OR_RETURN(auto done, txn->Ledger().ListTransfers(prior));
  RETURN_IF_ERROR(internal::Single(*txn, "rik:" + key + ":return:" + std::to_string(done.size()), items.second,
                                   items.first, q->milli(), "rik.discharge", r.agreement, r.order, r.line_no, key, now,
                                   actor)
                      .status());
  r.returned = Quantity(r.returned.milli() + q->milli(), r.quantity.unit());
  if (r.returned.milli() == r.quantity.milli()) r.status = "discharged";
  RETURN_IF_ERROR(SaveRik(*txn, r, "ledger.rik.delivered", actor, now));
  RETURN_IF_ERROR(call.Remember(*txn, r.agreement, key, "recorded", "ledger.rik.delivery", actor, now));
  RETURN_IF_ERROR(txn->Commit());
  return r;
}

Result<std::vector<RikObligation>> SettlementService::Tick(const Actor& actor) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  const Timestamp now = clock_.Now();
  RecordFilter f{"rik"};
  f.status = "open";
  ASSIGN_OR_RETURN(auto recs, txn->Ledger().ListRecords(f));
  std::vector<RikObligation> converted;
  for (const auto& rec : recs) {
    ASSIGN_OR_RETURN(RikObligation r, internal::DecodeRik(rec.body));
    if (!(r.due < now)) continue;
    const int64_t remaining = r.quantity.milli() - r.returned.milli();
    ASSIGN_OR_RETURN(registry::Facility fac, txn->GetFacility(r.facility));
    auto price = fac.PriceAt(r.item, r.due);
    if (!price.ok()) return price.status().WithContext("rik " + r.key + " price at the deadline");
    const int64_t claim = ExtendedPrice(Quantity(remaining, r.quantity.unit()), *price);
    ASSIGN_OR_RETURN(auto items, internal::ClaimAccounts(*txn, r.agreement, r.creditor, r.debtor, kRikReceivable,
                                                         kRikPayable, r.item, now, actor));
    RETURN_IF_ERROR(internal::Single(*txn, "rik:" + r.key + ":converted", items.second, items.first, remaining,
                                     "rik.converted", r.agreement, r.order, r.line_no, r.key, now, actor)
                        .status());
    const std::string cur = price->currency().code();
    ASSIGN_OR_RETURN(auto money, internal::ClaimAccounts(*txn, r.agreement, r.creditor, r.debtor, kReceivable,
                                                         kPayable, cur, now, actor));
    if (claim > 0) {
      RETURN_IF_ERROR(internal::Single(*txn, "rik:" + r.key + ":claim", money.first, money.second, claim, "rik.claim",
                                       r.agreement, r.order, r.line_no, r.key, now, actor)
                          .status());
    }
    r.status = "converted";
    r.claim = claim;
    r.claim_currency = cur;
    RETURN_IF_ERROR(SaveRik(*txn, r, "ledger.rik.converted", actor, now));
    converted.push_back(std::move(r));
  }
  RETURN_IF_ERROR(txn->Commit());
  return converted;
}

Result<OffsetProposal> SettlementService::ProposeOffset(const Actor& actor, const std::string& agreement,
                                                       const std::string& request_id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kFinance}, "eve propose"));
  const CallId call{"eve-request", "idempotency_key", request_id, agreement + "|" + actor.party};
  RETURN_IF_ERROR(call.Check(false));
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(registry::Agreement ag, BoundAgreement(*txn, actor, agreement));
  ASSIGN_OR_RETURN(std::optional<std::string> made, call.Earlier(*txn));
  if (made) return LoadOffset(*txn, *made);
  const Timestamp now = clock_.Now();
  OffsetProposal p;
  p.agreement = agreement;
  p.proposed_by = actor.party;
  p.proposed_at = now;
  p.currency = ag.terms.settlement_currency.code();
  p.status = "proposed";
  storage::OrderFilter f;
  f.agreement = agreement;
  f.limit = INT64_MAX;
  ASSIGN_OR_RETURN(auto orders, txn->ListOrders(f));
  // Each side's open equal-value claims, valued in the settlement currency.
  std::map<std::string, std::vector<OffsetLeg>> by_debtor;
  std::map<std::string, int64_t> total;
  for (const auto& o : orders) {
    if (o.settlement != registry::SettlementMode::kEqualValueExchange) continue;
    ASSIGN_OR_RETURN(internal::Unbilled u, internal::UnbilledOf(*txn, o.number));
    if (u.amount <= 0) continue;
    ASSIGN_OR_RETURN(Currency cur, Currency::FromCode(u.currency));
    ASSIGN_OR_RETURN(Money v, Convert(*txn, Money(u.amount, cur), p.currency, now));
    if (v.minor_units() <= 0) continue;
    by_debtor[o.requester].push_back({o.number, o.requester, Money(u.amount, cur), v.minor_units()});
    total[o.requester] += v.minor_units();
  }
  p.offset = std::min(total[ag.party_a], total[ag.party_b]);
  if (p.offset == 0) {
    return FailedPrecondition("nothing to offset: under " + agreement +
                                  " both parties need open equal-value claims on each other",
                              "ledger.nothing_to_offset");
  }
  for (auto& [debtor, legs] : by_debtor) {
    int64_t left = p.offset;
    for (auto& leg : legs) {
      if (left == 0) break;
      if (leg.value > left) {  // the last leg is offset in part, pro rata in its own currency
        leg.amount = Money(DivideRoundHalfAway(static_cast<Int128>(leg.amount.minor_units()) * left, leg.value),
                           leg.amount.currency());
        leg.value = left;
      }
      left -= leg.value;
      p.legs.push_back(leg);
    }
  }
  RecordFilter existing{"eve"};
  existing.agreement = agreement;
  ASSIGN_OR_RETURN(auto prior, txn->Ledger().ListRecords(existing));
  p.id = Serial(agreement + "-EVE", now.Year(), prior.size() + 1);
  RETURN_IF_ERROR(SaveOffset(*txn, p, "ledger.eve.proposed", actor, now));
  RETURN_IF_ERROR(call.Remember(*txn, agreement, p.id, "proposed", "ledger.eve.request", actor, now));
  RETURN_IF_ERROR(txn->Commit());
  return p;
}

Result<OffsetProposal> SettlementService::AcceptOffset(const Actor& actor, const std::string& id) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kFinance}, "eve accept"));
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  ASSIGN_OR_RETURN(OffsetProposal p, LoadOffset(*txn, id));
  ASSIGN_OR_RETURN(registry::Agreement ag, BoundAgreement(*txn, actor, p.agreement));
  if (p.status != "proposed") return FailedPrecondition("eve: proposal " + id + " is " + p.status, "ledger.eve_closed");
  if (std::find(p.accepted_by.begin(), p.accepted_by.end(), actor.party) != p.accepted_by.end()) {
    return FailedPrecondition("eve: " + actor.party + " has already accepted " + id + "; the other party must",
                              "ledger.eve_already_accepted");
  }
  const Timestamp now = clock_.Now();
  p.accepted_by.push_back(actor.party);
  if (p.accepted_by.size() == 2) {
    for (const auto& leg : p.legs) {
      ASSIGN_OR_RETURN(internal::Unbilled u, internal::UnbilledOf(*txn, leg.order));
      if (u.amount < leg.amount.minor_units()) {
        return FailedPrecondition("eve: order " + leg.order + " owes " + std::to_string(u.amount) +
                                      " now, less than the proposed offset; propose again",
                                  "ledger.eve_stale");
      }
      const std::string creditor = ag.PartnerOf(leg.debtor);
      ASSIGN_OR_RETURN(auto money, internal::ClaimAccounts(*txn, p.agreement, creditor, leg.debtor, kReceivable,
                                                           kPayable, leg.amount.currency().code(), now, actor));
      RETURN_IF_ERROR(internal::Single(*txn, "eve:" + p.id + ":" + leg.order, money.second, money.first,
                                       leg.amount.minor_units(), "eve.offset", p.agreement, leg.order, 0, p.id, now,
                                       actor)
                          .status());
    }
    p.status = "accepted";
  }
  RETURN_IF_ERROR(SaveOffset(*txn, p, "ledger.eve.accepted", actor, now));
  RETURN_IF_ERROR(txn->Commit());
  return p;
}

Result<std::vector<OffsetProposal>> SettlementService::ListOffsets(const Actor& actor, const std::string& agreement) {
  RETURN_IF_ERROR(RequireRole(actor, {Role::kFinance, Role::kAuditor}, "eve list"));
  return RecordsUnder<OffsetProposal>(store_, actor, agreement, "eve", internal::DecodeOffset);
}

std::string OffsetState(const OffsetProposal& p) {
  if (p.status == "accepted") return "posted";
  if (p.accepted_by.empty()) return "proposed";
  return "accepted-by-" + p.accepted_by.front();
}

}  // namespace relos::ledger

#include "ledger/records.h"
#include "relos/ledger/record_json.h"

#include "relos/audit/chain.h"
#include "relos/codec/codec.h"

namespace relos::ledger::internal {
namespace {

using codec::Json;

Json MoneyJson(const Money& m) { return m.ToString(); }

Result<Money> MoneyFrom(const Json& j) {
  if (!j.is_string()) return InvalidArgument("money: not a string", "money");
  return Money::Parse(j.get<std::string>());
}

Result<Timestamp> TimeFrom(const Json& j) {
  if (!j.is_string()) return InvalidArgument("time: not a string", "time");
  return Timestamp::Parse(j.get<std::string>());
}

// Decoding runs on rows this module wrote; a failure means the row was
// changed outside relos.
template <typename T, typename Fn>
Result<T> Decode(const std::string& body, const char* what, Fn fn) {
  Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded()) return DataLoss(std::string(what) + ": stored body is not JSON", "storage.corrupt");
  try {
    Result<T> r = fn(j);
    if (!r.ok()) return DataLoss(std::string(what) + ": " + r.status().message(), "storage.corrupt");
    return r;
  } catch (const std::exception& e) {
    return DataLoss(std::string(what) + ": stored body does not decode: " + e.what(), "storage.corrupt");
  }
}

}  // namespace

std::string Encode(const Bill& b) {
  Json lines = Json::array();
  for (const auto& l : b.lines) {
    lines.push_back({{"order", l.order}, {"amount", MoneyJson(l.amount)}, {"converted", MoneyJson(l.converted)},
                     {"paid", l.paid}});
  }
  return codec::Canonical({{"number", b.number},
                           {"agreement", b.agreement},
                           {"supplier", b.supplier},
                           {"debtor", b.debtor},
                           {"period_from", b.period_from.ToIso8601()},
                           {"period_to", b.period_to.ToIso8601()},
                           {"billed_at", b.billed_at.ToIso8601()},
                           {"due", b.due.ToIso8601()},
                           {"currency", b.currency},
                           {"lines", lines},
                           {"total", b.total},
                           {"paid", b.paid},
                           {"rounding", b.rounding},
                           {"status", b.status}});
}

Result<Bill> DecodeBill(const std::string& body) {
  return Decode<Bill>(body, "bill", [](const Json& j) -> Result<Bill> {
    Bill b;
    b.number = j.at("number");
    b.agreement = j.at("agreement");
    b.supplier = j.at("supplier");
    b.debtor = j.at("debtor");
    ASSIGN_OR_RETURN(b.period_from, TimeFrom(j.at("period_from")));
    ASSIGN_OR_RETURN(b.period_to, TimeFrom(j.at("period_to")));
    ASSIGN_OR_RETURN(b.billed_at, TimeFrom(j.at("billed_at")));
    ASSIGN_OR_RETURN(b.due, TimeFrom(j.at("due")));
    b.currency = j.at("currency");
    for (const auto& l : j.at("lines")) {
      BillLine line;
      line.order = l.at("order");
      ASSIGN_OR_RETURN(line.amount, MoneyFrom(l.at("amount")));
      ASSIGN_OR_RETURN(line.converted, MoneyFrom(l.at("converted")));
      line.paid = l.at("paid");
      b.lines.push_back(std::move(line));
    }
    b.total = j.at("total");
    b.paid = j.at("paid");
    b.rounding = j.at("rounding");
    b.status = j.at("status");
    return b;
  });
}

std::string Encode(const RikObligation& r) {
  return codec::Canonical({{"key", r.key},
                           {"agreement", r.agreement},
                           {"order", r.order},
                           {"line_no", r.line_no},
                           {"creditor", r.creditor},
                           {"debtor", r.debtor},
                           {"item", r.item},
                           {"facility", r.facility},
                           {"quantity", r.quantity.ToString()},
                           {"returned", r.returned.ToString()},
                           {"due", r.due.ToIso8601()},
                           {"status", r.status},
                           {"claim", r.claim},
                           {"claim_currency", r.claim_currency}});
}

Result<RikObligation> DecodeRik(const std::string& body) {
  return Decode<RikObligation>(body, "rik", [](const Json& j) -> Result<RikObligation> {
    RikObligation r;
    r.key = j.at("key");
    r.agreement = j.at("agreement");
    r.order = j.at("order");
    r.line_no = j.at("line_no");
    r.creditor = j.at("creditor");
    r.debtor = j.at("debtor");
    r.item = j.at("item");
    r.facility = j.at("facility");
    ASSIGN_OR_RETURN(r.quantity, Quantity::Parse(j.at("quantity").get<std::string>()));
    ASSIGN_OR_RETURN(r.returned, Quantity::Parse(j.at("returned").get<std::string>()));
    ASSIGN_OR_RETURN(r.due, TimeFrom(j.at("due")));
    r.status = j.at("status");
    r.claim = j.at("claim");
    r.claim_currency = j.at("claim_currency");
    return r;
  });
}

std::string Encode(const OffsetProposal& p) {
  Json legs = Json::array();
  for (const auto& l : p.legs) {
    legs.push_back({{"order", l.order}, {"debtor", l.debtor}, {"amount", MoneyJson(l.amount)}, {"value", l.value}});
  }
  return codec::Canonical({{"id", p.id},
                           {"agreement", p.agreement},
                           {"proposed_by", p.proposed_by},
                           {"proposed_at", p.proposed_at.ToIso8601()},
                           {"currency", p.currency},
                           {"offset", p.offset},
                           {"legs", legs},
                           {"accepted_by", p.accepted_by},
                           {"status", p.status}});
}

Result<OffsetProposal> DecodeOffset(const std::string& body) {
  return Decode<OffsetProposal>(body, "eve", [](const Json& j) -> Result<OffsetProposal> {
    OffsetProposal p;
    p.id = j.at("id");
    p.agreement = j.at("agreement");
    p.proposed_by = j.value("proposed_by", "");
    ASSIGN_OR_RETURN(p.proposed_at, TimeFrom(j.at("proposed_at")));
    p.currency = j.at("currency");
    p.offset = j.at("offset");
    for (const auto& l : j.at("legs")) {
      OffsetLeg leg;
      leg.order = l.at("order");
      leg.debtor = l.at("debtor");
      ASSIGN_OR_RETURN(leg.amount, MoneyFrom(l.at("amount")));
      leg.value = l.at("value");
      p.legs.push_back(std::move(leg));
    }
    p.accepted_by = j.at("accepted_by").get<std::vector<std::string>>();
    p.status = j.at("status");
    return p;
  });
}

Status PutRecord(storage::Transaction& txn, const Record& r, const std::string& event_kind,
                 const orders::Actor& actor) {
  RETURN_IF_ERROR(txn.Ledger().PutRecord(r));
  return audit::Append(txn, {r.at, actor.party, std::string(orders::Name(actor.role)), actor.name, event_kind,
                             r.kind + "/" + r.key, r.body})
      .status();
}

Result<std::pair<std::string, std::string>> ClaimAccounts(storage::Transaction& txn, const std::string& agreement,
                                                          const std::string& creditor, const std::string& debtor,
                                                          const std::string& claim_purpose,
                                                          const std::string& liability_purpose,
                                                          const std::string& unit, Timestamp at,
                                                          const orders::Actor& actor) {
  Account claim{AccountCode(agreement, creditor, claim_purpose, debtor, unit), agreement, creditor, claim_purpose,
                debtor, unit};
  claim.created_at = at;
  Account liability{AccountCode(agreement, debtor, liability_purpose, creditor, unit), agreement, debtor,
                    liability_purpose, creditor, unit};
  liability.created_at = at;
  RETURN_IF_ERROR(EnsureAccount(txn, claim, actor).status());
  RETURN_IF_ERROR(EnsureAccount(txn, liability, actor).status());
  return std::make_pair(claim.code, liability.code);
}

Result<Transfer> Single(storage::Transaction& txn, const std::string& id, const std::string& debit,
                        const std::string& credit, int64_t amount, const std::string& code,
                        const std::string& agreement, const std::string& order, int64_t line_no,
                        const std::string& reference, Timestamp at, const orders::Actor& actor) {
  Transfer t;
  t.id = id;
  t.debit_account = debit;
  t.credit_account = credit;
  t.amount = amount;
  t.kind = TransferKind::kSinglePhase;
  t.code = code;
  t.agreement = agreement;
  t.order = order;
  t.line_no = line_no;
  t.reference = reference;
  t.at = at;
  return Apply(txn, std::move(t), actor);
}

Result<Unbilled> UnbilledOf(storage::Transaction& txn, const std::string& order_number) {
  TransferFilter f;
  f.order = order_number;
  f.limit = 100000;
  ASSIGN_OR_RETURN(auto transfers, txn.Ledger().ListTransfers(f));
  Unbilled u;
  for (const auto& t : transfers) {
    if (t.kind == TransferKind::kPending || t.kind == TransferKind::kVoidPending) continue;
    if (PurposeOf(t.debit_account) == kReceivable) {
      u.amount += t.amount;
      u.currency = t.unit;
      u.last_claim = t.at;
    }
    if (PurposeOf(t.credit_account) == kReceivable) u.amount -= t.amount;
  }
  return u;
}

}  // namespace relos::ledger::internal

namespace relos::ledger {

std::string RecordJson(const Bill& bill) { return internal::Encode(bill); }
std::string RecordJson(const RikObligation& obligation) { return internal::Encode(obligation); }
std::string RecordJson(const OffsetProposal& proposal) { return internal::Encode(proposal); }

}  // namespace relos::ledger

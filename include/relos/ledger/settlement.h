// Settlement on top of the ledger engine: the order observer that gives
// every approved order its financial state (pending at approval, posted at
// receipt, voided at cancellation, close refused with an open balance), the
// annual ceiling, exchange rates, bills and cash payments, replacement in
// kind (with the deadline turning into a cash claim), equal-value offsets
// accepted by both finance officers, alerts and the reports. See
// docs/ledger.md for the accounts and transfers each step writes.
//
// Every state change is one write transaction that appends its audit
// events; on any error nothing is changed.
//
// Thread-safety: as the Store. Borrows store and clock; they must outlive
// the service.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "relos/core/money.h"
#include "relos/core/time.h"
#include "relos/ledger/ledger.h"
#include "relos/orders/order_service.h"

namespace relos::ledger {

// The OrderObserver wired into OrderService by the composition roots.
//   approve: ceiling check, then a pending transfer per approved line;
//   receipt/resolve: post each acknowledged line at the receipted quantity
//            (partial post releases the rest; zero voids), disputed lines
//            stay pending; replacement-in-kind lines become item obligations;
//   cancel:  void every open pending transfer of the order;
//   close:   FailedPrecondition (reason "ledger.open_balance") unless the
//            order's balance is zero.
// Ceiling refusal: ResourceExhausted, reason "ledger.ceiling", message with
// the ceiling, the amount used, this order and the excess.
class LedgerObserver final : public orders::OrderObserver {
 public:
  Status OnTransition(storage::Transaction& txn, orders::Action action, const orders::Order& before,
                      const orders::Order& after, const orders::Actor& actor) override;
};

// ---- Exchange rates: units of `to` per one unit of `from`, from a date on.
struct Rate {
  std::string from;
  std::string to;
  Timestamp valid_from;
  int64_t rate_e9 = 0;  // the rate times 10^9 (exact decimal with 9 places)
  std::string ToString() const;
};
// Converts `m` into `to` at the latest rate valid at `at` (direct, or the
// inverse of the opposite pair). Rounding: half away from zero to the
// target's minor unit. NotFound (reason "ledger.no_rate") if none.
Result<Money> Convert(storage::Transaction& txn, const Money& m, const std::string& to, Timestamp at);

// ---- Bills.
struct BillLine {
  std::string order;
  Money amount;     // in the supplier's currency
  Money converted;  // in the settlement currency, rounded per line
  int64_t paid = 0; // settlement-currency minor units paid against this line
};
struct Bill {
  std::string number;
  std::string agreement;
  std::string supplier;
  std::string debtor;
  Timestamp period_from;
  Timestamp period_to;
  Timestamp billed_at;
  Timestamp due;
  std::string currency;
  std::vector<BillLine> lines;
  int64_t total = 0;
  int64_t paid = 0;
  int64_t rounding = 0;  // sum of line conversions minus conversion of the sums
  std::string status;    // "open", "partly-paid", "paid"
  int64_t outstanding() const { return total - paid; }
};

struct RikObligation {
  std::string key;  // "<order>:L<line>"
  std::string agreement;
  std::string order;
  int64_t line_no = 0;
  std::string creditor;  // the supplier, to whom items are returned
  std::string debtor;
  std::string item;
  std::string facility;
  Quantity quantity;
  Quantity returned;
  Timestamp due;
  std::string status;  // "open", "discharged", "converted"
  int64_t claim = 0;   // cash claim (minor units) after conversion
  std::string claim_currency;
};

struct OffsetLeg {
  std::string order;
  std::string debtor;
  Money amount;     // order currency
  int64_t value = 0;  // settlement currency
};
struct OffsetProposal {
  std::string id;
  std::string agreement;
  std::string proposed_by;  // party code; empty in proposals stored before it was kept
  Timestamp proposed_at;
  std::string currency;
  int64_t offset = 0;  // settlement currency, netted from each side
  std::vector<OffsetLeg> legs;
  std::vector<std::string> accepted_by;  // party codes
  std::string status;  // "proposed", "accepted"
};
// Where a proposal stands: "proposed" (no party has accepted),
// "accepted-by-<party>" (one has), "posted" (both have; the offset is posted).
std::string OffsetState(const OffsetProposal& p);

struct Alert {
  std::string kind;     // "delivered-not-receipted", "receipted-not-billed", "bill-overdue", "rik-due"
  std::string subject;  // order number or bill number
  std::string agreement;
  int64_t days = 0;
  std::string detail;
};

struct AgeingRow {
  std::string agreement;
  std::string creditor;
  std::string debtor;
  std::string currency;
  int64_t bucket[4] = {0, 0, 0, 0};  // 0-30, 31-60, 61-90, >90 days since the bill date
};

struct CeilingUse {
  std::string agreement;
  std::string party;
  int year = 0;
  std::string currency;
  int64_t ceiling = 0;
  int64_t pending = 0;
  int64_t posted = 0;
};

struct StatementLine {
  Transfer transfer;
  std::string account;
  int64_t debit = 0;
  int64_t credit = 0;
};

// A named total in the annual report.
struct AnnualRow {
  std::string dimension;  // "category", "facility", "purpose", "month"
  std::string key;
  std::string currency;
  int64_t amount = 0;
  int64_t orders = 0;
};

// Reconciliation state of an order: open (nothing in the ledger, or all
// voided), pending (approved, nothing posted), disputed (a receipt line in
// dispute), posted (claims posted, not billed), billed, partly-settled (some
// payment, offset or return in kind made, balance not zero), settled (posted
// and back to a zero balance).
std::string ReconciliationState(const orders::Order& o, const OrderBalance& b);

// One order's financial position (`relos ledger orders`).
struct OrderPosition {
  std::string order;
  std::string state;           // the order's lifecycle state
  std::string reconciliation;  // ReconciliationState
  OrderBalance balance;
};

// Per party and unit under an agreement: what the party is owed by its
// partner (posted claims, before and after billing), what it owes, what is
// reserved (pending) against it, and the net (owed minus owes). The rows of
// a party in money are followed by one row in the settlement currency
// (unit = that currency, `total` true) converting each net at the clock's
// date; replacement-in-kind units (items) are not converted.
struct NetPositionRow {
  std::string party;
  std::string counterparty;
  std::string unit;
  int64_t owed_to = 0;
  int64_t owes = 0;
  int64_t pending_owes = 0;  // reserved by approved, not yet receipted orders
  int64_t net = 0;           // owed_to - owes
  bool total = false;
};

struct AlertThresholds {
  int64_t receipt_days = 7;   // delivered but not receipted
  int64_t billing_days = 30;  // receipted but not billed
};

class SettlementService {
 public:
  SettlementService(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Rates from CSV text "from,to,valid_from,rate" (header optional);
  // returns how many. InvalidArgument naming line and field. Finance or admin.
  Result<int64_t> ImportRates(const orders::Actor& actor, const std::string& csv);
  Result<std::vector<Rate>> ListRates();

  // Bills the actor's party's (supplier's) unbilled claims on its partner
  // under `agreement`, for claims posted in [from, to) (`to` absent: up to
  // the clock's now). Finance of the supplier only (PermissionDenied).
  // FailedPrecondition (reason "ledger.nothing_to_bill") if there is
  // nothing. A non-empty `request_id` (at most 128 characters) makes the
  // call idempotent: the same request under it again returns the bill it
  // made and changes nothing; another request under it is AlreadyExists
  // (reason "idempotency_key"). The same holds for the ids of Pay,
  // DeliverRik and ProposeOffset.
  Result<Bill> CreateBill(const orders::Actor& actor, const std::string& agreement, Timestamp from,
                          std::optional<Timestamp> to, const std::string& request_id = "");
  Result<Bill> GetBill(const orders::Actor& actor, const std::string& number);
  Result<std::vector<Bill>> ListBills(const orders::Actor& actor, const std::string& agreement);

  // A cash payment by the debtor's finance officer against a bill, full or
  // partial, in the settlement currency. `payment_id` is the idempotency
  // key (required; AlreadyExists, reason "payment_id", when reused for
  // another payment). InvalidArgument (amount) above the outstanding amount or in another
  // currency.
  Result<Bill> Pay(const orders::Actor& actor, const std::string& bill, const Money& amount,
                   const std::string& payment_id);

  Result<std::vector<RikObligation>> ListRik(const orders::Actor& actor, const std::string& agreement);
  // Records a return delivery of `quantity` against an obligation (by the
  // debtor's finance or logistics officer). InvalidArgument above the
  // remainder; FailedPrecondition unless open. `delivery_id` (optional)
  // is the idempotency key of the delivery: a retry returns the obligation
  // as it stands, the delivery counted once, even once it is discharged.
  Result<RikObligation> DeliverRik(const orders::Actor& actor, const std::string& key, const Quantity& quantity,
                                   const std::string& delivery_id = "");

  // Proposes the offset that nets both parties' open equal-value-exchange
  // claims under `agreement` (finance of either party).
  // FailedPrecondition (reason "ledger.nothing_to_offset") when one side
  // has none.
  // `request_id` as for CreateBill: a retry returns the proposal it made.
  Result<OffsetProposal> ProposeOffset(const orders::Actor& actor, const std::string& agreement,
                                       const std::string& request_id = "");
  // The offset proposals under `agreement`, by id (finance and auditor of
  // either party; PermissionDenied otherwise).
  Result<std::vector<OffsetProposal>> ListOffsets(const orders::Actor& actor, const std::string& agreement);
  // One party's finance officer accepts; at the second acceptance the
  // offset is posted. FailedPrecondition (reason "ledger.eve_stale") if the
  // claims changed since the proposal.
  Result<OffsetProposal> AcceptOffset(const orders::Actor& actor, const std::string& id);

  // Deadline processing at the clock's now: every open replacement-in-kind
  // obligation past its due date becomes a cash claim at the price in force
  // on the deadline (event "ledger.rik.converted"). Returns the converted.
  Result<std::vector<RikObligation>> Tick(const orders::Actor& actor);

  // ---- Reports (read-only; the actor's party must be bound by the agreement).
  Result<std::vector<Account>> Accounts(const orders::Actor& actor, const std::string& agreement);
  // Net position per party of the agreement (see NetPositionRow).
  Result<std::vector<NetPositionRow>> NetPosition(const orders::Actor& actor, const std::string& agreement);
  // Every order of the agreement involving the actor's party, with its
  // balance and reconciliation state, by order number.
  Result<std::vector<OrderPosition>> OrderPositions(const orders::Actor& actor, const std::string& agreement);
  Result<std::vector<TrialBalanceRow>> TrialBalanceOf(const orders::Actor& actor, const std::string& agreement);
  Result<std::vector<StatementLine>> Statement(const orders::Actor& actor, const std::string& agreement,
                                               const std::string& party, Timestamp from, Timestamp to);
  Result<std::vector<AgeingRow>> Ageing(const orders::Actor& actor, const std::string& agreement);
  Result<std::vector<CeilingUse>> Ceiling(const orders::Actor& actor, const std::string& agreement, int year);
  Result<std::vector<AnnualRow>> Annual(const orders::Actor& actor, const std::string& agreement, int year);
  Result<std::vector<Alert>> Alerts(const orders::Actor& actor, const std::string& agreement,
                                    const AlertThresholds& thresholds);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace relos::ledger

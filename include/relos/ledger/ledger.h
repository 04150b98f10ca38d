// The double-entry ledger engine, modelled on TigerBeetle: accounts hold
// pending and posted debits and credits; a transfer moves an integer amount
// from one account (debit) to another (credit) of the same unit, so every
// transfer balances by construction and so does every unit's trial balance.
// Transfers are immutable; the client-chosen id is the idempotency key (the
// same transfer again returns the stored one, other content under the same
// id is AlreadyExists). Two-phase: a pending transfer reserves an amount; a
// later post (of at most the pending amount; the rest is released) or void
// resolves it exactly once. A mistake is fixed by a correcting transfer
// whose `corrects` names the transfer it reverses.
//
// Every account creation and every transfer is appended to the audit chain
// in the caller's transaction (kinds "ledger.account", "ledger.transfer";
// subjects "account/<code>", "transfer/<id>").
//
// Thread-safety: free functions over a storage::Transaction.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "relos/core/money.h"
#include "relos/core/quantity.h"
#include "relos/ledger/tables.h"
#include "relos/orders/order.h"
#include "relos/storage/store.h"

namespace relos::ledger {

// Account purposes (the third field of an account code).
inline constexpr char kReceivable[] = "receivable";            // supplier's claim on the requester, supplier currency
inline constexpr char kPayable[] = "payable";                  // the requester's side of the same claim
inline constexpr char kBilledReceivable[] = "billed-receivable";  // after billing, settlement currency
inline constexpr char kBilledPayable[] = "billed-payable";
inline constexpr char kRikReceivable[] = "rik-receivable";     // items owed back, in thousandths of the item unit
inline constexpr char kRikPayable[] = "rik-payable";
inline constexpr char kCeilingControl[] = "ceiling-control";   // per requester and year, settlement currency
inline constexpr char kCeilingLimit[] = "ceiling-limit";
inline constexpr char kRounding[] = "rounding";                // conversion differences, settlement currency
inline constexpr char kRoundingContra[] = "rounding-contra";

// "<agreement>:<party>:<purpose>:<counterparty>:<unit>".
std::string AccountCode(const std::string& agreement, const std::string& party, const std::string& purpose,
                        const std::string& counterparty, const std::string& unit);
// The purpose field of an account code ("" if malformed).
std::string PurposeOf(const std::string& account_code);
// True for the accounts on which an order's open balance is measured.
bool IsClaimPurpose(const std::string& purpose);

// An account with that code exists afterwards: created (with its event) if
// missing, else returned as stored. InvalidArgument if the code is not
// AccountCode(...) of the spec's fields.
Result<Account> EnsureAccount(storage::Transaction& txn, const Account& spec, const orders::Actor& actor);

// Validates and records t (t.seq and, for post/void, accounts and unit
// copied from the pending transfer), updates both accounts' running
// balances and appends the event. Returns the stored transfer. Errors:
// InvalidArgument naming the field (id, amount, accounts, unit, pending_id,
// kind); NotFound for an unknown account or pending transfer;
// FailedPrecondition (reason "ledger.pending_resolved") when the pending
// transfer was already posted or voided; InvalidArgument (reason "amount")
// for a post above the pending amount; ResourceExhausted (reason
// "ledger.account_limit") when an account flag would break; AlreadyExists
// (reason "ledger.transfer_id") for an id reused with other content.
Result<Transfer> Apply(storage::Transaction& txn, Transfer t, const orders::Actor& actor);

// The stored transfer that posted or voided pending transfer `pending_id`,
// or nullopt while it is still pending.
Result<std::optional<Transfer>> ResolutionOf(storage::Transaction& txn, const std::string& pending_id);

// A correcting transfer: the reverse of `original_id` (credit and debit
// swapped, same amount and unit), with `corrects` set. Only single-phase
// and post transfers can be corrected (InvalidArgument otherwise).
Result<Transfer> Correct(storage::Transaction& txn, const std::string& original_id, const std::string& new_id,
                         Timestamp at, const orders::Actor& actor);

// Per unit: the sums of all accounts' debits and credits, pending and posted.
struct TrialBalanceRow {
  std::string unit;
  int64_t debits_pending = 0;
  int64_t debits_posted = 0;
  int64_t credits_pending = 0;
  int64_t credits_posted = 0;
  bool balanced() const { return debits_pending == credits_pending && debits_posted == credits_posted; }
};
// Over the accounts of `agreement` (all when empty), by unit.
Result<std::vector<TrialBalanceRow>> TrialBalance(storage::Transaction& txn, const std::string& agreement);

// What an order still owes, from its transfers: per unit, posted claim
// balances (receivable, billed-receivable, rik-receivable: debits minus
// credits) and the pending transfers not yet posted or voided.
struct OrderBalance {
  std::map<std::string, int64_t> outstanding;  // unit -> amount, non-zero entries only
  std::map<std::string, int64_t> pending;      // unit -> amount, non-zero entries only
  int64_t open_pending = 0;                    // count of unresolved pending transfers
  int64_t posted_total = 0;                    // count of claim postings ever made
  bool billed = false;                         // some billed-receivable posting exists
  int64_t settled_transfers = 0;               // payments, offsets, returns in kind
  bool zero() const { return outstanding.empty() && open_pending == 0; }
  std::string ToString() const;
};
Result<OrderBalance> BalanceOfOrder(storage::Transaction& txn, const std::string& order_number);

// The extended price of `q` at `unit_price`: q.milli * price / 1000, rounded
// half away from zero to the currency's minor unit.
int64_t ExtendedPrice(const Quantity& q, const Money& unit_price);

// JSON images of the rows (for events, verification and the CLI).
std::string CanonicalJson(const Account& a, bool with_balances);
std::string CanonicalJson(const Transfer& t);

}  // namespace relos::ledger

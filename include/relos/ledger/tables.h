// The ledger's stored rows and the storage seam for them. Accounts carry
// running balances (debits and credits, pending and posted) that the ledger
// engine (ledger.h) updates in the same transaction as each transfer, so a
// balance is one row read however many postings there are. Transfers are
// immutable once inserted. Bills, replacement-in-kind obligations, offset
// proposals and exchange rates are "records": a kind, a key, a few indexed
// columns and a body that the ledger encodes (the storage layer never reads
// the body).
//
// Amounts are int64 minor units of a currency, or thousandths of an item's
// unit for replacement-in-kind accounts. There is no float anywhere here.
//
// Thread-safety: values; LedgerTables is reached through a
// storage::Transaction and shares its rules (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "relos/core/status.h"
#include "relos/core/time.h"

namespace relos::ledger {

// Account flags, as in TigerBeetle: the engine refuses a transfer that would
// break them (ResourceExhausted, reason "ledger.account_limit").
constexpr int64_t kDebitsMustNotExceedCredits = 1;
constexpr int64_t kCreditsMustNotExceedDebits = 2;

struct Account {
  // "<agreement>:<party>:<purpose>:<counterparty or year or ->:<unit>", for
  // example "RELOS-IN-RU:RU:receivable:IN:RUB". See docs/ledger.md.
  std::string code;
  std::string agreement;
  std::string party;
  std::string purpose;  // receivable, payable, billed-receivable, ceiling-control, rik-receivable...
  std::string counterparty;
  std::string unit;  // ISO 4217 code, or the item code for replacement-in-kind accounts
  int64_t flags = 0;
  int64_t debits_pending = 0;
  int64_t debits_posted = 0;
  int64_t credits_pending = 0;
  int64_t credits_posted = 0;
  Timestamp created_at;
  friend bool operator==(const Account&, const Account&) = default;
};

enum class TransferKind { kSinglePhase, kPending, kPostPending, kVoidPending };
std::string_view Name(TransferKind k);  // "single", "pending", "post", "void"
Result<TransferKind> ParseTransferKind(std::string_view s);

struct Transfer {
  int64_t seq = 0;   // assigned by the store on insert: 1, 2, 3... in commit order
  std::string id;    // chosen by the client; the idempotency key
  std::string debit_account;
  std::string credit_account;
  int64_t amount = 0;
  std::string unit;  // equal to both accounts' unit
  TransferKind kind = TransferKind::kSinglePhase;
  std::string pending_id;  // for kPostPending / kVoidPending: the pending transfer
  std::string code;        // what it records: "order.approve", "bill", "payment", "rik.claim"...
  std::string agreement;
  std::string order;       // order number, when about one
  int64_t line_no = 0;     // order line, when about one
  std::string reference;   // bill number, payment id, offset proposal id...
  std::string corrects;    // the transfer this one corrects, if any
  Timestamp at;
  friend bool operator==(const Transfer&, const Transfer&) = default;
};

struct TransferFilter {
  std::optional<std::string> account;     // as debit or credit
  std::optional<std::string> order;
  std::optional<std::string> pending_id;  // the post/void of one pending transfer
  std::optional<std::string> reference;
  std::optional<Timestamp> from;          // at >= from
  std::optional<Timestamp> to;            // at < to
  int64_t after_seq = 0;                  // keyset pagination
  int64_t limit = 1000;                   // at most this many, by seq
};

struct Record {
  std::string kind;  // "bill", "rik", "eve", "rate", "payment", "delivery", "bill-request", "eve-request"...
  std::string key;   // unique within the kind
  std::string agreement;
  std::string ref;     // a secondary key: the order for "rik", the currency pair for "rate"...
  std::string status;  // "open", "paid", "proposed", "accepted"...
  Timestamp at;
  std::string body;  // opaque to storage
  friend bool operator==(const Record&, const Record&) = default;
};

struct RecordFilter {
  std::string kind;  // required
  std::optional<std::string> agreement;
  std::optional<std::string> ref;
  std::optional<std::string> status;
};

class LedgerTables {
 public:
  virtual ~LedgerTables() = default;

  // Inserts or replaces the account with a.code (replacing is how running
  // balances are updated). Read transactions: FailedPrecondition.
  virtual Status PutAccount(const Account& a) = 0;
  // NotFound (reason "storage.not_found") naming the code.
  virtual Result<Account> GetAccount(const std::string& code) = 0;
  // Accounts of `agreement` (all if empty), ordered by code.
  virtual Result<std::vector<Account>> ListAccounts(const std::string& agreement) = 0;

  // Stores t with the next seq and returns the seq. AlreadyExists (reason
  // "storage.duplicate_transfer") if t.id is taken. Transfers are never
  // updated or deleted.
  virtual Result<int64_t> InsertTransfer(const Transfer& t) = 0;
  // The transfer with this id, or nullopt.
  virtual Result<std::optional<Transfer>> FindTransfer(const std::string& id) = 0;
  // Matching transfers in seq order; InvalidArgument for limit < 1.
  virtual Result<std::vector<Transfer>> ListTransfers(const TransferFilter& f) = 0;

  // Inserts or replaces the record (kind, key).
  virtual Status PutRecord(const Record& r) = 0;
  virtual Result<std::optional<Record>> FindRecord(const std::string& kind, const std::string& key) = 0;
  // Matching records ordered by key.
  virtual Result<std::vector<Record>> ListRecords(const RecordFilter& f) = 0;
};

}  // namespace relos::ledger

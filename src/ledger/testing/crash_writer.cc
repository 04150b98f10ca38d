// Test helper for ledger_crash_test: posts an endless stream of ledger
// operations into the SQLite file named by argv[1], one write transaction
// each, and prints each operation's transfer id on stdout after its commit
// returned (that is the acknowledgement the crash test holds it to). The
// test kills it with SIGKILL at some point of the stream.
//
// The stream cycles through the ledger's kinds of transfer: a single-phase
// transfer, a pending transfer, and the post (in part) or void of that
// pending. Run again on the same file, it resumes after the transfers
// already there, so recovery is followed by more writing.
#include <cstdio>
#include <string>

#include "relos/ledger/ledger.h"
#include "relos/storage/sqlite_store.h"

namespace {

using namespace relos;

constexpr char kAgreement[] = "CRASH";

ledger::Account Spec(const std::string& party, const std::string& purpose, const std::string& counterparty) {
  ledger::Account a{ledger::AccountCode(kAgreement, party, purpose, counterparty, "USD"), kAgreement, party, purpose,
                    counterparty, "USD"};
  a.created_at = Timestamp(1767225600);
  return a;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "crash writer: %s\n", s.ToString().c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DB\n", argv[0]);
    return 2;
  }
  auto store = storage::SqliteStore::Open(argv[1]);
  if (!store.ok()) return Fail(store.status());
  const orders::Actor actor{"IN", orders::Role::kFinance, "crash writer"};
  const ledger::Account receivable = Spec("RU", ledger::kReceivable, "IN");
  const ledger::Account payable = Spec("IN", ledger::kPayable, "RU");
  int64_t next = 0;
  {
    auto txn = (*store)->BeginWrite();
    if (!txn.ok()) return Fail(txn.status());
    for (const auto& spec : {receivable, payable}) {
      auto a = ledger::EnsureAccount(**txn, spec, actor);
      if (!a.ok()) return Fail(a.status());
    }
    ledger::TransferFilter all;
    all.limit = INT64_MAX;
    auto existing = (*txn)->Ledger().ListTransfers(all);
    if (!existing.ok()) return Fail(existing.status());
    next = static_cast<int64_t>(existing->size());
    Status s = (*txn)->Commit();
    if (!s.ok()) return Fail(s);
  }
  // Resuming at the number of stored transfers continues the cycle, so a
  // pending transfer committed just before a kill is the next one resolved.
  for (;; ++next) {
    ledger::Transfer t;
    t.id = "crash:" + std::to_string(next);
    t.agreement = kAgreement;
    t.code = "crash.test";
    t.at = Timestamp(1767225600 + next);
    t.amount = 100 + next % 997;
    switch (next % 3) {
      case 0:
        t.debit_account = receivable.code;
        t.credit_account = payable.code;
        break;
      case 1:
        t.debit_account = receivable.code;
        t.credit_account = payable.code;
        t.kind = ledger::TransferKind::kPending;
        break;
      case 2:
        t.pending_id = "crash:" + std::to_string(next - 1);
        t.kind = next % 2 == 0 ? ledger::TransferKind::kPostPending : ledger::TransferKind::kVoidPending;
        t.amount = 50;  // the pending was at least 100: a post in part releases the rest
        break;
    }
    auto txn = (*store)->BeginWrite();
    if (!txn.ok()) return Fail(txn.status());
    auto applied = ledger::Apply(**txn, t, actor);
    if (!applied.ok()) return Fail(applied.status());
    Status s = (*txn)->Commit();
    if (!s.ok()) return Fail(s);
    std::printf("%s\n", t.id.c_str());
    std::fflush(stdout);
  }
}

// Private to relos_ledger: JSON bodies of the ledger's records, writing a
// record together with its audit event, and account helpers shared by the
// observer and the settlement service.
#pragma once

#include <string>

#include "relos/ledger/settlement.h"

namespace relos::ledger::internal {

std::string Encode(const Bill& b);
std::string Encode(const RikObligation& r);
std::string Encode(const OffsetProposal& p);
Result<Bill> DecodeBill(const std::string& body);
Result<RikObligation> DecodeRik(const std::string& body);
Result<OffsetProposal> DecodeOffset(const std::string& body);

// Puts the record and appends event `event_kind` with subject
// "<kind>/<key>" and the body as payload.
Status PutRecord(storage::Transaction& txn, const Record& r, const std::string& event_kind,
                 const orders::Actor& actor);

// Ensures the creditor's `credit_purpose`... pair of accounts for a claim of
// `creditor` on `debtor` in `unit`: returns {debit-side code, credit-side code}
// where the debit side is creditor's `claim_purpose` account and the credit
// side the debtor's `liability_purpose` account.
Result<std::pair<std::string, std::string>> ClaimAccounts(storage::Transaction& txn, const std::string& agreement,
                                                          const std::string& creditor, const std::string& debtor,
                                                          const std::string& claim_purpose,
                                                          const std::string& liability_purpose,
                                                          const std::string& unit, Timestamp at,
                                                          const orders::Actor& actor);

// Applies a single-phase transfer with the common fields.
Result<Transfer> Single(storage::Transaction& txn, const std::string& id, const std::string& debit,
                        const std::string& credit, int64_t amount, const std::string& code,
                        const std::string& agreement, const std::string& order, int64_t line_no,
                        const std::string& reference, Timestamp at, const orders::Actor& actor);

// The receivable balance (supplier currency, purpose receivable: debits
// minus credits, posted) of an order, and the time of its last claim.
struct Unbilled {
  int64_t amount = 0;
  std::string currency;
  Timestamp last_claim;
};
Result<Unbilled> UnbilledOf(storage::Transaction& txn, const std::string& order_number);

}  // namespace relos::ledger::internal

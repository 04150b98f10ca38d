// The JSON text the ledger stores as the body of a bill, a
// replacement-in-kind obligation or an equal-value-exchange offset proposal
// (the audit event's payload too), for readers outside the ledger such as
// the REST API. Totals are integers in minor units of the record's
// currency; a line's or leg's amount is money text ("66000.00 RUB");
// quantities are text ("10 tonne"); times ISO 8601 UTC.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "relos/ledger/settlement.h"

namespace relos::ledger {

std::string RecordJson(const Bill& bill);
std::string RecordJson(const RikObligation& obligation);
std::string RecordJson(const OffsetProposal& proposal);

}  // namespace relos::ledger

// Full verification of a store: the hash chain (chain.h) and then every
// stored object against the payload of the last event about it. An UPDATE
// or DELETE made behind relos's back, on an event or on an order or registry
// row, is reported with the event or object it touched.
#pragma once

#include "relos/audit/chain.h"
#include "relos/storage/store.h"

namespace relos::audit {

// As VerifyChain, then: every order, party, agreement, catalogue item,
// facility, unit, the fuel table, ledger row, exercise and fuel
// replenishment must equal (canonical JSON) the payload
// of the latest event whose subject names it; an object with no event, or a
// subject whose object is gone, is a problem too. Last, every user: its
// name, party, roles and disabled flag as the latest user.added,
// user.disabled or user.password_changed event recorded them; its tokens,
// in order of issue, of the kind and expiry that token.issued and
// session.opened recorded; as many revoked as logouts, disablings and
// password changes revoked. (The password hash is never on the chain, so a
// hash replaced behind relos's back is not found here.)
Result<VerifyReport> VerifyStore(storage::Transaction& txn);

}  // namespace relos::audit

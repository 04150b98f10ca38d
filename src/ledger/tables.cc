#include "relos/ledger/tables.h"

namespace relos::ledger {

std::string_view Name(TransferKind k) {
  switch (k) {
    case TransferKind::kSinglePhase: return "single";
    case TransferKind::kPending: return "pending";
    case TransferKind::kPostPending: return "post";
    case TransferKind::kVoidPending: return "void";
  }
  return "?";
}

Result<TransferKind> ParseTransferKind(std::string_view s) {
  for (auto k : {TransferKind::kSinglePhase, TransferKind::kPending, TransferKind::kPostPending,
                 TransferKind::kVoidPending}) {
    if (Name(k) == s) return k;
  }
  return InvalidArgument("kind: unknown transfer kind '" + std::string(s) + "'", "kind");
}

}  // namespace relos::ledger

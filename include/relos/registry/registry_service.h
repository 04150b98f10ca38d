// The registry service: imports (merge by code, validate the merged whole,
// one audit event per changed object, all in one transaction) and reads.
//
// Who may change what: an admin of a party changes that party's facilities
// and units and the shared objects (parties, agreements, catalogue, fuel
// table); another party's facility or unit is PermissionDenied. The system
// actor (party "SYSTEM", used by `relos init` and `relos demo`) may change
// everything.
//
// Thread-safety: as the Store. Borrows store and clock.
#pragma once

#include <string>
#include <vector>

#include "relos/core/time.h"
#include "relos/orders/order.h"
#include "relos/registry/registry.h"
#include "relos/storage/store.h"

namespace relos::registry {

inline constexpr char kSystemParty[] = "SYSTEM";

struct ImportSummary {
  int added = 0;
  int changed = 0;
  int unchanged = 0;
};

class RegistryService {
 public:
  RegistryService(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Merges `data` into the registry. InvalidArgument (from validation,
  // naming the object and field) leaves everything unchanged, as does
  // PermissionDenied.
  Result<ImportSummary> Import(const orders::Actor& actor, const RegistryData& data);

  // The whole registry, every list ordered by code.
  Result<RegistryData> Load();

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace relos::registry

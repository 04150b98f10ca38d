// Semantic validation of a whole registry: what a schema cannot check.
// Codes unique per kind; every reference resolves (agreement parties,
// facility and unit owners, price-list items, fuel grades); dimensions and
// capacities positive; price lists in the owner's currency; ceilings in the
// agreement's settlement currency; effective periods well ordered.
#pragma once

#include "relos/core/status.h"
#include "relos/registry/registry.h"

namespace relos::registry {

// OK, or InvalidArgument for the first problem found, its message naming
// the object path and field ("facilities[RU-VLD].prices[2].item: unknown
// catalogue item FUEL-X") and reason() the field name.
Status ValidateRegistry(const RegistryData& data);

}  // namespace relos::registry

// The JSON form of a request to create an order, read the same way from
// `relos order create --file` and from POST /api/v1/orders:
//   {agreement, unit, facility, purpose, settlement?, exercise?,
//    idempotency_key?, lines: [{item, quantity, window_start, window_end,
//    note?, document_sha256?}]}
// Unknown keys, wrong types and bad values are InvalidArgument whose message
// starts with the JSON path ("$.lines[1].quantity: ...") and whose reason()
// is the field name.
//
// Thread-safety: pure functions.
#pragma once

#include <initializer_list>
#include <string>

#include "relos/codec/codec.h"
#include "relos/orders/order_service.h"

namespace relos::orders {

// `path` prefixes every error ("$", or "file.json: $").
Result<CreateOrderRequest> CreateOrderRequestFromJson(const codec::Json& j, const std::string& path);

// Reads one string member; absent is "" unless `required`.
Result<std::string> JsonStringAt(const codec::Json& j, const std::string& key, const std::string& path, bool required);
// InvalidArgument naming the first key of `j` not in `keys`.
Status JsonOnlyKeys(const codec::Json& j, const std::string& path, std::initializer_list<const char*> keys);

}  // namespace relos::orders

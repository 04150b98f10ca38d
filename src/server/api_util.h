// Helpers the route handlers share (api.cc, order_routes.cc, openapi.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "relos/auth/tables.h"
#include "relos/codec/codec.h"
#include "relos/orders/order_request_json.h"
#include "relos/registry/registry.h"
#include "relos/server/api.h"
#include "relos/storage/store.h"

namespace relos::server {

// A user as the API shows one: never the password hash.
codec::Json UserJson(const auth::User& u);

// What a partner sees of a facility: everything but the stock on hand of
// each fuel grade and the capacity counts, which are the owner's internals.
codec::Json PartnerView(const registry::Facility& f);

// An integer query parameter in [min, max]; `fallback` when absent.
Result<int64_t> IntParam(const Call& c, const std::string& name, int64_t fallback, int64_t min, int64_t max);

// A decimal query parameter in (min, max]; nullopt when absent.
Result<std::optional<double>> NumberParam(const Call& c, const std::string& name, double min, double max);
// A number member of a JSON object in (min, max] (or [min, max] when
// `min_inclusive`); nullopt when absent. `path` prefixes the error ("$").
Result<std::optional<double>> JsonNumberAt(const codec::Json& j, const std::string& key, const std::string& path,
                                           double min, double max, bool min_inclusive = false);
// The version in an If-Match header ("7", 7 or W/"7": the ETag last seen),
// nullopt without one; InvalidArgument naming If-Match when malformed.
Result<std::optional<int64_t>> ExpectedVersion(const HttpRequest& req);

// The Idempotency-Key header ("" if none); InvalidArgument when longer
// than 128 characters.
Result<std::string> IdempotencyKey(const Call& c);

// Whether `party` may see event `e`: one its own people recorded, one about
// an order it is requester or supplier of, or one about one of its users.
Result<bool> EventVisibleTo(storage::Transaction& txn, const audit::Event& e, const std::string& party);

// Prometheus gauges read from the database: open orders by state and ledger
// totals by currency.
std::string OrderAndLedgerGauges(storage::Transaction& txn);

}  // namespace relos::server

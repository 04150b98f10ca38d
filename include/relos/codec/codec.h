// The JSON mapping of every relos domain type, both ways. This is the one
// adapter between the domain and nlohmann-json: domain headers never include
// JSON; the HTTP layer, the registry files and the SQLite documents all go
// through these functions, so a field is spelled the same everywhere.
//
// The schema (docs/registry-format.md): an object's keys are exactly the C++
// member names; Money is "1234.56 INR"; Quantity is "12.5 tonne"; Timestamp
// is ISO 8601 UTC; enums use the Name() spellings; GeoPosition is
// {"lat": .., "lon": ..}; enum-keyed maps use the Name() spelling as key.
// Decoding refuses unknown keys, wrong JSON types and out-of-range values
// with InvalidArgument whose message starts with the JSON path of the value
// ("$.facilities[3].berths[0].max_draught_m: must be a number > 0") and whose
// reason() is the field name ("max_draught_m").
//
// Encoding always emits every field except empty std::optional members, so
// Canonical(ToJson(x)) is a complete, deterministic image of x.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "relos/audit/event.h"
#include "relos/core/status.h"
#include "relos/orders/order.h"
#include "relos/registry/registry.h"

namespace relos::codec {

using Json = nlohmann::json;

// ---- Encoding. Never fails.
Json ToJson(const registry::Party& v);
Json ToJson(const registry::AgreementTerms& v);
Json ToJson(const registry::Agreement& v);
Json ToJson(const registry::CatalogItem& v);
Json ToJson(const registry::FuelCompatibility& v);
Json ToJson(const registry::Berth& v);
Json ToJson(const registry::FuelStock& v);
Json ToJson(const registry::PriceEntry& v);
Json ToJson(const registry::Facility& v);
Json ToJson(const registry::Unit& v);
Json ToJson(const registry::RegistryData& v);
Json ToJson(const orders::Actor& v);
Json ToJson(const orders::OrderLine& v);
Json ToJson(const orders::OrderStep& v);
Json ToJson(const orders::Order& v);
Json ToJson(const audit::Event& v);

// ---- Decoding. `path` is the JSON path of `j` in its document ("$" for a
// whole document, "$.parties[0]" for an element), used to prefix errors.
// Every error is InvalidArgument as described above. Fields that may be
// omitted (collections, std::optional members, free text, and the members
// whose defaults docs/registry-format.md lists) take the C++ default; every
// other member is required ("$.parties[0].name: is required"). A JSON null is
// the same as an omitted optional field and a wrong type for a required one.
Result<registry::Party> PartyFromJson(const Json& j, const std::string& path);
Result<registry::AgreementTerms> AgreementTermsFromJson(const Json& j, const std::string& path);
Result<registry::Agreement> AgreementFromJson(const Json& j, const std::string& path);
Result<registry::CatalogItem> CatalogItemFromJson(const Json& j, const std::string& path);
Result<registry::FuelCompatibility> FuelCompatibilityFromJson(const Json& j, const std::string& path);
Result<registry::Facility> FacilityFromJson(const Json& j, const std::string& path);
Result<registry::Unit> UnitFromJson(const Json& j, const std::string& path);
Result<registry::RegistryData> RegistryDataFromJson(const Json& j, const std::string& path);
Result<orders::Actor> ActorFromJson(const Json& j, const std::string& path);
Result<orders::OrderLine> OrderLineFromJson(const Json& j, const std::string& path);
Result<orders::Order> OrderFromJson(const Json& j, const std::string& path);
Result<audit::Event> EventFromJson(const Json& j, const std::string& path);

// The canonical text of j: compact (no white space), object keys sorted by
// their UTF-8 bytes, numbers in nlohmann's shortest round-trip form. The
// audit chain hashes this text, so it must never change for a given value.
// Strings that are not valid UTF-8 (only possible for JSON built in code;
// parsed JSON is validated) have the bad bytes replaced by U+FFFD rather
// than throwing.
std::string Canonical(const Json& j);

}  // namespace relos::codec

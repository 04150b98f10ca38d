#include "relos/codec/codec.h"

#include "json_decode.h"

namespace relos::codec {

using internal::Decode;
using internal::ObjectReader;
using internal::Path;
using internal::Range;

namespace {

Json Enc(const std::string& v) { return v; }
Json Enc(int64_t v) { return v; }
Json Enc(const Money& v) { return v.ToString(); }
Json Enc(const Quantity& v) { return v.ToString(); }
Json Enc(const Timestamp& v) { return v.ToIso8601(); }
Json Enc(const Currency& v) { return v.code(); }
Json Enc(UnitOfMeasure v) { return std::string(UnitOfMeasureName(v)); }
Json Enc(const GeoPosition& v) { return Json{{"lat", v.lat}, {"lon", v.lon}}; }
template <typename E>
  requires std::is_enum_v<E>
Json Enc(E v) {
  using registry::Name;
  using orders::Name;
  return std::string(Name(v));
}

template <typename T>
Json Enc(const std::vector<T>& v) {
  Json out = Json::array();
  for (const auto& x : v) out.push_back(ToJson(x));
  return out;
}

template <typename T>
Json EncSet(const std::set<T>& v) {
  Json out = Json::array();
  for (const auto& x : v) out.push_back(Enc(x));
  return out;
}

template <typename K, typename V>
Json EncMap(const std::map<K, V>& m) {
  Json out = Json::object();
  for (const auto& [k, v] : m) out[Enc(k).template get<std::string>()] = Enc(v);
  return out;
}

// Empty optionals are left out rather than written as null, so a document
// has one spelling for "not set".
template <typename T>
void EncOptional(Json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = Enc(*v);
}

// Maps of counts (capacities, notice hours) take only values >= 0.
template <typename K>
Status CheckCounts(const std::map<K, int64_t>& m, const Path& at) {
  for (const auto& [k, v] : m) {
    if (v < 0) return at.Entry(Enc(k).template get<std::string>()).Error("must be a whole number >= 0");
  }
  return OkStatus();
}

// The public FromJson functions: decode at `path`.
template <typename T>
Result<T> FromJson(const Json& j, const std::string& path) {
  T v{};
  RETURN_IF_ERROR(Decode(j, internal::RootPath(path), &v));
  return v;
}

}  // namespace

// ---- Encoding.

Json ToJson(const registry::Party& v) {
  return Json{{"code", v.code}, {"name", v.name}, {"currency", Enc(v.currency)}};
}

Json ToJson(const registry::AgreementTerms& v) {
  return Json{{"eligible_purposes", EncSet(v.eligible_purposes)},
              {"eligible_categories", EncSet(v.eligible_categories)},
              {"excluded_categories", EncSet(v.excluded_categories)},
              {"excluded_items", EncSet(v.excluded_items)},
              {"min_notice_hours", EncMap(v.min_notice_hours)},
              {"max_stay_days", v.max_stay_days},
              {"max_presence_days_per_year", v.max_presence_days_per_year},
              {"settlement_modes", EncSet(v.settlement_modes)},
              {"settlement_currency", Enc(v.settlement_currency)},
              {"payment_term_days", v.payment_term_days},
              {"rik_return_days", v.rik_return_days},
              {"annual_ceiling", EncMap(v.annual_ceiling)},
              {"ceiling_exempt_purposes", EncSet(v.ceiling_exempt_purposes)}};
}

Json ToJson(const registry::Agreement& v) {
  return Json{{"code", v.code},
              {"title", v.title},
              {"party_a", v.party_a},
              {"party_b", v.party_b},
              {"effective_from", Enc(v.effective_from)},
              {"effective_to", Enc(v.effective_to)},
              {"terms", ToJson(v.terms)}};
}

Json ToJson(const registry::CatalogItem& v) {
  Json j{{"code", v.code}, {"name", v.name}, {"category", Enc(v.category)}, {"unit", Enc(v.unit)}};
  EncOptional(j, "fuel_grade", v.fuel_grade);
  return j;
}

Json ToJson(const registry::FuelCompatibility& v) {
  return Json{{"unit_grade", v.unit_grade},
              {"supplied_grade", v.supplied_grade},
              {"level", Enc(v.level)},
              {"note", v.note}};
}

Json ToJson(const registry::Berth& v) {
  return Json{{"id", v.id}, {"length_m", v.length_m}, {"max_draught_m", v.max_draught_m}};
}

Json ToJson(const registry::FuelStock& v) {
  return Json{{"grade", v.grade}, {"on_hand", Enc(v.on_hand)}, {"capacity", Enc(v.capacity)}};
}

Json ToJson(const registry::PriceEntry& v) {
  return Json{{"item", v.item}, {"unit_price", Enc(v.unit_price)}, {"valid_from", Enc(v.valid_from)}};
}

Json ToJson(const registry::Facility& v) {
  return Json{{"code", v.code},
              {"name", v.name},
              {"owner", v.owner},
              {"kind", Enc(v.kind)},
              {"position", Enc(v.position)},
              {"berths", Enc(v.berths)},
              {"capacities", EncMap(v.capacities)},
              {"fuel", Enc(v.fuel)},
              {"prices", Enc(v.prices)},
              {"illustrative", v.illustrative}};
}

Json ToJson(const registry::Unit& v) {
  return Json{{"code", v.code},
              {"name", v.name},
              {"owner", v.owner},
              {"kind", Enc(v.kind)},
              {"length_m", v.length_m},
              {"beam_m", v.beam_m},
              {"draught_m", v.draught_m},
              {"fuel_grade", v.fuel_grade},
              {"fuel_capacity", Enc(v.fuel_capacity)},
              {"consumption_per_hour", Enc(v.consumption_per_hour)},
              {"cruise_speed_kn", v.cruise_speed_kn},
              {"max_speed_kn", v.max_speed_kn},
              {"personnel", v.personnel}};
}

Json ToJson(const registry::RegistryData& v) {
  return Json{{"parties", Enc(v.parties)},
              {"agreements", Enc(v.agreements)},
              {"catalogue", Enc(v.catalogue)},
              {"fuel_compatibility", Enc(v.fuel_compatibility)},
              {"facilities", Enc(v.facilities)},
              {"units", Enc(v.units)}};
}

Json ToJson(const orders::Actor& v) { return Json{{"party", v.party}, {"role", Enc(v.role)}, {"name", v.name}}; }

Json ToJson(const orders::OrderLine& v) {
  Json j{{"line_no", v.line_no},
         {"item", v.item},
         {"requested", Enc(v.requested)},
         {"window_start", Enc(v.window_start)},
         {"window_end", Enc(v.window_end)},
         {"note", v.note},
         {"discrepancy", v.discrepancy},
         {"verdict", Enc(v.verdict)},
         {"dispute_reason", v.dispute_reason},
         {"document_sha256", v.document_sha256}};
  EncOptional(j, "approved", v.approved);
  EncOptional(j, "unit_price", v.unit_price);
  EncOptional(j, "delivered", v.delivered);
  EncOptional(j, "receipted", v.receipted);
  return j;
}

Json ToJson(const orders::OrderStep& v) {
  return Json{{"to", Enc(v.to)}, {"actor", ToJson(v.actor)}, {"at", Enc(v.at)}, {"remark", v.remark}};
}

Json ToJson(const orders::Order& v) {
  return Json{{"id", v.id},
              {"number", v.number},
              {"agreement", v.agreement},
              {"requester", v.requester},
              {"supplier", v.supplier},
              {"unit", v.unit},
              {"facility", v.facility},
              {"purpose", Enc(v.purpose)},
              {"settlement", Enc(v.settlement)},
              {"exercise", v.exercise},
              {"lines", Enc(v.lines)},
              {"state", Enc(v.state)},
              {"history", Enc(v.history)},
              {"idempotency_key", v.idempotency_key},
              {"content_hash", v.content_hash},
              {"version", v.version},
              {"created_at", Enc(v.created_at)},
              {"updated_at", Enc(v.updated_at)}};
}

Json ToJson(const audit::Event& v) {
  return Json{{"seq", v.seq},
              {"at", Enc(v.at)},
              {"actor_party", v.actor_party},
              {"actor_role", v.actor_role},
              {"actor_name", v.actor_name},
              {"kind", v.kind},
              {"subject", v.subject},
              {"payload", v.payload},
              {"prev_hash", v.prev_hash},
              {"hash", v.hash}};
}

std::string Canonical(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// ---- Decoding. Each reader lists every member; which are required is the
// schema documented in docs/registry-format.md.

namespace internal {

Status Decode(const Json& j, const Path& at, registry::Party* out) {
  ObjectReader r(j, at);
  r.Required("code", &out->code);
  r.Required("name", &out->name);
  r.Required("currency", &out->currency);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, registry::AgreementTerms* out) {
  ObjectReader r(j, at);
  r.Optional("eligible_purposes", &out->eligible_purposes);
  r.Optional("eligible_categories", &out->eligible_categories);
  r.Optional("excluded_categories", &out->excluded_categories);
  r.Optional("excluded_items", &out->excluded_items);
  r.Optional("min_notice_hours", &out->min_notice_hours);
  r.Count("max_stay_days", Range::kNonNegative, &out->max_stay_days, false);
  r.Count("max_presence_days_per_year", Range::kNonNegative, &out->max_presence_days_per_year, false);
  r.Optional("settlement_modes", &out->settlement_modes);
  r.Required("settlement_currency", &out->settlement_currency);
  r.Count("payment_term_days", Range::kNonNegative, &out->payment_term_days, false);
  r.Count("rik_return_days", Range::kNonNegative, &out->rik_return_days, false);
  r.Optional("annual_ceiling", &out->annual_ceiling);
  r.Optional("ceiling_exempt_purposes", &out->ceiling_exempt_purposes);
  RETURN_IF_ERROR(r.Finish());
  return CheckCounts(out->min_notice_hours, at.Key("min_notice_hours"));
}

Status Decode(const Json& j, const Path& at, registry::Agreement* out) {
  ObjectReader r(j, at);
  r.Required("code", &out->code);
  r.Required("title", &out->title);
  r.Required("party_a", &out->party_a);
  r.Required("party_b", &out->party_b);
  r.Required("effective_from", &out->effective_from);
  r.Required("effective_to", &out->effective_to);
  r.Required("terms", &out->terms);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, registry::CatalogItem* out) {
  ObjectReader r(j, at);
  r.Required("code", &out->code);
  r.Required("name", &out->name);
  r.Required("category", &out->category);
  r.Required("unit", &out->unit);
  r.Optional("fuel_grade", &out->fuel_grade);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, registry::FuelCompatibility* out) {
  ObjectReader r(j, at);
  r.Required("unit_grade", &out->unit_grade);
  r.Required("supplied_grade", &out->supplied_grade);
  r.Required("level", &out->level);
  r.Optional("note", &out->note);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, registry::Berth* out) {
  ObjectReader r(j, at);
  r.Required("id", &out->id);
  r.Number("length_m", Range::kPositive, &out->length_m, true);
  r.Number("max_draught_m", Range::kPositive, &out->max_draught_m, true);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, registry::FuelStock* out) {
  ObjectReader r(j, at);
  r.Required("grade", &out->grade);
  r.Required("on_hand", &out->on_hand);
  r.Required("capacity", &out->capacity);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, registry::PriceEntry* out) {
  ObjectReader r(j, at);
  r.Required("item", &out->item);
  r.Required("unit_price", &out->unit_price);
  r.Required("valid_from", &out->valid_from);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, registry::Facility* out) {
  ObjectReader r(j, at);
  r.Required("code", &out->code);
  r.Required("name", &out->name);
  r.Required("owner", &out->owner);
  r.Required("kind", &out->kind);
  r.Required("position", &out->position);
  r.Optional("berths", &out->berths);
  r.Optional("capacities", &out->capacities);
  r.Optional("fuel", &out->fuel);
  r.Optional("prices", &out->prices);
  r.Optional("illustrative", &out->illustrative);
  RETURN_IF_ERROR(r.Finish());
  return CheckCounts(out->capacities, at.Key("capacities"));
}

Status Decode(const Json& j, const Path& at, registry::Unit* out) {
  ObjectReader r(j, at);
  r.Required("code", &out->code);
  r.Required("name", &out->name);
  r.Required("owner", &out->owner);
  r.Required("kind", &out->kind);
  // A contingent has no hull and no engines: dimensions, fuel and speeds may
  // be omitted (0) but are never negative.
  r.Number("length_m", Range::kNonNegative, &out->length_m, false);
  r.Number("beam_m", Range::kNonNegative, &out->beam_m, false);
  r.Number("draught_m", Range::kNonNegative, &out->draught_m, false);
  r.Optional("fuel_grade", &out->fuel_grade);
  r.Optional("fuel_capacity", &out->fuel_capacity);
  r.Optional("consumption_per_hour", &out->consumption_per_hour);
  r.Number("cruise_speed_kn", Range::kNonNegative, &out->cruise_speed_kn, false);
  r.Number("max_speed_kn", Range::kNonNegative, &out->max_speed_kn, false);
  r.Count("personnel", Range::kNonNegative, &out->personnel, false);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, registry::RegistryData* out) {
  ObjectReader r(j, at);
  r.Optional("parties", &out->parties);
  r.Optional("agreements", &out->agreements);
  r.Optional("catalogue", &out->catalogue);
  r.Optional("fuel_compatibility", &out->fuel_compatibility);
  r.Optional("facilities", &out->facilities);
  r.Optional("units", &out->units);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, orders::Actor* out) {
  ObjectReader r(j, at);
  r.Required("party", &out->party);
  r.Required("role", &out->role);
  r.Required("name", &out->name);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, orders::OrderLine* out) {
  ObjectReader r(j, at);
  r.Required("line_no", &out->line_no);
  r.Required("item", &out->item);
  r.Required("requested", &out->requested);
  r.Required("window_start", &out->window_start);
  r.Required("window_end", &out->window_end);
  r.Optional("note", &out->note);
  r.Optional("approved", &out->approved);
  r.Optional("unit_price", &out->unit_price);
  r.Optional("delivered", &out->delivered);
  r.Optional("discrepancy", &out->discrepancy);
  r.Optional("verdict", &out->verdict);
  r.Optional("receipted", &out->receipted);
  r.Optional("dispute_reason", &out->dispute_reason);
  r.Optional("document_sha256", &out->document_sha256);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, orders::OrderStep* out) {
  ObjectReader r(j, at);
  r.Required("to", &out->to);
  r.Required("actor", &out->actor);
  r.Required("at", &out->at);
  r.Optional("remark", &out->remark);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, orders::Order* out) {
  ObjectReader r(j, at);
  r.Count("id", Range::kNonNegative, &out->id, true);
  r.Required("number", &out->number);
  r.Required("agreement", &out->agreement);
  r.Required("requester", &out->requester);
  r.Required("supplier", &out->supplier);
  r.Required("unit", &out->unit);
  r.Required("facility", &out->facility);
  r.Required("purpose", &out->purpose);
  r.Required("settlement", &out->settlement);
  r.Optional("exercise", &out->exercise);
  r.Optional("lines", &out->lines);
  r.Required("state", &out->state);
  r.Optional("history", &out->history);
  r.Optional("idempotency_key", &out->idempotency_key);
  r.Optional("content_hash", &out->content_hash);
  r.Count("version", Range::kNonNegative, &out->version, true);
  r.Required("created_at", &out->created_at);
  r.Required("updated_at", &out->updated_at);
  return r.Finish();
}

Status Decode(const Json& j, const Path& at, audit::Event* out) {
  ObjectReader r(j, at);
  r.Count("seq", Range::kPositive, &out->seq, true);
  r.Required("at", &out->at);
  r.Required("actor_party", &out->actor_party);
  r.Required("actor_role", &out->actor_role);
  r.Required("actor_name", &out->actor_name);
  r.Required("kind", &out->kind);
  r.Required("subject", &out->subject);
  r.Required("payload", &out->payload);
  r.Required("prev_hash", &out->prev_hash);
  r.Required("hash", &out->hash);
  return r.Finish();
}

}  // namespace internal

Result<registry::Party> PartyFromJson(const Json& j, const std::string& path) {
  return FromJson<registry::Party>(j, path);
}
Result<registry::AgreementTerms> AgreementTermsFromJson(const Json& j, const std::string& path) {
  return FromJson<registry::AgreementTerms>(j, path);
}
Result<registry::Agreement> AgreementFromJson(const Json& j, const std::string& path) {
  return FromJson<registry::Agreement>(j, path);
}
Result<registry::CatalogItem> CatalogItemFromJson(const Json& j, const std::string& path) {
  return FromJson<registry::CatalogItem>(j, path);
}
Result<registry::FuelCompatibility> FuelCompatibilityFromJson(const Json& j, const std::string& path) {
  return FromJson<registry::FuelCompatibility>(j, path);
}
Result<registry::Facility> FacilityFromJson(const Json& j, const std::string& path) {
  return FromJson<registry::Facility>(j, path);
}
Result<registry::Unit> UnitFromJson(const Json& j, const std::string& path) {
  return FromJson<registry::Unit>(j, path);
}
Result<registry::RegistryData> RegistryDataFromJson(const Json& j, const std::string& path) {
  return FromJson<registry::RegistryData>(j, path);
}
Result<orders::Actor> ActorFromJson(const Json& j, const std::string& path) {
  return FromJson<orders::Actor>(j, path);
}
Result<orders::OrderLine> OrderLineFromJson(const Json& j, const std::string& path) {
  return FromJson<orders::OrderLine>(j, path);
}
Result<orders::Order> OrderFromJson(const Json& j, const std::string& path) {
  return FromJson<orders::Order>(j, path);
}
Result<audit::Event> EventFromJson(const Json& j, const std::string& path) {
  return FromJson<audit::Event>(j, path);
}

}  // namespace relos::codec

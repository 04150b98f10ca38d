// Fully populated sample values of every domain type, shared by the codec
// tests and the storage conformance suite. Every member is set to a value
// other than its default, so a codec or store that drops a field fails an
// equality check. Header-only so any test binary can use it.
#pragma once

#include <string>

#include "relos/audit/event.h"
#include "relos/core/money.h"
#include "relos/core/quantity.h"
#include "relos/core/time.h"
#include "relos/orders/order.h"
#include "relos/registry/registry.h"

namespace relos::testing {

inline Timestamp T(const char* iso) { return Timestamp::Parse(iso).value(); }
inline Money M(const char* text) { return Money::Parse(text).value(); }
inline Quantity Q(const char* text) { return Quantity::Parse(text).value(); }

inline registry::Party SampleParty(const std::string& code = "IN") {
  return registry::Party{code, "Republic of India", Currency::FromCode("INR").value()};
}

inline registry::Agreement SampleAgreement(const std::string& code = "RELOS-IN-RU") {
  using namespace registry;
  Agreement a;
  a.code = code;
  a.title = "Agreement on Reciprocal Logistics Support";
  a.party_a = "IN";
  a.party_b = "RU";
  a.effective_from = T("2025-01-01");
  a.effective_to = T("2030-01-01");
  AgreementTerms& t = a.terms;
  t.eligible_purposes = {Purpose::kExercise, Purpose::kPortCall, Purpose::kHumanitarian};
  t.eligible_categories = {SupportCategory::kFuel, SupportCategory::kBerthing, SupportCategory::kMedical};
  t.excluded_categories = {SupportCategory::kWeapons, SupportCategory::kAmmunition};
  t.excluded_items = {"AMMO-76MM"};
  t.min_notice_hours = {{Purpose::kExercise, 720}, {Purpose::kPortCall, 168}};
  t.max_stay_days = 14;
  t.max_presence_days_per_year = 90;
  t.settlement_modes = {SettlementMode::kCash, SettlementMode::kReplacementInKind};
  t.settlement_currency = Currency::FromCode("USD").value();
  t.payment_term_days = 45;
  t.rik_return_days = 180;
  t.annual_ceiling = {{"IN", M("500000000.00 USD")}, {"RU", M("450000000.50 USD")}};
  t.ceiling_exempt_purposes = {Purpose::kHumanitarian, Purpose::kDisasterRelief};
  return a;
}

inline registry::CatalogItem SampleCatalogItem(const std::string& code = "FUEL-F76") {
  return registry::CatalogItem{code, "Marine diesel F-76", registry::SupportCategory::kFuel, UnitOfMeasure::kTonne,
                               std::string("F-76")};
}

inline registry::FuelCompatibility SampleFuelCompatibility() {
  return registry::FuelCompatibility{"F-76", "DMA", registry::FuelCompatibilityLevel::kWithAdditive,
                                     "lubricity additive at 200 ppm"};
}

inline registry::Facility SampleFacility(const std::string& code = "RU-VLD") {
  using namespace registry;
  Facility f;
  f.code = code;
  f.name = "Vladivostok, \"Golden Horn\" naval base";
  f.owner = "RU";
  f.kind = FacilityKind::kNavalBase;
  f.position = GeoPosition::Make(43.1056, 131.8735).value();
  f.berths = {{"B1", 250, 10.5}, {"B2", 180.25, 9}};
  f.capacities = {{CapacityKind::kBeds, 120}, {CapacityKind::kAircraftStands, 4}};
  f.fuel = {{"F-76", Q("1200.5 tonne"), Q("5000 tonne")}, {"F-44", Q("300 m3"), Q("800 m3")}};
  f.prices = {{"FUEL-F76", M("95000.00 RUB"), T("2025-01-01")},
              {"FUEL-F76", M("97500.25 RUB"), T("2025-07-01T12:30:00Z")}};
  f.illustrative = false;
  return f;
}

inline registry::Unit SampleUnit(const std::string& code = "IN-INS-TABAR") {
  registry::Unit u;
  u.code = code;
  u.name = "INS Tabar (F44)";
  u.owner = "IN";
  u.kind = registry::UnitKind::kShip;
  u.length_m = 124.8;
  u.beam_m = 15.2;
  u.draught_m = 4.2;
  u.fuel_grade = "F-76";
  u.fuel_capacity = Q("500 tonne");
  u.consumption_per_hour = Q("1.25 tonne");
  u.cruise_speed_kn = 14;
  u.max_speed_kn = 30;
  u.personnel = 180;
  return u;
}

inline orders::Order SampleOrder(const std::string& number = "RELOS-IN-RU-2025-000001",
                                 const std::string& idempotency_key = "req-0001") {
  using namespace orders;
  Order o;
  o.id = 0;
  o.number = number;
  o.agreement = "RELOS-IN-RU";
  o.requester = "IN";
  o.supplier = "RU";
  o.unit = "IN-INS-TABAR";
  o.facility = "RU-VLD";
  o.purpose = registry::Purpose::kExercise;
  o.settlement = registry::SettlementMode::kReplacementInKind;
  o.exercise = "INDRA-2025";
  OrderLine fuel;
  fuel.line_no = 1;
  fuel.item = "FUEL-F76";
  fuel.requested = Q("250 tonne");
  fuel.window_start = T("2025-08-01T06:00:00Z");
  fuel.window_end = T("2025-08-01T18:00:00Z");
  fuel.note = "alongside B1";
  fuel.approved = Q("200 tonne");
  fuel.unit_price = M("95000.00 RUB");
  fuel.delivered = Q("201.5 tonne");
  fuel.discrepancy = "meter tolerance";
  fuel.verdict = ReceiptVerdict::kDisputed;
  fuel.receipted = Q("200 tonne");
  fuel.dispute_reason = "1.5 tonne not received";
  fuel.document_sha256 = std::string(64, 'a');
  OrderLine berth;  // a line with the optional members left empty
  berth.line_no = 2;
  berth.item = "BERTH-DAY";
  berth.requested = Q("3 berth-day");
  berth.window_start = T("2025-08-01");
  berth.window_end = T("2025-08-04");
  o.lines = {fuel, berth};
  o.state = OrderState::kReceipted;
  o.history = {OrderStep{OrderState::kSubmitted, Actor{"IN", Role::kRequester, "Lt Rao"}, T("2025-06-01T09:00:00Z"), ""},
               OrderStep{OrderState::kApproved, Actor{"RU", Role::kApprover, "Kapitan Petrov"},
                         T("2025-06-03T10:15:00Z"), "partial: 200 t"}};
  o.idempotency_key = idempotency_key;
  o.content_hash = std::string(64, 'b');
  o.version = 4;
  o.created_at = T("2025-06-01T08:59:00Z");
  o.updated_at = T("2025-08-02T07:00:00Z");
  return o;
}

inline audit::Event SampleEvent(int64_t seq = 1) {
  audit::Event e;
  e.seq = seq;
  e.at = T("2025-06-01T09:00:00Z").PlusSeconds(seq);
  e.actor_party = "IN";
  e.actor_role = "requester";
  e.actor_name = "Lt Rao";
  e.kind = "order.created";
  e.subject = "order/" + std::to_string(seq);
  e.payload = R"({"id":)" + std::to_string(seq) + "}";
  e.prev_hash = seq == 1 ? std::string(audit::kGenesisHash) : std::string(64, 'c');
  e.hash = std::string(63, 'd') + std::to_string(seq % 10);
  return e;
}

inline registry::RegistryData SampleRegistry() {
  registry::RegistryData d;
  d.parties = {SampleParty("IN"), registry::Party{"RU", "Russian Federation", Currency::FromCode("RUB").value()}};
  d.agreements = {SampleAgreement()};
  d.catalogue = {SampleCatalogItem(),
                 registry::CatalogItem{"BERTH-DAY", "Berth", registry::SupportCategory::kBerthing,
                                       UnitOfMeasure::kBerthDay, std::nullopt}};
  d.fuel_compatibility = {SampleFuelCompatibility()};
  registry::Facility port = SampleFacility("IN-MUM");
  port.owner = "IN";
  port.kind = registry::FacilityKind::kPort;
  port.position = GeoPosition::Make(18.9333, 72.85).value();
  port.berths.clear();
  port.capacities.clear();
  port.fuel.clear();
  port.prices.clear();
  port.illustrative = true;
  d.facilities = {SampleFacility(), port};
  registry::Unit contingent;  // a contingent: no hull, no fuel
  contingent.code = "RU-MED-1";
  contingent.name = "Medical detachment";
  contingent.owner = "RU";
  contingent.kind = registry::UnitKind::kContingent;
  contingent.personnel = 40;
  d.units = {SampleUnit(), contingent};
  return d;
}

}  // namespace relos::testing

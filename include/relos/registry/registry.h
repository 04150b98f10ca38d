// The registry: who the parties are, what they agreed, where support can be
// given (facilities with capacities, stocks and price lists), what can be
// asked for (the catalogue, with fuel-grade interchangeability) and who asks
// (units: ships, aircraft, contingents). Plain value types; validation lives
// in registry_validation.h, persistence behind storage/store.h.
//
// Codes are the identity of registry objects: party "IN", agreement
// "RELOS-IN-RU", facility "RU-VLD", item "FUEL-F76", unit "IN-INS-TABAR".
//
// Thread-safety: values.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/money.h"
#include "relos/core/quantity.h"
#include "relos/core/time.h"

namespace relos::registry {

enum class Purpose { kExercise, kTraining, kPortCall, kTransit, kHumanitarian, kDisasterRelief, kOtherAgreed };

enum class SupportCategory {
  kFuel,
  kBerthing,
  kMaintenance,  // maintenance and repair
  kSupplies,
  kMedical,
  kAccommodation,
  kTransport,
  kTraining,
  kCommunications,
  kStorage,
  kWeapons,     // catalogued so that agreements can exclude them
  kAmmunition,  // idem
};

enum class SettlementMode { kCash, kReplacementInKind, kEqualValueExchange };

enum class FacilityKind { kNavalBase, kPort, kAirbase, kDepot, kHospital };

enum class UnitKind { kShip, kAircraft, kContingent };

// Time-indexed capacities a facility offers besides berths and fuel.
enum class CapacityKind { kAircraftStands, kMaintenanceBays, kBeds, kAccommodation };

// When a supplied fuel grade may replace the grade a unit burns.
enum class FuelCompatibilityLevel { kFull, kWithAdditive, kEmergencyOnly };

// Enum <-> text, the spellings used in files, the CLI and the API
// ("exercise", "port-call", "disaster-relief", "maintenance", "naval-base",
// "replacement-in-kind"...). Parse* return InvalidArgument naming the value.
std::string_view Name(Purpose v);
std::string_view Name(SupportCategory v);
std::string_view Name(SettlementMode v);
std::string_view Name(FacilityKind v);
std::string_view Name(UnitKind v);
std::string_view Name(CapacityKind v);
std::string_view Name(FuelCompatibilityLevel v);
Result<Purpose> ParsePurpose(std::string_view s);
Result<SupportCategory> ParseSupportCategory(std::string_view s);
Result<SettlementMode> ParseSettlementMode(std::string_view s);
Result<FacilityKind> ParseFacilityKind(std::string_view s);
Result<UnitKind> ParseUnitKind(std::string_view s);
Result<CapacityKind> ParseCapacityKind(std::string_view s);
Result<FuelCompatibilityLevel> ParseFuelCompatibilityLevel(std::string_view s);

struct Party {
  std::string code;  // "IN", "RU": upper-case letters, 2..8
  std::string name;
  Currency currency;  // the currency its price lists are in
  friend bool operator==(const Party&, const Party&) = default;
};

struct AgreementTerms {
  std::set<Purpose> eligible_purposes;
  std::set<SupportCategory> eligible_categories;
  std::set<SupportCategory> excluded_categories;
  std::set<std::string> excluded_items;  // item codes
  // Minimum hours between submission and the start of the requested window,
  // per purpose; a purpose absent here needs no notice.
  std::map<Purpose, int64_t> min_notice_hours;
  int64_t max_stay_days = 0;                   // per visit; 0 = no limit
  int64_t max_presence_days_per_year = 0;      // per facility, per party, per calendar year; 0 = no limit
  std::set<SettlementMode> settlement_modes;
  Currency settlement_currency;
  int64_t payment_term_days = 30;              // cash bills due after
  int64_t rik_return_days = 365;               // replacement-in-kind deadline
  std::map<std::string, Money> annual_ceiling;  // per requesting party code, in settlement currency
  std::set<Purpose> ceiling_exempt_purposes;
  friend bool operator==(const AgreementTerms&, const AgreementTerms&) = default;
};

struct Agreement {
  std::string code;
  std::string title;
  std::string party_a;
  std::string party_b;
  Timestamp effective_from;
  Timestamp effective_to;  // exclusive
  AgreementTerms terms;

  bool Binds(const std::string& party) const { return party == party_a || party == party_b; }
  bool InForceAt(Timestamp t) const { return effective_from <= t && t < effective_to; }
  // The other party; precondition: Binds(party).
  const std::string& PartnerOf(const std::string& party) const { return party == party_a ? party_b : party_a; }
  friend bool operator==(const Agreement&, const Agreement&) = default;
};

struct Berth {
  std::string id;  // unique within the facility
  double length_m = 0;
  double max_draught_m = 0;
  friend bool operator==(const Berth&, const Berth&) = default;
};

struct FuelStock {
  std::string grade;  // "F-76"
  Quantity on_hand;   // opening stock
  Quantity capacity;  // tank capacity
  friend bool operator==(const FuelStock&, const FuelStock&) = default;
};

// One entry of a facility's price list. Prices are reciprocal: what the
// owner charges its own forces. A later entry for the same item supersedes
// an earlier one from its valid_from date.
struct PriceEntry {
  std::string item;  // catalogue code
  Money unit_price;  // per one catalogue unit of the item
  Timestamp valid_from;
  friend bool operator==(const PriceEntry&, const PriceEntry&) = default;
};

struct Facility {
  std::string code;
  std::string name;
  std::string owner;  // party code
  FacilityKind kind = FacilityKind::kPort;
  GeoPosition position;
  std::vector<Berth> berths;
  std::map<CapacityKind, int64_t> capacities;  // count of stands, bays, beds, places
  std::vector<FuelStock> fuel;
  std::vector<PriceEntry> prices;
  bool illustrative = true;  // capacities, stocks and prices are placeholders

  // The price in force at `at` for `item`, or NotFound if the facility does
  // not offer it then.
  Result<Money> PriceAt(const std::string& item, Timestamp at) const;
  bool Offers(const std::string& item) const;
  const FuelStock* FindFuel(const std::string& grade) const;
  friend bool operator==(const Facility&, const Facility&) = default;
};

struct CatalogItem {
  std::string code;
  std::string name;
  SupportCategory category = SupportCategory::kSupplies;
  UnitOfMeasure unit = UnitOfMeasure::kEach;  // unit of issue and of the price
  std::optional<std::string> fuel_grade;      // set for fuel items
  friend bool operator==(const CatalogItem&, const CatalogItem&) = default;
};

struct FuelCompatibility {
  std::string unit_grade;      // what the unit burns
  std::string supplied_grade;  // what the facility supplies
  FuelCompatibilityLevel level = FuelCompatibilityLevel::kFull;
  std::string note;
  friend bool operator==(const FuelCompatibility&, const FuelCompatibility&) = default;
};

struct Unit {
  std::string code;
  std::string name;
  std::string owner;  // party code
  UnitKind kind = UnitKind::kShip;
  double length_m = 0;
  double beam_m = 0;
  double draught_m = 0;
  std::string fuel_grade;
  Quantity fuel_capacity;        // tonnes for ships, litres or kg for aircraft
  Quantity consumption_per_hour; // at cruise speed, same dimension as capacity
  double cruise_speed_kn = 0;
  double max_speed_kn = 0;
  int64_t personnel = 0;
  friend bool operator==(const Unit&, const Unit&) = default;
};

// The whole registry, as imported or exported in one file.
struct RegistryData {
  std::vector<Party> parties;
  std::vector<Agreement> agreements;
  std::vector<CatalogItem> catalogue;
  std::vector<FuelCompatibility> fuel_compatibility;
  std::vector<Facility> facilities;
  std::vector<Unit> units;
};

// True if a unit burning `unit_grade` may take `supplied_grade` under normal
// operations (kFull or kWithAdditive). The same grade is always compatible.
// kEmergencyOnly entries are refused outside emergency purposes.
std::optional<FuelCompatibilityLevel> CompatibilityOf(const std::vector<FuelCompatibility>& table,
                                                      const std::string& unit_grade,
                                                      const std::string& supplied_grade);

}  // namespace relos::registry

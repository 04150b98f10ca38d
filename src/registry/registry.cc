#include "relos/registry/registry.h"

#include <array>
#include <utility>

namespace relos::registry {
namespace {

// One spelling table per enum; Name and Parse share it so they never drift.
template <typename E, size_t N>
using Spellings = std::array<std::pair<E, std::string_view>, N>;

constexpr Spellings<Purpose, 7> kPurposes = {{
    {Purpose::kExercise, "exercise"},
    {Purpose::kTraining, "training"},
    {Purpose::kPortCall, "port-call"},
    {Purpose::kTransit, "transit"},
    {Purpose::kHumanitarian, "humanitarian"},
    {Purpose::kDisasterRelief, "disaster-relief"},
    {Purpose::kOtherAgreed, "other-agreed"},
}};
constexpr Spellings<SupportCategory, 12> kCategories = {{
    {SupportCategory::kFuel, "fuel"},
    {SupportCategory::kBerthing, "berthing"},
    {SupportCategory::kMaintenance, "maintenance"},
    {SupportCategory::kSupplies, "supplies"},
    {SupportCategory::kMedical, "medical"},
    {SupportCategory::kAccommodation, "accommodation"},
    {SupportCategory::kTransport, "transport"},
    {SupportCategory::kTraining, "training"},
    {SupportCategory::kCommunications, "communications"},
    {SupportCategory::kStorage, "storage"},
    {SupportCategory::kWeapons, "weapons"},
    {SupportCategory::kAmmunition, "ammunition"},
}};
constexpr Spellings<SettlementMode, 3> kSettlementModes = {{
    {SettlementMode::kCash, "cash"},
    {SettlementMode::kReplacementInKind, "replacement-in-kind"},
    {SettlementMode::kEqualValueExchange, "equal-value-exchange"},
}};
constexpr Spellings<FacilityKind, 5> kFacilityKinds = {{
    {FacilityKind::kNavalBase, "naval-base"},
    {FacilityKind::kPort, "port"},
    {FacilityKind::kAirbase, "airbase"},
    {FacilityKind::kDepot, "depot"},
    {FacilityKind::kHospital, "hospital"},
}};
constexpr Spellings<UnitKind, 3> kUnitKinds = {{
    {UnitKind::kShip, "ship"},
    {UnitKind::kAircraft, "aircraft"},
    {UnitKind::kContingent, "contingent"},
}};
constexpr Spellings<CapacityKind, 4> kCapacityKinds = {{
    {CapacityKind::kAircraftStands, "aircraft-stands"},
    {CapacityKind::kMaintenanceBays, "maintenance-bays"},
    {CapacityKind::kBeds, "beds"},
    {CapacityKind::kAccommodation, "accommodation"},
}};
constexpr Spellings<FuelCompatibilityLevel, 3> kCompatibilityLevels = {{
    {FuelCompatibilityLevel::kFull, "full"},
    {FuelCompatibilityLevel::kWithAdditive, "with-additive"},
    {FuelCompatibilityLevel::kEmergencyOnly, "emergency-only"},
}};

template <typename E, size_t N>
std::string_view NameIn(const Spellings<E, N>& table, E v) {
  for (const auto& [e, s] : table) {
    if (e == v) return s;
  }
  RELOS_CHECK(false, "enum value missing from its spelling table");
  __builtin_unreachable();
}

template <typename E, size_t N>
Result<E> ParseIn(const Spellings<E, N>& table, std::string_view s, std::string_view what) {
  std::string expected;
  for (const auto& [e, name] : table) {
    if (name == s) return e;
    expected += (expected.empty() ? "" : ", ") + std::string(name);
  }
  return InvalidArgument("unknown " + std::string(what) + " '" + std::string(s) + "' (expected one of: " + expected + ")",
                         std::string(what));
}

}  // namespace

std::string_view Name(Purpose v) { return NameIn(kPurposes, v); }
std::string_view Name(SupportCategory v) { return NameIn(kCategories, v); }
std::string_view Name(SettlementMode v) { return NameIn(kSettlementModes, v); }
std::string_view Name(FacilityKind v) { return NameIn(kFacilityKinds, v); }
std::string_view Name(UnitKind v) { return NameIn(kUnitKinds, v); }
std::string_view Name(CapacityKind v) { return NameIn(kCapacityKinds, v); }
std::string_view Name(FuelCompatibilityLevel v) { return NameIn(kCompatibilityLevels, v); }
Result<Purpose> ParsePurpose(std::string_view s) { return ParseIn(kPurposes, s, "purpose"); }
Result<SupportCategory> ParseSupportCategory(std::string_view s) { return ParseIn(kCategories, s, "category"); }
Result<SettlementMode> ParseSettlementMode(std::string_view s) { return ParseIn(kSettlementModes, s, "settlement"); }
Result<FacilityKind> ParseFacilityKind(std::string_view s) { return ParseIn(kFacilityKinds, s, "facility kind"); }
Result<UnitKind> ParseUnitKind(std::string_view s) { return ParseIn(kUnitKinds, s, "unit kind"); }
Result<CapacityKind> ParseCapacityKind(std::string_view s) { return ParseIn(kCapacityKinds, s, "capacity kind"); }
Result<FuelCompatibilityLevel> ParseFuelCompatibilityLevel(std::string_view s) {
  return ParseIn(kCompatibilityLevels, s, "compatibility level");
}

Result<Money> Facility::PriceAt(const std::string& item, Timestamp at) const {
  const PriceEntry* best = nullptr;
  for (const auto& p : prices) {
    if (p.item == item && p.valid_from <= at && (best == nullptr || p.valid_from >= best->valid_from)) best = &p;
  }
  if (best == nullptr) {
    return NotFound("facility " + code + " has no price for item " + item + " in force on " + at.DateString(),
                    "policy.facility_offers_item");
  }
  return best->unit_price;
}

bool Facility::Offers(const std::string& item) const {
  for (const auto& p : prices) {
    if (p.item == item) return true;
  }
  return false;
}

const FuelStock* Facility::FindFuel(const std::string& grade) const {
  for (const auto& f : fuel) {
    if (f.grade == grade) return &f;
  }
  return nullptr;
}

std::optional<FuelCompatibilityLevel> CompatibilityOf(const std::vector<FuelCompatibility>& table,
                                                      const std::string& unit_grade,
                                                      const std::string& supplied_grade) {
  if (unit_grade == supplied_grade) return FuelCompatibilityLevel::kFull;
  for (const auto& row : table) {
    if (row.unit_grade == unit_grade && row.supplied_grade == supplied_grade) return row.level;
  }
  return std::nullopt;
}

}  // namespace relos::registry

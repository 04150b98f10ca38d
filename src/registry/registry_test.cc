// Registry validation (each failure names the object and field) and the
// registry service's import: who may change what, merge counts, and that
// an unchanged or refused import appends nothing.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "orders/testing/fixture.h"
#include "relos/registry/registry_service.h"
#include "relos/registry/validation.h"
#include "relos/storage/memory_store.h"

namespace relos::registry {
namespace {

using orders::Role;
using relos::testing::As;
using relos::testing::IsError;
using relos::testing::M;
using relos::testing::Q;
using relos::testing::T;
using relos::testing::TestRegistry;

Facility& Ru(RegistryData& d) { return d.facilities[0]; }
Unit& Ship(RegistryData& d) { return d.units[0]; }
AgreementTerms& Terms(RegistryData& d) { return d.agreements[0].terms; }

struct BadRegistry {
  std::function<void(RegistryData&)> spoil;
  std::string path;    // the message starts with "<path>: "
  std::string reason;  // the field
};

TEST(ValidateRegistryTest, TheTestRegistryIsValid) { RELOS_ASSERT_OK(ValidateRegistry(TestRegistry())); }

TEST(ValidateRegistryTest, EachFailureNamesTheObjectAndField) {
  const Currency usd = Currency::FromCode("USD").value();
  const std::vector<BadRegistry> cases = {
      {[](auto& d) { d.parties[0].code = ""; }, "parties.code", "code"},
      {[](auto& d) { d.parties[1].code = "IN"; }, "parties[IN].code", "code"},
      {[](auto& d) { d.units[1].code = d.units[0].code; }, "units[IN-SHIP].code", "code"},
      {[](auto& d) { d.parties[0].currency = Currency(); }, "parties[IN].currency", "currency"},
      {[](auto& d) { d.parties[1].name = ""; }, "parties[RU].name", "name"},
      {[](auto& d) { d.catalogue[3].name = ""; }, "catalogue[BERTH-DAY].name", "name"},
      {[](auto& d) { d.catalogue[0].fuel_grade.reset(); }, "catalogue[FUEL-F76].fuel_grade", "fuel_grade"},
      {[](auto& d) { d.catalogue[0].unit = UnitOfMeasure::kBerthDay; }, "catalogue[FUEL-F76].unit", "unit"},
      {[](auto& d) { d.catalogue[4].fuel_grade = "F-76"; }, "catalogue[WATER].fuel_grade", "fuel_grade"},
      {[](auto& d) { d.fuel_compatibility[1].unit_grade = "JP-8"; }, "fuel_compatibility[1].unit_grade", "unit_grade"},
      {[](auto& d) { d.fuel_compatibility[0].supplied_grade = "JP-8"; }, "fuel_compatibility[0].supplied_grade",
       "supplied_grade"},
      {[](auto& d) { d.agreements[0].party_a = "CN"; }, "agreements[RELOS-TEST].party_a", "party_a"},
      {[](auto& d) { d.agreements[0].party_b = "IN"; }, "agreements[RELOS-TEST].party_b", "party_b"},
      {[](auto& d) { d.agreements[0].effective_to = d.agreements[0].effective_from; },
       "agreements[RELOS-TEST].effective_to", "effective_to"},
      {[](auto& d) { Terms(d).settlement_currency = Currency(); }, "agreements[RELOS-TEST].terms.settlement_currency",
       "terms.settlement_currency"},
      {[](auto& d) { Terms(d).settlement_modes.clear(); }, "agreements[RELOS-TEST].terms.settlement_modes",
       "terms.settlement_modes"},
      {[](auto& d) { Terms(d).eligible_purposes.clear(); }, "agreements[RELOS-TEST].terms.eligible_purposes",
       "terms.eligible_purposes"},
      {[](auto& d) { Terms(d).eligible_categories.clear(); }, "agreements[RELOS-TEST].terms.eligible_categories",
       "terms.eligible_categories"},
      {[](auto& d) { Terms(d).max_stay_days = -1; }, "agreements[RELOS-TEST].terms.max_stay_days",
       "terms.max_stay_days"},
      {[](auto& d) { Terms(d).max_presence_days_per_year = -1; },
       "agreements[RELOS-TEST].terms.max_presence_days_per_year", "terms.max_presence_days_per_year"},
      {[](auto& d) { Terms(d).payment_term_days = 0; }, "agreements[RELOS-TEST].terms.payment_term_days",
       "terms.payment_term_days"},
      {[](auto& d) { Terms(d).rik_return_days = 0; }, "agreements[RELOS-TEST].terms.rik_return_days",
       "terms.rik_return_days"},
      {[](auto& d) { Terms(d).min_notice_hours[Purpose::kExercise] = -1; },
       "agreements[RELOS-TEST].terms.min_notice_hours.exercise", "terms.min_notice_hours.exercise"},
      {[](auto& d) { Terms(d).excluded_items.insert("CAVIAR"); }, "agreements[RELOS-TEST].terms.excluded_items",
       "terms.excluded_items"},
      {[&](auto& d) { Terms(d).annual_ceiling["CN"] = Money(100, usd); },
       "agreements[RELOS-TEST].terms.annual_ceiling.CN", "terms.annual_ceiling.CN"},
      {[](auto& d) { Terms(d).annual_ceiling["IN"] = M("100.00 INR"); },
       "agreements[RELOS-TEST].terms.annual_ceiling.IN", "terms.annual_ceiling.IN"},
      {[&](auto& d) { Terms(d).annual_ceiling["RU"] = Money(-1, usd); },
       "agreements[RELOS-TEST].terms.annual_ceiling.RU", "terms.annual_ceiling.RU"},
      {[](auto& d) { Ru(d).owner = "CN"; }, "facilities[RU-VLD].owner", "owner"},
      {[](auto& d) { Ru(d).name = ""; }, "facilities[RU-VLD].name", "name"},
      {[](auto& d) { Ru(d).berths[1].id = "B1"; }, "facilities[RU-VLD].berths", "berths"},
      {[](auto& d) { Ru(d).berths[0].length_m = 0; }, "facilities[RU-VLD].berths[B1].length_m", "length_m"},
      {[](auto& d) { Ru(d).berths[1].max_draught_m = -2; }, "facilities[RU-VLD].berths[B2].max_draught_m",
       "max_draught_m"},
      {[](auto& d) { Ru(d).capacities[CapacityKind::kBeds] = -1; }, "facilities[RU-VLD].capacities.beds",
       "capacities.beds"},
      {[](auto& d) { Ru(d).fuel[0].grade = "JP-8"; }, "facilities[RU-VLD].fuel[JP-8].grade", "grade"},
      {[](auto& d) { Ru(d).fuel[0].on_hand = Q("2000.001 tonne"); }, "facilities[RU-VLD].fuel[F-76].on_hand",
       "on_hand"},
      {[](auto& d) { Ru(d).fuel[0].on_hand = Q("20 m3"); }, "facilities[RU-VLD].fuel[F-76].on_hand", "on_hand"},
      {[](auto& d) { Ru(d).prices[2].item = "CAVIAR"; }, "facilities[RU-VLD].prices[2].item", "item"},
      {[](auto& d) { Ru(d).prices[1].unit_price = M("1.00 INR"); }, "facilities[RU-VLD].prices[1].unit_price",
       "unit_price"},
      {[](auto& d) { Ru(d).prices[0].unit_price = M("1.00 RUB").Negated(); },
       "facilities[RU-VLD].prices[0].unit_price", "unit_price"},
      {[](auto& d) { Ship(d).owner = "CN"; }, "units[IN-SHIP].owner", "owner"},
      {[](auto& d) { Ship(d).fuel_grade = "JP-8"; }, "units[IN-SHIP].fuel_grade", "fuel_grade"},
      {[](auto& d) { Ship(d).length_m = 0; }, "units[IN-SHIP].length_m", "length_m"},
      {[](auto& d) { Ship(d).draught_m = 0; }, "units[IN-SHIP].draught_m", "draught_m"},
      {[](auto& d) { Ship(d).fuel_capacity = Q("0 tonne"); }, "units[IN-SHIP].fuel_capacity", "fuel_capacity"},
      {[](auto& d) { Ship(d).consumption_per_hour = Q("100 litre"); }, "units[IN-SHIP].consumption_per_hour",
       "consumption_per_hour"},
      {[](auto& d) { Ship(d).cruise_speed_kn = 0; }, "units[IN-SHIP].cruise_speed_kn", "cruise_speed_kn"},
      {[](auto& d) { Ship(d).max_speed_kn = 10; }, "units[IN-SHIP].max_speed_kn", "max_speed_kn"},
  };
  for (const BadRegistry& c : cases) {
    RegistryData d = TestRegistry();
    c.spoil(d);
    const Status s = ValidateRegistry(d);
    EXPECT_TRUE(IsError(s, StatusCode::kInvalidArgument, c.reason)) << c.path;
    EXPECT_EQ(s.message().rfind(c.path + ": ", 0), 0u) << "want " << c.path << ", got " << s;
  }
}

TEST(ValidateRegistryTest, AContingentNeedsNoHullOrFuel) {
  RegistryData d = TestRegistry();
  Unit contingent;
  contingent.code = "IN-MED";
  contingent.name = "Medical team";
  contingent.owner = "IN";
  contingent.kind = UnitKind::kContingent;
  d.units.push_back(contingent);
  RELOS_ASSERT_OK(ValidateRegistry(d));
}

// ---- The service.

class RegistryServiceTest : public ::testing::Test {
 protected:
  Result<ImportSummary> Import(const orders::Actor& actor, const RegistryData& d) {
    return service_.Import(actor, d);
  }
  ::testing::AssertionResult SameSummary(const Result<ImportSummary>& r, int added, int changed, int unchanged) {
    if (!r.ok()) return ::testing::AssertionFailure() << r.status();
    if (r->added == added && r->changed == changed && r->unchanged == unchanged) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "added " << r->added << ", changed " << r->changed << ", unchanged "
                                         << r->unchanged;
  }
  int64_t Events() { return relos::testing::EventCount(store_); }

  storage::MemoryStore store_;
  FakeClock clock_{relos::testing::StartTime()};
  RegistryService service_{store_, clock_};
};

TEST_F(RegistryServiceTest, ImportMergesByCodeAndCountsWhatChanged) {
  // 2 parties, 1 agreement, 10 items, 2 facilities, 4 units; the fuel table
  // counts as one change.
  EXPECT_TRUE(SameSummary(Import(relos::testing::SystemActor(), TestRegistry()), 19, 1, 0));
  EXPECT_EQ(Events(), 20);

  // The same again: nothing to record.
  EXPECT_TRUE(SameSummary(Import(relos::testing::SystemActor(), TestRegistry()), 0, 0, 19));
  EXPECT_EQ(Events(), 20);

  // One price changed, one unit added, the rest as before.
  RegistryData d = TestRegistry();
  Ru(d).prices[4].unit_price = M("155000.00 RUB");
  Unit frigate = Ship(d);
  frigate.code = "IN-SHIP-2";
  d.units.push_back(frigate);
  EXPECT_TRUE(SameSummary(Import(relos::testing::SystemActor(), d), 1, 1, 18));
  EXPECT_EQ(Events(), 22);
  const std::vector<audit::Event> recorded = store_.BeginRead().value()->ListEvents(20, 10).value();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].subject, "facility/RU-VLD");
  EXPECT_EQ(recorded[0].kind, "registry.facility");
  EXPECT_EQ(recorded[1].subject, "unit/IN-SHIP-2");
  EXPECT_EQ(recorded[1].actor_party, kSystemParty);
  EXPECT_EQ(recorded[1].at, clock_.Now());

  // A partial file merges into what is there.
  RegistryData one;
  one.units = {frigate};
  one.units[0].personnel = 200;
  EXPECT_TRUE(SameSummary(Import(relos::testing::SystemActor(), one), 0, 1, 0));
  RELOS_ASSERT_OK_AND_ASSIGN(const RegistryData loaded, service_.Load());
  ASSERT_EQ(loaded.units.size(), 5u);
  std::vector<std::string> codes;
  for (const Unit& u : loaded.units) codes.push_back(u.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"IN-CARRIER", "IN-HELO", "IN-SHIP", "IN-SHIP-2", "RU-SHIP"}));
  EXPECT_EQ(loaded.units[3].personnel, 200);
}

TEST_F(RegistryServiceTest, AnInvalidImportChangesNothing) {
  ASSERT_TRUE(Import(relos::testing::SystemActor(), TestRegistry()).ok());
  RegistryData d = TestRegistry();
  Ru(d).fuel[0].on_hand = Q("1 tonne");  // a valid change...
  Ship(d).owner = "CN";                 // ...beside an invalid one
  EXPECT_TRUE(IsError(Import(relos::testing::SystemActor(), d), StatusCode::kInvalidArgument, "owner"));
  EXPECT_EQ(Events(), 20);
  RELOS_ASSERT_OK_AND_ASSIGN(const RegistryData loaded, service_.Load());
  ASSERT_EQ(loaded.facilities[1].code, relos::testing::kRuPort);  // listed by code, after IN-VIZ
  EXPECT_EQ(loaded.facilities[1].fuel[0].on_hand, Q("500 tonne"));
}

TEST_F(RegistryServiceTest, AnImportNamingACodeTwiceIsRefused) {
  ASSERT_TRUE(Import(relos::testing::SystemActor(), TestRegistry()).ok());
  RegistryData d;
  d.units = {TestRegistry().units[0], TestRegistry().units[0]};
  d.units[1].name = "the same code again";
  EXPECT_TRUE(IsError(Import(relos::testing::SystemActor(), d), StatusCode::kInvalidArgument, "code"));
}

TEST_F(RegistryServiceTest, OnlyAnAdminMayImport) {
  ASSERT_TRUE(Import(relos::testing::SystemActor(), TestRegistry()).ok());
  RegistryData mine;
  mine.facilities = {TestRegistry().facilities[1]};  // IN-VIZ
  mine.facilities[0].capacities[CapacityKind::kBeds] = 30;
  for (Role role : relos::testing::AllRoles()) {
    if (role == Role::kAdmin) continue;
    EXPECT_TRUE(IsError(Import(As("IN", role), mine), StatusCode::kPermissionDenied, "registry.role")) << Name(role);
  }
  EXPECT_EQ(Events(), 20);
  EXPECT_TRUE(SameSummary(Import(As("IN", Role::kAdmin), mine), 0, 1, 0));
  EXPECT_EQ(Events(), 21);
}

TEST_F(RegistryServiceTest, AnAdminChangesOnlyTheirOwnPartysFacilitiesAndUnits) {
  ASSERT_TRUE(Import(relos::testing::SystemActor(), TestRegistry()).ok());
  const orders::Actor in_admin = As("IN", Role::kAdmin);

  RegistryData theirs;
  theirs.facilities = {TestRegistry().facilities[0]};  // RU-VLD
  theirs.facilities[0].fuel[0].on_hand = Q("1500 tonne");
  EXPECT_TRUE(IsError(Import(in_admin, theirs), StatusCode::kPermissionDenied, "registry.owner"));

  RegistryData their_unit;
  their_unit.units = {TestRegistry().units[3]};  // RU-SHIP
  their_unit.units[0].personnel = 1;
  EXPECT_TRUE(IsError(Import(in_admin, their_unit), StatusCode::kPermissionDenied, "registry.owner"));

  // Nor can it be taken over by importing it as one's own.
  theirs.facilities[0].owner = "IN";
  for (auto& p : theirs.facilities[0].prices) p.unit_price = Money(p.unit_price.minor_units(), Currency::FromCode("INR").value());
  EXPECT_TRUE(IsError(Import(in_admin, theirs), StatusCode::kPermissionDenied, "registry.owner"));
  their_unit.units[0].owner = "IN";
  EXPECT_TRUE(IsError(Import(in_admin, their_unit), StatusCode::kPermissionDenied, "registry.owner"));
  EXPECT_EQ(Events(), 20);

  // The shared objects any admin may change; the system changes anything.
  RegistryData shared;
  shared.catalogue = {TestRegistry().catalogue[4]};
  shared.catalogue[0].name = "Potable water";
  EXPECT_TRUE(SameSummary(Import(in_admin, shared), 0, 1, 0));
  theirs.facilities[0].owner = "RU";
  theirs.facilities[0].prices = TestRegistry().facilities[0].prices;
  EXPECT_TRUE(SameSummary(Import(relos::testing::SystemActor(), theirs), 0, 1, 0));
  EXPECT_EQ(Events(), 22);
}

}  // namespace
}  // namespace relos::registry

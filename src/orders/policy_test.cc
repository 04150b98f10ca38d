// One test per rule of orders/policy.h, through the OrderService on a
// MemoryStore: each asserts the code and the reason, and that the refused
// call left every order, every stock and the audit chain as they were.
#include <gtest/gtest.h>

#include <string>

#include "orders/testing/fixture.h"
#include "relos/storage/memory_store.h"

namespace relos::orders {
namespace {

using registry::Purpose;
using relos::testing::As;
using relos::testing::IsError;
using relos::testing::Q;
using relos::testing::RefusedUnchanged;
using relos::testing::T;

class PolicyTest : public ::testing::Test {
 protected:
  // Creates `request` (which must succeed) and expects its submission to be
  // refused with `code` and `reason`, changing nothing.
  ::testing::AssertionResult SubmitRefused(const CreateOrderRequest& request, StatusCode code,
                                           std::string_view reason) {
    auto o = f_.Create(request);
    if (!o.ok()) return ::testing::AssertionFailure() << "create: " << o.status();
    return RefusedUnchanged(store_, code, reason, [&] { return Submit(*o); });
  }
  Result<Order> Submit(const Order& o) { return f_.orders.Submit(As("IN", Role::kRequester), o.id); }
  Result<Order> SubmitNew(const CreateOrderRequest& request) {
    ASSIGN_OR_RETURN(Order o, f_.Create(request));
    return Submit(o);
  }
  Result<Order> Approve(const Order& o, const std::vector<LineApproval>& lines = {}) {
    return f_.orders.Approve(As("RU", Role::kApprover), o.id, lines);
  }
  CreateOrderRequest One(const std::string& item, const char* quantity, Purpose purpose = Purpose::kPortCall,
                         const std::string& unit = relos::testing::kInShip) {
    return f_.Request({f_.Line(item, Q(quantity))}, purpose, unit);
  }

  storage::MemoryStore store_;
  relos::testing::OrdersFixture f_{store_};
};

TEST_F(PolicyTest, AgreementInForce) {
  CreateOrderRequest r = One(relos::testing::kWater, "1 tonne");
  // The visit runs past the agreement's end (2030-01-01, exclusive).
  r.lines[0].window_start = T("2029-12-30T08:00:00Z");
  r.lines[0].window_end = T("2030-01-01T08:00:00Z");
  EXPECT_TRUE(SubmitRefused(r, StatusCode::kFailedPrecondition, "policy.agreement_in_force"));
  r.lines[0].window_end = T("2029-12-31T23:59:59Z");
  RELOS_ASSERT_OK(SubmitNew(r));
  // Nor can anything be submitted once the agreement has lapsed.
  f_.clock.Set(T("2030-01-01T00:00:00Z"));
  r.lines[0] = f_.Line(relos::testing::kWater, Q("1 tonne"));
  EXPECT_TRUE(SubmitRefused(r, StatusCode::kFailedPrecondition, "policy.agreement_in_force"));
}

TEST_F(PolicyTest, Purpose) {
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kWater, "1 tonne", Purpose::kTransit), StatusCode::kFailedPrecondition,
                            "policy.purpose"));
  RELOS_ASSERT_OK(SubmitNew(One(relos::testing::kWater, "1 tonne", Purpose::kTraining)));
}

TEST_F(PolicyTest, Category) {
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kTruck, "8 hour"), StatusCode::kFailedPrecondition, "policy.category"));
}

TEST_F(PolicyTest, ExcludedItemByCategoryAndByCode) {
  EXPECT_TRUE(
      SubmitRefused(One(relos::testing::kAmmo, "100 each"), StatusCode::kFailedPrecondition, "policy.excluded_item"));
  // Water is fine until the agreement names it.
  RELOS_ASSERT_OK_AND_ASSIGN(const Order water, f_.Create(One(relos::testing::kWater, "1 tonne")));
  RELOS_ASSERT_OK(f_.UpdateRegistry(
      [](registry::RegistryData& d) { d.agreements[0].terms.excluded_items.insert(relos::testing::kWater); }));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kFailedPrecondition, "policy.excluded_item",
                               [&] { return Submit(water); }));
}

TEST_F(PolicyTest, AdvanceNotice) {
  // A port call needs 168 hours; 6 days is 144.
  CreateOrderRequest r = f_.Request({f_.Line(relos::testing::kWater, Q("1 tonne"), 6)});
  auto o = f_.Create(r);
  RELOS_ASSERT_OK(o);
  auto refused = Submit(*o);
  EXPECT_TRUE(IsError(refused, StatusCode::kFailedPrecondition, "policy.advance_notice"));
  EXPECT_NE(refused.status().message().find("needs 168 hours' notice; this one gives 144"), std::string::npos)
      << refused.status();
  // An exercise needs 720 hours: 29 days is too few, 31 enough.
  EXPECT_TRUE(SubmitRefused(f_.Request({f_.Line(relos::testing::kWater, Q("1 tonne"), 29)}, Purpose::kExercise),
                            StatusCode::kFailedPrecondition, "policy.advance_notice"));
  RELOS_ASSERT_OK(SubmitNew(f_.Request({f_.Line(relos::testing::kWater, Q("1 tonne"), 31)}, Purpose::kExercise)));
}

TEST_F(PolicyTest, AdvanceNoticeIsCheckedAgainAtApproval) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o,
                             SubmitNew(f_.Request({f_.Line(relos::testing::kWater, Q("1 tonne"), 8)})));
  f_.clock.Advance(2 * kSecondsPerDay);  // 6 days left of the 7 needed
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kFailedPrecondition, "policy.advance_notice",
                               [&] { return Approve(o); }));
}

TEST_F(PolicyTest, ZeroNoticeForDisasterReliefAndHumanitarian) {
  // Starting right now.
  RELOS_ASSERT_OK(SubmitNew(f_.Request({f_.Line(relos::testing::kWater, Q("1 tonne"), 0)}, Purpose::kDisasterRelief)));
  RELOS_ASSERT_OK(SubmitNew(f_.Request({f_.Line(relos::testing::kWater, Q("1 tonne"), 0)}, Purpose::kHumanitarian)));
  // But not a visit that has already begun.
  EXPECT_TRUE(SubmitRefused(f_.Request({f_.Line(relos::testing::kWater, Q("1 tonne"), -1)}, Purpose::kDisasterRelief),
                            StatusCode::kFailedPrecondition, "policy.advance_notice"));
}

TEST_F(PolicyTest, MaxStay) {
  EXPECT_TRUE(SubmitRefused(f_.Request({f_.Line(relos::testing::kBerthDay, Q("31 berth-day"), 35, 31)}),
                            StatusCode::kFailedPrecondition, "policy.max_stay"));
  RELOS_ASSERT_OK(SubmitNew(f_.Request({f_.Line(relos::testing::kBerthDay, Q("30 berth-day"), 35, 30)})));
}

TEST_F(PolicyTest, PresenceDaysPerYear) {
  // Each 25-day visit touches 26 calendar days; the cap is 45 a year.
  RELOS_ASSERT_OK(SubmitNew(f_.Request({f_.Line(relos::testing::kBerthDay, Q("25 berth-day"), 35, 25)})));
  // Overlapping the first visit counts no new day.
  RELOS_ASSERT_OK(SubmitNew(f_.Request({f_.Line(relos::testing::kWater, Q("5 tonne"), 40, 10)})));
  auto o = f_.Create(f_.Request({f_.Line(relos::testing::kBerthDay, Q("25 berth-day"), 70, 25)}));
  RELOS_ASSERT_OK(o);
  auto refused = Submit(*o);
  EXPECT_TRUE(IsError(refused, StatusCode::kResourceExhausted, "policy.presence_days"));
  EXPECT_NE(refused.status().message().find("on 52 days in 2026; the limit is 45"), std::string::npos)
      << refused.status();
  // Next year's days are counted apart.
  RELOS_ASSERT_OK(SubmitNew(f_.Request({f_.Line(relos::testing::kBerthDay, Q("25 berth-day"), 400, 25)})));
}

TEST_F(PolicyTest, UnitOwner) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.Create(f_.Request()));
  // The frigate changes hands between creation and submission.
  RELOS_ASSERT_OK(f_.UpdateRegistry([](registry::RegistryData& d) {
    for (auto& u : d.units) {
      if (u.code == relos::testing::kInShip) u.owner = "RU";
    }
  }));
  EXPECT_TRUE(
      RefusedUnchanged(store_, StatusCode::kFailedPrecondition, "policy.unit_owner", [&] { return Submit(o); }));
}

TEST_F(PolicyTest, FacilityOwner) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.Create(f_.Request()));
  RELOS_ASSERT_OK(f_.UpdateRegistry([](registry::RegistryData& d) {
    for (auto& fac : d.facilities) {
      if (fac.code != relos::testing::kRuPort) continue;
      fac.owner = "IN";
      for (auto& p : fac.prices) p.unit_price = Money(p.unit_price.minor_units(), Currency::FromCode("INR").value());
    }
  }));
  EXPECT_TRUE(
      RefusedUnchanged(store_, StatusCode::kFailedPrecondition, "policy.facility_owner", [&] { return Submit(o); }));
}

TEST_F(PolicyTest, FacilityOffersItem) {
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kMeals, "300 meal"), StatusCode::kFailedPrecondition,
                            "policy.facility_offers_item"));
}

TEST_F(PolicyTest, FuelGradeIncompatible) {
  // A frigate burning F-76 cannot take TS-1 at all.
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kTs1, "5000 kg"), StatusCode::kFailedPrecondition, "policy.fuel_grade"));
}

TEST_F(PolicyTest, FuelGradeEmergencyOnly) {
  // F-44 may replace F-76 in emergencies only.
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kF44, "5000 litre", Purpose::kExercise), StatusCode::kFailedPrecondition,
                            "policy.fuel_grade"));
  RELOS_ASSERT_OK(SubmitNew(One(relos::testing::kF44, "5000 litre", Purpose::kDisasterRelief)));
}

TEST_F(PolicyTest, FuelGradeWithAdditiveIsAccepted) {
  RELOS_ASSERT_OK(
      SubmitNew(One(relos::testing::kTs1, "1500 kg", Purpose::kExercise, relos::testing::kInHelo)));
  RELOS_ASSERT_OK(
      SubmitNew(One(relos::testing::kF44, "1500 litre", Purpose::kExercise, relos::testing::kInHelo)));
}

TEST_F(PolicyTest, BerthFit) {
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kBerthDay, "2 berth-day", Purpose::kPortCall,
                                relos::testing::kInCarrier),
                            StatusCode::kFailedPrecondition, "policy.berth_fit"));
  RELOS_ASSERT_OK(SubmitNew(One(relos::testing::kBerthDay, "2 berth-day")));
}

TEST_F(PolicyTest, CapacityBeds) {
  // 60 bed-days over 2 days is 30 beds at once; RU-VLD has 10.
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kMedBed, "60 bed-day"), StatusCode::kResourceExhausted,
                            "policy.capacity"));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, SubmitNew(One(relos::testing::kMedBed, "20 bed-day")));
  RELOS_ASSERT_OK(Approve(o));
}

TEST_F(PolicyTest, FuelStockCountsWhatOtherApprovedOrdersReserve) {
  // 500 t on hand. Each order alone fits.
  RELOS_ASSERT_OK_AND_ASSIGN(const Order a, SubmitNew(One(relos::testing::kF76, "300 tonne")));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order b, SubmitNew(One(relos::testing::kF76, "250 tonne")));
  RELOS_ASSERT_OK(Approve(a));
  auto refused = Approve(b);
  EXPECT_TRUE(IsError(refused, StatusCode::kResourceExhausted, "policy.fuel_stock"));
  EXPECT_NE(refused.status().message().find("short by 50 tonne"), std::string::npos) << refused.status();
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kResourceExhausted, "policy.fuel_stock", [&] { return Approve(b); }));
  RELOS_ASSERT_OK(Approve(b, {{1, Q("200 tonne")}}));
  // Nothing is left for a third order, even to submit.
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kF76, "1 tonne"), StatusCode::kResourceExhausted, "policy.fuel_stock"));
  // More than the tanks hold is refused at submission already.
  EXPECT_TRUE(
      SubmitRefused(One(relos::testing::kF76, "501 tonne"), StatusCode::kResourceExhausted, "policy.fuel_stock"));
}

TEST_F(PolicyTest, FuelStockComparesVolumeWithAStockKeptInAnotherUnit) {
  // F-44 is ordered in litres and stocked in m3: 100 m3 on hand.
  RELOS_ASSERT_OK(SubmitNew(One(relos::testing::kF44, "100000 litre", Purpose::kExercise, relos::testing::kInHelo)));
  EXPECT_TRUE(SubmitRefused(One(relos::testing::kF44, "100001 litre", Purpose::kExercise, relos::testing::kInHelo),
                            StatusCode::kResourceExhausted, "policy.fuel_stock"));
}

TEST_F(PolicyTest, SettlementMode) {
  CreateOrderRequest r = f_.Request();
  r.settlement = registry::SettlementMode::kEqualValueExchange;
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.Create(r));
  RELOS_ASSERT_OK(f_.UpdateRegistry([](registry::RegistryData& d) {
    d.agreements[0].terms.settlement_modes.erase(registry::SettlementMode::kEqualValueExchange);
  }));
  EXPECT_TRUE(
      RefusedUnchanged(store_, StatusCode::kFailedPrecondition, "policy.settlement_mode", [&] { return Submit(o); }));
}

}  // namespace
}  // namespace relos::orders

// Exercises: validation and the audit trail of creation and change, the plan
// (berth schedule from the optimiser, windows moved with it, conflicts), the
// orders created in bulk and the summary of orders and costs.
#include "relos/exercise/exercise.h"

#include <gtest/gtest.h>

#include "orders/testing/fixture.h"
#include "relos/audit/verify.h"
#include "relos/ledger/ledger.h"
#include "relos/storage/memory_store.h"

namespace relos::exercise {
namespace {

using orders::Actor;
using orders::Role;
using relos::testing::As;
using relos::testing::IsError;
using relos::testing::Q;
using relos::testing::kRuPort;

class ExerciseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Two more frigates like IN-SHIP, so that three ships compete for RU-VLD's two berths.
    RELOS_ASSERT_OK(f_.UpdateRegistry([](registry::RegistryData& d) {
      for (const char* code : {"IN-SHIP-2", "IN-SHIP-3"}) {
        registry::Unit u = d.units.front();
        for (const auto& x : d.units) {
          if (x.code == relos::testing::kInShip) u = x;
        }
        u.code = code;
        d.units.push_back(u);
      }
    }));
  }

  Timestamp Day(int64_t d) const { return f_.clock.Now().StartOfDay().PlusDays(d); }

  // Three frigates at RU-VLD for two days each, all able to come on day 40:
  // each wants a berth, 200 t of F-76 and 20 billets.
  Exercise Sample() const {
    Exercise e;
    e.code = "EX-TEST-2026";
    e.name = "Test exercise";
    e.purpose = registry::Purpose::kExercise;
    e.description = "Three frigates call at Vladivostok";
    e.agreement = relos::testing::kAgreement;
    e.start = Day(40);
    e.end = Day(50);
    e.parties = {"IN", "RU"};
    e.units = {relos::testing::kInShip, "IN-SHIP-2", "IN-SHIP-3"};
    e.facilities = {kRuPort};
    for (const auto& u : e.units) {
      PortCall c{u, kRuPort, Day(40), Day(42), std::nullopt, 1, {}};
      c.lines = {{relos::testing::kBerthDay, Q("2 berth-day"), std::nullopt, std::nullopt, ""},
                 {relos::testing::kF76, Q("200 tonne"), std::nullopt, std::nullopt, ""},
                 {relos::testing::kAccomBed, Q("40 bed-day"), std::nullopt, std::nullopt, ""}};
      e.calls.push_back(c);
    }
    return e;
  }

  Actor Planner() const { return As("IN", Role::kRequester); }

  storage::MemoryStore store_;
  relos::testing::OrdersFixture f_{store_};
  capacity::CapacityObserver observer_;
  orders::OrderService orders_{store_, f_.clock, {&observer_}};
  ExerciseService service_{store_, f_.clock, orders_};
};

TEST_F(ExerciseTest, CreateStoresTheExerciseWithItsAuditEvent) {
  const int64_t events = relos::testing::EventCount(store_);
  RELOS_ASSERT_OK_AND_ASSIGN(Exercise e, service_.Create(Planner(), Sample()));
  EXPECT_EQ(e.version, 1);
  EXPECT_EQ(e.status, ExerciseStatus::kPlanned);
  RELOS_ASSERT_OK_AND_ASSIGN(Exercise got, service_.Get(e.code));
  EXPECT_EQ(got, e);
  EXPECT_EQ(relos::testing::EventCount(store_), events + 1);
  RELOS_ASSERT_OK_AND_ASSIGN(Exercise active, service_.SetStatus(Planner(), e.code, ExerciseStatus::kActive));
  EXPECT_EQ(active.version, 2);
  auto txn = store_.BeginRead();
  auto last = (*txn)->LastEvent();
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->kind, "exercise.updated");
  EXPECT_EQ((*last)->subject, "exercise/EX-TEST-2026");
  EXPECT_EQ((*last)->payload, ToJsonText(active));
  auto verified = audit::VerifyStore(**txn);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok()) << verified->problem;
  // The document reads back to the same exercise.
  RELOS_ASSERT_OK_AND_ASSIGN(Exercise decoded, ExerciseFromJsonText(ToJsonText(active), "doc"));
  EXPECT_EQ(decoded, active);
}

TEST_F(ExerciseTest, BadExercisesAreRefusedNamingTheFieldAndChangeNothing) {
  RELOS_ASSERT_OK(service_.Create(Planner(), Sample()));
  const int64_t events = relos::testing::EventCount(store_);
  Exercise e = Sample();
  e.code = "EX-OTHER";
  e.calls[1].depart = e.calls[1].arrive;
  auto r = service_.Create(Planner(), e);
  ASSERT_TRUE(IsError(r, StatusCode::kInvalidArgument, "depart"));
  EXPECT_EQ(r.status().message(), "calls[1].depart: must be after arrive");
  e = Sample();
  e.code = "EX-OTHER";
  e.units.push_back(relos::testing::kRuShip);
  e.parties = {"IN"};
  EXPECT_TRUE(IsError(service_.Create(Planner(), e), StatusCode::kFailedPrecondition, "exercise.unit_owner"));
  e = Sample();
  e.code = "EX-OTHER";
  e.calls[0].lines[0].item = "NO-SUCH-ITEM";
  EXPECT_EQ(service_.Create(Planner(), e).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(IsError(service_.Create(As("CN", Role::kRequester), Sample()), StatusCode::kPermissionDenied,
                      "exercise.role"));
  EXPECT_TRUE(IsError(service_.Create(Planner(), Sample()), StatusCode::kAlreadyExists, "exercise.exists"));
  EXPECT_TRUE(IsError(ExerciseFromJsonText("{\"code\": \"X\", \"colour\": 1}", "plan.json"),
                      StatusCode::kInvalidArgument, "colour"));
  EXPECT_EQ(relos::testing::EventCount(store_), events);
}

TEST_F(ExerciseTest, PlanSchedulesBerthsOptimallyMovesStaysAndReportsTheFuelShortfall) {
  RELOS_ASSERT_OK(service_.Create(Planner(), Sample()));
  RELOS_ASSERT_OK_AND_ASSIGN(ExercisePlan plan, service_.Plan("EX-TEST-2026", {}));
  ASSERT_EQ(plan.berth_plans.size(), 1u);
  const FacilityBerthPlan& bp = plan.berth_plans[0];
  EXPECT_TRUE(bp.problem.empty()) << bp.problem;
  // Two berths, three ships of 48 h: two alongside at once, the third 48 h
  // later; 48 + 48 + 96 hours, proven optimal.
  EXPECT_EQ(bp.objective, 192);
  EXPECT_TRUE(bp.proven_optimal);
  ASSERT_EQ(bp.slots.size(), 3u);
  int delayed = -1;
  for (const auto& s : bp.slots) {
    if (s.delay_hours == 48) delayed = s.call;
  }
  ASSERT_GE(delayed, 0);
  // The delayed call's stay, fuel and billets move with its berth.
  const auto& lines = plan.orders[delayed].request.lines;
  EXPECT_EQ(lines[0].window_start, Day(42));
  EXPECT_EQ(lines[2].window_end, Day(44));
  // 3 x 200 t of F-76 against 500 t on hand: the last issue runs short.
  ASSERT_EQ(plan.conflicts.size(), 1u) << plan.conflicts[0].ToString();
  EXPECT_EQ(plan.conflicts[0].ToString(), "fuel:F-76 at RU-VLD from " + Day(42).ToIso8601() +
                                              " on: supply 500 tonne, issues 600 tonne, short by 100 tonne (orders "
                                              "EX-TEST-2026/1, EX-TEST-2026/2, EX-TEST-2026/3)");
}

TEST_F(ExerciseTest, OrdersAreCreatedInBulkOnceAndSummarisedWithTheirCosts) {
  RELOS_ASSERT_OK(service_.Create(Planner(), Sample()));
  RELOS_ASSERT_OK_AND_ASSIGN(ExercisePlan plan, service_.Plan("EX-TEST-2026", {}));
  RELOS_ASSERT_OK_AND_ASSIGN(CreatedOrders created, service_.CreateOrders(Planner(), plan, /*submit=*/true));
  ASSERT_EQ(created.created.size(), 3u);
  EXPECT_TRUE(created.skipped.empty());
  // Again: the same orders, found by their keys.
  RELOS_ASSERT_OK_AND_ASSIGN(CreatedOrders again, service_.CreateOrders(Planner(), plan, /*submit=*/true));
  ASSERT_EQ(again.created.size(), 3u);
  EXPECT_EQ(again.created[2].id, created.created[2].id);
  // The supplier's side cannot raise the Indian ships' orders.
  RELOS_ASSERT_OK_AND_ASSIGN(CreatedOrders by_ru, service_.CreateOrders(As("RU", Role::kRequester), plan, false));
  EXPECT_TRUE(by_ru.created.empty());
  EXPECT_EQ(by_ru.skipped.size(), 3u);

  // Approving in call order: the third runs short of fuel.
  const Actor approver = As("RU", Role::kApprover);
  int64_t quoted = 0;
  for (int k = 0; k < 2; ++k) {
    RELOS_ASSERT_OK_AND_ASSIGN(orders::Order o, orders_.Approve(approver, created.created[k].id, {}));
    for (const auto& l : o.lines) quoted += ledger::ExtendedPrice(*l.approved, *l.unit_price);
  }
  EXPECT_GT(quoted, 0);
  auto third = orders_.Approve(approver, created.created[2].id, {});
  EXPECT_TRUE(IsError(third, StatusCode::kResourceExhausted, "policy.fuel_stock") ||
              IsError(third, StatusCode::kResourceExhausted, "capacity.exhausted"))
      << third.status();

  RELOS_ASSERT_OK_AND_ASSIGN(ExerciseSummary s, service_.Summary(Planner(), "EX-TEST-2026"));
  ASSERT_EQ(s.orders.size(), 3u);
  EXPECT_EQ(s.order_states, (std::map<std::string, int64_t>{{"approved", 2}, {"submitted", 1}}));
  // The two approved calls at the prices quoted on approval.
  EXPECT_EQ(s.costs.quoted, (std::map<std::string, int64_t>{{"RUB", quoted}}));
}

}  // namespace
}  // namespace relos::exercise

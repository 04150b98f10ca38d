// The lifecycle table, twice: CheckTransition against an expectation table
// written here independently of lifecycle.cc (every action x state x role x
// party), and every transition through the OrderService on a real store,
// by the right actor and by every wrong one.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "orders/testing/fixture.h"
#include "relos/orders/lifecycle.h"
#include "relos/storage/memory_store.h"

namespace relos::orders {
namespace {

using relos::testing::As;
using relos::testing::IsError;
using S = OrderState;

// What docs/orders.md says, written out again so that a change to the table
// in lifecycle.cc has to be made twice.
struct ExpectedRow {
  Action action;
  std::string party;  // "IN" is the requester of every test order, "RU" the supplier
  Role role;
  std::set<OrderState> from;
};
const std::vector<ExpectedRow> kExpected = {
    {Action::kCreate, "IN", Role::kRequester, {}},
    {Action::kSubmit, "IN", Role::kRequester, {S::kDraft}},
    {Action::kApprove, "RU", Role::kApprover, {S::kSubmitted}},
    {Action::kReject, "RU", Role::kApprover, {S::kSubmitted}},
    {Action::kDeliver, "RU", Role::kLogisticsOfficer, {S::kApproved}},
    {Action::kReceipt, "IN", Role::kReceiver, {S::kDelivered}},
    {Action::kResolve, "RU", Role::kApprover, {S::kReceipted}},
    {Action::kCancel, "IN", Role::kRequester, {S::kDraft, S::kSubmitted, S::kApproved}},
    {Action::kCancel, "RU", Role::kApprover, {S::kApproved}},
    {Action::kClose, "IN", Role::kFinance, {S::kReceipted}},
    {Action::kClose, "RU", Role::kFinance, {S::kReceipted}},
};

const ExpectedRow* ExpectedFor(Action action, const std::string& party, Role role) {
  for (const ExpectedRow& row : kExpected) {
    if (row.action == action && row.party == party && row.role == role) return &row;
  }
  return nullptr;
}

// OK, or the code and reason CheckTransition must give.
struct Outcome {
  StatusCode code;
  std::string reason;
};
Outcome Expect(Action action, OrderState state, const std::string& party, Role role) {
  if (party != "IN" && party != "RU") return {StatusCode::kNotFound, "order"};
  const ExpectedRow* row = ExpectedFor(action, party, role);
  if (row == nullptr) return {StatusCode::kPermissionDenied, "lifecycle.role"};
  if (!row->from.count(state)) return {StatusCode::kFailedPrecondition, "lifecycle.state"};
  return {StatusCode::kOk, ""};
}

Order OrderIn(OrderState state) {
  Order o;
  o.id = 7;
  o.number = "RELOS-TEST-2026-000007";
  o.requester = "IN";
  o.supplier = "RU";
  o.state = state;
  return o;
}

TEST(LifecycleTableTest, EveryActionStateRoleAndPartyGivesTheExpectedAnswer) {
  int checked = 0, allowed = 0;
  for (Action action : relos::testing::AllActions()) {
    for (OrderState state : relos::testing::AllStates()) {
      for (Role role : relos::testing::AllRoles()) {
        for (const std::string& party : relos::testing::kParties) {
          const Outcome want = Expect(action, state, party, role);
          const Status got = CheckTransition(action, OrderIn(state), As(party, role));
          EXPECT_TRUE(IsError(got, want.code, want.reason))
              << Name(action) << " from " << Name(state) << " by " << party << ":" << Name(role);
          ++checked;
          allowed += want.code == StatusCode::kOk;
        }
      }
    }
  }
  EXPECT_EQ(checked, 9 * 8 * 7 * 3);
  // submit, approve, reject, deliver, receipt, resolve: 1 each; cancel 3+1; close 2.
  EXPECT_EQ(allowed, 12);
}

TEST(LifecycleTableTest, RefusalsSayWhoMayAndFromWhichState) {
  const Status role = CheckTransition(Action::kApprove, OrderIn(S::kSubmitted), As("IN", Role::kApprover));
  EXPECT_TRUE(IsError(role, StatusCode::kPermissionDenied, "lifecycle.role"));
  EXPECT_NE(role.message().find("the supplier's approver"), std::string::npos) << role;
  const Status state = CheckTransition(Action::kDeliver, OrderIn(S::kSubmitted), As("RU", Role::kLogisticsOfficer));
  EXPECT_TRUE(IsError(state, StatusCode::kFailedPrecondition, "lifecycle.state"));
  EXPECT_NE(state.message().find("in state submitted (allowed from: approved)"), std::string::npos) << state;
  // A third party learns nothing, not even the order number.
  const Status hidden = CheckTransition(Action::kSubmit, OrderIn(S::kDraft), As("CN", Role::kRequester));
  EXPECT_TRUE(IsError(hidden, StatusCode::kNotFound, "order"));
  EXPECT_TRUE(IsError(CheckRead(OrderIn(S::kClosed), As("CN", Role::kAuditor)), StatusCode::kNotFound, "order"));
  RELOS_ASSERT_OK(CheckRead(OrderIn(S::kClosed), As("RU", Role::kAuditor)));
}

TEST(LifecycleTableTest, TargetStates) {
  EXPECT_EQ(TargetState(Action::kCreate), S::kDraft);
  EXPECT_EQ(TargetState(Action::kSubmit), S::kSubmitted);
  EXPECT_EQ(TargetState(Action::kApprove), S::kApproved);
  EXPECT_EQ(TargetState(Action::kReject), S::kRejected);
  EXPECT_EQ(TargetState(Action::kDeliver), S::kDelivered);
  EXPECT_EQ(TargetState(Action::kReceipt), S::kReceipted);
  EXPECT_EQ(TargetState(Action::kResolve), S::kReceipted);
  EXPECT_EQ(TargetState(Action::kCancel), S::kCancelled);
  EXPECT_EQ(TargetState(Action::kClose), S::kClosed);
}

// ---- Through the service.

struct ServiceCase {
  Action action;
  OrderState from;
  std::string party;  // the right actor's
  Role role;
  bool dispute = false;  // receipt disputes line 1 (resolve needs one)
  int64_t events = 1;    // events the transition appends
};

std::string CaseName(const ::testing::TestParamInfo<ServiceCase>& info) {
  std::string name = std::string(Name(info.param.action)) + "_from_" + std::string(Name(info.param.from)) + "_by_" +
                     info.param.party + "_" + std::string(Name(info.param.role));
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

class LifecycleServiceTest : public ::testing::TestWithParam<ServiceCase> {
 protected:
  storage::MemoryStore store_;
  relos::testing::OrdersFixture f_{store_};
};

TEST_P(LifecycleServiceTest, RightActorSucceedsAndEveryWrongOneChangesNothing) {
  const ServiceCase& c = GetParam();
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.RaiseTo(c.from, f_.Request(), c.dispute));
  ASSERT_EQ(o.state, c.from);
  const int64_t events = relos::testing::EventCount(store_);

  for (const std::string& party : relos::testing::kParties) {
    for (Role role : relos::testing::AllRoles()) {
      const Outcome want = Expect(c.action, c.from, party, role);
      if (want.code == StatusCode::kOk) continue;  // another right actor (cancel, close)
      EXPECT_TRUE(relos::testing::RefusedUnchanged(store_, want.code, want.reason, [&] {
        return relos::testing::Perform(f_.orders, c.action, As(party, role), o);
      })) << party << ":" << Name(role);
    }
  }

  f_.clock.Advance(3600);
  RELOS_ASSERT_OK_AND_ASSIGN(const Order after, relos::testing::Perform(f_.orders, c.action, As(c.party, c.role), o));
  EXPECT_EQ(after.state, TargetState(c.action));
  EXPECT_EQ(after.version, o.version + 1);
  EXPECT_EQ(after.history.back().actor, As(c.party, c.role));
  EXPECT_EQ(after.history.back().at, f_.clock.Now());
  EXPECT_EQ(after.updated_at, f_.clock.Now());
  EXPECT_EQ(relos::testing::GetOrder(store_, o.id), after);
  EXPECT_EQ(relos::testing::EventCount(store_), events + c.events);

  // The same action again is refused by the state (resolve: by the line,
  // which is no longer disputed).
  const bool resolve = c.action == Action::kResolve;
  EXPECT_TRUE(relos::testing::RefusedUnchanged(
      store_, StatusCode::kFailedPrecondition, resolve ? "order.not_disputed" : "lifecycle.state",
      [&] { return relos::testing::Perform(f_.orders, c.action, As(c.party, c.role), after); }));
}

INSTANTIATE_TEST_SUITE_P(
    EveryTransition, LifecycleServiceTest,
    ::testing::Values(ServiceCase{Action::kSubmit, S::kDraft, "IN", Role::kRequester},
                      ServiceCase{Action::kApprove, S::kSubmitted, "RU", Role::kApprover},
                      ServiceCase{Action::kReject, S::kSubmitted, "RU", Role::kApprover},
                      // Delivering fuel appends the facility's stock change too.
                      ServiceCase{Action::kDeliver, S::kApproved, "RU", Role::kLogisticsOfficer, false, 2},
                      ServiceCase{Action::kReceipt, S::kDelivered, "IN", Role::kReceiver},
                      ServiceCase{Action::kResolve, S::kReceipted, "RU", Role::kApprover, true},
                      ServiceCase{Action::kCancel, S::kDraft, "IN", Role::kRequester},
                      ServiceCase{Action::kCancel, S::kSubmitted, "IN", Role::kRequester},
                      ServiceCase{Action::kCancel, S::kApproved, "IN", Role::kRequester},
                      ServiceCase{Action::kCancel, S::kApproved, "RU", Role::kApprover},
                      ServiceCase{Action::kClose, S::kReceipted, "IN", Role::kFinance},
                      ServiceCase{Action::kClose, S::kReceipted, "RU", Role::kFinance}),
    CaseName);

TEST(LifecycleServiceCreateTest, OnlyTheRequesterOfABoundPartyMayCreate) {
  storage::MemoryStore store;
  relos::testing::OrdersFixture f(store);
  const int64_t events = relos::testing::EventCount(store);
  for (Role role : relos::testing::AllRoles()) {
    if (role == Role::kRequester) continue;
    EXPECT_TRUE(IsError(f.orders.Create(As("IN", role), f.Request()), StatusCode::kPermissionDenied, "lifecycle.role"))
        << Name(role);
  }
  EXPECT_TRUE(
      IsError(f.orders.Create(As("CN", Role::kRequester), f.Request()), StatusCode::kNotFound, "storage.not_found"));
  EXPECT_EQ(relos::testing::EventCount(store), events);
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f.Create(f.Request()));
  EXPECT_EQ(o.state, S::kDraft);
  EXPECT_EQ(o.version, 1);
  EXPECT_EQ(relos::testing::EventCount(store), events + 1);
}

TEST(LifecycleServiceCreateTest, AThirdPartyCannotSeeAnOrder) {
  storage::MemoryStore store;
  relos::testing::OrdersFixture f(store);
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f.RaiseTo(S::kSubmitted));
  EXPECT_TRUE(IsError(f.orders.Get(As("CN", Role::kAuditor), o.id), StatusCode::kNotFound, "order"));
  EXPECT_TRUE(IsError(f.orders.GetByNumber(As("CN", Role::kAuditor), o.number), StatusCode::kNotFound, "order"));
  EXPECT_TRUE(IsError(f.orders.Get(As("IN", Role::kAuditor), o.id + 100), StatusCode::kNotFound, "order"));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order seen, f.orders.Get(As("RU", Role::kAuditor), o.id));
  EXPECT_EQ(seen, o);
}

TEST(LifecycleServiceCreateTest, AThirdPartyGetsTheSameAnswerAsForAnOrderThatDoesNotExist) {
  // The same calls on a store holding the order and on one without it.
  storage::MemoryStore with_store, without_store;
  relos::testing::OrdersFixture with(with_store), without(without_store);
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, with.RaiseTo(S::kSubmitted));
  const Actor stranger = As("CN", Role::kApprover);
  EXPECT_EQ(with.orders.Get(stranger, o.id).status(), without.orders.Get(stranger, o.id).status());
  EXPECT_EQ(with.orders.GetByNumber(stranger, o.number).status(),
            without.orders.GetByNumber(stranger, o.number).status());
  for (Action action : relos::testing::AllActions()) {
    if (action == Action::kCreate) continue;
    const Status hidden = relos::testing::Perform(with.orders, action, stranger, o).status();
    EXPECT_TRUE(IsError(hidden, StatusCode::kNotFound, "order")) << Name(action);
    EXPECT_EQ(hidden, relos::testing::Perform(without.orders, action, stranger, o).status()) << Name(action);
    EXPECT_EQ(hidden.message().find(o.number), std::string::npos) << hidden;
  }
}

}  // namespace
}  // namespace relos::orders

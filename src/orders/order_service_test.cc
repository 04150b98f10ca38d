// The order service beyond the lifecycle table and the policy rules: input
// validation, idempotency, prices, delivery and receipt bookkeeping, stock,
// optimistic concurrency, numbering and visibility.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "orders/testing/fixture.h"
#include "relos/storage/memory_store.h"

namespace relos::orders {
namespace {

using relos::testing::As;
using relos::testing::IsError;
using relos::testing::M;
using relos::testing::Q;
using relos::testing::RefusedUnchanged;
using relos::testing::T;

class OrderServiceTest : public ::testing::Test {
 protected:
  Actor Requester() const { return As("IN", Role::kRequester); }
  Actor Approver() const { return As("RU", Role::kApprover); }
  Actor Logistics() const { return As("RU", Role::kLogisticsOfficer); }
  Actor Receiver() const { return As("IN", Role::kReceiver); }

  // An approved order for `quantity` of F-76 (and nothing else).
  Result<Order> ApprovedFuel(const char* quantity) {
    return f_.RaiseTo(OrderState::kApproved, f_.Request({f_.Line(relos::testing::kF76, Q(quantity))}));
  }
  Quantity F76OnHand() {
    return relos::testing::GetFacility(store_, relos::testing::kRuPort).FindFuel("F-76")->on_hand;
  }

  storage::MemoryStore store_;
  relos::testing::OrdersFixture f_{store_};
};

// ---- Create.

struct BadCreate {
  std::string name;
  std::function<void(CreateOrderRequest&)> spoil;
  StatusCode code;
  std::string reason;
  std::string message_prefix;  // the field's path
};

TEST_F(OrderServiceTest, CreateRefusesEachBadFieldNamingIt) {
  const std::vector<BadCreate> cases = {
      {"no lines", [](auto& r) { r.lines.clear(); }, StatusCode::kInvalidArgument, "lines", "lines:"},
      {"long key", [](auto& r) { r.idempotency_key = std::string(129, 'k'); }, StatusCode::kInvalidArgument,
       "idempotency_key", "idempotency_key:"},
      {"long exercise", [](auto& r) { r.exercise = std::string(129, 'x'); }, StatusCode::kInvalidArgument, "exercise",
       "exercise:"},
      {"zero quantity", [](auto& r) { r.lines[1].quantity = Q("0 berth-day"); }, StatusCode::kInvalidArgument,
       "quantity", "lines[1].quantity:"},
      {"wrong unit", [](auto& r) { r.lines[0].quantity = Q("10 berth-day"); }, StatusCode::kInvalidArgument,
       "quantity", "lines[0].quantity: FUEL-F76 is issued in tonne, not berth-day"},
      {"window backwards", [](auto& r) { r.lines[1].window_end = r.lines[1].window_start; },
       StatusCode::kInvalidArgument, "window_end", "lines[1].window_end:"},
      {"long note", [](auto& r) { r.lines[0].note = std::string(1001, 'n'); }, StatusCode::kInvalidArgument, "note",
       "lines[0].note:"},
      {"bad document hash", [](auto& r) { r.lines[0].document_sha256 = std::string(64, 'A'); },
       StatusCode::kInvalidArgument, "document_sha256", "lines[0].document_sha256:"},
      {"short document hash", [](auto& r) { r.lines[0].document_sha256 = "abc"; }, StatusCode::kInvalidArgument,
       "document_sha256", "lines[0].document_sha256:"},
      {"someone else's unit", [](auto& r) { r.unit = relos::testing::kRuShip; }, StatusCode::kNotFound,
       "storage.not_found", "unit: unit 'RU-SHIP' not found"},
      {"own facility", [](auto& r) { r.facility = relos::testing::kInPort; }, StatusCode::kInvalidArgument,
       "facility", "facility: IN-VIZ belongs to IN"},
      {"unknown item", [](auto& r) { r.lines[1].item = "CAVIAR"; }, StatusCode::kNotFound, "storage.not_found",
       "lines[1].item:"},
      {"unknown agreement", [](auto& r) { r.agreement = "RELOS-NONE"; }, StatusCode::kNotFound, "storage.not_found",
       "agreement:"},
      {"unknown unit", [](auto& r) { r.unit = "IN-GHOST"; }, StatusCode::kNotFound, "storage.not_found", "unit:"},
      {"unknown facility", [](auto& r) { r.facility = "RU-NONE"; }, StatusCode::kNotFound, "storage.not_found",
       "facility:"},
  };
  for (const BadCreate& c : cases) {
    CreateOrderRequest r = f_.Request();
    c.spoil(r);
    Status got;
    EXPECT_TRUE(RefusedUnchanged(store_, c.code, c.reason, [&] { return got = f_.Create(r).status(); })) << c.name;
    EXPECT_EQ(got.message().rfind(c.message_prefix, 0), 0u) << c.name << ": " << got;
  }
  // The well-formed request, for contrast, and its quantity in the item's unit.
  CreateOrderRequest r = f_.Request();
  r.lines[0].quantity = Q("2500 kg");
  r.lines[0].document_sha256 = std::string(64, 'a');
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.Create(r));
  EXPECT_EQ(o.lines[0].requested, Q("2.5 tonne"));
  EXPECT_EQ(o.lines[0].document_sha256, std::string(64, 'a'));
}

TEST_F(OrderServiceTest, CreateWithTheSameKeyAndContentReturnsTheSameOrder) {
  CreateOrderRequest r = f_.Request();
  r.idempotency_key = "retry-1";
  RELOS_ASSERT_OK_AND_ASSIGN(const Order first, f_.Create(r));
  f_.clock.Advance(60);
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kOk, "", [&] {
    auto again = f_.Create(r);
    EXPECT_TRUE(again.ok() && *again == first) << again.status();
    return again.status();
  }));
  // Other content under the same key.
  r.lines[0].quantity = Q("11 tonne");
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kAlreadyExists, "idempotency_key", [&] { return f_.Create(r); }));
  // The key is scoped to the requesting party: Russia may use it too.
  CreateOrderRequest ru = r;
  ru.unit = relos::testing::kRuShip;
  ru.facility = relos::testing::kInPort;
  RELOS_ASSERT_OK_AND_ASSIGN(const Order other, f_.orders.Create(As("RU", Role::kRequester), ru));
  EXPECT_NE(other.id, first.id);
  EXPECT_EQ(other.requester, "RU");
  EXPECT_EQ(other.supplier, "IN");
}

TEST_F(OrderServiceTest, OrderNumbersCountPerAgreementAndYear) {
  std::vector<std::string> numbers;
  for (int i = 0; i < 3; ++i) {
    RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.Create(f_.Request()));
    numbers.push_back(o.number);
  }
  f_.clock.Set(T("2027-01-04T09:00:00Z"));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order next_year, f_.Create(f_.Request()));
  numbers.push_back(next_year.number);
  EXPECT_EQ(numbers, (std::vector<std::string>{"RELOS-TEST-2026-000001", "RELOS-TEST-2026-000002",
                                               "RELOS-TEST-2026-000003", "RELOS-TEST-2027-000001"}));
}

// ---- Approve.

TEST_F(OrderServiceTest, PartialApprovalQuotesThePriceInForceOnTheApprovalDate) {
  CreateOrderRequest r = f_.Request({f_.Line(relos::testing::kF76, Q("100 tonne")),
                                     f_.Line(relos::testing::kWater, Q("20 tonne")),
                                     f_.Line(relos::testing::kBerthDay, Q("2 berth-day"))});
  RELOS_ASSERT_OK_AND_ASSIGN(const Order march, f_.RaiseTo(OrderState::kSubmitted, r));
  // Lowered in another unit; refused outright; in full.
  RELOS_ASSERT_OK_AND_ASSIGN(
      const Order approved,
      f_.orders.Approve(Approver(), march.id, {{1, Q("60000 kg")}, {3, Q("0 berth-day")}}));
  EXPECT_EQ(approved.lines[0].approved, Q("60 tonne"));
  EXPECT_EQ(approved.lines[0].unit_price, M(relos::testing::kF76OldPrice));
  EXPECT_EQ(approved.lines[1].approved, Q("20 tonne"));
  EXPECT_EQ(approved.lines[1].unit_price, M("500.00 RUB"));
  EXPECT_EQ(approved.lines[2].approved, Q("0 berth-day"));

  // The same request approved after the new price list took effect.
  f_.clock.Set(T(relos::testing::kF76NewPriceFrom).PlusSeconds(-1));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order april, f_.RaiseTo(OrderState::kSubmitted, f_.Request()));
  f_.clock.Advance(1);
  RELOS_ASSERT_OK_AND_ASSIGN(const Order quoted, f_.orders.Approve(Approver(), april.id, {}));
  EXPECT_EQ(quoted.lines[0].unit_price, M(relos::testing::kF76NewPrice));
}

TEST_F(OrderServiceTest, ApprovalNeverRaisesALineAndNeverApprovesNothing) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.RaiseTo(OrderState::kSubmitted));
  auto approve = [&](std::vector<LineApproval> lines) {
    return [&, lines] { return f_.orders.Approve(Approver(), o.id, lines); };
  };
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "quantity", approve({{1, Q("10.001 tonne")}})));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "quantity",
                               approve({{1, Q("0 tonne")}, {2, Q("0 berth-day")}})));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "line", approve({{3, Q("1 tonne")}})));
  EXPECT_TRUE(
      RefusedUnchanged(store_, StatusCode::kInvalidArgument, "unit.dimension", approve({{1, Q("1 berth-day")}})));
}

// ---- Deliver.

TEST_F(OrderServiceTest, DeliveryAboveApprovedNeedsADiscrepancyNote) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, ApprovedFuel("10 tonne"));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "discrepancy", [&] {
    return f_.orders.Deliver(Logistics(), o.id, {{1, Q("10.5 tonne"), ""}});
  }));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order d,
                             f_.orders.Deliver(Logistics(), o.id, {{1, Q("10.5 tonne"), "meter tolerance"}}));
  EXPECT_EQ(d.lines[0].delivered, Q("10.5 tonne"));
  EXPECT_EQ(d.lines[0].discrepancy, "meter tolerance");
  EXPECT_EQ(F76OnHand(), Q("489.5 tonne"));
}

TEST_F(OrderServiceTest, ShortDeliveryIsRecorded) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.RaiseTo(OrderState::kApproved));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order d, f_.orders.Deliver(Logistics(), o.id, {{1, Q("8 tonne"), ""}}));
  EXPECT_EQ(d.lines[0].delivered, Q("8 tonne"));
  EXPECT_EQ(d.lines[0].discrepancy, "short delivery: 8 tonne of 10 tonne approved");
  // The berth, not listed, is delivered as approved without remark.
  EXPECT_EQ(d.lines[1].delivered, Q("2 berth-day"));
  EXPECT_EQ(d.lines[1].discrepancy, "");
}

TEST_F(OrderServiceTest, DeliveryTakesFuelFromStockAndRecordsIt) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, ApprovedFuel("120 tonne"));
  const int64_t events = relos::testing::EventCount(store_);
  RELOS_ASSERT_OK(f_.orders.Deliver(Logistics(), o.id, {}));
  EXPECT_EQ(F76OnHand(), Q("380 tonne"));
  auto txn = store_.BeginRead().value();
  const std::vector<audit::Event> recorded = txn->ListEvents(events, 10).value();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].kind, "facility.fuel_issued");
  EXPECT_EQ(recorded[0].subject, "facility/RU-VLD");
  EXPECT_EQ(recorded[1].kind, "order.deliver");
}

TEST_F(OrderServiceTest, StockNeverGoesNegative) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, ApprovedFuel("400 tonne"));
  // Above what the tanks hold, even with a note.
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kResourceExhausted, "policy.fuel_stock", [&] {
    return f_.orders.Deliver(Logistics(), o.id, {{1, Q("500.001 tonne"), "topped up"}});
  }));
  // The stock was recounted lower after approval.
  RELOS_ASSERT_OK(f_.UpdateRegistry([](registry::RegistryData& d) {
    for (auto& fac : d.facilities) {
      if (fac.code == relos::testing::kRuPort) fac.fuel[0].on_hand = Q("399 tonne");
    }
  }));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kResourceExhausted, "policy.fuel_stock",
                               [&] { return f_.orders.Deliver(Logistics(), o.id, {}); }));
  RELOS_ASSERT_OK(f_.orders.Deliver(Logistics(), o.id, {{1, Q("399 tonne"), ""}}));
  EXPECT_EQ(F76OnHand(), Q("0 tonne"));
}

// ---- Receipt, resolve, close.

TEST_F(OrderServiceTest, ReceiptChecksVerdictsQuantitiesAndReasons) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.RaiseTo(OrderState::kDelivered));
  auto receipt = [&](LineReceipt line) {
    return [&, line] { return f_.orders.Receipt(Receiver(), o.id, {line}); };
  };
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "reason",
                               receipt({1, ReceiptVerdict::kDisputed, Q("9 tonne"), ""})));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "verdict",
                               receipt({1, ReceiptVerdict::kPending, std::nullopt, ""})));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "quantity",
                               receipt({1, ReceiptVerdict::kAcknowledged, Q("9 tonne"), ""})));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "line",
                               receipt({9, ReceiptVerdict::kAcknowledged, std::nullopt, ""})));
  // A dispute counts what arrived; it cannot claim more than was delivered.
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "quantity",
                               receipt({1, ReceiptVerdict::kDisputed, Q("11 tonne"), "more than the meter"})));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order r,
                             receipt({1, ReceiptVerdict::kDisputed, Q("9 tonne"), "1 t short at the meter"})());
  EXPECT_EQ(r.lines[0].verdict, ReceiptVerdict::kDisputed);
  EXPECT_EQ(r.lines[0].receipted, Q("9 tonne"));
  EXPECT_EQ(r.lines[0].dispute_reason, "1 t short at the meter");
  EXPECT_EQ(r.lines[1].verdict, ReceiptVerdict::kAcknowledged);
  EXPECT_EQ(r.lines[1].receipted, Q("2 berth-day"));
}

TEST_F(OrderServiceTest, ADisputedOrderClosesOnlyOnceResolved) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.RaiseTo(OrderState::kReceipted, f_.Request(), /*dispute=*/true));
  for (const char* party : {"IN", "RU"}) {
    EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kFailedPrecondition, "order.disputed",
                                 [&] { return f_.orders.Close(As(party, Role::kFinance), o.id); }));
  }
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "quantity",
                               [&] { return f_.orders.Resolve(Approver(), o.id, 1, Q("10.001 tonne")); }));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kFailedPrecondition, "order.not_disputed",
                               [&] { return f_.orders.Resolve(Approver(), o.id, 2, Q("1 berth-day")); }));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order resolved, f_.orders.Resolve(Approver(), o.id, 1, Q("9.5 tonne")));
  EXPECT_EQ(resolved.state, OrderState::kReceipted);
  EXPECT_EQ(resolved.lines[0].verdict, ReceiptVerdict::kAcknowledged);
  EXPECT_EQ(resolved.lines[0].receipted, Q("9.5 tonne"));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order closed, f_.orders.Close(As("RU", Role::kFinance), o.id));
  EXPECT_EQ(closed.state, OrderState::kClosed);
}

// ---- Remarks, versions, visibility.

TEST_F(OrderServiceTest, CancelAndRejectNeedARemark) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.RaiseTo(OrderState::kSubmitted));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "remark",
                               [&] { return f_.orders.Cancel(Requester(), o.id, {}); }));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kInvalidArgument, "remark",
                               [&] { return f_.orders.Reject(Approver(), o.id, {}); }));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order rejected, f_.orders.Reject(Approver(), o.id, {"no berth free"}));
  EXPECT_EQ(rejected.history.back().remark, "no berth free");
}

TEST_F(OrderServiceTest, StaleExpectedVersionIsAborted) {
  RELOS_ASSERT_OK_AND_ASSIGN(const Order o, f_.Create(f_.Request()));
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kAborted, "order.stale", [&] {
    return f_.orders.Submit(Requester(), o.id, {"", o.version + 1});
  }));
  RELOS_ASSERT_OK_AND_ASSIGN(const Order submitted, f_.orders.Submit(Requester(), o.id, {"", o.version}));
  // The version the submitter saw is now stale for everyone.
  EXPECT_TRUE(RefusedUnchanged(store_, StatusCode::kAborted, "order.stale", [&] {
    return f_.orders.Approve(Approver(), o.id, {}, {"", o.version});
  }));
  RELOS_ASSERT_OK(f_.orders.Approve(Approver(), o.id, {}, {"", submitted.version}));
}

TEST_F(OrderServiceTest, ListShowsOnlyTheActorsPartysOrders) {
  RELOS_ASSERT_OK(f_.Create(f_.Request()));
  RELOS_ASSERT_OK(f_.Create(f_.Request()));
  CreateOrderRequest ru = f_.Request();
  ru.unit = relos::testing::kRuShip;
  ru.facility = relos::testing::kInPort;
  RELOS_ASSERT_OK(f_.orders.Create(As("RU", Role::kRequester), ru));

  auto numbers = [&](const Actor& actor, storage::OrderFilter filter) {
    std::vector<std::string> out;
    const std::vector<Order> listed = f_.orders.List(actor, filter).value();
    for (const Order& o : listed) out.push_back(o.number + " " + o.requester);
    return out;
  };
  const std::vector<std::string> all = {"RELOS-TEST-2026-000001 IN", "RELOS-TEST-2026-000002 IN",
                                        "RELOS-TEST-2026-000003 RU"};
  EXPECT_EQ(numbers(As("IN", Role::kAuditor), {}), all);
  EXPECT_EQ(numbers(As("RU", Role::kFinance), {}), all);
  storage::OrderFilter russian;
  russian.requester = "RU";
  EXPECT_EQ(numbers(As("IN", Role::kAuditor), russian), std::vector<std::string>{"RELOS-TEST-2026-000003 RU"});
  // A third party sees nothing, even asking for another party's orders.
  storage::OrderFilter sneaky;
  sneaky.involving_party = "IN";
  EXPECT_EQ(numbers(As("CN", Role::kAuditor), sneaky), std::vector<std::string>{});
}

}  // namespace
}  // namespace relos::orders

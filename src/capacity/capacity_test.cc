// The capacity model through the real order service: what approval
// reserves, what is refused and how, what cancel and close release, the
// fuel projection with replenishments, the conflict report, and concurrent
// approvals on SQLite (threads and processes) that must never over-book.
#include "relos/capacity/capacity.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "orders/testing/fixture.h"
#include "relos/storage/memory_store.h"
#include "relos/storage/sqlite_store.h"

namespace relos::capacity {
namespace {

using orders::Actor;
using orders::Order;
using orders::OrderState;
using orders::Role;
using relos::testing::As;
using relos::testing::IsError;
using relos::testing::Q;
using relos::testing::T;
using relos::testing::kAccomBed;
using relos::testing::kBerthDay;
using relos::testing::kF76;
using relos::testing::kMedBed;
using relos::testing::kRuPort;

std::vector<Reservation> AllReservations(storage::Store& store) {
  auto txn = store.BeginRead();
  EXPECT_TRUE(txn.ok());
  auto all = (*txn)->Capacity().ListReservations({});
  EXPECT_TRUE(all.ok()) << all.status();
  return all.ok() ? *all : std::vector<Reservation>{};
}

std::string Describe(const std::vector<Reservation>& rs) {
  std::string s;
  for (const auto& r : rs) {
    s += r.order.substr(r.order.size() - 2) + ":" + std::to_string(r.line_no) + " " + r.resource + " " +
         std::to_string(r.amount) + " " + r.start.ToIso8601() + ".." + r.end.ToIso8601() + "\n";
  }
  return s;
}

class CapacityTest : public ::testing::Test {
 protected:
  Actor Approver() const { return As("RU", Role::kApprover); }

  // A submitted order with `lines`.
  Result<Order> Submitted(std::vector<orders::LineRequest> lines, const std::string& unit = relos::testing::kInShip) {
    return f_.RaiseTo(OrderState::kSubmitted, f_.Request(std::move(lines), registry::Purpose::kPortCall, unit));
  }
  Result<Order> Approve(const Order& o) { return service_.Approve(Approver(), o.id, {}); }

  storage::MemoryStore store_;
  relos::testing::OrdersFixture f_{store_};
  CapacityObserver observer_;
  orders::OrderService service_{store_, f_.clock, {&observer_}};
};

TEST_F(CapacityTest, ApprovalReservesBedsAndRefusesTheShortfallNamingTimeAndAmount) {
  // 12 bed-days over 2 days: 6 beds at once, of RU-VLD's 10.
  RELOS_ASSERT_OK_AND_ASSIGN(Order a, Submitted({f_.Line(kMedBed, Q("12 bed-day"))}));
  RELOS_ASSERT_OK_AND_ASSIGN(Order b, Submitted({f_.Line(kMedBed, Q("12 bed-day"))}));
  RELOS_ASSERT_OK_AND_ASSIGN(Order later, Submitted({f_.Line(kMedBed, Q("12 bed-day"), 37)}));
  RELOS_ASSERT_OK(Approve(a));
  const auto before = AllReservations(store_);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].resource, "beds");
  EXPECT_EQ(before[0].amount, 6);

  auto refused = Approve(b);
  ASSERT_TRUE(IsError(refused, StatusCode::kResourceExhausted, "capacity.exhausted"));
  const std::string from = f_.clock.Now().PlusDays(35).ToIso8601();
  const std::string to = f_.clock.Now().PlusDays(37).ToIso8601();
  EXPECT_EQ(refused.status().message(),
            "capacity: order " + b.number + " does not fit: beds at RU-VLD from " + from + " to " + to +
                ": capacity 10, asked 12, short by 2 (orders " + a.number + ", " + b.number + ")");
  EXPECT_EQ(relos::testing::GetOrder(store_, b.id).state, OrderState::kSubmitted);
  EXPECT_EQ(AllReservations(store_), before);

  // The same beds two days later are free.
  RELOS_ASSERT_OK(Approve(later));
  EXPECT_EQ(AllReservations(store_).size(), 2u);
}

TEST_F(CapacityTest, BerthsGoToTheTightestFreeCompatibleBerth) {
  // IN-SHIP (125 m, 4.5 m) fits B1 (200 m) and B2 (150 m); the carrier fits neither.
  std::vector<Order> calls;
  for (int i = 0; i < 3; ++i) {
    RELOS_ASSERT_OK_AND_ASSIGN(Order o, Submitted({f_.Line(kBerthDay, Q("2 berth-day"))}));
    calls.push_back(o);
  }
  RELOS_ASSERT_OK(Approve(calls[0]));
  RELOS_ASSERT_OK(Approve(calls[1]));
  auto held = AllReservations(store_);
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[0].resource, "berth:B1");
  EXPECT_EQ(held[0].order, calls[1].number);
  EXPECT_EQ(held[1].resource, "berth:B2");
  EXPECT_EQ(held[1].order, calls[0].number);

  auto third = Approve(calls[2]);
  ASSERT_TRUE(IsError(third, StatusCode::kResourceExhausted, "capacity.exhausted"));
  EXPECT_NE(third.status().message().find("berth at RU-VLD from " + f_.clock.Now().PlusDays(35).ToIso8601()),
            std::string::npos)
      << third.status();
  EXPECT_NE(third.status().message().find("2 compatible berths, 3 ships, short by 1"), std::string::npos)
      << third.status();

  // Cancelling the first call frees B2 for the third.
  RELOS_ASSERT_OK(service_.Cancel(Approver(), calls[0].id, {"ship delayed"}));
  RELOS_ASSERT_OK(Approve(calls[2]));
  held = AllReservations(store_);
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held[1].resource, "berth:B2");
  EXPECT_EQ(held[1].order, calls[2].number);
}

TEST_F(CapacityTest, FuelProjectionStartsFromStockOnHandAndAddsPlannedReplenishments) {
  // 500 t of F-76 on hand. A takes 300 t on day 35 and is delivered: on hand
  // falls to 200 t and A's issue is released.
  RELOS_ASSERT_OK_AND_ASSIGN(Order a, Submitted({f_.Line(kF76, Q("300 tonne"))}));
  RELOS_ASSERT_OK(Approve(a));
  RELOS_ASSERT_OK(service_.Deliver(As("RU", Role::kLogisticsOfficer), a.id, {}));
  EXPECT_TRUE(AllReservations(store_).empty());
  const Actor logistics = As("RU", Role::kLogisticsOfficer);
  auto plan = [&](const std::string& id, int64_t day) {
    auto txn = store_.BeginWrite();
    EXPECT_TRUE(txn.ok());
    FuelReplenishment r{id, kRuPort, "F-76", 0, f_.clock.Now().PlusDays(day), "tanker"};
    Status s = AddReplenishment(**txn, logistics, r, Q("150 tonne"), f_.clock.Now());
    if (s.ok()) s = (*txn)->Commit();
    return s;
  };
  // A tanker due on day 41 lets B (300 t on day 40) pass the order policy's
  // stock check, but the projection sees it come a day late; one already
  // past is taken to be in the stock on hand.
  RELOS_ASSERT_OK(plan("R-LATE", 41));
  RELOS_ASSERT_OK(plan("R-PAST", -1));
  RELOS_ASSERT_OK_AND_ASSIGN(Order b, Submitted({f_.Line(kF76, Q("300 tonne"), 40)}));
  auto refused = Approve(b);
  ASSERT_TRUE(IsError(refused, StatusCode::kResourceExhausted, "capacity.exhausted"));
  EXPECT_NE(refused.status().message().find("fuel:F-76 at RU-VLD from " + f_.clock.Now().PlusDays(40).ToIso8601() +
                                            " to " + f_.clock.Now().PlusDays(41).ToIso8601() +
                                            ": supply 200 tonne, issues 300 tonne, short by 100 tonne"),
            std::string::npos)
      << refused.status();
  EXPECT_TRUE(AllReservations(store_).empty());

  {
    auto txn = store_.BeginWrite();
    RELOS_ASSERT_OK(txn.status());
    FuelReplenishment r{"R-1", kRuPort, "F-76", 0, f_.clock.Now().PlusDays(38), ""};
    EXPECT_TRUE(IsError(AddReplenishment(**txn, As("IN", Role::kLogisticsOfficer), r, Q("150 tonne"), f_.clock.Now()),
                        StatusCode::kPermissionDenied, "capacity.role"));
    r.grade = "F-5";
    EXPECT_TRUE(IsError(AddReplenishment(**txn, logistics, r, Q("150 tonne"), f_.clock.Now()),
                        StatusCode::kInvalidArgument, "grade"));
  }
  // One due on day 38 comes in time.
  RELOS_ASSERT_OK(plan("R-1", 38));
  RELOS_ASSERT_OK(Approve(b));

  auto txn = store_.BeginRead();
  RELOS_ASSERT_OK_AND_ASSIGN(FacilityUsage usage,
                             UsageOf(**txn, kRuPort, f_.clock.Now(), f_.clock.Now().PlusDays(60), f_.clock.Now()));
  const ResourceUsage* fuel = nullptr;
  for (const auto& r : usage.resources) {
    if (r.resource == "fuel:F-76") fuel = &r;
  }
  ASSERT_NE(fuel, nullptr);
  std::vector<int64_t> stock;
  for (const auto& p : fuel->stock) stock.push_back(p.stock / 1000);
  // On hand 200, +150, -300 (B), +150 (R-LATE).
  EXPECT_EQ(stock, (std::vector<int64_t>{200, 350, 50, 200}));
}

TEST_F(CapacityTest, DeliveryReleasesTheFuelIssueAndCloseThePlaces) {
  RELOS_ASSERT_OK_AND_ASSIGN(
      Order o, Submitted({f_.Line(kF76, Q("10 tonne")), f_.Line(kBerthDay, Q("2 berth-day")),
                          f_.Line(kAccomBed, Q("20 bed-day"))}));
  RELOS_ASSERT_OK_AND_ASSIGN(o, Approve(o));
  EXPECT_EQ(Describe(AllReservations(store_)),
            "01:3 accommodation 10 2026-04-06T08:00:00Z..2026-04-08T08:00:00Z\n"
            "01:2 berth:B2 1 2026-04-06T08:00:00Z..2026-04-08T08:00:00Z\n"
            "01:1 fuel:F-76 10000 2026-04-06T08:00:00Z..2026-04-06T08:00:00Z\n");
  RELOS_ASSERT_OK(service_.Deliver(As("RU", Role::kLogisticsOfficer), o.id, {}));
  EXPECT_EQ(Describe(AllReservations(store_)),
            "01:3 accommodation 10 2026-04-06T08:00:00Z..2026-04-08T08:00:00Z\n"
            "01:2 berth:B2 1 2026-04-06T08:00:00Z..2026-04-08T08:00:00Z\n");
  RELOS_ASSERT_OK(service_.Receipt(As("IN", Role::kReceiver), o.id, {}));
  RELOS_ASSERT_OK(service_.Close(As("IN", Role::kFinance), o.id, {}));
  EXPECT_TRUE(AllReservations(store_).empty());
}

TEST_F(CapacityTest, ConflictReportListsEveryOversubscriptionOfAPlanWithItsOrders) {
  // Four drafts: three ships for two berths, and 8 + 6 beds of 10.
  std::vector<Order> drafts;
  for (int offset : {35, 35, 36}) {
    RELOS_ASSERT_OK_AND_ASSIGN(Order o, f_.Create(f_.Request({f_.Line(kBerthDay, Q("2 berth-day"), offset)})));
    drafts.push_back(o);
  }
  RELOS_ASSERT_OK_AND_ASSIGN(Order beds1, f_.Create(f_.Request({f_.Line(kMedBed, Q("16 bed-day"))})));
  RELOS_ASSERT_OK_AND_ASSIGN(Order beds2, f_.Create(f_.Request({f_.Line(kMedBed, Q("12 bed-day"), 36)})));
  std::vector<Demand> plan;
  auto txn = store_.BeginRead();
  for (const Order& o : {drafts[0], drafts[1], drafts[2], beds1, beds2}) {
    RELOS_ASSERT_OK_AND_ASSIGN(auto d, DemandsOf(**txn, o, /*approved=*/false));
    plan.insert(plan.end(), d.begin(), d.end());
  }
  RELOS_ASSERT_OK_AND_ASSIGN(Placement p, Place(**txn, plan, /*involving_only=*/false, f_.clock.Now()));
  ASSERT_EQ(p.conflicts.size(), 2u);
  // Two ships take B1 and B2 on days 35-36; the third, arriving on day 36,
  // finds both taken.
  EXPECT_EQ(p.conflicts[0].ToString(), "beds at RU-VLD from " + f_.clock.Now().PlusDays(36).ToIso8601() + " to " +
                                           f_.clock.Now().PlusDays(37).ToIso8601() +
                                           ": capacity 10, asked 14, short by 4 (orders " + beds1.number + ", " +
                                           beds2.number + ")");
  EXPECT_EQ(p.conflicts[1].resource, "berth");
  EXPECT_EQ(p.conflicts[1].from, f_.clock.Now().PlusDays(36));
  EXPECT_EQ(p.conflicts[1].to, f_.clock.Now().PlusDays(38));
  EXPECT_EQ(p.conflicts[1].orders, (std::vector<std::string>{drafts[0].number, drafts[1].number, drafts[2].number}));
  EXPECT_EQ(p.conflicts[1].shortfall(), 1);
}

// ---- Concurrency on SQLite: many approvals competing for the same beds.

class SqliteCapacityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("relos_capacity_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "relos.db").string();
    auto store = storage::SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    fixture_ = std::make_unique<relos::testing::OrdersFixture>(*store_);
  }
  void TearDown() override {
    fixture_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // `n` submitted orders each wanting 3 beds (6 bed-days over 2 days) at the
  // same time: only 3 of them fit RU-VLD's 10 beds.
  std::vector<int64_t> Competing(int n) {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) {
      auto o = fixture_->RaiseTo(OrderState::kSubmitted, fixture_->Request({fixture_->Line(kMedBed, Q("6 bed-day"))}));
      EXPECT_TRUE(o.ok()) << o.status();
      if (o.ok()) ids.push_back(o->id);
    }
    return ids;
  }

  void ExpectNoOverbooking(int64_t approved) {
    int64_t held = 0;
    for (const auto& r : AllReservations(*store_)) held += r.amount;
    EXPECT_EQ(held, approved * 3);
    EXPECT_LE(held, relos::testing::kRuBeds);
    EXPECT_EQ(approved, relos::testing::kRuBeds / 3);
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<relos::testing::OrdersFixture> fixture_;
};

TEST_F(SqliteCapacityTest, ConcurrentApprovalsInThreadsNeverOverbook) {
  const std::vector<int64_t> ids = Competing(8);
  ASSERT_EQ(ids.size(), 8u);
  // Two stores on the same file: two connection pools, so the second
  // competes through SQLite's lock as another process would.
  auto other = storage::SqliteStore::Open(path_);
  ASSERT_TRUE(other.ok()) << other.status();
  CapacityObserver observer;
  orders::OrderService a(*store_, fixture_->clock, {&observer});
  orders::OrderService b(**other, fixture_->clock, {&observer});
  std::atomic<int64_t> approved{0}, exhausted{0}, other_errors{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      orders::OrderService& service = i % 2 ? b : a;
      auto r = service.Approve(As("RU", Role::kApprover), ids[i], {});
      if (r.ok()) {
        ++approved;
      } else if (r.status().code() == StatusCode::kResourceExhausted && r.status().reason() == "capacity.exhausted") {
        ++exhausted;
      } else {
        ++other_errors;
        ADD_FAILURE() << r.status();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_EQ(approved + exhausted, 8);
  ExpectNoOverbooking(approved.load());
}

TEST_F(SqliteCapacityTest, ConcurrentApprovalsInTwoProcessesNeverOverbook) {
  const std::vector<int64_t> ids = Competing(8);
  ASSERT_EQ(ids.size(), 8u);
  fixture_.reset();
  store_.reset();
  // Each child opens the file itself and approves every other order; its
  // exit status is how many it approved (or 100 + the failure).
  std::vector<pid_t> children;
  for (int k = 0; k < 2; ++k) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto store = storage::SqliteStore::Open(path_);
      if (!store.ok()) ::_exit(100);
      FakeClock clock(relos::testing::StartTime());
      CapacityObserver observer;
      orders::OrderService service(**store, clock, {&observer});
      int ok = 0;
      for (size_t i = k; i < ids.size(); i += 2) {
        auto r = service.Approve(As("RU", Role::kApprover), ids[i], {});
        if (r.ok()) {
          ++ok;
        } else if (r.status().code() != StatusCode::kResourceExhausted) {
          ::_exit(100 + static_cast<int>(r.status().code()));
        }
      }
      ::_exit(ok);
    }
    children.push_back(pid);
  }
  int64_t approved = 0;
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_LT(WEXITSTATUS(status), 100) << "child failed with status code " << WEXITSTATUS(status) - 100;
    approved += WEXITSTATUS(status);
  }
  auto store = storage::SqliteStore::Open(path_);
  ASSERT_TRUE(store.ok());
  store_ = std::move(*store);
  ExpectNoOverbooking(approved);
}

}  // namespace
}  // namespace relos::capacity

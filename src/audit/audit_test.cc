// The audit chain: how it links, that a store verifies after a lifecycle,
// and that tampering behind the services is found and named, whether done
// through the Store API or with SQL on a SQLite file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

#include "orders/testing/fixture.h"
#include "relos/audit/chain.h"
#include "relos/audit/verify.h"
#include "relos/codec/codec.h"
#include "relos/storage/memory_store.h"
#include "relos/storage/sqlite_store.h"

namespace relos::audit {
namespace {

using orders::Order;
using orders::OrderState;
using relos::testing::Q;

// Events the test registry's import appends: 2 parties, 10 items, the fuel
// table, 1 agreement, 2 facilities, 4 units.
constexpr int64_t kRegistryEvents = 20;
constexpr int64_t kRegistryObjects = 20;

std::vector<Event> AllEvents(storage::Store& store) {
  return store.BeginRead().value()->ListEvents(0, 100000).value();
}

int64_t SeqOf(storage::Store& store, const std::string& kind) {
  for (const Event& e : AllEvents(store)) {
    if (e.kind == kind) return e.seq;
  }
  ADD_FAILURE() << "no event " << kind;
  return 0;
}

VerifyReport Verify(storage::Store& store) {
  auto txn = store.BeginRead().value();
  return VerifyStore(*txn).value();
}

VerifyReport VerifyChainOnly(storage::Store& store) {
  auto txn = store.BeginRead().value();
  return VerifyChain(*txn).value();
}

// Changes the store behind the services' back, in one committed transaction.
template <typename Change>
void Tamper(storage::Store& store, Change&& change) {
  auto txn = store.BeginWrite().value();
  change(*txn);
  ASSERT_TRUE(txn->Commit().ok());
}

::testing::AssertionResult Broken(const VerifyReport& r, int64_t seq, const std::string& problem) {
  if (!r.ok() && r.broken_seq == seq && r.problem == problem) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "broken_seq " << (r.broken_seq ? std::to_string(*r.broken_seq) : "none")
                                       << ", problem '" << r.problem << "'";
}

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto o = f_.RaiseTo(OrderState::kClosed);
    ASSERT_TRUE(o.ok()) << o.status();
    order_ = *o;
  }

  storage::MemoryStore store_;
  relos::testing::OrdersFixture f_{store_};
  Order order_;
};

TEST_F(AuditChainTest, EveryChangeAppendsOneLinkedEvent) {
  const std::vector<Event> events = AllEvents(store_);
  std::string prev = kGenesisHash;
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(events[i].prev_hash, prev) << events[i].seq;
    EXPECT_EQ(events[i].hash, ComputeEventHash(events[i])) << events[i].seq;
    prev = events[i].hash;
  }
  std::ostringstream lifecycle;
  for (size_t i = kRegistryEvents; i < events.size(); ++i) {
    const Event& e = events[i];
    lifecycle << e.seq << " " << e.kind << " " << e.subject << " " << e.actor_party << ":" << e.actor_role << "\n";
  }
  EXPECT_EQ(lifecycle.str(),
            "21 order.create order/RELOS-TEST-2026-000001 IN:requester\n"
            "22 order.submit order/RELOS-TEST-2026-000001 IN:requester\n"
            "23 order.approve order/RELOS-TEST-2026-000001 RU:approver\n"
            "24 facility.fuel_issued facility/RU-VLD RU:logistics-officer\n"
            "25 order.deliver order/RELOS-TEST-2026-000001 RU:logistics-officer\n"
            "26 order.receipt order/RELOS-TEST-2026-000001 IN:receiver\n"
            "27 order.close order/RELOS-TEST-2026-000001 IN:finance\n");
  // The payload is the order as it stands after the change.
  EXPECT_EQ(events.back().payload, codec::Canonical(codec::ToJson(order_)));
}

TEST_F(AuditChainTest, AHashCoversEveryField) {
  const Event e = AllEvents(store_).back();
  std::vector<Event> variants(9, e);
  variants[0].seq += 1;
  variants[1].at = variants[1].at.PlusSeconds(1);
  variants[2].actor_party = "RU";
  variants[3].actor_role = "approver";
  variants[4].actor_name += ".";
  variants[5].kind = "order.cancel";
  variants[6].subject += "X";
  variants[7].payload += " ";
  variants[8].prev_hash = kGenesisHash;
  for (const Event& v : variants) EXPECT_NE(ComputeEventHash(v), e.hash);
  // Moving a character from one field to the next changes the hash too.
  Event shifted = e;
  shifted.actor_name = e.actor_name.substr(0, e.actor_name.size() - 1);
  shifted.kind = e.actor_name.back() + e.kind;
  EXPECT_NE(ComputeEventHash(shifted), e.hash);
}

TEST_F(AuditChainTest, AStoreVerifiesAfterALifecycle) {
  const VerifyReport r = Verify(store_);
  EXPECT_TRUE(r.ok()) << r.problem;
  EXPECT_EQ(r.events_checked, kRegistryEvents + 7);
  EXPECT_EQ(r.objects_checked, kRegistryObjects + 1);
}

TEST_F(AuditChainTest, AnOrderChangedWithoutAnEventIsFound) {
  Tamper(store_, [&](storage::Transaction& txn) {
    Order o = txn.GetOrder(order_.id).value();
    o.lines[0].requested = Q("100 tonne");
    o.version += 1;
    ASSERT_TRUE(txn.UpdateOrder(o).ok());
  });
  EXPECT_TRUE(VerifyChainOnly(store_).ok());  // the chain itself is intact
  EXPECT_TRUE(Broken(Verify(store_), 27,
                     "order/RELOS-TEST-2026-000001 differs from what event 27 recorded (changed outside relos)"));
}

TEST_F(AuditChainTest, AStockChangedWithoutAnEventIsFound) {
  Tamper(store_, [&](storage::Transaction& txn) {
    registry::Facility f = txn.GetFacility(relos::testing::kRuPort).value();
    f.fuel[0].on_hand = Q("5000 tonne");
    ASSERT_TRUE(txn.PutFacility(f).ok());
  });
  EXPECT_TRUE(Broken(Verify(store_), SeqOf(store_, "facility.fuel_issued"),
                     "facility/RU-VLD differs from what event 24 recorded (changed outside relos)"));
}

TEST_F(AuditChainTest, AnOrderInsertedWithoutAnEventIsFound) {
  Tamper(store_, [&](storage::Transaction& txn) {
    Order o = order_;
    o.number = "RELOS-TEST-2026-000099";
    ASSERT_TRUE(txn.InsertOrder(o).ok());
  });
  const VerifyReport r = Verify(store_);
  EXPECT_FALSE(r.broken_seq.has_value());
  EXPECT_EQ(r.problem, "order/RELOS-TEST-2026-000099 exists in the store but no event records it (inserted outside relos)");
}

TEST_F(AuditChainTest, AForgedEventWithABadHashIsFound) {
  Tamper(store_, [&](storage::Transaction& txn) {
    Event forged = txn.LastEvent().value().value();
    forged.seq += 1;
    forged.prev_hash = forged.hash;
    forged.kind = "order.cancel";
    // The forger cannot recompute the hash (say): they keep the old one.
    ASSERT_TRUE(txn.AppendEvent(forged).ok());
  });
  EXPECT_TRUE(Broken(Verify(store_), 28,
                     "event 28 (order.cancel order/RELOS-TEST-2026-000001) was altered: its hash does not match its "
                     "contents"));
}

TEST_F(AuditChainTest, AForgedEventThatDoesNotLinkIsFound) {
  Tamper(store_, [&](storage::Transaction& txn) {
    Event forged = txn.LastEvent().value().value();
    forged.seq += 1;
    forged.prev_hash = std::string(64, 'f');
    forged.hash = ComputeEventHash(forged);
    ASSERT_TRUE(txn.AppendEvent(forged).ok());
  });
  EXPECT_TRUE(Broken(Verify(store_), 28, "event 28 does not link to event 27 (prev_hash differs)"));
}

TEST_F(AuditChainTest, AWellFormedForgedEventStillDisagreesWithTheStore) {
  // A forger who can hash: the chain verifies, but the order in the store
  // is not what the latest event about it says.
  Tamper(store_, [&](storage::Transaction& txn) {
    Order claimed = order_;
    claimed.lines[0].delivered = Q("1 tonne");
    const Event last = txn.LastEvent().value().value();
    Event forged{last.seq + 1, last.at, "RU", "approver", "forger", "order.resolve", last.subject,
                 codec::Canonical(codec::ToJson(claimed)), last.hash, ""};
    forged.hash = ComputeEventHash(forged);
    ASSERT_TRUE(txn.AppendEvent(forged).ok());
  });
  EXPECT_TRUE(VerifyChainOnly(store_).ok());
  EXPECT_TRUE(Broken(Verify(store_), 28,
                     "order/RELOS-TEST-2026-000001 differs from what event 28 recorded (changed outside relos)"));
}

// ---- The same on a SQLite file, tampered with SQL.

class SqliteTamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "relos_audit_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    RemoveFiles();
    auto store = storage::SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    relos::testing::OrdersFixture f(**store);
    auto o = f.RaiseTo(OrderState::kClosed);
    ASSERT_TRUE(o.ok()) << o.status();
    const VerifyReport r = Verify(**store);
    ASSERT_TRUE(r.ok()) << r.problem;
    ASSERT_EQ(r.events_checked, kRegistryEvents + 7);
  }
  void TearDown() override { RemoveFiles(); }

  void RemoveFiles() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  // Runs `sql` on the file with the sqlite3 C API, as an intruder with the
  // sqlite3 shell would; it must change exactly one row.
  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> close(db, sqlite3_close);
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    EXPECT_EQ(sqlite3_changes(db), 1) << sql;
  }

  VerifyReport Reopened() {
    auto store = storage::SqliteStore::Open(path_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? Verify(**store) : VerifyReport{};
  }

  std::string path_;
};

TEST_F(SqliteTamperTest, AnEventPayloadUpdatedIsFound) {
  Sql(R"(UPDATE events SET payload = replace(payload, '"approved":"10 tonne"', '"approved":"1 tonne"')
         WHERE seq = 23 AND payload LIKE '%"approved":"10 tonne"%')");
  EXPECT_TRUE(Broken(Reopened(), 23,
                     "event 23 (order.approve order/RELOS-TEST-2026-000001) was altered: its hash does not match its "
                     "contents"));
}

TEST_F(SqliteTamperTest, AnEventDeletedIsFound) {
  Sql("DELETE FROM events WHERE seq = 24");
  EXPECT_TRUE(Broken(Reopened(), 24, "event 24 is missing (next stored event is 25)"));
}

TEST_F(SqliteTamperTest, TheLastEventDeletedIsFound) {
  // The chain is a valid prefix, but the order moved on without a record.
  Sql("DELETE FROM events WHERE seq = 27");
  EXPECT_TRUE(Broken(Reopened(), 26,
                     "order/RELOS-TEST-2026-000001 differs from what event 26 recorded (changed outside relos)"));
}

TEST_F(SqliteTamperTest, AnOrderRowUpdatedIsFound) {
  Sql(R"(UPDATE orders SET doc = replace(doc, '"requested":"10 tonne"', '"requested":"12 tonne"')
         WHERE doc LIKE '%"requested":"10 tonne"%')");
  EXPECT_TRUE(Broken(Reopened(), 27,
                     "order/RELOS-TEST-2026-000001 differs from what event 27 recorded (changed outside relos)"));
}

TEST_F(SqliteTamperTest, AnOrderRowDeletedIsFound) {
  Sql("DELETE FROM orders WHERE number = 'RELOS-TEST-2026-000001'");
  EXPECT_TRUE(Broken(Reopened(), 27,
                     "order/RELOS-TEST-2026-000001 recorded by event 27 is missing from the store (deleted outside "
                     "relos)"));
}

TEST_F(SqliteTamperTest, AFacilityRowUpdatedIsFound) {
  Sql(R"(UPDATE facilities SET doc = replace(doc, '"on_hand":"490 tonne"', '"on_hand":"900 tonne"')
         WHERE code = 'RU-VLD' AND doc LIKE '%"on_hand":"490 tonne"%')");
  EXPECT_TRUE(
      Broken(Reopened(), 24, "facility/RU-VLD differs from what event 24 recorded (changed outside relos)"));
}

}  // namespace
}  // namespace relos::audit

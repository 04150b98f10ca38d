// The conformance suite on PostgresStore, each test in a scratch database
// of its own on the server named by RELOS_TEST_POSTGRES_URL, and what only
// the PostgreSQL backend has: migrations in a shared database, URLs,
// writers in separate stores (separate connection pools, as two processes
// have) racing for the same orders.
#include "relos/storage/postgres_store.h"

#include <atomic>
#include <thread>

#include "postgres_scratch.h"
#include "relos/storage/open_store.h"
#include "storage/sample_data.h"
#include "storage/store_conformance.h"

namespace relos::storage::testing {
namespace {

using relos::testing::PostgresSkipMessage;
using relos::testing::PostgresTestUrl;
using relos::testing::ScratchDatabase;

// A PostgresStore on a scratch database that is dropped after the store.
class ScratchPostgresStore final : public Store {
 public:
  ScratchPostgresStore(ScratchDatabase db, std::unique_ptr<Store> store)
      : db_(std::move(db)), store_(std::move(store)) {}
  Result<std::unique_ptr<Transaction>> BeginWrite() override { return store_->BeginWrite(); }
  Result<std::unique_ptr<Transaction>> BeginRead() override { return store_->BeginRead(); }

 private:
  ScratchDatabase db_;            // destroyed last: dropped once the store's
  std::unique_ptr<Store> store_;  // connections are closed
};

INSTANTIATE_TEST_SUITE_P(
    Postgres, StoreConformanceTest,
    ::testing::Values(StoreFactory{"postgres",
                                   [](const std::string&) -> Result<std::unique_ptr<Store>> {
                                     ASSIGN_OR_RETURN(auto db, ScratchDatabase::Create());
                                     ASSIGN_OR_RETURN(auto store, PostgresStore::Open(db.url()));
                                     return std::unique_ptr<Store>(
                                         std::make_unique<ScratchPostgresStore>(std::move(db), std::move(store)));
                                   },
                                   PostgresTestUrl().empty() ? PostgresSkipMessage() : ""}),
    StoreFactoryName);

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresTestUrl().empty()) GTEST_SKIP() << PostgresSkipMessage();
    auto db = ScratchDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    db_.emplace(std::move(*db));
  }
  const std::string& Url() const { return db_->url(); }
  std::string Sql(const std::string& sql) {
    auto out = db_->Sql(sql);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : "";
  }
  std::unique_ptr<PostgresStore> OpenOrDie() {
    auto store = PostgresStore::Open(Url());
    RELOS_CHECK(store.ok(), store.status().ToString());
    return std::move(*store);
  }
  std::optional<ScratchDatabase> db_;
};

TEST_F(PostgresStoreTest, MigrationsAreRecordedAndASecondOpenIsANoOp) {
  {
    auto store = OpenOrDie();
    EXPECT_EQ(*store->SchemaVersion(), PostgresStore::LatestSchemaVersion());
  }
  EXPECT_GE(PostgresStore::LatestSchemaVersion(), 2);
  std::string applied = Sql("SELECT string_agg(version || ' ' || name || ' ' || applied_at, ',' ORDER BY version) "
                            "FROM schema_migrations");
  EXPECT_NE(applied.find("1 registry, orders and audit events 20"), std::string::npos) << applied;
  EXPECT_EQ(Sql("SELECT MAX(version) FROM schema_migrations"), std::to_string(PostgresStore::LatestSchemaVersion()));
  const std::string rows = Sql("SELECT COUNT(*) FROM schema_migrations");
  {
    auto again = OpenOrDie();
    EXPECT_EQ(*again->SchemaVersion(), PostgresStore::LatestSchemaVersion());
  }
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM schema_migrations"), rows);
  EXPECT_EQ(Sql("SELECT string_agg(version || ' ' || name || ' ' || applied_at, ',' ORDER BY version) "
                "FROM schema_migrations"),
            applied);
}

TEST_F(PostgresStoreTest, TwoProcessesOpeningANewDatabaseAtOnceMigrateItOnce) {
  // Separate stores have separate connections, as separate processes do.
  std::vector<std::thread> openers;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    openers.emplace_back([&] {
      if (PostgresStore::Open(Url()).ok()) ++opened;
    });
  }
  for (auto& t : openers) t.join();
  // A second migration of the same database would fail on CREATE TABLE,
  // and its Open() with it.
  EXPECT_EQ(opened.load(), 4);
  EXPECT_EQ(Sql("SELECT MAX(version) FROM schema_migrations"), std::to_string(PostgresStore::LatestSchemaVersion()));
}

TEST_F(PostgresStoreTest, RefusesADatabaseFromANewerRelos) {
  { OpenOrDie(); }
  Sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')");
  Status s = PostgresStore::Open(Url()).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(s.reason(), "storage.schema_too_new");
  EXPECT_NE(s.message().find("999"), std::string::npos) << s;
}

TEST_F(PostgresStoreTest, ACorruptedDocumentIsDataLossNotACrash) {
  auto store = OpenOrDie();
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->PutParty(relos::testing::SampleParty()).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  Sql("UPDATE parties SET doc = '{\"code\":\"IN\"}'");
  Status s = (*store->BeginRead())->GetParty("IN").status();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("parties IN"), std::string::npos) << s;
}

TEST_F(PostgresStoreTest, MoneyIsBigintAndEventsHaveOneColumnPerField) {
  auto store = OpenOrDie();
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->AppendEvent(relos::testing::SampleEvent(1)).ok());
    ledger::Account big{"AG:RU:receivable:IN:RUB", "AG", "RU", "receivable", "IN", "RUB"};
    big.debits_posted = INT64_MAX;  // no float on the way could hold this exactly
    ASSERT_TRUE(tx->Ledger().PutAccount(big).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(Sql("SELECT at || '|' || actor_name || '|' || kind || '|' || subject FROM events WHERE seq = 1"),
            "2025-06-01T09:00:01Z|Lt Rao|order.created|order/1");
  EXPECT_EQ(Sql("SELECT data_type FROM information_schema.columns WHERE table_name = 'ledger_accounts' "
                "AND column_name = 'debits_posted'"),
            "bigint");
  EXPECT_EQ((*store->BeginRead())->Ledger().GetAccount("AG:RU:receivable:IN:RUB")->debits_posted, INT64_MAX);
}

TEST_F(PostgresStoreTest, ValuesAreParametersNotSql) {
  auto store = OpenOrDie();
  registry::Party p = relos::testing::SampleParty("IN'); DROP TABLE parties; --");
  p.name = "Robert'); DROP TABLE orders; -- \\ $1 \"quoted\"";
  {
    auto tx = *store->BeginWrite();
    ASSERT_TRUE(tx->PutParty(p).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(*(*store->BeginRead())->GetParty(p.code), p);
  EXPECT_EQ(Sql("SELECT COUNT(*) FROM orders"), "0");
  // PostgreSQL text cannot hold NUL: refused, not truncated.
  auto tx = *store->BeginWrite();
  Status s = tx->PutParty(relos::testing::SampleParty(std::string("A\0B", 3)));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s;
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailableAndTheMessageHidesThePassword) {
  Status s = PostgresStore::Open("postgresql://relos:s3cret-pw@127.0.0.1:1/relos?connect_timeout=2").status();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s;
  EXPECT_EQ(s.message().find("s3cret-pw"), std::string::npos) << s;
  EXPECT_NE(s.message().find("127.0.0.1"), std::string::npos) << s;
}

TEST_F(PostgresStoreTest, OpenStoreDispatchesBothSchemes) {
  for (std::string scheme : {"postgresql://", "postgres://"}) {
    ASSERT_EQ(Url().rfind("postgresql://", 0), 0u);
    std::string url = scheme + Url().substr(std::string("postgresql://").size());
    auto store = OpenStore(url);
    ASSERT_TRUE(store.ok()) << url << ": " << store.status();
    auto w = *(*store)->BeginWrite();
    ASSERT_TRUE(w->PutParty(relos::testing::SampleParty(scheme)).ok());
    ASSERT_TRUE(w->Commit().ok());
  }
  EXPECT_EQ(Sql("SELECT string_agg(code, ',' ORDER BY code) FROM parties"), "postgres://,postgresql://");
}

TEST_F(PostgresStoreTest, WritersInSeparateStoresAreSerialised) {
  // Two stores, as two relos processes: each thread increments the same
  // order through its own store. The writer lock makes every
  // read-modify-write see the previous one, so none is lost or refused.
  int64_t id = 0;
  {
    auto store = OpenOrDie();
    auto w = *store->BeginWrite();
    id = *w->InsertOrder(relos::testing::SampleOrder());
    ASSERT_TRUE(w->Commit().ok());
  }
  auto a = OpenOrDie();
  auto b = OpenOrDie();
  constexpr int kPerStore = 20;
  std::atomic<int> failures{0};
  auto work = [&](PostgresStore* store) {
    for (int i = 0; i < kPerStore; ++i) {
      auto tx = store->BeginWrite();
      if (!tx.ok()) {
        ++failures;
        continue;
      }
      auto o = (*tx)->GetOrder(id);
      auto last = (*tx)->LastEvent();
      if (!o.ok() || !last.ok()) {
        ++failures;
        continue;
      }
      o->version += 1;
      audit::Event e = relos::testing::SampleEvent(last->has_value() ? (*last)->seq + 1 : 1);
      if (!(*tx)->UpdateOrder(*o).ok() || !(*tx)->AppendEvent(e).ok() || !(*tx)->Commit().ok()) ++failures;
    }
  };
  std::thread ta(work, a.get()), tb(work, b.get());
  ta.join();
  tb.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ((*a->BeginRead())->GetOrder(id)->version, relos::testing::SampleOrder().version + 2 * kPerStore);
  EXPECT_EQ(Sql("SELECT COUNT(*) || ' ' || MAX(seq) FROM events"),
            std::to_string(2 * kPerStore) + " " + std::to_string(2 * kPerStore));
}

}  // namespace
}  // namespace relos::storage::testing

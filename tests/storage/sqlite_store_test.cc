// The conformance suite on SqliteStore, and what only a file-backed store
// has: reopening, migrations, refusing a newer or foreign file.
#include "relos/storage/sqlite_store.h"

#include <sqlite3.h>

#include <fstream>

#include "storage/sample_data.h"
#include "storage/store_conformance.h"

namespace relos::storage::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreFactory{"sqlite",
                                                        [](const std::string& dir) -> Result<std::unique_ptr<Store>> {
                                                          ASSIGN_OR_RETURN(auto s, SqliteStore::Open(dir + "/relos.db"));
                                                          return std::unique_ptr<Store>(std::move(s));
                                                        }}),
                         StoreFactoryName);

// Runs one SQL statement on the file directly, as an operator (or an
// attacker) with the sqlite3 shell would; returns the first column of the
// first row, if any.
std::string RawSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string out;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  EXPECT_TRUE(rc == SQLITE_ROW || rc == SQLITE_DONE) << sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.path() + "/relos.db"; }
  TempDir dir_;
};

TEST_F(SqliteStoreTest, ReopenKeepsCommittedData) {
  {
    auto store = SqliteStore::Open(Path());
    ASSERT_TRUE(store.ok()) << store.status();
    auto tx = *(*store)->BeginWrite();
    ASSERT_TRUE(tx->PutFacility(relos::testing::SampleFacility()).ok());
    ASSERT_TRUE(tx->InsertOrder(relos::testing::SampleOrder()).ok());
    ASSERT_TRUE(tx->AppendEvent(relos::testing::SampleEvent(1)).ok());
    ASSERT_TRUE(tx->Commit().ok());
    auto uncommitted = *(*store)->BeginWrite();
    ASSERT_TRUE(uncommitted->PutParty(relos::testing::SampleParty()).ok());
    // Closed with a transaction still open: it must not survive.
  }
  auto store = SqliteStore::Open(Path());
  ASSERT_TRUE(store.ok()) << store.status();
  auto tx = *(*store)->BeginRead();
  EXPECT_EQ(*tx->GetFacility("RU-VLD"), relos::testing::SampleFacility());
  auto order = tx->GetOrderByNumber(relos::testing::SampleOrder().number);
  ASSERT_TRUE(order.ok()) << order.status();
  EXPECT_EQ(order->lines, relos::testing::SampleOrder().lines);
  EXPECT_EQ(**tx->LastEvent(), relos::testing::SampleEvent(1));
  EXPECT_TRUE(tx->ListParties()->empty());
}

TEST_F(SqliteStoreTest, MigrationsAreRecordedAndASecondOpenIsANoOp) {
  {
    auto store = SqliteStore::Open(Path());
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ(*(*store)->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  }
  EXPECT_GE(SqliteStore::LatestSchemaVersion(), 1);
  // Versions may leave gaps (numbers are reserved per feature): the newest
  // recorded is the latest, and each is recorded once.
  EXPECT_EQ(RawSql(Path(), "SELECT MAX(version) FROM schema_migrations"),
            std::to_string(SqliteStore::LatestSchemaVersion()));
  EXPECT_EQ(RawSql(Path(), "SELECT COUNT(*) - COUNT(DISTINCT version) FROM schema_migrations"), "0");
  const std::string count = RawSql(Path(), "SELECT COUNT(*) FROM schema_migrations");
  std::string applied = RawSql(Path(), "SELECT group_concat(version || ' ' || applied_at, ',') FROM schema_migrations");
  EXPECT_EQ(RawSql(Path(), "PRAGMA journal_mode"), "wal");
  {
    auto again = SqliteStore::Open(Path());
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(*(*again)->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  }
  EXPECT_EQ(RawSql(Path(), "SELECT COUNT(*) FROM schema_migrations"), count);
  EXPECT_EQ(RawSql(Path(), "SELECT group_concat(version || ' ' || applied_at, ',') FROM schema_migrations"), applied);
}

TEST_F(SqliteStoreTest, AMigrationBelowTheHighestAppliedIsStillApplied) {
  // A file written by a relos that had migration 4 but not yet 3.
  { ASSERT_TRUE(SqliteStore::Open(Path()).ok()); }
  for (const char* sql : {"DROP TABLE capacity_reservations", "DROP TABLE capacity_replenishments",
                          "DROP TABLE exercises", "DELETE FROM schema_migrations WHERE version = 3"}) {
    RawSql(Path(), sql);
  }
  auto store = SqliteStore::Open(Path());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(RawSql(Path(), "SELECT COUNT(*) FROM schema_migrations WHERE version = 3"), "1");
  auto tx = *(*store)->BeginRead();
  EXPECT_TRUE(tx->Exercises().ListExercises()->empty());
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerRelos) {
  { ASSERT_TRUE(SqliteStore::Open(Path()).ok()); }
  RawSql(Path(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')");
  Status s = SqliteStore::Open(Path()).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(s.reason(), "storage.schema_too_new");
  EXPECT_NE(s.message().find("999"), std::string::npos) << s;
}

TEST_F(SqliteStoreTest, RefusesAFileThatIsNotADatabase) {
  std::ofstream(Path()) << "this is not a database, just text long enough to fill a header block................"
                        << std::string(200, 'x');
  Status s = SqliteStore::Open(Path()).status();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s;
}

TEST_F(SqliteStoreTest, ACorruptedDocumentIsDataLossNotACrash) {
  {
    auto store = SqliteStore::Open(Path());
    ASSERT_TRUE(store.ok());
    auto tx = *(*store)->BeginWrite();
    ASSERT_TRUE(tx->PutParty(relos::testing::SampleParty()).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  RawSql(Path(), "UPDATE parties SET doc = '{\"code\":\"IN\"}'");
  auto store = SqliteStore::Open(Path());
  ASSERT_TRUE(store.ok());
  Status s = (*(*store)->BeginRead())->GetParty("IN").status();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find("parties IN"), std::string::npos) << s;
}

TEST_F(SqliteStoreTest, EventsHaveOneColumnPerField) {
  {
    auto store = SqliteStore::Open(Path());
    ASSERT_TRUE(store.ok());
    auto tx = *(*store)->BeginWrite();
    ASSERT_TRUE(tx->AppendEvent(relos::testing::SampleEvent(1)).ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(RawSql(Path(), "SELECT at || '|' || actor_name || '|' || kind || '|' || subject FROM events WHERE seq = 1"),
            "2025-06-01T09:00:01Z|Lt Rao|order.created|order/1");
}

}  // namespace
}  // namespace relos::storage::testing

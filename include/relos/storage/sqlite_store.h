// SqliteStore: the embedded backend, one SQLite database file. Registry
// objects and orders are stored as codec JSON documents beside the key
// columns that queries and unique constraints need; audit events have one
// column per field, so the chain can be inspected with the sqlite3 shell.
//
// Durability: WAL journal with synchronous=FULL, so a committed transaction
// survives a power cut. The schema is versioned: Open() applies, in one
// transaction, every migration the file lacks and records it in
// schema_migrations; a file written by a newer relos is refused.
//
// Thread-safety: thread-safe. Each transaction has a connection of its own
// (taken from a pool), so readers run beside the writer, each on the snapshot
// it began with. Writers are serialised: in this process BeginWrite() waits
// for the previous write transaction to end; across processes it waits up to
// the busy timeout (5 s) for SQLite's write lock, then returns Unavailable.
// A Transaction is used by one thread at a time; the store must outlive its
// transactions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "relos/storage/store.h"

namespace relos::storage {

namespace internal {
class SqlitePool;  // connections and the writer gate (sqlite_store.cc)
}  // namespace internal

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) the database at `path` and migrates it to the
  // latest schema. Errors: FailedPrecondition if the file's schema is newer
  // than this binary knows (names both versions); DataLoss if the file is
  // not a SQLite database or is corrupt; Unavailable if it cannot be opened
  // or is locked by another writer beyond the busy timeout.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // `BEGIN IMMEDIATE` on a pooled connection. Unavailable if another process
  // holds the write lock beyond the busy timeout or the database fails.
  Result<std::unique_ptr<Transaction>> BeginWrite() override;
  // A deferred read transaction; its snapshot is fixed by its first read.
  Result<std::unique_ptr<Transaction>> BeginRead() override;

  // The schema version of the open database (the highest applied migration).
  Result<int> SchemaVersion();
  // The schema version this binary migrates to.
  static int LatestSchemaVersion();

 private:
  explicit SqliteStore(std::unique_ptr<internal::SqlitePool> pool);
  std::unique_ptr<internal::SqlitePool> pool_;
};

}  // namespace relos::storage

// PostgresStore: the multi-user backend, one PostgreSQL database reached
// through libpq. It stores what SqliteStore stores, the same way: registry
// objects and orders as canonical codec JSON text beside their key columns,
// audit events one column per field, ledger rows with BIGINT amounts. The
// schema is versioned with the same migration numbers as SQLite; Open()
// applies what the database lacks, in one transaction, and refuses a
// database written by a newer relos.
//
// Concurrency: every write transaction takes one transaction-scoped advisory
// lock (pg_advisory_xact_lock) as it begins, so writers are serialised
// across every process and thread using the database, in the order they
// asked; each then runs at READ COMMITTED, and since no other writer can
// commit before it ends, every statement sees the latest committed state
// and nothing changes under it. BeginWrite() waits up to 30 s for the lock
// (PostgreSQL's lock_timeout), then returns Unavailable. Read transactions
// are REPEATABLE READ READ ONLY snapshots that never wait for writers. See
// docs/storage.md for why this and not SERIALIZABLE with retries.
//
// Thread-safety: thread-safe. Each transaction has a connection of its own,
// taken from a pool of idle connections (new ones are opened on demand;
// at most 8 idle ones are kept). A Transaction is used by one thread at a
// time; the store must outlive its transactions.
#pragma once

#include <memory>
#include <string>

#include "relos/storage/store.h"

namespace relos::storage {

namespace internal {
class PgPool;  // idle connections of one database (postgres_store.cc)
}  // namespace internal

class PostgresStore final : public Store {
 public:
  // Connects to `url` (postgresql://user:password@host:port/dbname?..., or a
  // libpq key=value string) and migrates the database to the latest schema.
  // Tables are created in the connection's current schema (its
  // search_path). Errors: Unavailable if the server cannot be reached, the
  // login is refused or the writer lock is not granted in time (messages
  // never carry the password); FailedPrecondition (reason
  // "storage.schema_too_new") if the database's schema is newer than this
  // binary knows; Internal if a migration fails.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url);

  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // BEGIN, then the writer lock. Unavailable (reason "storage.busy") if
  // another writer held it beyond the lock timeout, or if the server is
  // unreachable.
  Result<std::unique_ptr<Transaction>> BeginWrite() override;
  // BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; the snapshot is fixed
  // by its first read.
  Result<std::unique_ptr<Transaction>> BeginRead() override;

  // The schema version of the database (the highest applied migration).
  Result<int> SchemaVersion();
  // The schema version this binary migrates to.
  static int LatestSchemaVersion();

 private:
  explicit PostgresStore(std::unique_ptr<internal::PgPool> pool);
  std::unique_ptr<internal::PgPool> pool_;
};

}  // namespace relos::storage

// Thin RAII over the SQLite C API for SqliteStore: a connection with its
// prepared-statement cache, a statement in use, and the translation of
// SQLite result codes into Status at this edge. Nothing here leaves the
// sqlite backend.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "relos/core/status.h"

namespace relos::storage::internal {

// The Status for result code `rc` (primary or extended) of an operation
// described by `context`: unique/primary-key violations are AlreadyExists,
// SQLITE_BUSY/LOCKED Aborted (lost a race; retry may work), I/O, full disk,
// permission and open failures Unavailable, corruption DataLoss, anything
// else Internal (we sent bad SQL: a bug).
Status SqliteStatus(sqlite3* db, int rc, std::string_view context);

class Connection;

// One use of a cached prepared statement: binds, steps, reads columns, and
// resets the statement when destroyed so the cache can hand it out again.
class Query {
 public:
  Query(Connection* conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Parameters are 1-based, as in SQLite. A bind failure is reported by the
  // next Step().
  Query& Bind(int index, int64_t value);
  Query& Bind(int index, const std::string& value);

  // True with a row to read, false when done; the error otherwise.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const;

 private:
  Connection* conn_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

class Connection {
 public:
  // Opens `path` (creating it) with WAL, synchronous=FULL, foreign_keys=ON
  // and a busy timeout. Errors as SqliteStatus.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql`, prepared once per connection and then reused.
  // `sql` is the cache key, so callers build the same text for the same
  // query shape.
  Result<std::unique_ptr<Query>> Prepare(const std::string& sql);
  // Runs one or more statements without results (BEGIN, DDL).
  Status Exec(const std::string& sql);
  // True when no transaction is open on this connection.
  bool Idle() const { return sqlite3_get_autocommit(db_) != 0; }
  sqlite3* db() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace relos::storage::internal

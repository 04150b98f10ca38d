// Thin RAII over libpq for PostgresStore: a connection with its cache of
// prepared statements, a result set, and the translation of SQLSTATE codes
// into Status at this edge. Every statement that carries values is sent as
// a prepared statement with separate parameters; SQL text never holds a
// value. Nothing here leaves the postgres backend.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "relos/core/status.h"

namespace relos::storage::internal {

// The Status for a failed result (or, with res == nullptr, a failed
// connection) of the operation described by `context`. By SQLSTATE class:
// unique violation 23505 AlreadyExists; serialization failure and deadlock
// Aborted (retry may work); lock_not_available (a lock_timeout) Unavailable
// with reason "storage.busy"; connection failures (08), resources (53),
// operator intervention (57) Unavailable; data exceptions (22, such as
// text that is not UTF-8) InvalidArgument; a transaction already aborted by
// an earlier error (25P02) Aborted; anything else Internal (bad SQL: a bug).
Status PgStatus(PGconn* conn, const PGresult* res, std::string_view context);

// `url` with any password blanked, for messages and logs.
std::string RedactedUrl(const std::string& url);

// Values for $1, $2, ... of one statement, all sent in text format; the
// server infers each parameter's type from its use.
class PgParams {
 public:
  PgParams& Add(int64_t v) {
    values_.push_back(std::to_string(v));
    return *this;
  }
  PgParams& Add(std::string v) {
    values_.push_back(std::move(v));
    return *this;
  }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

// One row of a PgRows, read as the shared row mappers (storage/sql_rows.h)
// expect. Int() on a column that is not an integer is a bug (a CHECK).
class PgRow {
 public:
  PgRow(const PGresult* res, int row) : res_(res), row_(row) {}
  int64_t Int(int column) const;
  std::string Text(int column) const;

 private:
  const PGresult* res_;
  int row_;
};

// An owned result set.
class PgRows {
 public:
  explicit PgRows(PGresult* res) : res_(res, &PQclear) {}
  int size() const { return PQntuples(res_.get()); }
  bool empty() const { return size() == 0; }
  PgRow operator[](int row) const { return PgRow(res_.get(), row); }
  // The command tag: "COMMIT", "ROLLBACK", "INSERT 0 1"...
  std::string CommandStatus() const { return PQcmdStatus(res_.get()); }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> res_;
};

class PgConnection {
 public:
  // Connects to `url` (a libpq URI or key=value string) with UTF8 as the
  // client encoding, and discards server notices. Unavailable if the server
  // cannot be reached or refuses the login (the message names the URL
  // without its password).
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` with `params` as a prepared statement: prepared once per
  // connection under a generated name (`sql` is the cache key, so callers
  // build the same text for the same query shape), then executed.
  Result<PgRows> Run(const std::string& sql, const PgParams& params = {});
  // Runs constant SQL without parameters (BEGIN, COMMIT, DDL), possibly
  // several statements; the rows are those of the last one.
  Result<PgRows> Exec(const std::string& sql);

  // False once the server connection is lost; such a connection is dropped.
  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  // True when no transaction is open on this connection.
  bool Idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  Result<PgRows> Check(PGresult* res, std::string_view context);

  PGconn* conn_;
  std::unordered_map<std::string, std::string> statements_;  // SQL text -> prepared name
};

}  // namespace relos::storage::internal

#include "sqlite_db.h"

namespace relos::storage::internal {

namespace {
// How long a writer waits for another process's write lock before giving up
// with Unavailable. In-process writers queue on the store's gate instead.
constexpr int kBusyTimeoutMs = 5000;
}  // namespace

Status SqliteStatus(sqlite3* db, int rc, std::string_view context) {
  int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string message = std::string(context) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return AlreadyExists(message, "storage.constraint");
      }
      // NOT NULL, CHECK and FOREIGN KEY constraints guard our own schema: a
      // violation means relos sent bad data.
      return Internal(message, "storage.constraint");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Aborted(message, "storage.busy");
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_AUTH:
    case SQLITE_NOMEM:
      return Unavailable(message, "storage.unavailable");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLoss(message, "storage.corrupt");
    default:
      return Internal(message, "storage.sqlite");
  }
}

Query::~Query() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Query& Query::Bind(int index, const std::string& value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Result<bool> Query::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteStatus(conn_->db(), bind_rc_, "binding parameters");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(conn_->db(), rc, sqlite3_sql(stmt_));
}

Status Query::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  RELOS_CHECK(!row, "Query::Run on a statement that returns rows");
  return OkStatus();
}

std::string Query::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(n));
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path) {
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is used by one transaction, hence one thread, at a time.
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteStatus(db, rc, "opening SQLite database " + path);
    sqlite3_close_v2(db);
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // Reads through a memory map (up to 1 GiB of the file) rather than a read()
  // per page: a report over hundreds of thousands of postings spent most of
  // its time in page reads. Writes still go through the WAL as before.
  Status s = conn->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA mmap_size=1073741824;");
  if (!s.ok()) return s.WithContext("configuring SQLite database " + path);
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Query>> Connection::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "preparing " + sql);
    it = statements_.emplace(sql, stmt).first;
  }
  return std::make_unique<Query>(this, it->second);
}

Status Connection::Exec(const std::string& sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // sqlite3_errmsg() still has the text
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, sql);
  return OkStatus();
}

}  // namespace relos::storage::internal

#include "postgres_scratch.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <memory>

namespace relos::testing {

namespace {

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Result<Conn> Connect(const std::string& url) {
  Conn conn(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Unavailable(std::string("connecting to the test server: ") + PQerrorMessage(conn.get()));
  }
  PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
  return conn;
}

using Res = std::unique_ptr<PGresult, decltype(&PQclear)>;

Result<Res> Exec(PGconn* conn, const std::string& sql) {
  Res res(PQexec(conn, sql.c_str()), &PQclear);
  ExecStatusType st = PQresultStatus(res.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Internal(sql + ": " + PQresultErrorMessage(res.get()));
  }
  return res;
}

// Runs `sql` and returns the first column of the first row, if any.
Result<std::string> Run(PGconn* conn, const std::string& sql) {
  ASSIGN_OR_RETURN(Res res, Exec(conn, sql));
  if (PQntuples(res.get()) > 0) return std::string(PQgetvalue(res.get(), 0, 0));
  return std::string();
}

std::string PercentEncoded(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The server URL with its database replaced by `dbname`, as a URI whose
// every other setting is a query parameter.
Result<std::string> UrlForDatabase(const std::string& server_url, const std::string& dbname) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(server_url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    return InvalidArgument("RELOS_TEST_POSTGRES_URL does not parse: " + message);
  }
  std::string query;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string(o->keyword) == "dbname") continue;
    query += (query.empty() ? "?" : "&") + std::string(o->keyword) + "=" + PercentEncoded(o->val);
  }
  PQconninfoFree(options);
  return "postgresql:///" + dbname + query;
}

}  // namespace

std::string PostgresTestUrl() {
  const char* url = std::getenv("RELOS_TEST_POSTGRES_URL");
  return url == nullptr ? "" : url;
}

std::string PostgresSkipMessage() {
  return "RELOS_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against (./test.sh starts one with "
         "scripts/pg-test-cluster.sh)";
}

Result<ScratchDatabase> ScratchDatabase::Create() {
  static std::atomic<int> counter{0};
  std::string server = PostgresTestUrl();
  if (server.empty()) return FailedPrecondition(PostgresSkipMessage());
  std::string name = "relos_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  ASSIGN_OR_RETURN(Conn conn, Connect(server));
  // A name from digits and underscores only; CREATE DATABASE takes no
  // parameters.
  RETURN_IF_ERROR(Run(conn.get(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").status());
  RETURN_IF_ERROR(Run(conn.get(), "CREATE DATABASE " + name).status());
  ASSIGN_OR_RETURN(std::string url, UrlForDatabase(server, name));
  return ScratchDatabase(name, url);
}

ScratchDatabase::ScratchDatabase(ScratchDatabase&& other) noexcept
    : name_(std::move(other.name_)), url_(std::move(other.url_)) {
  other.name_.clear();
}

ScratchDatabase::~ScratchDatabase() {
  if (name_.empty()) return;
  auto conn = Connect(PostgresTestUrl());
  if (conn.ok()) Run(conn->get(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").status().IgnoreError();
}

Result<int64_t> ScratchDatabase::Execute(const std::string& sql) const {
  ASSIGN_OR_RETURN(Conn conn, Connect(url_));
  ASSIGN_OR_RETURN(Res res, Exec(conn.get(), sql));
  return std::strtoll(PQcmdTuples(res.get()), nullptr, 10);
}

Result<std::string> ScratchDatabase::Sql(const std::string& sql) const {
  ASSIGN_OR_RETURN(Conn conn, Connect(url_));
  return Run(conn.get(), sql);
}

}  // namespace relos::testing

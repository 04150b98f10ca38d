#include "pg_conn.h"

#include <charconv>
#include <cstring>

namespace relos::storage::internal {

namespace {

// Seconds libpq waits for a server that does not answer a connection attempt.
constexpr char kConnectTimeoutSeconds[] = "10";

std::string Trimmed(const char* message) {
  std::string s = message == nullptr ? "" : message;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Status PgStatus(PGconn* conn, const PGresult* res, std::string_view context) {
  std::string detail = Trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (detail.empty() && conn != nullptr) detail = Trimmed(PQerrorMessage(conn));
  std::string message = std::string(context) + ": " + detail;
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  // No SQLSTATE: libpq itself failed, which means the connection did.
  if (state == nullptr || std::strlen(state) != 5) return Unavailable(message, "storage.unavailable");
  std::string_view code(state, 5);
  std::string_view cls = code.substr(0, 2);
  if (code == "23505") return AlreadyExists(message, "storage.constraint");
  if (code == "40001" || code == "40P01") return Aborted(message, "storage.conflict");
  if (code == "55P03") return Unavailable(message, "storage.busy");
  if (code == "25P02") return Aborted(message, "storage.transaction_failed");
  if (cls == "08" || cls == "53" || cls == "57" || cls == "58") return Unavailable(message, "storage.unavailable");
  if (cls == "22") return InvalidArgument(message, "storage.invalid_value");
  // Other integrity violations (NOT NULL, CHECK) guard our own schema: a
  // violation means relos sent bad data.
  return Internal(message, "storage.postgres");
}

std::string RedactedUrl(const std::string& url) {
  // URI form: scheme://user:password@host... ; the key=value form's
  // password=... is blanked too.
  std::string out = url;
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t authority = scheme + 3;
    size_t end = out.find_first_of("/?", authority);
    size_t at = out.rfind('@', end == std::string::npos ? std::string::npos : end);
    if (at != std::string::npos && at > authority) {
      size_t colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (const char* key : {"password=", "PASSWORD="}) {
    for (size_t p = out.find(key); p != std::string::npos; p = out.find(key, p + 1)) {
      size_t value = p + std::strlen(key);
      size_t end = out.find_first_of(" &", value);
      out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
    }
  }
  return out;
}

int64_t PgRow::Int(int column) const {
  const char* text = PQgetvalue(res_, row_, column);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text, text + std::strlen(text), v);
  RELOS_CHECK(ec == std::errc() && *end == '\0', std::string("integer column holds '") + text + "'");
  return v;
}

std::string PgRow::Text(int column) const {
  return std::string(PQgetvalue(res_, row_, column), static_cast<size_t>(PQgetlength(res_, row_, column)));
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  // Later keywords override earlier ones, including those inside the URL:
  // the URL may rename the application but not change the encoding.
  const char* keywords[] = {"application_name", "connect_timeout", "dbname", "client_encoding", nullptr};
  const char* values[] = {"relos", kConnectTimeoutSeconds, url.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Unavailable("connecting to PostgreSQL: out of memory", "storage.unavailable");
  if (PQstatus(conn) != CONNECTION_OK) {
    Status s = Unavailable("connecting to PostgreSQL at " + RedactedUrl(url) + ": " + Trimmed(PQerrorMessage(conn)),
                           "storage.unavailable");
    PQfinish(conn);
    return s;
  }
  // Notices ("relation already exists, skipping") are not errors, and
  // libpq would print them on stderr.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Result<PgRows> PgConnection::Check(PGresult* res, std::string_view context) {
  if (res == nullptr) return PgStatus(conn_, nullptr, context);
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return PgRows(res);
  Status s = PgStatus(conn_, res, context);
  PQclear(res);
  return s;
}

Result<PgRows> PgConnection::Run(const std::string& sql, const PgParams& params) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    std::string name = "relos_" + std::to_string(statements_.size() + 1);
    ASSIGN_OR_RETURN(PgRows prepared, Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "preparing " + sql));
    it = statements_.emplace(sql, std::move(name)).first;
  }
  const auto& values = params.values();
  std::vector<const char*> pointers;
  std::vector<int> lengths;
  pointers.reserve(values.size());
  lengths.reserve(values.size());
  for (const auto& v : values) {
    // Text format ends a value at its first NUL, and PostgreSQL text cannot
    // hold one: refuse rather than store a truncated value.
    if (v.find('\0') != std::string::npos) {
      return InvalidArgument("a text value contains a NUL byte, which PostgreSQL cannot store",
                             "storage.invalid_value");
    }
    pointers.push_back(v.c_str());
    lengths.push_back(static_cast<int>(v.size()));
  }
  return Check(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()), pointers.data(),
                              lengths.data(), nullptr, /*resultFormat=*/0),
               sql);
}

Result<PgRows> PgConnection::Exec(const std::string& sql) { return Check(PQexec(conn_, sql.c_str()), sql); }

}  // namespace relos::storage::internal

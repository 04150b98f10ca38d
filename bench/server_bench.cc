// Server benchmark (b): full order lifecycles per second through the REST
// API of a running `relos serve`, against the same database's own
// insert-and-commit rate, measured in alternating blocks so that both see
// the same disk and the same machine load (bench/server_bench.sh starts the
// server and runs this once per database).
//
// A lifecycle is five requests, each its own write transaction: create,
// submit, approve (posting the pending claim), deliver, receipt (posting
// it), by the users whose API tokens the tokens file names (one "ROLE
// TOKEN" per line: requester, approver, logistics-officer, receiver).
// Closing needs the order's bill settled first, which is the ledger's
// billing and payment, not counted here. The limit is one trivial row
// inserted and committed per transaction on a single connection: for SQLite
// a table in its own file beside the database with relos's settings (WAL,
// synchronous=FULL), for PostgreSQL a table in the same database.
//
// usage: relos_server_bench --port N --db FILE|URL --tokens FILE
//                           [--seconds 20] [--rounds 4] [--clients 4]
//                           [--item WATER-FRESH] [--quantity "1 tonne"]
#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_client.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace http = boost::beast::http;

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "relos_server_bench: %s\n", why.c_str());
  std::exit(1);
}

// One trivial row inserted and committed, on the database's own terms.
class PlainCommits {
 public:
  virtual ~PlainCommits() = default;
  virtual void InsertAndCommit() = 0;
};

class SqlitePlain : public PlainCommits {
 public:
  explicit SqlitePlain(const std::string& file) {
    std::remove(file.c_str());
    if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) Die("cannot open " + file);
    Run("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE plain (id INTEGER PRIMARY KEY, v INTEGER)");
    if (sqlite3_prepare_v2(db_, "INSERT INTO plain (v) VALUES (?)", -1, &insert_, nullptr) != SQLITE_OK) Die("prepare");
  }
  ~SqlitePlain() override {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  void InsertAndCommit() override {
    Run("BEGIN IMMEDIATE");
    sqlite3_bind_int64(insert_, 1, ++n_);
    if (sqlite3_step(insert_) != SQLITE_DONE) Die(sqlite3_errmsg(db_));
    sqlite3_reset(insert_);
    Run("COMMIT");
  }

 private:
  void Run(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Die(sqlite3_errmsg(db_));
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  int64_t n_ = 0;
};

class PostgresPlain : public PlainCommits {
 public:
  explicit PostgresPlain(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) Die(std::string("cannot connect: ") + PQerrorMessage(conn_));
    Run("SET client_min_messages = warning");
    Run("DROP TABLE IF EXISTS relos_bench_plain");
    Run("CREATE TABLE relos_bench_plain (id BIGSERIAL PRIMARY KEY, v BIGINT NOT NULL)");
    PGresult* r = PQprepare(conn_, "insert", "INSERT INTO relos_bench_plain (v) VALUES ($1)", 1, nullptr);
    Check(r, PGRES_COMMAND_OK);
  }
  ~PostgresPlain() override {
    Run("DROP TABLE IF EXISTS relos_bench_plain");
    PQfinish(conn_);
  }
  void InsertAndCommit() override {
    Run("BEGIN");
    const std::string v = std::to_string(++n_);
    const char* values[] = {v.c_str()};
    Check(PQexecPrepared(conn_, "insert", 1, values, nullptr, nullptr, 0), PGRES_COMMAND_OK);
    Run("COMMIT");
  }

 private:
  void Run(const char* sql) { Check(PQexec(conn_, sql), PGRES_COMMAND_OK); }
  void Check(PGresult* r, ExecStatusType want) {
    const bool ok = PQresultStatus(r) == want;
    PQclear(r);
    if (!ok) Die(PQerrorMessage(conn_));
  }
  PGconn* conn_;
  int64_t n_ = 0;
};

struct Options {
  int port = 0;
  std::string db, tokens_file, item = "WATER-FRESH", quantity = "1 tonne";
  double seconds = 20;
  int rounds = 4, clients = 4;
};

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") o.port = std::atoi(v.c_str());
    else if (k == "--db") o.db = v;
    else if (k == "--tokens") o.tokens_file = v;
    else if (k == "--seconds") o.seconds = std::atof(v.c_str());
    else if (k == "--rounds") o.rounds = std::atoi(v.c_str());
    else if (k == "--clients") o.clients = std::atoi(v.c_str());
    else if (k == "--item") o.item = v;
    else if (k == "--quantity") o.quantity = v;
    else Die("unknown option " + k);
  }
  if (o.port <= 0 || o.db.empty() || o.tokens_file.empty() || o.rounds < 1 || o.clients < 1 || o.seconds <= 0) {
    Die("usage: relos_server_bench --port N --db FILE|URL --tokens FILE [--seconds S] [--rounds R] [--clients C]");
  }
  return o;
}

// What the clients did in one block.
struct Tally {
  std::atomic<int64_t> lifecycles{0}, failed{0};
  std::mutex mu;
  std::string first_error;
};

// One client: whole lifecycles until the deadline (the one in progress is
// finished). Each request must answer its route's success status.
void Client(const Options& o, const std::map<std::string, std::string>& tokens, Clock::time_point deadline,
            Tally& tally) {
  relos::testing::HttpConnection c(o.port);
  const std::string order = relos::testing::DemoOrderJson(o.item, o.quantity);
  while (Clock::now() < deadline) {
    relos::testing::HttpReply made = c.Call(http::verb::post, "/api/v1/orders", tokens.at("requester"), order);
    bool ok = made.status == 201;
    std::string why = ok ? "" : "create: " + std::to_string(made.status) + " " + made.body.dump();
    if (ok) {
      const std::string base = "/api/v1/orders/" + made.body["number"].get<std::string>() + "/";
      for (const auto& [action, role] : std::vector<std::pair<std::string, std::string>>{
               {"submit", "requester"}, {"approve", "approver"}, {"deliver", "logistics-officer"},
               {"receipt", "receiver"}}) {
        relos::testing::HttpReply r = c.Call(http::verb::post, base + action, tokens.at(role));
        if (r.status != 200) {
          ok = false;
          why = action + ": " + std::to_string(r.status) + " " + r.body.dump();
          break;
        }
      }
    }
    if (ok) {
      ++tally.lifecycles;
    } else {
      ++tally.failed;
      std::lock_guard<std::mutex> lock(tally.mu);
      if (tally.first_error.empty()) tally.first_error = why;
    }
  }
}

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  const Options o = Parse(argc, argv);
  std::map<std::string, std::string> tokens;
  std::ifstream in(o.tokens_file);
  for (std::string role, token; in >> role >> token;) tokens[role] = token;
  for (const char* role : {"requester", "approver", "logistics-officer", "receiver"}) {
    if (!tokens.count(role)) Die(std::string("no token for ") + role + " in " + o.tokens_file);
  }
  std::unique_ptr<PlainCommits> plain;
  if (o.db.rfind("postgresql://", 0) == 0 || o.db.rfind("postgres://", 0) == 0) {
    plain = std::make_unique<PostgresPlain>(o.db);
  } else {
    plain = std::make_unique<SqlitePlain>(o.db + ".plain");
  }

  const double block = o.seconds / (2.0 * o.rounds);
  double commit_wall = 0, lifecycle_wall = 0;
  int64_t commits = 0;
  Tally tally;
  for (int round = 0; round < o.rounds; ++round) {
    const auto c0 = Clock::now();
    while (Since(c0) < block) {
      plain->InsertAndCommit();
      ++commits;
    }
    commit_wall += Since(c0);

    const auto l0 = Clock::now();
    const auto deadline = l0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(block));
    std::vector<std::thread> clients;
    for (int k = 0; k < o.clients; ++k) clients.emplace_back(Client, std::cref(o), std::cref(tokens), deadline, std::ref(tally));
    for (auto& t : clients) t.join();
    lifecycle_wall += Since(l0);
  }
  const double commits_per_s = static_cast<double>(commits) / commit_wall;
  const double lifecycles_per_s = static_cast<double>(tally.lifecycles.load()) / lifecycle_wall;
  std::printf("{\"commits_per_s\": %.1f, \"lifecycles_per_s\": %.2f, \"requests_per_s\": %.1f, "
              "\"ratio\": %.4f, \"commits\": %lld, \"lifecycles\": %lld, \"failed\": %lld, \"clients\": %d, "
              "\"seconds\": %.1f}\n",
              commits_per_s, lifecycles_per_s, 5 * lifecycles_per_s, lifecycles_per_s / commits_per_s,
              static_cast<long long>(commits), static_cast<long long>(tally.lifecycles.load()),
              static_cast<long long>(tally.failed.load()), o.clients, commit_wall + lifecycle_wall);
  std::printf("%.1f lifecycles/s through the API vs %.1f insert-and-commit/s: ratio %.4f (a lifecycle is 5 write "
              "transactions: 5 x ratio = %.3f)\n",
              lifecycles_per_s, commits_per_s, lifecycles_per_s / commits_per_s, 5 * lifecycles_per_s / commits_per_s);
  if (tally.failed > 0) std::fprintf(stderr, "relos_server_bench: first failure: %s\n", tally.first_error.c_str());
  return tally.failed > 0 ? 1 : 0;
}

// `relos serve` and `relos user` end to end: the real binary on a temporary
// demo database, users added from the command line, the server on an
// ephemeral loopback port, driven with curl and with many concurrent
// keep-alive clients, stopped with SIGTERM. Every test runs on SQLite and on
// PostgreSQL (a scratch database on the server named by
// RELOS_TEST_POSTGRES_URL; skipped, saying so, when it is not set).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/order_footprint.h"
#include "http_client.h"
#include "postgres_scratch.h"

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using Json = nlohmann::json;

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string Shell(const std::string& cmd, int* exit_code = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  if (exit_code != nullptr) *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// Parameterised by backend: "sqlite" or "postgres".
class ServeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("relos-serve-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "relos.db").string();
    if (GetParam() != "postgres") return;
    if (relos::testing::PostgresTestUrl().empty()) GTEST_SKIP() << relos::testing::PostgresSkipMessage();
    auto db = relos::testing::ScratchDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    pg_.emplace(std::move(*db));
    db_ = pg_->url();
  }
  void TearDown() override {
    for (pid_t pid : {pid_, second_pid_}) {
      if (pid > 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
    }
    pg_.reset();
    fs::remove_all(dir_);
  }

  std::string Relos(const std::string& args, int* exit_code = nullptr) {
    return Shell(std::string(RELOS_BINARY) + " --db " + Quote(db_) + " " + args + " 2>&1", exit_code);
  }
  // Standard output only, parsed as JSON (null if it does not parse).
  Json RelosJson(const std::string& args) {
    return Json::parse(Shell(std::string(RELOS_BINARY) + " --db " + Quote(db_) + " " + args + " 2>/dev/null"), nullptr,
                       false);
  }
  // Adds a user holding one role and returns an API token for them.
  std::string UserToken(const std::string& name, const std::string& party, const std::string& role) {
    int code = -1;
    std::string out = Shell("printf 'a demo password\\n' | " + std::string(RELOS_BINARY) + " --db " + Quote(db_) +
                                " user add " + name + " --party " + party + " --role " + role + " --password-stdin 2>&1",
                            &code);
    EXPECT_EQ(code, 0) << out;
    out = Relos("user token " + name + " --label e2e", &code);
    EXPECT_EQ(code, 0) << out;
    return out.substr(0, out.find('\n'));
  }

  // Starts `relos ARGS` (by default `--db DB serve --port 0`) with the
  // environment variables `env` set, and returns the port it printed.
  // `name` keeps the logs of a second server apart.
  int StartServer(std::vector<std::string> args = {}, const std::map<std::string, std::string>& env = {},
                  const std::string& name = "serve") {
    if (args.empty()) args = {"--db", db_, "serve", "--port", "0"};
    const fs::path log = dir_ / (name + ".log");
    const fs::path err = dir_ / (name + ".err");
    pid_t& pid = name == "serve" ? pid_ : second_pid_;
    pid = ::fork();
    if (pid == 0) {
      FILE* f = std::freopen(log.c_str(), "w", stdout);
      FILE* g = std::freopen(err.c_str(), "w", stderr);
      (void)f;
      (void)g;
      for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
      std::vector<char*> argv = {const_cast<char*>(RELOS_BINARY)};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(RELOS_BINARY, argv.data());
      ::_exit(127);
    }
    const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 600; ++i) {
      std::ifstream in(log);
      std::stringstream ss;
      ss << in.rdbuf();
      std::smatch m;
      std::string text = ss.str();
      if (std::regex_search(text, m, listening)) return std::stoi(m[1]);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return 0;
  }

  // Sends SIGTERM to a server and waits for it; true if it exited with 0.
  static bool Terminate(pid_t& pid) {
    if (::kill(pid, SIGTERM) != 0) return false;
    int status = 0;
    const bool waited = ::waitpid(pid, &status, 0) == pid;
    pid = -1;
    return waited && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }

  fs::path dir_;
  std::string db_;  // a SQLite path or a postgresql:// URL
  std::optional<relos::testing::ScratchDatabase> pg_;
  pid_t pid_ = -1;
  pid_t second_pid_ = -1;
};

INSTANTIATE_TEST_SUITE_P(Backends, ServeTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

using Reply = relos::testing::HttpReply;
using Connection = relos::testing::HttpConnection;

// 10 tonnes of diesel at Vladivostok for an Indian frigate.
std::string Order() { return relos::testing::DemoOrderJson("FUEL-DL", "10 tonne"); }

// Splits curl's output into the body and the status printed after it.
std::pair<std::string, int> BodyAndStatus(const std::string& out) {
  auto nl = out.rfind('\n');
  if (nl == std::string::npos) return {"", 0};
  return {out.substr(0, nl), std::atoi(out.c_str() + nl + 1)};
}

TEST_P(ServeTest, UsersLogInThroughTheServerWhichStopsOnSigterm) {
  int code = -1;
  Relos("init --demo-registry", &code);
  ASSERT_EQ(code, 0);
  std::string out = Shell("printf 'a demo password\\n' | " + std::string(RELOS_BINARY) + " --db " + Quote(db_) +
                            " user add in-req --party IN --role requester --role auditor --password-stdin 2>&1",
                        &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_EQ(out, "user in-req added to IN as requester,auditor\n");
  out = Shell("printf 'short\\n' | " + std::string(RELOS_BINARY) + " --db " + Quote(db_) +
                " user add x --party IN --role requester --password-stdin 2>&1",
            &code);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("password: must be at least 10 characters"), std::string::npos) << out;
  out = Relos("user add y --party XX --role requester", &code);
  EXPECT_NE(code, 0);
  const std::string api_token = Relos("user token in-req --label robot", &code);
  ASSERT_EQ(code, 0);
  ASSERT_EQ(api_token.rfind("relos_", 0), 0u) << api_token;

  const int port = StartServer();
  ASSERT_GT(port, 0) << "the server did not say where it listens";
  auto [body, status] = BodyAndStatus(Shell("curl -s -w '\\n%{http_code}' -X POST -H 'Content-Type: application/json' "
                                          "-d '{\"name\":\"in-req\",\"password\":\"a demo password\"}' "
                                          "http://127.0.0.1:" + std::to_string(port) + "/api/v1/sessions"));
  ASSERT_EQ(status, 201) << body;
  const std::string token = Json::parse(body)["token"];
  auto [me, me_status] = BodyAndStatus(Shell("curl -s -w '\\n%{http_code}' -H 'Authorization: Bearer " + token +
                                           "' http://127.0.0.1:" + std::to_string(port) + "/api/v1/me"));
  ASSERT_EQ(me_status, 200) << me;
  EXPECT_EQ(Json::parse(me)["party"], "IN");
  auto [units, units_status] = BodyAndStatus(Shell("curl -s -w '\\n%{http_code}' -H 'Authorization: Bearer " +
                                                 api_token.substr(0, api_token.size() - 1) + "' http://127.0.0.1:" +
                                                 std::to_string(port) + "/api/v1/units"));
  ASSERT_EQ(units_status, 200) << units;
  const Json unit_list = Json::parse(units);
  ASSERT_FALSE(unit_list["units"].empty());
  for (const auto& u : unit_list["units"]) EXPECT_EQ(u["owner"], "IN");

  ASSERT_EQ(::kill(pid_, SIGTERM), 0);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(pid_, &wait_status, 0), pid_);
  pid_ = -1;
  EXPECT_TRUE(WIFEXITED(wait_status));
  EXPECT_EQ(WEXITSTATUS(wait_status), 0);
  std::ifstream in(dir_ / "serve.log");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find("relos serve: stopped"), std::string::npos) << ss.str();

  // The logins and the token are on the chain, which still verifies.
  const std::string events = Relos("events --limit 100000 --json", &code);
  ASSERT_EQ(code, 0);
  int sessions = 0, tokens = 0, users = 0;
  for (const auto& e : Json::parse(events)) {
    sessions += e["kind"] == "session.opened";
    tokens += e["kind"] == "token.issued";
    users += e["kind"] == "user.added";
    EXPECT_EQ(e["payload"].get<std::string>().find("a demo password"), std::string::npos);
  }
  EXPECT_EQ(sessions, 1);
  EXPECT_EQ(tokens, 1);
  EXPECT_EQ(users, 1);
  Relos("verify", &code);
  EXPECT_EQ(code, 0);
}

// The API plans what `relos plan mission --json` plans for the same request
// (the whole demo registry is IN's own or its partner's, so the two see the
// same facilities): the same legs, stops, waits and JSON, but the GeoJSON
// the API adds.
TEST_P(ServeTest, AMissionPlanThroughTheApiIsTheClisPlan) {
  if (!fs::exists(fs::path(RELOS_BINARY).parent_path() / "sealanes.bin")) {
    GTEST_SKIP() << "no sea-lane network next to " << RELOS_BINARY << " (scripts/build-data.sh)";
  }
  int code = -1;
  Relos("init --demo-registry", &code);
  ASSERT_EQ(code, 0);
  const std::string token = UserToken("in-log", "IN", "logistics-officer");
  // A frigate from the Northern Fleet's base to Kamchatka, ready before the
  // Northern Sea Route opens and allowed to wait for it.
  const Json request = {{"unit", "IN-INS-TABAR"},      {"from", "RU-SVM"},       {"to", "RU-PKC"},
                        {"departure", "2027-06-20T00:00:00Z"}, {"speed", 12},      {"objective", "distance"},
                        {"reserve", 0.15},             {"stop_hours", 18},       {"max_wait_days", 30},
                        {"purpose", "exercise"}};
  const Json cli = RelosJson(
      "plan mission --unit IN-INS-TABAR --from RU-SVM --to RU-PKC --depart 2027-06-20T00:00:00Z --speed 12 "
      "--objective distance --reserve 0.15 --stop-hours 18 --max-wait-days 30 --purpose exercise --json");
  ASSERT_TRUE(cli.is_object()) << Relos("plan mission --unit IN-INS-TABAR --from RU-SVM --to RU-PKC --depart "
                                        "2027-06-20T00:00:00Z --max-wait-days 30 --json");
  const int port = StartServer();
  ASSERT_GT(port, 0);
  Connection conn(port);
  Reply r = conn.Call(http::verb::post, "/api/v1/mission-plans", token, request.dump());
  ASSERT_EQ(r.status, 200) << r.body.dump();
  Json api = r.body;
  EXPECT_EQ(api["geojson"]["type"], "FeatureCollection");
  api.erase("geojson");
  EXPECT_EQ(api, cli);
  // And the wait is taken: the route opens after the ship is ready.
  double waited = 0;
  for (const auto& leg : cli["legs"]) waited += leg["wait_hours"].get<double>();
  EXPECT_GT(waited, 0) << cli.dump();
  // The leg table is the CLI's alone: the API refuses it by name.
  Json with_legs = request;
  with_legs["legs"] = "/tmp/legs.bin";
  Reply refused = conn.Call(http::verb::post, "/api/v1/mission-plans", token, with_legs.dump());
  EXPECT_EQ(refused.status, 400) << refused.body.dump();
  EXPECT_NE(refused.body.dump().find("$.legs"), std::string::npos) << refused.body.dump();
}

TEST_P(ServeTest, SettingsComeFromTomlThenEnvironmentThenFlags) {
  int code = -1;
  Relos("init --demo-registry", &code);
  ASSERT_EQ(code, 0);
  const fs::path bad = dir_ / "bad.toml";
  std::ofstream(bad) << "[server]\nport = \"eighty\"\n";
  std::string out = Relos("serve --config " + bad.string(), &code);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find(bad.string() + ":2: server.port: must be a whole number"), std::string::npos) << out;
  std::ofstream(bad) << "[server]\nport = 0\nlisten = \"x\"\n";
  out = Relos("serve --config " + bad.string(), &code);
  EXPECT_NE(out.find(bad.string() + ":3: server.listen: unknown setting"), std::string::npos) << out;
  std::ofstream(bad) << "[server]\nport = 0\nanchor_cache_mib = 0\n";
  out = Relos("serve --config " + bad.string(), &code);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("anchor_cache_mib: must be 1..16384"), std::string::npos) << out;

  // The file names the database and an impossible port; the environment
  // mends the port; the flag picks the log format over the environment's.
  const fs::path good = dir_ / "relos.toml";
  std::ofstream(good) << "database = \"" << db_ << "\"\n[server]\nport = 70000\nworkers = 2\nanchor_cache_mib = 48\n";
  const int port = StartServer({"serve", "--config", good.string(), "--log-format", "text"},
                               {{"RELOS_PORT", "0"}, {"RELOS_LOG_FORMAT", "json"}});
  ASSERT_GT(port, 0);
  auto [health, status] = BodyAndStatus(
      Shell("curl -s -w '\\n%{http_code}' http://127.0.0.1:" + std::to_string(port) + "/healthz"));
  EXPECT_EQ(status, 200) << health;
  const std::string metrics = Shell("curl -s http://127.0.0.1:" + std::to_string(port) + "/metrics");
  EXPECT_NE(metrics.find("\nrelos_sealane_anchor_budget_bytes 50331648\n"), std::string::npos) << metrics;
  ASSERT_EQ(::kill(pid_, SIGTERM), 0);
  ASSERT_EQ(::waitpid(pid_, nullptr, 0), pid_);
  pid_ = -1;
  std::ifstream log(dir_ / "serve.log");
  std::stringstream ss;
  ss << log.rdbuf();
  EXPECT_NE(ss.str().find("(database " + db_ + ")"), std::string::npos) << ss.str();
  std::ifstream err(dir_ / "serve.err");
  std::stringstream es;
  es << err.rdbuf();
  EXPECT_NE(es.str().find(" info request method=GET "), std::string::npos) << es.str();
  EXPECT_NE(es.str().find(" route=/healthz status=200"), std::string::npos) << es.str();
  EXPECT_NE(es.str().find("workers=2"), std::string::npos) << es.str();
}

// Two `relos serve` processes on one database, each with concurrent
// keep-alive clients driving the same orders: the same Idempotency-Key sent
// to both servers at once creates one order; then every client tries every
// step (approve, deliver, receipt) of every order, half of them with the
// If-Match of what they last read. Each step must succeed exactly once and
// every other attempt be refused with 409 (stale ETag or wrong state, never
// a 5xx), each order must end as an order taken through alone does (same
// version, same events, same ledger transfers), and afterwards the chain and
// ledger verify.
TEST_P(ServeTest, TwoServersOnOneDatabaseDoEachStepOnceUnderConcurrentClients) {
  int code = -1;
  Relos("init --demo-registry", &code);
  ASSERT_EQ(code, 0);
  const std::map<std::string, std::string> tokens = {
      {"requester", UserToken("in-req", "IN", "requester")},
      {"approve", UserToken("ru-app", "RU", "approver")},
      {"deliver", UserToken("ru-log", "RU", "logistics-officer")},
      {"receipt", UserToken("in-rec", "IN", "receiver")},
  };
  const int ports[2] = {StartServer({}, {}, "serve"), StartServer({}, {}, "second")};
  ASSERT_GT(ports[0], 0);
  ASSERT_GT(ports[1], 0);
  const std::vector<std::string> steps = {"approve", "deliver", "receipt"};

  // The control: one order taken through alone, on the first server.
  Connection control_conn(ports[0]);
  Reply made = control_conn.Call(http::verb::post, "/api/v1/orders", tokens.at("requester"), Order());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string control = made.body["number"];
  for (const std::string& step : std::vector<std::string>{"submit", "approve", "deliver", "receipt"}) {
    Reply r = control_conn.Call(http::verb::post, "/api/v1/orders/" + control + "/" + step,
                                tokens.at(step == "submit" ? "requester" : step));
    ASSERT_EQ(r.status, 200) << step << " " << r.body;
  }

  // Creation: each key sent to both servers at the same moment.
  constexpr int kOrders = 6;
  std::vector<std::string> numbers(kOrders);
  {
    std::vector<std::thread> creators;
    std::mutex mu;
    std::vector<std::pair<int, std::string>> created[kOrders];
    for (int i = 0; i < kOrders; ++i) {
      for (int port : ports) {
        creators.emplace_back([&, i, port] {
          Connection c(port);
          Reply r = c.Call(http::verb::post, "/api/v1/orders", tokens.at("requester"), Order(),
                           {{"Idempotency-Key", "race-" + std::to_string(i)}});
          std::lock_guard<std::mutex> lock(mu);
          created[i].emplace_back(r.status, r.body.is_object() ? r.body.value("number", "") : "");
        });
      }
    }
    for (auto& t : creators) t.join();
    for (int i = 0; i < kOrders; ++i) {
      ASSERT_EQ(created[i].size(), 2u);
      EXPECT_EQ(created[i][0].first, 201);
      EXPECT_EQ(created[i][1].first, 201);
      ASSERT_FALSE(created[i][0].second.empty());
      EXPECT_EQ(created[i][0].second, created[i][1].second) << "one key, two orders";
      numbers[i] = created[i][0].second;
    }
  }
  for (const auto& n : numbers) {
    ASSERT_EQ(control_conn.Call(http::verb::post, "/api/v1/orders/" + n + "/submit", tokens.at("requester")).status, 200);
  }

  // The race: 4 clients per server, each through every step of every order.
  constexpr int kClientsPerServer = 4;
  std::mutex mu;
  std::map<std::string, std::vector<int>> outcomes;  // "<step> <order>" -> statuses
  std::vector<std::string> odd;                      // unexpected answers, for the failure message
  std::vector<std::thread> clients;
  for (int k = 0; k < 2 * kClientsPerServer; ++k) {
    clients.emplace_back([&, k] {
      Connection c(ports[k % 2]);
      const bool if_match = (k / 2) % 2 == 0;
      for (const std::string& step : steps) {
        for (const std::string& n : numbers) {
          const std::string base = "/api/v1/orders/" + n;
          std::map<std::string, std::string> headers;
          if (if_match) headers["If-Match"] = c.Call(http::verb::get, base, tokens.at(step)).etag;
          Reply r = c.Call(http::verb::post, base + "/" + step, tokens.at(step), "", headers);
          std::lock_guard<std::mutex> lock(mu);
          outcomes[step + " " + n].push_back(r.status);
          if (r.status != 200 && r.status != 409) odd.push_back(step + " " + n + ": " + r.body.dump());
          if (r.status == 409) {
            const std::string why = r.body.is_object() ? r.body["error"].value("code", "") : "";
            if (why != "aborted" && why != "failed_precondition") odd.push_back(step + " " + n + ": " + r.body.dump());
          }
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_TRUE(odd.empty()) << odd.front();
  ASSERT_EQ(outcomes.size(), steps.size() * numbers.size());
  for (const auto& [step, statuses] : outcomes) {
    SCOPED_TRACE(step);
    ASSERT_EQ(statuses.size(), 2u * kClientsPerServer);
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 1) << "done twice, or not at all";
  }
  EXPECT_TRUE(Terminate(pid_));
  EXPECT_TRUE(Terminate(second_pid_));

  // Each order as the control: state, version, events and ledger transfers.
  Json statements = Json::array();
  for (const std::string party : {"IN", "RU"}) {
    for (const auto& r : RelosJson("ledger statement --as " + party + ":finance:x --json")) statements.push_back(r);
  }
  auto footprint = [&](const std::string& n) {
    return relos::testing::FootprintOf(n, RelosJson("events --json --subject order/" + n), statements);
  };
  const auto expected = footprint(control);
  ASSERT_FALSE(expected.second.empty()) << "approval and receipt post to the ledger";
  const Json control_order = RelosJson("order show " + control + " --as RU:auditor:x --json");
  for (const auto& n : numbers) {
    SCOPED_TRACE(n);
    const Json o = RelosJson("order show " + n + " --as RU:auditor:x --json");
    EXPECT_EQ(o["state"], "receipted");
    EXPECT_EQ(o["version"], control_order["version"]);
    EXPECT_EQ(footprint(n), expected);
  }
  const Json tb = RelosJson("ledger trial-balance --as RU:auditor:x --json");
  ASSERT_TRUE(tb.is_array() && !tb.empty()) << tb;
  for (const auto& row : tb) EXPECT_EQ(row["balanced"], "yes") << row.dump();
  const std::string verified = Relos("verify", &code);
  EXPECT_EQ(code, 0) << verified;
}

// SIGTERM while clients are creating orders as fast as they can: the server
// exits 0, and every order whose creation it acknowledged (201) is stored;
// the chain verifies.
TEST_P(ServeTest, SigtermUnderLoadLosesNoAcknowledgedRequest) {
  int code = -1;
  Relos("init --demo-registry", &code);
  ASSERT_EQ(code, 0);
  const std::string token = UserToken("in-req", "IN", "requester");
  const int port = StartServer();
  ASSERT_GT(port, 0);
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::vector<std::string> odd;
  std::atomic<int> count{0};
  std::vector<std::thread> clients;
  for (int k = 0; k < 6; ++k) {
    clients.emplace_back([&, k] {
      try {
        Connection c(port);
        for (int i = 0; i < 200; ++i) {
          Reply r = c.Call(http::verb::post, "/api/v1/orders", token, Order(),
                           {{"Idempotency-Key", "term-" + std::to_string(k) + "-" + std::to_string(i)}});
          std::lock_guard<std::mutex> lock(mu);
          if (r.status == 201) {
            acknowledged.push_back(r.body["number"]);
            ++count;
          } else if (r.status != 503) {
            odd.push_back(std::to_string(r.status) + " " + r.body.dump());
          }
        }
      } catch (const std::exception&) {
        // The server closed the connection or refused a new one: the request
        // in the pipe was never acknowledged.
      }
    });
  }
  for (int i = 0; i < 600 && count < 20; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_GE(count.load(), 20) << "the clients did not get going";
  EXPECT_TRUE(Terminate(pid_));
  for (auto& t : clients) t.join();
  EXPECT_TRUE(odd.empty()) << odd.front();
  EXPECT_LT(acknowledged.size(), 6u * 200) << "the server stopped after the load, not under it";

  std::set<std::string> stored;
  for (const auto& o : RelosJson("order list --as IN:auditor:x --limit 10000 --json")) stored.insert(o["number"]);
  for (const auto& n : acknowledged) EXPECT_TRUE(stored.count(n)) << n << " was acknowledged but is not stored";
  const std::string verified = Relos("verify", &code);
  EXPECT_EQ(code, 0) << verified;
}

// An exercise through the API on the demo database: IN creates it (three
// frigates alongside at Petropavlovsk, which has two berths, over the same
// four days with no leeway), plans it, raises its orders (a retry makes
// none) and RU approves them: two approvals go through and the third is 409
// capacity.exhausted naming the berths and the shortfall, with the order
// and the ledger as they were. IN may not read RU-PKC's capacity (404).
TEST_P(ServeTest, ExerciseOrdersBeyondTheBerthsAreRefusedAtApproval) {
  int code = -1;
  Relos("init --demo-registry", &code);
  ASSERT_EQ(code, 0);
  const std::string in = UserToken("in-req", "IN", "requester");
  const std::string in_auditor = UserToken("in-aud", "IN", "auditor");
  const std::string ru = UserToken("ru-app", "RU", "approver");
  const std::string ru_finance = UserToken("ru-fin", "RU", "finance");
  const int port = StartServer();
  ASSERT_GT(port, 0);
  Connection c(port);
  const auto day = [](int days) { return relos::testing::DaysFromNow(days, "00:00:00"); };

  const std::vector<std::string> ships = {"IN-INS-TABAR", "IN-INS-KOLKATA", "IN-INS-SHIVALIK"};
  Json calls = Json::array();
  for (const auto& ship : ships) {
    calls.push_back({{"unit", ship},
                     {"facility", "RU-PKC"},
                     {"arrive", day(60)},
                     {"depart", day(64)},
                     {"latest_departure", day(64)},
                     {"lines", {{{"item", "BERTH-DAY"}, {"quantity", "4 berth-day"}}}}});
  }
  const Json doc = {{"code", "EX-PKC"},       {"name", "Harbour phase"}, {"purpose", "exercise"},
                    {"agreement", "RELOS-IN-RU"}, {"start", day(55)},      {"end", day(70)},
                    {"parties", {"IN", "RU"}},  {"units", ships},          {"facilities", {"RU-PKC"}},
                    {"calls", calls}};
  Reply made = c.Call(http::verb::post, "/api/v1/exercises", in, doc.dump(), {{"Idempotency-Key", "ex-pkc"}});
  ASSERT_EQ(made.status, 201) << made.body;
  Reply retried = c.Call(http::verb::post, "/api/v1/exercises", in, doc.dump(), {{"Idempotency-Key", "ex-pkc"}});
  EXPECT_EQ(retried.status, 201) << retried.body;
  EXPECT_EQ(retried.body, made.body);

  Reply plan = c.Call(http::verb::get, "/api/v1/exercises/EX-PKC/plan?time_limit=5", in);
  ASSERT_EQ(plan.status, 200) << plan.body;
  ASSERT_EQ(plan.body["berth_plans"].size(), 1u) << plan.body;
  ASSERT_EQ(plan.body["orders"].size(), 3u) << plan.body;
  EXPECT_FALSE(plan.body["conflicts"].empty()) << plan.body;

  Reply raised = c.Call(http::verb::post, "/api/v1/exercises/EX-PKC/orders", in, "{}", {{"Idempotency-Key", "o-1"}});
  ASSERT_EQ(raised.status, 201) << raised.body;
  ASSERT_EQ(raised.body["created"].size(), 3u) << raised.body;
  Reply again = c.Call(http::verb::post, "/api/v1/exercises/EX-PKC/orders", in, "{}", {{"Idempotency-Key", "o-1"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.body["created"], raised.body["created"]);
  EXPECT_EQ(c.Call(http::verb::get, "/api/v1/exercises/EX-PKC/orders", in).body["orders"].size(), 3u);
  EXPECT_EQ(c.Call(http::verb::get, "/api/v1/orders?limit=1000", in).body["orders"].size(), 3u);

  std::vector<std::string> numbers;
  for (const auto& o : raised.body["created"]) {
    numbers.push_back(o["number"].get<std::string>());
    ASSERT_EQ(c.Call(http::verb::post, "/api/v1/orders/" + numbers.back() + "/submit", in).status, 200);
  }
  ASSERT_EQ(c.Call(http::verb::post, "/api/v1/orders/" + numbers[0] + "/approve", ru).status, 200);
  ASSERT_EQ(c.Call(http::verb::post, "/api/v1/orders/" + numbers[1] + "/approve", ru).status, 200);
  const Reply ledger_before = c.Call(http::verb::get, "/api/v1/ledger/RELOS-IN-RU/accounts", ru_finance);
  ASSERT_EQ(ledger_before.status, 200) << ledger_before.body;
  const Reply order_before = c.Call(http::verb::get, "/api/v1/orders/" + numbers[2], ru);
  const std::string events_before = Relos("events --json --subject order/" + numbers[2]);

  Reply refused = c.Call(http::verb::post, "/api/v1/orders/" + numbers[2] + "/approve", ru);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.body["error"]["rule"], "capacity.exhausted") << refused.body;
  const std::string reason = refused.body["error"]["reason"].get<std::string>();
  EXPECT_NE(reason.find("berth at RU-PKC from " + day(60)), std::string::npos) << reason;
  EXPECT_NE(reason.find("short by 1"), std::string::npos) << reason;
  const Reply order_after = c.Call(http::verb::get, "/api/v1/orders/" + numbers[2], ru);
  EXPECT_EQ(order_after.body, order_before.body);
  EXPECT_EQ(order_after.body["state"], "submitted");
  EXPECT_EQ(c.Call(http::verb::get, "/api/v1/ledger/RELOS-IN-RU/accounts", ru_finance).body, ledger_before.body);
  EXPECT_EQ(Relos("events --json --subject order/" + numbers[2]), events_before);

  const std::string window = "?from=" + day(59) + "&to=" + day(66);
  Reply own = c.Call(http::verb::get, "/api/v1/facilities/RU-PKC/capacity" + window, ru);
  ASSERT_EQ(own.status, 200) << own.body;
  int held = 0;
  for (const auto& r : own.body["resources"]) {
    if (r["kind"] == "berth") held += static_cast<int>(r["held"].size());
  }
  EXPECT_EQ(held, 2) << own.body;
  EXPECT_EQ(c.Call(http::verb::get, "/api/v1/facilities/RU-PKC/capacity" + window, in_auditor).status, 404);
  ASSERT_TRUE(Terminate(pid_));
  Relos("verify", &code);
  EXPECT_EQ(code, 0);
}

}  // namespace

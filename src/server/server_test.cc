// The server end to end in one process: a real HttpServer on 127.0.0.1 with
// an ephemeral port, the real Api over a MemoryStore holding the test
// registry, and a Beast client speaking HTTP/1.1 to it.
#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "orders/testing/fixture.h"
#include "relos/audit/verify.h"
#include "relos/auth/auth_service.h"
#include "relos/capacity/capacity.h"
#include "relos/exercise/exercise.h"
#include "relos/ledger/settlement.h"
#include "relos/orders/lifecycle.h"
#include "relos/planning/planning.h"
#include "relos/registry/registry_service.h"
#include "relos/sealanes/route_format.h"
#include "relos/server/api.h"
#include "relos/server/http.h"
#include "relos/storage/memory_store.h"

namespace relos::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using codec::Json;
using orders::Action;
using orders::OrderState;
using orders::Role;
using tcp = asio::ip::tcp;
using relos::testing::M;
using relos::testing::Q;
using relos::testing::T;

struct Answer {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  Json json() const { return Json::parse(body, nullptr, false); }
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One keep-alive connection to the server.
class Client {
 public:
  explicit Client(uint16_t port) : stream_(ioc_) { stream_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port)); }

  Answer Send(const std::string& method, const std::string& target, const std::string& body = "",
              const std::map<std::string, std::string>& headers = {}) {
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) {
      req.body() = body;
      req.set(http::field::content_type, "application/json");
    }
    req.prepare_payload();
    http::write(stream_, req);
    return Read();
  }

  // Sends raw bytes (for malformed requests) and reads one response.
  Answer SendRaw(const std::string& bytes) {
    asio::write(stream_.socket(), asio::buffer(bytes));
    return Read();
  }

  // True if the server closed the connection.
  bool Closed() {
    beast::error_code ec;
    char c;
    stream_.socket().non_blocking(false);
    stream_.expires_after(std::chrono::seconds(5));
    stream_.read_some(asio::buffer(&c, 1), ec);
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset;
  }

 private:
  Answer Read() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(stream_, buffer_, parser);
    auto& res = parser.get();
    Answer a;
    a.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      a.headers[name] = std::string(f.value());
    }
    a.body = res.body();
    return a;
  }

  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

auth::AuthOptions CheapHashing() {
  auth::AuthOptions o;
  o.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
  o.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
  return o;
}

ServerOptions TestServerOptions() {
  ServerOptions o;
  o.port = 0;
  o.io_threads = 2;
  o.worker_threads = 3;
  o.body_limit = 64 << 10;
  return o;
}

const std::vector<std::string> kTestParties = {"IN", "RU", "CN"};

// The sea-lane network scripts/build-data.sh builds ($RELOS_SEALANES, else
// in the build tree), or "" when it is not there: the sea-route tests then
// skip, saying so, and the route table test expects 503 for them.
std::string TestNetworkPath() {
  if (const char* env = std::getenv("RELOS_SEALANES")) return std::filesystem::exists(env) ? env : "";
  const char* bin = std::getenv("RELOS_BINARY_DIR");
  const std::string path = bin ? std::string(bin) + "/src/cli/sealanes.bin" : "";
  return !path.empty() && std::filesystem::exists(path) ? path : "";
}

ApiOptions TestApiOptions() {
  ApiOptions o;
  o.open_sealanes = [] { return sealanes::SeaLaneNetwork::Load(TestNetworkPath()); };
  return o;
}

// Two airbases 360 nm either side of RU-AIR on the equator: IN's
// helicopters (480 nm of usable fuel) must refuel at RU's airbase on the
// way from IN-AIR to kHeloDestination.
constexpr char kHeloDestination[] = "0,92";

// The test registry plus a third party CN with a unit and a facility of its
// own and no agreement with anyone; a user per party and role, each with an
// API token; a server listening.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RELOS_ASSERT_OK(fixture_.UpdateRegistry([](registry::RegistryData& d) {
      d.parties.push_back({"CN", "Third Party", d.parties[0].currency});
      registry::Unit u = d.units[0];
      u.code = "CN-SHIP";
      u.owner = "CN";
      d.units.push_back(u);
      registry::Facility f = d.facilities[0];
      f.code = "CN-PORT";
      f.owner = "CN";
      d.facilities.push_back(f);
      for (auto [code, owner, lon, price] :
           {std::tuple{"IN-AIR", "IN", 80.0, "80.00 INR"}, {"RU-AIR", "RU", 86.0, "75.00 RUB"}}) {
        registry::Facility air;
        air.code = code;
        air.name = std::string(owner) + " test airbase";
        air.owner = owner;
        air.kind = registry::FacilityKind::kAirbase;
        air.position = GeoPosition::Make(0, lon).value();
        air.fuel = {{"F-44", Q("50 m3"), Q("100 m3")}};
        air.prices = {{relos::testing::kF44, M(price), T("2025-01-01")}};
        air.illustrative = false;
        d.facilities.push_back(air);
      }
    }));
    for (const std::string& party : kTestParties) {
      for (Role role : relos::testing::AllRoles()) {
        const std::string name = UserName(party, role);
        RELOS_ASSERT_OK(auth_.AddUser(relos::testing::SystemActor(), name, party, {role}, "correct horse battery"));
        RELOS_ASSERT_OK_AND_ASSIGN(auto t, auth_.IssueApiToken(relos::testing::SystemActor(), name, "test", 0));
        tokens_[name] = t.token;
      }
    }
    api_.SetReady(true);
    RELOS_ASSERT_OK(server_.Start());
  }
  void TearDown() override { server_.Stop(); }

  static std::string UserName(const std::string& party, Role role) { return party + "-" + std::string(orders::Name(role)); }
  std::map<std::string, std::string> As(const std::string& party, Role role) {
    return {{"Authorization", "Bearer " + tokens_[UserName(party, role)]}};
  }
  Client Connect() { return Client(server_.port()); }

  // IN's helicopters from IN-AIR to kHeloDestination, for a humanitarian
  // flight (an eligible purpose without notice).
  static Json HeloMission() {
    return {{"unit", relos::testing::kInHelo}, {"from", "IN-AIR"}, {"to", kHeloDestination},
            {"departure", "2026-06-01T00:00:00Z"}, {"purpose", "humanitarian"}};
  }

  // `relos plan mission --json` for `request` (relos::planning over the
  // whole registry, with the capacity module's fuel projection, as the CLI
  // plans) less what IN cannot see: CN's facility among those left out.
  Json CliPlan(const mission::MissionRequest& request) {
    registry::RegistryService registry(store_, fixture_.clock);
    Result<registry::RegistryData> all = registry.Load();
    EXPECT_TRUE(all.ok()) << all.status();
    mission::FuelProjections fuel;
    {
      auto txn = store_.BeginRead();
      EXPECT_TRUE(txn.ok());
      auto projected = mission::ProjectFuel(**txn, *all, fixture_.clock.Now());
      EXPECT_TRUE(projected.ok()) << projected.status();
      fuel = *projected;
    }
    Result<mission::MissionPlan> plan = planning::PlanMission(*all, request, nullptr, fixture_.clock, &fuel);
    EXPECT_TRUE(plan.ok()) << plan.status();
    if (!plan.ok()) return Json();
    Json cli = planning::MissionPlanJson(*plan);
    Json seen = Json::array();
    for (const auto& e : cli["excluded"]) {
      if (e["facility"] != "CN-PORT") seen.push_back(e);
    }
    EXPECT_EQ(cli["excluded"].size(), seen.size() + 1);
    cli["excluded"] = seen;
    return cli;
  }
  // HeloMission() as the CLI takes it.
  static mission::MissionRequest HeloRequest() {
    mission::MissionRequest request;
    request.unit = relos::testing::kInHelo;
    request.from_facility = "IN-AIR";
    request.to_position = GeoPosition::Make(0, 92).value();
    request.departure = T("2026-06-01T00:00:00Z");
    request.purpose = registry::Purpose::kHumanitarian;
    return request;
  }

  // An exercise of IN and RU: IN's ships (those named, by default the
  // fixture's frigate) each alongside at RU-VLD for the same two days in
  // May, with no leeway to come later.
  static constexpr char kExercise[] = "EX-HARBOUR";
  static Json ExerciseDoc(const std::vector<std::string>& ships = {relos::testing::kInShip}) {
    Json calls = Json::array();
    for (const std::string& ship : ships) {
      calls.push_back({{"unit", ship},
                       {"facility", relos::testing::kRuPort},
                       {"arrive", "2026-05-02T00:00:00Z"},
                       {"depart", "2026-05-04T00:00:00Z"},
                       {"latest_departure", "2026-05-04T00:00:00Z"},
                       {"lines", {{{"item", relos::testing::kBerthDay}, {"quantity", "2 berth-day"}}}}});
    }
    return {{"code", kExercise},
            {"name", "Harbour phase"},
            {"purpose", "exercise"},
            {"agreement", relos::testing::kAgreement},
            {"start", "2026-05-01T00:00:00Z"},
            {"end", "2026-05-11T00:00:00Z"},
            {"parties", {"IN", "RU"}},
            {"units", ships},
            {"facilities", {relos::testing::kRuPort}},
            {"calls", calls}};
  }

  // The fixture's standard request, as the API takes it.
  Json RequestJson() const {
    orders::CreateOrderRequest r = fixture_.Request();
    Json lines = Json::array();
    for (const auto& l : r.lines) {
      lines.push_back({{"item", l.item},
                       {"quantity", l.quantity.ToString()},
                       {"window_start", l.window_start.ToIso8601()},
                       {"window_end", l.window_end.ToIso8601()}});
    }
    return {{"agreement", r.agreement}, {"unit", r.unit}, {"facility", r.facility}, {"purpose", "port-call"},
            {"lines", lines}};
  }

  storage::MemoryStore store_;
  relos::testing::OrdersFixture fixture_{store_};
  // The fixture's OrderService, without the ledger observer: orders raised
  // by the fixture and through the API are then alike (the ledger's own
  // rules are the ledger suite's and the CLI end-to-end test's business).
  auth::AuthService auth_{store_, fixture_.clock, CheapHashing()};
  Metrics metrics_;
  Api api_{store_, fixture_.clock, auth_, fixture_.orders, &metrics_, TestApiOptions()};
  HttpServer server_{TestServerOptions(), [this](const HttpRequest& r) { return api_.Handle(r); }, &metrics_};
  std::map<std::string, std::string> tokens_;
};

TEST_F(ServerTest, HealthReadinessAndMetricsOnOneKeepAliveConnection) {
  Client c = Connect();
  Answer h = c.Send("GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json()["status"], "ok");
  EXPECT_EQ(h.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(h.Header("x-frame-options"), "DENY");
  EXPECT_EQ(h.Header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(h.Header("cache-control"), "no-store");
  EXPECT_EQ(h.Header("access-control-allow-origin"), "");  // no CORS unless configured
  EXPECT_EQ(c.Send("GET", "/readyz").status, 200);
  api_.SetReady(false);
  Answer not_ready = c.Send("GET", "/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.json()["error"]["code"], "unavailable");
  api_.SetReady(true);
  Answer m = c.Send("GET", "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("relos_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("relos_http_requests_total{method=\"GET\",route=\"/readyz\",status=\"503\"} 1\n"),
            std::string::npos);
  EXPECT_NE(m.body.find("relos_http_request_duration_seconds_count{route=\"/healthz\"} 1\n"), std::string::npos);
  EXPECT_NE(m.body.find("relos_orders_open{state=\"draft\"} 0\n"), std::string::npos);
  EXPECT_NE(m.body.find("relos_http_connections_open 1\n"), std::string::npos);
}

TEST_F(ServerTest, TransportLimitsAnswerJsonErrorsAndClose) {
  {
    Client c = Connect();
    Answer a = c.Send("POST", "/api/v1/sessions", std::string(65 << 10, 'x'));
    EXPECT_EQ(a.status, 413);
    EXPECT_EQ(a.json()["error"]["code"], "payload_too_large");
    EXPECT_EQ(a.json()["error"]["field"], "body");
    EXPECT_TRUE(c.Closed());
  }
  {
    Client c = Connect();
    Answer a = c.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    EXPECT_EQ(a.status, 400);
    EXPECT_EQ(a.json()["error"]["code"], "bad_request");
    EXPECT_TRUE(c.Closed());
  }
  {
    Client c = Connect();
    Answer a = c.Send("GET", "/healthz", "", {{"X-Long", std::string(20 << 10, 'h')}});
    EXPECT_EQ(a.status, 431);
  }
  Client c = Connect();
  EXPECT_EQ(c.Send("GET", "/nowhere").status, 404);
  Answer wrong_method = c.Send("DELETE", "/healthz");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.Header("allow"), "GET");
}

TEST_F(ServerTest, CorsHeadersOnlyForTheConfiguredOrigin) {
  ServerOptions o = TestServerOptions();
  o.cors_origin = "https://ops.example";
  HttpServer cors(o, [this](const HttpRequest& r) { return api_.Handle(r); }, nullptr);
  RELOS_ASSERT_OK(cors.Start());
  Client c(cors.port());
  EXPECT_EQ(c.Send("GET", "/healthz", "", {{"Origin", "https://ops.example"}}).Header("access-control-allow-origin"),
            "https://ops.example");
  EXPECT_EQ(c.Send("GET", "/healthz", "", {{"Origin", "https://evil.example"}}).Header("access-control-allow-origin"),
            "");
  cors.Stop();
}

TEST_F(ServerTest, BadJsonIsRefusedNamingTheFieldAndChangesNothing) {
  Client c = Connect();
  const auto in = As("IN", Role::kRequester);
  const int64_t events = relos::testing::EventCount(store_);
  struct Case {
    std::string body;
    std::string field;
  };
  Json unknown = RequestJson();
  unknown["colour"] = "red";
  Json huge = RequestJson();
  huge["lines"][0]["note"] = std::string(5000, 'n');
  Json many = RequestJson();
  many["lines"] = Json::array();
  for (int i = 0; i < 1001; ++i) many["lines"].push_back(0);
  Json sql = RequestJson();
  sql["unit"] = "IN-SHIP'; DROP TABLE orders; --";
  const std::vector<Case> cases = {
      {"{\"agreement\": ", "body"},
      {std::string(40, '[') + std::string(40, ']'), "depth"},
      {unknown.dump(), "$.colour"},
      {huge.dump(), "$.lines[0].note"},
      {many.dump(), "$.lines"},
      {"[1, 2]", "$"},
      {"{\"agreement\": \"\xff\xfe\"}", "body"},
  };
  for (const Case& k : cases) {
    Answer a = c.Send("POST", "/api/v1/orders", k.body, in);
    EXPECT_EQ(a.status, 400) << k.body.substr(0, 80) << " -> " << a.body;
    EXPECT_EQ(a.json()["error"]["field"], k.field) << a.body;
  }
  Answer injected = c.Send("POST", "/api/v1/orders", sql.dump(), in);
  EXPECT_EQ(injected.status, 404) << injected.body;
  EXPECT_EQ(injected.json()["error"]["rule"], "storage.not_found");
  EXPECT_EQ(relos::testing::EventCount(store_), events);
  auto list = c.Send("GET", "/api/v1/orders", "", in).json();
  EXPECT_EQ(list["orders"].size(), 0u);
}

TEST_F(ServerTest, PathTraversalAndOddIdsAreRefused) {
  Client c = Connect();
  const auto in = As("IN", Role::kAuditor);
  EXPECT_EQ(c.Send("GET", "/api/v1/units/..%2F..%2Fetc%2Fpasswd", "", in).status, 400);
  EXPECT_EQ(c.Send("GET", "/api/v1/units/%2e%2e", "", in).status, 400);
  EXPECT_EQ(c.Send("GET", "/api/v1/units/IN%00SHIP", "", in).status, 400);
  EXPECT_EQ(c.Send("GET", "/api/v1/units/../orders", "", in).status, 404);
  EXPECT_EQ(c.Send("GET", "/api/v1/orders/99999999999999999999999", "", in).status, 404);
  Answer ok = c.Send("GET", "/api/v1/units/IN-SHIP", "", in);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json()["code"], "IN-SHIP");
}

TEST_F(ServerTest, LoginLogoutExpiryAndRateLimit) {
  Client c = Connect();
  const Json good = {{"name", "IN-requester"}, {"password", "correct horse battery"}};
  Answer login = c.Send("POST", "/api/v1/sessions", good.dump());
  ASSERT_EQ(login.status, 201) << login.body;
  const std::string token = login.json()["token"];
  EXPECT_EQ(token.rfind("relos_", 0), 0u);
  const std::map<std::string, std::string> bearer = {{"Authorization", "Bearer " + token}};
  Answer me = c.Send("GET", "/api/v1/me", "", bearer);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["party"], "IN");
  EXPECT_EQ(me.json()["acting_role"], "requester");
  EXPECT_EQ(c.Send("DELETE", "/api/v1/sessions/current", "", bearer).status, 200);
  Answer after = c.Send("GET", "/api/v1/me", "", bearer);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.Header("www-authenticate"), "Bearer realm=\"relos\"");

  // Expiry: a session lasts 8 hours by default.
  Answer second = c.Send("POST", "/api/v1/sessions", good.dump());
  const std::map<std::string, std::string> bearer2 = {{"Authorization", "Bearer " + std::string(second.json()["token"])}};
  EXPECT_EQ(c.Send("GET", "/api/v1/me", "", bearer2).status, 200);
  fixture_.clock.Advance(8 * 3600);
  EXPECT_EQ(c.Send("GET", "/api/v1/me", "", bearer2).status, 401);

  // Forged and missing tokens.
  EXPECT_EQ(c.Send("GET", "/api/v1/me", "", {{"Authorization", "Bearer relos_" + std::string(64, 'a')}}).status, 401);
  EXPECT_EQ(c.Send("GET", "/api/v1/me").status, 401);

  // Five wrong passwords lock the account for the window; the right one is
  // then refused too, without being checked.
  const Json bad = {{"name", "RU-finance"}, {"password", "wrong password!"}};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.Send("POST", "/api/v1/sessions", bad.dump()).status, 401);
  const Json right = {{"name", "RU-finance"}, {"password", "correct horse battery"}};
  Answer limited = c.Send("POST", "/api/v1/sessions", right.dump());
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.json()["error"]["rule"], "auth.rate_limited");
  fixture_.clock.Advance(15 * 60 + 1);
  EXPECT_EQ(c.Send("POST", "/api/v1/sessions", right.dump()).status, 201);

  // Every auth event is on the chain, and no secret is.
  auto txn = store_.BeginRead();
  ASSERT_TRUE(txn.ok());
  auto events = (*txn)->ListEvents(0, 100000);
  ASSERT_TRUE(events.ok());
  std::map<std::string, int> kinds;
  for (const auto& e : *events) {
    ++kinds[e.kind];
    EXPECT_EQ(e.payload.find("correct horse"), std::string::npos);
    EXPECT_EQ(e.payload.find("wrong password"), std::string::npos);
    EXPECT_EQ(e.payload.find("$argon2id"), std::string::npos);
    EXPECT_EQ(e.payload.find(token), std::string::npos);
  }
  EXPECT_EQ(kinds["session.opened"], 3);
  EXPECT_EQ(kinds["session.closed"], 1);
  EXPECT_EQ(kinds["login.failed"], 5);
  EXPECT_EQ(kinds["user.added"], 21);
  EXPECT_EQ(kinds["token.issued"], 21);
}

TEST_F(ServerTest, WholeLifecycleWithEtagsIdempotencyAndVerification) {
  Client c = Connect();
  auto with = [](std::map<std::string, std::string> h, const std::string& k, const std::string& v) {
    h[k] = v;
    return h;
  };
  const auto requester = with(As("IN", Role::kRequester), "Idempotency-Key", "req-001");
  Answer created = c.Send("POST", "/api/v1/orders", RequestJson().dump(), requester);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string number = created.json()["number"];
  EXPECT_EQ(created.Header("etag"), "\"1\"");
  EXPECT_EQ(created.Header("location"), "/api/v1/orders/" + number);
  Answer replay = c.Send("POST", "/api/v1/orders", RequestJson().dump(), requester);
  EXPECT_EQ(replay.json()["number"], number);
  Json other = RequestJson();
  other["exercise"] = "different";
  EXPECT_EQ(c.Send("POST", "/api/v1/orders", other.dump(), requester).status, 409);

  const std::string base = "/api/v1/orders/" + number;
  EXPECT_EQ(c.Send("POST", base + "/submit", "", As("IN", Role::kRequester)).status, 200);
  Answer stale = c.Send("POST", base + "/approve", "", with(As("RU", Role::kApprover), "If-Match", "\"1\""));
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["error"]["code"], "aborted");
  Answer approved = c.Send("POST", base + "/approve", "", with(As("RU", Role::kApprover), "If-Match", "\"2\""));
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Header("etag"), "\"3\"");
  EXPECT_EQ(c.Send("POST", base + "/deliver", "", As("RU", Role::kLogisticsOfficer)).status, 200);
  Json dispute = {{"lines", {{{"line_no", 1}, {"quantity", "9"}, {"reason", "meter reads 9 t"}}}}};
  Answer receipted = c.Send("POST", base + "/receipt", dispute.dump(), As("IN", Role::kReceiver));
  ASSERT_EQ(receipted.status, 200) << receipted.body;
  EXPECT_EQ(receipted.json()["lines"][0]["verdict"], "disputed");
  Json resolve = {{"line_no", 1}, {"quantity", "9.5 tonne"}};
  ASSERT_EQ(c.Send("POST", base + "/resolve", resolve.dump(), As("RU", Role::kApprover)).status, 200);
  Answer closed = c.Send("POST", base + "/close", "", As("IN", Role::kFinance));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["state"], "closed");

  Answer by_id = c.Send("GET", "/api/v1/orders/" + std::to_string(int64_t(closed.json()["id"])), "", As("RU", Role::kAuditor));
  EXPECT_EQ(by_id.json()["number"], number);
  Answer verify = c.Send("GET", "/api/v1/verify", "", As("RU", Role::kAuditor));
  EXPECT_EQ(verify.status, 200);
  EXPECT_EQ(verify.json()["ok"], true) << verify.body;
  Answer events = c.Send("GET", "/api/v1/events?limit=1000", "", As("CN", Role::kAuditor));
  const Json cn_view = events.json();  // kept: a range over a temporary's member would dangle
  ASSERT_EQ(events.status, 200);
  for (const auto& e : cn_view["events"]) EXPECT_NE(e["subject"], "order/" + number);
  Answer in_events = c.Send("GET", "/api/v1/events?limit=1000", "", As("IN", Role::kAuditor));
  int order_events = 0;
  const Json in_view = in_events.json();
  for (const auto& e : in_view["events"]) order_events += e["subject"] == "order/" + number;
  EXPECT_EQ(order_events, 7);  // created, submitted, approved, delivered, receipted, resolved, closed
}

TEST_F(ServerTest, KeysetPaginationAndFilters) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(fixture_.Create(fixture_.Request()).ok());
  ASSERT_TRUE(fixture_.RaiseTo(OrderState::kSubmitted).ok());
  Client c = Connect();
  const auto ru = As("RU", Role::kAuditor);
  Answer page1 = c.Send("GET", "/api/v1/orders?limit=4", "", ru);
  ASSERT_EQ(page1.json()["orders"].size(), 4u);
  const int64_t next = page1.json()["next_after"];
  Answer page2 = c.Send("GET", "/api/v1/orders?limit=4&after=" + std::to_string(next), "", ru);
  ASSERT_EQ(page2.json()["orders"].size(), 2u);
  EXPECT_TRUE(page2.json()["next_after"].is_null());
  EXPECT_GT(int64_t(page2.json()["orders"][0]["id"]), next);
  EXPECT_EQ(c.Send("GET", "/api/v1/orders?state=submitted", "", ru).json()["orders"].size(), 1u);
  EXPECT_EQ(c.Send("GET", "/api/v1/orders?state=flying", "", ru).status, 400);
  EXPECT_EQ(c.Send("GET", "/api/v1/orders?limit=0", "", ru).status, 400);
  EXPECT_EQ(c.Send("GET", "/api/v1/orders?colour=red", "", ru).status, 400);
  EXPECT_EQ(c.Send("GET", "/api/v1/orders", "", As("CN", Role::kAuditor)).json()["orders"].size(), 0u);
}

TEST_F(ServerTest, OpenApiListsExactlyTheRouteTable) {
  Client c = Connect();
  Answer doc = c.Send("GET", "/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  Json j = doc.json();
  EXPECT_EQ(j["openapi"], "3.0.3");
  // Query parameters say what they take: a sea route's ends may be facilities.
  std::string from;
  for (const auto& p : j["paths"]["/api/v1/sea-routes"]["get"]["parameters"]) {
    if (p["name"] == "from") from = p.value("description", "");
  }
  EXPECT_NE(from.find("facility"), std::string::npos) << from;
  std::set<std::pair<std::string, std::string>> in_doc, in_table;
  for (const auto& [path, ops] : j["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      in_doc.insert({m, path});
    }
  }
  for (const Route& r : api_.routes()) in_table.insert({r.method, r.pattern});
  EXPECT_EQ(in_doc, in_table);
  // And every documented route exists: the server does not answer 404/405
  // for its path and method (ids made up are fine: 404 comes as JSON from the
  // handler with its route, never "no such resource").
  for (const auto& [method, path] : in_doc) {
    std::string concrete = path;
    for (size_t open; (open = concrete.find('{')) != std::string::npos;) {
      concrete.replace(open, concrete.find('}') - open + 1, "X1");
    }
    Answer a = c.Send(method, concrete, "", As("IN", Role::kAdmin));
    EXPECT_NE(a.status, 405) << method << " " << path;
    if (a.Header("content-type") == "application/json") {
      EXPECT_NE(a.json().value("/error/reason"_json_pointer, std::string()), "no such resource") << method << " " << path;
    }
  }
}

// docs/openapi.json is the document the server serves: readers of the API
// and the request fuzz target (fuzz/http_request_fuzz.cc, which builds its
// router from it) rely on it. After changing the route table regenerate it
// with RELOS_UPDATE_GOLDEN=1 and read the diff.
TEST_F(ServerTest, TheCommittedOpenApiDocumentIsTheServedOne) {
  const char* source = std::getenv("RELOS_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "ctest sets RELOS_SOURCE_DIR";
  const std::filesystem::path committed = std::filesystem::path(source) / "docs/openapi.json";
  const std::string served = api_.OpenApi().dump(2) + "\n";
  if (std::getenv("RELOS_UPDATE_GOLDEN") != nullptr) std::ofstream(committed) << served;
  std::ifstream in(committed);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, served) << committed << " is not what the server serves: regenerate it with "
                          << "RELOS_UPDATE_GOLDEN=1 ctest -R '^server$' and read the diff";
}

// Every route × role × party, with the exact status. Orders are made fresh
// in the state each action starts from; the expected status follows from the
// route's roles and the lifecycle table, and the third party CN must get 404
// for anything of IN's and RU's.
TEST_F(ServerTest, EveryRouteRoleAndPartyGetsTheExactStatus) {
  Client c = Connect();
  RELOS_ASSERT_OK_AND_ASSIGN(const orders::Order draft, fixture_.Create(fixture_.Request()));
  {
    exercise::ExerciseService exercises(store_, fixture_.clock, fixture_.orders);
    RELOS_ASSERT_OK_AND_ASSIGN(exercise::Exercise e, exercise::ExerciseFromJsonText(ExerciseDoc().dump(), "test"));
    RELOS_ASSERT_OK(exercises.Create(relos::testing::As("IN", Role::kRequester), e));
  }
  int checked = 0;
  for (const Route& route : api_.routes()) {
    if (!route.authenticated) continue;
    for (const std::string& party : kTestParties) {
      for (Role role : relos::testing::AllRoles()) {
        const bool role_ok = route.roles.empty() || route.roles.count(role);
        std::optional<orders::Order> raised;
        std::string target = route.pattern;
        std::string body;
        int expected = role_ok ? route.success : 403;
        const auto replace = [&target](const std::string& param, const std::string& value) {
          auto at = target.find("{" + param + "}");
          if (at != std::string::npos) target.replace(at, param.size() + 2, value);
        };
        if (route.pattern == "/api/v1/sessions/current") continue;  // revokes the token: LoginLogout covers it
        if (route.pattern == "/api/v1/users" && route.method == "POST") {
          body = Json{{"name", "new-" + UserName(party, role)}, {"roles", {"auditor"}}, {"password", "0123456789ab"}}.dump();
        } else if (route.pattern == "/api/v1/registry/import") {
          // Each admin re-imports the IN unit: only IN's may (RU and CN are
          // refused by the registry's owner rule, 403).
          RELOS_ASSERT_OK_AND_ASSIGN(auto unit, [&] { auto t = store_.BeginRead(); return (*t)->GetUnit("IN-SHIP"); }());
          body = Json{{"units", {codec::ToJson(unit)}}}.dump();
          if (role_ok && party != "IN") expected = 403;
        } else if (route.pattern == "/api/v1/orders" && route.method == "POST") {
          body = RequestJson().dump();
          // Only IN is bound by the agreement with a unit of its own in the
          // request; RU's requester names IN's unit (404), CN is not bound (404).
          if (role_ok && party != "IN") expected = 404;
        } else if (route.pattern.find("/{ref}/") != std::string::npos) {
          const std::string name = route.pattern.substr(route.pattern.rfind('/') + 1);
          Action action = Action::kCreate;
          for (Action a : relos::testing::AllActions()) {
            if (orders::Name(a) == name) action = a;
          }
          const auto& perms = orders::PermissionsFor(action);
          if (!role_ok) {
            replace("ref", draft.number);  // refused by the route before the order is looked at
          } else {
            // Fuel only, so that the many approvals stay within stock and
            // no berth is booked twice.
            OrderState from = *perms.front().from.begin();
            RELOS_ASSERT_OK_AND_ASSIGN(
                orders::Order o,
                fixture_.RaiseTo(from, fixture_.Request({fixture_.Line(relos::testing::kF76, relos::testing::Q("10 tonne"))}),
                                 action == Action::kResolve));
            replace("ref", o.number);
            raised = o;
          }
          if (action == Action::kReject || action == Action::kCancel) body = R"({"remark":"not needed"})";
          if (action == Action::kResolve) body = R"({"line_no":1,"quantity":"10 tonne"})";
          if (role_ok) {
            const orders::Order& o = *raised;
            // The lifecycle's answer: 404 to a stranger, 403 when no row
            // lets this side and role act, 409 when one does but not from
            // this state.
            bool side_and_role = false, from_here = false;
            for (const auto& p : perms) {
              const std::string side = p.side == orders::Side::kRequester ? o.requester : o.supplier;
              const bool row = p.roles.count(role) && side == party;
              side_and_role = side_and_role || row;
              from_here = from_here || (row && p.from.count(o.state));
            }
            expected = party == "CN" ? 404 : !side_and_role ? 403 : !from_here ? 409 : 200;
          }
        } else if (route.pattern == "/api/v1/orders/{ref}") {
          replace("ref", draft.number);
          if (party == "CN") expected = 404;
        } else if (route.pattern == "/api/v1/units/{code}") {
          replace("code", "IN-SHIP");
          if (party != "IN") expected = 404;
        } else if (route.pattern == "/api/v1/facilities/{code}") {
          replace("code", relos::testing::kRuPort);
          if (party == "CN") expected = 404;
        } else if (route.pattern == "/api/v1/parties/{code}") {
          replace("code", "RU");
          if (party == "CN") expected = 404;
        } else if (route.pattern == "/api/v1/agreements/{code}") {
          replace("code", relos::testing::kAgreement);
          if (party == "CN") expected = 404;
        } else if (route.pattern.rfind("/api/v1/ledger/{agreement}/", 0) == 0) {
          // No order has reached the ledger here (the fixture's service runs
          // no ledger observer): there is nothing to bill or offset (409),
          // and the third party is not bound by the agreement (404).
          replace("agreement", relos::testing::kAgreement);
          if (route.pattern.ends_with("/bills") && route.method == "POST") {
            body = R"({"from":"2026-01-01T00:00:00Z","to":"2027-01-01T00:00:00Z"})";
          }
          if (role_ok) expected = party == "CN" ? 404 : route.method == "POST" ? 409 : 200;
        } else if (route.pattern.rfind("/api/v1/bills/", 0) == 0 || route.pattern.rfind("/api/v1/rik/", 0) == 0 ||
                   route.pattern.rfind("/api/v1/offsets/", 0) == 0) {
          // A guessed bill, obligation or proposal: 404 to every party.
          replace("number", "RELOS-TEST-BILL-2026-000009");
          replace("key", "RELOS-IN-RU-2026-000009:L1");
          replace("id", "RELOS-TEST-EVE-2026-000009");
          if (route.pattern.ends_with("/payments")) body = R"({"amount":"1.00 USD","payment_id":"p-1"})";
          if (route.pattern.ends_with("/deliveries")) body = R"({"quantity":"1 tonne"})";
          if (role_ok) expected = 404;
        } else if (route.pattern == "/api/v1/rates" && route.method == "POST") {
          body = R"({"rates":[{"from":"RUB","to":"USD","valid_from":"2025-01-01","rate":"0.011"}]})";
        } else if (route.pattern == "/api/v1/items/{code}") {
          replace("code", relos::testing::kWater);
        } else if (route.pattern == "/api/v1/sea-routes") {
          target += "?from=10,85&to=0,75";
          if (role_ok && TestNetworkPath().empty()) expected = 503;
        } else if (route.pattern == "/api/v1/exercises" && route.method == "POST") {
          // A new exercise of IN and RU per caller; the third party takes no
          // part, so it may not plan it (403).
          std::string code = "EX-" + party + "-" + std::string(orders::Name(role));
          for (char& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          Json doc = ExerciseDoc();
          doc["code"] = code;
          body = doc.dump();
          if (role_ok && party == "CN") expected = 403;
        } else if (route.pattern.rfind("/api/v1/exercises/{code}", 0) == 0) {
          // IN's and RU's exercise: the third party's guess is 404.
          replace("code", kExercise);
          if (route.method == "POST") body = route.pattern.ends_with("/status") ? R"({"status":"active"})" : "{}";
          if (role_ok && party == "CN") expected = 404;
        } else if (route.pattern.rfind("/api/v1/facilities/{code}/", 0) == 0) {
          // RU's facility: its capacity is RU's alone to see and plan.
          replace("code", relos::testing::kRuPort);
          if (route.method == "POST") {
            body = Json{{"id", "R-" + UserName(party, role)}, {"grade", "F-76"}, {"quantity", "100 tonne"},
                        {"at", "2026-04-01T00:00:00Z"}}
                       .dump();
          }
          if (role_ok && party != "RU") expected = 404;
        } else if (route.pattern.rfind("/api/v1/mission-plans", 0) == 0) {
          // IN's helicopters: another party's unit is 404, as no unit at all.
          body = HeloMission().dump();
          if (role_ok && party != "IN") expected = 404;
        }
        ASSERT_EQ(target.find('{'), std::string::npos) << "no value for a parameter of " << route.pattern;
        Answer a = c.Send(route.method, target, body, As(party, role));
        EXPECT_EQ(a.status, expected) << route.method << " " << target << " as " << party << ":" << orders::Name(role)
                                      << " -> " << a.body.substr(0, 300);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 3 * 7 * 20);
}

TEST_F(ServerTest, PartnersSeeAFacilitysPublishedFaceOnly) {
  Client c = Connect();
  Answer own = c.Send("GET", std::string("/api/v1/facilities/") + relos::testing::kRuPort, "", As("RU", Role::kAuditor));
  Answer partner = c.Send("GET", std::string("/api/v1/facilities/") + relos::testing::kRuPort, "", As("IN", Role::kAuditor));
  ASSERT_EQ(own.status, 200);
  ASSERT_EQ(partner.status, 200);
  EXPECT_TRUE(own.json().contains("capacities"));
  EXPECT_FALSE(partner.json().contains("capacities"));
  EXPECT_TRUE(own.json()["fuel"][0].contains("on_hand"));
  EXPECT_FALSE(partner.json()["fuel"][0].contains("on_hand"));
  Answer list = c.Send("GET", "/api/v1/facilities", "", As("CN", Role::kAuditor));
  ASSERT_EQ(list.json()["facilities"].size(), 1u);
  EXPECT_EQ(list.json()["facilities"][0]["code"], "CN-PORT");
  EXPECT_EQ(c.Send("GET", "/api/v1/units/CN-SHIP", "", As("IN", Role::kAdmin)).status, 404);
  EXPECT_EQ(c.Send("GET", "/api/v1/units/NO-SUCH", "", As("IN", Role::kAdmin)).status, 404);
  // The same answer as for a code that does not exist, but for the code.
  std::string guessed = c.Send("GET", "/api/v1/units/CN-SHIP", "", As("IN", Role::kAdmin)).body;
  std::string missing = c.Send("GET", "/api/v1/units/NO-SUCH", "", As("IN", Role::kAdmin)).body;
  missing.replace(missing.find("NO-SUCH"), 7, "CN-SHIP");
  EXPECT_EQ(guessed, missing);
}

TEST_F(ServerTest, StopFinishesInFlightRequestsAndRefusesNewConnections) {
  // Many clients each keep a request going while Stop() is called: every
  // request that was sent gets a complete response, and afterwards the port
  // refuses connections.
  std::atomic<int> answered{0}, failed{0};
  std::vector<std::thread> clients;
  std::atomic<bool> go{false};
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&, i] {
      try {
        Client c = Connect();
        while (!go) std::this_thread::yield();
        for (int k = 0; k < 20; ++k) {
          Answer a = c.Send("POST", "/api/v1/orders", RequestJson().dump(),
                            [&] {
                              auto h = As("IN", Role::kRequester);
                              h["Idempotency-Key"] = "stop-" + std::to_string(i) + "-" + std::to_string(k);
                              return h;
                            }());
          if (a.status != 201) {
            ++failed;
            return;
          }
          ++answered;
        }
      } catch (const std::exception&) {
        // The connection was closed between requests: nothing was lost.
      }
    });
  }
  go = true;
  while (answered < 10) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server_.Stop();
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed, 0);
  // Every acknowledged order is in the store.
  auto txn = store_.BeginRead();
  ASSERT_TRUE(txn.ok());
  storage::OrderFilter f;
  auto stored = (*txn)->ListOrders(f);
  ASSERT_TRUE(stored.ok());
  EXPECT_GE(static_cast<int>(stored->size()), answered.load());
  EXPECT_EQ(server_.InFlight(), 0);
  EXPECT_THROW(Connect(), std::exception);
}

// A plan through the API is the CLI's plan over what IN may see: the same
// legs and stops, with the partner's airbase as a stop and nobody else's
// facilities even named among those left out.
TEST_F(ServerTest, MissionPlanIsTheClisPlanOverWhatThePartySees) {
  Client c = Connect();
  Answer a = c.Send("POST", "/api/v1/mission-plans", HeloMission().dump(), As("IN", Role::kLogisticsOfficer));
  ASSERT_EQ(a.status, 200) << a.body;
  Json plan = a.json();
  EXPECT_EQ(plan["feasible"], true);
  EXPECT_EQ(plan["agreement"], relos::testing::kAgreement);
  ASSERT_EQ(plan["stops"].size(), 1u) << plan.dump();
  EXPECT_EQ(plan["stops"][0]["facility"], "RU-AIR");
  EXPECT_EQ(plan["stops"][0]["partner"], true);
  ASSERT_EQ(plan["legs"].size(), 2u);
  EXPECT_EQ(plan["legs"][0]["to"]["code"], "RU-AIR");
  for (const auto& e : plan["excluded"]) EXPECT_NE(e["facility"], "CN-PORT") << e.dump();
  const Json geo = plan["geojson"];
  EXPECT_EQ(geo["type"], "FeatureCollection");
  ASSERT_EQ(geo["features"].size(), 3u);
  EXPECT_EQ(geo["features"][0]["geometry"]["type"], "LineString");
  EXPECT_EQ(geo["features"][2]["geometry"]["type"], "Point");

  // The CLI's JSON for the same request differs only in what IN cannot
  // see: CN's facility is named.
  plan.erase("geojson");
  EXPECT_EQ(plan, CliPlan(HeloRequest()));

  // RU's planners cannot plan for IN's unit: the same 404 as for no unit.
  std::string guessed = c.Send("POST", "/api/v1/mission-plans", HeloMission().dump(), As("RU", Role::kAdmin)).body;
  Json nothing = HeloMission();
  nothing["unit"] = "NO-SUCH";
  std::string missing = c.Send("POST", "/api/v1/mission-plans", nothing.dump(), As("RU", Role::kAdmin)).body;
  missing.replace(missing.find("NO-SUCH"), 7, relos::testing::kInHelo);
  EXPECT_EQ(guessed, missing);
  EXPECT_NE(guessed.find("\"code\":\"not_found\""), std::string::npos) << guessed;
}

TEST_F(ServerTest, PartnerStopsOfferWhatTheFuelProjectionLeavesFreeAsInTheCli) {
  // RU's airbase is dry now, with a tanker due before the flight: the
  // projection, not the stock on hand, decides, through the API as in the
  // CLI, and the answer names no stock level.
  RELOS_ASSERT_OK(fixture_.UpdateRegistry([](registry::RegistryData& d) {
    for (auto& f : d.facilities) {
      if (f.code == "RU-AIR") f.fuel[0].on_hand = Q("0 m3");
    }
  }));
  Client c = Connect();
  Answer dry = c.Send("POST", "/api/v1/mission-plans", HeloMission().dump(), As("IN", Role::kRequester));
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.json()["feasible"], false) << dry.body;
  Json dry_plan = dry.json();
  dry_plan.erase("geojson");
  EXPECT_EQ(dry_plan, CliPlan(HeloRequest()));
  {
    RELOS_ASSERT_OK_AND_ASSIGN(auto txn, store_.BeginWrite());
    capacity::FuelReplenishment tanker{"tanker-1", "RU-AIR", "F-44", 0, T("2026-05-01T00:00:00Z"), "barge"};
    RELOS_ASSERT_OK(capacity::AddReplenishment(*txn, relos::testing::As("RU", Role::kLogisticsOfficer), tanker,
                                               Q("10 m3"), fixture_.clock.Now()));
    RELOS_ASSERT_OK(txn->Commit());
  }
  Answer a = c.Send("POST", "/api/v1/mission-plans", HeloMission().dump(), As("IN", Role::kRequester));
  ASSERT_EQ(a.status, 200) << a.body;
  Json plan = a.json();
  EXPECT_EQ(plan["feasible"], true) << a.body;
  ASSERT_EQ(plan["stops"].size(), 1u) << a.body;
  EXPECT_EQ(plan["stops"][0]["facility"], "RU-AIR");
  plan.erase("geojson");
  EXPECT_EQ(plan, CliPlan(HeloRequest()));
  EXPECT_EQ(a.body.find("on_hand"), std::string::npos) << a.body;
  EXPECT_EQ(a.body.find("10000"), std::string::npos) << a.body;  // the tanker's litres
}

TEST_F(ServerTest, MissionOrdersAreDraftedOncePerIdempotencyKey) {
  Client c = Connect();
  auto headers = As("IN", Role::kRequester);
  headers["Idempotency-Key"] = "helo-flight-1";
  Answer first = c.Send("POST", "/api/v1/mission-plans/orders", HeloMission().dump(), headers);
  ASSERT_EQ(first.status, 201) << first.body;
  const Json made = first.json()["orders"];
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0]["facility"], "RU-AIR");
  EXPECT_EQ(made[0]["state"], "draft");
  EXPECT_EQ(made[0]["lines"][0]["item"], relos::testing::kF44);
  const int64_t events = relos::testing::EventCount(store_);
  Answer again = c.Send("POST", "/api/v1/mission-plans/orders", HeloMission().dump(), headers);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json()["orders"][0]["number"], made[0]["number"]);
  EXPECT_EQ(relos::testing::EventCount(store_), events);
  // An approver may plan but not raise orders.
  EXPECT_EQ(c.Send("POST", "/api/v1/mission-plans/orders", HeloMission().dump(), As("IN", Role::kApprover)).status,
            403);
}

// Refuses to create any order at one facility, as a rule checked inside the
// creating transaction would.
class RefuseOrdersAt : public orders::OrderObserver {
 public:
  explicit RefuseOrdersAt(std::string facility) : facility_(std::move(facility)) {}
  Status OnTransition(storage::Transaction&, Action action, const orders::Order&, const orders::Order& after,
                      const orders::Actor&) override {
    if (action == Action::kCreate && after.facility == facility_) {
      return FailedPrecondition("no orders at " + facility_ + " this week", "test.refused");
    }
    return OkStatus();
  }

 private:
  std::string facility_;
};

TEST_F(ServerTest, MissionOrdersAreDraftedAllOrNone) {
  // A second RU airbase further east: the flight to 0,98 stops at RU-AIR,
  // then at RU-AIR2.
  RELOS_ASSERT_OK(fixture_.UpdateRegistry([](registry::RegistryData& d) {
    for (const auto& f : std::vector<registry::Facility>(d.facilities)) {
      if (f.code != "RU-AIR") continue;
      registry::Facility second = f;
      second.code = "RU-AIR2";
      second.position = GeoPosition::Make(0, 92).value();
      d.facilities.push_back(second);
    }
  }));
  Json flight = HeloMission();
  flight["to"] = "0,98";
  auto headers = As("IN", Role::kRequester);
  headers["Idempotency-Key"] = "helo-east-1";
  const int64_t events = relos::testing::EventCount(store_);
  auto order_count = [&] {
    auto txn = store_.BeginRead();
    EXPECT_TRUE(txn.ok());
    auto stored = (*txn)->ListOrders(storage::OrderFilter{});
    EXPECT_TRUE(stored.ok());
    return stored.ok() ? stored->size() : size_t{999};
  };
  {
    RefuseOrdersAt refuse("RU-AIR2");
    orders::OrderService refusing(store_, fixture_.clock, {&refuse});
    Api api(store_, fixture_.clock, auth_, refusing, nullptr, TestApiOptions());
    HttpServer server(TestServerOptions(), [&api](const HttpRequest& r) { return api.Handle(r); }, nullptr);
    RELOS_ASSERT_OK(server.Start());
    Client c(server.port());
    Answer a = c.Send("POST", "/api/v1/mission-plans/orders", flight.dump(), headers);
    EXPECT_EQ(a.status, 409) << a.body;
    EXPECT_EQ(a.json()["error"]["rule"], "test.refused") << a.body;
    EXPECT_NE(a.body.find("orders[1]"), std::string::npos) << a.body;
    server.Stop();
  }
  // The first stop's order, made before the second was refused, is gone
  // with it.
  EXPECT_EQ(order_count(), 0u);
  EXPECT_EQ(relos::testing::EventCount(store_), events);

  // Without the refusal both are made together, and a retry returns them.
  Client c = Connect();
  Answer made = c.Send("POST", "/api/v1/mission-plans/orders", flight.dump(), headers);
  ASSERT_EQ(made.status, 201) << made.body;
  ASSERT_EQ(made.json()["orders"].size(), 2u) << made.body;
  EXPECT_EQ(made.json()["orders"][0]["facility"], "RU-AIR");
  EXPECT_EQ(made.json()["orders"][1]["facility"], "RU-AIR2");
  Answer again = c.Send("POST", "/api/v1/mission-plans/orders", flight.dump(), headers);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json()["orders"], made.json()["orders"]);
  EXPECT_EQ(order_count(), 2u);
}

TEST_F(ServerTest, PlanningInputIsValidatedNamingTheField) {
  Client c = Connect();
  const auto in = As("IN", Role::kRequester);
  const int64_t events = relos::testing::EventCount(store_);
  struct Case {
    std::string key;
    Json value;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"colour", "red", "$.colour"},        {"reserve", 1.5, "$.reserve"},        {"speed", -3, "$.speed"},
      {"stop_hours", "12", "$.stop_hours"}, {"departure", "soon", "$.departure"}, {"from", "91,0", "$.from"},
      {"objective", "fun", "$.objective"},  {"purpose", "war", "$.purpose"},      {"unit", 7, "$.unit"},
      {"max_wait_days", -1, "$.max_wait_days"}, {"max_wait_days", 400, "$.max_wait_days"},
  };
  for (const Case& k : cases) {
    Json body = HeloMission();
    body[k.key] = k.value;
    Answer a = c.Send("POST", "/api/v1/mission-plans/orders", body.dump(), in);
    EXPECT_EQ(a.status, 400) << k.key << " -> " << a.body;
    EXPECT_EQ(a.json()["error"]["field"], k.field) << a.body;
  }
  Answer unknown_param = c.Send("GET", "/api/v1/sea-routes?from=10,85&to=0,75&colour=red", "", in);
  EXPECT_EQ(unknown_param.status, 400);
  EXPECT_EQ(unknown_param.json()["error"]["field"], "colour");
  Answer no_to = c.Send("GET", "/api/v1/sea-routes?from=10,85", "", in);
  EXPECT_EQ(no_to.status, 400);
  EXPECT_EQ(no_to.json()["error"]["field"], "to");
  Answer deep = c.Send("GET", "/api/v1/sea-routes?from=10,85&to=0,75&max_draught=45", "", in);
  EXPECT_EQ(deep.status, 400);
  EXPECT_EQ(deep.json()["error"]["field"], "max_draught");
  EXPECT_EQ(relos::testing::EventCount(store_), events);
}

TEST_F(ServerTest, WithoutASeaLaneNetworkShipPlanningIs503AndAircraftStillPlan) {
  ApiOptions o;
  o.open_sealanes = [] { return sealanes::SeaLaneNetwork::Load("/nonexistent/sealanes.bin"); };
  Api bare(store_, fixture_.clock, auth_, fixture_.orders, nullptr, o);
  HttpServer server(TestServerOptions(), [&bare](const HttpRequest& r) { return bare.Handle(r); }, nullptr);
  RELOS_ASSERT_OK(server.Start());
  Client c(server.port());
  const auto in = As("IN", Role::kLogisticsOfficer);
  for (int i = 0; i < 2; ++i) {  // a failed load is tried again, and fails again
    Answer route = c.Send("GET", "/api/v1/sea-routes?from=10,85&to=0,75", "", in);
    EXPECT_EQ(route.status, 503) << route.body;
    EXPECT_EQ(route.json()["error"]["rule"], "sealanes.network");
    EXPECT_EQ(route.body.find("nonexistent"), std::string::npos) << "the server's paths stay on the server";
  }
  Json ship = HeloMission();
  ship["unit"] = relos::testing::kInShip;
  ship["from"] = relos::testing::kInPort;
  ship["to"] = relos::testing::kRuPort;
  EXPECT_EQ(c.Send("POST", "/api/v1/mission-plans", ship.dump(), in).status, 503);
  EXPECT_EQ(c.Send("POST", "/api/v1/mission-plans", HeloMission().dump(), in).status, 200);
  server.Stop();
}

TEST_F(ServerTest, SeaRouteIsTheClisRouteWithItsGeometry) {
  if (TestNetworkPath().empty()) GTEST_SKIP() << "no sea-lane network: run scripts/build-data.sh BUILD_DIR";
  Client c = Connect();
  const auto in = As("IN", Role::kAdmin);
  Answer a = c.Send("GET", "/api/v1/sea-routes?from=10,85&to=0,75&speed=12&depart=2026-06-01T00:00:00Z", "", in);
  ASSERT_EQ(a.status, 200) << a.body;
  const Json route = a.json();
  RELOS_ASSERT_OK_AND_ASSIGN(auto net, sealanes::SeaLaneNetwork::Load(TestNetworkPath()));
  sealanes::RoutePlanner planner(*net, fixture_.clock);
  sealanes::RouteOptions options;
  options.speed_knots = 12;
  options.departure = T("2026-06-01T00:00:00Z");
  RELOS_ASSERT_OK_AND_ASSIGN(sealanes::Route direct,
                             planner.Plan(GeoPosition::Make(10, 85).value(), GeoPosition::Make(0, 75).value(), options));
  Json cli = Json::parse(sealanes::RouteToJson(direct));
  EXPECT_GT(double(route["distance_nm"]), 0);
  EXPECT_EQ(route["arrival"], cli["arrival"]);
  Json without = route;
  without.erase("geometry");
  EXPECT_EQ(without, cli);
  EXPECT_EQ(route["geometry"]["type"], "LineString");
  EXPECT_GE(route["geometry"]["coordinates"].size(), 2u);
  EXPECT_EQ(route["geometry"]["coordinates"][0][0], 85.0);  // [lon, lat]
  Answer avoid = c.Send("GET", "/api/v1/sea-routes?from=10,85&to=0,75&avoid=no-such-strait", "", in);
  EXPECT_EQ(avoid.status, 404) << avoid.body;
  EXPECT_EQ(avoid.json()["error"]["field"], "avoid");
  Answer land = c.Send("GET", "/api/v1/sea-routes?from=23,79&to=0,75", "", in);  // central India
  EXPECT_EQ(land.status, 400) << land.body;
  EXPECT_EQ(land.json()["error"]["field"], "from");
}

TEST_F(ServerTest, SeaRoutesRunBetweenFacilitiesThePartyMaySee) {
  if (TestNetworkPath().empty()) GTEST_SKIP() << "no sea-lane network: run scripts/build-data.sh BUILD_DIR";
  Client c = Connect();
  const auto in = As("IN", Role::kLogisticsOfficer);
  const std::string when = "&depart=2026-06-01T00:00:00Z";
  // IN's own base and its partner's: the route between their positions.
  Answer by_code = c.Send("GET", "/api/v1/sea-routes?from=IN-VIZ&to=RU-VLD" + when, "", in);
  ASSERT_EQ(by_code.status, 200) << by_code.body;
  Answer by_position = c.Send("GET", "/api/v1/sea-routes?from=17.6868,83.2185&to=43.1056,131.8735" + when, "", in);
  ASSERT_EQ(by_position.status, 200) << by_position.body;
  EXPECT_GT(double(by_code.json()["distance_nm"]), 3000.0);
  EXPECT_EQ(by_code.json(), by_position.json());
  // A facility IN cannot see answers as one that does not exist.
  Answer unseen = c.Send("GET", "/api/v1/sea-routes?from=CN-PORT&to=RU-VLD" + when, "", in);
  Answer unknown = c.Send("GET", "/api/v1/sea-routes?from=NO-SUCH&to=RU-VLD" + when, "", in);
  EXPECT_EQ(unseen.status, 404) << unseen.body;
  EXPECT_EQ(unseen.json()["error"]["field"], "from") << unseen.body;
  std::string renamed = unknown.body;
  renamed.replace(renamed.find("NO-SUCH"), 7, "CN-PORT");
  EXPECT_EQ(unseen.body, renamed);
  Answer unknown_to = c.Send("GET", "/api/v1/sea-routes?from=IN-VIZ&to=NO-SUCH" + when, "", in);
  EXPECT_EQ(unknown_to.status, 404);
  EXPECT_EQ(unknown_to.json()["error"]["field"], "to") << unknown_to.body;
  // The partner sees IN's base; the third party sees only its own.
  EXPECT_EQ(c.Send("GET", "/api/v1/sea-routes?from=RU-VLD&to=IN-VIZ" + when, "", As("RU", Role::kAdmin)).status, 200);
  EXPECT_EQ(c.Send("GET", "/api/v1/sea-routes?from=CN-PORT&to=IN-VIZ" + when, "", As("CN", Role::kAdmin)).status, 404);
  EXPECT_EQ(c.Send("GET", "/api/v1/sea-routes?from=CN-PORT&to=0,75" + when, "", As("CN", Role::kAdmin)).status, 200);
}

// Facility ends are attached once and kept: the same request twice gives
// the same bytes, and the second attaches nothing (/metrics counts the
// attaches). A ship's mission plan between the same facilities reuses them,
// and a second plan of it reuses its legs.
TEST_F(ServerTest, SeaRoutesBetweenFacilitiesAttachThemOnce) {
  if (TestNetworkPath().empty()) GTEST_SKIP() << "no sea-lane network: run scripts/build-data.sh BUILD_DIR";
  Client c = Connect();
  const auto in = As("IN", Role::kLogisticsOfficer);
  auto metric = [&c](const std::string& name) {
    const std::string body = c.Send("GET", "/metrics").body;
    const size_t at = body.find("\n" + name + " ");
    EXPECT_NE(at, std::string::npos) << body;
    return at == std::string::npos ? -1 : std::stoll(body.substr(at + name.size() + 2));
  };
  const std::string target = "/api/v1/sea-routes?from=IN-VIZ&to=RU-VLD&depart=2026-06-01T00:00:00Z";
  Answer first = c.Send("GET", target, "", in);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(metric("relos_sealane_anchor_attaches_total"), 2);
  EXPECT_EQ(metric("relos_sealane_anchors"), 2);
  EXPECT_GT(metric("relos_sealane_anchor_bytes"), 2 * 400000);
  Answer second = c.Send("GET", target, "", in);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(metric("relos_sealane_anchor_attaches_total"), 2);
  // A bare position is not attached, and routes as before.
  Answer by_position = c.Send("GET", "/api/v1/sea-routes?from=IN-VIZ&to=43.1056,131.8735&depart=2026-06-01T00:00:00Z", "", in);
  ASSERT_EQ(by_position.status, 200) << by_position.body;
  EXPECT_EQ(by_position.body, first.body);
  EXPECT_EQ(metric("relos_sealane_anchor_attaches_total"), 2);
  // The plan's legs lead to the same two facilities: nothing more to attach.
  Json ship = HeloMission();
  ship["unit"] = relos::testing::kInShip;
  ship["from"] = relos::testing::kInPort;
  ship["to"] = relos::testing::kRuPort;
  Answer plan = c.Send("POST", "/api/v1/mission-plans", ship.dump(), in);
  ASSERT_EQ(plan.status, 200) << plan.body;
  // Out of range, the leg routed as the route above.
  char leg[32];
  std::snprintf(leg, sizeof leg, "(%.1f nm)", first.json()["distance_nm"].get<double>());
  EXPECT_NE(plan.json()["reason"].get<std::string>().find(leg), std::string::npos) << plan.body;
  const int64_t legs = metric("relos_mission_legs_cached");
  EXPECT_GE(legs, 1);
  // Planned again: the same answer, with the legs kept from the first plan.
  Answer again = c.Send("POST", "/api/v1/mission-plans", ship.dump(), in);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, plan.body);
  EXPECT_EQ(metric("relos_sealane_anchor_attaches_total"), 2);
  EXPECT_EQ(metric("relos_mission_legs_cached"), legs);
  // A later departure is planned afresh (a season may have closed by then).
  ship["departure"] = "2026-06-02T00:00:00Z";
  ASSERT_EQ(c.Send("POST", "/api/v1/mission-plans", ship.dump(), in).status, 200);
  EXPECT_GT(metric("relos_mission_legs_cached"), legs);
  EXPECT_EQ(metric("relos_sealane_anchor_evictions_total"), 0);
}

const std::string kLedgerBase = std::string("/api/v1/ledger/") + relos::testing::kAgreement;

// The API over an OrderService that runs the ledger observer (as `relos
// serve` wires it), on a started server of its own.
struct LedgeredServer {
  LedgeredServer(storage::Store& store, const Clock& clock, auth::AuthService& auth)
      : orders(store, clock, {&observer}),
        api(store, clock, auth, orders, nullptr, TestApiOptions()),
        server(TestServerOptions(), [this](const HttpRequest& r) { return api.Handle(r); }, nullptr) {
    Status started = server.Start();
    RELOS_CHECK(started.ok(), started.ToString());
  }
  ledger::LedgerObserver observer;
  orders::OrderService orders;
  Api api;
  HttpServer server;
};

// Rates, a bill and its payment through the API, over an OrderService that
// runs the ledger observer (as `relos serve` does): the supplier's finance
// officer bills, the debtor's pays, once per Idempotency-Key.
TEST_F(ServerTest, LedgerActionsBillAndPayOncePerKey) {
  LedgeredServer served(store_, fixture_.clock, auth_);
  orders::OrderService& ledgered = served.orders;
  Client c(served.server.port());
  const std::string& base = kLedgerBase;

  const Json rates = {{"rates",
                       {{{"from", "RUB"}, {"to", "USD"}, {"valid_from", "2025-01-01"}, {"rate", "0.011"}},
                        {{"from", "INR"}, {"to", "USD"}, {"valid_from", "2025-01-01"}, {"rate", "0.012"}}}}};
  Answer imported = c.Send("POST", "/api/v1/rates", rates.dump(), As("IN", Role::kAdmin));
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(imported.json()["imported"], 2);
  Json smuggled = rates;
  smuggled["rates"][0]["rate"] = "0.011\nUSD,RUB,2025-01-01,1000";
  Answer refused = c.Send("POST", "/api/v1/rates", smuggled.dump(), As("IN", Role::kAdmin));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.json()["error"]["field"], "$.rates[0].rate");
  Answer listed = c.Send("GET", "/api/v1/rates", "", As("RU", Role::kAuditor));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["rates"].size(), 2u) << listed.body;

  RELOS_ASSERT_OK_AND_ASSIGN(orders::Order o, ledgered.Create(relos::testing::As("IN", Role::kRequester), fixture_.Request()));
  for (Action a : {Action::kSubmit, Action::kApprove, Action::kDeliver, Action::kReceipt}) {
    RELOS_ASSERT_OK_AND_ASSIGN(o, relos::testing::Perform(ledgered, a, relos::testing::RightActorFor(a), o));
  }
  const Json period = {{"from", "2026-01-01T00:00:00Z"}, {"to", "2027-01-01T00:00:00Z"}};
  EXPECT_EQ(c.Send("POST", base + "/bills", period.dump(), As("IN", Role::kAuditor)).status, 403);
  EXPECT_EQ(c.Send("POST", base + "/bills", period.dump(), As("CN", Role::kFinance)).status, 404);
  Answer billed = c.Send("POST", base + "/bills", period.dump(), As("RU", Role::kFinance));
  ASSERT_EQ(billed.status, 201) << billed.body;
  const Json bill = billed.json();
  EXPECT_EQ(bill["supplier"], "RU");
  EXPECT_EQ(bill["debtor"], "IN");
  EXPECT_EQ(bill["currency"], "USD");
  ASSERT_EQ(bill["lines"].size(), 1u);
  EXPECT_EQ(bill["lines"][0]["order"], o.number);
  const int64_t total = bill["total"];
  ASSERT_GT(total, 0);
  Answer again = c.Send("POST", base + "/bills", period.dump(), As("RU", Role::kFinance));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.json()["error"]["rule"], "ledger.nothing_to_bill");

  const std::string pay = "/api/v1/bills/" + std::string(bill["number"]) + "/payments";
  const Json amount = {{"amount", std::to_string(total / 100) + "." + (total % 100 < 10 ? "0" : "") +
                                      std::to_string(total % 100) + " USD"}};
  auto in_finance = As("IN", Role::kFinance);
  in_finance["Idempotency-Key"] = "pay-2026-1";
  EXPECT_EQ(c.Send("POST", pay, amount.dump(), As("RU", Role::kFinance)).status, 400);  // no payment id
  auto ru_finance = As("RU", Role::kFinance);
  ru_finance["Idempotency-Key"] = "pay-by-supplier";
  Answer by_supplier = c.Send("POST", pay, amount.dump(), ru_finance);
  EXPECT_EQ(by_supplier.status, 403);
  EXPECT_EQ(by_supplier.json()["error"]["rule"], "ledger.role");
  for (int i = 0; i < 2; ++i) {
    Answer paid = c.Send("POST", pay, amount.dump(), in_finance);
    ASSERT_EQ(paid.status, 201) << paid.body;
    EXPECT_EQ(paid.json()["paid"], total);
    EXPECT_EQ(paid.json()["status"], "paid");
  }
  EXPECT_EQ(c.Send("POST", pay, amount.dump(), As("CN", Role::kFinance)).status, 400);  // no payment id
  auto cn_finance = As("CN", Role::kFinance);
  cn_finance["Idempotency-Key"] = "pay-by-stranger";
  EXPECT_EQ(c.Send("POST", pay, amount.dump(), cn_finance).status, 404);
  Answer shown = c.Send("GET", "/api/v1/bills/" + std::string(bill["number"]), "", As("IN", Role::kAuditor));
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.json()["outstanding"], 0);
  Answer positions = c.Send("GET", base + "/orders", "", As("IN", Role::kFinance));
  ASSERT_EQ(positions.status, 200);
  ASSERT_EQ(positions.json()["orders"].size(), 1u);
  EXPECT_EQ(positions.json()["orders"][0]["reconciliation"], "settled") << positions.body;
  Answer statement = c.Send("GET", base + "/statement?party=IN&from=2026-01-01T00:00:00Z", "", As("IN", Role::kFinance));
  ASSERT_EQ(statement.status, 200) << statement.body;
  EXPECT_FALSE(statement.json()["statement"].empty());
  EXPECT_EQ(c.Send("GET", base + "/statement?from=yesterday", "", As("IN", Role::kFinance)).json()["error"]["field"],
            "from");
  served.server.Stop();
}

// The ledger's other creating POSTs under an Idempotency-Key: a retry gets
// the first answer (status and body) and changes nothing; the key with
// another body is 409 naming the key. And the offset list the web app
// offers "accept" from, in the shape propose and accept answer with.
TEST_F(ServerTest, LedgerCreatingPostsAnswerARetryWithTheFirstAnswer) {
  LedgeredServer served(store_, fixture_.clock, auth_);
  orders::OrderService& ledgered = served.orders;
  Client c(served.server.port());
  const std::string& base = kLedgerBase;
  ledger::SettlementService settlement(store_, fixture_.clock);
  RELOS_ASSERT_OK(settlement.ImportRates(relos::testing::As("IN", Role::kFinance),
                                         "RUB,USD,2025-01-01,0.011\nINR,USD,2025-01-01,0.012\n")
                      .status());
  // An order of `requester` in `mode`, taken to receipt (the other side
  // supplies).
  auto receipted = [&](const std::string& requester, registry::SettlementMode mode) {
    orders::CreateOrderRequest r = fixture_.Request();
    if (requester == "RU") {
      r.unit = relos::testing::kRuShip;
      r.facility = relos::testing::kInPort;
      r.lines = {fixture_.Line(relos::testing::kF76, Q("20 tonne"))};
    }
    r.settlement = mode;
    auto o = ledgered.Create(relos::testing::As(requester, Role::kRequester), r);
    RELOS_CHECK(o.ok(), o.status().ToString());
    for (Action a : {Action::kSubmit, Action::kApprove, Action::kDeliver, Action::kReceipt}) {
      orders::Actor actor = relos::testing::RightActorFor(a);
      if (requester == "RU") actor.party = actor.party == "IN" ? "RU" : "IN";
      o = relos::testing::Perform(ledgered, a, actor, *o);
      RELOS_CHECK(o.ok(), o.status().ToString());
    }
    return *o;
  };
  auto keyed = [&](const std::string& party, Role role, const std::string& key) {
    auto h = As(party, role);
    h["Idempotency-Key"] = key;
    return h;
  };
  auto count = [&](const std::string& route, const char* member) {
    Answer a = c.Send("GET", base + route, "", As("RU", Role::kAuditor));
    RELOS_CHECK(a.status == 200, a.body);
    return a.json()[member].size();
  };

  // A return delivery in kind: 4 of the 10 t of fuel owed.
  receipted("IN", registry::SettlementMode::kReplacementInKind);
  Answer owed = c.Send("GET", base + "/rik", "", As("IN", Role::kFinance));
  ASSERT_EQ(owed.status, 200) << owed.body;
  const std::string deliveries = "/api/v1/rik/" + owed.json()["obligations"][0]["key"].get<std::string>() + "/deliveries";
  const std::string four = R"({"quantity":"4 tonne"})";
  Answer delivered = c.Send("POST", deliveries, four, keyed("IN", Role::kLogisticsOfficer, "return-1"));
  ASSERT_EQ(delivered.status, 201) << delivered.body;
  EXPECT_EQ(delivered.json()["returned"], "4 tonne");
  int64_t events = relos::testing::FootprintOf(store_).events;
  Answer redelivered = c.Send("POST", deliveries, four, keyed("IN", Role::kLogisticsOfficer, "return-1"));
  EXPECT_EQ(redelivered.status, 201);
  EXPECT_EQ(redelivered.body, delivered.body);
  Answer as_member = c.Send("POST", deliveries, R"({"quantity":"4 tonne","delivery_id":"return-1"})",
                            As("IN", Role::kFinance));
  EXPECT_EQ(as_member.status, 201);
  EXPECT_EQ(as_member.body, delivered.body);
  Answer other_quantity = c.Send("POST", deliveries, R"({"quantity":"3 tonne"})", keyed("IN", Role::kFinance, "return-1"));
  EXPECT_EQ(other_quantity.status, 409) << other_quantity.body;
  EXPECT_EQ(other_quantity.json()["error"]["field"], "delivery_id");
  EXPECT_NE(other_quantity.json()["error"]["reason"].get<std::string>().find("'return-1'"), std::string::npos)
      << other_quantity.body;
  EXPECT_EQ(c.Send("POST", deliveries, R"({"quantity":"4 tonne","delivery_id":"return-2"})",
                   keyed("IN", Role::kFinance, "return-1"))
                .status,
            400);
  EXPECT_EQ(relos::testing::FootprintOf(store_).events, events);
  Answer after = c.Send("GET", base + "/rik", "", As("RU", Role::kFinance));
  EXPECT_EQ(after.json()["obligations"][0]["returned"], "4 tonne") << after.body;

  // A bill for everything so far, retried a minute later.
  receipted("IN", registry::SettlementMode::kCash);
  fixture_.clock.Advance(kSecondsPerDay);
  Answer billed = c.Send("POST", base + "/bills", "{}", keyed("RU", Role::kFinance, "bill-1"));
  ASSERT_EQ(billed.status, 201) << billed.body;
  events = relos::testing::FootprintOf(store_).events;
  fixture_.clock.Advance(60);
  Answer rebilled = c.Send("POST", base + "/bills", "{}", keyed("RU", Role::kFinance, "bill-1"));
  EXPECT_EQ(rebilled.status, 201);
  EXPECT_EQ(rebilled.body, billed.body);
  EXPECT_EQ(rebilled.Header("location"), billed.Header("location"));
  Answer other_period =
      c.Send("POST", base + "/bills", R"({"from":"2026-02-01T00:00:00Z"})", keyed("RU", Role::kFinance, "bill-1"));
  EXPECT_EQ(other_period.status, 409) << other_period.body;
  EXPECT_NE(other_period.json()["error"]["reason"].get<std::string>().find("'bill-1'"), std::string::npos);
  EXPECT_EQ(relos::testing::FootprintOf(store_).events, events);
  EXPECT_EQ(count("/bills", "bills"), 1u);

  // An offset of both sides' equal-value claims, proposed by IN.
  receipted("IN", registry::SettlementMode::kEqualValueExchange);
  receipted("RU", registry::SettlementMode::kEqualValueExchange);
  Answer proposed = c.Send("POST", base + "/offsets", "", keyed("IN", Role::kFinance, "net-1"));
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  EXPECT_EQ(proposed.json()["state"], "proposed");
  EXPECT_EQ(proposed.json()["proposed_by"], "IN");
  events = relos::testing::FootprintOf(store_).events;
  Answer reproposed = c.Send("POST", base + "/offsets", "", keyed("IN", Role::kFinance, "net-1"));
  EXPECT_EQ(reproposed.status, 201);
  EXPECT_EQ(reproposed.body, proposed.body);
  EXPECT_EQ(c.Send("POST", base + "/offsets", "", keyed("RU", Role::kFinance, "net-1")).status, 409);
  EXPECT_EQ(relos::testing::FootprintOf(store_).events, events);
  Answer listed = c.Send("GET", base + "/offsets", "", As("RU", Role::kAuditor));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json()["offsets"].size(), 1u);
  EXPECT_EQ(listed.json()["offsets"][0], proposed.json());
  const std::string id = proposed.json()["id"];
  Answer accepted = c.Send("POST", "/api/v1/offsets/" + id + "/accept", "", As("RU", Role::kFinance));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json()["state"], "accepted-by-RU");
  EXPECT_EQ(c.Send("GET", base + "/offsets", "", As("IN", Role::kFinance)).json()["offsets"][0], accepted.json());
  EXPECT_EQ(c.Send("GET", base + "/offsets", "", As("IN", Role::kRequester)).status, 403);
  EXPECT_EQ(c.Send("GET", base + "/offsets", "", As("CN", Role::kFinance)).status, 404);
  auto txn = store_.BeginRead();
  RELOS_ASSERT_OK_AND_ASSIGN(auto report, audit::VerifyStore(**txn));
  EXPECT_TRUE(report.ok()) << report.problem;
  served.server.Stop();
}

// A self-signed certificate for 127.0.0.1 made with the openssl tool.
struct TestCertificate {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("relos-tls-" + std::to_string(::getpid()));
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  bool made = false;
  TestCertificate() {
    std::filesystem::create_directories(dir);
    const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " + key +
                            " -out " + cert + " >/dev/null 2>&1";
    made = std::system(cmd.c_str()) == 0;
  }
  ~TestCertificate() { std::filesystem::remove_all(dir); }
};

TEST_F(ServerTest, TlsServesHttpsWithHstsAndRefusesPlainHttp) {
  TestCertificate certificate;
  ASSERT_TRUE(certificate.made) << "openssl could not make a test certificate";
  ServerOptions o = TestServerOptions();
  o.tls_cert_file = certificate.cert;
  o.tls_key_file = certificate.key;
  HttpServer tls(o, [this](const HttpRequest& r) { return api_.Handle(r); }, nullptr);
  RELOS_ASSERT_OK(tls.Start());

  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.set_verify_mode(asio::ssl::verify_none);  // self-signed, for this test only
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), tls.port()));
  stream.handshake(asio::ssl::stream_base::client);
  for (int i = 0; i < 2; ++i) {  // keep-alive over TLS
    http::request<http::string_body> req{http::verb::get, "/healthz", 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res[http::field::strict_transport_security], "max-age=31536000");
  }
  // Plain HTTP to the TLS port gets no HTTP answer.
  Client plain(tls.port());
  EXPECT_THROW(plain.Send("GET", "/healthz"), std::exception);

  ServerOptions half = TestServerOptions();
  half.tls_cert_file = certificate.cert;
  HttpServer missing_key(half, [this](const HttpRequest& r) { return api_.Handle(r); }, nullptr);
  EXPECT_EQ(missing_key.Start().code(), StatusCode::kInvalidArgument);
  ServerOptions wrong = TestServerOptions();
  wrong.tls_cert_file = certificate.key;  // a key is not a certificate
  wrong.tls_key_file = certificate.key;
  HttpServer bad_cert(wrong, [this](const HttpRequest& r) { return api_.Handle(r); }, nullptr);
  Status s = bad_cert.Start();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.reason(), "tls_cert");
  tls.Stop();
}

// The exercise routes over an order service that reserves capacity and
// posts to the ledger at approval, as `relos serve` runs it: IN creates an
// exercise of three frigates alongside at RU-VLD (two berths) for the same
// two days, plans it, raises its orders (a retry makes none), and RU
// approves them: the third approval is 409 capacity.exhausted naming the
// berths and the shortfall, and changes neither the order nor the ledger.
TEST_F(ServerTest, ExerciseOrdersBeyondTheBerthsAreRefusedAtApproval) {
  const std::vector<std::string> ships = {relos::testing::kInShip, "IN-SHIP-2", "IN-SHIP-3"};
  RELOS_ASSERT_OK(fixture_.UpdateRegistry([](registry::RegistryData& d) {
    registry::Unit frigate = *std::find_if(d.units.begin(), d.units.end(),
                                           [](const registry::Unit& u) { return u.code == relos::testing::kInShip; });
    for (const char* code : {"IN-SHIP-2", "IN-SHIP-3"}) {
      frigate.code = code;
      d.units.push_back(frigate);
    }
  }));
  ledger::LedgerObserver ledger_observer;
  capacity::CapacityObserver capacity_observer;
  orders::OrderService reserving(store_, fixture_.clock, {&ledger_observer, &capacity_observer});
  Api api(store_, fixture_.clock, auth_, reserving, nullptr, TestApiOptions());
  api.SetReady(true);
  HttpServer server(TestServerOptions(), [&api](const HttpRequest& r) { return api.Handle(r); }, nullptr);
  RELOS_ASSERT_OK(server.Start());
  Client c(server.port());
  const std::string base = std::string("/api/v1/exercises/") + kExercise;
  const auto in = As("IN", Role::kRequester);

  Answer made = c.Send("POST", "/api/v1/exercises", ExerciseDoc(ships).dump(), in);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json()["version"], 1);
  EXPECT_EQ(made.Header("etag"), "\"1\"");
  Answer listed = c.Send("GET", "/api/v1/exercises", "", As("RU", Role::kAuditor));
  ASSERT_EQ(listed.json()["exercises"].size(), 1u);
  EXPECT_EQ(listed.json()["exercises"][0]["code"], kExercise);
  EXPECT_EQ(c.Send("GET", "/api/v1/exercises", "", As("CN", Role::kAdmin)).json()["exercises"], Json::array());

  // The plan: two berths for three ships that cannot wait.
  const int64_t events_before_plan = relos::testing::EventCount(store_);
  Answer plan = c.Send("GET", base + "/plan?time_limit=5", "", in);
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_EQ(relos::testing::EventCount(store_), events_before_plan);  // planning changes nothing
  ASSERT_EQ(plan.json()["berth_plans"].size(), 1u) << plan.body;
  EXPECT_EQ(plan.json()["berth_plans"][0]["berths"], Json::array({"B1", "B2"}));
  ASSERT_EQ(plan.json()["orders"].size(), 3u);
  bool berth_conflict = false;
  const Json planned = plan.json();
  for (const Json& conflict : planned["conflicts"]) {
    if (conflict["resource"].get<std::string>().rfind("berth", 0) != 0) continue;
    berth_conflict = true;
    EXPECT_EQ(conflict["capacity"], 2) << conflict.dump();
    EXPECT_EQ(conflict["demand"], 3) << conflict.dump();
  }
  EXPECT_TRUE(berth_conflict) << plan.body;

  // Raising the orders: IN's three drafts; a retry makes nothing new.
  Answer raised = c.Send("POST", base + "/orders", "{}", {{"Authorization", in.at("Authorization")}, {"Idempotency-Key", "ex-1"}});
  ASSERT_EQ(raised.status, 201) << raised.body;
  ASSERT_EQ(raised.json()["created"].size(), 3u) << raised.body;
  const int64_t events_after_raise = relos::testing::EventCount(store_);
  Answer again = c.Send("POST", base + "/orders", "{}", {{"Authorization", in.at("Authorization")}, {"Idempotency-Key", "ex-1"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json()["created"], raised.json()["created"]);
  EXPECT_EQ(relos::testing::EventCount(store_), events_after_raise);
  Answer mine = c.Send("GET", base + "/orders", "", in);
  ASSERT_EQ(mine.json()["orders"].size(), 3u);
  EXPECT_EQ(c.Send("GET", base + "/orders", "", As("CN", Role::kAuditor)).status, 404);
  // RU's requester has no ship in it: nothing to raise, each call skipped.
  Answer ru = c.Send("POST", base + "/orders", "{}", As("RU", Role::kRequester));
  ASSERT_EQ(ru.status, 201) << ru.body;
  EXPECT_EQ(ru.json()["created"], Json::array());
  EXPECT_EQ(ru.json()["skipped"].size(), 3u);

  std::vector<std::string> numbers;
  const Json created = raised.json()["created"];
  for (const Json& o : created) {
    numbers.push_back(o["number"].get<std::string>());
    ASSERT_EQ(c.Send("POST", "/api/v1/orders/" + numbers.back() + "/submit", "", in).status, 200);
  }
  const auto approver = As("RU", Role::kApprover);
  ASSERT_EQ(c.Send("POST", "/api/v1/orders/" + numbers[0] + "/approve", "", approver).status, 200);
  ASSERT_EQ(c.Send("POST", "/api/v1/orders/" + numbers[1] + "/approve", "", approver).status, 200);
  const std::string ledger_path = std::string("/api/v1/ledger/") + relos::testing::kAgreement + "/accounts";
  const Answer ledger_before = c.Send("GET", ledger_path, "", As("RU", Role::kFinance));
  ASSERT_EQ(ledger_before.status, 200) << ledger_before.body;
  const relos::testing::Footprint before = relos::testing::FootprintOf(store_);
  const Answer order_before = c.Send("GET", "/api/v1/orders/" + numbers[2], "", approver);

  Answer refused = c.Send("POST", "/api/v1/orders/" + numbers[2] + "/approve", "", approver);
  EXPECT_EQ(refused.status, 409) << refused.body;
  const Json error = refused.json()["error"];
  EXPECT_EQ(error["rule"], "capacity.exhausted") << refused.body;
  EXPECT_NE(error["reason"].get<std::string>().find("berth"), std::string::npos) << refused.body;
  EXPECT_NE(error["reason"].get<std::string>().find("short by 1"), std::string::npos) << refused.body;
  EXPECT_EQ(relos::testing::FootprintOf(store_), before);
  EXPECT_EQ(c.Send("GET", "/api/v1/orders/" + numbers[2], "", approver).body, order_before.body);
  EXPECT_EQ(c.Send("GET", ledger_path, "", As("RU", Role::kFinance)).body, ledger_before.body);

  // RU sees both berths held; IN, whose ships they are, sees nothing of
  // RU-VLD's capacity: the same 404 as for no such facility.
  const std::string window = "?from=2026-05-01T00:00:00Z&to=2026-05-10T00:00:00Z";
  Answer usage = c.Send("GET", std::string("/api/v1/facilities/") + relos::testing::kRuPort + "/capacity" + window, "",
                        As("RU", Role::kAuditor));
  ASSERT_EQ(usage.status, 200) << usage.body;
  int held = 0;
  const Json resources = usage.json()["resources"];
  for (const Json& r : resources) {
    if (r["kind"] == "berth") held += static_cast<int>(r["held"].size());
  }
  EXPECT_EQ(held, 2) << usage.body;
  Answer partner = c.Send("GET", std::string("/api/v1/facilities/") + relos::testing::kRuPort + "/capacity" + window, "",
                          As("IN", Role::kAdmin));
  Answer missing = c.Send("GET", "/api/v1/facilities/NO-SUCH/capacity" + window, "", As("IN", Role::kAdmin));
  EXPECT_EQ(partner.status, 404);
  std::string expected = missing.body;
  expected.replace(expected.find("NO-SUCH"), 7, relos::testing::kRuPort);
  EXPECT_EQ(partner.body, expected);
  // The third order is still submitted: the conflict report of RU, its
  // supplier, shows it against the two berths held.
  Answer conflicts = c.Send("GET", "/api/v1/capacity/conflicts?state=submitted", "", As("RU", Role::kApprover));
  ASSERT_EQ(conflicts.status, 200) << conflicts.body;
  ASSERT_EQ(conflicts.json()["conflicts"].size(), 1u) << conflicts.body;
  EXPECT_EQ(conflicts.json()["conflicts"][0]["orders"].size(), 3u) << conflicts.body;
  EXPECT_EQ(c.Send("GET", "/api/v1/capacity/conflicts", "", As("IN", Role::kApprover)).json()["conflicts"], Json::array());
  server.Stop();
}

// Bad exercise input is 400 naming the field and changes nothing; a stale
// If-Match on the status is 409.
TEST_F(ServerTest, ExerciseInputIsValidatedAndStatusChangesNeedTheCurrentVersion) {
  Client c = Connect();
  const auto in = As("IN", Role::kRequester);
  ASSERT_EQ(c.Send("POST", "/api/v1/exercises", ExerciseDoc().dump(), in).status, 201);
  const std::string base = std::string("/api/v1/exercises/") + kExercise;
  const relos::testing::Footprint before = relos::testing::FootprintOf(store_);
  const std::string shown = c.Send("GET", base, "", in).body;
  struct Case {
    std::string method, target, body, field;
  };
  Json late = ExerciseDoc();
  late["code"] = "EX-LATE";
  late["calls"][0]["depart"] = "2026-05-01T00:00:00Z";
  Json unknown = ExerciseDoc();
  unknown["code"] = "EX-ODD";
  unknown["colour"] = "red";
  for (const Case& k : std::vector<Case>{
           {"POST", "/api/v1/exercises", late.dump(), "calls[0].depart"},
           {"POST", "/api/v1/exercises", unknown.dump(), "colour"},
           {"POST", "/api/v1/exercises", "[1]", "$"},
           {"POST", base + "/status", R"({"status":"finished"})", "status"},
           {"POST", base + "/status", R"({"state":"active"})", "state"},
           {"POST", base + "/orders", R"({"submit":"yes"})", "submit"},
           {"GET", base + "/plan?time_limit=0", "", "time_limit"},
           {"GET", base + "/plan?speed=3", "", "speed"},
           {"GET", std::string("/api/v1/facilities/") + relos::testing::kRuPort + "/capacity?from=soon", "", "from"},
       }) {
    SCOPED_TRACE(k.method + " " + k.target + " " + k.body);
    const auto who = k.target.find("/facilities/") != std::string::npos ? As("RU", Role::kAuditor) : in;
    Answer a = c.Send(k.method, k.target, k.body, who);
    EXPECT_EQ(a.status, 400) << a.body;
    EXPECT_NE(a.body.find(k.field), std::string::npos) << a.body;
  }
  Answer bad_fuel = c.Send("POST", std::string("/api/v1/facilities/") + relos::testing::kRuPort + "/replenishments",
                           R"({"id":"R-1","grade":"F-76","quantity":"lots","at":"2026-04-01T00:00:00Z"})",
                           As("RU", Role::kLogisticsOfficer));
  EXPECT_EQ(bad_fuel.status, 400);
  EXPECT_NE(bad_fuel.body.find("quantity"), std::string::npos) << bad_fuel.body;
  EXPECT_EQ(relos::testing::FootprintOf(store_), before);
  EXPECT_EQ(c.Send("GET", base, "", in).body, shown);

  auto with = [&](const std::string& etag) {
    auto h = in;
    h["If-Match"] = etag;
    return h;
  };
  Answer active = c.Send("POST", base + "/status", R"({"status":"active"})", with("\"1\""));
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(active.json()["status"], "active");
  EXPECT_EQ(active.Header("etag"), "\"2\"");
  Answer stale = c.Send("POST", base + "/status", R"({"status":"cancelled"})", with("\"1\""));
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(c.Send("GET", base, "", in).json()["status"], "active");

  // Replenishments: once per id; a retry with the id as Idempotency-Key
  // returns the first.
  const std::string fuel = std::string("/api/v1/facilities/") + relos::testing::kRuPort + "/replenishments";
  auto lo = As("RU", Role::kLogisticsOfficer);
  lo["Idempotency-Key"] = "R-7";
  const std::string delivery = R"({"grade":"F-76","quantity":"150 tonne","at":"2026-04-01T00:00:00Z"})";
  Answer first = c.Send("POST", fuel, delivery, lo);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["quantity"], "150 tonne");
  const int64_t events = relos::testing::EventCount(store_);
  Answer retry = c.Send("POST", fuel, delivery, lo);
  EXPECT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(relos::testing::EventCount(store_), events);
  EXPECT_EQ(c.Send("POST", fuel, R"({"id":"R-7","grade":"F-76","quantity":"9 tonne","at":"2026-04-01T00:00:00Z"})",
                   As("RU", Role::kLogisticsOfficer))
                .status,
            409);
}

}  // namespace
}  // namespace relos::server

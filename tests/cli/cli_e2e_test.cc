// End to end: the real relos binary on a temporary database, driven as the
// different parties and roles would drive it. Each refusal is checked for
// its exit code, its reason, and that it changed nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("relos-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "relos.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs relos with --db and --now fixed, and the given arguments.
  Outcome Relos(const std::vector<std::string>& args, const std::string& now = "2026-03-01T00:00:00Z") {
    std::string cmd = Quote(RELOS_BINARY) + " --db " + Quote(db_) + " --now " + now;
    for (const auto& a : args) cmd += " " + Quote(a);
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    cmd += " >" + Quote(out.string()) + " 2>" + Quote(err.string());
    int status = std::system(cmd.c_str());
    Outcome r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }

  Outcome Ok(const std::vector<std::string>& args, const std::string& now = "2026-03-01T00:00:00Z") {
    Outcome r = Relos(args, now);
    EXPECT_EQ(r.exit_code, 0) << "relos failed: " << r.err;
    return r;
  }

  void InitDemo() { Ok({"init", "--demo-registry"}); }

  // Everything a refusal must leave as it was: the chain, orders, registry.
  std::string State() {
    Outcome events = Ok({"events", "--json", "--limit", "100000"});
    Outcome orders = Ok({"order", "list", "--as", "IN:auditor:x", "--json"});
    Outcome reg = Ok({"registry", "export", "--format", "json"});
    return events.out + orders.out + reg.out;
  }

  std::string Create(const std::vector<std::string>& lines, const std::string& purpose = "exercise",
                     const std::string& unit = "IN-INS-TABAR", const std::string& facility = "RU-VLD") {
    std::vector<std::string> args = {"order",    "create",   "--as",      "IN:requester:Lt Rao", "--agreement",
                                     "RELOS-IN-RU", "--unit", unit,        "--facility",          facility,
                                     "--purpose", purpose,    "--json"};
    for (const auto& l : lines) {
      args.push_back("--line");
      args.push_back(l);
    }
    Outcome r = Ok(args);
    return Json::parse(r.out).at("number").get<std::string>();
  }

  fs::path dir_;
  std::string db_;
};

const char* kWindow = "2026-05-01T08:00:00Z,2026-05-05T08:00:00Z";

TEST_F(CliTest, AnOrderGoesThroughEveryStateAsEachPartyAndRole) {
  InitDemo();
  const std::string n = Create({std::string("FUEL-DL,300 tonne,") + kWindow, std::string("BERTH-DAY,4 berth-day,") + kWindow,
                                std::string("WATER-FRESH,120 tonne,") + kWindow});
  EXPECT_EQ(n, "RELOS-IN-RU-2026-000001");
  Ok({"order", "submit", n, "--as", "IN:requester:Lt Rao"});
  Ok({"order", "approve", n, "--as", "RU:approver:Capt Petrov", "--line", "1=250"});
  Ok({"order", "deliver", n, "--as", "RU:logistics-officer:Maj Sokolov", "--line", "1=245.5", "--discrepancy",
      "1=meter reading"});
  Ok({"order", "receipt", n, "--as", "IN:receiver:Lt Nair", "--dispute", "3=110:ten short"});
  Ok({"order", "resolve", n, "--as", "RU:approver:Capt Petrov", "--line", "3", "--quantity", "115"});
  // With the ledger wired in, close needs a zero balance: bill and settle first.
  Outcome early = Relos({"order", "close", n, "--as", "IN:finance:Cdr Iyer"});
  EXPECT_NE(early.exit_code, 0);
  EXPECT_NE(early.err.find("ledger.open_balance"), std::string::npos) << early.err;
  Json bill = Json::parse(Ok({"bill", "create", "--as", "RU:finance:Lt Col Volkova", "--json"}).out)[0];
  EXPECT_EQ(bill["debtor"], "IN");
  EXPECT_EQ(bill["currency"], "INR");
  const std::string total = bill["total"].get<std::string>() + " INR";
  // Billed, not paid: RU's net position is the bill, IN's its negative, in
  // the settlement currency; the order shows as billed.
  Json net = Json::parse(Ok({"ledger", "balance", "--as", "IN:finance:Cdr Iyer", "--json"}).out);
  int net_rows = 0;
  for (const auto& row : net) {
    if (row["row"] != "net-position") continue;
    ++net_rows;
    EXPECT_EQ(row["unit"], "INR") << row.dump();
    EXPECT_EQ(row["net"], row["party"] == "RU" ? bill["total"].get<std::string>() : "-" + bill["total"].get<std::string>())
        << row.dump();
  }
  EXPECT_EQ(net_rows, 2);
  const std::string csv = Ok({"ledger", "balance", "--as", "IN:finance:Cdr Iyer", "--csv"}).out;
  EXPECT_EQ(csv.rfind("agreement,party,counterparty,unit,owed_to,owes,pending,net,row\nRELOS-IN-RU,", 0), 0u) << csv;
  Json positions = Json::parse(Ok({"ledger", "orders", "--as", "IN:finance:Cdr Iyer", "--json"}).out);
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0]["reconciliation"], "billed");
  Json paid = Json::parse(Ok({"pay", bill["number"], "--as", "IN:finance:Cdr Iyer", "--amount", total,
                              "--payment-id", "pay-1", "--json"}).out)[0];
  EXPECT_EQ(paid["status"], "paid");
  Json tb = Json::parse(Ok({"ledger", "trial-balance", "--as", "RU:auditor:Col Orlov", "--json"}).out);
  for (const auto& row : tb) EXPECT_EQ(row["balanced"], "yes") << row.dump();
  EXPECT_EQ(Json::parse(Ok({"ledger", "orders", "--as", "RU:auditor:Col Orlov", "--json"}).out)[0]["reconciliation"],
            "settled");
  Ok({"order", "close", n, "--as", "IN:finance:Cdr Iyer"});

  Json o = Json::parse(Ok({"order", "show", n, "--as", "RU:auditor:Col Orlov", "--json"}).out);
  EXPECT_EQ(o["state"], "closed");
  EXPECT_EQ(o["lines"][0]["approved"], "250 tonne");
  EXPECT_EQ(o["lines"][0]["delivered"], "245.5 tonne");
  EXPECT_EQ(o["lines"][0]["discrepancy"], "meter reading");
  // The 2026 price supersedes the 2025 entry on the approval date.
  EXPECT_EQ(o["lines"][0]["unit_price"], "71500.00 RUB");
  EXPECT_EQ(o["lines"][2]["receipted"], "115 tonne");
  std::vector<std::string> states;
  for (const auto& h : o["history"]) states.push_back(h["to"]);
  EXPECT_EQ(states, (std::vector<std::string>{"draft", "submitted", "approved", "delivered", "receipted", "receipted",
                                              "closed"}));
  // Vladivostok's DL stock went down by what was delivered.
  Json fac = Json::parse(Ok({"facility", "show", "RU-VLD", "--json"}).out);
  for (const auto& f : fac["fuel"]) {
    if (f["grade"] == "DL") {
      EXPECT_EQ(f["on_hand"], "14754.5 tonne");
    }
  }
  Outcome v = Ok({"verify"});
  EXPECT_NE(v.out.find("verified:"), std::string::npos);
}

TEST_F(CliTest, ReadsAreLimitedToTheTwoPartiesAndListingIsPerParty) {
  InitDemo();
  const std::string n = Create({std::string("BERTH-DAY,2 berth-day,") + kWindow});
  Outcome third = Relos({"order", "show", n, "--as", "CN:auditor:x"});
  EXPECT_EQ(third.exit_code, 4) << third.err;
  Json list = Json::parse(Ok({"order", "list", "--as", "RU:approver:x", "--json"}).out);
  EXPECT_EQ(list.size(), 1u);
}

struct Refusal {
  std::string name;
  std::vector<std::string> lines;
  std::string purpose;
  std::string unit;
  std::string actor;  // who submits
  int exit_code;
  std::string reason;
};

TEST_F(CliTest, EachRuleRefusesWithItsOwnErrorAndChangesNothing) {
  InitDemo();
  const std::vector<Refusal> cases = {
      {"excluded item", {std::string("AMMO-30MM,100 each,") + kWindow}, "exercise", "IN-INS-TABAR",
       "IN:requester:Lt Rao", 7, "policy.excluded_item"},
      {"short notice", {"BERTH-DAY,2 berth-day,2026-03-03T08:00:00Z,2026-03-05T08:00:00Z"}, "exercise",
       "IN-INS-TABAR", "IN:requester:Lt Rao", 7, "policy.advance_notice"},
      {"over-long stay", {"BERTH-DAY,40 berth-day,2026-05-01T08:00:00Z,2026-06-10T08:00:00Z"}, "exercise",
       "IN-INS-TABAR", "IN:requester:Lt Rao", 7, "policy.max_stay"},
      {"incompatible fuel grade", {std::string("FUEL-F5,50 tonne,") + kWindow}, "exercise", "IN-INS-TABAR",
       "IN:requester:Lt Rao", 7, "policy.fuel_grade"},
      {"wrong role", {std::string("BERTH-DAY,2 berth-day,") + kWindow}, "exercise", "IN-INS-TABAR",
       "IN:receiver:Lt Nair", 6, "lifecycle.role"},
  };
  for (const Refusal& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string n = Create(c.lines, c.purpose, c.unit);
    const std::string before = State();
    Outcome r = Relos({"order", "submit", n, "--as", c.actor});
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_NE(r.err.find("[" + c.reason + "]"), std::string::npos) << r.err;
    EXPECT_EQ(State(), before);
  }
}

TEST_F(CliTest, MalformedImportFilesNameTheFieldAndChangeNothing) {
  InitDemo();
  const std::string before = State();
  struct Bad {
    std::string file, content, must_mention;
  };
  const std::vector<Bad> bad = {
      {"unit.yaml", "units:\n  - code: IN-X\n    name: X\n    owner: IN\n    kind: ship\n    length_m: -5\n", "length_m"},
      {"facility.json", R"({"facilities":[{"code":"IN-Z","name":"Z","owner":"IN","kind":"port","position":{"lat":95,"lon":0}}]})",
       "lat"},
      {"broken.yaml", "units: [\n  - {code: A\n", "broken.yaml:"},
      {"party.yaml", "parties:\n  - {code: XX, name: X, currency: ZZZ}\n", "currency"},
      {"unknown.json", R"({"units":[{"code":"IN-Y","colour":"grey"}]})", "colour"},
      {"facilities.csv",
       "code,name,owner,kind,lat,lon,aircraft_stands,maintenance_bays,beds,accommodation,berths,fuel,prices,"
       "illustrative\nIN-Q,Q,IN,harbour,10,70,0,0,0,0,,,,true\n",
       "kind"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.file);
    std::ofstream(dir_ / b.file) << b.content;
    std::string kind = b.file.rfind("unit", 0) == 0 ? "unit" : (b.file.rfind("party", 0) == 0 ? "party" : "facility");
    if (b.file == "broken.yaml" || b.file == "unknown.json") kind = "unit";
    Outcome r = Relos({kind, "import", (dir_ / b.file).string(), "--as", "IN:admin:Cdr Admin"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find(b.must_mention), std::string::npos) << r.err;
  }
  EXPECT_EQ(State(), before);
}

TEST_F(CliTest, ImportExportRoundTripsAndIsAudited) {
  InitDemo();
  Outcome exported = Ok({"registry", "export", "--format", "yaml", "--out", (dir_ / "reg.yaml").string()});
  Outcome csv = Ok({"facility", "export", "--format", "csv", "--out", (dir_ / "fac.csv").string()});
  // Re-importing what was exported changes nothing and appends no event.
  const std::string before = State();
  Ok({"registry", "import", (dir_ / "reg.yaml").string(), "--as", "SYSTEM:admin:ops"});
  EXPECT_EQ(State(), before);
  // An admin of IN may not change a Russian facility.
  Outcome r = Relos({"facility", "import", (dir_ / "fac.csv").string(), "--as", "IN:admin:Cdr Admin"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
}

TEST_F(CliTest, IdempotencyKeyReturnsTheSameOrderAndRefusesOtherContent) {
  InitDemo();
  auto create = [&](const std::string& qty) {
    return Relos({"order", "create", "--as", "IN:requester:Lt Rao", "--agreement", "RELOS-IN-RU", "--unit",
                  "IN-INS-TABAR", "--facility", "RU-VLD", "--purpose", "exercise", "--line",
                  "BERTH-DAY," + qty + " berth-day," + kWindow, "--idempotency-key", "k-1", "--json"});
  };
  Outcome a = create("2"), b = create("2"), c = create("3");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(Json::parse(a.out)["id"], Json::parse(b.out)["id"]);
  EXPECT_EQ(c.exit_code, 5) << c.err;
}

TEST_F(CliTest, ARowChangedWithTheSqliteShellMakesVerifyFailAndNameTheEvent) {
  InitDemo();
  const std::string n = Create({std::string("BERTH-DAY,2 berth-day,") + kWindow});
  Ok({"order", "submit", n, "--as", "IN:requester:Lt Rao"});
  Ok({"verify"});
  Json events = Json::parse(Ok({"events", "--json", "--subject", "order/" + n}).out);
  ASSERT_EQ(events.size(), 2u);
  const int64_t seq = events[0]["seq"];

  // Tamper as an outsider would: straight into the file.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  const std::string sql =
      "UPDATE events SET payload = replace(payload, '2 berth-day', '20 berth-day') WHERE seq = " + std::to_string(seq);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);

  Outcome v = Relos({"verify"});
  EXPECT_EQ(v.exit_code, 11) << v.err;
  EXPECT_NE(v.err.find("event " + std::to_string(seq)), std::string::npos) << v.err;
}

TEST_F(CliTest, AnOrderRowChangedBehindRelosIsFound) {
  InitDemo();
  const std::string n = Create({std::string("BERTH-DAY,2 berth-day,") + kWindow});
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE orders SET doc = replace(doc, '2 berth-day', '9 berth-day')", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Outcome v = Relos({"verify"});
  EXPECT_EQ(v.exit_code, 11) << v.err;
  EXPECT_NE(v.err.find("order/" + n), std::string::npos) << v.err;
}

TEST_F(CliTest, BadCommandLinesAreUsageErrorsOrNameTheField) {
  InitDemo();
  EXPECT_EQ(Relos({"order", "approve"}).exit_code, 2);
  Outcome noas = Relos({"order", "list"});
  EXPECT_EQ(noas.exit_code, 3);
  EXPECT_NE(noas.err.find("--as"), std::string::npos);
  Outcome badline = Relos({"order", "create", "--as", "IN:requester:x", "--agreement", "RELOS-IN-RU", "--unit",
                       "IN-INS-TABAR", "--facility", "RU-VLD", "--line", "BERTH-DAY,two,2026-05-01,2026-05-02"});
  EXPECT_EQ(badline.exit_code, 3);
  EXPECT_NE(badline.err.find("--line #1"), std::string::npos) << badline.err;
  Outcome badrole = Relos({"order", "list", "--as", "IN:captain:x"});
  EXPECT_EQ(badrole.exit_code, 3);
  EXPECT_NE(badrole.err.find("role"), std::string::npos);
}

// The sea-lane network is built by scripts/build-data.sh next to the binary.
bool NetworkBuilt() {
  return fs::exists(fs::path(RELOS_BINARY).parent_path() / "sealanes.bin");
}

TEST_F(CliTest, ARouteFollowsTheSeaAndIsNeverShorterThanTheGeodesic) {
  if (!NetworkBuilt()) GTEST_SKIP() << "no sea-lane network next to " << RELOS_BINARY << " (scripts/build-data.sh)";
  // Mumbai to Karachi: NGA Pub. 151 gives 504 nm; the geodesic is about 478 nm.
  Json r = Json::parse(Ok({"route", "--from", "18.9333,72.85", "--to", "24.8167,66.9722", "--speed", "15", "--json"}).out);
  const double nm = r.at("distance_nm").get<double>();
  EXPECT_GT(nm, 478.0);
  EXPECT_NEAR(nm, 504.0, 504.0 * 0.05);
  Outcome inland = Relos({"route", "--from", "28.6,77.2", "--to", "24.8167,66.9722"});
  EXPECT_NE(inland.exit_code, 0);
}

TEST_F(CliTest, AMissionPlansRefuellingAndItsDraftOrderGoesThroughTheLifecycle) {
  InitDemo();
  // A P-8I ferry flight from Arakkonam to Kamchatka: geodesic legs between
  // airbases, one partner stop with compatible fuel.
  Json plan = Json::parse(Ok({"plan", "mission", "--unit", "IN-P8I-312", "--from", "IN-RAJALI", "--to", "RU-YEL",
                              "--depart", "2026-04-01T00:00:00Z", "--reserve", "0.1", "--json", "--create-orders",
                              "--as", "IN:requester:Lt Rao"})
                               .out);
  ASSERT_TRUE(plan.at("feasible").get<bool>());
  ASSERT_GE(plan.at("legs").size(), 2u);
  for (const auto& leg : plan["legs"]) {
    EXPECT_GE(leg.at("fuel_arrival").get<double>(), 0.1 * 30000.0 - 1e-6) << leg.dump();
  }
  // The same plan as KML for a map: one line per leg, one point per stop.
  const std::string kml = Ok({"plan", "mission", "--unit", "IN-P8I-312", "--from", "IN-RAJALI", "--to", "RU-YEL",
                              "--depart", "2026-04-01T00:00:00Z", "--reserve", "0.1", "--kml"})
                              .out;
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t at = kml.find(what); at != std::string::npos; at = kml.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_TRUE(kml.starts_with("<?xml")) << kml.substr(0, 200);
  EXPECT_EQ(count("<LineString>"), plan["legs"].size());
  EXPECT_EQ(count("<Point>"), plan["stops"].size());
  EXPECT_NE(kml.find(plan["legs"][0]["to"]["code"].get<std::string>() + " (partner)"), std::string::npos);
  Json drafts = Json::parse(Ok({"order", "list", "--as", "IN:requester:Lt Rao", "--state", "draft", "--json"}).out);
  ASSERT_EQ(drafts.size(), 1u);
  const std::string n = drafts[0]["number"];
  EXPECT_EQ(drafts[0]["facility"], plan["legs"][0]["to"]["code"]);
  Ok({"order", "submit", n, "--as", "IN:requester:Lt Rao"});
  Ok({"order", "approve", n, "--as", "RU:approver:Capt Petrov"});
  Ok({"order", "deliver", n, "--as", "RU:logistics-officer:Maj Sokolov"});
  Ok({"order", "receipt", n, "--as", "IN:receiver:Lt Nair"});
  Json o = Json::parse(Ok({"order", "show", n, "--as", "IN:auditor:x", "--json"}).out);
  EXPECT_EQ(o["state"], "receipted");
  Ok({"verify"});
}

TEST_F(CliTest, TheDemoRunsTheWholeLifecycle) {
  Outcome r = Relos({"demo"}, "2026-11-22T09:00:00Z");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("refused: FAILED_PRECONDITION [policy.excluded_item]"), std::string::npos);
  EXPECT_NE(r.out.find("refused: FAILED_PRECONDITION [policy.advance_notice]"), std::string::npos);
  EXPECT_NE(r.out.find("refused: FAILED_PRECONDITION [policy.fuel_grade]"), std::string::npos);
  EXPECT_NE(r.out.find("refused: FAILED_PRECONDITION [policy.max_stay]"), std::string::npos);
  EXPECT_NE(r.out.find("state       closed"), std::string::npos);
  EXPECT_NE(r.out.find("verified:"), std::string::npos);
  // A second demo on the same database is refused rather than mixed in.
  EXPECT_EQ(Relos({"demo"}).exit_code, 7);
}

}  // namespace

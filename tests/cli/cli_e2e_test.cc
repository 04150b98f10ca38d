// End to end: the real relos binary on a temporary database, driven as the
// different parties and roles would drive it. Each refusal is checked for
// its exit code, its reason, and that it changed nothing. Every test that
// uses a database runs on SQLite and on PostgreSQL (a scratch database on
// the server named by RELOS_TEST_POSTGRES_URL; skipped, saying so, when it
// is not set).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/order_footprint.h"
#include "postgres_scratch.h"

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const char* kWindow = "2026-05-01T08:00:00Z,2026-05-05T08:00:00Z";

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

// The relos binary on a SQLite file in a temporary directory.
class CliRun : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    dir_ = fs::temp_directory_path() / ("relos-cli-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "relos.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs relos with --db and --now fixed, and the given arguments.
  // `input`, when given, is its standard input.
  Outcome Relos(const std::vector<std::string>& args, const std::string& now = "2026-03-01T00:00:00Z",
                const std::optional<std::string>& input = std::nullopt) {
    std::string cmd = Quote(RELOS_BINARY) + " --db " + Quote(db_) + " --now " + now;
    for (const auto& a : args) cmd += " " + Quote(a);
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr", in = dir_ / "stdin";
    cmd += " >" + Quote(out.string()) + " 2>" + Quote(err.string());
    if (input) {
      std::ofstream(in) << *input;
      cmd += " <" + Quote(in.string());
    }
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

  // An order raised by `requester` on `supplier` in a settlement mode, taken
  // to receipt with everything as requested.
  std::string Receipted(const std::string& requester, const std::string& unit, const std::string& facility,
                        const std::string& line, const std::string& settlement) {
    const std::string supplier = requester == "IN" ? "RU" : "IN";
    Outcome created = Ok({"order", "create", "--as", requester + ":requester:x", "--agreement", "RELOS-IN-RU", "--unit",
                            unit, "--facility", facility, "--purpose", "exercise", "--settlement", settlement, "--line",
                            line + "," + kWindow, "--json"});
    const std::string n = Json::parse(created.out).at("number");
    Ok({"order", "submit", n, "--as", requester + ":requester:x"});
    Ok({"order", "approve", n, "--as", supplier + ":approver:x"});
    Ok({"order", "deliver", n, "--as", supplier + ":logistics-officer:x"});
    Ok({"order", "receipt", n, "--as", requester + ":receiver:x"});
    return n;
  }

  fs::path dir_;
  std::string db_;  // what --db is given: a path or a postgresql:// URL
};

// The same, parameterised by backend: "sqlite" or "postgres".
class CliTest : public CliRun, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    CliRun::SetUp();
    if (GetParam() != "postgres") return;
    if (relos::testing::PostgresTestUrl().empty()) GTEST_SKIP() << relos::testing::PostgresSkipMessage();
    auto db = relos::testing::ScratchDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    pg_.emplace(std::move(*db));
    db_ = pg_->url();
  }
  void TearDown() override {
    pg_.reset();
    CliRun::TearDown();
  }

  // Runs `sql` straight on the database, as an outsider with the sqlite3
  // shell or psql would, bypassing relos; returns how many rows it changed.
  int64_t Tamper(const std::string& sql) {
    if (pg_) {
      auto changed = pg_->Execute(sql);
      EXPECT_TRUE(changed.ok()) << changed.status();
      return changed.ok() ? *changed : -1;
    }
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    int64_t changed = sqlite3_changes(db);
    sqlite3_close(db);
    return changed;
  }

  std::optional<relos::testing::ScratchDatabase> pg_;
};

INSTANTIATE_TEST_SUITE_P(Backends, CliTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });


TEST_P(CliTest, ReturnDeliveryRunTwiceWithItsIdIsRecordedOnce) {
  InitDemo();
  Receipted("IN", "IN-INS-TABAR", "RU-VLD", "FUEL-DL,100 tonne", "replacement-in-kind");
  Json owed = Json::parse(Ok({"rik", "list", "--as", "IN:finance:x", "--json"}).out);
  ASSERT_EQ(owed.size(), 1u) << owed.dump();
  const std::string key = owed[0]["key"];
  const std::vector<std::string> deliver = {"rik", "deliver", key, "--quantity", "40 tonne", "--delivery-id", "ret-1",
                                            "--as", "IN:logistics-officer:x", "--json"};
  Json first = Json::parse(Ok(deliver).out);
  EXPECT_EQ(first[0]["returned"], "40 tonne");
  const std::string before = State();
  Json again = Json::parse(Ok(deliver).out);
  EXPECT_EQ(again, first);
  EXPECT_EQ(State(), before);
  Outcome other = Relos({"rik", "deliver", key, "--quantity", "30 tonne", "--delivery-id", "ret-1", "--as",
                         "IN:finance:x"});
  EXPECT_EQ(other.exit_code, 5) << other.err;
  EXPECT_NE(other.err.find("'ret-1'"), std::string::npos) << other.err;
  EXPECT_EQ(State(), before);
  Json listed = Json::parse(Ok({"rik", "list", "--as", "RU:auditor:x", "--json"}).out);
  EXPECT_EQ(listed[0]["returned"], "40 tonne");
  EXPECT_EQ(listed[0]["status"], "open");
}

TEST_P(CliTest, OffsetProposalsAreListedWithTheirState) {
  InitDemo();
  Receipted("IN", "IN-INS-TABAR", "RU-VLD", "FUEL-DL,100 tonne", "equal-value-exchange");
  Receipted("RU", "RU-ADM-TRIBUTS", "IN-VTZ", "WATER-FRESH,50 tonne", "equal-value-exchange");
  const std::vector<std::string> propose = {"eve", "propose", "--as", "IN:finance:x", "--idempotency-key", "net-1",
                                            "--json"};
  Json proposed = Json::parse(Ok(propose).out);
  ASSERT_FALSE(proposed.empty());
  EXPECT_EQ(Json::parse(Ok(propose).out), proposed);
  auto states = [&](const std::string& as) {
    std::set<std::string> out;
    for (const auto& row : Json::parse(Ok({"eve", "list", "--agreement", "RELOS-IN-RU", "--as", as, "--json"}).out)) {
      out.insert(row["proposal"].get<std::string>() + " " + row["state"].get<std::string>() + " by " +
                 row["proposed_by"].get<std::string>());
    }
    return out;
  };
  const std::string id = proposed[0]["proposal"];
  EXPECT_EQ(states("RU:auditor:x"), std::set<std::string>{id + " proposed by IN"});
  Ok({"eve", "accept", id, "--as", "RU:finance:x"});
  EXPECT_EQ(states("IN:finance:x"), std::set<std::string>{id + " accepted-by-RU by IN"});
  Ok({"eve", "accept", id, "--as", "IN:finance:x"});
  EXPECT_EQ(states("RU:finance:x"), std::set<std::string>{id + " posted by IN"});
  EXPECT_EQ(Relos({"eve", "list", "--as", "IN:requester:x"}).exit_code, 6);
}

TEST_P(CliTest, RatesAreImportedFromTheFileNamed) {
  InitDemo();
  const std::string missing = (dir_ / "no-such-rates.csv").string();
  const std::string before = State();
  Outcome refused = Relos({"rates", "import", missing, "--as", "IN:finance:x"});
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_NE(refused.err.find(missing), std::string::npos) << refused.err;
  EXPECT_EQ(State(), before);
  const fs::path file = dir_ / "rates.csv";
  std::ofstream(file) << "from,to,valid_from,rate\nCNY,INR,2026-01-01,11.5\n";
  EXPECT_EQ(Ok({"rates", "import", file.string(), "--as", "IN:finance:x"}).out, "imported 1 rates\n");
  bool found = false;
  for (const auto& r : Json::parse(Ok({"rates", "list", "--as", "IN:auditor:x", "--json"}).out)) {
    found = found || (r["from"] == "CNY" && r["to"] == "INR" && r["rate"] == "11.5");
  }
  EXPECT_TRUE(found);
}

TEST_P(CliTest, AnOrderGoesThroughEveryStateAsEachPartyAndRole) {
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

TEST_P(CliTest, ReadsAreLimitedToTheTwoPartiesAndListingIsPerParty) {
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

TEST_P(CliTest, EachRuleRefusesWithItsOwnErrorAndChangesNothing) {
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

TEST_P(CliTest, MalformedImportFilesNameTheFieldAndChangeNothing) {
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

TEST_P(CliTest, ImportExportRoundTripsAndIsAudited) {
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

TEST_P(CliTest, IdempotencyKeyReturnsTheSameOrderAndRefusesOtherContent) {
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

TEST_P(CliTest, ARowChangedBehindRelosMakesVerifyFailAndNameTheEvent) {
  InitDemo();
  const std::string n = Create({std::string("BERTH-DAY,2 berth-day,") + kWindow});
  Ok({"order", "submit", n, "--as", "IN:requester:Lt Rao"});
  Ok({"verify"});
  Json events = Json::parse(Ok({"events", "--json", "--subject", "order/" + n}).out);
  ASSERT_EQ(events.size(), 2u);
  const int64_t seq = events[0]["seq"];

  // Tamper as an outsider would: straight into the database.
  ASSERT_EQ(Tamper("UPDATE events SET payload = replace(payload, '2 berth-day', '20 berth-day') WHERE seq = " +
                   std::to_string(seq)),
            1);

  Outcome v = Relos({"verify"});
  EXPECT_EQ(v.exit_code, 11) << v.err;
  EXPECT_NE(v.err.find("event " + std::to_string(seq)), std::string::npos) << v.err;
}

TEST_P(CliTest, AnOrderRowChangedBehindRelosIsFound) {
  InitDemo();
  const std::string n = Create({std::string("BERTH-DAY,2 berth-day,") + kWindow});
  ASSERT_EQ(Tamper("UPDATE orders SET doc = replace(doc, '2 berth-day', '9 berth-day')"), 1);
  Outcome v = Relos({"verify"});
  EXPECT_EQ(v.exit_code, 11) << v.err;
  EXPECT_NE(v.err.find("order/" + n), std::string::npos) << v.err;
}

// A user's roles, a token's expiry or its revocation changed straight in
// the database (as with the sqlite3 shell or psql) is found by verify,
// which names the user; put back as it was, verify passes again.
TEST_P(CliTest, AUserOrTokenChangedBehindRelosIsFoundAndNamed) {
  InitDemo();
  Outcome added = Relos({"user", "add", "in-req", "--party", "IN", "--role", "requester", "--password-stdin"},
                        "2026-03-01T00:00:00Z", "a demo password\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  Ok({"user", "token", "in-req", "--label", "robot"});
  Ok({"user", "token", "in-req", "--label", "spare"});
  Ok({"verify"});
  struct Edit {
    std::string tamper, undo, says;
  };
  const std::vector<Edit> edits = {
      {"UPDATE auth_users SET roles = 'requester,admin' WHERE name = 'in-req'",
       "UPDATE auth_users SET roles = 'requester' WHERE name = 'in-req'", "roles"},
      {"UPDATE auth_users SET party = 'RU' WHERE name = 'in-req'",
       "UPDATE auth_users SET party = 'IN' WHERE name = 'in-req'", "roles"},
      {"UPDATE auth_tokens SET expires_at = expires_at + 86400 WHERE label = 'robot'",
       "UPDATE auth_tokens SET expires_at = expires_at - 86400 WHERE label = 'robot'", "expiry"},
      {"UPDATE auth_tokens SET revoked = 1 WHERE label = 'spare'",
       "UPDATE auth_tokens SET revoked = 0 WHERE label = 'spare'", "revoked"},
  };
  for (const Edit& e : edits) {
    SCOPED_TRACE(e.tamper);
    ASSERT_EQ(Tamper(e.tamper), 1);
    Outcome v = Relos({"verify"});
    EXPECT_EQ(v.exit_code, 11) << v.err;
    EXPECT_NE(v.err.find("user/in-req"), std::string::npos) << v.err;
    EXPECT_NE(v.err.find(e.says), std::string::npos) << v.err;
    ASSERT_EQ(Tamper(e.undo), 1);
    Ok({"verify"});
  }
  ASSERT_EQ(Tamper("DELETE FROM auth_tokens WHERE label = 'spare'"), 1);
  Outcome v = Relos({"verify"});
  EXPECT_EQ(v.exit_code, 11);
  EXPECT_NE(v.err.find("user/in-req has 1 tokens, the chain records 2 issued"), std::string::npos) << v.err;
}

TEST_P(CliTest, BadCommandLinesAreUsageErrorsOrNameTheField) {
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

// Two relos processes on one database race through the same orders: each
// tries to approve, deliver and receipt every one. Each step must happen
// exactly once (the loser is refused because the state moved on, not
// because the database was busy), with the same events and ledger transfers
// as an order taken through alone, and the chain and ledger must verify.
TEST_P(CliTest, TwoProcessesRacingThroughTheSameOrdersDoEachStepOnce) {
  InitDemo();
  const std::string line = std::string("FUEL-DL,10 tonne,") + kWindow;
  auto submitted = [&] {
    const std::string n = Create({line});
    Ok({"order", "submit", n, "--as", "IN:requester:Lt Rao"});
    return n;
  };
  // Per order: the kinds of its events, and its ledger transfers by code
  // (from both parties' statements, read once at the end).
  Json statements = Json::array();
  auto footprint = [&](const std::string& n) {
    return relos::testing::FootprintOf(n, Json::parse(Ok({"events", "--json", "--subject", "order/" + n}).out),
                                       statements);
  };
  const std::vector<std::pair<std::string, std::string>> steps = {
      {"approve", "RU:approver:Capt Petrov"}, {"deliver", "RU:logistics-officer:Maj Sokolov"},
      {"receipt", "IN:receiver:Lt Nair"}};

  // The control: one order taken through by one process.
  const std::string control = submitted();
  for (const auto& [action, actor] : steps) Ok({"order", action, control, "--as", actor});

  std::vector<std::string> numbers;
  for (int i = 0; i < 4; ++i) numbers.push_back(submitted());
  // Each process: every step on every order, one step after the other,
  // logging "<step> <order> <exit code>".
  auto script = [&](const std::string& log) {
    std::string sh = "(";
    for (const auto& [action, actor] : steps) {
      for (const auto& n : numbers) {
        sh += Quote(RELOS_BINARY) + " --db " + Quote(db_) + " --now 2026-03-01T00:00:00Z order " + action + " " + n +
              " --as " + Quote(actor) + " >/dev/null 2>>" + Quote(log + ".err") + "; echo \"" + action + " " + n +
              " $?\"; ";
      }
    }
    return sh + ") >" + Quote(log) + " &";
  };
  const fs::path a = dir_ / "a.log", b = dir_ / "b.log";
  ASSERT_EQ(std::system((script(a.string()) + " " + script(b.string()) + " wait").c_str()), 0);

  std::map<std::string, std::vector<int>> outcomes;  // "<step> <order>" -> exit codes
  for (const auto& log : {a, b}) {
    std::istringstream in(Slurp(log));
    std::string action, n;
    int code = 0;
    while (in >> action >> n >> code) outcomes[action + " " + n].push_back(code);
  }
  ASSERT_EQ(outcomes.size(), steps.size() * numbers.size()) << Slurp(a) << Slurp(b);
  for (const auto& [step, codes] : outcomes) {
    SCOPED_TRACE(step);
    ASSERT_EQ(codes.size(), 2u);
    // One wins; the other finds the order already moved on (exit 7,
    // FAILED_PRECONDITION), never a lost race or a busy database.
    EXPECT_EQ(std::min(codes[0], codes[1]), 0) << Slurp(dir_ / "a.log.err") << Slurp(dir_ / "b.log.err");
    EXPECT_EQ(std::max(codes[0], codes[1]), 7) << Slurp(dir_ / "a.log.err") << Slurp(dir_ / "b.log.err");
  }
  for (const auto& party : {"IN", "RU"}) {
    for (const auto& r : Json::parse(Ok({"ledger", "statement", "--as", std::string(party) + ":finance:x", "--json"}).out)) {
      statements.push_back(r);
    }
  }
  const auto expected = footprint(control);
  ASSERT_EQ(expected.first.at("order.approve"), 1);
  ASSERT_FALSE(expected.second.empty()) << "approval and receipt post to the ledger";
  for (const auto& n : numbers) {
    SCOPED_TRACE(n);
    Json o = Json::parse(Ok({"order", "show", n, "--as", "RU:auditor:Col Orlov", "--json"}).out);
    EXPECT_EQ(o["state"], "receipted");
    EXPECT_EQ(o["version"], Json::parse(Ok({"order", "show", control, "--as", "RU:auditor:x", "--json"}).out)["version"]);
    EXPECT_EQ(footprint(n), expected);
  }
  // One linear chain: seqs 1, 2, 3... with no gap or repeat, and it verifies.
  Json events = Json::parse(Ok({"events", "--json", "--limit", "100000"}).out);
  for (size_t i = 0; i < events.size(); ++i) ASSERT_EQ(events[i]["seq"], static_cast<int64_t>(i + 1));
  Json tb = Json::parse(Ok({"ledger", "trial-balance", "--as", "RU:auditor:Col Orlov", "--json"}).out);
  ASSERT_FALSE(tb.empty());
  for (const auto& row : tb) EXPECT_EQ(row["balanced"], "yes") << row.dump();
  Outcome v = Ok({"verify"});
  EXPECT_NE(v.out.find("verified:"), std::string::npos) << v.out;
}

// The sea-lane network is built by scripts/build-data.sh next to the binary.
bool NetworkBuilt() {
  return fs::exists(fs::path(RELOS_BINARY).parent_path() / "sealanes.bin");
}

TEST_F(CliRun, ARouteFollowsTheSeaAndIsNeverShorterThanTheGeodesic) {
  if (!NetworkBuilt()) GTEST_SKIP() << "no sea-lane network next to " << RELOS_BINARY << " (scripts/build-data.sh)";
  // Mumbai to Karachi: NGA Pub. 151 gives 504 nm; the geodesic is about 478 nm.
  Json r = Json::parse(Ok({"route", "--from", "18.9333,72.85", "--to", "24.8167,66.9722", "--speed", "15", "--json"}).out);
  const double nm = r.at("distance_nm").get<double>();
  EXPECT_GT(nm, 478.0);
  EXPECT_NEAR(nm, 504.0, 504.0 * 0.05);
  Outcome inland = Relos({"route", "--from", "28.6,77.2", "--to", "24.8167,66.9722"});
  EXPECT_NE(inland.exit_code, 0);
}

// Facility codes are places too: the registry's position of each, joined
// to the sea lanes as any position is.
TEST_P(CliTest, ARouteBetweenFacilitiesIsTheRouteBetweenTheirPositions) {
  if (!NetworkBuilt()) GTEST_SKIP() << "no sea-lane network next to " << RELOS_BINARY << " (scripts/build-data.sh)";
  InitDemo();
  auto position = [&](const std::string& code) {
    const Json f = Json::parse(Ok({"facility", "show", code, "--json"}).out);
    return f.at("position").at("lat").dump() + "," + f.at("position").at("lon").dump();
  };
  const std::string when = "2026-06-01T00:00:00Z";
  Json by_code = Json::parse(Ok({"route", "IN-VTZ", "RU-VLD", "--depart", when, "--json"}).out);
  Json by_position = Json::parse(
      Ok({"route", "--from", position("IN-VTZ"), "--to", position("RU-VLD"), "--depart", when, "--json"}).out);
  EXPECT_GT(by_code.at("distance_nm").get<double>(), 3000.0) << by_code.dump();
  EXPECT_EQ(by_code.at("distance_nm"), by_position.at("distance_nm"));
  EXPECT_EQ(by_code.at("waypoints"), by_position.at("waypoints"));
  // A reference port and a facility mix; an unknown code names its end.
  Json mixed = Json::parse(Ok({"route", "mumbai", "RU-VLD", "--json"}).out);
  EXPECT_EQ(mixed.at("to"), by_code.at("to"));
  Outcome unknown = Relos({"route", "IN-VTZ", "XX-NONE"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("to: 'XX-NONE' is neither LAT,LON, a reference port nor a facility"), std::string::npos)
      << unknown.err;
}

TEST_P(CliTest, AMissionPlansRefuellingAndItsDraftOrderGoesThroughTheLifecycle) {
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

TEST_P(CliTest, TheDemoRunsTheWholeLifecycle) {
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

TEST_P(CliTest, TheDemoPlansItsExerciseWithScheduleConflictsAndOrders) {
  Outcome r = Relos({"demo"}, "2026-11-22T09:00:00Z");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("Berths at RU-VLD: total time in port 456 h (lower bound 456 h, proven optimal)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Conflicts (1):\n  accommodation at RU-VLD from 2027-01-21T00:00:00Z to 2027-01-24T00:00:00Z: "
                       "capacity 400, asked 440, short by 40"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("refused: RESOURCE_EXHAUSTED [capacity.exhausted]"), std::string::npos);
  EXPECT_NE(r.out.find("approved with 240 bed-day of billets (80 places)"), std::string::npos);
  EXPECT_NE(r.out.find("4 order(s) approved"), std::string::npos);
  EXPECT_NE(r.out.find("verified:"), std::string::npos);
}

// The golden plan of the bundled exercise on the demo registry: berths,
// orders and conflicts. Regenerate with RELOS_UPDATE_GOLDEN=1 after an
// intended change, and read the diff.
TEST_P(CliTest, TheDemoExercisePlanMatchesItsGolden) {
  InitDemo();
  const std::string source = std::getenv("RELOS_SOURCE_DIR");
  Ok({"exercise", "create", "--as", "IN:requester:Cdr Menon", "--file", source + "/data/demo/exercise.yaml"});
  Json plan = Json::parse(Ok({"exercise", "plan", "INDRA-NAVY-DEMO", "--json"}).out);
  // Which method found the optimum depends on timing; the optimum does not.
  for (auto& bp : plan.at("berth_plans")) bp.erase("method");
  const fs::path golden = fs::path(source) / "tests/cli/golden/demo_exercise_plan.json";
  if (std::getenv("RELOS_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden) << plan.dump(2) << "\n";
  }
  EXPECT_EQ(plan.dump(2) + "\n", Slurp(golden));
}

TEST_P(CliTest, ApprovalReservesCapacityRefusesTheShortfallAndCancelReleasesIt) {
  InitDemo();
  // 300 billets each for four nights at Vladivostok, which has 400.
  const std::string a = Create({std::string("ACCOM-BED,1200 bed-day,") + kWindow});
  const std::string b = Create({std::string("ACCOM-BED,1200 bed-day,") + kWindow});
  for (const auto& o : {a, b}) Ok({"order", "submit", o, "--as", "IN:requester:Lt Rao"});
  Json conflicts = Json::parse(Ok({"capacity", "conflicts", "--as", "RU:approver:x", "--state", "submitted", "--json"}).out);
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].at("resource"), "accommodation");
  EXPECT_EQ(conflicts[0].at("shortfall"), 200);
  EXPECT_EQ(conflicts[0].at("orders"), Json::array({a, b}));

  Ok({"order", "approve", a, "--as", "RU:approver:Capt Petrov"});
  const std::string before = State();
  Outcome refused = Relos({"order", "approve", b, "--as", "RU:approver:Capt Petrov"});
  EXPECT_EQ(refused.exit_code, 8) << refused.err;
  EXPECT_NE(refused.err.find("accommodation at RU-VLD from 2026-05-01T08:00:00Z to 2026-05-05T08:00:00Z: capacity "
                             "400, asked 600, short by 200"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(State(), before);
  Json usage = Json::parse(
      Ok({"capacity", "show", "RU-VLD", "--from", "2026-05-01T00:00:00Z", "--to", "2026-05-10T00:00:00Z", "--json"}).out);
  for (const auto& res : usage.at("resources")) {
    if (res.at("resource") == "accommodation") {
      EXPECT_EQ(res.at("peak"), 300);
      ASSERT_EQ(res.at("held").size(), 1u);
      EXPECT_EQ(res.at("held")[0].at("order"), a);
    }
  }
  Ok({"order", "cancel", a, "--as", "RU:approver:Capt Petrov", "--remark", "exercise moved"});
  Ok({"order", "approve", b, "--as", "RU:approver:Capt Petrov"});
}

// Petropavlovsk has two berths (AV-1, AV-2) and three frigates each want
// one over the same four days. Two relos processes approve all three at
// once, in opposite orders: exactly two approvals go through, the third
// order is refused by both with capacity.exhausted naming the berths, the
// time and the shortfall, and no berth is ever held twice.
TEST_P(CliTest, ConcurrentApprovalsInTwoProcessesNeverOverbookTheBerths) {
  InitDemo();
  std::vector<std::string> numbers;
  for (const std::string unit : {"IN-INS-TABAR", "IN-INS-KOLKATA", "IN-INS-SHIVALIK"}) {
    numbers.push_back(Create({std::string("BERTH-DAY,4 berth-day,") + kWindow}, "exercise", unit, "RU-PKC"));
    Ok({"order", "submit", numbers.back(), "--as", "IN:requester:Lt Rao"});
  }
  auto script = [&](const std::vector<std::string>& order, const fs::path& log) {
    std::string sh = "(";
    for (const auto& n : order) {
      sh += Quote(RELOS_BINARY) + " --db " + Quote(db_) + " --now 2026-03-01T00:00:00Z order approve " + n +
            " --as 'RU:approver:Capt Petrov' >/dev/null 2>>" + Quote(log.string() + ".err") + "; echo \"" + n +
            " $?\"; ";
    }
    return sh + ") >" + Quote(log.string()) + " &";
  };
  const fs::path a = dir_ / "a.log", b = dir_ / "b.log";
  const std::vector<std::string> backwards(numbers.rbegin(), numbers.rend());
  ASSERT_EQ(std::system((script(numbers, a) + " " + script(backwards, b) + " wait").c_str()), 0);

  std::map<std::string, std::multiset<int>> codes;  // order -> exit codes of both processes
  for (const auto& log : {a, b}) {
    std::istringstream in(Slurp(log));
    std::string n;
    int code = 0;
    while (in >> n >> code) codes[n].insert(code);
  }
  const std::string errors = Slurp(dir_ / "a.log.err") + Slurp(dir_ / "b.log.err");
  ASSERT_EQ(codes.size(), 3u) << Slurp(a) << Slurp(b);
  int approved = 0, refused = 0;
  for (const auto& n : numbers) {
    SCOPED_TRACE(n);
    const std::string state =
        Json::parse(Ok({"order", "show", n, "--as", "RU:auditor:x", "--json"}).out).at("state").get<std::string>();
    if (state == "approved") {
      ++approved;
      // One process approved it; the other found it approved already (7)
      // or, having come to it with both berths taken, was refused (8).
      EXPECT_EQ(codes[n].count(0), 1u) << errors;
    } else {
      ++refused;
      EXPECT_EQ(state, "submitted");
      EXPECT_EQ(codes[n], (std::multiset<int>{8, 8})) << errors;
    }
  }
  EXPECT_EQ(approved, 2);
  EXPECT_EQ(refused, 1);
  EXPECT_NE(errors.find("[capacity.exhausted]"), std::string::npos) << errors;
  EXPECT_NE(errors.find("at RU-PKC from 2026-05-01T08:00:00Z to 2026-05-05T08:00:00Z"), std::string::npos) << errors;
  EXPECT_NE(errors.find("short by 1"), std::string::npos) << errors;
  // What the facility shows: each berth held by exactly one order.
  Json usage = Json::parse(
      Ok({"capacity", "show", "RU-PKC", "--from", "2026-05-01T00:00:00Z", "--to", "2026-05-10T00:00:00Z", "--json"}).out);
  int berths = 0;
  for (const auto& res : usage.at("resources")) {
    if (res.at("kind") != "berth") continue;
    ++berths;
    EXPECT_EQ(res.at("held").size(), 1u) << res.dump();
  }
  EXPECT_EQ(berths, 2);
  Ok({"verify"});
}

// A plan file with a mistake is refused naming the call and field, and
// nothing is stored; so is a replenishment whose quantity does not parse.
TEST_P(CliTest, ABadExerciseOrReplenishmentNamesTheFieldAndChangesNothing) {
  InitDemo();
  const std::string plan = Slurp(fs::path(std::getenv("RELOS_SOURCE_DIR")) / "data/demo/exercise.yaml");
  const std::string before = State();
  auto refused = [&](const std::string& from, const std::string& to, const std::string& message) {
    SCOPED_TRACE(message);
    std::string text = plan;
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    const fs::path file = dir_ / "bad.yaml";
    std::ofstream(file) << text;
    Outcome r = Relos({"exercise", "create", "--file", file.string(), "--as", "IN:requester:Cdr Menon"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  };
  refused("depart: \"2027-07-03T00:00:00Z\"", "depart: \"2027-06-03T00:00:00Z\"",
          "calls[1].depart: must be after arrive");
  refused("- unit: IN-INS-SHIVALIK", "- unit: IN-INS-TABAR", "calls[3].unit: IN-INS-TABAR is not one of the exercise's units");
  Outcome q = Relos({"capacity", "replenish", "--id", "R-1", "--facility", "RU-VLD", "--grade", "DL", "--quantity",
                     "lots", "--at", "2026-04-01T00:00:00Z", "--as", "RU:logistics-officer:Maj Sokolov"});
  EXPECT_EQ(q.exit_code, 3);
  EXPECT_NE(q.err.find("--quantity: quantity 'lots' must be '<amount> <unit>'"), std::string::npos) << q.err;
  EXPECT_EQ(Json::parse(Ok({"exercise", "list", "--json"}).out), Json::array());
  EXPECT_EQ(State(), before);
}

}  // namespace

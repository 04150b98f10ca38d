// `relos serve` and `relos user` end to end: the real binary on a temporary
// demo database, users added from the command line, the server on an
// ephemeral loopback port, driven with curl, stopped with SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

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

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("relos-serve-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "relos.db").string();
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }

  std::string Relos(const std::string& args, int* exit_code = nullptr) {
    return Shell(std::string(RELOS_BINARY) + " --db " + db_ + " " + args + " 2>&1", exit_code);
  }

  // Starts `relos ARGS` (by default `--db DB serve --port 0`) with the
  // environment variables `env` set, and returns the port it printed.
  int StartServer(std::vector<std::string> args = {}, const std::map<std::string, std::string>& env = {}) {
    if (args.empty()) args = {"--db", db_, "serve", "--port", "0"};
    const fs::path log = dir_ / "serve.log";
    const fs::path err = dir_ / "serve.err";
    pid_ = ::fork();
    if (pid_ == 0) {
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

  fs::path dir_;
  std::string db_;
  pid_t pid_ = -1;
};

// Splits curl's output into the body and the status printed after it.
std::pair<std::string, int> BodyAndStatus(const std::string& out) {
  auto nl = out.rfind('\n');
  if (nl == std::string::npos) return {"", 0};
  return {out.substr(0, nl), std::atoi(out.c_str() + nl + 1)};
}

TEST_F(ServeTest, UsersLogInThroughTheServerWhichStopsOnSigterm) {
  int code = -1;
  Relos("init --demo-registry", &code);
  ASSERT_EQ(code, 0);
  std::string out = Shell("printf 'a demo password\\n' | " + std::string(RELOS_BINARY) + " --db " + db_ +
                            " user add in-req --party IN --role requester --role auditor --password-stdin 2>&1",
                        &code);
  ASSERT_EQ(code, 0) << out;
  EXPECT_EQ(out, "user in-req added to IN as requester,auditor\n");
  out = Shell("printf 'short\\n' | " + std::string(RELOS_BINARY) + " --db " + db_ +
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

TEST_F(ServeTest, SettingsComeFromTomlThenEnvironmentThenFlags) {
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

  // The file names the database and an impossible port; the environment
  // mends the port; the flag picks the log format over the environment's.
  const fs::path good = dir_ / "relos.toml";
  std::ofstream(good) << "database = \"" << db_ << "\"\n[server]\nport = 70000\nworkers = 2\n";
  const int port = StartServer({"serve", "--config", good.string(), "--log-format", "text"},
                               {{"RELOS_PORT", "0"}, {"RELOS_LOG_FORMAT", "json"}});
  ASSERT_GT(port, 0);
  auto [health, status] = BodyAndStatus(
      Shell("curl -s -w '\\n%{http_code}' http://127.0.0.1:" + std::to_string(port) + "/healthz"));
  EXPECT_EQ(status, 200) << health;
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

}  // namespace

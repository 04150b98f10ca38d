// Crash test: a child process (testing/crash_writer.cc) posts a stream of
// ledger operations into a SQLite file and prints each one's id once its
// commit has returned. The test kills it with SIGKILL at different points of
// the stream (after a different number of acknowledgements, and a varying
// moment later so the kill lands inside a transaction as often as between
// them), reopens the file and checks that every acknowledged operation is
// there, that every account's balances equal the sums of its transfers,
// that the trial balance balances, and that the audit chain verifies. Each
// round writes on into the same file, so recovery is followed by more work.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "relos/audit/verify.h"
#include "relos/ledger/ledger.h"
#include "relos/storage/sqlite_store.h"

extern char** environ;

namespace relos::ledger {
namespace {

// Starts the writer on `db`; returns its pid and the read end of its stdout.
std::pair<pid_t, FILE*> StartWriter(const std::string& db) {
  int fds[2];
  RELOS_CHECK(pipe(fds) == 0, "pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::string path = RELOS_CRASH_WRITER;
  std::vector<char*> argv = {path.data(), const_cast<char*>(db.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  RELOS_CHECK(rc == 0, "cannot start " + path);
  close(fds[1]);
  return {pid, fdopen(fds[0], "r")};
}

TEST(LedgerCrash, KilledWriterLosesNothingAcknowledged) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("relos-ledger-crash-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "ledger.db").string();
  std::vector<std::string> acknowledged;
  size_t stored_before = 0;  // transfers in the file before the round
  // Kill after this many acknowledgements of the round, then this many
  // microseconds later.
  const std::vector<std::pair<int, int>> kill_points = {{1, 0}, {37, 150}, {200, 900}, {120, 40}, {401, 2500}};
  for (const auto& [after, delay_us] : kill_points) {
    SCOPED_TRACE("kill after " + std::to_string(after) + " acknowledgements + " + std::to_string(delay_us) + " us");
    const size_t acknowledged_before = acknowledged.size();
    auto [pid, out] = StartWriter(db);
    char line[256];
    int seen = 0;
    while (seen < after && std::fgets(line, sizeof line, out) != nullptr) {
      std::string id(line);
      if (!id.empty() && id.back() == '\n') id.pop_back();
      acknowledged.push_back(id);
      ++seen;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    // Acknowledgements printed before the kill landed count too.
    while (std::fgets(line, sizeof line, out) != nullptr) {
      std::string id(line);
      if (!id.empty() && id.back() == '\n') {
        id.pop_back();
        acknowledged.push_back(id);
      }
    }
    std::fclose(out);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the writer ended by itself: " << status;
    ASSERT_EQ(seen, after) << "the writer stopped early";

    auto store = storage::SqliteStore::Open(db);
    ASSERT_TRUE(store.ok()) << store.status();
    auto txn = (*store)->BeginRead();
    ASSERT_TRUE(txn.ok()) << txn.status();
    for (const auto& id : acknowledged) {
      auto t = (*txn)->Ledger().FindTransfer(id);
      ASSERT_TRUE(t.ok()) << t.status();
      ASSERT_TRUE(t->has_value()) << "acknowledged transfer " << id << " is lost";
    }
    TransferFilter all;
    all.limit = INT64_MAX;
    auto transfers = (*txn)->Ledger().ListTransfers(all);
    ASSERT_TRUE(transfers.ok()) << transfers.status();
    // The round added what it acknowledged and at most the one commit that
    // was in flight when the kill landed.
    EXPECT_GE(transfers->size() - stored_before, acknowledged.size() - acknowledged_before);
    EXPECT_LE(transfers->size() - stored_before, acknowledged.size() - acknowledged_before + 1);
    stored_before = transfers->size();
    auto tb = TrialBalance(**txn, "");
    ASSERT_TRUE(tb.ok()) << tb.status();
    ASSERT_EQ(tb->size(), 1u);
    EXPECT_TRUE((*tb)[0].balanced());
    // Balances are running totals written with each transfer: recompute them.
    int64_t posted = 0;
    int64_t open_pending = 0;
    for (const auto& t : *transfers) {
      if (t.kind == TransferKind::kSinglePhase || t.kind == TransferKind::kPostPending) posted += t.amount;
      if (t.kind == TransferKind::kPending) open_pending += t.amount;
      if (t.kind == TransferKind::kPostPending || t.kind == TransferKind::kVoidPending) {
        auto p = (*txn)->Ledger().FindTransfer(t.pending_id);
        ASSERT_TRUE(p.ok() && p->has_value());
        open_pending -= (*p)->amount;
      }
    }
    auto receivable = (*txn)->Ledger().GetAccount(AccountCode("CRASH", "RU", kReceivable, "IN", "USD"));
    ASSERT_TRUE(receivable.ok()) << receivable.status();
    EXPECT_EQ(receivable->debits_posted, posted);
    EXPECT_EQ(receivable->debits_pending, open_pending);
    auto report = audit::VerifyStore(**txn);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok()) << report->problem;
  }
  EXPECT_GE(acknowledged.size(), 759u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace relos::ledger

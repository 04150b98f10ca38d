// Ledger benchmarks (docs/benchmarks.md, "Ledger").
//
// Durable postings: BM_DurablePostingVsLimit alternates the limit, a
// trivial row inserted and committed per transaction on a file opened as
// SqliteStore opens it (WAL, synchronous=FULL), with single-phase transfers
// through ledger::Apply (idempotency lookup, both accounts' running
// balances, the audit event) committed one per transaction, and reports
// both rates and their ratio. BM_LedgerTwoPhase: a pending transfer and its
// post, one commit each (an order's approval and receipt).
//
// Reports on 1,000,000 postings: a ledger between IN and RU generated once
// per process (one bulk transaction; accounts' running balances written at
// the end; 10,000 bills, a third of them unpaid), then the balance (net
// position) and trial balance, a party's statement of a month and of a
// whole year, and ageing, through ledger::SettlementService as the CLI
// calls them.
//
// Files go to $RELOS_BENCH_DIR (default: the system temp directory), which
// should be on the disk the product would use.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "ledger/records.h"
#include "relos/ledger/ledger.h"
#include "relos/ledger/settlement.h"
#include "relos/storage/sqlite_store.h"

namespace {

using namespace relos;
namespace fs = std::filesystem;

constexpr char kAgreement[] = "BENCH";
constexpr int64_t kPostings = 1000000;
constexpr int64_t kBills = 10000;
const Timestamp kStart(1735689600);  // 2025-01-01
const orders::Actor kActor{"IN", orders::Role::kFinance, "bench"};

fs::path BenchDir() {
  const char* d = std::getenv("RELOS_BENCH_DIR");
  fs::path base = d != nullptr && *d != '\0' ? fs::path(d) : fs::temp_directory_path();
  fs::path dir = base / ("relos-ledger-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::abort();
  }
}
template <typename T>
T Take(Result<T> r, const char* what) {
  Check(r.status(), what);
  return std::move(r).value();
}

ledger::Account Spec(const std::string& party, const std::string& purpose, const std::string& unit) {
  const std::string partner = party == "IN" ? "RU" : "IN";
  ledger::Account a{ledger::AccountCode(kAgreement, party, purpose, partner, unit), kAgreement, party, purpose, partner,
                    unit};
  a.created_at = kStart;
  return a;
}

// A store with the parties, the agreement and the two accounts of a claim.
std::unique_ptr<storage::SqliteStore> OpenLedger(const fs::path& file) {
  auto store = Take(storage::SqliteStore::Open(file.string()), "open");
  auto txn = Take(store->BeginWrite(), "begin");
  Check(txn->PutParty({"IN", "Republic of India", *Currency::FromCode("INR")}), "party");
  Check(txn->PutParty({"RU", "Russian Federation", *Currency::FromCode("RUB")}), "party");
  registry::Agreement ag;
  ag.code = kAgreement;
  ag.title = "Benchmark agreement";
  ag.party_a = "IN";
  ag.party_b = "RU";
  ag.effective_from = kStart;
  ag.effective_to = kStart.PlusDays(3650);
  ag.terms.settlement_currency = *Currency::FromCode("USD");
  Check(txn->PutAgreement(ag), "agreement");
  Check(txn->Commit(), "commit");
  return store;
}

// ---- The limit: plain SQLite, one trivial row per durable commit.
struct PlainTable {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  int64_t next = 0;
  explicit PlainTable(const std::string& file) {
    if (sqlite3_open(file.c_str(), &db) != SQLITE_OK) std::abort();
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES (?)", -1, &insert, nullptr);
  }
  ~PlainTable() {
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  void Exec(const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) std::abort();
  }
  void InsertAndCommit() {
    Exec("BEGIN IMMEDIATE");
    sqlite3_bind_int64(insert, 1, ++next);
    if (sqlite3_step(insert) != SQLITE_DONE) std::abort();
    sqlite3_reset(insert);
    Exec("COMMIT");
  }
};

// OpenLedger with RU's claim on IN in RUB: both accounts exist.
std::unique_ptr<storage::SqliteStore> OpenClaim(const fs::path& file, ledger::Account* dr, ledger::Account* cr) {
  auto store = OpenLedger(file);
  *dr = Spec("RU", ledger::kReceivable, "RUB");
  *cr = Spec("IN", ledger::kPayable, "RUB");
  auto txn = Take(store->BeginWrite(), "begin");
  Take(ledger::EnsureAccount(*txn, *dr, kActor), "account");
  Take(ledger::EnsureAccount(*txn, *cr, kActor), "account");
  Check(txn->Commit(), "commit");
  return store;
}

// One single-phase transfer through ledger::Apply, committed.
void PostOne(storage::SqliteStore& store, const ledger::Account& dr, const ledger::Account& cr, int64_t i) {
  ledger::Transfer t;
  t.id = "single:" + std::to_string(i);
  t.debit_account = dr.code;
  t.credit_account = cr.code;
  t.amount = 1000 + i % 977;
  t.code = "bench";
  t.agreement = kAgreement;
  t.at = kStart;
  auto txn = Take(store.BeginWrite(), "begin");
  Take(ledger::Apply(*txn, std::move(t), kActor), "apply");
  Check(txn->Commit(), "commit");
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The limit and the ledger measured in alternating blocks of 20 commits, so
// that both see the same disk: the fsync latency of a shared VM disk moves
// by a factor of several within a minute. One iteration is one block of
// each; the counters give each side's rate (wall) and CPU per commit.
void BM_DurablePostingVsLimit(benchmark::State& state) {
  const fs::path dir = BenchDir();
  PlainTable plain((dir / "plain.db").string());
  ledger::Account dr, cr;
  auto store = OpenClaim(dir / "single.db", &dr, &cr);
  constexpr int kBlock = 20;
  double plain_wall = 0, plain_cpu = 0, ledger_wall = 0, ledger_cpu = 0;
  int64_t n = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    double c0 = ThreadCpuSeconds();
    for (int k = 0; k < kBlock; ++k) plain.InsertAndCommit();
    auto t1 = std::chrono::steady_clock::now();
    double c1 = ThreadCpuSeconds();
    for (int k = 0; k < kBlock; ++k) PostOne(*store, dr, cr, ++n);
    auto t2 = std::chrono::steady_clock::now();
    double c2 = ThreadCpuSeconds();
    plain_wall += std::chrono::duration<double>(t1 - t0).count();
    ledger_wall += std::chrono::duration<double>(t2 - t1).count();
    plain_cpu += c1 - c0;
    ledger_cpu += c2 - c1;
  }
  const double commits = static_cast<double>(state.iterations()) * kBlock;
  state.counters["limit_per_s"] = commits / plain_wall;
  state.counters["ledger_per_s"] = commits / ledger_wall;
  state.counters["ratio"] = plain_wall / ledger_wall;
  state.counters["limit_cpu_us"] = 1e6 * plain_cpu / commits;
  state.counters["ledger_cpu_us"] = 1e6 * ledger_cpu / commits;
  store.reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_DurablePostingVsLimit)->UseRealTime()->MinTime(10)->Unit(benchmark::kMillisecond);

// ---- A pending transfer and its post, each its own durable commit (an
// order's approval and receipt). Counted per transfer.
void BM_LedgerTwoPhase(benchmark::State& state) {
  const fs::path dir = BenchDir();
  ledger::Account dr, cr;
  auto store = OpenClaim(dir / "two-phase.db", &dr, &cr);
  int64_t i = 0;
  for (auto _ : state) {
    ledger::Transfer p;
    p.id = "pending:" + std::to_string(++i);
    p.debit_account = dr.code;
    p.credit_account = cr.code;
    p.amount = 5000;
    p.kind = ledger::TransferKind::kPending;
    p.code = "bench";
    p.agreement = kAgreement;
    p.at = kStart;
    ledger::Transfer post;
    post.id = p.id + ":post";
    post.kind = ledger::TransferKind::kPostPending;
    post.pending_id = p.id;
    post.amount = 4000;
    post.code = "bench";
    post.agreement = kAgreement;
    post.at = kStart;
    for (auto* t : {&p, &post}) {
      auto txn = Take(store->BeginWrite(), "begin");
      Take(ledger::Apply(*txn, std::move(*t), kActor), "apply");
      Check(txn->Commit(), "commit");
    }
  }
  state.SetItemsProcessed(2 * state.iterations());
  store.reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_LedgerTwoPhase)->UseRealTime()->MinTime(3)->Unit(benchmark::kMillisecond);

// ---- Reports on a ledger of 1,000,000 postings.
struct BigLedger {
  fs::path dir;
  std::unique_ptr<storage::SqliteStore> store;
  FakeClock clock{kStart.PlusDays(730)};  // the reports' "now": 2027-01-01
  std::unique_ptr<ledger::SettlementService> service;

  BigLedger() {
    dir = BenchDir();
    store = OpenLedger(dir / "big.db");
    service = std::make_unique<ledger::SettlementService>(*store, clock);
    const orders::Actor admin{"RELOS", orders::Role::kAdmin, "bench"};
    Take(service->ImportRates(admin, "RUB,USD,2025-01-01,0.0105\nINR,USD,2025-01-01,0.012\n"), "rates");
    const auto started = std::chrono::steady_clock::now();
    // Each party supplies in its currency and bills in USD; a posting
    // cycle per order: claim (receipt), billing (clear + bill), payment.
    std::map<std::string, ledger::Account> accounts;
    for (const std::string party : {"IN", "RU"}) {
      const std::string cur = party == "IN" ? "INR" : "RUB";
      for (const auto& [purpose, unit] : std::initializer_list<std::pair<const char*, std::string>>{
               {ledger::kReceivable, cur}, {ledger::kBilledReceivable, "USD"}}) {
        ledger::Account a = Spec(party, purpose, unit);
        accounts[a.code] = a;
      }
      const std::string partner_cur = party == "IN" ? "RUB" : "INR";
      for (const auto& [purpose, unit] : std::initializer_list<std::pair<const char*, std::string>>{
               {ledger::kPayable, partner_cur}, {ledger::kBilledPayable, "USD"}}) {
        ledger::Account a = Spec(party, purpose, unit);
        accounts[a.code] = a;
      }
    }
    auto txn = Take(store->BeginWrite(), "begin");
    const int64_t seconds = 730 * kSecondsPerDay;
    for (int64_t i = 0; i < kPostings; ++i) {
      const int64_t order = i / 4;
      const std::string supplier = order % 2 == 0 ? "RU" : "IN";
      const std::string debtor = supplier == "RU" ? "IN" : "RU";
      const std::string cur = supplier == "RU" ? "RUB" : "INR";
      ledger::Transfer t;
      t.id = "t" + std::to_string(i);
      t.agreement = kAgreement;
      t.order = "BENCH-" + std::to_string(order);
      t.line_no = 1;
      t.at = Timestamp(kStart.unix_seconds() + seconds * i / kPostings);
      const int64_t claim = 100000 + (order * 7919) % 900000;
      const int64_t usd = claim / 90;
      const std::string bill = "BENCH-BILL-" + std::to_string(order % kBills);
      switch (i % 4) {
        case 0:  // receipt
          t.debit_account = Spec(supplier, ledger::kReceivable, cur).code;
          t.credit_account = Spec(debtor, ledger::kPayable, cur).code;
          t.amount = claim;
          t.code = "order.receipt";
          break;
        case 1:  // billing clears the supplier-currency claim...
          t.debit_account = Spec(debtor, ledger::kPayable, cur).code;
          t.credit_account = Spec(supplier, ledger::kReceivable, cur).code;
          t.amount = claim;
          t.code = "bill.clear";
          t.reference = bill;
          break;
        case 2:  // ...and opens the settlement-currency one
          t.debit_account = Spec(supplier, ledger::kBilledReceivable, "USD").code;
          t.credit_account = Spec(debtor, ledger::kBilledPayable, "USD").code;
          t.amount = usd;
          t.code = "bill";
          t.reference = bill;
          break;
        case 3:  // payment
          t.debit_account = Spec(debtor, ledger::kBilledPayable, "USD").code;
          t.credit_account = Spec(supplier, ledger::kBilledReceivable, "USD").code;
          t.amount = usd;
          t.code = "payment";
          t.reference = bill;
          break;
      }
      t.unit = t.code == "bill" || t.code == "payment" ? "USD" : cur;
      Take(txn->Ledger().InsertTransfer(t), "insert");
      ledger::Account& dr = accounts.at(t.debit_account);
      ledger::Account& cr = accounts.at(t.credit_account);
      dr.debits_posted += t.amount;
      cr.credits_posted += t.amount;
    }
    for (const auto& [code, a] : accounts) Check(txn->Ledger().PutAccount(a), "account");
    // Bills: one per 25 orders; the last third of them unpaid, spread over
    // the ageing buckets.
    for (int64_t b = 0; b < kBills; ++b) {
      ledger::Bill bill;
      bill.number = "BENCH-BILL-" + std::to_string(b);
      bill.agreement = kAgreement;
      bill.supplier = b % 2 == 0 ? "RU" : "IN";
      bill.debtor = b % 2 == 0 ? "IN" : "RU";
      bill.billed_at = Timestamp(kStart.unix_seconds() + seconds * b / kBills);
      bill.due = bill.billed_at.PlusDays(30);
      bill.currency = "USD";
      for (int l = 0; l < 3; ++l) {
        const Currency cur = *Currency::FromCode(bill.supplier == "RU" ? "RUB" : "INR");
        bill.lines.push_back({"BENCH-" + std::to_string(b * 25 + l), Money(900000, cur),
                              Money(10000, *Currency::FromCode("USD")), 0});
      }
      bill.total = 30000;
      const bool unpaid = b >= kBills * 2 / 3;
      bill.paid = unpaid ? 0 : bill.total;
      bill.status = unpaid ? "open" : "paid";
      Check(txn->Ledger().PutRecord({"bill", bill.number, kAgreement, bill.debtor, bill.status, bill.billed_at,
                                     ledger::internal::Encode(bill)}),
            "bill");
    }
    Check(txn->Commit(), "commit");
    std::fprintf(stderr, "generated %lld postings and %lld bills in %.1f s\n", static_cast<long long>(kPostings),
                 static_cast<long long>(kBills),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  ~BigLedger() {
    service.reset();
    store.reset();
    fs::remove_all(dir);
  }
};

BigLedger& Big() {
  static BigLedger* big = new BigLedger();  // generated on first use, kept for every report
  return *big;
}

void BM_ReportBalance(benchmark::State& state) {
  BigLedger& big = Big();
  for (auto _ : state) {
    auto rows = Take(big.service->NetPosition(kActor, kAgreement), "balance");
    benchmark::DoNotOptimize(rows);
  }
}
BENCHMARK(BM_ReportBalance)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ReportTrialBalance(benchmark::State& state) {
  BigLedger& big = Big();
  for (auto _ : state) {
    auto rows = Take(big.service->TrialBalanceOf(kActor, kAgreement), "trial balance");
    benchmark::DoNotOptimize(rows);
  }
}
BENCHMARK(BM_ReportTrialBalance)->UseRealTime()->Unit(benchmark::kMillisecond);

// Statement of IN (a party to every posting) for a period of state.range(0)
// days from 2026-06-01.
void BM_ReportStatement(benchmark::State& state) {
  BigLedger& big = Big();
  const Timestamp from = kStart.PlusDays(365 + 151);
  const Timestamp to = from.PlusDays(state.range(0));
  int64_t lines = 0;
  for (auto _ : state) {
    auto rows = Take(big.service->Statement(kActor, kAgreement, "IN", from, to), "statement");
    lines = static_cast<int64_t>(rows.size());
    benchmark::DoNotOptimize(rows);
  }
  state.counters["lines"] = static_cast<double>(lines);
}
BENCHMARK(BM_ReportStatement)->Arg(30)->Arg(365)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ReportAgeing(benchmark::State& state) {
  BigLedger& big = Big();
  int64_t rows_out = 0;
  for (auto _ : state) {
    auto rows = Take(big.service->Ageing(kActor, kAgreement), "ageing");
    rows_out = static_cast<int64_t>(rows.size());
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows"] = static_cast<double>(rows_out);
}
BENCHMARK(BM_ReportAgeing)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();

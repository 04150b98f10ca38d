#include "storage/store_conformance.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "storage/sample_data.h"

namespace relos::storage::testing {

using relos::testing::SampleAgreement;
using relos::testing::SampleCatalogItem;
using relos::testing::SampleEvent;
using relos::testing::SampleFacility;
using relos::testing::SampleFuelCompatibility;
using relos::testing::SampleOrder;
using relos::testing::SampleParty;
using relos::testing::SampleUnit;
using relos::testing::T;

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("relos_store_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  path_ = dir.string();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void StoreConformanceTest::SetUp() {
  if (!GetParam().skip.empty()) GTEST_SKIP() << GetParam().skip;
  auto store = GetParam().open(dir_.path());
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = std::move(*store);
}

namespace {

std::unique_ptr<Transaction> Write(Store& s) {
  auto t = s.BeginWrite();
  RELOS_CHECK(t.ok(), t.status().ToString());
  return std::move(*t);
}

std::unique_ptr<Transaction> Read(Store& s) {
  auto t = s.BeginRead();
  RELOS_CHECK(t.ok(), t.status().ToString());
  return std::move(*t);
}

#define ASSERT_OK(expr)                         \
  do {                                          \
    ::relos::Status s_ = ::relos::internal::AsStatus(expr); \
    ASSERT_TRUE(s_.ok()) << #expr << ": " << s_;            \
  } while (0)

void ExpectCode(const Status& s, StatusCode code, const std::string& reason = "") {
  EXPECT_EQ(s.code(), code) << s;
  if (!reason.empty()) {
    EXPECT_EQ(s.reason(), reason) << s;
  }
}

// The three registry operations of one type, to run the same checks on all.
template <typename T>
struct RegistryOps {
  Status (Transaction::*put)(const T&);
  Result<T> (Transaction::*get)(const std::string&);
  Result<std::vector<T>> (Transaction::*list)();
};

// Puts b then a (out of order), checks get and the code order of list,
// replaces a with a2, and checks NotFound names a missing code.
template <typename T>
void CheckRegistryType(Store& store, RegistryOps<T> ops, const T& a, const T& b, const T& a2) {
  ASSERT_LT(a.code, b.code);
  {
    auto tx = Write(store);
    ASSERT_OK(((*tx).*ops.put)(b));
    ASSERT_OK(((*tx).*ops.put)(a));
    ASSERT_OK(tx->Commit());
  }
  {
    auto tx = Read(store);
    auto got = ((*tx).*ops.get)(a.code);
    ASSERT_OK(got);
    EXPECT_EQ(*got, a);
    auto all = ((*tx).*ops.list)();
    ASSERT_OK(all);
    EXPECT_EQ(*all, (std::vector<T>{a, b}));
    Status missing = ((*tx).*ops.get)("NO-SUCH-CODE").status();
    ExpectCode(missing, StatusCode::kNotFound, "storage.not_found");
    EXPECT_NE(missing.message().find("NO-SUCH-CODE"), std::string::npos) << missing;
  }
  {
    auto tx = Write(store);
    ASSERT_OK(((*tx).*ops.put)(a2));
    ASSERT_OK(tx->Commit());
  }
  auto tx = Read(store);
  auto all = ((*tx).*ops.list)();
  ASSERT_OK(all);
  EXPECT_EQ(*all, (std::vector<T>{a2, b}));
}

TEST_P(StoreConformanceTest, PartiesPutGetListReplace) {
  registry::Party a = SampleParty("IN"), b = SampleParty("RU"), a2 = a;
  a2.name = "India";
  CheckRegistryType<registry::Party>(store(), {&Transaction::PutParty, &Transaction::GetParty, &Transaction::ListParties},
                                     a, b, a2);
}

TEST_P(StoreConformanceTest, AgreementsPutGetListReplace) {
  registry::Agreement a = SampleAgreement("A-1"), b = SampleAgreement("B-1"), a2 = a;
  a2.terms.max_stay_days = 21;
  a2.terms.annual_ceiling.erase("RU");
  CheckRegistryType<registry::Agreement>(
      store(), {&Transaction::PutAgreement, &Transaction::GetAgreement, &Transaction::ListAgreements}, a, b, a2);
}

TEST_P(StoreConformanceTest, CatalogItemsPutGetListReplace) {
  registry::CatalogItem a = SampleCatalogItem("FUEL-F44"), b = SampleCatalogItem("FUEL-F76"), a2 = a;
  a2.fuel_grade.reset();
  CheckRegistryType<registry::CatalogItem>(
      store(), {&Transaction::PutCatalogItem, &Transaction::GetCatalogItem, &Transaction::ListCatalogItems}, a, b, a2);
}

TEST_P(StoreConformanceTest, FacilitiesPutGetListReplace) {
  registry::Facility a = SampleFacility("IN-MUM"), b = SampleFacility("RU-VLD"), a2 = a;
  a2.berths.pop_back();
  a2.capacities.clear();
  CheckRegistryType<registry::Facility>(
      store(), {&Transaction::PutFacility, &Transaction::GetFacility, &Transaction::ListFacilities}, a, b, a2);
}

TEST_P(StoreConformanceTest, UnitsPutGetListReplace) {
  registry::Unit a = SampleUnit("IN-INS-TABAR"), b = SampleUnit("RU-ADM-GORSHKOV"), a2 = a;
  a2.personnel = 200;
  CheckRegistryType<registry::Unit>(store(), {&Transaction::PutUnit, &Transaction::GetUnit, &Transaction::ListUnits},
                                    a, b, a2);
}

TEST_P(StoreConformanceTest, FuelCompatibilityIsReplacedAsAWholeInOrder) {
  registry::FuelCompatibility x = SampleFuelCompatibility(), y = x, z = x;
  y.unit_grade = "A-A";  // sorts first: the stored order must be the given one, not sorted
  z.level = registry::FuelCompatibilityLevel::kEmergencyOnly;
  {
    auto tx = Write(store());
    ASSERT_OK(tx->ReplaceFuelCompatibility({x, y}));
    ASSERT_OK(tx->Commit());
  }
  EXPECT_EQ(*Read(store())->ListFuelCompatibility(), (std::vector<registry::FuelCompatibility>{x, y}));
  {
    auto tx = Write(store());
    ASSERT_OK(tx->ReplaceFuelCompatibility({z}));
    ASSERT_OK(tx->Commit());
  }
  EXPECT_EQ(*Read(store())->ListFuelCompatibility(), (std::vector<registry::FuelCompatibility>{z}));
}

// Inserts orders in one transaction and returns their ids.
std::vector<int64_t> InsertOrders(Store& store, const std::vector<orders::Order>& list) {
  auto tx = Write(store);
  std::vector<int64_t> ids;
  for (const auto& o : list) {
    auto id = tx->InsertOrder(o);
    EXPECT_TRUE(id.ok()) << id.status();
    ids.push_back(id.ok() ? *id : -1);
  }
  EXPECT_TRUE(tx->Commit().ok());
  return ids;
}

TEST_P(StoreConformanceTest, InsertOrderAssignsIncreasingIds) {
  std::vector<int64_t> ids = InsertOrders(store(), {SampleOrder("N-1", "k1"), SampleOrder("N-2", "k2")});
  std::vector<int64_t> more = InsertOrders(store(), {SampleOrder("N-3", "k3")});
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_GT(ids[0], 0);
  EXPECT_GT(ids[1], ids[0]);
  EXPECT_GT(more[0], ids[1]);
  auto tx = Read(store());
  orders::Order expected = SampleOrder("N-2", "k2");
  expected.id = ids[1];
  EXPECT_EQ(*tx->GetOrder(ids[1]), expected);
  EXPECT_EQ(*tx->GetOrderByNumber("N-2"), expected);
  auto by_key = tx->FindOrderByIdempotencyKey("IN", "k2");
  ASSERT_OK(by_key);
  ASSERT_TRUE(by_key->has_value());
  EXPECT_EQ(**by_key, expected);
  EXPECT_FALSE(tx->FindOrderByIdempotencyKey("RU", "k2")->has_value());
  EXPECT_FALSE(tx->FindOrderByIdempotencyKey("IN", "nope")->has_value());
  Status missing = tx->GetOrder(9999).status();
  ExpectCode(missing, StatusCode::kNotFound, "storage.not_found");
  EXPECT_NE(missing.message().find("9999"), std::string::npos);
  ExpectCode(tx->GetOrderByNumber("N-404").status(), StatusCode::kNotFound, "storage.not_found");
}

TEST_P(StoreConformanceTest, DuplicateNumberOrIdempotencyKeyIsAlreadyExists) {
  InsertOrders(store(), {SampleOrder("N-1", "k1")});
  auto tx = Write(store());
  ExpectCode(tx->InsertOrder(SampleOrder("N-1", "other")).status(), StatusCode::kAlreadyExists,
             "storage.duplicate_order_number");
  ExpectCode(tx->InsertOrder(SampleOrder("N-2", "k1")).status(), StatusCode::kAlreadyExists,
             "storage.duplicate_idempotency_key");
  // The key is scoped to the requester; an empty key never collides.
  orders::Order other_requester = SampleOrder("N-3", "k1");
  other_requester.requester = "RU";
  other_requester.supplier = "IN";
  ASSERT_OK(tx->InsertOrder(other_requester));
  ASSERT_OK(tx->InsertOrder(SampleOrder("N-4", "")));
  ASSERT_OK(tx->InsertOrder(SampleOrder("N-5", "")));
  EXPECT_FALSE(tx->FindOrderByIdempotencyKey("IN", "")->has_value());
  ASSERT_OK(tx->Commit());
  auto all = Read(store())->ListOrders(OrderFilter{});
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 4u);
}

TEST_P(StoreConformanceTest, UpdateOrderChecksTheVersion) {
  int64_t id = InsertOrders(store(), {SampleOrder("N-1", "k1")})[0];
  orders::Order stored = *Read(store())->GetOrder(id);
  orders::Order next = stored;
  next.version = stored.version + 1;
  next.state = orders::OrderState::kClosed;
  next.lines.pop_back();
  {
    auto tx = Write(store());
    ASSERT_OK(tx->UpdateOrder(next));
    ASSERT_OK(tx->Commit());
  }
  EXPECT_EQ(*Read(store())->GetOrder(id), next);
  // A writer that read the old version loses.
  orders::Order stale = stored;
  stale.version = stored.version + 1;
  stale.exercise = "LOST-UPDATE";
  {
    auto tx = Write(store());
    Status s = tx->UpdateOrder(stale);
    ExpectCode(s, StatusCode::kAborted, "storage.stale_version");
    // Nothing changed, even inside the transaction that tried.
    EXPECT_EQ(*tx->GetOrder(id), next);
    ASSERT_OK(tx->Commit());
  }
  EXPECT_EQ(*Read(store())->GetOrder(id), next);
  // Skipping a version is refused too.
  orders::Order skip = next;
  skip.version = next.version + 2;
  auto tx = Write(store());
  ExpectCode(tx->UpdateOrder(skip), StatusCode::kAborted, "storage.stale_version");
  orders::Order absent = next;
  absent.id = 777;
  ExpectCode(tx->UpdateOrder(absent), StatusCode::kNotFound, "storage.not_found");
  // Changing the number onto another order's is refused.
  int64_t other = *tx->InsertOrder(SampleOrder("N-2", "k2"));
  orders::Order clash = *tx->GetOrder(other);
  clash.version += 1;
  clash.number = "N-1";
  ExpectCode(tx->UpdateOrder(clash), StatusCode::kAlreadyExists, "storage.duplicate_order_number");
}

TEST_P(StoreConformanceTest, ListOrdersFiltersAndPages) {
  auto make = [](const char* number, const char* requester, const char* supplier, const char* facility,
                 orders::OrderState state) {
    orders::Order o = SampleOrder(number, number);
    o.requester = requester;
    o.supplier = supplier;
    o.facility = facility;
    o.unit = std::string(requester) + "-UNIT";
    o.agreement = std::string(number) < "N-4" ? "AG-1" : "AG-2";
    o.state = state;
    return o;
  };
  using S = orders::OrderState;
  std::vector<int64_t> ids = InsertOrders(store(), {make("N-1", "IN", "RU", "RU-VLD", S::kDraft),
                                                    make("N-2", "RU", "IN", "IN-MUM", S::kSubmitted),
                                                    make("N-3", "IN", "RU", "RU-VLD", S::kApproved),
                                                    make("N-4", "IN", "RU", "RU-SEV", S::kSubmitted),
                                                    make("N-5", "RU", "IN", "IN-MUM", S::kClosed)});
  auto tx = Read(store());
  auto numbers = [&](OrderFilter f) {
    std::vector<std::string> out;
    auto list = tx->ListOrders(f);
    EXPECT_TRUE(list.ok()) << list.status();
    if (list.ok()) {
      for (const auto& o : *list) out.push_back(o.number);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(numbers({}), (V{"N-1", "N-2", "N-3", "N-4", "N-5"}));
  EXPECT_EQ(numbers({.requester = "RU"}), (V{"N-2", "N-5"}));
  EXPECT_EQ(numbers({.supplier = "RU"}), (V{"N-1", "N-3", "N-4"}));
  EXPECT_EQ(numbers({.involving_party = "IN"}), (V{"N-1", "N-2", "N-3", "N-4", "N-5"}));
  EXPECT_EQ(numbers({.involving_party = "CN"}), V{});
  EXPECT_EQ(numbers({.agreement = "AG-2"}), (V{"N-4", "N-5"}));
  EXPECT_EQ(numbers({.facility = "IN-MUM"}), (V{"N-2", "N-5"}));
  EXPECT_EQ(numbers({.unit = "IN-UNIT"}), (V{"N-1", "N-3", "N-4"}));
  EXPECT_EQ(numbers({.states = {S::kSubmitted}}), (V{"N-2", "N-4"}));
  EXPECT_EQ(numbers({.states = {S::kSubmitted, S::kClosed, S::kDraft}}), (V{"N-1", "N-2", "N-4", "N-5"}));
  EXPECT_EQ(numbers({.requester = "IN", .facility = "RU-VLD", .states = {S::kApproved}}), V{"N-3"});
  // Keyset pagination: pages of two, each after the last id seen.
  V pages;
  int64_t after = 0;
  for (int page = 0; page < 10; ++page) {
    auto list = tx->ListOrders({.after_id = after, .limit = 2});
    ASSERT_OK(list);
    EXPECT_LE(list->size(), 2u);
    if (list->empty()) break;
    for (const auto& o : *list) pages.push_back(o.number);
    after = list->back().id;
  }
  EXPECT_EQ(pages, (V{"N-1", "N-2", "N-3", "N-4", "N-5"}));
  EXPECT_EQ(numbers({.after_id = ids[2], .limit = 1}), V{"N-4"});
  EXPECT_EQ(numbers({.supplier = "IN", .after_id = ids[1], .limit = 5}), V{"N-5"});
  ExpectCode(tx->ListOrders({.limit = 0}).status(), StatusCode::kInvalidArgument, "limit");
}

TEST_P(StoreConformanceTest, CountOrdersInYear) {
  orders::Order a = SampleOrder("N-1", "k1"), b = SampleOrder("N-2", "k2"), c = SampleOrder("N-3", "k3");
  b.created_at = T("2025-12-31T23:59:59Z");
  c.created_at = T("2026-01-01T00:00:00Z");
  orders::Order other = SampleOrder("N-4", "k4");
  other.agreement = "OTHER";
  InsertOrders(store(), {a, b, c, other});
  auto tx = Read(store());
  EXPECT_EQ(*tx->CountOrdersInYear("RELOS-IN-RU", 2025), 2);
  EXPECT_EQ(*tx->CountOrdersInYear("RELOS-IN-RU", 2026), 1);
  EXPECT_EQ(*tx->CountOrdersInYear("RELOS-IN-RU", 2024), 0);
  EXPECT_EQ(*tx->CountOrdersInYear("OTHER", 2025), 1);
}

TEST_P(StoreConformanceTest, EventsAppendListLast) {
  EXPECT_FALSE(Read(store())->LastEvent()->has_value());
  {
    auto tx = Write(store());
    for (int64_t seq = 1; seq <= 5; ++seq) ASSERT_OK(tx->AppendEvent(SampleEvent(seq)));
    ExpectCode(tx->AppendEvent(SampleEvent(3)), StatusCode::kAlreadyExists, "storage.duplicate_event");
    ASSERT_OK(tx->Commit());
  }
  auto tx = Read(store());
  auto last = tx->LastEvent();
  ASSERT_OK(last);
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ(**last, SampleEvent(5));
  auto all = tx->ListEvents(0, 100);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 5u);
  for (int64_t i = 0; i < 5; ++i) EXPECT_EQ((*all)[i], SampleEvent(i + 1));
  auto page = tx->ListEvents(2, 2);
  ASSERT_OK(page);
  EXPECT_EQ(*page, (std::vector<audit::Event>{SampleEvent(3), SampleEvent(4)}));
  EXPECT_TRUE(tx->ListEvents(5, 10)->empty());
  ExpectCode(tx->ListEvents(0, 0).status(), StatusCode::kInvalidArgument, "limit");
}

TEST_P(StoreConformanceTest, AnUncommittedWriteLeavesNothing) {
  InsertOrders(store(), {SampleOrder("N-1", "k1")});
  {
    auto tx = Write(store());
    ASSERT_OK(tx->PutParty(SampleParty("IN")));
    ASSERT_OK(tx->PutAgreement(SampleAgreement()));
    ASSERT_OK(tx->PutCatalogItem(SampleCatalogItem()));
    ASSERT_OK(tx->PutFacility(SampleFacility()));
    ASSERT_OK(tx->PutUnit(SampleUnit()));
    ASSERT_OK(tx->ReplaceFuelCompatibility({SampleFuelCompatibility()}));
    ASSERT_OK(tx->InsertOrder(SampleOrder("N-2", "k2")));
    orders::Order first = *tx->GetOrderByNumber("N-1");
    first.version += 1;
    ASSERT_OK(tx->UpdateOrder(first));
    ASSERT_OK(tx->AppendEvent(SampleEvent(1)));
    // The transaction sees its own writes...
    EXPECT_TRUE(tx->GetParty("IN").ok());
    // ...and is destroyed here without Commit().
  }
  auto tx = Read(store());
  EXPECT_TRUE(tx->ListParties()->empty());
  EXPECT_TRUE(tx->ListAgreements()->empty());
  EXPECT_TRUE(tx->ListCatalogItems()->empty());
  EXPECT_TRUE(tx->ListFacilities()->empty());
  EXPECT_TRUE(tx->ListUnits()->empty());
  EXPECT_TRUE(tx->ListFuelCompatibility()->empty());
  auto all = tx->ListOrders({});
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].version, SampleOrder().version);
  EXPECT_FALSE(tx->LastEvent()->has_value());
  // The writer slot was released: the next write goes through, and the
  // rolled-back number and key are free again. (Whether the rolled-back id
  // is reused is up to the backend: a PostgreSQL sequence would not be.)
  auto w = Write(store());
  auto id = w->InsertOrder(SampleOrder("N-2", "k2"));
  ASSERT_OK(id);
  EXPECT_GT(*id, (*all)[0].id);
}

TEST_P(StoreConformanceTest, AReadTransactionRefusesWrites) {
  auto tx = Read(store());
  const std::string reason = "storage.read_only";
  ExpectCode(tx->PutParty(SampleParty()), StatusCode::kFailedPrecondition, reason);
  ExpectCode(tx->PutAgreement(SampleAgreement()), StatusCode::kFailedPrecondition, reason);
  ExpectCode(tx->PutCatalogItem(SampleCatalogItem()), StatusCode::kFailedPrecondition, reason);
  ExpectCode(tx->PutFacility(SampleFacility()), StatusCode::kFailedPrecondition, reason);
  ExpectCode(tx->PutUnit(SampleUnit()), StatusCode::kFailedPrecondition, reason);
  ExpectCode(tx->ReplaceFuelCompatibility({}), StatusCode::kFailedPrecondition, reason);
  ExpectCode(tx->InsertOrder(SampleOrder()).status(), StatusCode::kFailedPrecondition, reason);
  ExpectCode(tx->UpdateOrder(SampleOrder()), StatusCode::kFailedPrecondition, reason);
  ExpectCode(tx->AppendEvent(SampleEvent()), StatusCode::kFailedPrecondition, reason);
  ASSERT_OK(tx->Commit());
  EXPECT_TRUE(Read(store())->ListParties()->empty());
}

TEST_P(StoreConformanceTest, ACommittedTransactionCannotBeUsedAgain) {
  auto tx = Write(store());
  ASSERT_OK(tx->PutParty(SampleParty()));
  ASSERT_OK(tx->Commit());
  ExpectCode(tx->PutParty(SampleParty("RU")), StatusCode::kFailedPrecondition, "storage.finished");
  ExpectCode(tx->GetParty("IN").status(), StatusCode::kFailedPrecondition, "storage.finished");
  ExpectCode(tx->Commit(), StatusCode::kFailedPrecondition, "storage.finished");
  EXPECT_EQ(Read(store())->ListParties()->size(), 1u);
}

TEST_P(StoreConformanceTest, AReadTransactionKeepsItsSnapshot) {
  {
    auto w = Write(store());
    ASSERT_OK(w->PutParty(SampleParty("IN")));
    ASSERT_OK(w->Commit());
  }
  auto reader = Read(store());
  ASSERT_EQ(reader->ListParties()->size(), 1u);  // the snapshot is taken by now
  {
    auto w = Write(store());
    ASSERT_OK(w->PutParty(SampleParty("RU")));
    ASSERT_OK(w->Commit());
  }
  EXPECT_EQ(reader->ListParties()->size(), 1u);
  EXPECT_EQ(Read(store())->ListParties()->size(), 2u);
}

TEST_P(StoreConformanceTest, ASecondWriterWaitsForTheFirst) {
  auto first = Write(store());
  ASSERT_OK(first->PutParty(SampleParty("IN")));
  std::atomic<bool> second_began{false};
  std::atomic<bool> second_saw_party{false};
  std::thread second([&] {
    auto tx = Write(store());
    second_began = true;
    second_saw_party = tx->GetParty("IN").ok();
  });
  // Not proof that it would never get in, but a writer that did not wait
  // gets in well within this time.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(second_began.load());
  ASSERT_OK(first->Commit());
  second.join();
  EXPECT_TRUE(second_began.load());
  EXPECT_TRUE(second_saw_party.load());
}

TEST_P(StoreConformanceTest, ConcurrentReadModifyWriteLosesNoUpdate) {
  int64_t id = InsertOrders(store(), {SampleOrder("N-1", "k1")})[0];
  const int64_t start = SampleOrder().version;
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto tx = store().BeginWrite();
        if (!tx.ok()) {
          ++failures;
          continue;
        }
        auto o = (*tx)->GetOrder(id);
        if (!o.ok()) {
          ++failures;
          continue;
        }
        o->version += 1;
        o->history.push_back(o->history.front());
        if (!(*tx)->UpdateOrder(*o).ok() || !(*tx)->Commit().ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  orders::Order final_order = *Read(store())->GetOrder(id);
  EXPECT_EQ(final_order.version, start + kThreads * kIncrements);
  EXPECT_EQ(final_order.history.size(), SampleOrder().history.size() + kThreads * kIncrements);
}

}  // namespace
}  // namespace relos::storage::testing

namespace relos::storage::testing {
namespace {

ledger::Transfer SampleTransfer(const std::string& id, const std::string& dr, const std::string& cr, int64_t amount,
                                const char* at, const std::string& order = "") {
  ledger::Transfer t;
  t.id = id;
  t.debit_account = dr;
  t.credit_account = cr;
  t.amount = amount;
  t.unit = "RUB";
  t.code = "test";
  t.agreement = "AG";
  t.order = order;
  t.at = T(at);
  return t;
}

TEST_P(StoreConformanceTest, LedgerAccountsTransfersAndRecords) {
  auto w = Write(store());
  ledger::Account a{"AG:RU:receivable:IN:RUB", "AG", "RU", "receivable", "IN", "RUB", 1, 5, 6, 7, 8, T("2026-01-01")};
  ledger::Account b{"AG:IN:payable:RU:RUB", "AG", "IN", "payable", "RU", "RUB"};
  ASSERT_OK(w->Ledger().PutAccount(a));
  ASSERT_OK(w->Ledger().PutAccount(b));
  auto t1 = w->Ledger().InsertTransfer(SampleTransfer("t1", a.code, b.code, 100, "2026-01-02", "O-1"));
  ASSERT_TRUE(t1.ok()) << t1.status();
  auto t2 = w->Ledger().InsertTransfer(SampleTransfer("t2", b.code, a.code, 40, "2026-02-02"));
  ASSERT_TRUE(t2.ok());
  EXPECT_LT(*t1, *t2);
  auto dup = w->Ledger().InsertTransfer(SampleTransfer("t1", a.code, b.code, 1, "2026-01-02"));
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().reason(), "storage.duplicate_transfer");
  ASSERT_OK(w->Ledger().PutRecord({"bill", "B-2", "AG", "IN", "open", T("2026-03-01"), "{\"x\":2}"}));
  ASSERT_OK(w->Ledger().PutRecord({"bill", "B-1", "AG", "IN", "paid", T("2026-03-01"), "{\"x\":1}"}));
  ASSERT_OK(w->Ledger().PutRecord({"rik", "R-1", "AG", "O-1", "open", T("2026-03-01"), "{}"}));
  ASSERT_OK(w->Commit());

  auto r = Read(store());
  auto got = r->Ledger().GetAccount(a.code);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, a);
  EXPECT_EQ(r->Ledger().GetAccount("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r->Ledger().ListAccounts("AG")->size(), 2u);
  EXPECT_TRUE(r->Ledger().ListAccounts("OTHER")->empty());
  auto found = r->Ledger().FindTransfer("t1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->seq, *t1);
  EXPECT_EQ((*found)->order, "O-1");
  EXPECT_EQ((*found)->at, T("2026-01-02"));
  EXPECT_FALSE(r->Ledger().FindTransfer("none")->has_value());

  ledger::TransferFilter f;
  f.account = a.code;
  EXPECT_EQ(r->Ledger().ListTransfers(f)->size(), 2u);
  f.from = T("2026-02-01");
  auto feb = r->Ledger().ListTransfers(f);
  ASSERT_EQ(feb->size(), 1u);
  EXPECT_EQ((*feb)[0].id, "t2");
  ledger::TransferFilter by_order;
  by_order.order = "O-1";
  EXPECT_EQ(r->Ledger().ListTransfers(by_order)->size(), 1u);
  ledger::TransferFilter page;
  page.limit = 1;
  page.after_seq = *t1;
  EXPECT_EQ((*r->Ledger().ListTransfers(page))[0].id, "t2");
  page.limit = 0;
  EXPECT_EQ(r->Ledger().ListTransfers(page).status().code(), StatusCode::kInvalidArgument);

  auto bills = r->Ledger().ListRecords({"bill"});
  ASSERT_EQ(bills->size(), 2u);
  EXPECT_EQ((*bills)[0].key, "B-1");
  ledger::RecordFilter open{"bill"};
  open.status = "open";
  EXPECT_EQ(r->Ledger().ListRecords(open)->size(), 1u);
  auto rik = r->Ledger().FindRecord("rik", "R-1");
  ASSERT_TRUE(rik.ok() && rik->has_value());
  EXPECT_EQ((*rik)->ref, "O-1");
  EXPECT_EQ(r->Ledger().PutAccount(a).code(), StatusCode::kFailedPrecondition);
}

TEST_P(StoreConformanceTest, AnUncommittedLedgerWriteLeavesNothing) {
  {
    auto w = Write(store());
    ASSERT_OK(w->Ledger().PutAccount({"AG:RU:receivable:IN:RUB", "AG", "RU", "receivable", "IN", "RUB"}));
    ASSERT_TRUE(w->Ledger().InsertTransfer(SampleTransfer("t1", "x", "y", 1, "2026-01-01")).ok());
  }
  auto r = Read(store());
  EXPECT_TRUE(r->Ledger().ListAccounts("")->empty());
  EXPECT_FALSE(r->Ledger().FindTransfer("t1")->has_value());
}

TEST_P(StoreConformanceTest, AuthUsersAndTokens) {
  using orders::Role;
  auth::User ana{"ana", "IN", {Role::kRequester, Role::kAuditor}, "$argon2id$v=19$x", false, T("2026-01-01"),
                 T("2026-01-02")};
  auth::User bob{"bob", "RU", {Role::kFinance}, "", true, T("2026-01-03"), T("2026-01-03")};
  auth::Token session{"aa11", "ana", auth::TokenKind::kSession, "", T("2026-01-05"), T("2026-01-06"), false};
  auth::Token api{"bb22", "ana", auth::TokenKind::kApi, "ci robot", T("2026-01-07"), T("2027-01-07"), false};
  {
    auto w = Write(store());
    ASSERT_OK(w->Auth().PutUser(bob));
    ASSERT_OK(w->Auth().PutUser(ana));
    ASSERT_OK(w->Auth().InsertToken(session));
    ASSERT_OK(w->Auth().InsertToken(api));
    Status dup = w->Auth().InsertToken(session);
    EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
    EXPECT_EQ(dup.reason(), "storage.duplicate_token");
    EXPECT_EQ(w->Auth().InsertToken({"cc33", "nobody"}).code(), StatusCode::kNotFound);
    ASSERT_OK(w->Commit());
  }
  auto r = Read(store());
  auto got = r->Auth().GetUser("ana");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, ana);
  EXPECT_EQ(*r->Auth().GetUser("bob"), bob);
  Status missing = r->Auth().GetUser("carol").status();
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.reason(), "storage.not_found");
  auto users = r->Auth().ListUsers();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "ana");
  EXPECT_EQ(*r->Auth().GetToken("bb22"), api);
  EXPECT_EQ(r->Auth().GetToken("zz").status().code(), StatusCode::kNotFound);
  auto tokens = r->Auth().ListTokens("ana");
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ((*tokens)[0], session);
  EXPECT_EQ(r->Auth().RevokeToken("aa11").code(), StatusCode::kFailedPrecondition);  // read-only

  {
    auto w = Write(store());
    ASSERT_OK(w->Auth().RevokeToken("aa11"));
    EXPECT_EQ(w->Auth().RevokeToken("zz").code(), StatusCode::kNotFound);
    auto n = w->Auth().RevokeUserTokens("ana");
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 1);  // only the API token was still live
    ana.disabled = true;
    ASSERT_OK(w->Auth().PutUser(ana));
    ASSERT_OK(w->Commit());
  }
  auto after = Read(store());
  EXPECT_TRUE(after->Auth().GetToken("aa11")->revoked);
  EXPECT_TRUE(after->Auth().GetToken("bb22")->revoked);
  EXPECT_TRUE(after->Auth().GetUser("ana")->disabled);
}

TEST_P(StoreConformanceTest, AnUncommittedAuthWriteLeavesNothing) {
  {
    auto w = Write(store());
    ASSERT_OK(w->Auth().PutUser({"ana", "IN", {orders::Role::kAdmin}}));
    ASSERT_OK(w->Auth().InsertToken({"aa11", "ana"}));
  }
  auto r = Read(store());
  EXPECT_TRUE(r->Auth().ListUsers()->empty());
  EXPECT_EQ(r->Auth().GetToken("aa11").status().code(), StatusCode::kNotFound);
}

capacity::Reservation SampleReservation(const std::string& order, int64_t line_no, const std::string& resource,
                                        const std::string& start, const std::string& end, int64_t amount = 1) {
  return capacity::Reservation{order, line_no, "RU-VLD", resource, "IN-TABAR", amount, T(start.c_str()), T(end.c_str())};
}

TEST_P(StoreConformanceTest, CapacityReservationsInsertListDelete) {
  auto w = Write(store());
  ASSERT_OK(w->Capacity().InsertReservation(SampleReservation("O-2", 1, "berth:B1", "2026-03-10", "2026-03-12")));
  ASSERT_OK(w->Capacity().InsertReservation(SampleReservation("O-1", 1, "berth:B1", "2026-03-01", "2026-03-05")));
  ASSERT_OK(w->Capacity().InsertReservation(SampleReservation("O-1", 2, "beds", "2026-03-01", "2026-03-05", 40)));
  ASSERT_OK(w->Capacity().InsertReservation(SampleReservation("O-1", 3, "fuel:F-76", "2026-03-02", "2026-03-02", 350000)));
  auto dup = w->Capacity().InsertReservation(SampleReservation("O-1", 1, "berth:B1", "2026-04-01", "2026-04-02"));
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.reason(), "storage.duplicate_reservation");
  ASSERT_OK(w->Commit());

  auto r = Read(store());
  auto all = r->Capacity().ListReservations({});
  ASSERT_OK(all.status());
  ASSERT_EQ(all->size(), 4u);
  // Ordered by (facility, resource, start, order, line).
  EXPECT_EQ((*all)[0].resource, "beds");
  EXPECT_EQ((*all)[1].order, "O-1");
  EXPECT_EQ((*all)[1].resource, "berth:B1");
  EXPECT_EQ((*all)[2].order, "O-2");
  EXPECT_EQ((*all)[3], SampleReservation("O-1", 3, "fuel:F-76", "2026-03-02", "2026-03-02", 350000));

  capacity::ReservationFilter berth;
  berth.resource = "berth:B1";
  berth.from = T("2026-03-04");
  berth.to = T("2026-03-10");  // O-2 starts at `to`: excluded
  auto overlapping = r->Capacity().ListReservations(berth);
  ASSERT_EQ(overlapping->size(), 1u);
  EXPECT_EQ((*overlapping)[0].order, "O-1");
  berth.from = T("2026-03-05");  // O-1 ends at `from`: touching, included
  EXPECT_EQ(r->Capacity().ListReservations(berth)->size(), 1u);
  berth.from = T("2026-03-06");
  EXPECT_TRUE(r->Capacity().ListReservations(berth)->empty());

  capacity::ReservationFilter fuel;
  fuel.resource = "fuel:F-76";
  fuel.from = T("2026-03-02");
  fuel.to = T("2026-03-03");
  EXPECT_EQ(r->Capacity().ListReservations(fuel)->size(), 1u);
  capacity::ReservationFilter by_order;
  by_order.order = "O-1";
  EXPECT_EQ(r->Capacity().ListReservations(by_order)->size(), 3u);
  EXPECT_EQ(r->Capacity().InsertReservation(SampleReservation("O-3", 1, "beds", "2026-01-01", "2026-01-02")).code(),
            StatusCode::kFailedPrecondition);
  r.reset();

  auto w2 = Write(store());
  ASSERT_OK(w2->Capacity().DeleteReservation("O-1", 2, "beds"));
  auto gone = w2->Capacity().DeleteReservation("O-1", 2, "beds");
  EXPECT_EQ(gone.code(), StatusCode::kNotFound);
  ASSERT_OK(w2->Commit());
  EXPECT_EQ(Read(store())->Capacity().ListReservations({})->size(), 3u);
}

TEST_P(StoreConformanceTest, FuelReplenishmentsInsertList) {
  auto w = Write(store());
  ASSERT_OK(w->Capacity().InsertReplenishment({"R-2", "RU-VLD", "F-76", 500000, T("2026-03-05"), "tanker"}));
  ASSERT_OK(w->Capacity().InsertReplenishment({"R-1", "RU-VLD", "F-76", 200000, T("2026-03-01"), ""}));
  ASSERT_OK(w->Capacity().InsertReplenishment({"R-3", "RU-VLD", "DL", 100000, T("2026-03-02"), ""}));
  ASSERT_OK(w->Capacity().InsertReplenishment({"R-4", "IN-MUM", "F-76", 100000, T("2026-03-02"), ""}));
  auto dup = w->Capacity().InsertReplenishment({"R-1", "IN-MUM", "F-76", 1, T("2026-03-02"), ""});
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.reason(), "storage.duplicate_replenishment");
  ASSERT_OK(w->Commit());
  auto r = Read(store());
  auto f76 = r->Capacity().ListReplenishments("RU-VLD", "F-76");
  ASSERT_OK(f76.status());
  ASSERT_EQ(f76->size(), 2u);
  EXPECT_EQ((*f76)[0].id, "R-1");
  EXPECT_EQ((*f76)[1], (capacity::FuelReplenishment{"R-2", "RU-VLD", "F-76", 500000, T("2026-03-05"), "tanker"}));
  EXPECT_EQ(r->Capacity().ListReplenishments("RU-VLD", "")->size(), 3u);
  EXPECT_TRUE(r->Capacity().ListReplenishments("RU-XXX", "")->empty());
}

TEST_P(StoreConformanceTest, ExercisesPutFindListReplace) {
  auto w = Write(store());
  capacity::ExerciseRow b{"EX-B", "planned", T("2026-05-01"), T("2026-05-10"), 1, "{\"b\":1}"};
  capacity::ExerciseRow a{"EX-A", "planned", T("2026-04-01"), T("2026-04-10"), 1, "{\"a\":1}"};
  ASSERT_OK(w->Exercises().PutExercise(b));
  ASSERT_OK(w->Exercises().PutExercise(a));
  a.status = "active";
  a.version = 2;
  ASSERT_OK(w->Exercises().PutExercise(a));
  ASSERT_OK(w->Commit());
  auto r = Read(store());
  auto found = r->Exercises().FindExercise("EX-A");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(**found, a);
  EXPECT_FALSE(r->Exercises().FindExercise("EX-C")->has_value());
  auto all = r->Exercises().ListExercises();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].code, "EX-A");
  EXPECT_EQ((*all)[1], b);
  EXPECT_EQ(r->Exercises().PutExercise(b).code(), StatusCode::kFailedPrecondition);
}

TEST_P(StoreConformanceTest, AnUncommittedCapacityWriteLeavesNothing) {
  {
    auto w = Write(store());
    ASSERT_OK(w->Capacity().InsertReservation(SampleReservation("O-1", 1, "beds", "2026-03-01", "2026-03-05")));
    ASSERT_OK(w->Exercises().PutExercise({"EX-A", "planned", T("2026-04-01"), T("2026-04-10"), 1, "{}"}));
  }
  auto r = Read(store());
  EXPECT_TRUE(r->Capacity().ListReservations({})->empty());
  EXPECT_TRUE(r->Exercises().ListExercises()->empty());
}

}  // namespace
}  // namespace relos::storage::testing

#include "relos/storage/memory_store.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

#include "storage/store_errors.h"

namespace relos::storage {

namespace internal {

struct MemoryState {
  std::map<std::string, registry::Party> parties;
  std::map<std::string, registry::Agreement> agreements;
  std::map<std::string, registry::CatalogItem> catalogue;
  std::map<std::string, registry::Facility> facilities;
  std::map<std::string, registry::Unit> units;
  std::vector<registry::FuelCompatibility> fuel_compatibility;
  std::map<int64_t, orders::Order> orders;
  // Unique indexes, as the SQL backends have them.
  std::map<std::string, int64_t> order_by_number;
  std::map<std::pair<std::string, std::string>, int64_t> order_by_key;  // (requester, key), key non-empty
  // Events are immutable once appended: shared, so that the copy a write
  // transaction starts from copies pointers, not payloads.
  std::map<int64_t, std::shared_ptr<const audit::Event>> events;
  std::map<std::string, ledger::Account> accounts;
  std::map<int64_t, ledger::Transfer> transfers;  // by seq
  std::map<std::string, int64_t> transfer_by_id;
  std::map<std::pair<std::string, std::string>, ledger::Record> records;  // (kind, key)
  std::map<std::string, auth::User> users;
  std::map<std::string, auth::Token> tokens;  // by hash
  std::map<std::string, std::vector<std::string>> tokens_by_user;  // hashes, oldest first
  std::map<std::string, capacity::Reservation> reservations;  // by ReservationKey
  std::map<std::string, capacity::ExerciseRow> exercises;
  std::map<std::string, capacity::FuelReplenishment> replenishments;  // by id
};

struct MemoryShared {
  // A condition variable rather than a mutex held by the transaction: a
  // transaction may be destroyed on another thread than the one that began
  // it, and unlocking a std::mutex from another thread is undefined.
  std::mutex mu;
  std::condition_variable writer_done;
  bool writer_active = false;
  std::shared_ptr<const MemoryState> committed = std::make_shared<MemoryState>();
};

}  // namespace internal

namespace {

using internal::NotFoundError;
using State = internal::MemoryState;

bool Matches(const orders::Order& o, const OrderFilter& f) {
  auto same = [](const std::optional<std::string>& want, const std::string& have) { return !want || *want == have; };
  return o.id > f.after_id &&
         (!f.involving_party || o.requester == *f.involving_party || o.supplier == *f.involving_party) &&
         same(f.requester, o.requester) && same(f.supplier, o.supplier) && same(f.agreement, o.agreement) &&
         same(f.facility, o.facility) && same(f.unit, o.unit) && (f.states.empty() || f.states.count(o.state));
}

bool Matches(const ledger::Transfer& t, const ledger::TransferFilter& f) {
  auto same = [](const std::optional<std::string>& want, const std::string& have) { return !want || *want == have; };
  return (!f.account || t.debit_account == *f.account || t.credit_account == *f.account) && same(f.order, t.order) &&
         same(f.pending_id, t.pending_id) && same(f.reference, t.reference) && (!f.from || !(t.at < *f.from)) &&
         (!f.to || t.at < *f.to);
}

bool Matches(const ledger::Record& r, const ledger::RecordFilter& f) {
  auto same = [](const std::optional<std::string>& want, const std::string& have) { return !want || *want == have; };
  return r.kind == f.kind && same(f.agreement, r.agreement) && same(f.ref, r.ref) && same(f.status, r.status);
}

bool Matches(const capacity::Reservation& r, const capacity::ReservationFilter& f) {
  auto same = [](const std::optional<std::string>& want, const std::string& have) { return !want || *want == have; };
  return same(f.facility, r.facility) && same(f.resource, r.resource) && same(f.order, r.order) &&
         (!f.to || r.start < *f.to) && (!f.from || !(r.end < *f.from));
}

class MemoryTransaction final : public Transaction,
                                public ledger::LedgerTables,
                                public auth::AuthTables,
                                public capacity::CapacityTables,
                                public capacity::ExerciseTables {
 public:
  // A read transaction over `snapshot`.
  explicit MemoryTransaction(std::shared_ptr<const State> snapshot) : snapshot_(std::move(snapshot)) {}
  // A write transaction: `store` has marked a writer active for us.
  MemoryTransaction(internal::MemoryShared* store, const std::shared_ptr<const State>& base)
      : store_(store), working_(std::make_unique<State>(*base)) {}

  ~MemoryTransaction() override {
    if (store_ != nullptr && working_ != nullptr) Release(nullptr);  // rolled back
  }

  Status PutParty(const registry::Party& p) override { return Put(&State::parties, p); }
  Result<registry::Party> GetParty(const std::string& code) override {
    return Get(&State::parties, "party", code);
  }
  Result<std::vector<registry::Party>> ListParties() override { return List(&State::parties); }

  Status PutAgreement(const registry::Agreement& a) override { return Put(&State::agreements, a); }
  Result<registry::Agreement> GetAgreement(const std::string& code) override {
    return Get(&State::agreements, "agreement", code);
  }
  Result<std::vector<registry::Agreement>> ListAgreements() override { return List(&State::agreements); }

  Status PutCatalogItem(const registry::CatalogItem& i) override { return Put(&State::catalogue, i); }
  Result<registry::CatalogItem> GetCatalogItem(const std::string& code) override {
    return Get(&State::catalogue, "catalogue item", code);
  }
  Result<std::vector<registry::CatalogItem>> ListCatalogItems() override { return List(&State::catalogue); }

  Status PutFacility(const registry::Facility& f) override { return Put(&State::facilities, f); }
  Result<registry::Facility> GetFacility(const std::string& code) override {
    return Get(&State::facilities, "facility", code);
  }
  Result<std::vector<registry::Facility>> ListFacilities() override { return List(&State::facilities); }

  Status PutUnit(const registry::Unit& u) override { return Put(&State::units, u); }
  Result<registry::Unit> GetUnit(const std::string& code) override { return Get(&State::units, "unit", code); }
  Result<std::vector<registry::Unit>> ListUnits() override { return List(&State::units); }

  Status ReplaceFuelCompatibility(const std::vector<registry::FuelCompatibility>& table) override {
    RETURN_IF_ERROR(CheckWritable());
    working_->fuel_compatibility = table;
    return OkStatus();
  }
  Result<std::vector<registry::FuelCompatibility>> ListFuelCompatibility() override {
    RETURN_IF_ERROR(CheckOpen());
    return view().fuel_compatibility;
  }

  Result<int64_t> InsertOrder(const orders::Order& o) override {
    RETURN_IF_ERROR(CheckWritable());
    State& s = *working_;
    if (s.order_by_number.count(o.number)) return internal::DuplicateOrderNumber(o.number);
    if (!o.idempotency_key.empty() && s.order_by_key.count({o.requester, o.idempotency_key})) {
      return internal::DuplicateIdempotencyKey(o.requester, o.idempotency_key);
    }
    int64_t id = s.orders.empty() ? 1 : s.orders.rbegin()->first + 1;
    orders::Order stored = o;
    stored.id = id;
    s.orders.emplace(id, std::move(stored));
    s.order_by_number.emplace(o.number, id);
    if (!o.idempotency_key.empty()) s.order_by_key.emplace(std::make_pair(o.requester, o.idempotency_key), id);
    return id;
  }

  Status UpdateOrder(const orders::Order& o) override {
    RETURN_IF_ERROR(CheckWritable());
    State& s = *working_;
    auto it = s.orders.find(o.id);
    if (it == s.orders.end()) return NotFoundError("order", std::to_string(o.id));
    orders::Order& old = it->second;
    if (old.version != o.version - 1) return internal::StaleOrderVersion(o.id, old.version, o.version);
    // The unique indexes follow the new values, as an SQL UPDATE would.
    if (o.number != old.number && s.order_by_number.count(o.number)) return internal::DuplicateOrderNumber(o.number);
    std::pair<std::string, std::string> new_key{o.requester, o.idempotency_key};
    std::pair<std::string, std::string> old_key{old.requester, old.idempotency_key};
    if (!o.idempotency_key.empty() && new_key != old_key && s.order_by_key.count(new_key)) {
      return internal::DuplicateIdempotencyKey(o.requester, o.idempotency_key);
    }
    s.order_by_number.erase(old.number);
    s.order_by_number.emplace(o.number, o.id);
    if (!old.idempotency_key.empty()) s.order_by_key.erase(old_key);
    if (!o.idempotency_key.empty()) s.order_by_key.emplace(new_key, o.id);
    old = o;
    return OkStatus();
  }

  Result<orders::Order> GetOrder(int64_t id) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().orders.find(id);
    if (it == view().orders.end()) return NotFoundError("order", std::to_string(id));
    return it->second;
  }

  Result<orders::Order> GetOrderByNumber(const std::string& number) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().order_by_number.find(number);
    if (it == view().order_by_number.end()) return NotFoundError("order", number);
    return view().orders.at(it->second);
  }

  Result<std::optional<orders::Order>> FindOrderByIdempotencyKey(const std::string& requester,
                                                               const std::string& key) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().order_by_key.find({requester, key});
    if (key.empty() || it == view().order_by_key.end()) return std::optional<orders::Order>();
    return std::optional<orders::Order>(view().orders.at(it->second));
  }

  Result<std::vector<orders::Order>> ListOrders(const OrderFilter& filter) override {
    RETURN_IF_ERROR(CheckOpen());
    RETURN_IF_ERROR(internal::CheckLimit(filter.limit));
    std::vector<orders::Order> out;
    for (auto it = view().orders.upper_bound(filter.after_id);
         it != view().orders.end() && static_cast<int64_t>(out.size()) < filter.limit; ++it) {
      if (Matches(it->second, filter)) out.push_back(it->second);
    }
    return out;
  }

  Result<int64_t> CountOrdersInYear(const std::string& agreement, int year) override {
    RETURN_IF_ERROR(CheckOpen());
    int64_t n = 0;
    for (const auto& [id, o] : view().orders) n += o.agreement == agreement && o.created_at.Year() == year;
    return n;
  }

  Result<std::optional<audit::Event>> LastEvent() override {
    RETURN_IF_ERROR(CheckOpen());
    if (view().events.empty()) return std::optional<audit::Event>();
    return std::optional<audit::Event>(*view().events.rbegin()->second);
  }

  Status AppendEvent(const audit::Event& e) override {
    RETURN_IF_ERROR(CheckWritable());
    if (!working_->events.emplace(e.seq, std::make_shared<const audit::Event>(e)).second) {
      return internal::DuplicateEventSeq(e.seq);
    }
    return OkStatus();
  }

  Result<std::vector<audit::Event>> ListEvents(int64_t after_seq, int64_t limit) override {
    RETURN_IF_ERROR(CheckOpen());
    RETURN_IF_ERROR(internal::CheckLimit(limit));
    std::vector<audit::Event> out;
    for (auto it = view().events.upper_bound(after_seq);
         it != view().events.end() && static_cast<int64_t>(out.size()) < limit; ++it) {
      out.push_back(*it->second);
    }
    return out;
  }

  ledger::LedgerTables& Ledger() override { return *this; }
  auth::AuthTables& Auth() override { return *this; }

  Status PutUser(const auth::User& u) override {
    RETURN_IF_ERROR(CheckWritable());
    working_->users[u.name] = u;
    return OkStatus();
  }
  Result<auth::User> GetUser(const std::string& name) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().users.find(name);
    if (it == view().users.end()) return NotFoundError("user", name);
    return it->second;
  }
  Result<std::vector<auth::User>> ListUsers() override {
    RETURN_IF_ERROR(CheckOpen());
    std::vector<auth::User> out;
    for (const auto& [name, u] : view().users) out.push_back(u);
    return out;
  }
  Status InsertToken(const auth::Token& t) override {
    RETURN_IF_ERROR(CheckWritable());
    State& s = *working_;
    if (!s.users.count(t.user)) return NotFoundError("user", t.user);
    if (s.tokens.count(t.token_hash)) return internal::DuplicateToken();
    s.tokens[t.token_hash] = t;
    s.tokens_by_user[t.user].push_back(t.token_hash);
    return OkStatus();
  }
  Result<auth::Token> GetToken(const std::string& token_hash) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().tokens.find(token_hash);
    if (it == view().tokens.end()) return internal::UnknownToken();
    return it->second;
  }
  Status RevokeToken(const std::string& token_hash) override {
    RETURN_IF_ERROR(CheckWritable());
    auto it = working_->tokens.find(token_hash);
    if (it == working_->tokens.end()) return internal::UnknownToken();
    it->second.revoked = true;
    return OkStatus();
  }
  Result<int64_t> RevokeUserTokens(const std::string& user) override {
    RETURN_IF_ERROR(CheckWritable());
    int64_t n = 0;
    for (const auto& h : working_->tokens_by_user[user]) {
      auth::Token& t = working_->tokens[h];
      if (!t.revoked) ++n;
      t.revoked = true;
    }
    return n;
  }
  Result<std::vector<auth::Token>> ListTokens(const std::string& user) override {
    RETURN_IF_ERROR(CheckOpen());
    std::vector<auth::Token> out;
    auto it = view().tokens_by_user.find(user);
    if (it != view().tokens_by_user.end()) {
      for (const auto& h : it->second) out.push_back(view().tokens.at(h));
    }
    return out;
  }

  Status PutAccount(const ledger::Account& a) override {
    RETURN_IF_ERROR(CheckWritable());
    working_->accounts[a.code] = a;
    return OkStatus();
  }
  Result<ledger::Account> GetAccount(const std::string& code) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().accounts.find(code);
    if (it == view().accounts.end()) return NotFoundError("account", code);
    return it->second;
  }
  Result<std::vector<ledger::Account>> ListAccounts(const std::string& agreement) override {
    RETURN_IF_ERROR(CheckOpen());
    std::vector<ledger::Account> out;
    for (const auto& [code, a] : view().accounts) {
      if (agreement.empty() || a.agreement == agreement) out.push_back(a);
    }
    return out;
  }

  Result<int64_t> InsertTransfer(const ledger::Transfer& t) override {
    RETURN_IF_ERROR(CheckWritable());
    State& s = *working_;
    if (s.transfer_by_id.count(t.id)) return internal::DuplicateTransfer(t.id);
    int64_t seq = s.transfers.empty() ? 1 : s.transfers.rbegin()->first + 1;
    ledger::Transfer stored = t;
    stored.seq = seq;
    s.transfers.emplace(seq, std::move(stored));
    s.transfer_by_id.emplace(t.id, seq);
    return seq;
  }
  Result<std::optional<ledger::Transfer>> FindTransfer(const std::string& id) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().transfer_by_id.find(id);
    if (it == view().transfer_by_id.end()) return std::optional<ledger::Transfer>();
    return std::optional<ledger::Transfer>(view().transfers.at(it->second));
  }
  Result<std::vector<ledger::Transfer>> ListTransfers(const ledger::TransferFilter& f) override {
    RETURN_IF_ERROR(CheckOpen());
    RETURN_IF_ERROR(internal::CheckLimit(f.limit));
    std::vector<ledger::Transfer> out;
    for (auto it = view().transfers.upper_bound(f.after_seq);
         it != view().transfers.end() && static_cast<int64_t>(out.size()) < f.limit; ++it) {
      if (Matches(it->second, f)) out.push_back(it->second);
    }
    return out;
  }

  Status PutRecord(const ledger::Record& r) override {
    RETURN_IF_ERROR(CheckWritable());
    working_->records[{r.kind, r.key}] = r;
    return OkStatus();
  }
  Result<std::optional<ledger::Record>> FindRecord(const std::string& kind, const std::string& key) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().records.find({kind, key});
    if (it == view().records.end()) return std::optional<ledger::Record>();
    return std::optional<ledger::Record>(it->second);
  }
  Result<std::vector<ledger::Record>> ListRecords(const ledger::RecordFilter& f) override {
    RETURN_IF_ERROR(CheckOpen());
    std::vector<ledger::Record> out;
    for (auto it = view().records.lower_bound({f.kind, ""}); it != view().records.end() && it->first.first == f.kind;
         ++it) {
      if (Matches(it->second, f)) out.push_back(it->second);
    }
    return out;
  }

  capacity::CapacityTables& Capacity() override { return *this; }
  capacity::ExerciseTables& Exercises() override { return *this; }

  Status InsertReservation(const capacity::Reservation& r) override {
    RETURN_IF_ERROR(CheckWritable());
    if (!working_->reservations.emplace(internal::ReservationKey(r.order, r.line_no, r.resource), r).second) {
      return internal::DuplicateReservation(r.order, r.line_no, r.resource);
    }
    return OkStatus();
  }
  Result<std::vector<capacity::Reservation>> ListReservations(const capacity::ReservationFilter& f) override {
    RETURN_IF_ERROR(CheckOpen());
    std::vector<capacity::Reservation> out;
    for (const auto& [key, r] : view().reservations) {
      if (Matches(r, f)) out.push_back(r);
    }
    // The order the SQL backends give: (facility, resource, start, order, line_no).
    std::sort(out.begin(), out.end(), [](const capacity::Reservation& a, const capacity::Reservation& b) {
      return std::tie(a.facility, a.resource, a.start, a.order, a.line_no) <
             std::tie(b.facility, b.resource, b.start, b.order, b.line_no);
    });
    return out;
  }
  Status DeleteReservation(const std::string& order, int64_t line_no, const std::string& resource) override {
    RETURN_IF_ERROR(CheckWritable());
    const std::string key = internal::ReservationKey(order, line_no, resource);
    if (working_->reservations.erase(key) == 0) return NotFoundError("reservation", key);
    return OkStatus();
  }

  Status InsertReplenishment(const capacity::FuelReplenishment& r) override {
    RETURN_IF_ERROR(CheckWritable());
    if (!working_->replenishments.emplace(r.id, r).second) return internal::DuplicateReplenishment(r.id);
    return OkStatus();
  }
  Result<std::vector<capacity::FuelReplenishment>> ListReplenishments(const std::string& facility,
                                                                      const std::string& grade) override {
    RETURN_IF_ERROR(CheckOpen());
    std::vector<capacity::FuelReplenishment> out;
    for (const auto& [id, r] : view().replenishments) {
      if (r.facility == facility && (grade.empty() || r.grade == grade)) out.push_back(r);
    }
    std::sort(out.begin(), out.end(), [](const capacity::FuelReplenishment& a, const capacity::FuelReplenishment& b) {
      return std::tie(a.at, a.id) < std::tie(b.at, b.id);
    });
    return out;
  }

  Status PutExercise(const capacity::ExerciseRow& r) override {
    RETURN_IF_ERROR(CheckWritable());
    working_->exercises[r.code] = r;
    return OkStatus();
  }
  Result<std::optional<capacity::ExerciseRow>> FindExercise(const std::string& code) override {
    RETURN_IF_ERROR(CheckOpen());
    auto it = view().exercises.find(code);
    if (it == view().exercises.end()) return std::optional<capacity::ExerciseRow>();
    return std::optional<capacity::ExerciseRow>(it->second);
  }
  Result<std::vector<capacity::ExerciseRow>> ListExercises() override {
    RETURN_IF_ERROR(CheckOpen());
    std::vector<capacity::ExerciseRow> out;
    for (const auto& [code, r] : view().exercises) out.push_back(r);
    return out;
  }

  Status Commit() override {
    RETURN_IF_ERROR(CheckOpen());
    if (store_ == nullptr) {
      snapshot_.reset();  // a read transaction: nothing to publish
    } else {
      Release(std::move(working_));
    }
    finished_ = true;
    return OkStatus();
  }

 private:
  const State& view() const { return working_ != nullptr ? *working_ : *snapshot_; }

  Status CheckOpen() const { return finished_ ? internal::FinishedTransaction() : OkStatus(); }
  Status CheckWritable() const {
    RETURN_IF_ERROR(CheckOpen());
    return store_ == nullptr ? internal::ReadOnlyTransaction() : OkStatus();
  }

  template <typename T>
  Status Put(std::map<std::string, T> State::*table, const T& v) {
    RETURN_IF_ERROR(CheckWritable());
    ((*working_).*table)[v.code] = v;
    return OkStatus();
  }

  template <typename T>
  Result<T> Get(std::map<std::string, T> State::*table, const char* what, const std::string& code) {
    RETURN_IF_ERROR(CheckOpen());
    const auto& m = view().*table;
    auto it = m.find(code);
    if (it == m.end()) return NotFoundError(what, code);
    return it->second;
  }

  template <typename T>
  Result<std::vector<T>> List(std::map<std::string, T> State::*table) {
    RETURN_IF_ERROR(CheckOpen());
    std::vector<T> out;
    out.reserve((view().*table).size());
    for (const auto& [code, v] : view().*table) out.push_back(v);
    return out;
  }

  // Ends the write: publishes `state` if given, and lets the next writer in.
  void Release(std::unique_ptr<State> state) {
    std::lock_guard<std::mutex> lock(store_->mu);
    if (state != nullptr) store_->committed = std::shared_ptr<const State>(std::move(state));
    working_.reset();
    store_->writer_active = false;
    store_->writer_done.notify_one();
  }

  internal::MemoryShared* store_ = nullptr;  // set for write transactions only
  std::shared_ptr<const State> snapshot_;
  std::unique_ptr<State> working_;
  bool finished_ = false;
};

}  // namespace

MemoryStore::MemoryStore() : shared_(std::make_unique<internal::MemoryShared>()) {}
MemoryStore::~MemoryStore() = default;

Result<std::unique_ptr<Transaction>> MemoryStore::BeginWrite() {
  std::shared_ptr<const State> base;
  {
    std::unique_lock<std::mutex> lock(shared_->mu);
    shared_->writer_done.wait(lock, [&] { return !shared_->writer_active; });
    shared_->writer_active = true;
    base = shared_->committed;
  }
  // The copy happens outside the lock so that readers are not held up by it.
  return std::unique_ptr<Transaction>(std::make_unique<MemoryTransaction>(shared_.get(), base));
}

Result<std::unique_ptr<Transaction>> MemoryStore::BeginRead() {
  std::lock_guard<std::mutex> lock(shared_->mu);
  return std::unique_ptr<Transaction>(std::make_unique<MemoryTransaction>(shared_->committed));
}

}  // namespace relos::storage

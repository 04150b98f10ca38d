#include "relos/storage/sqlite_store.h"

#include <condition_variable>
#include <mutex>
#include <set>
#include <utility>

#include "relos/codec/codec.h"
#include "sqlite_db.h"
#include "storage/schema_migrations.h"
#include "storage/sql_rows.h"
#include "storage/store_errors.h"

namespace relos::storage {

namespace internal {

// The connections of one database file and the in-process writer gate.
class SqlitePool {
 public:
  explicit SqlitePool(std::string path) : path_(std::move(path)) {}

  // An idle connection, or a new one.
  Result<std::unique_ptr<Connection>> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
    }
    return Connection::Open(path_);
  }

  // Takes a connection back; one left inside a transaction (a failed
  // ROLLBACK) is closed rather than reused.
  void Release(std::unique_ptr<Connection> conn) {
    if (conn == nullptr || !conn->Idle()) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(conn));
  }

  // Writers in this process queue here rather than spin on SQLITE_BUSY; a
  // condition variable because a transaction may end on another thread.
  void EnterWriter() {
    std::unique_lock<std::mutex> lock(mu_);
    writer_done_.wait(lock, [&] { return !writer_active_; });
    writer_active_ = true;
  }
  void LeaveWriter() {
    std::lock_guard<std::mutex> lock(mu_);
    writer_active_ = false;
    writer_done_.notify_one();
  }

 private:
  static constexpr size_t kMaxIdle = 8;
  const std::string path_;
  std::mutex mu_;
  std::condition_variable writer_done_;
  bool writer_active_ = false;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace internal

namespace {

using codec::Json;
using internal::Connection;
using internal::Query;

using internal::AccountFromRow;
using internal::Doc;
using internal::EventFromRow;
using internal::FromDoc;
using internal::kAccountColumns;
using internal::kEventColumns;
using internal::kRecordColumns;
using internal::kTokenColumns;
using internal::kTransferColumns;
using internal::kUserColumns;
using internal::RolesText;
using internal::TokenFromRow;
using internal::UserFromRow;
using internal::RecordFromRow;
using internal::RegistryTable;
using internal::TransferFromRow;

constexpr char kReservationColumns[] = "order_number, line_no, facility, resource, unit, amount, start_at, end_at";
constexpr char kExerciseColumns[] = "code, status, start_at, end_at, version, body";

class SqliteTransaction final : public internal::SqlRegistryTransaction<SqliteTransaction>,
                                public ledger::LedgerTables,
                                public auth::AuthTables,
                                public capacity::CapacityTables,
                                public capacity::ExerciseTables {
 public:
  SqliteTransaction(internal::SqlitePool* pool, std::unique_ptr<Connection> conn, bool writable)
      : pool_(pool), conn_(std::move(conn)), writable_(writable) {}

  ~SqliteTransaction() override {
    if (conn_ != nullptr) {
      // Rolling back cannot usefully fail here; a connection left in a
      // transaction is closed by the pool instead of being reused.
      conn_->Exec("ROLLBACK").IgnoreError();
      End();
    }
  }

  Status ReplaceFuelCompatibility(const std::vector<registry::FuelCompatibility>& table) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto clear, conn_->Prepare("DELETE FROM fuel_compatibility"));
    RETURN_IF_ERROR(clear->Run());
    for (size_t i = 0; i < table.size(); ++i) {
      ASSIGN_OR_RETURN(auto insert, conn_->Prepare("INSERT INTO fuel_compatibility "
                                                   "(position, unit_grade, supplied_grade, doc) VALUES (?, ?, ?, ?)"));
      insert->Bind(1, static_cast<int64_t>(i))
          .Bind(2, table[i].unit_grade)
          .Bind(3, table[i].supplied_grade)
          .Bind(4, Doc(codec::ToJson(table[i])));
      RETURN_IF_ERROR(insert->Run());
    }
    return OkStatus();
  }

  Result<std::vector<registry::FuelCompatibility>> ListFuelCompatibility() override {
    return Docs("SELECT doc FROM fuel_compatibility ORDER BY position", {}, codec::FuelCompatibilityFromJson,
                "fuel_compatibility");
  }

  Result<int64_t> InsertOrder(const orders::Order& o) override {
    RETURN_IF_ERROR(CheckWritable());
    // The unique indexes would refuse these too; checking first gives the
    // same messages as the other backends. BEGIN IMMEDIATE holds the write
    // lock, so nothing can slip in between the check and the insert.
    RETURN_IF_ERROR(CheckOrderKeysFree(o, 0));
    ASSIGN_OR_RETURN(auto next, conn_->Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM orders"));
    ASSIGN_OR_RETURN(bool row, next->Step());
    RELOS_CHECK(row, "MAX() returns a row");
    orders::Order stored = o;
    stored.id = next->Int(0);
    ASSIGN_OR_RETURN(auto insert,
                     conn_->Prepare("INSERT INTO orders (id, number, agreement, requester, supplier, facility, unit, "
                                    "state, idempotency_key, version, created_year, doc) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    BindOrder(*insert, stored);
    RETURN_IF_ERROR(insert->Run());
    return stored.id;
  }

  Status UpdateOrder(const orders::Order& o) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto current, conn_->Prepare("SELECT version FROM orders WHERE id = ?"));
    current->Bind(1, o.id);
    ASSIGN_OR_RETURN(bool found, current->Step());
    if (!found) return internal::NotFoundError("order", std::to_string(o.id));
    int64_t stored_version = current->Int(0);
    if (stored_version != o.version - 1) return internal::StaleOrderVersion(o.id, stored_version, o.version);
    RETURN_IF_ERROR(CheckOrderKeysFree(o, o.id));
    ASSIGN_OR_RETURN(auto update,
                     conn_->Prepare("UPDATE orders SET number = ?2, agreement = ?3, requester = ?4, supplier = ?5, "
                                    "facility = ?6, unit = ?7, state = ?8, idempotency_key = ?9, version = ?10, "
                                    "created_year = ?11, doc = ?12 WHERE id = ?1"));
    BindOrder(*update, o);
    return update->Run();
  }

  Result<orders::Order> GetOrder(int64_t id) override {
    ASSIGN_OR_RETURN(auto found, OneOrder("SELECT doc FROM orders WHERE id = ?", [&](Query& q) { q.Bind(1, id); }));
    if (!found) return internal::NotFoundError("order", std::to_string(id));
    return *std::move(found);
  }

  Result<orders::Order> GetOrderByNumber(const std::string& number) override {
    ASSIGN_OR_RETURN(auto found,
                     OneOrder("SELECT doc FROM orders WHERE number = ?", [&](Query& q) { q.Bind(1, number); }));
    if (!found) return internal::NotFoundError("order", number);
    return *std::move(found);
  }

  Result<std::optional<orders::Order>> FindOrderByIdempotencyKey(const std::string& requester,
                                                               const std::string& key) override {
    // "idempotency_key <> ''" lets SQLite use the partial unique index.
    return OneOrder("SELECT doc FROM orders WHERE requester = ? AND idempotency_key = ? AND idempotency_key <> ''",
                    [&](Query& q) { q.Bind(1, requester).Bind(2, key); });
  }

  Result<std::vector<orders::Order>> ListOrders(const OrderFilter& f) override {
    RETURN_IF_ERROR(internal::CheckLimit(f.limit));
    // The SQL text depends only on which filters are set, so the statement
    // cache holds one statement per combination actually used.
    std::string sql = "SELECT doc FROM orders WHERE id > ?";
    std::vector<std::string> text_params;
    if (f.involving_party) {
      sql += " AND (requester = ? OR supplier = ?)";
      text_params.push_back(*f.involving_party);
      text_params.push_back(*f.involving_party);
    }
    const std::pair<const char*, const std::optional<std::string>*> equal[] = {
        {"requester", &f.requester}, {"supplier", &f.supplier}, {"agreement", &f.agreement},
        {"facility", &f.facility},   {"unit", &f.unit}};
    for (const auto& [column, value] : equal) {
      if (!value->has_value()) continue;
      sql += std::string(" AND ") + column + " = ?";
      text_params.push_back(**value);
    }
    if (!f.states.empty()) {
      sql += " AND state IN (";
      for (auto s : f.states) {
        sql += sql.back() == '(' ? "?" : ", ?";
        text_params.emplace_back(orders::Name(s));
      }
      sql += ")";
    }
    sql += " ORDER BY id LIMIT ?";
    return Docs(sql, [&](Query& q) {
      int i = 1;
      q.Bind(i++, f.after_id);
      for (const auto& p : text_params) q.Bind(i++, p);
      q.Bind(i, f.limit);
    }, codec::OrderFromJson, "orders");
  }

  Result<int64_t> CountOrdersInYear(const std::string& agreement, int year) override {
    RETURN_IF_ERROR(CheckOpen());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare("SELECT COUNT(*) FROM orders WHERE agreement = ? AND created_year = ?"));
    q->Bind(1, agreement).Bind(2, static_cast<int64_t>(year));
    ASSIGN_OR_RETURN(bool row, q->Step());
    RELOS_CHECK(row, "COUNT() returns a row");
    return q->Int(0);
  }

  Result<std::optional<audit::Event>> LastEvent() override {
    ASSIGN_OR_RETURN(auto events, Events(std::string("SELECT ") + kEventColumns +
                                             " FROM events ORDER BY seq DESC LIMIT 1",
                                         [](Query&) {}));
    if (events.empty()) return std::optional<audit::Event>();
    return std::optional<audit::Event>(std::move(events.front()));
  }

  Status AppendEvent(const audit::Event& e) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT INTO events (") + kEventColumns +
                                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q->Bind(1, e.seq)
        .Bind(2, e.at.ToIso8601())
        .Bind(3, e.actor_party)
        .Bind(4, e.actor_role)
        .Bind(5, e.actor_name)
        .Bind(6, e.kind)
        .Bind(7, e.subject)
        .Bind(8, e.payload)
        .Bind(9, e.prev_hash)
        .Bind(10, e.hash);
    Status s = q->Run();
    if (s.code() == StatusCode::kAlreadyExists) return internal::DuplicateEventSeq(e.seq);
    return s;
  }

  Result<std::vector<audit::Event>> ListEvents(int64_t after_seq, int64_t limit) override {
    RETURN_IF_ERROR(internal::CheckLimit(limit));
    return Events(std::string("SELECT ") + kEventColumns + " FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                  [&](Query& q) { q.Bind(1, after_seq).Bind(2, limit); });
  }

  ledger::LedgerTables& Ledger() override { return *this; }
  auth::AuthTables& Auth() override { return *this; }

  Status PutUser(const auth::User& u) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT OR REPLACE INTO auth_users (") + kUserColumns +
                                            ") VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q->Bind(1, u.name).Bind(2, u.party).Bind(3, RolesText(u.roles)).Bind(4, u.password_hash).Bind(5, int64_t{u.disabled});
    q->Bind(6, u.created_at.unix_seconds()).Bind(7, u.updated_at.unix_seconds());
    return q->Run();
  }
  Result<auth::User> GetUser(const std::string& name) override {
    ASSIGN_OR_RETURN(auto found, Users(std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE name = ?",
                                       [&](Query& q) { q.Bind(1, name); }));
    if (found.empty()) return internal::NotFoundError("user", name);
    return std::move(found.front());
  }
  Result<std::vector<auth::User>> ListUsers() override {
    return Users(std::string("SELECT ") + kUserColumns + " FROM auth_users ORDER BY name", [](Query&) {});
  }
  Status InsertToken(const auth::Token& t) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto found, Users(std::string("SELECT ") + kUserColumns + " FROM auth_users WHERE name = ?",
                                       [&](Query& q) { q.Bind(1, t.user); }));
    if (found.empty()) return internal::NotFoundError("user", t.user);
    ASSIGN_OR_RETURN(auto taken, conn_->Prepare("SELECT 1 FROM auth_tokens WHERE token_hash = ?"));
    taken->Bind(1, t.token_hash);
    ASSIGN_OR_RETURN(bool exists, taken->Step());
    if (exists) return internal::DuplicateToken();
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT INTO auth_tokens (") + kTokenColumns +
                                            ") VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q->Bind(1, t.token_hash).Bind(2, t.user).Bind(3, std::string(auth::Name(t.kind))).Bind(4, t.label);
    q->Bind(5, t.created_at.unix_seconds()).Bind(6, t.expires_at.unix_seconds()).Bind(7, int64_t{t.revoked});
    return q->Run();
  }
  Result<auth::Token> GetToken(const std::string& token_hash) override {
    ASSIGN_OR_RETURN(auto found, Tokens(std::string("SELECT ") + kTokenColumns + " FROM auth_tokens WHERE token_hash = ?",
                                        [&](Query& q) { q.Bind(1, token_hash); }));
    if (found.empty()) return internal::UnknownToken();
    return std::move(found.front());
  }
  Status RevokeToken(const std::string& token_hash) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auth::Token t, GetToken(token_hash));
    ASSIGN_OR_RETURN(auto q, conn_->Prepare("UPDATE auth_tokens SET revoked = 1 WHERE token_hash = ?"));
    q->Bind(1, t.token_hash);
    return q->Run();
  }
  Result<int64_t> RevokeUserTokens(const std::string& user) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto count, conn_->Prepare("SELECT COUNT(*) FROM auth_tokens WHERE user = ? AND revoked = 0"));
    count->Bind(1, user);
    ASSIGN_OR_RETURN(bool row, count->Step());
    int64_t live = row ? count->Int(0) : 0;
    ASSIGN_OR_RETURN(auto q, conn_->Prepare("UPDATE auth_tokens SET revoked = 1 WHERE user = ? AND revoked = 0"));
    q->Bind(1, user);
    RETURN_IF_ERROR(q->Run());
    return live;
  }
  Result<std::vector<auth::Token>> ListTokens(const std::string& user) override {
    return Tokens(std::string("SELECT ") + kTokenColumns + " FROM auth_tokens WHERE user = ? ORDER BY seq",
                  [&](Query& q) { q.Bind(1, user); });
  }

  Status PutAccount(const ledger::Account& a) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT OR REPLACE INTO ledger_accounts (") + kAccountColumns +
                                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q->Bind(1, a.code)
        .Bind(2, a.agreement)
        .Bind(3, a.party)
        .Bind(4, a.purpose)
        .Bind(5, a.counterparty)
        .Bind(6, a.unit)
        .Bind(7, a.flags)
        .Bind(8, a.debits_pending)
        .Bind(9, a.debits_posted)
        .Bind(10, a.credits_pending)
        .Bind(11, a.credits_posted)
        .Bind(12, a.created_at.unix_seconds());
    return q->Run();
  }
  Result<ledger::Account> GetAccount(const std::string& code) override {
    ASSIGN_OR_RETURN(auto found, Accounts(std::string("SELECT ") + kAccountColumns + " FROM ledger_accounts WHERE code = ?",
                                          [&](Query& q) { q.Bind(1, code); }));
    if (found.empty()) return internal::NotFoundError("account", code);
    return std::move(found.front());
  }
  Result<std::vector<ledger::Account>> ListAccounts(const std::string& agreement) override {
    if (agreement.empty()) {
      return Accounts(std::string("SELECT ") + kAccountColumns + " FROM ledger_accounts ORDER BY code", [](Query&) {});
    }
    return Accounts(std::string("SELECT ") + kAccountColumns + " FROM ledger_accounts WHERE agreement = ? ORDER BY code",
                    [&](Query& q) { q.Bind(1, agreement); });
  }

  Result<int64_t> InsertTransfer(const ledger::Transfer& t) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT INTO ledger_transfers (") + kTransferColumns +
                                            ") VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q->Bind(1, t.id)
        .Bind(2, t.debit_account)
        .Bind(3, t.credit_account)
        .Bind(4, t.amount)
        .Bind(5, t.unit)
        .Bind(6, std::string(ledger::Name(t.kind)))
        .Bind(7, t.pending_id)
        .Bind(8, t.code)
        .Bind(9, t.agreement)
        .Bind(10, t.order)
        .Bind(11, t.line_no)
        .Bind(12, t.reference)
        .Bind(13, t.corrects)
        .Bind(14, t.at.unix_seconds());
    Status s = q->Run();
    if (s.code() == StatusCode::kAlreadyExists) return internal::DuplicateTransfer(t.id);
    RETURN_IF_ERROR(s);
    return static_cast<int64_t>(sqlite3_last_insert_rowid(conn_->db()));
  }
  Result<std::optional<ledger::Transfer>> FindTransfer(const std::string& id) override {
    ASSIGN_OR_RETURN(auto found, Transfers(std::string("SELECT ") + kTransferColumns + " FROM ledger_transfers WHERE id = ?",
                                           [&](Query& q) { q.Bind(1, id); }));
    if (found.empty()) return std::optional<ledger::Transfer>();
    return std::optional<ledger::Transfer>(std::move(found.front()));
  }
  Result<std::vector<ledger::Transfer>> ListTransfers(const ledger::TransferFilter& f) override {
    RETURN_IF_ERROR(internal::CheckLimit(f.limit));
    // The statement shape depends only on which filters are set, so the
    // prepared-statement cache holds a handful of shapes.
    std::string where = "seq > ?";
    std::string range;
    if (f.from) range += " AND at >= ?";
    if (f.to) range += " AND at < ?";
    if (f.account) {
      // Two index range scans (debit side, credit side) rather than a scan
      // of the whole table.
      where += " AND seq IN (SELECT seq FROM ledger_transfers WHERE debit_account = ?" + range +
               " UNION ALL SELECT seq FROM ledger_transfers WHERE credit_account = ?" + range + ")";
    }
    if (f.order) where += " AND order_number = ?";
    if (f.pending_id) where += " AND pending_id = ?";
    if (f.reference) where += " AND reference = ?";
    if (f.from) where += " AND at >= ?";
    if (f.to) where += " AND at < ?";
    return Transfers(std::string("SELECT ") + kTransferColumns + " FROM ledger_transfers WHERE " + where +
                         " ORDER BY seq LIMIT ?",
                     [&](Query& q) {
                       int i = 1;
                       q.Bind(i++, f.after_seq);
                       auto bind_range = [&] {
                         if (f.from) q.Bind(i++, f.from->unix_seconds());
                         if (f.to) q.Bind(i++, f.to->unix_seconds());
                       };
                       if (f.account) {
                         q.Bind(i++, *f.account);
                         bind_range();
                         q.Bind(i++, *f.account);
                         bind_range();
                       }
                       if (f.order) q.Bind(i++, *f.order);
                       if (f.pending_id) q.Bind(i++, *f.pending_id);
                       if (f.reference) q.Bind(i++, *f.reference);
                       bind_range();
                       q.Bind(i, f.limit);
                     });
  }

  Status PutRecord(const ledger::Record& r) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT OR REPLACE INTO ledger_records (") + kRecordColumns +
                                            ") VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q->Bind(1, r.kind).Bind(2, r.key).Bind(3, r.agreement).Bind(4, r.ref).Bind(5, r.status).Bind(6, r.at.unix_seconds());
    q->Bind(7, r.body);
    return q->Run();
  }
  Result<std::optional<ledger::Record>> FindRecord(const std::string& kind, const std::string& key) override {
    ASSIGN_OR_RETURN(auto found, Records(std::string("SELECT ") + kRecordColumns +
                                             " FROM ledger_records WHERE kind = ? AND key = ?",
                                         [&](Query& q) { q.Bind(1, kind).Bind(2, key); }));
    if (found.empty()) return std::optional<ledger::Record>();
    return std::optional<ledger::Record>(std::move(found.front()));
  }
  Result<std::vector<ledger::Record>> ListRecords(const ledger::RecordFilter& f) override {
    std::string where = "kind = ?";
    if (f.agreement) where += " AND agreement = ?";
    if (f.ref) where += " AND ref = ?";
    if (f.status) where += " AND status = ?";
    return Records(std::string("SELECT ") + kRecordColumns + " FROM ledger_records WHERE " + where + " ORDER BY key",
                   [&](Query& q) {
                     int i = 1;
                     q.Bind(i++, f.kind);
                     if (f.agreement) q.Bind(i++, *f.agreement);
                     if (f.ref) q.Bind(i++, *f.ref);
                     if (f.status) q.Bind(i++, *f.status);
                   });
  }

  capacity::CapacityTables& Capacity() override { return *this; }
  capacity::ExerciseTables& Exercises() override { return *this; }

  Status InsertReservation(const capacity::Reservation& r) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT INTO capacity_reservations (") + kReservationColumns +
                                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q->Bind(1, r.order).Bind(2, r.line_no).Bind(3, r.facility).Bind(4, r.resource).Bind(5, r.unit).Bind(6, r.amount);
    q->Bind(7, r.start.unix_seconds()).Bind(8, r.end.unix_seconds());
    Status s = q->Run();
    if (s.code() == StatusCode::kAlreadyExists) return internal::DuplicateReservation(r.order, r.line_no, r.resource);
    return s;
  }
  Result<std::vector<capacity::Reservation>> ListReservations(const capacity::ReservationFilter& f) override {
    std::string where = "1";
    if (f.facility) where += " AND facility = ?";
    if (f.resource) where += " AND resource = ?";
    if (f.order) where += " AND order_number = ?";
    if (f.to) where += " AND start_at < ?";
    if (f.from) where += " AND end_at >= ?";
    return Rows<capacity::Reservation>(
        std::string("SELECT ") + kReservationColumns + " FROM capacity_reservations WHERE " + where +
            " ORDER BY facility, resource, start_at, order_number, line_no",
        [&](Query& q) {
          int i = 1;
          if (f.facility) q.Bind(i++, *f.facility);
          if (f.resource) q.Bind(i++, *f.resource);
          if (f.order) q.Bind(i++, *f.order);
          if (f.to) q.Bind(i++, f.to->unix_seconds());
          if (f.from) q.Bind(i++, f.from->unix_seconds());
        },
        [](Query& q) -> Result<capacity::Reservation> {
          return capacity::Reservation{q.Text(0), q.Int(1), q.Text(2), q.Text(3), q.Text(4),
                                       q.Int(5),  Timestamp(q.Int(6)), Timestamp(q.Int(7))};
        });
  }
  Status DeleteReservation(const std::string& order, int64_t line_no, const std::string& resource) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare("DELETE FROM capacity_reservations WHERE order_number = ? AND line_no = ? "
                                            "AND resource = ?"));
    q->Bind(1, order).Bind(2, line_no).Bind(3, resource);
    RETURN_IF_ERROR(q->Run());
    if (sqlite3_changes(conn_->db()) == 0) {
      return internal::NotFoundError("reservation", internal::ReservationKey(order, line_no, resource));
    }
    return OkStatus();
  }

  Status InsertReplenishment(const capacity::FuelReplenishment& r) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare("INSERT INTO capacity_replenishments (id, facility, grade, amount, at, note) "
                                            "VALUES (?, ?, ?, ?, ?, ?)"));
    q->Bind(1, r.id).Bind(2, r.facility).Bind(3, r.grade).Bind(4, r.amount).Bind(5, r.at.unix_seconds()).Bind(6, r.note);
    Status s = q->Run();
    if (s.code() == StatusCode::kAlreadyExists) return internal::DuplicateReplenishment(r.id);
    return s;
  }
  Result<std::vector<capacity::FuelReplenishment>> ListReplenishments(const std::string& facility,
                                                                      const std::string& grade) override {
    return Rows<capacity::FuelReplenishment>(
        std::string("SELECT id, facility, grade, amount, at, note FROM capacity_replenishments WHERE facility = ?") +
            (grade.empty() ? "" : " AND grade = ?") + " ORDER BY at, id",
        [&](Query& q) {
          q.Bind(1, facility);
          if (!grade.empty()) q.Bind(2, grade);
        },
        [](Query& q) -> Result<capacity::FuelReplenishment> {
          return capacity::FuelReplenishment{q.Text(0), q.Text(1), q.Text(2), q.Int(3), Timestamp(q.Int(4)), q.Text(5)};
        });
  }

  Status PutExercise(const capacity::ExerciseRow& r) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT OR REPLACE INTO exercises (") + kExerciseColumns +
                                            ") VALUES (?, ?, ?, ?, ?, ?)"));
    q->Bind(1, r.code).Bind(2, r.status).Bind(3, r.start.unix_seconds()).Bind(4, r.end.unix_seconds());
    q->Bind(5, r.version).Bind(6, r.body);
    return q->Run();
  }
  Result<std::optional<capacity::ExerciseRow>> FindExercise(const std::string& code) override {
    ASSIGN_OR_RETURN(auto found, ExerciseRows(" WHERE code = ?", [&](Query& q) { q.Bind(1, code); }));
    if (found.empty()) return std::optional<capacity::ExerciseRow>();
    return std::optional<capacity::ExerciseRow>(std::move(found.front()));
  }
  Result<std::vector<capacity::ExerciseRow>> ListExercises() override {
    return ExerciseRows(" ORDER BY code", [](Query&) {});
  }

  Status Commit() override {
    RETURN_IF_ERROR(CheckOpen());
    Status s = conn_->Exec("COMMIT");
    if (!s.ok()) {
      // The transaction is over either way: roll back what is left so the
      // connection can be reused, and report why the commit failed.
      if (!conn_->Idle()) conn_->Exec("ROLLBACK").IgnoreError();
      End();
      return s.code() == StatusCode::kAborted || s.code() == StatusCode::kUnavailable
                 ? s
                 : Unavailable("commit failed: " + s.message(), "storage.commit");
    }
    End();
    return OkStatus();
  }

 private:
  Status CheckOpen() const { return conn_ == nullptr ? internal::FinishedTransaction() : OkStatus(); }
  Status CheckWritable() const {
    RETURN_IF_ERROR(CheckOpen());
    return writable_ ? OkStatus() : internal::ReadOnlyTransaction();
  }

  // Returns the connection and, for a writer, opens the gate.
  void End() {
    pool_->Release(std::move(conn_));
    if (writable_) pool_->LeaveWriter();
  }

  friend class internal::SqlRegistryTransaction<SqliteTransaction>;

  Status PutDoc(const RegistryTable& t, const std::string& code,
             const std::vector<std::pair<const char*, std::string>>& keys, const Json& doc) {
    RETURN_IF_ERROR(CheckWritable());
    std::string columns = "code";
    std::string params = "?";
    for (const auto& [column, value] : keys) {
      columns += std::string(", ") + column;
      params += ", ?";
    }
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(std::string("INSERT OR REPLACE INTO ") + t.table + " (" + columns +
                                            ", doc) VALUES (" + params + ", ?)"));
    int i = 1;
    q->Bind(i++, code);
    for (const auto& [column, value] : keys) q->Bind(i++, value);
    q->Bind(i, Doc(doc));
    return q->Run();
  }

  template <typename T>
  Result<T> GetDoc(const RegistryTable& t, const std::string& code, Result<T> (*decode)(const Json&, const std::string&)) {
    ASSIGN_OR_RETURN(auto found, Docs(std::string("SELECT doc FROM ") + t.table + " WHERE code = ?",
                                      [&](Query& q) { q.Bind(1, code); }, decode, std::string(t.table) + " " + code));
    if (found.empty()) return internal::NotFoundError(t.what, code);
    return std::move(found.front());
  }

  template <typename T>
  Result<std::vector<T>> ListDocs(const RegistryTable& t, Result<T> (*decode)(const Json&, const std::string&)) {
    // ORDER BY code compares bytes, as std::map<std::string> does in memory.
    return Docs(std::string("SELECT doc FROM ") + t.table + " ORDER BY code", {}, decode, t.table);
  }

  // Runs `sql` (whose only column is a codec document) and decodes each row.
  template <typename T, typename BindFn = std::nullptr_t>
  Result<std::vector<T>> Docs(const std::string& sql, BindFn bind, Result<T> (*decode)(const Json&, const std::string&),
                              const std::string& where) {
    RETURN_IF_ERROR(CheckOpen());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(sql));
    if constexpr (!std::is_same_v<BindFn, std::nullptr_t>) bind(*q);
    std::vector<T> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      ASSIGN_OR_RETURN(T v, FromDoc(q->Text(0), decode, where));
      out.push_back(std::move(v));
    }
    return out;
  }

  template <typename BindFn>
  Result<std::optional<orders::Order>> OneOrder(const std::string& sql, BindFn bind) {
    ASSIGN_OR_RETURN(auto found, Docs(sql, bind, codec::OrderFromJson, "orders"));
    if (found.empty()) return std::optional<orders::Order>();
    return std::optional<orders::Order>(std::move(found.front()));
  }

  template <typename BindFn>
  Result<std::vector<audit::Event>> Events(const std::string& sql, BindFn bind) {
    return Rows<audit::Event>(sql, bind, EventFromRow<Query>);
  }

  // Runs `sql` and maps each row with `row` (columns in the table's order).
  template <typename T, typename BindFn, typename RowFn>
  Result<std::vector<T>> Rows(const std::string& sql, BindFn bind, RowFn row) {
    RETURN_IF_ERROR(CheckOpen());
    ASSIGN_OR_RETURN(auto q, conn_->Prepare(sql));
    bind(*q);
    std::vector<T> out;
    while (true) {
      ASSIGN_OR_RETURN(bool more, q->Step());
      if (!more) break;
      ASSIGN_OR_RETURN(T v, row(*q));
      out.push_back(std::move(v));
    }
    return out;
  }

  template <typename BindFn>
  Result<std::vector<ledger::Account>> Accounts(const std::string& sql, BindFn bind) {
    return Rows<ledger::Account>(sql, bind, AccountFromRow<Query>);
  }

  template <typename BindFn>
  Result<std::vector<ledger::Transfer>> Transfers(const std::string& sql, BindFn bind) {
    return Rows<ledger::Transfer>(sql, bind, TransferFromRow<Query>);
  }

  template <typename BindFn>
  Result<std::vector<ledger::Record>> Records(const std::string& sql, BindFn bind) {
    return Rows<ledger::Record>(sql, bind, RecordFromRow<Query>);
  }

  template <typename BindFn>
  Result<std::vector<auth::User>> Users(const std::string& sql, BindFn bind) {
    return Rows<auth::User>(sql, bind, UserFromRow<Query>);
  }

  template <typename BindFn>
  Result<std::vector<auth::Token>> Tokens(const std::string& sql, BindFn bind) {
    return Rows<auth::Token>(sql, bind, TokenFromRow<Query>);
  }

  template <typename BindFn>
  Result<std::vector<capacity::ExerciseRow>> ExerciseRows(const std::string& tail, BindFn bind) {
    return Rows<capacity::ExerciseRow>(std::string("SELECT ") + kExerciseColumns + " FROM exercises" + tail, bind,
                                       [](Query& q) -> Result<capacity::ExerciseRow> {
                                         return capacity::ExerciseRow{q.Text(0), q.Text(1), Timestamp(q.Int(2)),
                                                                      Timestamp(q.Int(3)), q.Int(4), q.Text(5)};
                                       });
  }

  // AlreadyExists if another order (not `self`) has o's number or, for a
  // non-empty key, o's (requester, idempotency_key).
  Status CheckOrderKeysFree(const orders::Order& o, int64_t self) {
    ASSIGN_OR_RETURN(auto by_number, conn_->Prepare("SELECT 1 FROM orders WHERE number = ? AND id <> ?"));
    by_number->Bind(1, o.number).Bind(2, self);
    ASSIGN_OR_RETURN(bool taken, by_number->Step());
    if (taken) return internal::DuplicateOrderNumber(o.number);
    if (o.idempotency_key.empty()) return OkStatus();
    ASSIGN_OR_RETURN(auto by_key, conn_->Prepare("SELECT 1 FROM orders WHERE requester = ? AND idempotency_key = ? "
                                                 "AND idempotency_key <> '' AND id <> ?"));
    by_key->Bind(1, o.requester).Bind(2, o.idempotency_key).Bind(3, self);
    ASSIGN_OR_RETURN(taken, by_key->Step());
    if (taken) return internal::DuplicateIdempotencyKey(o.requester, o.idempotency_key);
    return OkStatus();
  }

  // Binds parameters 1..12 in the column order of the orders table.
  static void BindOrder(Query& q, const orders::Order& o) {
    q.Bind(1, o.id)
        .Bind(2, o.number)
        .Bind(3, o.agreement)
        .Bind(4, o.requester)
        .Bind(5, o.supplier)
        .Bind(6, o.facility)
        .Bind(7, o.unit)
        .Bind(8, std::string(orders::Name(o.state)))
        .Bind(9, o.idempotency_key)
        .Bind(10, o.version)
        .Bind(11, static_cast<int64_t>(o.created_at.Year()))
        .Bind(12, Doc(codec::ToJson(o)));
  }

  internal::SqlitePool* pool_;
  std::unique_ptr<Connection> conn_;  // null once committed or rolled back
  bool writable_;
};

// Brings the database to the latest schema in one write transaction.
Status Migrate(Connection& conn, const std::string& path) {
  const auto& migrations = internal::SchemaMigrations(internal::SqlDialect::kSqlite);
  RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  auto apply = [&]() -> Status {
    RETURN_IF_ERROR(conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                              "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
    ASSIGN_OR_RETURN(auto current, conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    ASSIGN_OR_RETURN(bool row, current->Step());
    RELOS_CHECK(row, "MAX() returns a row");
    int64_t version = current->Int(0);
    current.reset();
    int latest = migrations.empty() ? 0 : migrations.back().version;
    if (version > latest) {
      return FailedPrecondition(path + " has schema version " + std::to_string(version) + " but this relos knows only up to " +
                                    std::to_string(latest) + "; use a newer relos",
                                "storage.schema_too_new");
    }
    // Every migration the file lacks, not only those above its highest: a
    // number reserved for one module may land after a higher one, and a file
    // written in between must still get it.
    std::set<int64_t> applied;
    {
      ASSIGN_OR_RETURN(auto q, conn.Prepare("SELECT version FROM schema_migrations"));
      while (true) {
        ASSIGN_OR_RETURN(bool more, q->Step());
        if (!more) break;
        applied.insert(q->Int(0));
      }
    }
    int previous = 0;
    for (const auto& m : migrations) {
      RELOS_CHECK(m.version > previous, "migration versions must increase");
      previous = m.version;
      if (applied.count(m.version)) continue;
      Status s = conn.Exec(m.sql);
      if (!s.ok()) return s.WithContext("migration " + std::to_string(m.version) + " (" + m.name + ")");
      ASSIGN_OR_RETURN(auto record, conn.Prepare("INSERT INTO schema_migrations (version, name, applied_at) "
                                                 "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"));
      record->Bind(1, static_cast<int64_t>(m.version)).Bind(2, std::string(m.name));
      RETURN_IF_ERROR(record->Run());
    }
    return OkStatus();
  };
  Status s = apply();
  if (!s.ok()) {
    conn.Exec("ROLLBACK").IgnoreError();
    return s;
  }
  return conn.Exec("COMMIT");
}

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<internal::SqlitePool> pool) : pool_(std::move(pool)) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  auto pool = std::make_unique<internal::SqlitePool>(path);
  ASSIGN_OR_RETURN(auto conn, pool->Acquire());
  Status s = Migrate(*conn, path);
  if (!s.ok()) {
    if (s.code() == StatusCode::kAborted) s = Unavailable(s.message(), s.reason());  // locked beyond the timeout
    return s.WithContext("opening " + path);
  }
  pool->Release(std::move(conn));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(pool)));
}

int SqliteStore::LatestSchemaVersion() {
  const auto& migrations = internal::SchemaMigrations(internal::SqlDialect::kSqlite);
  return migrations.empty() ? 0 : migrations.back().version;
}

Result<int> SqliteStore::SchemaVersion() {
  ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  int version = 0;
  {
    ASSIGN_OR_RETURN(auto q, conn->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    ASSIGN_OR_RETURN(bool row, q->Step());
    RELOS_CHECK(row, "MAX() returns a row");
    version = static_cast<int>(q->Int(0));
  }
  pool_->Release(std::move(conn));
  return version;
}

Result<std::unique_ptr<Transaction>> SqliteStore::BeginWrite() {
  pool_->EnterWriter();
  auto conn = pool_->Acquire();
  if (!conn.ok()) {
    pool_->LeaveWriter();
    return conn.status();
  }
  Status s = (*conn)->Exec("BEGIN IMMEDIATE");
  if (!s.ok()) {
    pool_->Release(std::move(*conn));
    pool_->LeaveWriter();
    // Busy here means another process held the write lock for the whole
    // busy timeout: the database is unavailable to us for now.
    if (s.code() == StatusCode::kAborted) return Unavailable(s.message(), "storage.busy");
    return s;
  }
  return std::unique_ptr<Transaction>(std::make_unique<SqliteTransaction>(pool_.get(), std::move(*conn), true));
}

Result<std::unique_ptr<Transaction>> SqliteStore::BeginRead() {
  ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  Status s = conn->Exec("BEGIN");
  if (!s.ok()) {
    pool_->Release(std::move(conn));
    return s;
  }
  return std::unique_ptr<Transaction>(std::make_unique<SqliteTransaction>(pool_.get(), std::move(conn), false));
}

}  // namespace relos::storage

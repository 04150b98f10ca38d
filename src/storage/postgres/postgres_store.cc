#include "relos/storage/postgres_store.h"

#include <mutex>
#include <set>
#include <utility>
#include <vector>

#include "pg_conn.h"
#include "relos/codec/codec.h"
#include "storage/schema_migrations.h"
#include "storage/sql_rows.h"
#include "storage/store_errors.h"

namespace relos::storage {

namespace internal {

// The key of the advisory lock that every write transaction (and every
// migration) holds: "relos" in ASCII. Advisory locks are per database, so
// two relos databases on one server do not contend.
constexpr char kLockWriter[] = "SELECT pg_advisory_xact_lock(491327876979)";
// Every writer: begin, then wait (at most 30 s, then Unavailable) for the
// writer lock. The statements after it each take a fresh READ COMMITTED
// snapshot, so they see every transaction committed before the lock was
// granted.
const std::string kBeginWrite =
    std::string("BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '30s'; ") + kLockWriter;
constexpr char kBeginRead[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

// The idle connections of one database.
class PgPool {
 public:
  explicit PgPool(std::string url) : url_(std::move(url)) {}

  const std::string& url() const { return url_; }

  // An idle connection, or a new one.
  Result<std::unique_ptr<PgConnection>> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      while (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        if (conn->Healthy()) return conn;
      }
    }
    return PgConnection::Open(url_);
  }

  // Takes a connection back; one that is broken or still inside a
  // transaction (a failed ROLLBACK) is closed rather than reused.
  void Release(std::unique_ptr<PgConnection> conn) {
    if (conn == nullptr || !conn->Healthy() || !conn->Idle()) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(conn));
  }

  // A connection with a transaction begun by `begin`. An idle connection
  // whose server went away (a restart) is only found out when used: then
  // one fresh connection is tried before giving up.
  Result<std::unique_ptr<PgConnection>> Begin(const std::string& begin) {
    for (int attempt = 0;; ++attempt) {
      ASSIGN_OR_RETURN(auto conn, Acquire());
      auto begun = conn->Exec(begin);
      if (begun.ok()) return conn;
      if (!conn->Healthy() && attempt == 0) continue;
      if (conn->Healthy() && !conn->Idle()) conn->Exec("ROLLBACK").status().IgnoreError();
      Release(std::move(conn));
      return begun.status();
    }
  }

 private:
  static constexpr size_t kMaxIdle = 8;
  const std::string url_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
};

}  // namespace internal

namespace {

using codec::Json;
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
using internal::PgConnection;
using internal::PgParams;
using internal::PgRow;
using internal::PgRows;
using internal::RecordFromRow;
using internal::RegistryTable;
using internal::RolesText;
using internal::TokenFromRow;
using internal::TransferFromRow;
using internal::UserFromRow;

// "$1, $2, ... $n" for n parameters starting at `first`.
std::string Placeholders(int first, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i == 0 ? "$" : ", $") + std::to_string(first + i);
  return out;
}

constexpr char kPgReservationColumns[] = "order_number, line_no, facility, resource, unit, amount, start_at, end_at";
constexpr char kPgExerciseColumns[] = "code, status, start_at, end_at, version, body";

class PostgresTransaction final : public internal::SqlRegistryTransaction<PostgresTransaction>,
                                  public ledger::LedgerTables,
                                  public auth::AuthTables,
                                  public capacity::CapacityTables,
                                  public capacity::ExerciseTables {
 public:
  PostgresTransaction(internal::PgPool* pool, std::unique_ptr<PgConnection> conn, bool writable)
      : pool_(pool), conn_(std::move(conn)), writable_(writable) {}

  ~PostgresTransaction() override {
    if (conn_ != nullptr) {
      // A failed ROLLBACK leaves the connection inside a transaction or
      // broken; the pool then closes it, which rolls back on the server.
      conn_->Exec("ROLLBACK").status().IgnoreError();
      pool_->Release(std::move(conn_));
    }
  }

  Status ReplaceFuelCompatibility(const std::vector<registry::FuelCompatibility>& table) override {
    RETURN_IF_ERROR(CheckWritable());
    RETURN_IF_ERROR(conn_->Run("DELETE FROM fuel_compatibility").status());
    for (size_t i = 0; i < table.size(); ++i) {
      RETURN_IF_ERROR(conn_
                          ->Run("INSERT INTO fuel_compatibility (position, unit_grade, supplied_grade, doc) "
                                "VALUES ($1, $2, $3, $4)",
                                PgParams()
                                    .Add(static_cast<int64_t>(i))
                                    .Add(table[i].unit_grade)
                                    .Add(table[i].supplied_grade)
                                    .Add(Doc(codec::ToJson(table[i]))))
                          .status());
    }
    return OkStatus();
  }

  Result<std::vector<registry::FuelCompatibility>> ListFuelCompatibility() override {
    return Docs("SELECT doc FROM fuel_compatibility ORDER BY position", {}, codec::FuelCompatibilityFromJson,
                "fuel_compatibility");
  }

  Result<int64_t> InsertOrder(const orders::Order& o) override {
    RETURN_IF_ERROR(CheckWritable());
    // Checked first, for the same messages as the other backends, and
    // because a failed statement would abort the whole PostgreSQL
    // transaction. The writer lock keeps anything from slipping in between.
    RETURN_IF_ERROR(CheckOrderKeysFree(o, 0));
    // The stored document carries the id, so it is chosen first.
    ASSIGN_OR_RETURN(PgRows next, conn_->Run("SELECT COALESCE(MAX(id), 0) + 1 FROM orders"));
    orders::Order stored = o;
    stored.id = next[0].Int(0);
    RETURN_IF_ERROR(conn_
                        ->Run("INSERT INTO orders (number, agreement, requester, supplier, facility, unit, state, "
                              "idempotency_key, version, created_year, doc, id) VALUES (" +
                                  Placeholders(1, 12) + ")",
                              OrderParams(stored).Add(stored.id))
                        .status());
    return stored.id;
  }

  Status UpdateOrder(const orders::Order& o) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgRows current, conn_->Run("SELECT version FROM orders WHERE id = $1", PgParams().Add(o.id)));
    if (current.empty()) return internal::NotFoundError("order", std::to_string(o.id));
    int64_t stored_version = current[0].Int(0);
    if (stored_version != o.version - 1) return internal::StaleOrderVersion(o.id, stored_version, o.version);
    RETURN_IF_ERROR(CheckOrderKeysFree(o, o.id));
    return conn_
        ->Run("UPDATE orders SET number = $1, agreement = $2, requester = $3, supplier = $4, facility = $5, "
              "unit = $6, state = $7, idempotency_key = $8, version = $9, created_year = $10, doc = $11 "
              "WHERE id = $12",
              OrderParams(o).Add(o.id))
        .status();
  }

  Result<orders::Order> GetOrder(int64_t id) override {
    ASSIGN_OR_RETURN(auto found, OneOrder("SELECT doc FROM orders WHERE id = $1", PgParams().Add(id)));
    if (!found) return internal::NotFoundError("order", std::to_string(id));
    return *std::move(found);
  }

  Result<orders::Order> GetOrderByNumber(const std::string& number) override {
    ASSIGN_OR_RETURN(auto found, OneOrder("SELECT doc FROM orders WHERE number = $1", PgParams().Add(number)));
    if (!found) return internal::NotFoundError("order", number);
    return *std::move(found);
  }

  Result<std::optional<orders::Order>> FindOrderByIdempotencyKey(const std::string& requester,
                                                               const std::string& key) override {
    // "idempotency_key <> ''" lets the planner use the partial unique index.
    return OneOrder("SELECT doc FROM orders WHERE requester = $1 AND idempotency_key = $2 AND idempotency_key <> ''",
                    PgParams().Add(requester).Add(key));
  }

  Result<std::vector<orders::Order>> ListOrders(const OrderFilter& f) override {
    RETURN_IF_ERROR(internal::CheckLimit(f.limit));
    // The SQL text depends only on which filters are set, so each
    // connection prepares one statement per combination actually used.
    PgParams params;
    auto param = [&](auto value) {
      params.Add(std::move(value));
      return "$" + std::to_string(params.values().size());
    };
    std::string sql = "SELECT doc FROM orders WHERE id > " + param(f.after_id);
    if (f.involving_party) {
      std::string p = param(*f.involving_party);
      sql += " AND (requester = " + p + " OR supplier = " + p + ")";
    }
    const std::pair<const char*, const std::optional<std::string>*> equal[] = {
        {"requester", &f.requester}, {"supplier", &f.supplier}, {"agreement", &f.agreement},
        {"facility", &f.facility},   {"unit", &f.unit}};
    for (const auto& [column, value] : equal) {
      if (value->has_value()) sql += std::string(" AND ") + column + " = " + param(**value);
    }
    if (!f.states.empty()) {
      sql += " AND state IN (";
      for (auto s : f.states) sql += (sql.back() == '(' ? "" : ", ") + param(std::string(orders::Name(s)));
      sql += ")";
    }
    sql += " ORDER BY id LIMIT " + param(f.limit);
    return Docs(sql, params, codec::OrderFromJson, "orders");
  }

  Result<int64_t> CountOrdersInYear(const std::string& agreement, int year) override {
    RETURN_IF_ERROR(CheckOpen());
    ASSIGN_OR_RETURN(PgRows rows, conn_->Run("SELECT COUNT(*) FROM orders WHERE agreement = $1 AND created_year = $2",
                                             PgParams().Add(agreement).Add(static_cast<int64_t>(year))));
    return rows[0].Int(0);
  }

  Result<std::optional<audit::Event>> LastEvent() override {
    ASSIGN_OR_RETURN(auto events,
                     Rows<audit::Event>(std::string("SELECT ") + kEventColumns + " FROM events ORDER BY seq DESC LIMIT 1",
                                        {}, EventFromRow<PgRow>));
    if (events.empty()) return std::optional<audit::Event>();
    return std::optional<audit::Event>(std::move(events.front()));
  }

  Status AppendEvent(const audit::Event& e) override {
    RETURN_IF_ERROR(CheckWritable());
    // ON CONFLICT DO NOTHING reports a taken seq without aborting the
    // transaction, as a failed INSERT would.
    ASSIGN_OR_RETURN(PgRows rows, conn_->Run(std::string("INSERT INTO events (") + kEventColumns + ") VALUES (" +
                                                 Placeholders(1, 10) + ") ON CONFLICT (seq) DO NOTHING RETURNING seq",
                                             PgParams()
                                                 .Add(e.seq)
                                                 .Add(e.at.ToIso8601())
                                                 .Add(e.actor_party)
                                                 .Add(e.actor_role)
                                                 .Add(e.actor_name)
                                                 .Add(e.kind)
                                                 .Add(e.subject)
                                                 .Add(e.payload)
                                                 .Add(e.prev_hash)
                                                 .Add(e.hash)));
    if (rows.empty()) return internal::DuplicateEventSeq(e.seq);
    return OkStatus();
  }

  Result<std::vector<audit::Event>> ListEvents(int64_t after_seq, int64_t limit) override {
    RETURN_IF_ERROR(internal::CheckLimit(limit));
    return Rows<audit::Event>(std::string("SELECT ") + kEventColumns + " FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
                              PgParams().Add(after_seq).Add(limit), EventFromRow<PgRow>);
  }

  ledger::LedgerTables& Ledger() override { return *this; }

  Status PutAccount(const ledger::Account& a) override {
    RETURN_IF_ERROR(CheckWritable());
    return conn_
        ->Run(std::string("INSERT INTO ledger_accounts (") + kAccountColumns + ") VALUES (" + Placeholders(1, 12) +
                  ") ON CONFLICT (code) DO UPDATE SET agreement = EXCLUDED.agreement, party = EXCLUDED.party, "
                  "purpose = EXCLUDED.purpose, counterparty = EXCLUDED.counterparty, unit = EXCLUDED.unit, "
                  "flags = EXCLUDED.flags, debits_pending = EXCLUDED.debits_pending, "
                  "debits_posted = EXCLUDED.debits_posted, credits_pending = EXCLUDED.credits_pending, "
                  "credits_posted = EXCLUDED.credits_posted, created_at = EXCLUDED.created_at",
              PgParams()
                  .Add(a.code)
                  .Add(a.agreement)
                  .Add(a.party)
                  .Add(a.purpose)
                  .Add(a.counterparty)
                  .Add(a.unit)
                  .Add(a.flags)
                  .Add(a.debits_pending)
                  .Add(a.debits_posted)
                  .Add(a.credits_pending)
                  .Add(a.credits_posted)
                  .Add(a.created_at.unix_seconds()))
        .status();
  }
  Result<ledger::Account> GetAccount(const std::string& code) override {
    ASSIGN_OR_RETURN(auto found,
                     Rows<ledger::Account>(std::string("SELECT ") + kAccountColumns + " FROM ledger_accounts WHERE code = $1",
                                           PgParams().Add(code), AccountFromRow<PgRow>));
    if (found.empty()) return internal::NotFoundError("account", code);
    return std::move(found.front());
  }
  Result<std::vector<ledger::Account>> ListAccounts(const std::string& agreement) override {
    if (agreement.empty()) {
      return Rows<ledger::Account>(std::string("SELECT ") + kAccountColumns + " FROM ledger_accounts ORDER BY code", {},
                                   AccountFromRow<PgRow>);
    }
    return Rows<ledger::Account>(std::string("SELECT ") + kAccountColumns +
                                     " FROM ledger_accounts WHERE agreement = $1 ORDER BY code",
                                 PgParams().Add(agreement), AccountFromRow<PgRow>);
  }

  Result<int64_t> InsertTransfer(const ledger::Transfer& t) override {
    RETURN_IF_ERROR(CheckWritable());
    // seq is the next number under the writer lock; a taken id inserts
    // nothing and returns no row (rather than aborting the transaction).
    ASSIGN_OR_RETURN(PgRows rows,
                     conn_->Run(std::string("INSERT INTO ledger_transfers (") + kTransferColumns +
                                    ") VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger_transfers), " +
                                    Placeholders(1, 14) + ") ON CONFLICT (id) DO NOTHING RETURNING seq",
                                PgParams()
                                    .Add(t.id)
                                    .Add(t.debit_account)
                                    .Add(t.credit_account)
                                    .Add(t.amount)
                                    .Add(t.unit)
                                    .Add(std::string(ledger::Name(t.kind)))
                                    .Add(t.pending_id)
                                    .Add(t.code)
                                    .Add(t.agreement)
                                    .Add(t.order)
                                    .Add(t.line_no)
                                    .Add(t.reference)
                                    .Add(t.corrects)
                                    .Add(t.at.unix_seconds())));
    if (rows.empty()) return internal::DuplicateTransfer(t.id);
    return rows[0].Int(0);
  }
  Result<std::optional<ledger::Transfer>> FindTransfer(const std::string& id) override {
    ASSIGN_OR_RETURN(auto found, Rows<ledger::Transfer>(std::string("SELECT ") + kTransferColumns +
                                                            " FROM ledger_transfers WHERE id = $1",
                                                        PgParams().Add(id), TransferFromRow<PgRow>));
    if (found.empty()) return std::optional<ledger::Transfer>();
    return std::optional<ledger::Transfer>(std::move(found.front()));
  }
  Result<std::vector<ledger::Transfer>> ListTransfers(const ledger::TransferFilter& f) override {
    RETURN_IF_ERROR(internal::CheckLimit(f.limit));
    // The statement shape depends only on which filters are set.
    PgParams params;
    auto param = [&](auto value) {
      params.Add(std::move(value));
      return "$" + std::to_string(params.values().size());
    };
    std::string where = "seq > " + param(f.after_seq);
    std::string range;
    if (f.from) range += " AND at >= " + param(f.from->unix_seconds());
    if (f.to) range += " AND at < " + param(f.to->unix_seconds());
    if (f.account) {
      // Two index range scans (debit side, credit side) rather than a scan
      // of the whole table.
      std::string account = param(*f.account);
      where += " AND seq IN (SELECT seq FROM ledger_transfers WHERE debit_account = " + account + range +
               " UNION ALL SELECT seq FROM ledger_transfers WHERE credit_account = " + account + range + ")";
    }
    if (f.order) where += " AND order_number = " + param(*f.order);
    if (f.pending_id) where += " AND pending_id = " + param(*f.pending_id);
    if (f.reference) where += " AND reference = " + param(*f.reference);
    where += range;
    return Rows<ledger::Transfer>(std::string("SELECT ") + kTransferColumns + " FROM ledger_transfers WHERE " + where +
                                      " ORDER BY seq LIMIT " + param(f.limit),
                                  params, TransferFromRow<PgRow>);
  }

  Status PutRecord(const ledger::Record& r) override {
    RETURN_IF_ERROR(CheckWritable());
    return conn_
        ->Run(std::string("INSERT INTO ledger_records (") + kRecordColumns + ") VALUES (" + Placeholders(1, 7) +
                  ") ON CONFLICT (kind, key) DO UPDATE SET agreement = EXCLUDED.agreement, ref = EXCLUDED.ref, "
                  "status = EXCLUDED.status, at = EXCLUDED.at, body = EXCLUDED.body",
              PgParams().Add(r.kind).Add(r.key).Add(r.agreement).Add(r.ref).Add(r.status).Add(r.at.unix_seconds()).Add(
                  r.body))
        .status();
  }
  Result<std::optional<ledger::Record>> FindRecord(const std::string& kind, const std::string& key) override {
    ASSIGN_OR_RETURN(auto found, Rows<ledger::Record>(std::string("SELECT ") + kRecordColumns +
                                                          " FROM ledger_records WHERE kind = $1 AND key = $2",
                                                      PgParams().Add(kind).Add(key), RecordFromRow<PgRow>));
    if (found.empty()) return std::optional<ledger::Record>();
    return std::optional<ledger::Record>(std::move(found.front()));
  }
  Result<std::vector<ledger::Record>> ListRecords(const ledger::RecordFilter& f) override {
    PgParams params;
    auto param = [&](const std::string& value) {
      params.Add(value);
      return "$" + std::to_string(params.values().size());
    };
    std::string where = "kind = " + param(f.kind);
    if (f.agreement) where += " AND agreement = " + param(*f.agreement);
    if (f.ref) where += " AND ref = " + param(*f.ref);
    if (f.status) where += " AND status = " + param(*f.status);
    return Rows<ledger::Record>(std::string("SELECT ") + kRecordColumns + " FROM ledger_records WHERE " + where +
                                    " ORDER BY key",
                                params, RecordFromRow<PgRow>);
  }

  auth::AuthTables& Auth() override { return *this; }
  capacity::CapacityTables& Capacity() override { return *this; }
  capacity::ExerciseTables& Exercises() override { return *this; }

  Status InsertReservation(const capacity::Reservation& r) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgRows rows, conn_->Run(std::string("INSERT INTO capacity_reservations (") + kPgReservationColumns +
                                                 ") VALUES (" + Placeholders(1, 8) + ") ON CONFLICT DO NOTHING RETURNING 1",
                                             PgParams()
                                                 .Add(r.order)
                                                 .Add(r.line_no)
                                                 .Add(r.facility)
                                                 .Add(r.resource)
                                                 .Add(r.unit)
                                                 .Add(r.amount)
                                                 .Add(r.start.unix_seconds())
                                                 .Add(r.end.unix_seconds())));
    if (rows.empty()) return internal::DuplicateReservation(r.order, r.line_no, r.resource);
    return OkStatus();
  }
  Result<std::vector<capacity::Reservation>> ListReservations(const capacity::ReservationFilter& f) override {
    PgParams params;
    auto param = [&](auto value) {
      params.Add(value);
      return "$" + std::to_string(params.values().size());
    };
    std::string where = "TRUE";
    if (f.facility) where += " AND facility = " + param(*f.facility);
    if (f.resource) where += " AND resource = " + param(*f.resource);
    if (f.order) where += " AND order_number = " + param(*f.order);
    if (f.to) where += " AND start_at < " + param(f.to->unix_seconds());
    if (f.from) where += " AND end_at >= " + param(f.from->unix_seconds());
    return Rows<capacity::Reservation>(
        std::string("SELECT ") + kPgReservationColumns + " FROM capacity_reservations WHERE " + where +
            " ORDER BY facility, resource, start_at, order_number, line_no",
        params, [](const PgRow& q) -> Result<capacity::Reservation> {
          return capacity::Reservation{q.Text(0), q.Int(1), q.Text(2), q.Text(3), q.Text(4),
                                       q.Int(5),  Timestamp(q.Int(6)), Timestamp(q.Int(7))};
        });
  }
  Status DeleteReservation(const std::string& order, int64_t line_no, const std::string& resource) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgRows rows, conn_->Run("DELETE FROM capacity_reservations WHERE order_number = $1 AND "
                                             "line_no = $2 AND resource = $3 RETURNING 1",
                                             PgParams().Add(order).Add(line_no).Add(resource)));
    if (rows.empty()) return internal::NotFoundError("reservation", internal::ReservationKey(order, line_no, resource));
    return OkStatus();
  }
  Status InsertReplenishment(const capacity::FuelReplenishment& r) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgRows rows, conn_->Run("INSERT INTO capacity_replenishments (id, facility, grade, amount, at, note) "
                                             "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1",
                                             PgParams()
                                                 .Add(r.id)
                                                 .Add(r.facility)
                                                 .Add(r.grade)
                                                 .Add(r.amount)
                                                 .Add(r.at.unix_seconds())
                                                 .Add(r.note)));
    if (rows.empty()) return internal::DuplicateReplenishment(r.id);
    return OkStatus();
  }
  Result<std::vector<capacity::FuelReplenishment>> ListReplenishments(const std::string& facility,
                                                                      const std::string& grade) override {
    PgParams params;
    params.Add(facility);
    if (!grade.empty()) params.Add(grade);
    return Rows<capacity::FuelReplenishment>(
        std::string("SELECT id, facility, grade, amount, at, note FROM capacity_replenishments WHERE facility = $1") +
            (grade.empty() ? "" : " AND grade = $2") + " ORDER BY at, id",
        params, [](const PgRow& q) -> Result<capacity::FuelReplenishment> {
          return capacity::FuelReplenishment{q.Text(0), q.Text(1), q.Text(2), q.Int(3), Timestamp(q.Int(4)), q.Text(5)};
        });
  }

  Status PutExercise(const capacity::ExerciseRow& r) override {
    RETURN_IF_ERROR(CheckWritable());
    return conn_
        ->Run(std::string("INSERT INTO exercises (") + kPgExerciseColumns + ") VALUES (" + Placeholders(1, 6) +
                  ") ON CONFLICT (code) DO UPDATE SET status = EXCLUDED.status, start_at = EXCLUDED.start_at, "
                  "end_at = EXCLUDED.end_at, version = EXCLUDED.version, body = EXCLUDED.body",
              PgParams().Add(r.code).Add(r.status).Add(r.start.unix_seconds()).Add(r.end.unix_seconds()).Add(r.version).Add(
                  r.body))
        .status();
  }
  Result<std::optional<capacity::ExerciseRow>> FindExercise(const std::string& code) override {
    ASSIGN_OR_RETURN(auto found, ExerciseRows(" WHERE code = $1", PgParams().Add(code)));
    if (found.empty()) return std::optional<capacity::ExerciseRow>();
    return std::optional<capacity::ExerciseRow>(std::move(found.front()));
  }
  Result<std::vector<capacity::ExerciseRow>> ListExercises() override { return ExerciseRows(" ORDER BY code", PgParams()); }

  Result<std::vector<capacity::ExerciseRow>> ExerciseRows(const std::string& tail, const PgParams& params) {
    return Rows<capacity::ExerciseRow>(std::string("SELECT ") + kPgExerciseColumns + " FROM exercises" + tail, params,
                                       [](const PgRow& q) -> Result<capacity::ExerciseRow> {
                                         return capacity::ExerciseRow{q.Text(0), q.Text(1), Timestamp(q.Int(2)),
                                                                      Timestamp(q.Int(3)), q.Int(4), q.Text(5)};
                                       });
  }

  Status PutUser(const auth::User& u) override {
    RETURN_IF_ERROR(CheckWritable());
    return conn_
        ->Run(std::string("INSERT INTO auth_users (") + kUserColumns + ") VALUES (" + Placeholders(1, 7) +
                  ") ON CONFLICT (name) DO UPDATE SET party = EXCLUDED.party, roles = EXCLUDED.roles, "
                  "password_hash = EXCLUDED.password_hash, disabled = EXCLUDED.disabled, "
                  "created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at",
              PgParams()
                  .Add(u.name)
                  .Add(u.party)
                  .Add(RolesText(u.roles))
                  .Add(u.password_hash)
                  .Add(int64_t{u.disabled})
                  .Add(u.created_at.unix_seconds())
                  .Add(u.updated_at.unix_seconds()))
        .status();
  }
  Result<auth::User> GetUser(const std::string& name) override {
    ASSIGN_OR_RETURN(auto found, Rows<auth::User>(std::string("SELECT ") + kUserColumns +
                                                      " FROM auth_users WHERE name = $1",
                                                  PgParams().Add(name), UserFromRow<PgRow>));
    if (found.empty()) return internal::NotFoundError("user", name);
    return std::move(found.front());
  }
  Result<std::vector<auth::User>> ListUsers() override {
    return Rows<auth::User>(std::string("SELECT ") + kUserColumns + " FROM auth_users ORDER BY name", {},
                            UserFromRow<PgRow>);
  }
  Status InsertToken(const auth::Token& t) override {
    RETURN_IF_ERROR(CheckWritable());
    // Checked first rather than left to the foreign key and unique
    // constraints, whose violation would abort the transaction.
    ASSIGN_OR_RETURN(PgRows user, conn_->Run("SELECT 1 FROM auth_users WHERE name = $1", PgParams().Add(t.user)));
    if (user.empty()) return internal::NotFoundError("user", t.user);
    ASSIGN_OR_RETURN(PgRows taken,
                     conn_->Run("SELECT 1 FROM auth_tokens WHERE token_hash = $1", PgParams().Add(t.token_hash)));
    if (!taken.empty()) return internal::DuplicateToken();
    return conn_
        ->Run(std::string("INSERT INTO auth_tokens (seq, ") + kTokenColumns +
                  ") VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM auth_tokens), " + Placeholders(1, 7) + ")",
              PgParams()
                  .Add(t.token_hash)
                  .Add(t.user)
                  .Add(std::string(auth::Name(t.kind)))
                  .Add(t.label)
                  .Add(t.created_at.unix_seconds())
                  .Add(t.expires_at.unix_seconds())
                  .Add(int64_t{t.revoked}))
        .status();
  }
  Result<auth::Token> GetToken(const std::string& token_hash) override {
    ASSIGN_OR_RETURN(auto found, Rows<auth::Token>(std::string("SELECT ") + kTokenColumns +
                                                       " FROM auth_tokens WHERE token_hash = $1",
                                                   PgParams().Add(token_hash), TokenFromRow<PgRow>));
    if (found.empty()) return internal::UnknownToken();
    return std::move(found.front());
  }
  Status RevokeToken(const std::string& token_hash) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgRows revoked, conn_->Run("UPDATE auth_tokens SET revoked = 1 WHERE token_hash = $1 RETURNING seq",
                                                PgParams().Add(token_hash)));
    if (revoked.empty()) return internal::UnknownToken();
    return OkStatus();
  }
  Result<int64_t> RevokeUserTokens(const std::string& user) override {
    RETURN_IF_ERROR(CheckWritable());
    ASSIGN_OR_RETURN(PgRows revoked,
                     conn_->Run("UPDATE auth_tokens SET revoked = 1 WHERE \"user\" = $1 AND revoked = 0 RETURNING seq",
                                PgParams().Add(user)));
    return static_cast<int64_t>(revoked.size());
  }
  Result<std::vector<auth::Token>> ListTokens(const std::string& user) override {
    return Rows<auth::Token>(std::string("SELECT ") + kTokenColumns + " FROM auth_tokens WHERE \"user\" = $1 ORDER BY seq",
                             PgParams().Add(user), TokenFromRow<PgRow>);
  }

  Status Commit() override {
    RETURN_IF_ERROR(CheckOpen());
    auto done = conn_->Exec("COMMIT");
    std::unique_ptr<PgConnection> conn = std::move(conn_);
    // COMMIT ends the transaction whether or not it succeeds; a connection
    // left otherwise is closed by the pool.
    if (!done.ok()) {
      Status s = done.status();
      pool_->Release(std::move(conn));
      return s.code() == StatusCode::kAborted || s.code() == StatusCode::kUnavailable
                 ? s
                 : Unavailable("commit failed: " + s.message(), "storage.commit");
    }
    pool_->Release(std::move(conn));
    // PostgreSQL answers COMMIT of a transaction that an earlier statement
    // failed with ROLLBACK, not with an error.
    if (done->CommandStatus() != "COMMIT") {
      return Aborted("the transaction was rolled back: an earlier statement in it failed", "storage.rolled_back");
    }
    return OkStatus();
  }

 private:
  Status CheckOpen() const { return conn_ == nullptr ? internal::FinishedTransaction() : OkStatus(); }
  Status CheckWritable() const {
    RETURN_IF_ERROR(CheckOpen());
    return writable_ ? OkStatus() : internal::ReadOnlyTransaction();
  }

  friend class internal::SqlRegistryTransaction<PostgresTransaction>;

  Status PutDoc(const RegistryTable& t, const std::string& code,
             const std::vector<std::pair<const char*, std::string>>& keys, const Json& doc) {
    RETURN_IF_ERROR(CheckWritable());
    std::string columns = "code";
    std::string updates;
    PgParams params;
    params.Add(code);
    for (const auto& [column, value] : keys) {
      columns += std::string(", ") + column;
      updates += std::string(column) + " = EXCLUDED." + column + ", ";
      params.Add(value);
    }
    params.Add(Doc(doc));
    int n = static_cast<int>(params.values().size());
    return conn_
        ->Run(std::string("INSERT INTO ") + t.table + " (" + columns + ", doc) VALUES (" + Placeholders(1, n) +
                  ") ON CONFLICT (code) DO UPDATE SET " + updates + "doc = EXCLUDED.doc",
              params)
        .status();
  }

  template <typename T>
  Result<T> GetDoc(const RegistryTable& t, const std::string& code, Result<T> (*decode)(const Json&, const std::string&)) {
    ASSIGN_OR_RETURN(auto found, Docs(std::string("SELECT doc FROM ") + t.table + " WHERE code = $1",
                                      PgParams().Add(code), decode, std::string(t.table) + " " + code));
    if (found.empty()) return internal::NotFoundError(t.what, code);
    return std::move(found.front());
  }

  template <typename T>
  Result<std::vector<T>> ListDocs(const RegistryTable& t, Result<T> (*decode)(const Json&, const std::string&)) {
    // The code columns are COLLATE "C": bytewise, as std::map<std::string>.
    return Docs(std::string("SELECT doc FROM ") + t.table + " ORDER BY code", {}, decode, t.table);
  }

  // Runs `sql` (whose only column is a codec document) and decodes each row.
  template <typename T>
  Result<std::vector<T>> Docs(const std::string& sql, const PgParams& params,
                              Result<T> (*decode)(const Json&, const std::string&), const std::string& where) {
    return Rows<T>(sql, params, [&](const PgRow& row) { return FromDoc(row.Text(0), decode, where); });
  }

  Result<std::optional<orders::Order>> OneOrder(const std::string& sql, const PgParams& params) {
    ASSIGN_OR_RETURN(auto found, Docs(sql, params, codec::OrderFromJson, "orders"));
    if (found.empty()) return std::optional<orders::Order>();
    return std::optional<orders::Order>(std::move(found.front()));
  }

  // Runs `sql` and maps each row with `map`.
  template <typename T, typename MapFn>
  Result<std::vector<T>> Rows(const std::string& sql, const PgParams& params, MapFn map) {
    RETURN_IF_ERROR(CheckOpen());
    ASSIGN_OR_RETURN(PgRows rows, conn_->Run(sql, params));
    std::vector<T> out;
    out.reserve(static_cast<size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
      ASSIGN_OR_RETURN(T v, map(rows[i]));
      out.push_back(std::move(v));
    }
    return out;
  }

  // AlreadyExists if another order (not `self`) has o's number or, for a
  // non-empty key, o's (requester, idempotency_key).
  Status CheckOrderKeysFree(const orders::Order& o, int64_t self) {
    ASSIGN_OR_RETURN(PgRows by_number, conn_->Run("SELECT 1 FROM orders WHERE number = $1 AND id <> $2",
                                                  PgParams().Add(o.number).Add(self)));
    if (!by_number.empty()) return internal::DuplicateOrderNumber(o.number);
    if (o.idempotency_key.empty()) return OkStatus();
    ASSIGN_OR_RETURN(PgRows by_key, conn_->Run("SELECT 1 FROM orders WHERE requester = $1 AND idempotency_key = $2 "
                                               "AND idempotency_key <> '' AND id <> $3",
                                               PgParams().Add(o.requester).Add(o.idempotency_key).Add(self)));
    if (!by_key.empty()) return internal::DuplicateIdempotencyKey(o.requester, o.idempotency_key);
    return OkStatus();
  }

  // $1..$11: the orders table's columns after id, in order.
  static PgParams OrderParams(const orders::Order& o) {
    PgParams p;
    p.Add(o.number)
        .Add(o.agreement)
        .Add(o.requester)
        .Add(o.supplier)
        .Add(o.facility)
        .Add(o.unit)
        .Add(std::string(orders::Name(o.state)))
        .Add(o.idempotency_key)
        .Add(o.version)
        .Add(static_cast<int64_t>(o.created_at.Year()))
        .Add(Doc(codec::ToJson(o)));
    return p;
  }

  internal::PgPool* pool_;
  std::unique_ptr<PgConnection> conn_;  // null once committed
  bool writable_;
};

// Brings the database to the latest schema in one transaction, holding the
// writer lock so that two processes opening a new database at once do not
// both migrate it, and no writer runs against a half-migrated schema.
Status Migrate(PgConnection& conn, const std::string& url) {
  const auto& migrations = internal::SchemaMigrations(internal::SqlDialect::kPostgres);
  RETURN_IF_ERROR(conn.Exec(internal::kBeginWrite).status());
  auto apply = [&]() -> Status {
    RETURN_IF_ERROR(conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                              "version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
                        .status());
    ASSIGN_OR_RETURN(PgRows current, conn.Run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    int64_t version = current[0].Int(0);
    int latest = migrations.empty() ? 0 : migrations.back().version;
    if (version > latest) {
      return FailedPrecondition(internal::RedactedUrl(url) + " has schema version " + std::to_string(version) +
                                    " but this relos knows only up to " + std::to_string(latest) + "; use a newer relos",
                                "storage.schema_too_new");
    }
    // Every migration the database lacks, also one numbered below the highest
    // applied (numbers are reserved per feature and may land out of order).
    ASSIGN_OR_RETURN(PgRows applied_rows, conn.Run("SELECT version FROM schema_migrations"));
    std::set<int64_t> applied;
    for (int i = 0; i < applied_rows.size(); ++i) applied.insert(applied_rows[i].Int(0));
    int previous = 0;
    for (const auto& m : migrations) {
      RELOS_CHECK(m.version > previous, "migration versions must increase");
      previous = m.version;
      if (applied.count(m.version)) continue;
      Status s = conn.Exec(m.sql).status();
      if (!s.ok()) return s.WithContext("migration " + std::to_string(m.version) + " (" + m.name + ")");
      RETURN_IF_ERROR(conn.Run("INSERT INTO schema_migrations (version, name, applied_at) "
                               "VALUES ($1, $2, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
                               PgParams().Add(static_cast<int64_t>(m.version)).Add(std::string(m.name)))
                          .status());
    }
    return OkStatus();
  };
  Status s = apply();
  if (!s.ok()) {
    conn.Exec("ROLLBACK").status().IgnoreError();
    return s;
  }
  ASSIGN_OR_RETURN(PgRows done, conn.Exec("COMMIT"));
  if (done.CommandStatus() != "COMMIT") return Internal("the migration transaction was rolled back", "storage.migration");
  return OkStatus();
}

}  // namespace

PostgresStore::PostgresStore(std::unique_ptr<internal::PgPool> pool) : pool_(std::move(pool)) {}
PostgresStore::~PostgresStore() = default;

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url) {
  auto pool = std::make_unique<internal::PgPool>(url);
  ASSIGN_OR_RETURN(auto conn, pool->Acquire());
  Status s = Migrate(*conn, url);
  if (!s.ok()) return s.WithContext("opening " + internal::RedactedUrl(url));
  pool->Release(std::move(conn));
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(pool)));
}

int PostgresStore::LatestSchemaVersion() {
  const auto& migrations = internal::SchemaMigrations(internal::SqlDialect::kPostgres);
  return migrations.empty() ? 0 : migrations.back().version;
}

Result<int> PostgresStore::SchemaVersion() {
  ASSIGN_OR_RETURN(auto conn, pool_->Acquire());
  ASSIGN_OR_RETURN(PgRows rows, conn->Run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  pool_->Release(std::move(conn));
  return static_cast<int>(rows[0].Int(0));
}

Result<std::unique_ptr<Transaction>> PostgresStore::BeginWrite() {
  ASSIGN_OR_RETURN(auto conn, pool_->Begin(internal::kBeginWrite));
  return std::unique_ptr<Transaction>(std::make_unique<PostgresTransaction>(pool_.get(), std::move(conn), true));
}

Result<std::unique_ptr<Transaction>> PostgresStore::BeginRead() {
  ASSIGN_OR_RETURN(auto conn, pool_->Begin(internal::kBeginRead));
  return std::unique_ptr<Transaction>(std::make_unique<PostgresTransaction>(pool_.get(), std::move(conn), false));
}

}  // namespace relos::storage

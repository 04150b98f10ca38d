// The one schema of the SQL backends. Types are written as placeholders that
// each dialect spells its own way:
//   {int}   every integer (ids, money in minor units, quantities, seconds):
//           SQLite INTEGER (so "INTEGER PRIMARY KEY" stays the rowid), PostgreSQL
//           BIGINT;
//   {code}  codes that lists are ordered by: SQLite TEXT (bytewise already),
//           PostgreSQL TEXT COLLATE "C" (bytewise whatever the database's locale,
//           so the order matches SQLite and the memory backend).
#include "storage/schema_migrations.h"

#include <string>
#include <string_view>
#include <utility>

namespace relos::storage::internal {

namespace {

const std::vector<Migration>& Templates() {
  static const std::vector<Migration> kMigrations = {
      {1, "registry, orders and audit events", R"sql(
-- Registry objects: the key columns that queries need, and the whole object
-- as its canonical codec JSON document (text, byte for byte what the codec
-- wrote; not PostgreSQL's jsonb, which would reorder keys and lose the
-- canonical form).
CREATE TABLE parties (
  code {code} PRIMARY KEY,
  doc  TEXT NOT NULL
);
CREATE TABLE agreements (
  code    {code} PRIMARY KEY,
  party_a TEXT NOT NULL,
  party_b TEXT NOT NULL,
  doc     TEXT NOT NULL
);
CREATE TABLE catalog_items (
  code     {code} PRIMARY KEY,
  category TEXT NOT NULL,
  doc      TEXT NOT NULL
);
CREATE TABLE facilities (
  code  {code} PRIMARY KEY,
  owner TEXT NOT NULL,
  kind  TEXT NOT NULL,
  doc   TEXT NOT NULL
);
CREATE TABLE units (
  code  {code} PRIMARY KEY,
  owner TEXT NOT NULL,
  kind  TEXT NOT NULL,
  doc   TEXT NOT NULL
);
-- Replaced as a whole; position keeps the table's order.
CREATE TABLE fuel_compatibility (
  position       {int} PRIMARY KEY,
  unit_grade     TEXT NOT NULL,
  supplied_grade TEXT NOT NULL,
  doc            TEXT NOT NULL
);

-- Ids are assigned by the store as MAX(id) + 1 under the writer lock, so they
-- follow commit order without gaps.
CREATE TABLE orders (
  id              {int} PRIMARY KEY,
  number          TEXT NOT NULL UNIQUE,
  agreement       TEXT NOT NULL,
  requester       TEXT NOT NULL,
  supplier        TEXT NOT NULL,
  facility        TEXT NOT NULL,
  unit            TEXT NOT NULL,
  state           TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  version         {int} NOT NULL,
  created_year    {int} NOT NULL,
  doc             TEXT NOT NULL
);
-- An idempotency key is scoped to the requesting party; orders created
-- without one do not collide.
CREATE UNIQUE INDEX orders_requester_idempotency_key
  ON orders (requester, idempotency_key) WHERE idempotency_key <> '';
CREATE INDEX orders_agreement_year ON orders (agreement, created_year);
CREATE INDEX orders_requester ON orders (requester, id);
CREATE INDEX orders_supplier ON orders (supplier, id);
CREATE INDEX orders_facility ON orders (facility, id);

-- The audit chain, one column per field so it can be checked by hand.
CREATE TABLE events (
  seq         {int} PRIMARY KEY,
  at          TEXT NOT NULL,
  actor_party TEXT NOT NULL,
  actor_role  TEXT NOT NULL,
  actor_name  TEXT NOT NULL,
  kind        TEXT NOT NULL,
  subject     TEXT NOT NULL,
  payload     TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
)sql"},
      {2, "ledger", R"sql(
-- Ledger accounts with their running balances (updated in the transaction
-- of every transfer, so a balance is one row).
CREATE TABLE ledger_accounts (
  code            {code} PRIMARY KEY,
  agreement       TEXT NOT NULL,
  party           TEXT NOT NULL,
  purpose         TEXT NOT NULL,
  counterparty    TEXT NOT NULL,
  unit            TEXT NOT NULL,
  flags           {int} NOT NULL,
  debits_pending  {int} NOT NULL,
  debits_posted   {int} NOT NULL,
  credits_pending {int} NOT NULL,
  credits_posted  {int} NOT NULL,
  created_at      {int} NOT NULL
);
CREATE INDEX ledger_accounts_agreement ON ledger_accounts (agreement, code);
-- Immutable transfers; at is Unix seconds so that periods are range scans.
-- seq is MAX(seq) + 1 under the writer lock: 1, 2, 3... in commit order.
CREATE TABLE ledger_transfers (
  seq            {int} PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  debit_account  TEXT NOT NULL,
  credit_account TEXT NOT NULL,
  amount         {int} NOT NULL CHECK (amount >= 0),
  unit           TEXT NOT NULL,
  kind           TEXT NOT NULL,
  pending_id     TEXT NOT NULL,
  code           TEXT NOT NULL,
  agreement      TEXT NOT NULL,
  order_number   TEXT NOT NULL,
  line_no        {int} NOT NULL,
  reference      TEXT NOT NULL,
  corrects       TEXT NOT NULL,
  at             {int} NOT NULL
);
CREATE INDEX ledger_transfers_debit ON ledger_transfers (debit_account, at);
CREATE INDEX ledger_transfers_credit ON ledger_transfers (credit_account, at);
CREATE INDEX ledger_transfers_order ON ledger_transfers (order_number) WHERE order_number <> '';
CREATE INDEX ledger_transfers_pending ON ledger_transfers (pending_id) WHERE pending_id <> '';
CREATE INDEX ledger_transfers_reference ON ledger_transfers (reference) WHERE reference <> '';
-- Bills, replacement-in-kind obligations, offset proposals, rates.
CREATE TABLE ledger_records (
  kind      TEXT NOT NULL,
  key       {code} NOT NULL,
  agreement TEXT NOT NULL,
  ref       TEXT NOT NULL,
  status    TEXT NOT NULL,
  at        {int} NOT NULL,
  body      TEXT NOT NULL,
  PRIMARY KEY (kind, key)
);
CREATE INDEX ledger_records_ref ON ledger_records (kind, ref);
)sql"},
      {3, "capacity reservations and exercises", R"sql(
-- What approved order lines hold at a facility: places of a resource over
-- [start_at, end_at), or a fuel issue at start_at (end_at = start_at). Times
-- are Unix seconds so that overlaps are range scans.
CREATE TABLE capacity_reservations (
  order_number {code} NOT NULL,
  line_no      {int} NOT NULL,
  facility     {code} NOT NULL,
  resource     {code} NOT NULL,
  unit         TEXT NOT NULL,
  amount       {int} NOT NULL CHECK (amount >= 0),
  start_at     {int} NOT NULL,
  end_at       {int} NOT NULL CHECK (end_at >= start_at),
  PRIMARY KEY (order_number, line_no, resource)
);
CREATE INDEX capacity_reservations_resource ON capacity_reservations (facility, resource, start_at);
-- Planned deliveries into a facility's fuel stock.
CREATE TABLE capacity_replenishments (
  id       {code} PRIMARY KEY,
  facility {code} NOT NULL,
  grade    TEXT NOT NULL,
  amount   {int} NOT NULL CHECK (amount >= 0),
  at       {int} NOT NULL,
  note     TEXT NOT NULL
);
CREATE INDEX capacity_replenishments_facility ON capacity_replenishments (facility, grade, at);
-- Exercises and operations; the body is the exercise module's document.
CREATE TABLE exercises (
  code     {code} PRIMARY KEY,
  status   TEXT NOT NULL,
  start_at {int} NOT NULL,
  end_at   {int} NOT NULL,
  version  {int} NOT NULL,
  body     TEXT NOT NULL
);
)sql"},
      {4, "users and their session and API tokens", R"sql(
-- Roles are their names joined by ','; the password is a libsodium Argon2id
-- string, never the password itself.
CREATE TABLE auth_users (
  name          {code} PRIMARY KEY,
  party         TEXT NOT NULL,
  roles         TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled      {int} NOT NULL,
  created_at    {int} NOT NULL,
  updated_at    {int} NOT NULL
);
-- Only the SHA-256 of a token is stored; seq keeps the order of issue.
-- "user" is a reserved word in PostgreSQL, hence quoted (SQLite accepts it).
CREATE TABLE auth_tokens (
  seq        {int} PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  "user"     TEXT NOT NULL REFERENCES auth_users (name),
  kind       TEXT NOT NULL,
  label      TEXT NOT NULL,
  created_at {int} NOT NULL,
  expires_at {int} NOT NULL,
  revoked    {int} NOT NULL
);
CREATE INDEX auth_tokens_user ON auth_tokens ("user", seq);
)sql"},
  };
  return kMigrations;
}

std::string Render(std::string sql, SqlDialect dialect) {
  const std::pair<std::string_view, std::string_view> spellings[] = {
      {"{int}", dialect == SqlDialect::kSqlite ? "INTEGER" : "BIGINT"},
      {"{code}", dialect == SqlDialect::kSqlite ? "TEXT" : "TEXT COLLATE \"C\""},
  };
  for (const auto& [placeholder, spelling] : spellings) {
    for (size_t at = sql.find(placeholder); at != std::string::npos; at = sql.find(placeholder, at)) {
      sql.replace(at, placeholder.size(), spelling);
      at += spelling.size();
    }
  }
  return sql;
}

struct Rendered {
  std::vector<std::string> sql;  // owns the text the Migration entries point to
  std::vector<Migration> migrations;
};

Rendered RenderAll(SqlDialect dialect) {
  Rendered out;
  const auto& templates = Templates();
  out.sql.reserve(templates.size());
  for (const Migration& m : templates) {
    out.sql.push_back(Render(m.sql, dialect));
    out.migrations.push_back({m.version, m.name, out.sql.back().c_str()});
  }
  return out;
}

}  // namespace

const std::vector<Migration>& SchemaMigrations(SqlDialect dialect) {
  static const Rendered sqlite = RenderAll(SqlDialect::kSqlite);
  static const Rendered postgres = RenderAll(SqlDialect::kPostgres);
  return dialect == SqlDialect::kSqlite ? sqlite.migrations : postgres.migrations;
}

}  // namespace relos::storage::internal

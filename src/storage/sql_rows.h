// What the SQL backends (SQLite, PostgreSQL) share about their tables: the
// registry tables' shape (code, key columns, canonical JSON document) and
// the registry methods over it, the column lists of the audit and ledger tables, and the mapping of a result
// row back to a value. A Row is anything with `int64_t Int(int column)` and
// `std::string Text(int column)`, so each backend keeps its own driver.
#pragma once

#include <set>
#include <string>

#include "relos/audit/event.h"
#include "relos/auth/tables.h"
#include "relos/codec/codec.h"
#include "relos/core/status.h"
#include "relos/core/time.h"
#include "relos/ledger/tables.h"
#include "relos/storage/store.h"

namespace relos::storage::internal {

inline std::string Doc(const codec::Json& j) { return codec::Canonical(j); }

// A stored document that no longer decodes was changed behind our back or
// written by a buggy build: DataLoss, naming the row.
template <typename T>
Result<T> FromDoc(const std::string& doc, Result<T> (*decode)(const codec::Json&, const std::string&),
                  const std::string& where) {
  codec::Json j = codec::Json::parse(doc, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return DataLoss(where + ": stored document is not JSON", "storage.corrupt");
  auto v = decode(j, "$");
  if (!v.ok()) return DataLoss(where + ": stored document does not decode: " + v.status().message(), "storage.corrupt");
  return v;
}

// The registry tables share one shape: code, some key columns, doc.
struct RegistryTable {
  const char* table;
  const char* what;  // for NotFound messages
};
constexpr RegistryTable kParties{"parties", "party"};
constexpr RegistryTable kAgreements{"agreements", "agreement"};
constexpr RegistryTable kCatalog{"catalog_items", "catalogue item"};
constexpr RegistryTable kFacilities{"facilities", "facility"};
constexpr RegistryTable kUnits{"units", "unit"};

// The registry half of a SQL backend's Transaction: each registry type
// mapped to its table, key columns and codec, over three primitives the
// Backend (CRTP) provides for a RegistryTable:
//   Status PutDoc(table, code, {{column, value}...}, json)   insert or replace
//   Result<T> GetDoc(table, code, decode)                     NotFound naming it
//   Result<std::vector<T>> ListDocs(table, decode)            ordered by code
template <typename Backend>
class SqlRegistryTransaction : public Transaction {
 public:
  Status PutParty(const registry::Party& p) override { return self().PutDoc(kParties, p.code, {}, codec::ToJson(p)); }
  Result<registry::Party> GetParty(const std::string& code) override {
    return self().GetDoc(kParties, code, codec::PartyFromJson);
  }
  Result<std::vector<registry::Party>> ListParties() override { return self().ListDocs(kParties, codec::PartyFromJson); }

  Status PutAgreement(const registry::Agreement& a) override {
    return self().PutDoc(kAgreements, a.code, {{"party_a", a.party_a}, {"party_b", a.party_b}}, codec::ToJson(a));
  }
  Result<registry::Agreement> GetAgreement(const std::string& code) override {
    return self().GetDoc(kAgreements, code, codec::AgreementFromJson);
  }
  Result<std::vector<registry::Agreement>> ListAgreements() override {
    return self().ListDocs(kAgreements, codec::AgreementFromJson);
  }

  Status PutCatalogItem(const registry::CatalogItem& i) override {
    return self().PutDoc(kCatalog, i.code, {{"category", std::string(registry::Name(i.category))}}, codec::ToJson(i));
  }
  Result<registry::CatalogItem> GetCatalogItem(const std::string& code) override {
    return self().GetDoc(kCatalog, code, codec::CatalogItemFromJson);
  }
  Result<std::vector<registry::CatalogItem>> ListCatalogItems() override {
    return self().ListDocs(kCatalog, codec::CatalogItemFromJson);
  }

  Status PutFacility(const registry::Facility& f) override {
    return self().PutDoc(kFacilities, f.code, {{"owner", f.owner}, {"kind", std::string(registry::Name(f.kind))}},
                         codec::ToJson(f));
  }
  Result<registry::Facility> GetFacility(const std::string& code) override {
    return self().GetDoc(kFacilities, code, codec::FacilityFromJson);
  }
  Result<std::vector<registry::Facility>> ListFacilities() override {
    return self().ListDocs(kFacilities, codec::FacilityFromJson);
  }

  Status PutUnit(const registry::Unit& u) override {
    return self().PutDoc(kUnits, u.code, {{"owner", u.owner}, {"kind", std::string(registry::Name(u.kind))}},
                         codec::ToJson(u));
  }
  Result<registry::Unit> GetUnit(const std::string& code) override {
    return self().GetDoc(kUnits, code, codec::UnitFromJson);
  }
  Result<std::vector<registry::Unit>> ListUnits() override { return self().ListDocs(kUnits, codec::UnitFromJson); }

 private:
  Backend& self() { return static_cast<Backend&>(*this); }
};

constexpr char kEventColumns[] =
    "seq, at, actor_party, actor_role, actor_name, kind, subject, payload, prev_hash, hash";
constexpr char kAccountColumns[] =
    "code, agreement, party, purpose, counterparty, unit, flags, debits_pending, debits_posted, credits_pending, "
    "credits_posted, created_at";
constexpr char kTransferColumns[] =
    "seq, id, debit_account, credit_account, amount, unit, kind, pending_id, code, agreement, order_number, line_no, "
    "reference, corrects, at";
constexpr char kRecordColumns[] = "kind, key, agreement, ref, status, at, body";
constexpr char kUserColumns[] = "name, party, roles, password_hash, disabled, created_at, updated_at";
// "user" is quoted: a reserved word in PostgreSQL (SQLite takes it either way).
constexpr char kTokenColumns[] = "token_hash, \"user\", kind, label, created_at, expires_at, revoked";

// A user's roles as stored: their names joined by ','.
inline std::string RolesText(const std::set<orders::Role>& roles) {
  std::string out;
  for (orders::Role r : roles) out += (out.empty() ? "" : ",") + std::string(orders::Name(r));
  return out;
}

// The columns of kEventColumns, in order.
template <typename Row>
Result<audit::Event> EventFromRow(const Row& q) {
  audit::Event e;
  e.seq = q.Int(0);
  auto at = Timestamp::Parse(q.Text(1));
  if (!at.ok()) {
    return DataLoss("events " + std::to_string(e.seq) + ": stored time does not parse: " + at.status().message(),
                    "storage.corrupt");
  }
  e.at = *at;
  e.actor_party = q.Text(2);
  e.actor_role = q.Text(3);
  e.actor_name = q.Text(4);
  e.kind = q.Text(5);
  e.subject = q.Text(6);
  e.payload = q.Text(7);
  e.prev_hash = q.Text(8);
  e.hash = q.Text(9);
  return e;
}

// The columns of kAccountColumns, in order.
template <typename Row>
Result<ledger::Account> AccountFromRow(const Row& q) {
  ledger::Account a;
  a.code = q.Text(0);
  a.agreement = q.Text(1);
  a.party = q.Text(2);
  a.purpose = q.Text(3);
  a.counterparty = q.Text(4);
  a.unit = q.Text(5);
  a.flags = q.Int(6);
  a.debits_pending = q.Int(7);
  a.debits_posted = q.Int(8);
  a.credits_pending = q.Int(9);
  a.credits_posted = q.Int(10);
  a.created_at = Timestamp(q.Int(11));
  return a;
}

// The columns of kTransferColumns, in order.
template <typename Row>
Result<ledger::Transfer> TransferFromRow(const Row& q) {
  ledger::Transfer t;
  t.seq = q.Int(0);
  t.id = q.Text(1);
  t.debit_account = q.Text(2);
  t.credit_account = q.Text(3);
  t.amount = q.Int(4);
  t.unit = q.Text(5);
  auto kind = ledger::ParseTransferKind(q.Text(6));
  if (!kind.ok()) return DataLoss("ledger_transfers " + t.id + ": " + kind.status().message(), "storage.corrupt");
  t.kind = *kind;
  t.pending_id = q.Text(7);
  t.code = q.Text(8);
  t.agreement = q.Text(9);
  t.order = q.Text(10);
  t.line_no = q.Int(11);
  t.reference = q.Text(12);
  t.corrects = q.Text(13);
  t.at = Timestamp(q.Int(14));
  return t;
}

// The columns of kRecordColumns, in order.
template <typename Row>
Result<ledger::Record> RecordFromRow(const Row& q) {
  return ledger::Record{q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), Timestamp(q.Int(5)), q.Text(6)};
}

// The columns of kUserColumns, in order.
template <typename Row>
Result<auth::User> UserFromRow(const Row& q) {
  auth::User u;
  u.name = q.Text(0);
  u.party = q.Text(1);
  std::string roles = q.Text(2);
  for (size_t start = 0; start < roles.size();) {
    size_t comma = roles.find(',', start);
    if (comma == std::string::npos) comma = roles.size();
    auto role = orders::ParseRole(roles.substr(start, comma - start));
    if (!role.ok()) return DataLoss("auth_users " + u.name + ": " + role.status().message(), "storage.corrupt");
    u.roles.insert(*role);
    start = comma + 1;
  }
  u.password_hash = q.Text(3);
  u.disabled = q.Int(4) != 0;
  u.created_at = Timestamp(q.Int(5));
  u.updated_at = Timestamp(q.Int(6));
  return u;
}

// The columns of kTokenColumns, in order.
template <typename Row>
Result<auth::Token> TokenFromRow(const Row& q) {
  auth::Token t;
  t.token_hash = q.Text(0);
  t.user = q.Text(1);
  auto kind = auth::ParseTokenKind(q.Text(2));
  if (!kind.ok()) return DataLoss("auth_tokens: " + kind.status().message(), "storage.corrupt");
  t.kind = *kind;
  t.label = q.Text(3);
  t.created_at = Timestamp(q.Int(4));
  t.expires_at = Timestamp(q.Int(5));
  t.revoked = q.Int(6) != 0;
  return t;
}

}  // namespace relos::storage::internal

// The storage seam. Domain services see only these interfaces; backends
// (memory for tests, SQLite embedded, PostgreSQL for multi-user) implement
// them, and one conformance suite (tests/storage/) runs against every backend.
//
// A Transaction is a unit of work: everything a service does to change
// state, including appending the audit event, happens in one write
// transaction and becomes visible (and durable) at Commit(), or not at all.
// Destroying an uncommitted transaction rolls it back.
//
// Thread-safety: a Store is thread-safe; BeginWrite() serialises writers
// (it blocks or returns Aborted/Unavailable on contention, per backend). A
// Transaction is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "relos/audit/event.h"
#include "relos/auth/tables.h"
#include "relos/capacity/tables.h"
#include "relos/core/status.h"
#include "relos/ledger/tables.h"
#include "relos/orders/order.h"
#include "relos/registry/registry.h"

namespace relos::storage {

struct OrderFilter {
  std::optional<std::string> involving_party;  // requester or supplier
  std::optional<std::string> requester;
  std::optional<std::string> supplier;
  std::optional<std::string> agreement;
  std::optional<std::string> facility;
  std::optional<std::string> unit;
  std::set<orders::OrderState> states;  // empty = any
  int64_t after_id = 0;                 // keyset pagination: ids > after_id
  int64_t limit = 1000;                 // at most this many, ordered by id
};

class Transaction {
 public:
  virtual ~Transaction() = default;

  // ---- Registry. Put* inserts or replaces by code. Get* returns NotFound
  // naming the code. List* returns all, ordered by code.
  virtual Status PutParty(const registry::Party& p) = 0;
  virtual Result<registry::Party> GetParty(const std::string& code) = 0;
  virtual Result<std::vector<registry::Party>> ListParties() = 0;

  virtual Status PutAgreement(const registry::Agreement& a) = 0;
  virtual Result<registry::Agreement> GetAgreement(const std::string& code) = 0;
  virtual Result<std::vector<registry::Agreement>> ListAgreements() = 0;

  virtual Status PutCatalogItem(const registry::CatalogItem& i) = 0;
  virtual Result<registry::CatalogItem> GetCatalogItem(const std::string& code) = 0;
  virtual Result<std::vector<registry::CatalogItem>> ListCatalogItems() = 0;

  virtual Status PutFacility(const registry::Facility& f) = 0;
  virtual Result<registry::Facility> GetFacility(const std::string& code) = 0;
  virtual Result<std::vector<registry::Facility>> ListFacilities() = 0;

  virtual Status PutUnit(const registry::Unit& u) = 0;
  virtual Result<registry::Unit> GetUnit(const std::string& code) = 0;
  virtual Result<std::vector<registry::Unit>> ListUnits() = 0;

  // The fuel-grade interchangeability table is replaced as a whole.
  virtual Status ReplaceFuelCompatibility(const std::vector<registry::FuelCompatibility>& table) = 0;
  virtual Result<std::vector<registry::FuelCompatibility>> ListFuelCompatibility() = 0;

  // ---- Orders.
  // Stores a new order and returns its id (> 0, increasing). AlreadyExists if
  // the number, or the (requester, idempotency_key) pair when the key is not
  // empty, is taken.
  virtual Result<int64_t> InsertOrder(const orders::Order& o) = 0;
  // Replaces the stored order with o, whose version must be one more than
  // the stored one: Aborted if the stored version is not o.version - 1
  // (someone else changed it first); NotFound if there is no such id.
  virtual Status UpdateOrder(const orders::Order& o) = 0;
  virtual Result<orders::Order> GetOrder(int64_t id) = 0;
  virtual Result<orders::Order> GetOrderByNumber(const std::string& number) = 0;
  // The order created by `requester` with this key, or nullopt.
  virtual Result<std::optional<orders::Order>> FindOrderByIdempotencyKey(const std::string& requester,
                                                                       const std::string& key) = 0;
  virtual Result<std::vector<orders::Order>> ListOrders(const OrderFilter& filter) = 0;
  // How many orders under `agreement` were created in calendar year `year`.
  virtual Result<int64_t> CountOrdersInYear(const std::string& agreement, int year) = 0;

  // ---- Audit chain.
  virtual Result<std::optional<audit::Event>> LastEvent() = 0;
  // Appends e as is (the caller computed seq, prev_hash and hash).
  // AlreadyExists if e.seq is taken.
  virtual Status AppendEvent(const audit::Event& e) = 0;
  // Events with seq > after_seq in seq order, at most `limit`.
  virtual Result<std::vector<audit::Event>> ListEvents(int64_t after_seq, int64_t limit) = 0;

  // ---- Ledger: accounts, transfers and records (relos/ledger/tables.h),
  // in this same transaction.
  virtual ledger::LedgerTables& Ledger() = 0;

  // ---- Users and their session and API tokens (relos/auth/tables.h), in
  // this same transaction.
  virtual auth::AuthTables& Auth() = 0;
  // ---- Capacity reservations and exercises (relos/capacity/tables.h), in
  // this same transaction.
  virtual capacity::CapacityTables& Capacity() = 0;
  virtual capacity::ExerciseTables& Exercises() = 0;

  // Makes every change durable and visible. After Commit the transaction
  // may not be used again. Unavailable/Aborted if the backend could not.
  virtual Status Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // A transaction that may write. Writers are serialised.
  virtual Result<std::unique_ptr<Transaction>> BeginWrite() = 0;
  // A read-only snapshot; writes through it return FailedPrecondition.
  virtual Result<std::unique_ptr<Transaction>> BeginRead() = 0;
};

}  // namespace relos::storage

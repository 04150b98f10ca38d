// Test support for the order, registry and audit suites: a compact registry
// built in code (the agreement RELOS-TEST between IN and RU, a Russian and an
// Indian naval base, a short catalogue and four units), imported by the
// system actor into any Store, and helpers that raise an order and take it
// to any state through the real OrderService.
//
// The registry is small on purpose: every rule in orders/policy.h can be
// tripped by one object in it, and the comments in fixture.cc say which.
//
// Thread-safety: none; one fixture per test.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "relos/core/status.h"
#include "relos/core/time.h"
#include "relos/orders/lifecycle.h"
#include "relos/orders/order.h"
#include "relos/orders/order_service.h"
#include "relos/registry/registry.h"
#include "relos/registry/registry_service.h"
#include "relos/storage/store.h"
#include "storage/sample_data.h"  // T(), M(), Q()

namespace relos::testing {

// ---- The registry's codes.
inline constexpr char kAgreement[] = "RELOS-TEST";
inline constexpr char kRuPort[] = "RU-VLD";      // Vladivostok: 2 berths, fuel, beds; offers no meals
inline constexpr char kInPort[] = "IN-VIZ";      // Visakhapatnam
inline constexpr char kInShip[] = "IN-SHIP";     // frigate, burns F-76, fits berth B1
inline constexpr char kInCarrier[] = "IN-CARRIER";  // fits no berth at RU-VLD
inline constexpr char kInHelo[] = "IN-HELO";     // aircraft, burns F-44
inline constexpr char kRuShip[] = "RU-SHIP";     // corvette, burns F-76

inline constexpr char kF76[] = "FUEL-F76";   // tonne, grade F-76
inline constexpr char kTs1[] = "FUEL-TS1";   // kg, grade TS-1
inline constexpr char kF44[] = "FUEL-F44";   // litre, grade F-44 (stock kept in m3)
inline constexpr char kBerthDay[] = "BERTH-DAY";
inline constexpr char kWater[] = "WATER";    // tonne, supplies
inline constexpr char kMeals[] = "MEALS";    // meal, supplies; not offered at RU-VLD
inline constexpr char kMedBed[] = "MED-BED";  // bed-day, medical: uses beds
inline constexpr char kAccomBed[] = "ACCOM-BED";  // bed-day, accommodation
inline constexpr char kAmmo[] = "AMMO-76";   // ammunition: excluded
inline constexpr char kTruck[] = "TRUCK-HOUR";  // transport: not an eligible category

// RU-VLD's opening F-76 stock, and the two F-76 prices (the second in force
// from kF76NewPriceFrom).
inline constexpr int64_t kRuF76OnHandTonnes = 500;
inline constexpr char kF76OldPrice[] = "60000.00 RUB";
inline constexpr char kF76NewPrice[] = "66000.00 RUB";
inline constexpr char kF76NewPriceFrom[] = "2026-04-01";
inline constexpr int64_t kRuBeds = 10;

// Where the fake clock starts: 2026-03-02T08:00:00Z.
Timestamp StartTime();

registry::RegistryData TestRegistry();

// ---- People.
orders::Actor As(const std::string& party, orders::Role role);
orders::Actor SystemActor();
inline const std::vector<std::string> kParties = {"IN", "RU", "CN"};  // requester, supplier, third party
const std::vector<orders::Role>& AllRoles();
const std::vector<orders::OrderState>& AllStates();
const std::vector<orders::Action>& AllActions();

// ---- Status assertions: the code and the reason, never just "not ok".
::testing::AssertionResult IsError(const Status& s, StatusCode code, std::string_view reason);
template <typename T>
::testing::AssertionResult IsError(const Result<T>& r, StatusCode code, std::string_view reason) {
  return IsError(r.status(), code, reason);
}

#define RELOS_ASSERT_OK(expr)                                 \
  do {                                                        \
    const ::relos::Status relos_s_ = ::relos::internal::AsStatus(expr); \
    ASSERT_TRUE(relos_s_.ok()) << relos_s_;                   \
  } while (0)
#define RELOS_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  RELOS_ASSERT_OK_AND_ASSIGN_IMPL(RELOS_CONCAT(relos_r_, __LINE__), lhs, expr)
#define RELOS_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  ASSERT_TRUE(tmp.ok()) << tmp.status();                \
  lhs = std::move(tmp).value()

// ---- What a refused call must leave as it was: every order, every
// facility (their stocks) and the length of the audit chain.
int64_t EventCount(storage::Store& store);
struct Footprint {
  std::vector<orders::Order> orders;
  std::vector<registry::Facility> facilities;
  int64_t events = 0;
  friend bool operator==(const Footprint&, const Footprint&) = default;
};
Footprint FootprintOf(storage::Store& store);
void PrintTo(const Footprint& f, std::ostream* os);

// Runs `call` (returning Status or Result<T>): it must fail with `code` and
// `reason` and leave the store's footprint as it was.
template <typename Call>
::testing::AssertionResult RefusedUnchanged(storage::Store& store, StatusCode code, std::string_view reason,
                                            Call&& call) {
  const Footprint before = FootprintOf(store);
  const Status s = ::relos::internal::AsStatus(call());
  ::testing::AssertionResult r = IsError(s, code, reason);
  if (!r) return r;
  if (!(FootprintOf(store) == before)) {
    return ::testing::AssertionFailure() << "refused with " << s << " but changed the store: was "
                                         << ::testing::PrintToString(before) << ", now "
                                         << ::testing::PrintToString(FootprintOf(store));
  }
  return ::testing::AssertionSuccess();
}

registry::Facility GetFacility(storage::Store& store, const std::string& code);
orders::Order GetOrder(storage::Store& store, int64_t id);

// Performs `action` on order `o` as `actor` with the simplest valid
// arguments: approve and deliver in full, acknowledge every line, resolve
// line 1 at what was delivered, a remark always. Create is not an action on
// an existing order: it is InvalidArgument here.
Result<orders::Order> Perform(orders::OrderService& service, orders::Action action, const orders::Actor& actor,
                              const orders::Order& o, const orders::Command& cmd = {});
// The actor the lifecycle table lets perform `action` (the requester's side
// for cancel and close).
orders::Actor RightActorFor(orders::Action action);

// A store with the test registry in it, a fake clock and the services.
class OrdersFixture {
 public:
  explicit OrdersFixture(storage::Store& store);

  // A line of `quantity` of `item`, for `days` days starting `offset_days`
  // from now (35 days gives every purpose enough notice).
  orders::LineRequest Line(const std::string& item, const Quantity& quantity, int64_t offset_days = 35,
                           int64_t days = 2) const;
  // A port call of kInShip at kRuPort, settled in cash: 10 t of F-76 and a
  // 2-day berth.
  orders::CreateOrderRequest Request() const;
  orders::CreateOrderRequest Request(std::vector<orders::LineRequest> lines,
                                     registry::Purpose purpose = registry::Purpose::kPortCall,
                                     const std::string& unit = kInShip) const;

  // Creates `request` as the Indian requester.
  Result<orders::Order> Create(const orders::CreateOrderRequest& request);
  // Creates `request` and takes it to `state` along the shortest path of
  // the lifecycle, each step by the right actor. With `dispute`, receipt
  // disputes line 1 (to reach receipted or closed: closed then resolves it
  // first).
  Result<orders::Order> RaiseTo(orders::OrderState state, const orders::CreateOrderRequest& request,
                                bool dispute = false);
  Result<orders::Order> RaiseTo(orders::OrderState state) { return RaiseTo(state, Request()); }

  // Loads the registry, lets `mutate` change it and imports it back as the
  // system actor.
  Status UpdateRegistry(const std::function<void(registry::RegistryData&)>& mutate);

  storage::Store& store;
  FakeClock clock{StartTime()};
  orders::OrderService orders{store, clock};
  registry::RegistryService registry{store, clock};
};

}  // namespace relos::testing

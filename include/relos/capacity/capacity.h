// The capacity model: what each facility can take over time, what approved
// orders hold of it, and where a plan asks for more than there is.
//
// Resources of a facility:
//   berth:<id>         one ship at a time; a ship fits if the berth is at
//                      least as long as the ship and as deep as its draught
//   aircraft-stands    places for aircraft, from the facility's capacities
//   maintenance-bays   repair or dry-dock bays
//   beds               hospital beds
//   accommodation      billeting places ashore
//   fuel:<grade>       stock: the stock on hand now (the registry's on_hand,
//                      which deliveries reduce) plus planned replenishments
//                      still to come less approved, undelivered issues,
//                      never below zero at any time
// A facility that lists no berths, no capacity of a kind or no stock of a
// grade does not manage that resource here (the order policy decides
// whether it may be ordered at all).
//
// What an order line needs (its Demand) follows from the catalogue item's
// category and unit of measure and from the unit: a berth-day of berthing is
// a berth for the line's window; a berth-day of maintenance is a bay; a
// bed-day of medical care a bed and of accommodation a place, quantity /
// days of the window at once (rounded up); a fuel item an issue of its
// grade at the window's start; an aircraft at a facility with stands holds
// one stand from its order's first window start to its last window end.
//
// Thread-safety: pure functions over a caller's transaction; the observer
// is stateless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "relos/capacity/tables.h"
#include "relos/core/quantity.h"
#include "relos/orders/order_service.h"
#include "relos/storage/store.h"

namespace relos::capacity {

enum class ResourceKind { kBerth, kAircraftStands, kMaintenanceBays, kBeds, kAccommodation, kFuel };
std::string_view Name(ResourceKind k);  // "berth", "aircraft-stands", ..., "fuel"

// What one order line (line_no > 0) or one order as a whole (line_no 0,
// an aircraft stand) needs at its facility.
struct Demand {
  std::string order;  // order number, or a plan's label for an order not yet created
  int64_t line_no = 0;
  std::string facility;
  std::string unit;
  ResourceKind kind = ResourceKind::kBeds;
  // The resource key: "beds", "fuel:F-76", "aircraft-stands"... For a berth
  // "berth" until one is chosen, then "berth:<id>".
  std::string resource;
  int64_t amount = 0;  // places; for fuel, thousandths of the stock's unit
  Timestamp start;
  Timestamp end;            // exclusive; a fuel issue has end == start
  double unit_length_m = 0;   // for berths
  double unit_draught_m = 0;  // for berths
  friend bool operator==(const Demand&, const Demand&) = default;
};

// What `order` needs at its facility, from its approved quantities (lines
// approved at zero need nothing) when `approved`, else from the requested
// ones. NotFound for an unknown facility, unit or item; FailedPrecondition
// if a fuel quantity cannot be expressed in the stock's unit.
Result<std::vector<Demand>> DemandsOf(storage::Transaction& txn, const orders::Order& order, bool approved);

// One over-subscription: during [from, to) `resource` at `facility` is asked
// for `demand` but has `capacity` (for fuel: the projected stock would be
// capacity - demand < 0). Amounts as in Demand.
struct Conflict {
  std::string facility;
  std::string resource;  // "beds", "fuel:F-76", or "berth" for the berths a ship fits
  ResourceKind kind = ResourceKind::kBeds;
  Timestamp from;
  Timestamp to;
  int64_t capacity = 0;
  int64_t demand = 0;
  std::string stock_unit;           // for fuel: the unit amounts are thousandths of
  std::vector<std::string> orders;  // every order involved, sorted, without repeats
  int64_t shortfall() const { return demand - capacity; }
  // "beds at RU-VLD from 2026-03-02T00:00:00Z to 2026-03-04T00:00:00Z:
  //  capacity 40, asked 55, short by 15 (orders A, B)".
  std::string ToString() const;
  friend bool operator==(const Conflict&, const Conflict&) = default;
};

// The result of placing demands beside what is already reserved: where
// each one goes (berths chosen, tightest fit first) and every
// over-subscription that results.
struct Placement {
  std::vector<Reservation> reservations;  // one per placed demand, in the demands' order
  std::vector<Conflict> conflicts;        // by facility, resource, from
};

// Places `demands` against the reservations already stored. Berths are
// given to demands in order of start time, each to the free compatible
// berth that fits most tightly; a demand that finds none is a berth
// conflict (and is not placed). With `involving_only`, conflicts that no
// demand takes part in (an over-subscription already stored) are left out.
// `now` decides which replenishments are still to come (later than now).
Result<Placement> Place(storage::Transaction& txn, const std::vector<Demand>& demands, bool involving_only,
                        Timestamp now);

// Reserves what the approved `order` needs, in the caller's transaction, at
// `now`.
// ResourceExhausted (reason "capacity.exhausted") naming the resource, the
// time and the shortfall if any of it does not fit; nothing is reserved then.
Status Reserve(storage::Transaction& txn, const orders::Order& order, Timestamp now);

// Which of an order's reservations Release gives back.
enum class Held { kAll, kFuelIssues, kPlaces };

// Releases the order's reservations of the kind `what`.
Status Release(storage::Transaction& txn, const std::string& order_number, Held what);

// Approval reserves; delivery releases the fuel issues (the delivery takes
// the fuel out of the facility's on-hand stock, which the projection starts
// from); closing releases the places; cancellation releases everything.
class CapacityObserver final : public orders::OrderObserver {
 public:
  Status OnTransition(storage::Transaction& txn, orders::Action action, const orders::Order& before,
                      const orders::Order& after, const orders::Actor& actor) override;
};

// ---- Reading the model.

// The fuel projection of one grade: the stock after every event, in time order.
struct StockPoint {
  Timestamp at;
  int64_t change = 0;  // + replenishment, - issue
  int64_t stock = 0;   // after the change
  std::string what;    // "on hand", "replenishment R-1", "order X line 2"
};

struct ResourceUsage {
  std::string resource;
  ResourceKind kind = ResourceKind::kBeds;
  int64_t capacity = 0;            // places; for fuel the stock on hand
  std::string detail;              // berth: "250 m, 10.5 m draught"; fuel: the stock unit
  std::vector<Reservation> held;   // overlapping the window, by start
  int64_t peak = 0;                // most places held at once in the window (not fuel)
  std::vector<StockPoint> stock;   // fuel only: the projection from now on
};

struct FacilityUsage {
  std::string facility;
  Timestamp from;
  Timestamp to;
  std::vector<ResourceUsage> resources;  // berths by id, then the counted kinds, then fuel by grade
};

// What `facility` has and what is held of it during [from, to).
// NotFound for an unknown facility; InvalidArgument if to <= from.
Result<FacilityUsage> UsageOf(storage::Transaction& txn, const std::string& facility, Timestamp from, Timestamp to,
                              Timestamp now);

// Records a planned replenishment of `grade` at `facility` with its audit
// event ("capacity.replenishment"), in the caller's transaction. The actor
// must be a logistics officer or admin of the facility's owner
// (PermissionDenied otherwise); InvalidArgument for a grade the facility
// does not stock or a quantity not convertible to its stock unit;
// AlreadyExists for a used id.
// `now` is the time of the event; r.amount is ignored (set from quantity).
Status AddReplenishment(storage::Transaction& txn, const orders::Actor& actor, const FuelReplenishment& r,
                        const Quantity& quantity, Timestamp now);

// The replenishment's canonical JSON: its audit event's payload, which
// `relos verify` compares with the stored row.
std::string CanonicalJson(const FuelReplenishment& r);

// A fuel amount (thousandths of `unit`) as text: "350 tonne".
std::string FuelAmountText(int64_t milli, const std::string& unit);

}  // namespace relos::capacity

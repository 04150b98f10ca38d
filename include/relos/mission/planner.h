// The mission planner: for one unit travelling from an origin to a
// destination at a set speed, the route through refuelling stops that keeps
// the fuel on board at or above a reserve, best by a chosen objective, and
// the draft support orders for the stops at the partner's facilities.
//
// Model (docs/mission-planner.md has the details and examples):
//  - Fuel burn follows the cubic law: fuel per hour at speed v is
//    consumption_per_hour * (v / v_cruise)^3, so fuel per nautical mile is
//    consumption_per_hour / v_cruise * (v / v_cruise)^2.
//  - The unit leaves the origin with `initial_fuel` (default: full) and
//    refuels TO FULL at every stop; it takes no fuel at the destination.
//    Because every stop ends with full tanks, the state after a stop does not
//    depend on how the unit got there, and a Dijkstra search over the stops
//    with additive, lexicographically compared labels is exact.
//  - A leg is allowed only if the fuel on arrival stays >= reserve * capacity
//    and the stop at its end holds enough of a compatible grade to refill.
//  - A stop's fuel is what it can issue at the unit's arrival (fuel_from,
//    from the capacity module's projection when PlanMission is given one).
//    With stocks that change over time the search judges each stop at the
//    arrival time of the best way there; it does not wait for a delivery,
//    so exactness (above) is proved for stocks constant in time.
//  - Each stop costs `stop_hours` alongside. Cost counts only what the
//    partner bills (fuel bought at partner facilities, in the partner's
//    currency, minor units); own-party fuel is not billed under the agreement.
//
// Two layers: PlanOverStops is pure (candidate stops + a DistanceOracle) so
// tests can use synthetic instances; PlanMission builds the candidate stops
// from the registry (eligibility under the agreement, fuel compatibility,
// stocks, prices) and calls it.
//
// Thread-safety: free functions over values; the oracle is borrowed for the
// call and must be safe to call from the calling thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relos/capacity/capacity.h"
#include "relos/core/geo.h"
#include "relos/core/quantity.h"
#include "relos/core/status.h"
#include "relos/core/time.h"
#include "relos/mission/distance.h"
#include "relos/orders/order_service.h"
#include "relos/registry/registry.h"

namespace relos::mission {

// What "best" means. Ties on the chosen objective are broken by the others
// in the order time, distance, partner stops, cost, then fewer stops.
enum class Objective { kTime, kDistance, kPartnerStops, kCost };

// "time", "distance", "partner-stops", "cost"; InvalidArgument otherwise.
Result<Objective> ParseObjective(std::string_view text);
std::string_view Name(Objective objective);

// A place the unit may stop at to refuel. Fuel amounts are in the unit's
// fuel unit (that of its capacity).
struct CandidateStop {
  std::string code;  // facility code
  std::string name;
  GeoPosition position;
  bool partner = false;        // owned by the agreement partner
  double fuel_available = 0;   // of the compatible grade: on hand, or free to issue now (projection)
  std::string supplied_grade;  // the grade it would issue
  double price_per_fuel_unit = 0;  // minor units of the partner's currency; 0 for own stops
  // When the stock changes over time (the capacity module's projection):
  // (t, amount) in ascending t, what the stop can issue to a unit arriving
  // at or after t without leaving any later approved issue short. Before
  // the first t, and when empty, `fuel_available`.
  std::vector<std::pair<Timestamp, double>> fuel_from;

  // What the stop can issue to a unit arriving at `t`.
  double AvailableAt(Timestamp t) const;
};

struct Waypoint {
  std::string code;  // facility code, or "" for a bare position
  std::string name;
  GeoPosition position;
};

struct PlanningProblem {
  Waypoint origin;
  Waypoint destination;
  std::vector<CandidateStop> stops;
  double capacity = 0;      // fuel unit
  double initial_fuel = 0;  // on departure from the origin
  double reserve_fraction = 0.2;
  double burn_per_nm = 0;   // at the planned speed
  double speed_kn = 0;
  double stop_hours = 12;   // alongside at each refuelling stop
  // A leg may start up to this long after the unit is ready, waiting in port
  // for a seasonal passage to open (DistanceOracle::Openings), when that
  // makes the plan better by the objective or possible at all. 0: never.
  double max_wait_hours = 0;
  Timestamp departure;
  Objective objective = Objective::kTime;
  std::string fuel_unit = "tonne";  // for messages only
};

struct PlanLeg {
  Waypoint from;
  Waypoint to;
  double distance_nm = 0;
  std::vector<GeoPosition> path;  // from the oracle, for maps
  Timestamp depart;
  Timestamp arrive;
  double wait_hours = 0;  // in port before `depart`, for a seasonal passage to open
  double fuel_departure = 0;
  double fuel_used = 0;
  double fuel_arrival = 0;
};

struct PlanStop {
  CandidateStop stop;
  Timestamp arrive;
  Timestamp depart;
  double fuel_arrival = 0;
  double fuel_to_request = 0;  // capacity - fuel_arrival
  double cost = 0;             // minor units, partner stops only
};

struct Plan {
  bool feasible = false;
  std::string infeasible_reason;  // set when !feasible
  std::vector<PlanLeg> legs;
  std::vector<PlanStop> stops;  // stops[i] sits between legs[i] and legs[i + 1]
  double total_nm = 0;
  double total_hours = 0;
  int partner_stops = 0;
  double cost = 0;
  double min_fuel = 0;  // lowest fuel on board at any arrival
  double reserve = 0;   // reserve_fraction * capacity
};

// The best plan for `problem`. On success the plan is either feasible (fuel
// on every arrival >= reserve) or infeasible with a reason naming the leg
// that cannot be flown or sailed. InvalidArgument (naming the field) for
// capacity <= 0, initial fuel outside [0, capacity], reserve outside [0, 1),
// burn or speed <= 0, negative stop hours. Errors from the oracle other than
// NotFound (no route: the leg is simply not available) are returned.
Result<Plan> PlanOverStops(const PlanningProblem& problem, const DistanceOracle& oracle);

// A mission described in registry terms.
// The longest wait in port for a seasonal passage that a request may ask
// for (`relos plan mission --max-wait-days`, the API's max_wait_days): a
// season comes round within a year.
constexpr double kMaxWaitDays = 366;

struct MissionRequest {
  std::string unit;  // unit code
  // A facility code or a position; exactly one of each pair.
  std::string from_facility;
  std::optional<GeoPosition> from_position;
  std::string to_facility;
  std::optional<GeoPosition> to_position;
  Timestamp departure;
  std::optional<double> speed_kn;  // default: the unit's cruise speed
  double reserve_fraction = 0.2;
  std::optional<double> initial_fuel_fraction;  // default 1.0 (full)
  double stop_hours = 12;
  double max_wait_hours = 0;  // PlanningProblem::max_wait_hours
  Objective objective = Objective::kTime;
  registry::Purpose purpose = registry::Purpose::kTransit;
};

// Where a mission or a sea route starts or ends: the facility `facility` of
// `registry` (at its position; the sea router joins it to the network by
// its harbour approach) or the bare `position`, exactly one of the two.
// NotFound (reason `field`) for a facility not in `registry`;
// InvalidArgument (reason `field`) for both or neither.
Result<Waypoint> ResolveEnd(const registry::RegistryData& registry, const std::string& facility,
                            const std::optional<GeoPosition>& position, const std::string& field);

// A facility left out of the candidate stops, and why.
struct Exclusion {
  std::string facility;
  std::string reason;
};

struct MissionPlan {
  Plan plan;
  std::string unit;
  std::string fuel_unit;    // "tonne", "kg"...
  std::string agreement;    // the agreement that opens partner stops, or ""
  std::string partner;      // its other party
  std::string cost_currency;
  std::vector<Exclusion> excluded;
};

// The capacity module's fuel projection for each (facility, grade) that a
// facility of the registry stocks: the stock on hand now, then planned
// replenishments and approved issues in time order (capacity::UsageOf).
using FuelProjections = std::map<std::pair<std::string, std::string>, std::vector<capacity::StockPoint>>;

// Reads the projections of every fuel stock of the registry's facilities in
// `txn` (a read transaction is enough). Errors of the store are returned.
Result<FuelProjections> ProjectFuel(storage::Transaction& txn, const registry::RegistryData& registry, Timestamp now);

// Builds the candidate stops from `registry` and plans. Candidates: the
// unit's own party's facilities, and the partner's under an agreement in
// force at departure that binds both, makes the purpose and the fuel
// category eligible; each must stock a grade compatible with the unit's
// (CompatibilityOf: full or with-additive) with something on hand, be an
// airbase for aircraft and a port or naval base for ships (with a berth
// deep enough for the draught when berths are listed). NotFound for an
// unknown unit or facility; InvalidArgument for a unit without fuel data,
// a speed above the unit's maximum, or a bad origin/destination pair.
// `oracle` is borrowed for the call. With `fuel`, a stop offers what its
// projection leaves free at the unit's arrival (stock on hand + planned
// replenishments - approved issues, now and at every later time), so fuel
// already promised to other orders is not planned; without, its stock on
// hand.
Result<MissionPlan> PlanMission(const registry::RegistryData& registry, const MissionRequest& request,
                                const DistanceOracle& oracle, const FuelProjections* fuel = nullptr);

// One draft order per partner stop of a feasible plan: a fuel line for the
// quantity to request (in the catalogue item's unit, rounded up to the
// thousandth) and, for ships, a berth-day line. FailedPrecondition when the
// plan is infeasible; NotFound when a partner stop offers no catalogued fuel
// item for its grade.
Result<std::vector<orders::CreateOrderRequest>> DraftOrders(const registry::RegistryData& registry,
                                                            const MissionRequest& request,
                                                            const MissionPlan& plan);

}  // namespace relos::mission

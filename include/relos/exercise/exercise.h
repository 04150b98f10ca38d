// Exercises and operations (a joint exercise, a disaster-relief operation):
// who takes part, with which units, at which facilities, and the plan of
// port calls and support each unit needs there. From the plan the exercise
// service works out the berth schedule of every facility (the berth
// allocation optimiser, relos/berth), the capacity the calls would take and
// where it runs short (relos/capacity), and creates the support orders in
// bulk through the order service, so every order is checked by the
// agreement's rules and audited like any other. The exercise's orders, their
// quoted and ledger amounts and their states are then seen together.
//
// Every change to an exercise is one store transaction with its audit event
// ("exercise.created", "exercise.updated"; subject "exercise/<code>").
//
// Thread-safety: the service is thread-safe if the Store is; it borrows the
// store, the clock and the order service, which must outlive it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "relos/capacity/capacity.h"
#include "relos/core/quantity.h"
#include "relos/core/time.h"
#include "relos/orders/order_service.h"
#include "relos/registry/registry.h"
#include "relos/storage/store.h"

namespace relos::exercise {

enum class ExerciseStatus { kPlanned, kActive, kCompleted, kCancelled };
std::string_view Name(ExerciseStatus s);  // "planned", "active", "completed", "cancelled"
Result<ExerciseStatus> ParseExerciseStatus(std::string_view s);

// One line of support a call needs; its window defaults to the call's stay.
struct PlannedLine {
  std::string item;  // catalogue code
  Quantity quantity;
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
  std::string note;
  friend bool operator==(const PlannedLine&, const PlannedLine&) = default;
};

// One unit's stay at one facility. For a ship with a berthing line, arrive
// is the earliest it can be alongside and depart - arrive the time it needs
// there; the berth plan may start it later, but never after it would have
// to leave past latest_departure.
struct PortCall {
  std::string unit;
  std::string facility;
  Timestamp arrive;
  Timestamp depart;
  std::optional<Timestamp> latest_departure;  // default: the exercise's end
  int64_t priority = 1;                       // weight in the berth plan, >= 1
  std::vector<PlannedLine> lines;
  friend bool operator==(const PortCall&, const PortCall&) = default;
};

struct Exercise {
  std::string code;  // "EX-INDRA-2026": upper-case letters, digits and '-'
  std::string name;
  registry::Purpose purpose = registry::Purpose::kExercise;  // what its orders are for
  std::string description;  // the aim, in words
  std::string agreement;    // the agreement its support is given under
  Timestamp start;
  Timestamp end;  // exclusive
  std::vector<std::string> parties;
  std::vector<std::string> units;
  std::vector<std::string> facilities;
  std::vector<PortCall> calls;
  ExerciseStatus status = ExerciseStatus::kPlanned;
  int64_t version = 0;  // 1 at creation, +1 on every change
  Timestamp created_at;
  Timestamp updated_at;
  friend bool operator==(const Exercise&, const Exercise&) = default;
};

// The JSON document of an exercise (also its stored body and audit payload):
// keys are the member names, times ISO 8601, quantities "12.5 tonne", enums
// by their Name(). Decoding refuses unknown keys and wrong types with
// InvalidArgument naming the JSON path ("$.calls[2].arrive: ...").
// `status`, `version`, `created_at` and `updated_at` may be omitted.
std::string ToJsonText(const Exercise& e);
Result<Exercise> ExerciseFromJsonText(const std::string& json, const std::string& source);
// A plan file: JSON, or YAML when `yaml` (the same document).
Result<Exercise> ParseExerciseFile(const std::string& text, bool yaml, const std::string& source);

// ---- The plan.

// Where and when a ship is put alongside in the berth plan.
struct BerthSlot {
  int call = 0;  // index into Exercise::calls
  std::string unit;
  std::string berth;
  Timestamp start;
  Timestamp end;
  int64_t delay_hours = 0;  // start - requested arrival
};

struct FacilityBerthPlan {
  std::string facility;
  std::vector<std::string> berths;  // ids, as in the registry
  std::vector<BerthSlot> slots;     // by berth, then start
  int64_t objective = 0;            // total weighted hours from arrival to departure
  int64_t lower_bound = 0;
  bool proven_optimal = false;
  std::string method;
  std::string problem;  // why there is no schedule, when there is none
};

// What one call becomes: the order it would create (lines with windows
// moved to the berth plan's slot).
struct PlannedOrder {
  int call = 0;
  std::string label;  // "<exercise>/<call+1>": the order's name in conflicts until created
  orders::CreateOrderRequest request;
  std::string requester;  // the unit's owner
};

struct ExercisePlan {
  Exercise exercise;
  std::vector<FacilityBerthPlan> berth_plans;  // one per facility with berthing calls
  std::vector<PlannedOrder> orders;
  std::vector<capacity::Conflict> conflicts;   // against what is already reserved
};

struct PlanOptions {
  double berth_time_limit_seconds = 10;  // per facility
};

// ---- What has happened.

struct ExerciseCosts {
  std::map<std::string, int64_t> quoted;       // currency -> approved quantity x quoted price, minor units
  std::map<std::string, int64_t> outstanding;  // currency -> ledger amount not yet settled
  std::map<std::string, int64_t> pending;      // currency -> ledger amount reserved at approval
};

struct ExerciseSummary {
  Exercise exercise;
  std::vector<orders::Order> orders;            // the actor's party's orders naming the exercise, by id
  std::map<std::string, int64_t> order_states;  // state -> count
  ExerciseCosts costs;
};

struct CreatedOrders {
  std::vector<orders::Order> created;  // new, or found again by their idempotency key
  std::vector<std::string> skipped;    // "<label>: <why>" for calls of other parties' units
};

class ExerciseService {
 public:
  ExerciseService(storage::Store& store, const Clock& clock, orders::OrderService& orders);

  // Stores a new exercise (status planned, version 1) with its audit event.
  // InvalidArgument naming the field for a malformed exercise (code, empty
  // name, period, calls outside the period or not of its units and
  // facilities, a window outside its call...); NotFound for an unknown
  // agreement, party, unit, facility or item; FailedPrecondition for a unit
  // or facility whose owner does not take part, or an agreement that does
  // not bind the parties; PermissionDenied unless the actor is a requester,
  // logistics officer or admin of a taking part party; AlreadyExists if the
  // code is taken.
  Result<Exercise> Create(const orders::Actor& actor, const Exercise& exercise);
  // Replaces the plan of an existing exercise (same checks as Create), or
  // changes its status; version + 1. NotFound for an unknown code.
  Result<Exercise> Update(const orders::Actor& actor, const Exercise& exercise);
  // With `expected_version`, Aborted (reason "exercise.stale") unless the
  // stored exercise is still at that version.
  Result<Exercise> SetStatus(const orders::Actor& actor, const std::string& code, ExerciseStatus status,
                             std::optional<int64_t> expected_version = std::nullopt);

  // NotFound for an unknown code.
  Result<Exercise> Get(const std::string& code);
  Result<std::vector<Exercise>> List();

  // The berth plan of every facility, the orders the calls become and the
  // conflicts they would have with what is reserved. Reads only.
  Result<ExercisePlan> Plan(const std::string& code, const PlanOptions& options);

  // Creates, through the order service, the orders of `plan` whose unit
  // belongs to the actor's party (drafts, or submitted with `submit`). A call
  // already created (same idempotency key) returns its order. Errors from
  // the order service pass through, naming the call.
  Result<CreatedOrders> CreateOrders(const orders::Actor& actor, const ExercisePlan& plan, bool submit);

  // The exercise with the actor's party's orders for it, their states and costs.
  Result<ExerciseSummary> Summary(const orders::Actor& actor, const std::string& code);

 private:
  Result<Exercise> Store(const orders::Actor& actor, Exercise e, bool create,
                         std::optional<int64_t> expected_version = std::nullopt);

  storage::Store& store_;
  const Clock& clock_;
  orders::OrderService& orders_;
};

}  // namespace relos::exercise

// /api/v1/exercises and the capacity routes: `relos exercise ...` and
// `relos capacity ...` through the same services (relos::exercise,
// relos::capacity), answering the same JSON as their --json output.
//
// Isolation: a party sees only the exercises it takes part in (another's is
// 404, as one that does not exist), and only its own facilities' capacity:
// a partner's berths, beds and fuel stock are the owner's internals, which
// the agreement does not publish. In an exercise's plan, a conflict at a
// facility the caller does not own therefore names no capacity or demand
// (the shortfall alone says that the plan does not fit), and names only the
// orders the caller may see.
#include <algorithm>
#include <set>

#include "relos/capacity/capacity_json.h"
#include "relos/exercise/exercise_json.h"
#include "relos/orders/lifecycle.h"
#include "relos/orders/policy.h"
#include "relos/server/api.h"
#include "server/api_util.h"

namespace relos::server {

using codec::Json;
using exercise::Exercise;
using orders::Role;

namespace {

bool TakesPart(const Exercise& e, const std::string& party) {
  return std::find(e.parties.begin(), e.parties.end(), party) != e.parties.end();
}

Status NoSuchFacility(const std::string& code) {
  return NotFound("facility '" + code + "' not found", "storage.not_found");
}

// The facility, if `party` owns it; else the same NotFound as for a code
// that does not exist.
Result<registry::Facility> OwnFacility(storage::Transaction& txn, const std::string& code, const std::string& party) {
  Result<registry::Facility> f = txn.GetFacility(code);
  if (!f.ok() || f->owner != party) return NoSuchFacility(code);
  return f;
}

Reply ExerciseReply(const Json& body, int64_t version, int status) {
  Reply r{status, body};
  r.headers.emplace_back("ETag", "\"" + std::to_string(version) + "\"");
  return r;
}

// A JSON boolean member, false when absent.
Result<bool> JsonBoolAt(const Json& j, const std::string& key) {
  auto it = j.find(key);
  if (it == j.end()) return false;
  if (!it->is_boolean()) return InvalidArgument("$." + key + ": must be true or false", key);
  return it->get<bool>();
}

}  // namespace

Result<Exercise> Api::VisibleExercise(const Call& c, const std::string& code) {
  Result<Exercise> e = exercises_.Get(code);
  if (e.ok() && !TakesPart(*e, c.actor.party)) {
    return NotFound("exercise '" + code + "' not found", "exercise.not_found");
  }
  return e;
}

Result<exercise::ExercisePlan> Api::PlanOfExercise(const Call& c, const std::string& code,
                                                   std::optional<double> time_limit) {
  ASSIGN_OR_RETURN(Exercise e, VisibleExercise(c, code));
  exercise::PlanOptions po;
  if (time_limit) po.berth_time_limit_seconds = *time_limit;
  return exercises_.Plan(e.code, po);
}

Result<Json> Api::PlanView(const exercise::ExercisePlan& plan, const orders::Actor& actor) {
  Json j = exercise::PlanJson(plan);
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  std::set<std::string> labels;
  for (const auto& po : plan.orders) labels.insert(po.label);
  for (Json& conflict : j.at("conflicts")) {
    ASSIGN_OR_RETURN(registry::Facility f, txn->GetFacility(conflict.at("facility").get<std::string>()));
    if (f.owner == actor.party) continue;
    if (conflict.at("kind") != "berth") {
      for (const char* key : {"capacity", "demand", "text"}) conflict.erase(key);
    } else {
      conflict.erase("text");  // names the other orders
    }
    Json shown = Json::array();
    int64_t others = 0;
    for (const Json& o : conflict.at("orders")) {
      const std::string number = o.get<std::string>();
      if (labels.count(number) || orders_.GetByNumber(actor, number).ok()) {
        shown.push_back(number);
      } else {
        ++others;
      }
    }
    conflict["orders"] = shown;
    conflict["other_orders"] = others;
  }
  return j;
}

void Api::AddExerciseRoutes() {
  const std::set<Role> planners = {Role::kRequester, Role::kLogisticsOfficer, Role::kAdmin};

  router_.Add({"GET", "/api/v1/exercises", "the exercises the caller's party takes part in, as `relos exercise list --json`",
               true, {}, 200, false, {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(std::vector<Exercise> all, exercises_.List());
                 Json list = Json::array();
                 for (const Exercise& e : all) {
                   if (TakesPart(e, c.actor.party)) list.push_back(exercise::ExerciseJson(e));
                 }
                 return Reply{200, {{"exercises", list}}};
               }});

  router_.Add({"POST", "/api/v1/exercises",
               "create an exercise from the document `relos exercise create` reads (JSON); a retry with the same "
               "Idempotency-Key returns it",
               true, planners, 201, true, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c));
                 ASSIGN_OR_RETURN(Json body, c.Body());
                 ASSIGN_OR_RETURN(Exercise e, exercise::ExerciseFromJsonText(body.dump(), "body"));
                 Result<Exercise> made = exercises_.Create(c.actor, e);
                 // A retry: the exercise the first call stored, if it is this one.
                 if (!made.ok() && made.status().reason() == "exercise.exists" && !key.empty()) {
                   ASSIGN_OR_RETURN(Exercise stored, VisibleExercise(c, e.code));
                   Exercise asked = e;
                   asked.status = stored.status;
                   asked.version = stored.version;
                   asked.created_at = stored.created_at;
                   asked.updated_at = stored.updated_at;
                   if (asked == stored) made = stored;
                 }
                 if (!made.ok()) return made.status();
                 Reply r = ExerciseReply(exercise::ExerciseJson(*made), made->version, 201);
                 r.headers.emplace_back("Location", "/api/v1/exercises/" + made->code);
                 return r;
               },
               true});

  router_.Add({"GET", "/api/v1/exercises/{code}",
               "one exercise with the caller's party's orders for it, their states and costs, as `relos exercise "
               "show --json`; ETag is its version",
               true, {}, 200, false, {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Exercise e, VisibleExercise(c, c.params.at("code")));
                 ASSIGN_OR_RETURN(exercise::ExerciseSummary s, exercises_.Summary(c.actor, e.code));
                 return ExerciseReply(exercise::SummaryJson(s), s.exercise.version, 200);
               }});

  router_.Add({"GET", "/api/v1/exercises/{code}/plan",
               "the berth plan of each facility, the orders the calls become and their capacity conflicts, as `relos "
               "exercise plan --json`; changes nothing (time_limit: seconds per facility, default 10)",
               true, {}, 200, false, {"time_limit"}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto limit, NumberParam(c, "time_limit", 0, 60));
                 ASSIGN_OR_RETURN(exercise::ExercisePlan plan, PlanOfExercise(c, c.params.at("code"), limit));
                 ASSIGN_OR_RETURN(Json j, PlanView(plan, c.actor));
                 return Reply{200, j};
               }});

  std::set<Role> creators;
  for (const auto& p : orders::PermissionsFor(orders::Action::kCreate)) creators.insert(p.roles.begin(), p.roles.end());
  router_.Add({"POST", "/api/v1/exercises/{code}/orders",
               "plan the exercise and raise the caller's party's support orders from it, as `relos exercise plan "
               "--create-orders` ({submit?, time_limit?}); each call's order is made once, so a retry returns what "
               "was made",
               true, creators, 201, true, {},
               [this](Call& c) -> Result<Reply> {
                 RETURN_IF_ERROR(IdempotencyKey(c).status());
                 ASSIGN_OR_RETURN(Json body, c.Body());
                 if (body.is_null()) body = Json::object();
                 if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
                 RETURN_IF_ERROR(orders::JsonOnlyKeys(body, "$", {"submit", "time_limit"}));
                 ASSIGN_OR_RETURN(bool submit, JsonBoolAt(body, "submit"));
                 ASSIGN_OR_RETURN(auto limit, JsonNumberAt(body, "time_limit", "$", 0, 60));
                 ASSIGN_OR_RETURN(exercise::ExercisePlan plan, PlanOfExercise(c, c.params.at("code"), limit));
                 ASSIGN_OR_RETURN(exercise::CreatedOrders made, exercises_.CreateOrders(c.actor, plan, submit));
                 ASSIGN_OR_RETURN(Json j, PlanView(plan, c.actor));
                 j.update(exercise::CreatedOrdersJson(made));
                 return Reply{201, j};
               },
               true});

  router_.Add({"GET", "/api/v1/exercises/{code}/orders",
               "the caller's party's orders for the exercise, as `relos exercise orders --json`", true, {}, 200, false,
               {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Exercise e, VisibleExercise(c, c.params.at("code")));
                 ASSIGN_OR_RETURN(exercise::ExerciseSummary s, exercises_.Summary(c.actor, e.code));
                 Json list = Json::array();
                 for (const auto& o : s.orders) list.push_back(codec::ToJson(o));
                 return Reply{200, {{"orders", list}}};
               }});

  router_.Add({"POST", "/api/v1/exercises/{code}/status",
               "set the exercise's status {status: planned|active|completed|cancelled}, as `relos exercise status`; "
               "If-Match: the ETag last seen (stale: 409)",
               true, planners, 200, true, {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Json body, c.Body());
                 if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
                 RETURN_IF_ERROR(orders::JsonOnlyKeys(body, "$", {"status"}));
                 ASSIGN_OR_RETURN(std::string text, orders::JsonStringAt(body, "status", "$", true));
                 Result<exercise::ExerciseStatus> to = exercise::ParseExerciseStatus(text);
                 if (!to.ok()) return to.status().WithContext("$");
                 ASSIGN_OR_RETURN(std::optional<int64_t> expected, ExpectedVersion(c.request));
                 ASSIGN_OR_RETURN(Exercise e, VisibleExercise(c, c.params.at("code")));
                 ASSIGN_OR_RETURN(Exercise changed, exercises_.SetStatus(c.actor, e.code, *to, expected));
                 return ExerciseReply(exercise::ExerciseJson(changed), changed.version, 200);
               }});

  router_.Add({"GET", "/api/v1/facilities/{code}/capacity",
               "what one of the caller's party's facilities has and what approved orders hold of it in [from, to) "
               "(default: 14 days from today), as `relos capacity show --json`; another party's facility is 404",
               true, {}, 200, false, {"from", "to"}, [this](Call& c) -> Result<Reply> {
                 const auto& q = c.request.query;
                 ASSIGN_OR_RETURN(auto window, capacity::UsageWindow(q.count("from") ? q.at("from") : "",
                                                                     q.count("to") ? q.at("to") : "", clock_.Now(),
                                                                     "from", "to"));
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(registry::Facility f, OwnFacility(*txn, c.params.at("code"), c.actor.party));
                 ASSIGN_OR_RETURN(capacity::FacilityUsage u,
                                  capacity::UsageOf(*txn, f.code, window.first, window.second, clock_.Now()));
                 return Reply{200, capacity::UsageJson(u)};
               }});

  router_.Add({"GET", "/api/v1/capacity/conflicts",
               "every over-subscription the caller's party's draft and submitted orders would cause, as `relos capacity "
               "conflicts --json`; facility: one of its own facilities",
               true, {}, 200, false, {"facility", "state"}, [this](Call& c) -> Result<Reply> {
                 const auto& q = c.request.query;
                 capacity::OrderConflictQuery query;
                 query.party = c.actor.party;
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 if (q.count("facility")) {
                   ASSIGN_OR_RETURN(registry::Facility f, OwnFacility(*txn, q.at("facility"), c.actor.party));
                   query.facility = f.code;
                 }
                 if (q.count("state")) {
                   Result<orders::OrderState> st = orders::ParseOrderState(q.at("state"));
                   if (!st.ok()) return st.status().WithContext("state");
                   query.states = {*st};
                 }
                 ASSIGN_OR_RETURN(std::vector<capacity::Conflict> found,
                                  capacity::ConflictsOfOrders(*txn, query, clock_.Now()));
                 // Only conflicts at the caller's own facilities: elsewhere
                 // the capacity is the owner's to see.
                 std::vector<capacity::Conflict> own;
                 for (auto& conflict : found) {
                   if (OwnFacility(*txn, conflict.facility, c.actor.party).ok()) own.push_back(std::move(conflict));
                 }
                 return Reply{200, {{"conflicts", capacity::ConflictsJson(own)}}};
               }});

  router_.Add({"POST", "/api/v1/facilities/{code}/replenishments",
               "plan a delivery into one of the caller's party's facilities' fuel stock {id, grade, quantity, at, "
               "note?}, as `relos capacity replenish`; Idempotency-Key: the id (a retry returns it)",
               true, {Role::kLogisticsOfficer, Role::kAdmin}, 201, true, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c));
                 ASSIGN_OR_RETURN(Json body, c.Body());
                 if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
                 RETURN_IF_ERROR(orders::JsonOnlyKeys(body, "$", {"id", "grade", "quantity", "at", "note"}));
                 capacity::FuelReplenishment r;
                 ASSIGN_OR_RETURN(r.id, orders::JsonStringAt(body, "id", "$", key.empty()));
                 if (r.id.empty()) r.id = key;
                 if (!key.empty() && r.id != key) return InvalidArgument("Idempotency-Key: differs from $.id", "Idempotency-Key");
                 ASSIGN_OR_RETURN(r.grade, orders::JsonStringAt(body, "grade", "$", true));
                 ASSIGN_OR_RETURN(std::string quantity_text, orders::JsonStringAt(body, "quantity", "$", true));
                 Result<Quantity> quantity = Quantity::Parse(quantity_text);
                 if (!quantity.ok()) return quantity.status().WithContext("$.quantity");
                 ASSIGN_OR_RETURN(std::string at, orders::JsonStringAt(body, "at", "$", true));
                 Result<Timestamp> when = Timestamp::Parse(at);
                 if (!when.ok()) return InvalidArgument("$.at: " + when.status().message(), "at");
                 r.at = *when;
                 ASSIGN_OR_RETURN(r.note, orders::JsonStringAt(body, "note", "$", false));
                 ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
                 ASSIGN_OR_RETURN(registry::Facility f, OwnFacility(*txn, c.params.at("code"), c.actor.party));
                 r.facility = f.code;
                 ASSIGN_OR_RETURN(std::vector<capacity::FuelReplenishment> planned,
                                  txn->Capacity().ListReplenishments(f.code, ""));
                 const registry::FuelStock* stock = f.FindFuel(r.grade);
                 auto find = [&]() -> const capacity::FuelReplenishment* {
                   for (const auto& p : planned) {
                     if (p.id == r.id) return &p;
                   }
                   return nullptr;
                 };
                 const capacity::FuelReplenishment* first = find();
                 // A retry with the same key and the same delivery returns what
                 // the first call stored; any other reuse of the id is refused
                 // by AddReplenishment (409).
                 const bool retry = first != nullptr && !key.empty() && stock != nullptr && first->grade == r.grade &&
                                    first->at == r.at && first->note == r.note && [&] {
                                      auto amount = quantity->ConvertWithDensity(stock->on_hand.unit(),
                                                                                 orders::kNominalFuelDensityKgPerM3);
                                      return amount.ok() && amount->milli() == first->amount;
                                    }();
                 if (!retry) {
                   RETURN_IF_ERROR(capacity::AddReplenishment(*txn, c.actor, r, *quantity, clock_.Now()));
                   ASSIGN_OR_RETURN(planned, txn->Capacity().ListReplenishments(f.code, ""));
                   first = find();
                   if (first == nullptr) return Internal("replenishment " + r.id + " not stored", "capacity.replenishment");
                   RETURN_IF_ERROR(txn->Commit());
                 }
                 r = *first;
                 Json j = Json::parse(capacity::CanonicalJson(r));
                 j["quantity"] = capacity::FuelAmountText(r.amount, stock ? std::string(UnitOfMeasureName(stock->on_hand.unit())) : "");
                 return Reply{201, j};
               },
               true});
}

}  // namespace relos::server

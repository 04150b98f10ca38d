// /api/v1/sea-routes and /api/v1/mission-plans: the planners of `relos
// route` and `relos plan mission`, through relos::planning, answering the
// same JSON as their --json output.
//
// A plan or a route is made over the registry as the caller's party sees
// it: its own units and facilities, its partners' facilities (those the
// agreement publishes to it), nobody else's; a unit or facility of anyone
// else is 404, as one that does not exist. Stops offer what the capacity
// module's projection leaves free to issue, as in the CLI, so a plan is the
// CLI's plan; the answer names no stock level, only (in `excluded`) a
// partner's stop that cannot refill the unit.
#include <set>
#include <sstream>

#include "relos/orders/lifecycle.h"
#include "relos/planning/planning.h"
#include "relos/registry/registry_service.h"
#include "relos/sealanes/anchor_cache.h"
#include "relos/sealanes/route.h"
#include "relos/server/api.h"
#include "server/api_util.h"

namespace relos::server {

using codec::Json;
using orders::Role;

namespace {

// The registry `party` may plan over: for a mission, its own units (the
// one planned among them); for a route, only the facilities count.
registry::RegistryData PlanningView(registry::RegistryData all, const std::string& party) {
  registry::RegistryData view;
  std::set<std::string> partners;
  for (registry::Agreement& a : all.agreements) {
    if (!a.Binds(party)) continue;
    partners.insert(a.PartnerOf(party));
    view.agreements.push_back(std::move(a));
  }
  for (registry::Party& p : all.parties) {
    if (p.code == party || partners.count(p.code)) view.parties.push_back(std::move(p));
  }
  for (registry::Unit& u : all.units) {
    if (u.owner == party) view.units.push_back(std::move(u));
  }
  for (registry::Facility& f : all.facilities) {
    if (f.owner == party || partners.count(f.owner)) view.facilities.push_back(std::move(f));
  }
  view.catalogue = std::move(all.catalogue);
  view.fuel_compatibility = std::move(all.fuel_compatibility);
  return view;
}

// {unit, from, to, departure, speed?, objective?, reserve?, stop_hours?,
// max_wait_days?, purpose?} as mission::MissionRequest: what `relos plan
// mission` takes but its leg table file (--legs).
Result<mission::MissionRequest> MissionRequestFromJson(const Json& body) {
  if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
  RETURN_IF_ERROR(orders::JsonOnlyKeys(
      body, "$", {"unit", "from", "to", "departure", "speed", "objective", "reserve", "stop_hours", "max_wait_days",
                 "purpose"}));
  mission::MissionRequest r;
  ASSIGN_OR_RETURN(r.unit, orders::JsonStringAt(body, "unit", "$", true));
  ASSIGN_OR_RETURN(std::string from, orders::JsonStringAt(body, "from", "$", true));
  ASSIGN_OR_RETURN(std::string to, orders::JsonStringAt(body, "to", "$", true));
  RETURN_IF_ERROR(planning::ParseMissionEnd(from, "from", &r.from_facility, &r.from_position).WithContext("$.from"));
  RETURN_IF_ERROR(planning::ParseMissionEnd(to, "to", &r.to_facility, &r.to_position).WithContext("$.to"));
  ASSIGN_OR_RETURN(std::string departure, orders::JsonStringAt(body, "departure", "$", true));
  Result<Timestamp> t = Timestamp::Parse(departure);
  if (!t.ok()) return InvalidArgument("$.departure: " + t.status().message(), "departure");
  r.departure = *t;
  ASSIGN_OR_RETURN(r.speed_kn, JsonNumberAt(body, "speed", "$", 0, 100));
  ASSIGN_OR_RETURN(auto reserve, JsonNumberAt(body, "reserve", "$", 0, 0.9, true));
  r.reserve_fraction = reserve.value_or(r.reserve_fraction);
  ASSIGN_OR_RETURN(auto stop_hours, JsonNumberAt(body, "stop_hours", "$", 0, 240, true));
  r.stop_hours = stop_hours.value_or(r.stop_hours);
  ASSIGN_OR_RETURN(auto max_wait_days, JsonNumberAt(body, "max_wait_days", "$", 0, mission::kMaxWaitDays, true));
  r.max_wait_hours = max_wait_days.value_or(0) * 24;
  ASSIGN_OR_RETURN(std::string objective, orders::JsonStringAt(body, "objective", "$", false));
  if (!objective.empty()) {
    Result<mission::Objective> o = mission::ParseObjective(objective);
    if (!o.ok()) return InvalidArgument("$.objective: " + o.status().message(), "objective");
    r.objective = *o;
  }
  ASSIGN_OR_RETURN(std::string purpose, orders::JsonStringAt(body, "purpose", "$", false));
  if (!purpose.empty()) {
    Result<registry::Purpose> p = registry::ParsePurpose(purpose);
    if (!p.ok()) return InvalidArgument("$.purpose: " + p.status().message(), "purpose");
    r.purpose = *p;
  }
  return r;
}

}  // namespace

Result<std::shared_ptr<const sealanes::SeaLaneNetwork>> Api::SeaLanes() const {
  std::lock_guard<std::mutex> lock(sealanes_mu_);
  if (sealanes_) return sealanes_;
  const std::string why = "the sea-lane network is not available on this server";
  if (!options_.open_sealanes) return Unavailable(why + " (none configured)", "sealanes.network");
  auto loaded = options_.open_sealanes();
  // Where it was looked for stays on the server: the client learns only
  // that planning is unavailable here.
  if (!loaded.ok()) return Unavailable(why + " (see docs/sealanes.md: scripts/build-data.sh builds it)", "sealanes.network");
  sealanes_ = *loaded;
  sealane_planner_ = std::make_shared<const sealanes::RoutePlanner>(*sealanes_, clock_);
  facility_anchors_ = std::make_shared<sealanes::AnchorCache>(*sealane_planner_, options_.anchor_cache_bytes);
  mission_legs_ = std::make_shared<mission::LegCache>();
  return sealanes_;
}

sealanes::AnchorCache* Api::FacilityAnchors() const {
  std::lock_guard<std::mutex> lock(sealanes_mu_);
  return facility_anchors_.get();
}

planning::KeptRouting Api::KeptForPlans() const {
  std::lock_guard<std::mutex> lock(sealanes_mu_);
  return {facility_anchors_.get(), mission_legs_.get()};
}

void Api::AddPlanningRoutes() {
  const std::set<Role> planners = {Role::kRequester, Role::kApprover, Role::kLogisticsOfficer, Role::kAdmin};

  router_.Add({"GET", "/api/v1/sea-routes",
               "the shortest sea route between two places (LAT,LON, a reference port or a facility), as `relos route "
               "--json` with its geometry as a GeoJSON LineString",
               true, planners, 200, false, {"from", "to", "avoid", "max_draught", "beam", "depart", "speed"},
               [this](Call& c) -> Result<Reply> {
                 const auto& q = c.request.query;
                 for (const char* key : {"from", "to"}) {
                   if (!q.count(key) || q.at(key).empty()) return InvalidArgument(std::string(key) + ": required", key);
                 }
                 sealanes::RouteOptions options;
                 if (q.count("avoid")) {
                   std::stringstream avoid(q.at("avoid"));
                   for (std::string id; std::getline(avoid, id, ',');) {
                     if (!id.empty()) options.avoid.push_back(id);
                   }
                   if (options.avoid.size() > 50) return InvalidArgument("avoid: at most 50 passages", "avoid");
                 }
                 ASSIGN_OR_RETURN(options.max_draught_m, NumberParam(c, "max_draught", 0, 30));
                 ASSIGN_OR_RETURN(options.beam_m, NumberParam(c, "beam", 0, 100));
                 ASSIGN_OR_RETURN(options.speed_knots, NumberParam(c, "speed", 0, 100));
                 if (q.count("depart")) {
                   Result<Timestamp> t = Timestamp::Parse(q.at("depart"));
                   if (!t.ok()) return InvalidArgument("depart: " + t.status().message(), "depart");
                   options.departure = *t;
                 }
                 ASSIGN_OR_RETURN(auto net, SeaLanes());
                 // A facility code names one the caller's party may see;
                 // any other answers as an unknown code.
                 const planning::RegistrySource registry =
                     planning::LoadOnce([this, &c]() -> Result<registry::RegistryData> {
                       ASSIGN_OR_RETURN(registry::RegistryData all, registry::RegistryService(store_, clock_).Load());
                       return PlanningView(std::move(all), c.actor.party);
                     });
                 sealanes::RouteEnd from, to;
                 Result<GeoPosition> place =
                     planning::ParseRoutePlace(*net, q.at("from"), "from", registry, &from.keep_anchor);
                 if (!place.ok()) return place.status().WithContext("from");
                 from.position = *place;
                 place = planning::ParseRoutePlace(*net, q.at("to"), "to", registry, &to.keep_anchor);
                 if (!place.ok()) return place.status().WithContext("to");
                 to.position = *place;
                 // Facility ends from the server's attached anchors: the
                 // route Plan gives, quicker from the second request on.
                 sealanes::AnchorCache* anchors = FacilityAnchors();
                 ASSIGN_OR_RETURN(sealanes::Route route,
                                  sealanes::PlanRoute(anchors->planner(), anchors, from, to, options));
                 return Reply{200, planning::RouteJson(route, true)};
               },
               false,
               {{"from", "required: LAT,LON in decimal degrees, the id or name of a reference port (`relos sealanes "
                         "ports`), or the code of a facility the caller's party may see (its own, or a partner's "
                         "under an agreement); an unknown or unseen code is 404 naming `from`"},
                {"to", "required: as `from`"},
                {"avoid", "passage ids to keep out of, comma-separated (at most 50)"},
                {"max_draught", "the ship's draught in metres (0 < m <= 30)"},
                {"beam", "the ship's beam in metres (0 < m <= 100)"},
                {"depart", "ISO 8601 departure (default now): seasonal passages and the ETA"},
                {"speed", "knots (0 < kn <= 100): adds the arrival and passage times"}}});

  // Both mission routes plan the same way; the second also drafts the orders.
  auto plan = [this](const Call& c, mission::MissionRequest* request,
                     registry::RegistryData* view) -> Result<mission::MissionPlan> {
    ASSIGN_OR_RETURN(Json body, c.Body());
    ASSIGN_OR_RETURN(*request, MissionRequestFromJson(body));
    registry::RegistryService registry_service(store_, clock_);
    ASSIGN_OR_RETURN(registry::RegistryData all, registry_service.Load());
    *view = PlanningView(std::move(all), c.actor.party);
    // As the CLI: stops offer what the capacity projection leaves free.
    mission::FuelProjections fuel;
    {
      ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
      ASSIGN_OR_RETURN(fuel, mission::ProjectFuel(*txn, *view, clock_.Now()));
    }
    // Stops and facility ends from the server's attached anchors, legs
    // routed by earlier plans from its leg cache.
    return planning::PlanMission(*view, *request, [this] { return SeaLanes(); }, clock_, &fuel, "", nullptr,
                                 [this] { return KeptForPlans(); });
  };
  auto plan_json = [](const mission::MissionPlan& mp) {
    Json j = planning::MissionPlanJson(mp);
    j["geojson"] = planning::MissionPlanGeoJson(mp);
    return j;
  };

  router_.Add({"POST", "/api/v1/mission-plans",
               "refuelling plan for one of the caller's units, as `relos plan mission --json`, with the legs and stops "
               "as GeoJSON; creates nothing",
               true, planners, 200, true, {}, [plan, plan_json](Call& c) -> Result<Reply> {
                 mission::MissionRequest request;
                 registry::RegistryData view;
                 ASSIGN_OR_RETURN(mission::MissionPlan mp, plan(c, &request, &view));
                 return Reply{200, plan_json(mp)};
               }});

  std::set<Role> creators;
  for (const auto& p : orders::PermissionsFor(orders::Action::kCreate)) creators.insert(p.roles.begin(), p.roles.end());
  router_.Add({"POST", "/api/v1/mission-plans/orders",
               "plan as POST /api/v1/mission-plans, then raise a draft order for each partner stop (requester)", true,
               creators, 201, true, {},
               [this, plan, plan_json](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c));
                 mission::MissionRequest request;
                 registry::RegistryData view;
                 ASSIGN_OR_RETURN(mission::MissionPlan mp, plan(c, &request, &view));
                 ASSIGN_OR_RETURN(std::vector<orders::CreateOrderRequest> drafts,
                                  mission::DraftOrders(view, request, mp));
                 // One key per stop: a retry returns the orders made then.
                 for (orders::CreateOrderRequest& d : drafts) {
                   if (key.empty()) continue;
                   d.idempotency_key = key + "/" + d.facility;
                   if (d.idempotency_key.size() > 128) {
                     return InvalidArgument("Idempotency-Key: with '/' and a stop's facility code it must fit in 128 "
                                            "characters",
                                            "Idempotency-Key");
                   }
                 }
                 // Every stop's order or none: one transaction.
                 ASSIGN_OR_RETURN(std::vector<orders::Order> created, orders_.CreateAll(c.actor, drafts));
                 Json made = Json::array();
                 for (const orders::Order& o : created) made.push_back(codec::ToJson(o));
                 Json j = plan_json(mp);
                 j["orders"] = made;
                 return Reply{201, j};
               },
               true});
}

}  // namespace relos::server

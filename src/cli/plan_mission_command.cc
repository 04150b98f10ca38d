// `relos plan mission`: the refuelling plan for one unit's voyage or ferry
// flight (relos::mission), as text, JSON or GeoJSON, and on request the
// draft support orders for its stops at the partner's facilities. Thin:
// parse options, load the registry, call the planner, print.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "relos/mission/distance.h"
#include "relos/mission/leg_table.h"
#include "relos/mission/planner.h"
#include "relos/registry/registry_service.h"
#include "relos/sealanes/network.h"
#include "relos/sealanes/route.h"
#include "relos/sealanes/route_format.h"

namespace relos::cli {
namespace {

namespace ms = relos::mission;
using nlohmann::json;

struct PlanMissionOptions {
  std::string unit, from, to, depart, objective = "time", purpose = "transit", network, legs;
  double speed = 0, reserve = 0.2, stop_hours = 12, max_wait_days = 0;
  bool geojson = false, kml = false, create_orders = false;
};

// A facility code, or "LAT,LON" in decimal degrees.
Status ParseEndpoint(const std::string& text, const std::string& field, std::string* facility,
                     std::optional<GeoPosition>* position) {
  double lat = 0, lon = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%lf,%lf%n", &lat, &lon, &used) == 2 && used == static_cast<int>(text.size())) {
    Result<GeoPosition> p = GeoPosition::Make(lat, lon);
    if (!p.ok()) return InvalidArgument("--" + field + ": " + p.status().message(), field);
    *position = *p;
  } else {
    *facility = text;
  }
  return OkStatus();
}

std::string Fixed(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string CostText(double minor, const std::string& currency) {
  Result<Currency> c = Currency::FromCode(currency);
  if (!c.ok()) return Fixed(minor, 0);
  return Money(std::llround(minor), *c).ToString();
}

json PlaceJson(const ms::Waypoint& w) {
  return {{"code", w.code}, {"name", w.name}, {"lat", w.position.lat}, {"lon", w.position.lon}};
}

json PlanJson(const ms::MissionPlan& mp) {
  const ms::Plan& p = mp.plan;
  json legs = json::array(), stops = json::array(), excluded = json::array();
  for (const ms::PlanLeg& l : p.legs)
    legs.push_back({{"from", PlaceJson(l.from)}, {"to", PlaceJson(l.to)}, {"distance_nm", l.distance_nm},
                    {"depart", l.depart.ToIso8601()}, {"arrive", l.arrive.ToIso8601()},
                    {"fuel_departure", l.fuel_departure}, {"fuel_used", l.fuel_used}, {"fuel_arrival", l.fuel_arrival},
                    {"wait_hours", l.wait_hours}});
  for (const ms::PlanStop& s : p.stops)
    stops.push_back({{"facility", s.stop.code}, {"name", s.stop.name}, {"partner", s.stop.partner},
                     {"grade", s.stop.supplied_grade}, {"arrive", s.arrive.ToIso8601()},
                     {"depart", s.depart.ToIso8601()}, {"fuel_arrival", s.fuel_arrival},
                     {"fuel_to_request", s.fuel_to_request}, {"cost", CostText(s.cost, mp.cost_currency)}});
  for (const ms::Exclusion& e : mp.excluded) excluded.push_back({{"facility", e.facility}, {"reason", e.reason}});
  json j = {{"unit", mp.unit}, {"feasible", p.feasible}, {"fuel_unit", mp.fuel_unit},
            {"agreement", mp.agreement}, {"partner", mp.partner}, {"reserve", p.reserve}};
  if (!p.feasible) j["reason"] = p.infeasible_reason;
  j.update({{"total_nm", p.total_nm}, {"total_hours", p.total_hours}, {"partner_stops", p.partner_stops},
            {"cost", CostText(p.cost, mp.cost_currency)}, {"min_fuel", p.feasible ? json(p.min_fuel) : json()},
            {"legs", legs}, {"stops", stops}, {"excluded", excluded}});
  return j;
}

json PlanGeoJson(const ms::MissionPlan& mp) {
  json features = json::array();
  for (size_t i = 0; i < mp.plan.legs.size(); ++i) {
    const ms::PlanLeg& l = mp.plan.legs[i];
    json coords = json::array();
    for (const GeoPosition& g : l.path) coords.push_back({g.lon, g.lat});
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "LineString"}, {"coordinates", coords}}},
                        {"properties", {{"leg", i + 1}, {"from", l.from.code}, {"to", l.to.code},
                                        {"distance_nm", l.distance_nm}, {"depart", l.depart.ToIso8601()},
                                        {"arrive", l.arrive.ToIso8601()}, {"fuel_arrival", l.fuel_arrival}}}});
  }
  for (const ms::PlanStop& s : mp.plan.stops)
    features.push_back({{"type", "Feature"},
                        {"geometry", {{"type", "Point"}, {"coordinates", {s.stop.position.lon, s.stop.position.lat}}}},
                        {"properties", {{"facility", s.stop.code}, {"name", s.stop.name}, {"partner", s.stop.partner},
                                        {"fuel_to_request", s.fuel_to_request}, {"arrive", s.arrive.ToIso8601()}}}});
  return {{"type", "FeatureCollection"}, {"features", features}};
}

// Legs as lines and stops as points, for Google Earth and GIS tools.
std::string PlanKml(const ms::MissionPlan& mp) {
  std::vector<sealanes::KmlPlacemark> marks;
  auto label = [](const ms::Waypoint& w) { return w.code.empty() ? w.position.ToString() : w.code; };
  for (size_t i = 0; i < mp.plan.legs.size(); ++i) {
    const ms::PlanLeg& l = mp.plan.legs[i];
    marks.push_back({"Leg " + std::to_string(i + 1) + ": " + label(l.from) + " to " + label(l.to),
                     Fixed(l.distance_nm) + " nm; depart " + l.depart.ToIso8601() + ", arrive " + l.arrive.ToIso8601() +
                         "; fuel on arrival " + Fixed(l.fuel_arrival) + " " + mp.fuel_unit,
                     l.path});
  }
  for (const ms::PlanStop& s : mp.plan.stops)
    marks.push_back({s.stop.code + (s.stop.partner ? " (partner)" : " (own)"),
                     s.stop.name + "; request " + Fixed(s.fuel_to_request) + " " + mp.fuel_unit + " of " +
                         s.stop.supplied_grade + "; arrive " + s.arrive.ToIso8601(),
                     {s.stop.position}});
  return sealanes::KmlDocument("Mission " + mp.unit, marks);
}

void PrintPlanText(std::ostream& out, const ms::MissionPlan& mp) {
  const ms::Plan& p = mp.plan;
  const std::string& u = mp.fuel_unit;
  out << "mission " << mp.unit << ": reserve " << Fixed(p.reserve) << " " << u;
  if (!mp.agreement.empty()) out << "; partner stops under " << mp.agreement << " (" << mp.partner << ")";
  out << "\n";
  if (!p.feasible) {
    out << "infeasible: " << p.infeasible_reason << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"leg", "from", "to", "nm", "depart", "arrive", "fuel out", "used", "fuel in"}};
  for (size_t i = 0; i < p.legs.size(); ++i) {
    const ms::PlanLeg& l = p.legs[i];
    rows.push_back({std::to_string(i + 1), l.from.code.empty() ? l.from.position.ToString() : l.from.code,
                    l.to.code.empty() ? l.to.position.ToString() : l.to.code, Fixed(l.distance_nm),
                    l.depart.ToIso8601(), l.arrive.ToIso8601(), Fixed(l.fuel_departure), Fixed(l.fuel_used),
                    Fixed(l.fuel_arrival)});
  }
  PrintTable(out, rows);
  for (size_t i = 0; i < p.legs.size(); ++i) {
    if (p.legs[i].wait_hours > 0)
      out << "leg " << i + 1 << " waits " << Fixed(p.legs[i].wait_hours) << " h in port for a seasonal passage to open\n";
  }
  if (!p.stops.empty()) {
    out << "\n";
    std::vector<std::vector<std::string>> srows = {{"stop", "owner", "grade", "arrive", "depart", "request", "cost"}};
    for (const ms::PlanStop& s : p.stops)
      srows.push_back({s.stop.code, s.stop.partner ? "partner" : "own", s.stop.supplied_grade, s.arrive.ToIso8601(),
                       s.depart.ToIso8601(), Fixed(s.fuel_to_request) + " " + u,
                       s.stop.partner ? CostText(s.cost, mp.cost_currency) : "-"});
    PrintTable(out, srows);
  }
  out << "\ntotal " << Fixed(p.total_nm) << " nm in " << Fixed(p.total_hours) << " h (" << Fixed(p.total_hours / 24)
      << " days), " << p.stops.size() << " stops of which " << p.partner_stops << " partner, lowest fuel "
      << Fixed(p.min_fuel) << " " << u;
  if (p.partner_stops > 0) out << ", partner fuel " << CostText(p.cost, mp.cost_currency);
  out << "\n";
}

Result<std::shared_ptr<const sealanes::SeaLaneNetwork>> OpenSeaLanes(const std::string& flag) {
  const char* env = std::getenv("RELOS_SEALANES");
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  ASSIGN_OR_RETURN(std::string path,
                   sealanes::LocateNetworkFile(flag, env ? env : "", ec ? std::string() : exe.parent_path().string()));
  return sealanes::SeaLaneNetwork::Load(path);
}

Status RunPlanMission(const PlanMissionOptions& o, CliContext& ctx) {
  ms::MissionRequest req;
  req.unit = o.unit;
  RETURN_IF_ERROR(ParseEndpoint(o.from, "from", &req.from_facility, &req.from_position));
  RETURN_IF_ERROR(ParseEndpoint(o.to, "to", &req.to_facility, &req.to_position));
  Result<Timestamp> depart = Timestamp::Parse(o.depart);
  if (!depart.ok()) return InvalidArgument("--depart: " + depart.status().message(), "depart");
  req.departure = *depart;
  if (o.speed != 0) req.speed_kn = o.speed;
  req.reserve_fraction = o.reserve;
  req.stop_hours = o.stop_hours;
  req.max_wait_hours = o.max_wait_days * 24;
  ASSIGN_OR_RETURN(req.objective, ms::ParseObjective(o.objective));
  ASSIGN_OR_RETURN(req.purpose, registry::ParsePurpose(o.purpose));

  ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
  ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
  registry::RegistryService registry_service(*store, *clock);
  ASSIGN_OR_RETURN(registry::RegistryData reg, registry_service.Load());
  const registry::Unit* unit = nullptr;
  for (const registry::Unit& u : reg.units)
    if (u.code == o.unit) unit = &u;
  if (!unit) return NotFound("unit '" + o.unit + "' not found", "unit");

  // Stops offer what the capacity projection leaves free at the unit's
  // arrival: fuel promised to approved orders is not planned again.
  ms::FuelProjections fuel;
  {
    ASSIGN_OR_RETURN(auto txn, store->BeginRead());
    ASSIGN_OR_RETURN(fuel, ms::ProjectFuel(*txn, reg, clock->Now()));
  }

  // Ships sail the sea lanes; aircraft fly geodesics (no network needed).
  std::shared_ptr<const sealanes::SeaLaneNetwork> net;
  std::unique_ptr<sealanes::RoutePlanner> router;
  std::optional<ms::LegTable> legs;
  std::unique_ptr<ms::DistanceOracle> oracle;
  if (unit->kind == registry::UnitKind::kShip) {
    ASSIGN_OR_RETURN(net, OpenSeaLanes(o.network));
    router = std::make_unique<sealanes::RoutePlanner>(*net, *clock);
    if (!o.legs.empty()) {
      std::vector<GeoPosition> ports;
      for (const registry::Facility& f : reg.facilities)
        if (f.kind == registry::FacilityKind::kPort || f.kind == registry::FacilityKind::kNavalBase) ports.push_back(f.position);
      std::string warning;
      ASSIGN_OR_RETURN(legs, ms::LegTable::Keep(o.legs, *net, *router, ports, &warning));
      if (!warning.empty()) *ctx.err << "relos: " << warning << "\n";
    }
    oracle = std::make_unique<ms::SeaLaneOracle>(*router, unit->draught_m > 0 ? std::optional(unit->draught_m) : std::nullopt,
                                                 unit->beam_m > 0 ? std::optional(unit->beam_m) : std::nullopt, nullptr,
                                                 legs ? &*legs : nullptr);
  } else {
    oracle = std::make_unique<ms::GeodesicOracle>();
  }
  ASSIGN_OR_RETURN(ms::MissionPlan mp, ms::PlanMission(reg, req, *oracle, &fuel));

  if (o.geojson) *ctx.out << PlanGeoJson(mp).dump(2) << "\n";
  else if (o.kml) *ctx.out << PlanKml(mp);
  else if (ctx.json) *ctx.out << PlanJson(mp).dump(2) << "\n";
  else PrintPlanText(*ctx.out, mp);
  if (!mp.plan.feasible) return ResourceExhausted("no feasible plan: " + mp.plan.infeasible_reason, "plan");

  if (o.create_orders) {
    ASSIGN_OR_RETURN(orders::Actor actor, ctx.Actor());
    ASSIGN_OR_RETURN(std::vector<orders::CreateOrderRequest> drafts, ms::DraftOrders(reg, req, mp));
    orders::OrderService service(*store, *clock, LedgerObservers());
    for (const orders::CreateOrderRequest& d : drafts) {
      ASSIGN_OR_RETURN(orders::Order order, service.Create(actor, d));
      // Keep stdout parseable in the machine formats.
      (ctx.json || o.geojson || o.kml ? *ctx.err : *ctx.out)
          << "draft order " << order.number << " at " << d.facility << " (" << d.lines.size() << " lines)\n";
    }
    if (drafts.empty()) (ctx.json || o.geojson || o.kml ? *ctx.err : *ctx.out) << "no partner stops: no orders drafted\n";
  }
  return OkStatus();
}

}  // namespace

void RegisterPlanMissionCommand(CLI::App& plan, CliContext& ctx) {
  auto* o = ctx.Own<PlanMissionOptions>();
  CLI::App* cmd = plan.add_subcommand("mission", "route and refuelling stops for a unit's voyage or ferry flight");
  cmd->add_option("--unit", o->unit, "unit code")->required();
  cmd->add_option("--from", o->from, "origin: facility code or LAT,LON")->required();
  cmd->add_option("--to", o->to, "destination or exercise area: facility code or LAT,LON")->required();
  cmd->add_option("--depart", o->depart, "departure time, ISO 8601")->required();
  cmd->add_option("--speed", o->speed, "speed in knots (default: the unit's cruise speed)");
  cmd->add_option("--reserve", o->reserve, "fuel reserve as a fraction of capacity")->capture_default_str();
  cmd->add_option("--stop-hours", o->stop_hours, "hours alongside at each refuelling stop")->capture_default_str();
  cmd->add_option("--max-wait-days", o->max_wait_days,
                  "a leg may wait in port this long for a seasonal passage (the Northern Sea Route) to open")
      ->capture_default_str();
  cmd->add_option("--objective", o->objective, "time, distance, partner-stops or cost")->capture_default_str();
  cmd->add_option("--purpose", o->purpose, "purpose of the draft orders")->capture_default_str();
  cmd->add_option("--network", o->network, "sea-lane network file (default: $RELOS_SEALANES, next to relos)");
  cmd->add_option("--legs", o->legs,
                  "leg table file: sea legs between the registry's ports, routed once and kept there (created or "
                  "brought up to date on each use)");
  cmd->add_flag("--json", ctx.json, "JSON output");
  cmd->add_flag("--geojson", o->geojson, "GeoJSON output (legs and stops)");
  cmd->add_flag("--kml", o->kml, "KML output (legs and stops)")->excludes("--geojson");
  cmd->add_flag("--create-orders", o->create_orders, "create draft support orders for the partner stops (needs --as)");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return RunPlanMission(*o, ctx); }; });
}

}  // namespace relos::cli

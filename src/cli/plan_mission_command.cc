// `relos plan mission`: the refuelling plan for one unit's voyage or ferry
// flight (relos::mission), as text, JSON or GeoJSON, and on request the
// draft support orders for its stops at the partner's facilities. Thin:
// parse options, load the registry, call the planner, print.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "relos/mission/planner.h"
#include "relos/registry/registry_service.h"
#include "relos/planning/planning.h"
#include "relos/sealanes/route_format.h"

namespace relos::cli {
namespace {

namespace ms = relos::mission;

struct PlanMissionOptions {
  std::string unit, from, to, depart, objective = "time", purpose = "transit", network, legs;
  double speed = 0, reserve = 0.2, stop_hours = 12, max_wait_days = 0;
  bool geojson = false, kml = false, create_orders = false;
};

std::string Fixed(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

using planning::CostText;

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

Status RunPlanMission(const PlanMissionOptions& o, CliContext& ctx) {
  ms::MissionRequest req;
  req.unit = o.unit;
  RETURN_IF_ERROR(planning::ParseMissionEnd(o.from, "from", &req.from_facility, &req.from_position).WithContext("--from"));
  RETURN_IF_ERROR(planning::ParseMissionEnd(o.to, "to", &req.to_facility, &req.to_position).WithContext("--to"));
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
  // Stops offer what the capacity projection leaves free at the unit's
  // arrival: fuel promised to approved orders is not planned again.
  ms::FuelProjections fuel;
  {
    ASSIGN_OR_RETURN(auto txn, store->BeginRead());
    ASSIGN_OR_RETURN(fuel, ms::ProjectFuel(*txn, reg, clock->Now()));
  }
  std::string warning;
  ASSIGN_OR_RETURN(ms::MissionPlan mp,
                   planning::PlanMission(
                       reg, req, [&o] { return planning::OpenSeaLaneNetwork(o.network, ExecutableDir()); }, *clock,
                       &fuel, o.legs, &warning));
  if (!warning.empty()) *ctx.err << "relos: " << warning << "\n";

  if (o.geojson) *ctx.out << planning::MissionPlanGeoJson(mp).dump(2) << "\n";
  else if (o.kml) *ctx.out << PlanKml(mp);
  else if (ctx.json) *ctx.out << planning::MissionPlanJson(mp).dump(2) << "\n";
  else PrintPlanText(*ctx.out, mp);
  if (!mp.plan.feasible) return ResourceExhausted("no feasible plan: " + mp.plan.infeasible_reason, "plan");

  if (o.create_orders) {
    ASSIGN_OR_RETURN(orders::Actor actor, ctx.Actor());
    ASSIGN_OR_RETURN(std::vector<orders::CreateOrderRequest> drafts, ms::DraftOrders(reg, req, mp));
    const std::unique_ptr<orders::OrderService> order_service = NewOrderService(*store, *clock);
    // Every stop's order or none: one transaction.
    std::vector<orders::Order> made;
    if (!drafts.empty()) {
      ASSIGN_OR_RETURN(made, order_service->CreateAll(actor, drafts));
    }
    for (size_t i = 0; i < made.size(); ++i) {
      // Keep stdout parseable in the machine formats.
      (ctx.json || o.geojson || o.kml ? *ctx.err : *ctx.out)
          << "draft order " << made[i].number << " at " << drafts[i].facility << " (" << drafts[i].lines.size()
          << " lines)\n";
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
      ->check(CLI::Range(0.0, ms::kMaxWaitDays))
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

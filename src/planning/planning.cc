#include "relos/planning/planning.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "relos/core/money.h"
#include "relos/mission/distance.h"
#include "relos/mission/leg_table.h"
#include "relos/sealanes/route_format.h"

namespace relos::planning {

namespace ms = relos::mission;
using codec::Json;

namespace {

// "LAT,LON" as decimal degrees: nullopt when `text` is not of that shape.
std::optional<std::pair<double, double>> LatLon(const std::string& text) {
  double lat = 0, lon = 0;
  int used = 0;
  if (std::sscanf(text.c_str(), "%lf,%lf%n", &lat, &lon, &used) == 2 && used == static_cast<int>(text.size())) {
    return std::make_pair(lat, lon);
  }
  return std::nullopt;
}

Json PlaceJson(const ms::Waypoint& w) {
  return {{"code", w.code}, {"name", w.name}, {"lat", w.position.lat}, {"lon", w.position.lon}};
}

}  // namespace

Result<NetworkPtr> OpenSeaLaneNetwork(const std::string& flag, const std::string& executable_dir) {
  const char* env = std::getenv("RELOS_SEALANES");
  ASSIGN_OR_RETURN(std::string path, sealanes::LocateNetworkFile(flag, env ? env : "", executable_dir));
  return sealanes::SeaLaneNetwork::Load(path);
}

RegistrySource LoadOnce(std::function<Result<registry::RegistryData>()> load) {
  auto kept = std::make_shared<std::optional<Result<registry::RegistryData>>>();
  return [load = std::move(load), kept]() -> Result<const registry::RegistryData*> {
    if (!*kept) kept->emplace(load());
    if (!(*kept)->ok()) return (*kept)->status();
    return &***kept;
  };
}

Result<GeoPosition> ParseRoutePlace(const sealanes::SeaLaneNetwork& network, const std::string& text,
                                    const std::string& field, const RegistrySource& registry, bool* facility_code) {
  if (facility_code != nullptr) *facility_code = false;
  if (text.find(',') != std::string::npos) {
    auto ll = LatLon(text);
    if (!ll) return InvalidArgument("'" + text + "' is not LAT,LON in decimal degrees", field);
    Result<GeoPosition> p = GeoPosition::Make(ll->first, ll->second);
    if (!p.ok()) return InvalidArgument(p.status().message(), field);
    return *p;
  }
  Result<const sealanes::ReferencePort*> port = network.FindPort(text);
  if (port.ok()) return (*port)->position;
  if (!registry) return NotFound("'" + text + "' is neither LAT,LON nor a reference port", field);
  ASSIGN_OR_RETURN(const registry::RegistryData* r, registry());
  Result<ms::Waypoint> facility = ms::ResolveEnd(*r, text, std::nullopt, field);
  if (!facility.ok()) return NotFound("'" + text + "' is neither LAT,LON, a reference port nor a facility", field);
  if (facility_code != nullptr) *facility_code = true;
  return facility->position;
}

Status ParseMissionEnd(const std::string& text, const std::string& field, std::string* facility,
                       std::optional<GeoPosition>* position) {
  if (auto ll = LatLon(text)) {
    Result<GeoPosition> p = GeoPosition::Make(ll->first, ll->second);
    if (!p.ok()) return InvalidArgument(p.status().message(), field);
    *position = *p;
  } else {
    *facility = text;
  }
  return OkStatus();
}

Result<ms::MissionPlan> PlanMission(const registry::RegistryData& registry, const ms::MissionRequest& request,
                                    const std::function<Result<NetworkPtr>()>& network, const Clock& clock,
                                    const ms::FuelProjections* fuel, const std::string& leg_table,
                                    std::string* warning,
                                    const std::function<KeptRouting()>& kept) {
  const registry::Unit* unit = nullptr;
  for (const registry::Unit& u : registry.units)
    if (u.code == request.unit) unit = &u;
  if (!unit) return NotFound("unit '" + request.unit + "' not found", "unit");
  if (unit->kind != registry::UnitKind::kShip) return ms::PlanMission(registry, request, ms::GeodesicOracle(), fuel);
  ASSIGN_OR_RETURN(NetworkPtr net, network());
  sealanes::RoutePlanner router(*net, clock);
  std::vector<GeoPosition> ports;
  for (const registry::Facility& f : registry.facilities)
    if (f.kind == registry::FacilityKind::kPort || f.kind == registry::FacilityKind::kNavalBase) ports.push_back(f.position);
  std::optional<ms::LegTable> legs;
  if (!leg_table.empty()) {
    std::string ignored;
    ASSIGN_OR_RETURN(legs, ms::LegTable::Keep(leg_table, *net, router, ports, warning ? warning : &ignored));
  }
  const KeptRouting k = kept ? kept() : KeptRouting{};
  ms::SeaLaneOracle oracle(router, unit->draught_m > 0 ? std::optional(unit->draught_m) : std::nullopt,
                           unit->beam_m > 0 ? std::optional(unit->beam_m) : std::nullopt, k.legs,
                           legs ? &*legs : nullptr);
  oracle.KeepAnchors(k.anchors, ports);
  return ms::PlanMission(registry, request, oracle, fuel);
}

Json RouteJson(const sealanes::Route& route, bool with_geometry) {
  Json j = Json::parse(sealanes::RouteToJson(route));
  if (with_geometry) j["geometry"] = Json::parse(sealanes::RouteToGeoJson(route))["features"][0]["geometry"];
  return j;
}

std::string CostText(double minor, const std::string& currency) {
  Result<Currency> c = Currency::FromCode(currency);
  if (!c.ok()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", minor);
    return buf;
  }
  return Money(std::llround(minor), *c).ToString();
}

Json MissionPlanJson(const ms::MissionPlan& mp) {
  const ms::Plan& p = mp.plan;
  Json legs = Json::array(), stops = Json::array(), excluded = Json::array();
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
  Json j = {{"unit", mp.unit}, {"feasible", p.feasible}, {"fuel_unit", mp.fuel_unit},
            {"agreement", mp.agreement}, {"partner", mp.partner}, {"reserve", p.reserve}};
  if (!p.feasible) j["reason"] = p.infeasible_reason;
  j.update({{"total_nm", p.total_nm}, {"total_hours", p.total_hours}, {"partner_stops", p.partner_stops},
            {"cost", CostText(p.cost, mp.cost_currency)}, {"min_fuel", p.feasible ? Json(p.min_fuel) : Json()},
            {"legs", legs}, {"stops", stops}, {"excluded", excluded}});
  return j;
}

Json MissionPlanGeoJson(const ms::MissionPlan& mp) {
  Json features = Json::array();
  for (size_t i = 0; i < mp.plan.legs.size(); ++i) {
    const ms::PlanLeg& l = mp.plan.legs[i];
    Json coords = Json::array();
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

}  // namespace relos::planning

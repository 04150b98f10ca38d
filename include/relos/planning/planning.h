// What the CLI's `relos route` and `relos plan mission` and the API's
// planning routes (/api/v1/sea-routes, /api/v1/mission-plans) share, so
// that both answer the same question with the same JSON: finding the
// sea-lane network file, reading places, planning a mission with the right
// distance oracle, and the JSON and GeoJSON of routes and plans.
//
// Thread-safety: free functions; a loaded network may be shared by threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "relos/codec/codec.h"
#include "relos/core/geo.h"
#include "relos/core/status.h"
#include "relos/core/time.h"
#include "relos/mission/distance.h"
#include "relos/mission/planner.h"
#include "relos/registry/registry.h"
#include "relos/sealanes/anchor_cache.h"
#include "relos/sealanes/network.h"
#include "relos/sealanes/route.h"

namespace relos::planning {

using NetworkPtr = std::shared_ptr<const sealanes::SeaLaneNetwork>;

// What a long-running process keeps for its mission plans; either may be null.
struct KeptRouting {
  sealanes::AnchorCache* anchors = nullptr;
  mission::LegCache* legs = nullptr;
};

// Loads the sea-lane network: `flag` if given, else $RELOS_SEALANES, else
// sealanes.bin in `executable_dir`, else /usr/share/relos/sealanes.bin.
// NotFound (reason "network") listing what was tried; DataLoss for a
// corrupt file.
Result<NetworkPtr> OpenSeaLaneNetwork(const std::string& flag, const std::string& executable_dir);

// The registry a place may name a facility of, as the caller may see it;
// called only for a place that is neither a position nor a reference port.
using RegistrySource = std::function<Result<const registry::RegistryData*>()>;

// `load` called at most once, on first use, its answer (or error) kept by
// the returned source.
RegistrySource LoadOnce(std::function<Result<registry::RegistryData>()> load);

// "LAT,LON" in decimal degrees, the id or name of one of the network's
// reference ports, or (with `registry`) a facility code: the facility's
// position (mission::ResolveEnd, as the mission planner places its ends
// and stops). InvalidArgument (reason `field`) for a malformed or
// out-of-range position; NotFound (reason `field`) for anything else,
// including a facility `registry` does not hold. The message does not name
// the field: callers add it as context. `*facility` (may be null) is set
// to whether the place was a facility code.
Result<GeoPosition> ParseRoutePlace(const sealanes::SeaLaneNetwork& network, const std::string& text,
                                    const std::string& field, const RegistrySource& registry = nullptr,
                                    bool* facility = nullptr);

// A mission end: "LAT,LON" sets `*position`, anything else is taken as a
// facility code and set in `*facility`. InvalidArgument (reason `field`)
// for a position out of range.
Status ParseMissionEnd(const std::string& text, const std::string& field, std::string* facility,
                       std::optional<GeoPosition>* position);

// Plans `request` over `registry` (mission::PlanMission): ships on the sea
// lanes, calling `network` only for a ship, aircraft on geodesics. `fuel`
// (may be null) are the stops' fuel projections; `leg_table` (may be "")
// a file keeping the sea legs between the registry's ports
// (mission::LegTable::Keep), with any line about it in `*warning`.
// With `kept` (called once `network` has answered): what a long-running
// process keeps over that network for its plans. Legs from and to the
// registry's ports and naval bases take their attached anchors from
// `anchors` (mission::SeaLaneOracle::KeepAnchors), and legs routed before
// come from `legs`: the same plan, quicker once they hold them.
// NotFound (reason "unit") when the unit is not in `registry`; whatever
// `network`, the leg table or the planner return otherwise.
Result<mission::MissionPlan> PlanMission(const registry::RegistryData& registry,
                                         const mission::MissionRequest& request,
                                         const std::function<Result<NetworkPtr>()>& network, const Clock& clock,
                                         const mission::FuelProjections* fuel = nullptr,
                                         const std::string& leg_table = "", std::string* warning = nullptr,
                                         const std::function<KeptRouting()>& kept = nullptr);

// `relos route --json`'s object (sealanes::RouteToJson) and, when
// `with_geometry`, "geometry": the route as a GeoJSON LineString densified
// as in sealanes::RouteToGeoJson ([lon, lat] pairs).
codec::Json RouteJson(const sealanes::Route& route, bool with_geometry);

// `relos plan mission --json`: unit, feasible (and reason when not), fuel
// unit, agreement, partner, reserve, totals, cost as money text, legs (from,
// to, distance, depart, arrive, fuel on departure, used, on arrival), stops
// (facility, partner, grade, arrive, depart, fuel on arrival, fuel to
// request, cost) and the facilities left out with the reason.
codec::Json MissionPlanJson(const mission::MissionPlan& plan);

// The plan for maps: a GeoJSON FeatureCollection of one LineString per leg
// and one Point per stop.
codec::Json MissionPlanGeoJson(const mission::MissionPlan& plan);

// The cost of a plan (minor units, possibly fractional) as money text in
// `currency` ("12,345.00 RUB"); the rounded number when the currency is
// unknown.
std::string CostText(double minor, const std::string& currency);

}  // namespace relos::planning

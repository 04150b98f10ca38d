// Route queries over the sea-lane network: the shortest sea route between two
// positions on the WGS84 ellipsoid that stays on water, honours the ship's
// draught and beam, the passages the caller wants to avoid, and the season of
// seasonal passages at the time the ship gets there.
//
// A position on land or in a harbour too small for the network (a port) is
// snapped to the nearest navigable water, at most kMaxSnapNm away; that
// approach leg is reported and counted in the distance. The route is found
// by A* over the network (ALT landmarks), then shortened by pulling the line
// taut wherever the straight geodesic keeps a cell's clearance off land.
//
// Thread-safety: RoutePlanner is immutable and safe for concurrent queries.
// It borrows the network and the clock, which must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/status.h"
#include "relos/core/time.h"
#include "relos/sealanes/network.h"

namespace relos::sealanes {

// Farthest a position may be from navigable water and still be routed.
// Generous enough for river ports (Kolkata is 70 nm up the Hooghly); the
// approach leg is then a straight line standing in for the river.
constexpr double kMaxSnapNm = 100.0;

struct RouteOptions {
  std::vector<std::string> avoid;        // passage ids to keep out of
  std::optional<double> max_draught_m;   // the ship's draught
  std::optional<double> beam_m;          // the ship's beam
  std::optional<Timestamp> departure;    // absent: the clock's now
  std::optional<double> speed_knots;     // absent: no ETA
  // Every seasonal passage counts as open whatever the date: for tables of
  // routes whose seasons are checked when they are used (mission::LegTable).
  bool all_seasons_open = false;
};

// True when `passage` is closed to a ship of this draught and beam whatever
// the season: too deep or too wide for it, or a shallow area and the ship
// not known to fit (no draught given counts as deep).
bool ClosedToShip(const Passage& passage, std::optional<double> draught_m, std::optional<double> beam_m);

// A position joined to the network: where the ship meets navigable water and
// the network nodes it can reach from there. Compute once per facility and
// reuse (the precomputed snap of a facility).
struct SeaAnchor {
  GeoPosition requested;
  GeoPosition water;         // equals `requested` when that is navigable
  double approach_nm = 0;    // requested -> water, along the geodesic
  struct Link {
    uint32_t node;
    float nm;
  };
  std::vector<Link> links;   // straight, land-free legs to network nodes
  // After RoutePlanner::Attach: the network distance (nm) from every node of
  // the network to this place over the whole network, nothing avoided. A
  // lower bound of the distance under any restriction and exact without
  // one, so a search towards an attached place settles little more than the
  // nodes of its route. Shared by copies of the anchor; null when not attached.
  std::shared_ptr<const std::vector<float>> reach_nm;
};

struct PassageTransit {
  std::string id;
  std::string name;
  double from_start_nm = 0;          // distance along the route where it starts
  double until_nm = 0;               // distance along the route where it ends
  std::optional<Timestamp> arrival;  // when the ship gets there (needs speed)
  std::optional<Timestamp> leaving;  // when the ship is through (needs speed)
};

// What a leg between two waypoints is. Only sea legs are checked against the
// land grid; the other two may cross the coastline data by design.
enum class LegKind : uint8_t {
  kSea,           // open water, clear of land
  kApproach,      // from a position off the network to navigable water (a harbour)
  kPassageRoute,  // along a canal's or narrow strait's authored route
};

struct Route {
  GeoPosition from;  // as requested
  GeoPosition to;
  // Turning points from `from` to `to`; legs between them are geodesics.
  // The first and last legs are the approaches when a snap was needed.
  std::vector<GeoPosition> waypoints;
  std::vector<LegKind> legs;     // legs[i] joins waypoints[i] and waypoints[i + 1]
  double distance_nm = 0;        // total along the waypoints, approaches included
  double approach_nm = 0;        // of which approach legs (both ends)
  double geodesic_nm = 0;        // straight geodesic from -> to: a lower bound
  std::vector<PassageTransit> passages;  // in order of use
  Timestamp departure;
  std::optional<double> speed_knots;
  std::optional<Timestamp> arrival;      // with a speed
  std::optional<double> duration_hours;  // with a speed
};

class RoutePlanner {
 public:
  RoutePlanner(const SeaLaneNetwork& network, const Clock& clock);

  // Joins `p` to the network. InvalidArgument (reason = `field`) when `p` is
  // more than kMaxSnapNm from navigable water ("on land"); NotFound when no
  // network node can be reached from there (an enclosed lake).
  Result<SeaAnchor> Snap(GeoPosition p, std::string_view field = "position") const;

  // Attaches an anchor from Snap to the whole network: fills
  // `anchor.reach_nm` with one Dijkstra search over the network (tens of
  // milliseconds; 4 bytes per node kept). Worth it for a place many routes
  // lead to (a facility): routes to it then cost far less than from Snap
  // alone, with the same answers.
  void Attach(SeaAnchor& anchor) const;

  // The shortest allowed route. InvalidArgument naming the field for a bad
  // option (negative draught or speed, position far inland); NotFound naming
  // "avoid" for an unknown passage id; NotFound when no route exists under
  // the restrictions (say, every way out avoided).
  Result<Route> Plan(GeoPosition from, GeoPosition to, const RouteOptions& options) const;
  // As above between anchors from Snap (facilities snapped once).
  Result<Route> PlanBetween(const SeaAnchor& from, const SeaAnchor& to, const RouteOptions& options) const;

  const SeaLaneNetwork& network() const { return network_; }

 private:
  const SeaLaneNetwork& network_;
  const Clock& clock_;
};

}  // namespace relos::sealanes

#include "relos/mission/distance.h"

#include <GeographicLib/Geodesic.hpp>

#include "relos/sealanes/route.h"

namespace relos::mission {

double GeodesicNm(GeoPosition a, GeoPosition b) {
  double metres = 0;
  GeographicLib::Geodesic::WGS84().Inverse(a.lat, a.lon, b.lat, b.lon, metres);
  return metres / 1852.0;
}

Result<LegPath> GeodesicOracle::Leg(GeoPosition a, GeoPosition b) const {
  return LegPath{GeodesicNm(a, b), {a, b}};
}

SeaLaneOracle::SeaLaneOracle(const sealanes::RoutePlanner& router, std::optional<double> draught_m,
                             std::optional<double> beam_m, Timestamp departure)
    : router_(router), draught_m_(draught_m), beam_m_(beam_m), departure_(departure) {}

Result<LegPath> SeaLaneOracle::Leg(GeoPosition a, GeoPosition b) const {
  sealanes::RouteOptions options;
  options.max_draught_m = draught_m_;
  options.beam_m = beam_m_;
  // Seasonal passages are judged at the mission's departure; a long mission
  // may reach a passage weeks later (noted in docs/mission-planner.md).
  options.departure = departure_;
  ASSIGN_OR_RETURN(sealanes::Route route, router_.Plan(a, b, options));
  return LegPath{route.distance_nm, std::move(route.waypoints)};
}

}  // namespace relos::mission

// Renderings of a Route for people and programs: plain text for the CLI,
// JSON for scripts and the API, GeoJSON and KML for maps. Map outputs
// densify each geodesic leg so that a straight line between consecutive
// points stays within a few metres of the true track.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "relos/core/geo.h"
#include "relos/sealanes/route.h"

namespace relos::sealanes {

// Points along the route's geodesic legs no more than `max_leg_nm` apart,
// starting at the first waypoint and ending at the last.
std::vector<GeoPosition> DensifyRoute(const Route& route, double max_leg_nm = 20.0);

// A short report: distance, passages, ETA and the turning points.
std::string RouteToText(const Route& route);
// {"from":{lat,lon},"to":...,"distance_nm":..,"passages":[..],"waypoints":[[lat,lon]..],...}
std::string RouteToJson(const Route& route);
// A GeoJSON FeatureCollection: the route LineString (densified) with the
// summary as properties, plus Point features for both ends.
std::string RouteToGeoJson(const Route& route);
// A KML 2.2 document with the route as a LineString Placemark.
std::string RouteToKml(const Route& route);

// A KML placemark: a point when it has one position, else a line through
// them (tessellated, so map viewers follow the Earth's surface).
struct KmlPlacemark {
  std::string name;
  std::string description;
  std::vector<GeoPosition> points;
};
// A KML 2.2 document of placemarks, text escaped.
std::string KmlDocument(const std::string& name, const std::vector<KmlPlacemark>& placemarks);

}  // namespace relos::sealanes

#include "relos/sealanes/route_format.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sealanes/land_grid.h"

namespace relos::sealanes {
namespace {

using nlohmann::json;

std::string Fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

// Rounds to 1e-6 degree (about 0.1 m) so outputs are stable and compact.
double Round6(double v) { return std::round(v * 1e6) / 1e6; }

std::string EscapeXml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

json Summary(const Route& r) {
  json j;
  j["from"] = {{"lat", Round6(r.from.lat)}, {"lon", Round6(r.from.lon)}};
  j["to"] = {{"lat", Round6(r.to.lat)}, {"lon", Round6(r.to.lon)}};
  j["distance_nm"] = std::round(r.distance_nm * 10) / 10;
  j["approach_nm"] = std::round(r.approach_nm * 10) / 10;
  j["geodesic_nm"] = std::round(r.geodesic_nm * 10) / 10;
  j["departure"] = r.departure.ToIso8601();
  if (r.speed_knots) j["speed_knots"] = *r.speed_knots;
  if (r.arrival) j["arrival"] = r.arrival->ToIso8601();
  if (r.duration_hours) j["duration_hours"] = std::round(*r.duration_hours * 10) / 10;
  json passages = json::array();
  for (const PassageTransit& t : r.passages) {
    json p = {{"id", t.id}, {"name", t.name}, {"from_start_nm", std::round(t.from_start_nm)},
              {"until_nm", std::round(t.until_nm)}};
    if (t.arrival) p["arrival"] = t.arrival->ToIso8601();
    if (t.leaving) p["leaving"] = t.leaving->ToIso8601();
    passages.push_back(p);
  }
  j["passages"] = passages;
  return j;
}

}  // namespace

std::vector<GeoPosition> DensifyRoute(const Route& route, double max_leg_nm) {
  std::vector<GeoPosition> out;
  std::vector<LonLat> pts;
  for (size_t i = 0; i + 1 < route.waypoints.size(); ++i) {
    const GeoPosition& a = route.waypoints[i];
    const GeoPosition& b = route.waypoints[i + 1];
    pts.clear();
    internal::GeodesicPoints(a.lat, a.lon, b.lat, b.lon, max_leg_nm * internal::kMetresPerNm / 1000.0, pts);
    for (size_t k = (i == 0 ? 0 : 1); k < pts.size(); ++k) out.push_back(GeoPosition{pts[k].lat, pts[k].lon});
  }
  if (route.waypoints.size() == 1) out.push_back(route.waypoints[0]);
  return out;
}

std::string RouteToText(const Route& r) {
  std::ostringstream o;
  o << "Route " << r.from.ToString() << " -> " << r.to.ToString() << "\n";
  o << "  distance   " << Fixed(r.distance_nm, 1) << " nm (geodesic " << Fixed(r.geodesic_nm, 1) << " nm";
  if (r.approach_nm > 0) o << "; harbour approaches " << Fixed(r.approach_nm, 1) << " nm";
  o << ")\n";
  o << "  departure  " << r.departure.ToIso8601() << "\n";
  if (r.speed_knots && r.arrival && r.duration_hours) {
    o << "  arrival    " << r.arrival->ToIso8601() << " at " << Fixed(*r.speed_knots, 1) << " kn ("
      << Fixed(*r.duration_hours / 24.0, 1) << " days)\n";
  }
  if (r.passages.empty()) {
    o << "  passages   none\n";
  } else {
    o << "  passages\n";
    for (const PassageTransit& t : r.passages) {
      o << "    " << t.name << " (" << t.id << ") at " << Fixed(t.from_start_nm, 0) << " nm";
      if (t.arrival) o << ", " << t.arrival->ToIso8601();
      o << "\n";
    }
  }
  o << "  waypoints  " << r.waypoints.size() << "\n";
  for (const GeoPosition& p : r.waypoints) o << "    " << p.ToString() << "\n";
  return o.str();
}

std::string RouteToJson(const Route& r) {
  json j = Summary(r);
  json wps = json::array();
  for (const GeoPosition& p : r.waypoints) wps.push_back({Round6(p.lat), Round6(p.lon)});
  j["waypoints"] = wps;
  return j.dump(2) + "\n";
}

std::string RouteToGeoJson(const Route& r) {
  json coords = json::array();
  for (const GeoPosition& p : DensifyRoute(r)) coords.push_back({Round6(p.lon), Round6(p.lat)});
  json line = {{"type", "Feature"},
               {"properties", Summary(r)},
               {"geometry", {{"type", "LineString"}, {"coordinates", coords}}}};
  auto point = [](const GeoPosition& p, const char* role) {
    return json{{"type", "Feature"},
                {"properties", {{"role", role}}},
                {"geometry", {{"type", "Point"}, {"coordinates", {Round6(p.lon), Round6(p.lat)}}}}};
  };
  json fc = {{"type", "FeatureCollection"}, {"features", {line, point(r.from, "from"), point(r.to, "to")}}};
  return fc.dump() + "\n";
}

std::string KmlDocument(const std::string& name, const std::vector<KmlPlacemark>& placemarks) {
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
    << "  <name>" << EscapeXml(name) << "</name>\n";
  for (const KmlPlacemark& p : placemarks) {
    o << "  <Placemark>\n    <name>" << EscapeXml(p.name) << "</name>\n";
    if (!p.description.empty()) o << "    <description>" << EscapeXml(p.description) << "</description>\n";
    if (p.points.size() == 1) {
      o << "    <Point><coordinates>" << Fixed(p.points[0].lon, 6) << "," << Fixed(p.points[0].lat, 6)
        << ",0</coordinates></Point>\n";
    } else {
      o << "    <LineString>\n      <tessellate>1</tessellate>\n      <coordinates>\n";
      for (const GeoPosition& g : p.points) o << "        " << Fixed(g.lon, 6) << "," << Fixed(g.lat, 6) << ",0\n";
      o << "      </coordinates>\n    </LineString>\n";
    }
    o << "  </Placemark>\n";
  }
  o << "</Document>\n</kml>\n";
  return o.str();
}

std::string RouteToKml(const Route& r) {
  std::string passages;
  for (const PassageTransit& t : r.passages) passages += (passages.empty() ? "" : ", ") + t.name;
  KmlPlacemark line{"Sea route, " + Fixed(r.distance_nm, 1) + " nm",
                    "Passages: " + (passages.empty() ? std::string("none") : passages) + ". Departure " +
                        r.departure.ToIso8601() + (r.arrival ? ", arrival " + r.arrival->ToIso8601() : ""),
                    DensifyRoute(r)};
  return KmlDocument(r.from.ToString() + " to " + r.to.ToString(), {line});
}

}  // namespace relos::sealanes

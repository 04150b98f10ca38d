#include "relos/sealanes/land.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "sealanes/read_file.h"

namespace relos::sealanes {
namespace {

using nlohmann::json;

// Decoded arcs in degrees.
Result<std::vector<std::vector<LonLat>>> DecodeArcs(const json& topo) {
  double sx = 1, sy = 1, tx = 0, ty = 0;
  const bool quantized = topo.contains("transform");
  if (quantized) {
    const json& t = topo["transform"];
    if (!t.contains("scale") || !t.contains("translate")) return InvalidArgument("TopoJSON transform lacks scale or translate", "transform");
    sx = t["scale"][0].get<double>();
    sy = t["scale"][1].get<double>();
    tx = t["translate"][0].get<double>();
    ty = t["translate"][1].get<double>();
  }
  if (!topo.contains("arcs") || !topo["arcs"].is_array()) return InvalidArgument("TopoJSON has no arcs", "arcs");
  std::vector<std::vector<LonLat>> arcs;
  arcs.reserve(topo["arcs"].size());
  for (const json& arc : topo["arcs"]) {
    std::vector<LonLat> pts;
    pts.reserve(arc.size());
    double x = 0, y = 0;
    for (const json& p : arc) {
      if (quantized) {
        // Quantized arcs are delta-encoded integers.
        x += p[0].get<double>();
        y += p[1].get<double>();
        pts.push_back({x * sx + tx, y * sy + ty});
      } else {
        pts.push_back({p[0].get<double>(), p[1].get<double>()});
      }
    }
    arcs.push_back(std::move(pts));
  }
  return arcs;
}

Status AppendRing(const json& arc_refs, const std::vector<std::vector<LonLat>>& arcs, std::vector<Ring>& rings) {
  Ring ring;
  for (const json& ref : arc_refs) {
    const int64_t i = ref.get<int64_t>();
    // A negative reference ~i is arc i reversed (TopoJSON spec).
    const int64_t index = i >= 0 ? i : ~i;
    if (index >= static_cast<int64_t>(arcs.size())) return InvalidArgument("arc index out of range", "arcs");
    const auto& arc = arcs[static_cast<size_t>(index)];
    std::vector<LonLat> pts(arc.begin(), arc.end());
    if (i < 0) std::reverse(pts.begin(), pts.end());
    // Consecutive arcs share their joining point.
    const size_t skip = ring.empty() ? 0 : 1;
    ring.insert(ring.end(), pts.begin() + static_cast<std::ptrdiff_t>(std::min(skip, pts.size())), pts.end());
  }
  if (ring.size() > 1 && ring.front().lon == ring.back().lon && ring.front().lat == ring.back().lat) ring.pop_back();
  if (ring.size() < 3) return OkStatus();
  // Natural Earth cuts nothing at the antimeridian: a ring that crosses it
  // jumps from +180 to -180 (Chukotka, Fiji, Antarctica). Make longitudes
  // continuous so that every edge is short; a ring that then goes once
  // round the globe encloses a pole and is closed along it.
  double turn = 0;
  for (size_t i = 1; i < ring.size(); ++i) {
    double lon = ring[i].lon + turn;
    while (lon - ring[i - 1].lon > 180) lon -= 360, turn -= 360;
    while (lon - ring[i - 1].lon < -180) lon += 360, turn += 360;
    ring[i].lon = lon;
  }
  if (std::fabs(ring.front().lon - ring.back().lon) > 180) {
    double mean_lat = 0;
    for (const LonLat& p : ring) mean_lat += p.lat;
    const double pole = mean_lat < 0 ? -90.0 : 90.0;
    // Down to the pole, a full turn along it, and up to the start.
    ring.push_back({ring.back().lon, pole});
    ring.push_back({ring.front().lon, pole});
  }
  rings.push_back(std::move(ring));
  return OkStatus();
}

}  // namespace

size_t LandPolygons::PointCount() const {
  size_t n = 0;
  for (const Ring& r : rings) n += r.size();
  return n;
}

Result<LandPolygons> ParseTopoJsonLand(std::string_view json_text, std::string_view object) {
  json topo;
  try {
    topo = json::parse(json_text);
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("land file is not JSON: ") + e.what(), "land");
  }
  try {
    if (topo.value("type", "") != "Topology") return InvalidArgument("land file is not a TopoJSON Topology", "type");
    if (!topo.contains("objects") || !topo["objects"].contains(std::string(object))) {
      return InvalidArgument("TopoJSON has no object '" + std::string(object) + "'", "objects");
    }
    ASSIGN_OR_RETURN(auto arcs, DecodeArcs(topo));
    LandPolygons land;
    const json& obj = topo["objects"][std::string(object)];
    std::vector<json> geometries;
    if (obj.value("type", "") == "GeometryCollection") {
      for (const json& g : obj["geometries"]) geometries.push_back(g);
    } else {
      geometries.push_back(obj);
    }
    for (const json& g : geometries) {
      const std::string type = g.value("type", "");
      if (type == "Polygon") {
        for (const json& ring : g["arcs"]) RETURN_IF_ERROR(AppendRing(ring, arcs, land.rings));
      } else if (type == "MultiPolygon") {
        for (const json& poly : g["arcs"]) {
          for (const json& ring : poly) RETURN_IF_ERROR(AppendRing(ring, arcs, land.rings));
        }
      } else if (!type.empty() && type != "null") {
        return InvalidArgument("unsupported TopoJSON geometry type " + type, "type");
      }
    }
    if (land.rings.empty()) return InvalidArgument("TopoJSON object holds no polygons", "objects");
    return land;
  } catch (const json::exception& e) {
    return InvalidArgument(std::string("malformed TopoJSON: ") + e.what(), "land");
  }
}

Result<LandPolygons> LoadTopoJsonLand(const std::string& path, std::string_view object) {
  ASSIGN_OR_RETURN(std::string text, internal::ReadWholeFile(path));
  return ParseTopoJsonLand(text, object);
}

LandIndex::LandIndex(const LandPolygons& land) {
  bands_.resize(static_cast<size_t>(std::ceil(180.0 / kBandDegrees)) + 1);
  for (const Ring& ring : land.rings) {
    for (size_t i = 0; i < ring.size(); ++i) {
      const LonLat& a = ring[i];
      const LonLat& b = ring[(i + 1) % ring.size()];
      if (a.lat == b.lat) continue;  // horizontal edges never cross a horizontal ray
      const double lo = std::min(a.lat, b.lat);
      const double hi = std::max(a.lat, b.lat);
      const auto b0 = static_cast<size_t>(std::floor((lo + 90.0) / kBandDegrees));
      const auto b1 = std::min(static_cast<size_t>(std::floor((hi + 90.0) / kBandDegrees)), bands_.size() - 1);
      for (size_t band = b0; band <= b1; ++band) bands_[band].push_back({a.lon, a.lat, b.lon, b.lat});
    }
  }
}

bool LandIndex::IsLand(GeoPosition p) const {
  const auto band = std::min(static_cast<size_t>(std::floor((p.lat + 90.0) / kBandDegrees)), bands_.size() - 1);
  // Even-odd count of edges crossed by rays running east from p and from
  // its copies one turn east and west: rings run past +-180 (see
  // AppendRing), and a ring holds a point in at most one of the copies, so
  // the parities combine by exclusive or.
  bool inside = false;
  for (const Edge& e : bands_[band]) {
    if ((e.lat0 > p.lat) == (e.lat1 > p.lat)) continue;
    const double x = e.lon0 + (p.lat - e.lat0) * (e.lon1 - e.lon0) / (e.lat1 - e.lat0);
    if (x > p.lon) inside = !inside;
    if (x > p.lon + 360) inside = !inside;
    if (x > p.lon - 360) inside = !inside;
  }
  return inside;
}

}  // namespace relos::sealanes

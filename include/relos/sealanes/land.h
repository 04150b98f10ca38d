// Land polygons: the coastline data that the sea-lane network is built from,
// and an exact point-on-land test over them. The source is Natural Earth's
// land polygons as TopoJSON (npm package world-atlas@2, land-10m.json; public
// domain). Coordinates stay in WGS84 degrees.
//
// Thread-safety: LandPolygons is a value; LandIndex is immutable after
// construction and safe for concurrent queries. LandIndex borrows nothing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/status.h"

namespace relos::sealanes {

struct LonLat {
  double lon = 0;
  double lat = 0;
};

// A closed ring; the last point is not repeated.
using Ring = std::vector<LonLat>;

struct LandPolygons {
  // Every ring of every polygon, outer rings and holes alike: land is where
  // the even-odd rule over all rings says so (Natural Earth land polygons do
  // not overlap, so this equals the per-polygon test). Longitudes are
  // continuous along a ring: one that crosses the antimeridian runs past
  // +-180, and one that circles a pole (Antarctica) is closed along it.
  std::vector<Ring> rings;
  size_t PointCount() const;
};

// Decodes the TopoJSON object `object` (a GeometryCollection of Polygon and
// MultiPolygon geometries, quantized or not). InvalidArgument when the text
// is not such TopoJSON, naming what is missing.
Result<LandPolygons> ParseTopoJsonLand(std::string_view json_text, std::string_view object = "land");
// As above from a file; NotFound when the file cannot be read.
Result<LandPolygons> LoadTopoJsonLand(const std::string& path, std::string_view object = "land");

// Exact point-in-land test against the polygons (even-odd ray casting over a
// latitude-banded edge index).
class LandIndex {
 public:
  explicit LandIndex(const LandPolygons& land);
  // True when `p` lies inside land (on a coastline counts as either).
  bool IsLand(GeoPosition p) const;

 private:
  struct Edge {
    double lon0, lat0, lon1, lat1;
  };
  static constexpr double kBandDegrees = 0.25;
  std::vector<std::vector<Edge>> bands_;
};

}  // namespace relos::sealanes

#include "relos/core/geo.h"

#include <cmath>
#include <cstdio>

namespace relos {

Result<GeoPosition> GeoPosition::Make(double lat, double lon) {
  if (!std::isfinite(lat) || lat < -90 || lat > 90) {
    return InvalidArgument("latitude " + std::to_string(lat) + " is outside -90..90", "lat");
  }
  if (!std::isfinite(lon) || lon < -180 || lon > 180) {
    return InvalidArgument("longitude " + std::to_string(lon) + " is outside -180..180", "lon");
  }
  return GeoPosition{lat, lon};
}

std::string GeoPosition::ToString() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f%c %.4f%c", std::fabs(lat), lat >= 0 ? 'N' : 'S', std::fabs(lon),
                lon >= 0 ? 'E' : 'W');
  return buf;
}

}  // namespace relos

// Geographic positions on WGS84, in decimal degrees. Validation only: all
// geodesy (distances, azimuths) goes through GeographicLib in the modules
// that need it.
#pragma once

#include <string>

#include "relos/core/status.h"

namespace relos {

struct GeoPosition {
  double lat = 0;  // degrees north, -90..90
  double lon = 0;  // degrees east, -180..180

  // InvalidArgument naming the coordinate when out of range or not finite.
  static Result<GeoPosition> Make(double lat, double lon);
  // "18.9333N 72.8500E".
  std::string ToString() const;
  friend bool operator==(const GeoPosition&, const GeoPosition&) = default;
};

}  // namespace relos

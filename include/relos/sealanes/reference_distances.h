// Published port-to-port distances (NGA Pub. 151 style CSV) used to check
// route accuracy: `id,from_name,from_lat,from_lon,to_name,to_lat,to_lon,
// distance_nm,note`, with a header line and names optionally in double quotes.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/status.h"

namespace relos::sealanes {

struct ReferenceDistance {
  std::string id;
  std::string from_name;
  GeoPosition from;
  std::string to_name;
  GeoPosition to;
  double distance_nm = 0;
};

// InvalidArgument naming the line for a row with too few fields, a bad
// number or an out-of-range position.
Result<std::vector<ReferenceDistance>> ParseReferenceDistances(std::string_view csv);

}  // namespace relos::sealanes

// Random berth allocation instances in the style of the literature's
// benchmarks (Cordeau et al. 2005; Kramer et al. 2019), for development and
// benchmarking: arrivals spread over an arrival window sized to the berths'
// capacity, handling times that vary by ship and by berth, a share of
// forbidden ship-berth pairs, staggered berth windows and latest departures
// loose enough that an instance is feasible.
//
// Thread-safety: pure; the same parameters always give the same instance.
#pragma once

#include <cstdint>

#include "relos/berth/instance.h"

namespace relos::berth {

struct GeneratorParams {
  int ships = 30;
  int berths = 5;
  uint64_t seed = 1;
  // Ratio of total mean handling work to berth time over the arrival window;
  // above 1 ships queue heavily.
  double load = 0.9;
  int64_t min_handling = 10;
  int64_t max_handling = 40;
  // Handling time at each berth varies around the ship's base by this share.
  double berth_variation = 0.3;
  double forbidden_share = 0.2;  // of ship-berth pairs, each ship keeps one berth
  bool weighted = false;         // weights 1..3 instead of all 1
};

// Returns a valid instance (ValidateInstance passes). Preconditions:
// ships >= 1, berths >= 1, 1 <= min_handling <= max_handling, load > 0.
Instance GenerateInstance(const GeneratorParams& params);

}  // namespace relos::berth

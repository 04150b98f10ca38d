// Distance oracles for the mission planner: how far a unit travels between
// two positions. Ships follow the sea-lane router (honouring draught and
// beam); aircraft fly the WGS84 geodesic. Tests supply synthetic matrices.
//
// Thread-safety: the implementations here are immutable after construction
// and safe for concurrent calls; SeaLaneOracle borrows its RoutePlanner,
// which must outlive it.
#pragma once

#include <optional>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/status.h"
#include "relos/core/time.h"

namespace relos::sealanes {
class RoutePlanner;
}

namespace relos::mission {

struct LegPath {
  double nm = 0;
  std::vector<GeoPosition> points;  // at least from and to
};

class DistanceOracle {
 public:
  virtual ~DistanceOracle() = default;
  // The travelled distance from `a` to `b`. NotFound when there is no way
  // (no sea route for this draught); other errors are failures.
  virtual Result<LegPath> Leg(GeoPosition a, GeoPosition b) const = 0;
  // A lower bound on Leg(a, b).nm, cheap; lets the planner skip legs that
  // are out of range anyway. The default, 0, prunes nothing.
  virtual double LowerBoundNm(GeoPosition /*a*/, GeoPosition /*b*/) const { return 0; }
};

// The WGS84 geodesic distance in nautical miles (GeographicLib).
double GeodesicNm(GeoPosition a, GeoPosition b);

// Aircraft: straight geodesic legs.
class GeodesicOracle final : public DistanceOracle {
 public:
  Result<LegPath> Leg(GeoPosition a, GeoPosition b) const override;
  double LowerBoundNm(GeoPosition a, GeoPosition b) const override { return GeodesicNm(a, b); }
};

// Ships: the sea-lane route for the given draught and beam.
class SeaLaneOracle final : public DistanceOracle {
 public:
  SeaLaneOracle(const sealanes::RoutePlanner& router, std::optional<double> draught_m, std::optional<double> beam_m,
                Timestamp departure);
  Result<LegPath> Leg(GeoPosition a, GeoPosition b) const override;
  double LowerBoundNm(GeoPosition a, GeoPosition b) const override { return GeodesicNm(a, b); }

 private:
  const sealanes::RoutePlanner& router_;
  std::optional<double> draught_m_;
  std::optional<double> beam_m_;
  Timestamp departure_;
};

}  // namespace relos::mission

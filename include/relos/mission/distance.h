// Distance oracles for the mission planner: how far a unit travels between
// two positions. Ships follow the sea-lane router (honouring draught and
// beam); aircraft fly the WGS84 geodesic. Tests supply synthetic matrices.
//
// Thread-safety: the oracles are safe for concurrent calls; SeaLaneOracle
// borrows its RoutePlanner (and LegCache), which must outlive it. LegCache
// locks internally.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/status.h"
#include "relos/core/time.h"

namespace relos::sealanes {
class AnchorCache;
class RoutePlanner;
}

namespace relos::mission {

struct LegPath {
  double nm = 0;
  std::vector<GeoPosition> points;  // at least from and to
};

// When a leg starts and how fast it is made: seasonal passages (the
// Northern Sea Route) must be open while the unit passes through them.
struct LegTiming {
  Timestamp depart;
  double speed_kn = 0;
};

class DistanceOracle {
 public:
  virtual ~DistanceOracle() = default;
  // The travelled distance from `a` to `b` for a leg starting at
  // `when.depart`. NotFound when there is no way (no sea route for this
  // draught, or none open at that time); other errors are failures.
  virtual Result<LegPath> Leg(GeoPosition a, GeoPosition b, const LegTiming& when) const = 0;
  // A lower bound on Leg(a, b).nm, cheap; lets the planner skip legs that
  // are out of range anyway. The default, 0, prunes nothing.
  virtual double LowerBoundNm(GeoPosition /*a*/, GeoPosition /*b*/) const { return 0; }
  // The times in (after, until] at which a seasonal passage this unit may
  // use opens, in order: a leg started then may be shorter, or possible at
  // all. The default, none, for units no season restricts.
  virtual std::vector<Timestamp> Openings(Timestamp /*after*/, Timestamp /*until*/) const { return {}; }
};

// The WGS84 geodesic distance in nautical miles (GeographicLib).
double GeodesicNm(GeoPosition a, GeoPosition b);

// A lower bound of GeodesicNm, a tenth of its cost: the great circle
// between the same latitudes and longitudes on a sphere of radius
// a (1 - e^2), the least radius of curvature of the WGS84 ellipsoid, whose
// metric is nowhere larger than the ellipsoid's. About 1 % short at most.
double GeodesicLowerBoundNm(GeoPosition a, GeoPosition b);

// Aircraft: straight geodesic legs.
class GeodesicOracle final : public DistanceOracle {
 public:
  Result<LegPath> Leg(GeoPosition a, GeoPosition b, const LegTiming& when) const override;
  double LowerBoundNm(GeoPosition a, GeoPosition b) const override { return GeodesicLowerBoundNm(a, b); }
};

// Sea legs already routed, for the plans of one process to share (the
// server keeps one for its lifetime). Facilities do not move, so a planner
// asks for the same legs between them plan after plan; a route costs about a
// millisecond, a cached leg a map look-up. Keyed by the two positions and
// all that changes a route: draught, beam, the leg's departure time (to the
// second: a seasonal passage must still be open when the unit gets there,
// which a later start on the same day may not find) and speed. Bounded:
// when full, the legs kept longest go first.
class LegCache {
 public:
  // 20,000 legs: 36 plans of the 200-stop benchmark (556 legs each), far
  // more for a registry of dozens of ports; a leg is a route of a few dozen
  // turning points, under 1 KB with its key, so under 20 MB in all.
  static constexpr size_t kDefaultMaxLegs = 20000;
  explicit LegCache(size_t max_legs = kDefaultMaxLegs) : max_legs_(max_legs) {}

  struct Key {
    double from_lat, from_lon, to_lat, to_lon;
    double draught_m, beam_m;  // -1 when not given
    int64_t depart_unix;       // seconds
    double speed_kn;
    bool operator<(const Key& o) const {
      return std::tie(from_lat, from_lon, to_lat, to_lon, draught_m, beam_m, depart_unix, speed_kn) <
             std::tie(o.from_lat, o.from_lon, o.to_lat, o.to_lon, o.draught_m, o.beam_m, o.depart_unix, o.speed_kn);
    }
  };
  // The cached outcome of the leg: its path, or the NotFound that routing it gave.
  std::optional<Result<LegPath>> Find(const Key& key) const;
  void Insert(const Key& key, const Result<LegPath>& leg);
  size_t size() const;

 private:
  const size_t max_legs_;
  mutable std::mutex mu_;
  std::map<Key, Result<LegPath>> legs_;  // guarded by mu_
  std::deque<Key> inserted_;             // keys of legs_, oldest first; guarded by mu_
};

class LegTable;

// Ships: the sea-lane route for the given draught and beam. With a leg
// table, legs between its places that the ship may take are read from it;
// with a cache, legs routed before (by any plan sharing the cache) are not
// routed again.
class SeaLaneOracle final : public DistanceOracle {
 public:
  SeaLaneOracle(const sealanes::RoutePlanner& router, std::optional<double> draught_m, std::optional<double> beam_m,
                LegCache* cache = nullptr, const LegTable* table = nullptr);
  Result<LegPath> Leg(GeoPosition a, GeoPosition b, const LegTiming& when) const override;
  double LowerBoundNm(GeoPosition a, GeoPosition b) const override { return GeodesicLowerBoundNm(a, b); }
  // The season starts of the network's seasonal passages not closed to the
  // ship by its draught or beam.
  std::vector<Timestamp> Openings(Timestamp after, Timestamp until) const override;

  // Legs from and to `places` (the registry's ports and naval bases: the
  // ends and stops of missions) take those places' anchors from `anchors`,
  // attached and kept across plans (sealanes::PlanRoute), so that a leg into
  // a stop settles little more than its own nodes; other positions are
  // snapped for the leg. Same legs as without. Ignored when the places are
  // more than the cache holds (AnchorCache::capacity): a plan would evict
  // the anchors it attached before reusing them, 20 ms lost each time. The
  // cache must be over the router's network.
  void KeepAnchors(sealanes::AnchorCache* anchors, const std::vector<GeoPosition>& places);

 private:
  Result<LegPath> Route(GeoPosition a, GeoPosition b, const LegTiming& when) const;
  bool Kept(GeoPosition p) const { return kept_.count({p.lat, p.lon}) > 0; }

  const sealanes::RoutePlanner& router_;
  std::optional<double> draught_m_;
  std::optional<double> beam_m_;
  LegCache* cache_;
  const LegTable* table_;
  sealanes::AnchorCache* anchors_ = nullptr;
  std::set<std::pair<double, double>> kept_;  // (lat, lon) of the places whose anchors are kept
};

}  // namespace relos::mission

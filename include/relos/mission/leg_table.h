// Sea legs between a fixed set of places (a registry's ports and naval
// bases), routed once and kept in a file, so that a mission planner in a
// fresh process answers them without routing: candidate stops do not move
// from plan to plan, and routing the legs between them is what a cold plan
// spends its time on (docs/mission-planner.md, "Leg table").
//
// Each pair of places is routed once with the fewest restrictions a ship
// of unknown size has (every seasonal passage counted open whatever the
// date, no draught or beam limit; shallow areas avoided) and stored with
// the passages the route goes through. Restrictions only take water away,
// so when none of those passages is closed to the ship the stored route is
// one the ship may take, and the one the router gives it. A leg through a
// seasonal passage is always left to the router, which judges the season
// when the ship gets there; so is a leg through a canal or strait too
// shallow or narrow for the ship, and every leg of a ship shallow enough
// for a shallow area (it may have a shorter way).
//
// The reverse of a pair is its route read backwards. The table records the
// network it was routed on (SeaLaneNetwork::fingerprint) and its places;
// Update keeps the pairs whose two places are still listed, so a facility
// added or moved costs only its own legs.
//
// Thread-safety: immutable once built or loaded; safe for concurrent Find.
// It borrows the network, which must outlive it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/status.h"
#include "relos/mission/distance.h"

namespace relos::sealanes {
class RoutePlanner;
class SeaLaneNetwork;
}  // namespace relos::sealanes

namespace relos::mission {

class LegTable {
 public:
  // What Update did: pairs kept from the previous table, pairs routed.
  struct UpdateReport {
    int64_t kept = 0;
    int64_t routed = 0;
  };

  // A table with no places for `network`.
  explicit LegTable(const sealanes::SeaLaneNetwork& network);

  // Makes the table cover exactly `places` (duplicates ignored): pairs of
  // places already in it are kept, the others routed with `router` (which
  // must route over the same network). A place that cannot be joined to
  // the sea is kept without legs; Find leaves its legs to the router.
  // Errors from the router other than "no route" are returned, the table
  // unchanged.
  Result<UpdateReport> Update(const sealanes::RoutePlanner& router, const std::vector<GeoPosition>& places);

  // Reads a table written by Save. NotFound when the file does not exist;
  // DataLoss when it is not a leg table or is corrupt; FailedPrecondition
  // when it was routed on another sea-lane network.
  static Result<LegTable> Load(const std::string& path, const sealanes::SeaLaneNetwork& network);
  // Writes the table (a temporary file renamed into place). Unavailable when
  // it cannot be written.
  Status Save(const std::string& path) const;

  // The table kept in `path` for `places`, as `relos plan mission --legs`
  // uses it: read, brought up to date (Update) and written back when that
  // changed it. A missing file is created; one routed on another network,
  // or unreadable, is routed again, with a line saying so in `*warning`.
  // Errors: those of Update and Save.
  static Result<LegTable> Keep(const std::string& path, const sealanes::SeaLaneNetwork& network,
                               const sealanes::RoutePlanner& router, const std::vector<GeoPosition>& places,
                               std::string* warning);

  // The leg from `a` to `b` when both are places of the table and the ship
  // may take the stored route: the route, or NotFound when there is no sea
  // route between them at all. nullopt when the router must answer.
  std::optional<Result<LegPath>> Find(GeoPosition a, GeoPosition b, std::optional<double> draught_m,
                                      std::optional<double> beam_m) const;

  size_t place_count() const { return places_.size(); }
  const std::vector<GeoPosition>& places() const { return places_; }

 private:
  enum class PairState : uint8_t { kUnknown, kRouted, kNoRoute };
  struct Pair {
    PairState state = PairState::kUnknown;
    double nm = 0;
    uint64_t passages = 0;      // bit i: goes through the network's passage i
    uint32_t first_point = 0;   // into points_, from the lower-numbered place
    uint32_t point_count = 0;
  };

  // Index of the unordered pair i < j in pairs_.
  size_t PairIndex(size_t i, size_t j) const { return i * (2 * places_.size() - i - 1) / 2 + (j - i - 1); }
  std::optional<size_t> PlaceIndex(GeoPosition p) const;

  const sealanes::SeaLaneNetwork* network_;
  std::vector<GeoPosition> places_;
  std::map<std::pair<double, double>, uint32_t> index_;  // (lat, lon) -> place
  std::vector<Pair> pairs_;                              // n (n - 1) / 2
  std::vector<GeoPosition> points_;
};

}  // namespace relos::mission

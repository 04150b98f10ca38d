#include "relos/mission/distance.h"

#include <GeographicLib/Geodesic.hpp>
#include <algorithm>
#include <cmath>

#include "relos/mission/leg_table.h"
#include "relos/sealanes/anchor_cache.h"
#include "relos/sealanes/route.h"

namespace relos::mission {

double GeodesicNm(GeoPosition a, GeoPosition b) {
  double metres = 0;
  GeographicLib::Geodesic::WGS84().Inverse(a.lat, a.lon, b.lat, b.lon, metres);
  return metres / 1852.0;
}

double GeodesicLowerBoundNm(GeoPosition a, GeoPosition b) {
  const GeographicLib::Geodesic& wgs84 = GeographicLib::Geodesic::WGS84();
  const double e2 = wgs84.Flattening() * (2 - wgs84.Flattening());
  const double radius_nm = wgs84.EquatorialRadius() * (1 - e2) / 1852.0;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * radius_nm * std::asin(std::min(1.0, std::sqrt(h)));
}

Result<LegPath> GeodesicOracle::Leg(GeoPosition a, GeoPosition b, const LegTiming& /*when*/) const {
  return LegPath{GeodesicNm(a, b), {a, b}};
}

std::optional<Result<LegPath>> LegCache::Find(const Key& key) const {
  std::lock_guard lock(mu_);
  auto it = legs_.find(key);
  if (it == legs_.end()) return std::nullopt;
  return it->second;
}

void LegCache::Insert(const Key& key, const Result<LegPath>& leg) {
  std::lock_guard lock(mu_);
  if (!legs_.emplace(key, leg).second) return;
  inserted_.push_back(key);
  while (legs_.size() > max_legs_) {
    legs_.erase(inserted_.front());
    inserted_.pop_front();
  }
}

size_t LegCache::size() const {
  std::lock_guard lock(mu_);
  return legs_.size();
}

SeaLaneOracle::SeaLaneOracle(const sealanes::RoutePlanner& router, std::optional<double> draught_m,
                             std::optional<double> beam_m, LegCache* cache, const LegTable* table)
    : router_(router), draught_m_(draught_m), beam_m_(beam_m), cache_(cache), table_(table) {}

Result<LegPath> SeaLaneOracle::Leg(GeoPosition a, GeoPosition b, const LegTiming& when) const {
  if (table_ != nullptr) {
    if (std::optional<Result<LegPath>> stored = table_->Find(a, b, draught_m_, beam_m_)) return *std::move(stored);
  }
  if (cache_ == nullptr) return Route(a, b, when);
  const LegCache::Key key{a.lat,         a.lon, b.lat, b.lon, draught_m_.value_or(-1), beam_m_.value_or(-1),
                          when.depart.unix_seconds(), when.speed_kn};
  if (std::optional<Result<LegPath>> hit = cache_->Find(key)) return *std::move(hit);
  Result<LegPath> leg = Route(a, b, when);
  // Only answers are kept: a failure other than "no route" is not a fact about the leg.
  if (leg.ok() || leg.status().code() == StatusCode::kNotFound) cache_->Insert(key, leg);
  return leg;
}

void SeaLaneOracle::KeepAnchors(sealanes::AnchorCache* anchors, const std::vector<GeoPosition>& places) {
  anchors_ = nullptr;
  kept_.clear();
  if (anchors == nullptr) return;
  for (const GeoPosition& p : places) kept_.insert({p.lat, p.lon});
  if (kept_.size() > anchors->capacity()) {
    kept_.clear();
    return;
  }
  anchors_ = anchors;
}

std::vector<Timestamp> SeaLaneOracle::Openings(Timestamp after, Timestamp until) const {
  std::vector<Timestamp> out;
  for (const sealanes::Passage& p : router_.network().passages()) {
    if (!p.season || sealanes::ClosedToShip(p, draught_m_, beam_m_)) continue;
    // This year's opening day, else next year's (the window may wrap the year).
    for (int year = after.Year(); year <= after.Year() + 1; ++year) {
      Result<Timestamp> opens = Timestamp::FromCivil(year, p.season->open_month, p.season->open_day);
      if (!opens.ok() || !(after < *opens)) continue;
      if (!(until < *opens)) out.push_back(*opens);
      break;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<LegPath> SeaLaneOracle::Route(GeoPosition a, GeoPosition b, const LegTiming& when) const {
  sealanes::RouteOptions options;
  options.max_draught_m = draught_m_;
  options.beam_m = beam_m_;
  // With the speed, the router checks each seasonal passage at the time the
  // unit reaches it and routes around one that will be closed by then.
  options.departure = when.depart;
  if (when.speed_kn > 0) options.speed_knots = when.speed_kn;
  ASSIGN_OR_RETURN(sealanes::Route route,
                   sealanes::PlanRoute(router_, anchors_, {a, Kept(a)}, {b, Kept(b)}, options));
  return LegPath{route.distance_nm, std::move(route.waypoints)};
}

}  // namespace relos::mission

#include "relos/sealanes/route.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <queue>

#include "sealanes/network_data.h"

namespace relos::sealanes {
namespace {

using internal::LandGrid;
using internal::NetworkData;

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr float kInf = std::numeric_limits<float>::infinity();
// Anchor links kept per end: enough choice of direction out of a harbour,
// few enough to keep the A* estimate (a minimum over them) cheap.
constexpr size_t kMaxLinks = 4;
// Chords for shortcut tests against the dilated grid (see GeodesicClear).
constexpr double kShortcutChordKm = 100.0;

// Great-circle distance on a sphere of the WGS84 polar radius: never more
// than the ellipsoidal geodesic, so a safe A* estimate, and cheap.
constexpr double kRad = M_PI / 180.0;
constexpr double kPolarRadiusNm = 6356752.314 / internal::kMetresPerNm;

double SphereLowerBoundNm(double lat0, double lon0, double lat1, double lon1) {
  const double dlat = (lat1 - lat0) * kRad, dlon = (lon1 - lon0) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat0 * kRad) * std::cos(lat1 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kPolarRadiusNm * std::asin(std::min(1.0, std::sqrt(a)));
}

// Which passages a query must keep out of, and why (for error messages).
struct Restrictions {
  uint64_t mask = 0;
  bool Excludes(size_t passage) const { return (mask >> passage) & 1; }
};

// Per-thread search state, reset lazily by generation so that a query does
// not pay for clearing arrays the size of the network. A node's fields sit
// together: the search touches nodes in no useful order, and one cache miss
// per node is the most of its cost.
struct Scratch {
  struct Slot {
    float g;
    uint32_t parent;
    uint32_t seen;  // the generation that set the other fields
    float h;        // the A* estimate, < 0 until computed
  };
  std::vector<Slot> slots;
  uint32_t generation = 0;
  void Prepare(size_t n) {
    if (slots.size() != n) {
      slots.assign(n, Slot{kInf, kNone, 0, -1.0f});
      generation = 0;
    }
    if (++generation == 0) {
      for (Slot& slot : slots) slot.seen = 0;
      generation = 1;
    }
  }
  float G(uint32_t v) const { return slots[v].seen == generation ? slots[v].g : kInf; }
  uint32_t Parent(uint32_t v) const { return slots[v].parent; }
  void Set(uint32_t v, float gv, uint32_t p) {
    Slot& slot = slots[v];
    if (slot.seen != generation) {
      slot = Slot{gv, p, generation, -1.0f};
    } else {
      slot.g = gv;
      slot.parent = p;
    }
  }
  // The estimate of a node set in this query, computed on first use: a node
  // is often queued several times as shorter ways to it are found.
  template <typename Estimate>
  float H(uint32_t v, const Estimate& estimate) {
    float& h = slots[v].h;
    if (h < 0) h = estimate(v);
    return h;
  }
};

// Landmarks used per query: those giving the best bound at the start, as
// the bounds of the others add little and each costs on every node queued.
constexpr uint32_t kActiveLandmarks = 6;

class Query {
 public:
  Query(const NetworkData& d, const Restrictions& r) : d_(d), r_(r) {}

  bool Allowed(uint32_t v) const { return (d_.node_passages[v] & r_.mask) == 0; }

  // True when a straight geodesic leg from a to b may replace a stretch of
  // the network path: it keeps a cell's clearance off land (the dilated
  // grid), or touches no land at all when one end lies in that clearance
  // (harbour ends), and enters no excluded passage area.
  bool LegClear(double lat0, double lon0, double lat1, double lon1, bool shortcut) const {
    const LandGrid& grid =
        shortcut && !d_.soft.BlockedAt(lat0, lon0) && !d_.soft.BlockedAt(lat1, lon1) ? d_.soft : d_.hard;
    if (grid.BlockedAt(lat0, lon0) || grid.BlockedAt(lat1, lon1)) return false;
    const double chord = &grid == &d_.soft ? kShortcutChordKm : LandGrid::kChordKm;
    return internal::EveryChord(lat0, lon0, lat1, lon1, chord, [&](const LonLat& a, const LonLat& next) {
      const LonLat b{Unwrap(a.lon, next.lon), next.lat};
      if (!grid.SegmentClear(a.lon, a.lat, b.lon, b.lat)) return false;
      if (r_.mask == 0) return true;
      for (size_t p = 0; p < d_.areas.size(); ++p) {
        if (!r_.Excludes(p) || d_.areas[p].empty()) continue;
        // A chord strays from the geodesic by far less than the margin.
        if (internal::SegmentNearBox(d_.area_boxes[p], a, b, 0.1) &&
            internal::SegmentEntersArea(d_.areas[p], a, b, 2.0)) {
          return false;
        }
      }
      return true;
    });
  }

  static double Unwrap(double lon0, double lon1) {
    while (lon1 - lon0 > 180) lon1 -= 360;
    while (lon1 - lon0 < -180) lon1 += 360;
    return lon1;
  }

  // A* from the `from` links to the `to` links. Fills `nodes` with the path
  // (possibly empty when the anchors join directly) and returns its length,
  // or infinity when no allowed path exists.
  float Search(const SeaAnchor& from, const SeaAnchor& to, std::vector<uint32_t>& nodes) const {
    thread_local Scratch s;
    s.Prepare(d_.node_count());
    const uint32_t lm = d_.landmark_count;
    std::vector<std::pair<uint32_t, float>> goal;
    for (const SeaAnchor::Link& l : to.links)
      if (Allowed(l.node)) goal.push_back({l.node, l.nm});
    if (goal.empty()) return kInf;
    // ALT towards a set of target nodes n_k reached with extra cost c_k: per
    // landmark L, with A = min_k d(L,n_k) + c_k and B = max_k d(L,n_k) - c_k,
    // every k has d(v,n_k) + c_k >= max(A - d(L,v), d(L,v) - B) by the
    // triangle inequality, so the larger of the two, over all landmarks, never
    // overestimates: two operations per landmark instead of one per target.
    std::vector<float> lo(lm, kInf), hi(lm, -kInf);
    for (const auto& [n, c] : goal) {
      const float* ln = &d_.landmark_nm[static_cast<size_t>(n) * lm];
      for (uint32_t l = 0; l < lm; ++l) {
        lo[l] = std::min(lo[l], ln[l] + c);
        hi[l] = std::max(hi[l], ln[l] - c);
      }
    }
    // The straight chord through the Earth on a sphere of the polar radius
    // is shorter than any sea route: a lower bound without trigonometry.
    const double tz = std::sin(to.water.lat * kRad);
    const double tx = std::cos(to.water.lat * kRad) * std::cos(to.water.lon * kRad);
    const double ty = std::cos(to.water.lat * kRad) * std::sin(to.water.lon * kRad);
    // Unreachable landmarks (infinite distances) give no bound.
    auto landmark_bound = [&](const float* lv, uint32_t l) {
      const float b = std::max(lo[l] - lv[l], lv[l] - hi[l]);
      return std::isfinite(b) ? b : 0.0f;
    };
    // An attached destination carries its own distances: the best bound of all.
    const std::vector<float>* reach =
        to.reach_nm && to.reach_nm->size() == d_.node_count() ? to.reach_nm.get() : nullptr;
    std::vector<std::pair<float, uint32_t>> ranked;
    for (uint32_t l = 0; l < (reach ? 0 : lm); ++l) {
      float at_start = 0;
      for (const SeaAnchor::Link& link : from.links)
        at_start = std::max(at_start, landmark_bound(&d_.landmark_nm[static_cast<size_t>(link.node) * lm], l));
      ranked.push_back({-at_start, l});
    }
    std::sort(ranked.begin(), ranked.end());
    std::array<uint32_t, kActiveLandmarks> active{};
    const uint32_t active_count = std::min<uint32_t>(kActiveLandmarks, static_cast<uint32_t>(ranked.size()));
    for (uint32_t k = 0; k < active_count; ++k) active[k] = ranked[k].second;
    auto estimate = [&](uint32_t v) {
      // Shaved by 1e-5: the float sums of the search and of Attach may round
      // apart, and the estimate must never exceed the distance left.
      if (reach) return (*reach)[v] * (1.0f - 1e-5f);
      const NetworkData::SearchNode& p = d_.search_nodes[v];
      const double dx = p.x - tx, dy = p.y - ty, dz = p.z - tz;
      float h = static_cast<float>(std::sqrt(dx * dx + dy * dy + dz * dz) * kPolarRadiusNm * 0.999);
      const float* lv = &d_.landmark_nm[static_cast<size_t>(v) * lm];
      for (uint32_t k = 0; k < active_count; ++k) h = std::max(h, landmark_bound(lv, active[k]));
      return h;
    };
    struct Item {
      float f, g;
      uint32_t v;
      bool operator>(const Item& o) const { return f > o.f; }
    };
    std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
    for (const SeaAnchor::Link& l : from.links) {
      if (!Allowed(l.node) || l.nm >= s.G(l.node)) continue;
      s.Set(l.node, l.nm, kNone);
      open.push({l.nm + s.H(l.node, estimate), l.nm, l.node});
    }
    float best = kInf;
    uint32_t best_node = kNone;
    while (!open.empty()) {
      const Item top = open.top();
      open.pop();
      if (top.f >= best) break;
      const uint32_t u = top.v;
      const float gu = s.G(u);
      if (top.g > gu) continue;  // stale entry: u was reached more cheaply since
      for (const auto& [gn, link] : goal) {
        if (gn == u && gu + link < best) {
          best = gu + link;
          best_node = u;
        }
      }
      const uint32_t end = d_.search_nodes[u + 1].first_arc;
      for (uint32_t e = d_.search_nodes[u].first_arc; e < end; ++e) {
        const NetworkData::Arc arc = d_.arcs[e];
        const uint32_t v = arc.head & ~NetworkData::kInPassage;
        if ((arc.head & NetworkData::kInPassage) && !Allowed(v)) continue;
        const float gv = gu + arc.nm;
        if (gv < s.G(v)) {
          s.Set(v, gv, u);
          open.push({gv + s.H(v, estimate), gv, v});
        }
      }
    }
    nodes.clear();
    if (best_node == kNone) return kInf;
    for (uint32_t v = best_node; v != kNone; v = s.Parent(v)) nodes.push_back(v);
    std::reverse(nodes.begin(), nodes.end());
    return best;
  }

  uint8_t EdgeFlag(uint32_t a, uint32_t b) const {
    for (uint32_t e = d_.first_edge[a]; e < d_.first_edge[a + 1]; ++e)
      if (d_.edge_to[e] == b) return d_.edge_forced[e];
    return internal::kFreeEdge;
  }

 private:
  const NetworkData& d_;
  const Restrictions& r_;
};

struct PathPoint {
  double lat, lon;
  uint8_t forced_next;  // the leg to the next point is a passage's forced route
};

// Pulls the path taut: from each kept point, the farthest later point that a
// clear straight leg reaches (found by doubling then bisection, since
// visibility along a path is nearly monotone), never across a forced leg.
std::vector<PathPoint> PullTaut(const Query& q, const std::vector<PathPoint>& in) {
  std::vector<PathPoint> out;
  if (in.empty()) return out;
  size_t i = 0;
  out.push_back(in[0]);
  const size_t last = in.size() - 1;
  while (i < last) {
    if (in[i].forced_next != internal::kFreeEdge) {
      out.back().forced_next = in[i].forced_next;
      out.push_back(in[++i]);
      continue;
    }
    size_t limit = i + 1;
    while (limit < last && in[limit].forced_next == internal::kFreeEdge) ++limit;
    auto clear = [&](size_t k) { return q.LegClear(in[i].lat, in[i].lon, in[k].lat, in[k].lon, true); };
    size_t good = i + 1;  // the network's own leg is always clear
    size_t bad = limit + 1;  // first index known not to be clear
    size_t step = 1;
    while (good + step <= limit) {
      if (clear(good + step)) {
        good += step;
        step *= 2;
      } else {
        bad = good + step;
        break;
      }
    }
    if (bad == limit + 1 && good < limit) {
      if (clear(limit)) good = limit;
      else bad = limit;
    }
    while (bad <= limit && bad - good > 1) {
      const size_t mid = (good + bad) / 2;
      if (clear(mid)) good = mid;
      else bad = mid;
    }
    out.back().forced_next = internal::kFreeEdge;
    out.push_back(in[good]);
    i = good;
  }
  return out;
}

// The WGS84 length of each leg of the path.
std::vector<double> LegNm(const std::vector<PathPoint>& pts) {
  std::vector<double> out;
  for (size_t i = 0; i + 1 < pts.size(); ++i) {
    out.push_back(internal::GeodesicNm(pts[i].lat, pts[i].lon, pts[i + 1].lat, pts[i + 1].lon));
  }
  return out;
}

// Two corners of a lon/lat box holding the whole geodesic from a to b, b's
// longitude unwrapped next to a's (longitude is monotone along a geodesic
// shorter than half the globe). Latitude peaks between the ends only at the
// vertex of the great circle through them, placed here on the sphere; the
// ellipsoid moves it by under 0.2 degrees, which callers keep as margin.
std::pair<LonLat, LonLat> LegBox(const PathPoint& a, const PathPoint& b) {
  const double lon_b = Query::Unwrap(a.lon, b.lon);
  double lat_lo = std::min(a.lat, b.lat), lat_hi = std::max(a.lat, b.lat);
  auto unit = [](double lat, double lon) {
    return std::array<double, 3>{std::cos(lat * kRad) * std::cos(lon * kRad), std::cos(lat * kRad) * std::sin(lon * kRad),
                                 std::sin(lat * kRad)};
  };
  auto cross = [](const std::array<double, 3>& u, const std::array<double, 3>& v) {
    return std::array<double, 3>{u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
  };
  auto dot = [](const std::array<double, 3>& u, const std::array<double, 3>& v) {
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  };
  const auto pa = unit(a.lat, a.lon), pb = unit(b.lat, b.lon);
  const auto n = cross(pa, pb);
  const double norm = std::sqrt(dot(n, n));
  if (norm < 1e-9) {
    // The same point, or antipodes (no single great circle): every latitude.
    if (dot(pa, pb) < 0) lat_lo = -90, lat_hi = 90;
  } else {
    // The circle's northernmost point: the pole direction less its part along n.
    const double nz = n[2] / norm;
    std::array<double, 3> v{-nz * n[0] / norm, -nz * n[1] / norm, 1 - nz * nz};
    const double vn = std::sqrt(dot(v, v));
    if (vn > 1e-12) {
      for (double& x : v) x /= vn;
      const double peak = std::asin(std::min(1.0, v[2])) / kRad;
      const std::array<double, 3> south{-v[0], -v[1], -v[2]};
      auto on_arc = [&](const std::array<double, 3>& p) { return dot(cross(pa, p), n) >= 0 && dot(cross(p, pb), n) >= 0; };
      if (on_arc(v)) lat_hi = std::max(lat_hi, peak);
      if (on_arc(south)) lat_lo = std::min(lat_lo, -peak);
    }
  }
  return {LonLat{std::min(a.lon, lon_b), lat_lo}, LonLat{std::max(a.lon, lon_b), lat_hi}};
}

// Passages the route goes through, in order, with the distance at which
// each starts: forced legs name theirs; areas are found by sampling the legs
// that may come near one. `leg_nm` holds the legs' lengths (LegNm).
std::vector<PassageTransit> FindTransits(const NetworkData& d, const std::vector<PathPoint>& pts,
                                         const std::vector<double>& leg_nm, double start_nm) {
  std::vector<PassageTransit> out;
  std::vector<bool> used(d.table.passages.size(), false);
  std::vector<size_t> slot(d.table.passages.size(), 0);
  auto note = [&](size_t p, double at) {
    if (used[p]) {
      out[slot[p]].until_nm = std::max(out[slot[p]].until_nm, at);
      return;
    }
    used[p] = true;
    slot[p] = out.size();
    out.push_back({d.table.passages[p].id, d.table.passages[p].name, at, at, std::nullopt, std::nullopt});
  };
  double along = start_nm;
  std::vector<LonLat> chords;
  std::vector<size_t> near;
  for (size_t i = 0; i + 1 < pts.size(); ++i) {
    const double leg = leg_nm[i];
    if (pts[i].forced_next != internal::kFreeEdge) {
      note(pts[i].forced_next - 1u, along);
      note(pts[i].forced_next - 1u, along + leg);
    }
    // Most legs are nowhere near a passage area: no points placed on them.
    near.clear();
    const auto [lo, hi] = LegBox(pts[i], pts[i + 1]);
    for (size_t p = 0; p < d.areas.size(); ++p) {
      if (!d.areas[p].empty() && internal::SegmentNearBox(d.area_boxes[p], lo, hi, 0.6)) near.push_back(p);
    }
    if (near.empty()) {
      along += leg;
      continue;
    }
    chords.clear();
    internal::GeodesicPoints(pts[i].lat, pts[i].lon, pts[i + 1].lat, pts[i + 1].lon, 50.0, chords);
    const double per_chord = leg / static_cast<double>(chords.size() - 1);
    for (size_t k = 0; k + 1 < chords.size(); ++k) {
      const LonLat a = chords[k];
      LonLat b = chords[k + 1];
      while (b.lon - a.lon > 180) b.lon -= 360;
      while (b.lon - a.lon < -180) b.lon += 360;
      for (size_t p : near) {
        if (!internal::SegmentNearBox(d.area_boxes[p], a, b, 0.1)) continue;
        // Where along this chord the area starts and ends, to 2 km.
        const int steps = std::max(1, static_cast<int>(std::ceil(per_chord * internal::kMetresPerNm / 2000.0)));
        for (int s = 0; s <= steps; ++s) {
          const double t = static_cast<double>(s) / steps;
          if (internal::InArea(d.areas[p], a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon))) {
            note(p, along + per_chord * (static_cast<double>(k) + t));
          }
        }
      }
    }
    along += leg;
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.from_start_nm < b.from_start_nm; });
  return out;
}

}  // namespace

bool ClosedToShip(const Passage& p, std::optional<double> draught_m, std::optional<double> beam_m) {
  const bool deep = p.max_draught_m && draught_m && *draught_m > *p.max_draught_m;
  const bool wide = p.max_beam_m && beam_m && *beam_m > *p.max_beam_m;
  // A shallow area is for ships known to fit; an unknown ship is assumed deep.
  const bool shallow = p.kind == PassageKind::kShallowArea && (!draught_m || deep);
  return deep || wide || shallow;
}

RoutePlanner::RoutePlanner(const SeaLaneNetwork& network, const Clock& clock) : network_(network), clock_(clock) {}

Result<SeaAnchor> RoutePlanner::Snap(GeoPosition p, std::string_view field) const {
  const std::string f(field);
  RETURN_IF_ERROR(GeoPosition::Make(p.lat, p.lon).status().WithContext(f));
  const NetworkData& d = network_.data();
  SeaAnchor anchor;
  anchor.requested = p;
  Restrictions none;
  Query q(d, none);

  // Links from a water point to the nearest nodes in sight.
  auto link = [&](double lat, double lon, std::vector<SeaAnchor::Link>& links) {
    links.clear();
    std::vector<std::pair<double, uint32_t>> near;
    const double coslat = std::max(0.05, std::cos(lat * M_PI / 180.0));
    const int dr = 2, dc = std::min(180, static_cast<int>(std::ceil(2.0 / coslat)));
    const int row = static_cast<int>(std::floor(lat + 90.0));
    const int col = static_cast<int>(std::floor(lon + 180.0));
    for (int r = std::max(0, row - dr); r <= std::min(179, row + dr); ++r) {
      for (int c = col - dc; c <= col + dc; ++c) {
        const int b = r * 360 + ((c % 360) + 360) % 360;
        for (uint32_t k = d.bin_first[static_cast<size_t>(b)]; k < d.bin_first[static_cast<size_t>(b) + 1]; ++k) {
          const uint32_t v = d.bin_nodes[k];
          near.push_back({SphereLowerBoundNm(lat, lon, d.lat[v], d.lon[v]), v});
        }
      }
    }
    std::sort(near.begin(), near.end());
    // Nearest first; a node hidden behind land is skipped. Stop once enough
    // links are found or the candidates get far.
    size_t tested = 0;
    for (const auto& [dist, v] : near) {
      if (links.size() >= kMaxLinks || tested >= 48) break;
      // Forced-route nodes are reached only along their route.
      if (d.node_passages[v] != 0 && d.first_edge[v + 1] - d.first_edge[v] <= 2) {
        bool forced = false;
        for (uint32_t e = d.first_edge[v]; e < d.first_edge[v + 1]; ++e) forced |= d.edge_forced[e] != internal::kFreeEdge;
        if (forced) continue;
      }
      ++tested;
      if (q.LegClear(lat, lon, d.lat[v], d.lon[v], false)) {
        links.push_back({v, static_cast<float>(internal::GeodesicNm(lat, lon, d.lat[v], d.lon[v]))});
      }
    }
  };

  if (!d.hard.BlockedAt(p.lat, p.lon)) {
    link(p.lat, p.lon, anchor.links);
    if (!anchor.links.empty()) {
      anchor.water = p;
      return anchor;
    }
  }
  // On land, in a harbour the grid cannot resolve, or in water that sees no
  // node: the nearest water cell (by distance) from which nodes are in sight.
  const LandGrid& g = d.hard;
  const double cell_nm = 60.0 / g.cells_per_degree();
  const int rr = static_cast<int>(std::ceil(kMaxSnapNm / cell_nm)) + 1;
  const double coslat = std::max(0.05, std::cos(p.lat * M_PI / 180.0));
  const int rc = std::min(g.width() / 2, static_cast<int>(std::ceil(rr / coslat)));
  const int row0 = g.Row(p.lat), col0 = g.Col(p.lon);
  std::vector<std::pair<double, std::pair<int, int>>> cells;
  for (int r = row0 - rr; r <= row0 + rr; ++r) {
    if (r < 0 || r >= g.height()) continue;
    for (int c = col0 - rc; c <= col0 + rc; ++c) {
      if (g.Blocked(c, r)) continue;
      const double nm = SphereLowerBoundNm(p.lat, p.lon, g.CellLat(r), g.CellLon(c));
      if (nm <= kMaxSnapNm) cells.push_back({nm, {c, r}});
    }
  }
  if (cells.empty()) {
    return InvalidArgument(f + ": position " + p.ToString() + " is on land, more than " +
                               std::to_string(static_cast<int>(kMaxSnapNm)) + " nm from navigable water",
                           f);
  }
  std::sort(cells.begin(), cells.end());
  size_t tries = 0;
  for (const auto& [nm, cell] : cells) {
    if (++tries > 400) break;
    const double lat = g.CellLat(cell.second), lon = g.CellLon(cell.first);
    link(lat, lon, anchor.links);
    if (!anchor.links.empty()) {
      anchor.water = GeoPosition{lat, lon};
      anchor.approach_nm = internal::GeodesicNm(p.lat, p.lon, lat, lon);
      return anchor;
    }
  }
  return NotFound(f + ": no sea route reaches " + p.ToString() + " (enclosed water, not joined to the oceans)", f);
}

void RoutePlanner::Attach(SeaAnchor& anchor) const {
  const NetworkData& d = network_.data();
  auto reach = std::make_shared<std::vector<float>>(d.node_count(), kInf);
  std::vector<float>& nm = *reach;
  // Edges are stored both ways with one length: the distance from the
  // anchor to a node is the node's distance to the anchor.
  using Entry = std::pair<float, uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> open;
  for (const SeaAnchor::Link& l : anchor.links) {
    if (l.nm < nm[l.node]) {
      nm[l.node] = l.nm;
      open.push({l.nm, l.node});
    }
  }
  while (!open.empty()) {
    const auto [g, u] = open.top();
    open.pop();
    if (g > nm[u]) continue;
    const uint32_t end = d.search_nodes[u + 1].first_arc;
    for (uint32_t e = d.search_nodes[u].first_arc; e < end; ++e) {
      const uint32_t v = d.arcs[e].head & ~NetworkData::kInPassage;
      const float gv = g + d.arcs[e].nm;
      if (gv < nm[v]) {
        nm[v] = gv;
        open.push({gv, v});
      }
    }
  }
  anchor.reach_nm = std::move(reach);
}

Result<Route> RoutePlanner::Plan(GeoPosition from, GeoPosition to, const RouteOptions& options) const {
  ASSIGN_OR_RETURN(SeaAnchor a, Snap(from, "from"));
  ASSIGN_OR_RETURN(SeaAnchor b, Snap(to, "to"));
  return PlanBetween(a, b, options);
}

Result<Route> RoutePlanner::PlanBetween(const SeaAnchor& from, const SeaAnchor& to, const RouteOptions& options) const {
  const NetworkData& d = network_.data();
  if (options.max_draught_m && !(*options.max_draught_m > 0 && *options.max_draught_m < 40)) {
    return InvalidArgument("max_draught_m must be between 0 and 40 m", "max_draught");
  }
  if (options.beam_m && !(*options.beam_m > 0 && *options.beam_m < 100)) {
    return InvalidArgument("beam_m must be between 0 and 100 m", "beam");
  }
  if (options.speed_knots && !(*options.speed_knots > 0 && *options.speed_knots <= 60)) {
    return InvalidArgument("speed must be between 0 and 60 knots", "speed");
  }
  Restrictions r;
  for (const std::string& id : options.avoid) {
    ASSIGN_OR_RETURN(const Passage* p, network_.FindPassage(id));
    r.mask |= uint64_t{1} << static_cast<size_t>(p - d.table.passages.data());
  }
  const Timestamp departure = options.departure.value_or(clock_.Now());
  for (size_t i = 0; i < d.table.passages.size(); ++i) {
    const Passage& p = d.table.passages[i];
    const bool closed = !options.all_seasons_open && p.season && !p.season->Contains(departure);
    if (ClosedToShip(p, options.max_draught_m, options.beam_m) || closed) r.mask |= uint64_t{1} << i;
  }

  Route route;
  route.from = from.requested;
  route.to = to.requested;
  route.departure = departure;
  route.speed_knots = options.speed_knots;
  route.geodesic_nm = internal::GeodesicNm(from.requested.lat, from.requested.lon, to.requested.lat, to.requested.lon);
  route.approach_nm = from.approach_nm + to.approach_nm;

  // A seasonal passage open at departure may be closed by the time the ship
  // gets there: plan, check arrival times, exclude and plan again.
  for (int attempt = 0; attempt < 4; ++attempt) {
    Query q(d, r);
    std::vector<PathPoint> pts;
    if (q.LegClear(from.water.lat, from.water.lon, to.water.lat, to.water.lon, false)) {
      pts = {{from.water.lat, from.water.lon, internal::kFreeEdge}, {to.water.lat, to.water.lon, internal::kFreeEdge}};
    } else {
      std::vector<uint32_t> nodes;
      const float nm = q.Search(from, to, nodes);
      if (!std::isfinite(nm)) {
        // Say why when an end lies inside a closed or excluded passage.
        for (const auto* end : {&from, &to}) {
          uint64_t blocking = ~uint64_t{0};
          for (const SeaAnchor::Link& l : end->links) blocking &= d.node_passages[l.node] & r.mask;
          if (end->links.empty() || blocking == 0) continue;
          std::string names;
          for (size_t i = 0; i < d.table.passages.size(); ++i)
            if ((blocking >> i) & 1) names += (names.empty() ? "" : ", ") + d.table.passages[i].name;
          return NotFound(std::string(end == &from ? "from" : "to") + ": " + end->requested.ToString() +
                              " lies in " + names + ", closed or avoided for this voyage (departure " +
                              departure.DateString() + ")",
                          end == &from ? "from" : "to");
        }
        return NotFound("no sea route from " + from.requested.ToString() + " to " + to.requested.ToString() +
                            " under the given restrictions",
                        "route");
      }
      pts.push_back({from.water.lat, from.water.lon, internal::kFreeEdge});
      for (size_t i = 0; i < nodes.size(); ++i) {
        const uint8_t flag = i + 1 < nodes.size() ? q.EdgeFlag(nodes[i], nodes[i + 1]) : internal::kFreeEdge;
        pts.push_back({d.lat[nodes[i]], d.lon[nodes[i]], flag});
      }
      pts.push_back({to.water.lat, to.water.lon, internal::kFreeEdge});
      pts = PullTaut(q, pts);
    }
    route.waypoints.clear();
    route.legs.clear();
    if (from.approach_nm > 0) {
      route.waypoints.push_back(from.requested);
      route.legs.push_back(LegKind::kApproach);
    }
    for (size_t i = 0; i < pts.size(); ++i) {
      route.waypoints.push_back(GeoPosition{pts[i].lat, pts[i].lon});
      if (i + 1 < pts.size()) {
        route.legs.push_back(pts[i].forced_next != internal::kFreeEdge ? LegKind::kPassageRoute : LegKind::kSea);
      }
    }
    if (to.approach_nm > 0) {
      route.waypoints.push_back(to.requested);
      route.legs.push_back(LegKind::kApproach);
    }
    const std::vector<double> leg_nm = LegNm(pts);
    double path_nm = 0;
    for (double nm : leg_nm) path_nm += nm;
    route.distance_nm = path_nm + route.approach_nm;
    route.passages = FindTransits(d, pts, leg_nm, from.approach_nm);

    bool replan = false;
    if (options.speed_knots) {
      const double hours = route.distance_nm / *options.speed_knots;
      route.duration_hours = hours;
      route.arrival = departure.PlusSeconds(static_cast<int64_t>(std::llround(hours * 3600.0)));
      auto at = [&](double nm) {
        return departure.PlusSeconds(static_cast<int64_t>(std::llround(nm / *options.speed_knots * 3600.0)));
      };
      for (PassageTransit& t : route.passages) {
        t.arrival = at(t.from_start_nm);
        t.leaving = at(t.until_nm);
        auto it = std::find_if(d.table.passages.begin(), d.table.passages.end(), [&](const Passage& p) { return p.id == t.id; });
        const size_t index = static_cast<size_t>(it - d.table.passages.begin());
        // The whole transit must fall in the season, not just its start.
        if (!options.all_seasons_open && it->season && (!it->season->Contains(*t.arrival) || !it->season->Contains(*t.leaving)) && !r.Excludes(index)) {
          r.mask |= uint64_t{1} << index;
          replan = true;
        }
      }
    }
    if (!replan) return route;
  }
  return NotFound("no sea route whose seasonal passages are open when the ship reaches them", "route");
}

}  // namespace relos::sealanes

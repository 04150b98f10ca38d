#include "berth/packing_cuts.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace relos::berth::internal {

namespace {

// Below this a cut is not worth a row (LP values are exact to about 1e-7).
constexpr double kMinViolation = 1e-3;

// One candidate: ship `ship` at berth `berth`, time t, width d.
struct Candidate {
  double violation = 0;
  int ship = 0;
  int berth = 0;
  int64_t t = 0;
  int64_t d = 0;
};

}  // namespace

std::vector<PackingCut> SeparatePackingCuts(const Instance& in, const std::vector<StartColumn>& columns,
                                            const double* x, size_t max_cuts) {
  const int n = in.num_ships();
  const int m = in.num_berths();
  auto key = [m](int ship, int berth) { return static_cast<size_t>(ship) * m + berth; };
  // Each berth's range of start times.
  std::vector<int64_t> lo(m, std::numeric_limits<int64_t>::max());
  std::vector<int64_t> hi(m, std::numeric_limits<int64_t>::min());
  std::vector<std::vector<int>> columns_of(static_cast<size_t>(n) * m);
  for (size_t c = 0; c < columns.size(); ++c) {
    const StartColumn& col = columns[c];
    lo[col.berth] = std::min(lo[col.berth], col.start);
    hi[col.berth] = std::max(hi[col.berth], col.start);
    columns_of[key(col.ship, col.berth)].push_back(static_cast<int>(c));
  }
  // prefix[key(i, b)][u]: x of ship i at berth b summed over starts before
  // lo[b] + u. Only ships with some x at a berth take part in its search.
  std::vector<std::vector<double>> prefix(static_cast<size_t>(n) * m);
  std::vector<std::vector<int>> present(m);
  for (int i = 0; i < n; ++i) {
    for (int b = 0; b < m; ++b) {
      const std::vector<int>& own = columns_of[key(i, b)];
      if (own.empty()) continue;
      std::vector<double>& p = prefix[key(i, b)];
      p.assign(static_cast<size_t>(hi[b] - lo[b] + 2), 0.0);
      double mass = 0;
      for (int c : own) {
        p[columns[c].start - lo[b] + 1] += x[c];
        mass += x[c];
      }
      for (size_t u = 1; u < p.size(); ++u) p[u] += p[u - 1];
      if (mass > 1e-6) present[b].push_back(i);
    }
  }
  // x of ship i at berth b summed over starts in [first, last].
  auto mass = [&](int i, int b, int64_t first, int64_t last) {
    first = std::max(first, lo[b]);
    last = std::min(last, hi[b]);
    if (first > last) return 0.0;
    const std::vector<double>& p = prefix[key(i, b)];
    return p[last - lo[b] + 1] - p[first - lo[b]];
  };

  // For each berth, time t and width d: `covering` is each ship's x on
  // columns covering all of [t, t + d - 1]; ship j's cut takes the others'
  // covering mass and all of j's own mass meeting the window. Per ship,
  // berth and t only the most violated width is kept.
  std::vector<Candidate> candidates;
  std::vector<int> slot;
  std::vector<double> covering;
  for (int b = 0; b < m; ++b) {
    const std::vector<int>& ships = present[b];
    if (ships.size() < 2) continue;
    int64_t longest = 0;
    for (int i : ships) longest = std::max(longest, in.handling[i][b]);
    covering.assign(ships.size(), 0.0);
    for (int64_t t = lo[b]; t <= hi[b] + longest; ++t) {
      slot.assign(ships.size(), -1);
      for (int64_t d = 2; d <= longest; ++d) {
        double total = 0;
        for (size_t k = 0; k < ships.size(); ++k) {
          const int64_t p = in.handling[ships[k]][b];
          covering[k] = d <= p ? mass(ships[k], b, t - p + d, t) : 0.0;
          total += covering[k];
        }
        for (size_t k = 0; k < ships.size(); ++k) {
          const int j = ships[k];
          const double violation = total - covering[k] + mass(j, b, t - in.handling[j][b] + 1, t + d - 1) - 1.0;
          if (violation <= kMinViolation) continue;
          if (slot[k] < 0) {
            slot[k] = static_cast<int>(candidates.size());
            candidates.push_back({violation, j, b, t, d});
          } else if (violation > candidates[slot[k]].violation) {
            candidates[slot[k]] = {violation, j, b, t, d};
          }
        }
      }
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.violation > b.violation; });

  std::vector<std::vector<int64_t>> taken(static_cast<size_t>(n) * m);  // times of cuts made
  std::vector<PackingCut> cuts;
  for (const Candidate& f : candidates) {
    if (cuts.size() >= max_cuts) break;
    std::vector<int64_t>& times = taken[key(f.ship, f.berth)];
    const int64_t spacing = std::max<int64_t>(1, in.handling[f.ship][f.berth] / 2);
    const bool near = std::any_of(times.begin(), times.end(),
                                  [&](int64_t t) { return std::llabs(t - f.t) < spacing; });
    if (near) continue;
    times.push_back(f.t);
    PackingCut cut;
    cut.violation = f.violation;
    for (int i = 0; i < n; ++i) {
      const int64_t p = in.handling[i][f.berth];
      const int64_t first = i == f.ship ? f.t - p + 1 : f.t - p + f.d;
      const int64_t last = i == f.ship ? f.t + f.d - 1 : f.t;
      for (int c : columns_of[key(i, f.berth)]) {
        if (columns[c].start >= first && columns[c].start <= last) cut.columns.push_back(c);
      }
    }
    cuts.push_back(std::move(cut));
  }
  return cuts;
}

}  // namespace relos::berth::internal

// Private to relos_berth: the clique inequalities of one berth's time line
// that the time-indexed model's berth-time rows miss, and their separation
// from a fractional LP solution.
//
// At one berth every column is an interval [start, start + handling). The
// berth-time row at t says that at most one interval covering t is chosen;
// those are all the cliques among intervals of different ships. Columns of
// one ship are pairwise exclusive through the ship's row as well, so for
// ship j, time t and width d >= 2, the set
//   j's columns starting in [t - p_j + 1, t + d - 1]  (each meets [t, t+d-1])
//   every other ship k's columns starting in [t - p_k + d, t]  (each covers
//   all of [t, t+d-1])
// is a clique too: at most one of them is chosen. (Sousa and Wolsey 1992 and
// van den Akker, Hurkens and Savelsbergh 2000 show these are facets of the
// single-machine time-indexed polytope.) The LP relaxation of the berth model
// violates many of them where a ship is split between two starts around
// other ships' fractions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "relos/berth/instance.h"

namespace relos::berth::internal {

// A column of the time-indexed model: ship `ship` starts at berth `berth` at
// time `start`, at cost `cost`.
struct StartColumn {
  int ship = 0;
  int berth = 0;
  int64_t start = 0;
  double cost = 0;
};

// At most one of `columns` (indices into the model's columns) is chosen.
struct PackingCut {
  double violation = 0;  // by the solution it was separated from
  std::vector<int> columns;
};

// The violated cuts of the family above for the LP solution `x` (one value
// per column, in the order of `columns`), most violated first, at most
// `max_cuts`; per ship and berth at most one per half handling time (cuts at
// nearby times mostly overlap). Each cut holds every column of the family,
// not only those with x > 0. Linear in ships x berth time line x the longest
// handling time.
std::vector<PackingCut> SeparatePackingCuts(const Instance& in, const std::vector<StartColumn>& columns,
                                            const double* x, size_t max_cuts);

}  // namespace relos::berth::internal

#include "berth/packing_cuts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "relos/berth/generator.h"

namespace relos::berth::internal {
namespace {

// Every start of every ship at every berth it fits, as the full model has.
std::vector<StartColumn> AllColumns(const Instance& in) {
  std::vector<StartColumn> columns;
  for (int i = 0; i < in.num_ships(); ++i) {
    for (int b = 0; b < in.num_berths(); ++b) {
      if (!in.Fits(i, b)) continue;
      for (int64_t t = in.EarliestStart(i, b); t <= in.LatestStart(i, b); ++t) columns.push_back({i, b, t, 0.0});
    }
  }
  return columns;
}

int IndexOf(const std::vector<StartColumn>& columns, int ship, int berth, int64_t start) {
  for (size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].ship == ship && columns[c].berth == berth && columns[c].start == start) return static_cast<int>(c);
  }
  return -1;
}

// One berth; ship 0 takes 2 time units, ship 1 takes 3, both there at 0.
Instance TwoShips() {
  Instance in;
  in.arrival = {0, 0};
  in.berth_open = {0};
  in.berth_close = {20};
  in.handling = {{2}, {3}};
  in.latest_departure = {20, 20};
  in.weight = {1, 1};
  return in;
}

// Ship 0 split between starts 0 and 2, ship 1 half at 0: every berth-time
// row holds (at most 1 at each time), but ship 0's columns starting in
// [0, 2] and ship 1's covering [1, 2] (starts 0 and 1) pairwise exclude each
// other and carry 1.5.
TEST(PackingCutsTest, FindsTheCliqueASplitShipViolates) {
  const Instance in = TwoShips();
  const std::vector<StartColumn> columns = AllColumns(in);
  std::vector<double> x(columns.size(), 0.0);
  x[IndexOf(columns, 0, 0, 0)] = 0.5;
  x[IndexOf(columns, 0, 0, 2)] = 0.5;
  x[IndexOf(columns, 1, 0, 0)] = 0.5;
  x[IndexOf(columns, 1, 0, 15)] = 0.5;
  for (int64_t u = 0; u < 20; ++u) {
    double at_u = 0;
    for (size_t c = 0; c < columns.size(); ++c) {
      const int64_t end = columns[c].start + in.handling[columns[c].ship][0];
      if (columns[c].start <= u && u < end) at_u += x[c];
    }
    ASSERT_LE(at_u, 1.0 + 1e-9) << "time " << u;
  }

  const std::vector<PackingCut> cuts = SeparatePackingCuts(in, columns, x.data(), 10);
  ASSERT_FALSE(cuts.empty());
  EXPECT_NEAR(cuts.front().violation, 0.5, 1e-9);
  const std::set<int> strongest = {IndexOf(columns, 0, 0, 0), IndexOf(columns, 0, 0, 1), IndexOf(columns, 0, 0, 2),
                                   IndexOf(columns, 1, 0, 0), IndexOf(columns, 1, 0, 1)};
  bool found = false;
  for (const PackingCut& cut : cuts) {
    const std::set<int> members(cut.columns.begin(), cut.columns.end());
    EXPECT_EQ(members.size(), cut.columns.size()) << "a column twice";
    found = found || members == strongest;
    double lhs = 0;
    for (int c : cut.columns) lhs += x[c];
    EXPECT_NEAR(lhs - 1.0, cut.violation, 1e-9);
  }
  EXPECT_TRUE(found) << "ship 0 at 0-2 with ship 1 at 0-1";
  EXPECT_TRUE(SeparatePackingCuts(in, columns, x.data(), 0).empty()) << "max_cuts 0";
}

// A schedule (x integral) satisfies every clique: nothing to cut.
TEST(PackingCutsTest, ScheduleViolatesNothing) {
  const Instance in = TwoShips();
  const std::vector<StartColumn> columns = AllColumns(in);
  std::vector<double> x(columns.size(), 0.0);
  x[IndexOf(columns, 0, 0, 0)] = 1.0;
  x[IndexOf(columns, 1, 0, 2)] = 1.0;
  EXPECT_TRUE(SeparatePackingCuts(in, columns, x.data(), 10).empty());
}

// Whatever the LP values, a cut only holds columns that exclude each other
// pairwise (one ship, or one berth and overlapping times), so no schedule
// violates it.
TEST(PackingCutsTest, EveryCutIsAClique) {
  int cuts_seen = 0;
  for (uint64_t seed : {1, 2, 3, 4, 5}) {
    GeneratorParams p;
    p.ships = 12;
    p.berths = 3;
    p.seed = seed;
    p.load = 1.5;
    const Instance in = GenerateInstance(p);
    const std::vector<StartColumn> columns = AllColumns(in);
    // Each ship's unit spread over a few random columns.
    std::mt19937_64 rng(seed);
    std::vector<double> x(columns.size(), 0.0);
    for (int i = 0; i < in.num_ships(); ++i) {
      std::vector<int> own;
      for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].ship == i) own.push_back(static_cast<int>(c));
      }
      ASSERT_FALSE(own.empty());
      for (int k = 0; k < 3; ++k) x[own[rng() % own.size()]] += 1.0 / 3;
    }
    for (const PackingCut& cut : SeparatePackingCuts(in, columns, x.data(), 1000)) {
      ++cuts_seen;
      EXPECT_GT(cut.violation, 0.0);
      for (size_t a = 0; a < cut.columns.size(); ++a) {
        for (size_t b = a + 1; b < cut.columns.size(); ++b) {
          const StartColumn& u = columns[cut.columns[a]];
          const StartColumn& v = columns[cut.columns[b]];
          const bool same_ship = u.ship == v.ship;
          const bool overlap = u.berth == v.berth && u.start < v.start + in.handling[v.ship][v.berth] &&
                               v.start < u.start + in.handling[u.ship][u.berth];
          ASSERT_TRUE(same_ship || overlap) << "seed " << seed << ": ship " << u.ship << " at " << u.start
                                            << " and ship " << v.ship << " at " << v.start << ", berth " << u.berth
                                            << " / " << v.berth;
        }
      }
    }
  }
  EXPECT_GT(cuts_seen, 0);
}

}  // namespace
}  // namespace relos::berth::internal

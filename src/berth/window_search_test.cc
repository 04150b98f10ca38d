#include "relos/berth/window_search.h"

#include <gtest/gtest.h>

#include "relos/berth/generator.h"
#include "relos/berth/heuristic.h"
#include "relos/berth/time_indexed_mip.h"

namespace relos::berth {
namespace {

// Two berths: berth 1 open [0, 100], berth 2 open [5, 90]. Seven ships
// (arrival; handling at berth 1 | 2; weight), all free to leave until 100:
//   ship 1: 0;  10 | 12     ship 5: 20; 5 | 5
//   ship 2: 2;   8 | -      ship 6: 25; 4 | 4
//   ship 3: 5;   6 | 7      ship 7: 14; 6 | 6; weight 2
//   ship 4: 12;  9 | 9
Instance Quay() {
  Instance in;
  in.arrival = {0, 2, 5, 12, 20, 25, 14};
  in.berth_open = {0, 5};
  in.berth_close = {100, 90};
  in.handling = {{10, 12}, {8, kForbiddenHandling}, {6, 7}, {9, 9}, {5, 5}, {4, 4}, {6, 6}};
  in.latest_departure = std::vector<int64_t>(7, 100);
  in.weight = {1, 1, 1, 1, 1, 1, 2};
  return in;
}

// Berth 1: ship 1 [0, 10), ship 2 [10, 18), ship 7 [24, 30), ship 5 [40, 45).
// Berth 2: ship 3 [5, 12), ship 4 [12, 21), ship 6 [30, 34).
// Cost 10 + 16 + 7 + 9 + 25 + 9 + 2 * 16 = 108.
Schedule QuaySchedule() { return Schedule{{{0, 0}, {0, 10}, {1, 5}, {1, 12}, {0, 40}, {1, 30}, {0, 24}}}; }

TEST(ExtractWindowTest, FreesTheShipsInTheWindowBetweenTheFixedOnes) {
  const Instance in = Quay();
  const Schedule s = QuaySchedule();
  ASSERT_TRUE(ValidateSchedule(in, s).ok());
  ASSERT_EQ(WeightedServiceTime(in, s), 108);
  const Window w = ExtractWindow(in, s, 12, 30);
  // Ship 3 ends exactly at 12 and ship 6 starts exactly at 30: both fixed.
  EXPECT_EQ(w.free_ships, (std::vector<int>{1, 3, 6}));
  // Berth 1 between ship 1 (ends 10) and ship 5 (starts 40); berth 2 between
  // ship 3 (ends 12) and ship 6 (starts 30).
  EXPECT_EQ(w.sub.berth_open, (std::vector<int64_t>{10, 12}));
  EXPECT_EQ(w.sub.berth_close, (std::vector<int64_t>{40, 30}));
  EXPECT_EQ(w.sub.arrival, (std::vector<int64_t>{2, 12, 14}));
  EXPECT_EQ(w.sub.weight, (std::vector<int64_t>{1, 1, 2}));
  EXPECT_EQ(w.sub.handling[0][1], kForbiddenHandling);
  EXPECT_TRUE(ValidateInstance(w.sub).ok());
  EXPECT_TRUE(ValidateSchedule(w.sub, w.sub_schedule).ok());
  EXPECT_EQ(WeightedServiceTime(w.sub, w.sub_schedule), 16 + 9 + 32);
}

TEST(ExtractWindowTest, ImprovedSubScheduleMergesBackByItsOwnGain) {
  const Instance in = Quay();
  const Schedule s = QuaySchedule();
  const Window w = ExtractWindow(in, s, 12, 30);
  MipOptions mip;
  mip.time_limit_seconds = 30;
  mip.incumbent = w.sub_schedule;
  Result<MipOutcome> sub = SolveTimeIndexedMip(w.sub, mip);
  ASSERT_TRUE(sub.ok()) << sub.status();
  ASSERT_TRUE(sub->proven_optimal);
  // Ship 7 takes berth 2 at once [14, 20) and ship 4 moves to berth 1 after
  // ship 2 [18, 27): 16 + 15 + 2 * 6. Neither fits berth 2 before 12 nor
  // berth 1 from 40 on, which the gaps forbid.
  EXPECT_EQ(sub->objective, 43);
  const Schedule merged = MergeWindow(s, w, *sub->schedule);
  EXPECT_TRUE(ValidateSchedule(in, merged).ok()) << ValidateSchedule(in, merged);
  EXPECT_EQ(WeightedServiceTime(in, merged), 108 - (57 - 43));
  for (int i : {0, 2, 4, 5}) EXPECT_EQ(merged.ships[i], s.ships[i]) << "fixed ship " << i + 1 << " moved";
}

TEST(ExtractWindowTest, BerthsOutsideTheSetKeepTheirShips) {
  const Instance in = Quay();
  const Schedule s = QuaySchedule();
  // Only berth 1: ship 4 on berth 2 stays fixed although it is in the window,
  // and berth 2 is closed to the free ships (its times are left as they are).
  const Window w = ExtractWindow(in, s, 12, 30, {1, 0});
  EXPECT_EQ(w.free_ships, (std::vector<int>{1, 6}));
  EXPECT_EQ(w.sub.berth_open, (std::vector<int64_t>{10, 5}));
  EXPECT_EQ(w.sub.berth_close, (std::vector<int64_t>{40, 90}));
  EXPECT_EQ(w.sub.handling[1][1], kForbiddenHandling);
  EXPECT_EQ(w.sub.handling[1][0], 6);
  MipOptions mip;
  mip.time_limit_seconds = 30;
  mip.incumbent = w.sub_schedule;
  Result<MipOutcome> sub = SolveTimeIndexedMip(w.sub, mip);
  ASSERT_TRUE(sub.ok()) << sub.status();
  // Ship 7 follows ship 2 at once: [18, 24) instead of [24, 30).
  EXPECT_EQ(sub->objective, 16 + 2 * 10);
  const Schedule merged = MergeWindow(s, w, *sub->schedule);
  EXPECT_TRUE(ValidateSchedule(in, merged).ok());
  EXPECT_EQ(WeightedServiceTime(in, merged), 108 - 12);
}

// 40 ships at 5 berths, queueing.
Instance Congested(uint64_t seed) {
  GeneratorParams p;
  p.ships = 40;
  p.berths = 5;
  p.seed = seed;
  p.load = 1.4;
  return GenerateInstance(p);
}

Schedule GreedyStart(const Instance& in) {
  HeuristicOptions greedy;
  greedy.time_limit_seconds = 0;
  Result<HeuristicResult> g = RunIteratedLocalSearch(in, greedy);
  EXPECT_TRUE(g.ok());
  return g->schedule;
}

// On a congested generated instance every window, however placed, gives a
// sub-instance that its own schedule satisfies, and its exact solution
// merges back into a valid schedule that changes by the sub-objective's
// change.
TEST(ExtractWindowTest, EveryWindowOfAGeneratedScheduleMergesBackValid) {
  const Instance in = Congested(7);
  const Schedule s = GreedyStart(in);
  const int64_t total = WeightedServiceTime(in, s);
  int improved = 0;
  for (int64_t begin = 0; begin < 400; begin += 45) {
    const Window w = ExtractWindow(in, s, begin, begin + 60);
    for (int i = 0; i < in.num_ships(); ++i) {
      const bool free = std::find(w.free_ships.begin(), w.free_ships.end(), i) != w.free_ships.end();
      const int64_t end = s.ships[i].start + in.handling[i][s.ships[i].berth];
      EXPECT_EQ(free, s.ships[i].start < begin + 60 && end > begin) << "ship " << i;
    }
    if (w.free_ships.empty()) continue;
    ASSERT_TRUE(ValidateInstance(w.sub).ok());
    ASSERT_TRUE(ValidateSchedule(w.sub, w.sub_schedule).ok()) << ValidateSchedule(w.sub, w.sub_schedule);
    MipOptions mip;
    mip.time_limit_seconds = 20;
    mip.incumbent = w.sub_schedule;
    Result<MipOutcome> sub = SolveTimeIndexedMip(w.sub, mip);
    ASSERT_TRUE(sub.ok()) << sub.status();
    const Schedule merged = MergeWindow(s, w, *sub->schedule);
    ASSERT_TRUE(ValidateSchedule(in, merged).ok()) << "window at " << begin << ": " << ValidateSchedule(in, merged);
    EXPECT_EQ(WeightedServiceTime(in, merged) - total,
              sub->objective - WeightedServiceTime(w.sub, w.sub_schedule));
    if (sub->objective < WeightedServiceTime(w.sub, w.sub_schedule)) ++improved;
  }
  EXPECT_GT(improved, 0);  // the greedy start leaves something to gain
}

TEST(WindowSearchTest, ImprovesAGreedyScheduleAndPassesImprovementsOn) {
  const Instance in = Congested(3);
  const Schedule start = GreedyStart(in);
  WindowSearchOptions options;
  options.time_limit_seconds = 120;
  options.max_windows = 12;
  options.window_ships = 10;
  int64_t last_reported = WeightedServiceTime(in, start);
  int reports = 0;
  options.on_improvement = [&](const Schedule& s, int64_t objective) {
    EXPECT_LT(objective, last_reported);
    EXPECT_EQ(objective, WeightedServiceTime(in, s));
    last_reported = objective;
    ++reports;
  };
  Result<WindowSearchResult> r = RunWindowSearch(in, start, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(ValidateSchedule(in, r->schedule).ok());
  EXPECT_LT(r->objective, WeightedServiceTime(in, start));
  EXPECT_EQ(r->objective, WeightedServiceTime(in, r->schedule));
  EXPECT_EQ(r->objective, last_reported);
  EXPECT_EQ(reports, r->improvements);
  EXPECT_LE(r->windows, 12);
}

TEST(WindowSearchTest, ContinuesFromABetterScheduleFoundElsewhere) {
  const Instance in = Congested(3);
  const Schedule start = GreedyStart(in);
  HeuristicOptions h;
  h.time_limit_seconds = 60;
  h.max_iterations = 200;
  Result<HeuristicResult> better = RunIteratedLocalSearch(in, h);
  ASSERT_TRUE(better.ok());
  ASSERT_LT(better->objective, WeightedServiceTime(in, start));
  WindowSearchOptions options;
  options.time_limit_seconds = 120;
  options.max_windows = 1;
  int asked = 0;
  options.adopt = [&](int64_t objective) -> std::optional<Schedule> {
    ++asked;
    if (objective <= better->objective) return std::nullopt;
    return better->schedule;
  };
  Result<WindowSearchResult> r = RunWindowSearch(in, start, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GE(asked, 1);
  EXPECT_LE(r->objective, better->objective);
  EXPECT_TRUE(ValidateSchedule(in, r->schedule).ok());
}

}  // namespace
}  // namespace relos::berth

#include "relos/berth/solver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <random>

#include "relos/berth/generator.h"
#include "relos/berth/heuristic.h"
#include "relos/berth/time_indexed_mip.h"
#include "relos/berth/window_search.h"

namespace relos::berth {
namespace {

constexpr int64_t kNone = std::numeric_limits<int64_t>::max();

// Exhaustive enumeration, written apart from the solvers: every assignment
// of ships to usable berths and every order at each berth, each ship starting
// as early as its order allows. Returns kNone if nothing is feasible.
int64_t BruteForceOptimum(const Instance& in) {
  const int n = in.num_ships();
  const int m = in.num_berths();
  std::vector<int> berth_of(n, 0);
  int64_t best = kNone;
  // Cost of one berth over all orders of its ships; kNone if none fits.
  auto best_order = [&](int b, std::vector<int> ships) {
    std::sort(ships.begin(), ships.end());
    int64_t best_here = kNone;
    do {
      int64_t t = in.berth_open[b];
      int64_t cost = 0;
      bool ok = true;
      for (int i : ships) {
        t = std::max(t, in.arrival[i]) + in.handling[i][b];
        if (t > in.berth_close[b] || t > in.latest_departure[i]) {
          ok = false;
          break;
        }
        cost += in.weight[i] * (t - in.arrival[i]);
      }
      if (ok) best_here = std::min(best_here, cost);
    } while (std::next_permutation(ships.begin(), ships.end()));
    return best_here;
  };
  std::function<void(int)> assign = [&](int i) {
    if (i == n) {
      int64_t total = 0;
      for (int b = 0; b < m; ++b) {
        std::vector<int> ships;
        for (int k = 0; k < n; ++k) {
          if (berth_of[k] == b) ships.push_back(k);
        }
        const int64_t c = best_order(b, ships);
        if (c == kNone) return;
        total += c;
      }
      best = std::min(best, total);
      return;
    }
    for (int b = 0; b < m; ++b) {
      if (!in.CanUse(i, b)) continue;
      berth_of[i] = b;
      assign(i + 1);
    }
  };
  assign(0);
  return best;
}

Instance Tiny(uint64_t seed, int ships, int berths, bool weighted, double load) {
  GeneratorParams p;
  p.ships = ships;
  p.berths = berths;
  p.seed = seed;
  p.weighted = weighted;
  p.load = load;
  p.min_handling = 3;
  p.max_handling = 12;
  Instance in = GenerateInstance(p);
  // Tighten some deadlines so that they, not only waiting, shape the optimum;
  // the generator's own slack keeps most instances feasible.
  for (int i = 0; i < ships; i += 2) {
    in.latest_departure[i] = std::min(in.latest_departure[i], in.arrival[i] + 2 * p.max_handling);
  }
  return in;
}

Instance Generated(int ships, int berths, uint64_t seed, double load) {
  GeneratorParams p;
  p.ships = ships;
  p.berths = berths;
  p.seed = seed;
  p.load = load;
  return GenerateInstance(p);
}

// The heuristic's greedy schedule (no search time): the incumbent the MIP
// tests start from.
Result<HeuristicResult> GreedyStart(const Instance& in) {
  HeuristicOptions greedy;
  greedy.time_limit_seconds = 0;
  return RunIteratedLocalSearch(in, greedy);
}

struct TinyCase {
  uint64_t seed;
  int ships;
  int berths;
  bool weighted;
  double load;
};

class BruteForceTest : public ::testing::TestWithParam<TinyCase> {};

TEST_P(BruteForceTest, ExactAndAutoReachTheEnumeratedOptimum) {
  const TinyCase c = GetParam();
  const Instance in = Tiny(c.seed, c.ships, c.berths, c.weighted, c.load);
  const int64_t optimum = BruteForceOptimum(in);

  for (Method method : {Method::kExact, Method::kAuto}) {
    SolveOptions options;
    options.method = method;
    options.time_limit_seconds = 20;
    Result<SolveResult> r = SolveBerthAllocation(in, options);
    if (optimum == kNone) {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status();
      EXPECT_EQ(r.status().reason(), "berth.infeasible");
      continue;
    }
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(ValidateSchedule(in, r->schedule).ok());
    EXPECT_EQ(r->objective, optimum);
    EXPECT_EQ(r->objective, WeightedServiceTime(in, r->schedule));
    EXPECT_TRUE(r->proven_optimal);
    EXPECT_EQ(r->lower_bound, optimum);
  }

  // CBC alone on the unpruned model, as the benchmark baseline runs it.
  MipOptions plain;
  plain.time_limit_seconds = 20;
  plain.reduced_cost_fixing = false;
  Result<MipOutcome> mip = SolveTimeIndexedMip(in, plain);
  ASSERT_TRUE(mip.ok()) << mip.status();
  if (optimum == kNone) {
    EXPECT_TRUE(mip->proven_infeasible);
  } else {
    ASSERT_TRUE(mip->schedule.has_value());
    EXPECT_EQ(mip->objective, optimum);
    EXPECT_TRUE(mip->proven_optimal);
  }

  // The heuristic never beats the optimum and only returns valid schedules.
  HeuristicOptions h;
  h.max_iterations = 200;
  h.seed = c.seed;
  Result<HeuristicResult> hr = RunIteratedLocalSearch(in, h);
  if (hr.ok()) {
    ASSERT_NE(optimum, kNone);
    EXPECT_TRUE(ValidateSchedule(in, hr->schedule).ok());
    EXPECT_GE(hr->objective, optimum);
  } else {
    EXPECT_EQ(hr.status().code(), StatusCode::kResourceExhausted);
  }
}

INSTANTIATE_TEST_SUITE_P(Tiny, BruteForceTest,
                         ::testing::Values(TinyCase{1, 5, 2, false, 1.0}, TinyCase{2, 6, 2, true, 1.5},
                                           TinyCase{3, 6, 3, false, 2.0}, TinyCase{4, 7, 2, true, 1.2},
                                           TinyCase{5, 6, 3, true, 3.0}, TinyCase{6, 7, 3, false, 1.8},
                                           TinyCase{7, 5, 1, true, 1.0}, TinyCase{8, 6, 2, false, 4.0}));

// A feasible but poor schedule: ships in order of arrival, each appended to
// a random usable berth. Empty if no try of `tries` was feasible.
std::optional<Schedule> PoorSchedule(const Instance& in, int tries) {
  std::mt19937_64 rng(17);
  std::vector<int> order(in.num_ships());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return in.arrival[x] < in.arrival[y]; });
  for (int t = 0; t < tries; ++t) {
    Schedule s;
    s.ships.resize(in.num_ships());
    std::vector<int64_t> free_from = in.berth_open;
    for (int i : order) {
      std::vector<int> usable;
      for (int b = 0; b < in.num_berths(); ++b) {
        if (in.CanUse(i, b)) usable.push_back(b);
      }
      const int b = usable[rng() % usable.size()];
      s.ships[i] = {b, std::max(free_from[b], in.arrival[i])};
      free_from[b] = s.ships[i].start + in.handling[i][b];
    }
    if (ValidateSchedule(in, s).ok()) return s;
  }
  return std::nullopt;
}

TEST_P(BruteForceTest, WindowSearchFromAPoorStartReachesTheEnumeratedOptimum) {
  const TinyCase c = GetParam();
  const Instance in = Tiny(c.seed, c.ships, c.berths, c.weighted, c.load);
  const int64_t optimum = BruteForceOptimum(in);
  if (optimum == kNone) GTEST_SKIP() << "infeasible instance";
  const std::optional<Schedule> start = PoorSchedule(in, 2000);
  ASSERT_TRUE(start.has_value());
  WindowSearchOptions options;
  options.time_limit_seconds = 120;
  options.max_windows = 100;
  options.window_ships = 4;  // smaller than every instance: windows must grow
  Result<WindowSearchResult> r = RunWindowSearch(in, *start, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(ValidateSchedule(in, r->schedule).ok());
  EXPECT_LE(r->objective, WeightedServiceTime(in, *start));
  EXPECT_EQ(r->objective, optimum) << "from " << WeightedServiceTime(in, *start);
}

TEST(BruteForceSelfTest, KnowsATwoShipAnswer) {
  // One berth, two ships arriving together: the shorter one goes first.
  Instance in;
  in.arrival = {0, 0};
  in.berth_open = {0};
  in.berth_close = {100};
  in.handling = {{10}, {3}};
  in.latest_departure = {100, 100};
  in.weight = {1, 1};
  EXPECT_EQ(BruteForceOptimum(in), 3 + 13);
}

TEST(HeuristicTest, SameSeedSameSchedule) {
  const Instance in = Generated(40, 5, 11, 1.4);
  HeuristicOptions h;
  h.time_limit_seconds = 60;
  h.max_iterations = 30;
  h.seed = 5;
  Result<HeuristicResult> a = RunIteratedLocalSearch(in, h);
  Result<HeuristicResult> b = RunIteratedLocalSearch(in, h);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->schedule, b->schedule);
  EXPECT_EQ(a->objective, WeightedServiceTime(in, a->schedule));
}

TEST(HeuristicTest, ImprovesOnItsGreedyStart) {
  const Instance in = Generated(60, 6, 3, 1.5);
  HeuristicOptions greedy;
  greedy.time_limit_seconds = 0;
  HeuristicOptions search;
  search.time_limit_seconds = 60;
  search.max_iterations = 300;
  Result<HeuristicResult> g = RunIteratedLocalSearch(in, greedy);
  Result<HeuristicResult> s = RunIteratedLocalSearch(in, search);
  ASSERT_TRUE(g.ok() && s.ok());
  EXPECT_LT(s->objective, g->objective);
  EXPECT_TRUE(ValidateSchedule(in, s->schedule).ok());
}

TEST(SolveTest, ProvesOptimalityOnAThirtyShipInstance) {
  const Instance in = Generated(30, 4, 21, 1.0);
  SolveOptions options;
  options.time_limit_seconds = 30;
  Result<SolveResult> r = SolveBerthAllocation(in, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->proven_optimal);
  EXPECT_EQ(r->lower_bound, r->objective);
  EXPECT_GE(r->objective, TrivialLowerBound(in));
  EXPECT_TRUE(ValidateSchedule(in, r->schedule).ok());
}

// One berth; a long ship A (0 + 10) and two short ones B and C (1 + 2).
// For a fixed order each ship starts as early as it can, so the six orders
// are all the candidates: A first costs 10 + 11 + 13 = 34; a short ship, A,
// the other one 2 + 13 + 14 = 29; both short ships first, keeping the berth
// idle for A until time 5, 2 + 4 + 15 = 21. The optimum is 21, above the
// trivial bound of 14, so only an exact method can prove it.
TEST(SolveTest, ProvesThatTheLongShipShouldWait) {
  Instance in;
  in.arrival = {0, 1, 1};
  in.berth_open = {0};
  in.berth_close = {100};
  in.handling = {{10}, {2}, {2}};
  in.latest_departure = {15, 100, 100};
  in.weight = {1, 1, 1};
  ASSERT_EQ(TrivialLowerBound(in), 14);
  for (Method method : {Method::kExact, Method::kAuto}) {
    SolveOptions options;
    options.method = method;
    Result<SolveResult> r = SolveBerthAllocation(in, options);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->objective, 21);
    EXPECT_EQ(r->lower_bound, 21);
    EXPECT_TRUE(r->proven_optimal);
    EXPECT_EQ(r->schedule.ships[0].start, 5);
  }
}

// One berth, two ships that both must finish by time 10 and each take 10.
Instance TwoShipsOneSlot() {
  Instance in;
  in.arrival = {0, 0};
  in.berth_open = {0};
  in.berth_close = {100};
  in.handling = {{10}, {10}};
  in.latest_departure = {10, 10};
  in.weight = {1, 1};
  return in;
}

TEST(SolveTest, ProvedInfeasibleIsFailedPrecondition) {
  for (Method method : {Method::kAuto, Method::kExact}) {
    SolveOptions options;
    options.method = method;
    options.time_limit_seconds = 10;
    Result<SolveResult> r = SolveBerthAllocation(TwoShipsOneSlot(), options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(r.status().reason(), "berth.infeasible");
  }
}

TEST(SolveTest, HeuristicAloneCannotProveInfeasibility) {
  SolveOptions options;
  options.method = Method::kHeuristic;
  options.time_limit_seconds = 0.2;
  Result<SolveResult> r = SolveBerthAllocation(TwoShipsOneSlot(), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().reason(), "berth.no_schedule_in_time");
}

TEST(SolveTest, ShipThatFitsNowhereIsInfeasible) {
  Instance in = TwoShipsOneSlot();
  in.latest_departure = {100, 5};
  SolveOptions options;
  options.method = Method::kHeuristic;
  Result<SolveResult> r = SolveBerthAllocation(in, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("fits no berth"), std::string::npos);
}

TEST(SolveTest, RefusesBadInputs) {
  SolveOptions options;
  options.time_limit_seconds = 0;
  EXPECT_EQ(SolveBerthAllocation(TwoShipsOneSlot(), options).status().code(), StatusCode::kInvalidArgument);
  Instance broken = TwoShipsOneSlot();
  broken.weight.clear();
  EXPECT_EQ(SolveBerthAllocation(broken, SolveOptions()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseMethod("fastest").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseMethod("exact"), Method::kExact);
}

TEST(MipTest, IncumbentThatIsOptimalIsProvedSo) {
  const Instance in = Tiny(9, 6, 2, true, 1.5);
  const int64_t optimum = BruteForceOptimum(in);
  ASSERT_NE(optimum, kNone);
  SolveOptions options;
  options.method = Method::kExact;
  Result<SolveResult> first = SolveBerthAllocation(in, options);
  ASSERT_TRUE(first.ok()) << first.status();
  MipOptions mip;
  mip.incumbent = first->schedule;
  Result<MipOutcome> again = SolveTimeIndexedMip(in, mip);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->proven_optimal);
  EXPECT_EQ(again->objective, optimum);
  EXPECT_EQ(again->lower_bound, optimum);
  EXPECT_EQ(*again->schedule, first->schedule);
}

// relos's branching on ship start times (special ordered sets over the
// model's columns) and CBC's default strategy must prove the same optimum,
// from scratch and from a greedy incumbent (pruned model, cutoff).
TEST(MipTest, StartTimeBranchingProvesTheEnumeratedOptimum) {
  for (uint64_t seed : {3, 8, 12}) {
    const Instance in = Tiny(seed, 7, 2, seed % 2 == 0, 1.4);
    const int64_t optimum = BruteForceOptimum(in);
    ASSERT_NE(optimum, kNone) << "seed " << seed;
    Result<HeuristicResult> start = GreedyStart(in);
    ASSERT_TRUE(start.ok()) << start.status();
    for (bool tuned : {true, false}) {
      for (bool with_incumbent : {false, true}) {
        MipOptions mip;
        mip.tuned_search = tuned;
        if (with_incumbent) mip.incumbent = start->schedule;
        Result<MipOutcome> r = SolveTimeIndexedMip(in, mip);
        ASSERT_TRUE(r.ok()) << r.status();
        EXPECT_TRUE(r->proven_optimal) << "seed " << seed << " tuned " << tuned;
        EXPECT_EQ(r->objective, optimum) << "seed " << seed << " tuned " << tuned << " incumbent " << with_incumbent;
        ASSERT_TRUE(r->schedule.has_value());
        EXPECT_TRUE(ValidateSchedule(in, *r->schedule).ok());
      }
    }
  }
}

// Two CBC threads (asked for only up to a model size, announced before the
// search) prove the optimum that one thread proves, from the same greedy
// incumbent: the pruned model, its LP basis and the berth-choice branching.
TEST(MipTest, TwoThreadsOnlyForSmallModelsAndTheSameOptimum) {
  for (uint64_t seed : {21, 22, 23}) {
    const Instance in = Generated(30, 4, seed, 1.0);
    Result<HeuristicResult> start = GreedyStart(in);
    ASSERT_TRUE(start.ok()) << start.status();
    MipOptions one;
    one.time_limit_seconds = 60;
    one.incumbent = start->schedule;
    Result<MipOutcome> single = SolveTimeIndexedMip(in, one);
    ASSERT_TRUE(single.ok()) << single.status();
    ASSERT_TRUE(single->proven_optimal) << "seed " << seed;
    ASSERT_EQ(single->cbc_threads, 1) << "seed " << seed << ": the LP alone proved it; pick another instance";

    int announced = 0;
    MipOptions two = one;
    two.threads = 2;
    two.parallel_max_columns = single->columns;  // exactly the pruned model's size
    two.before_parallel_search = [&] { ++announced; };
    Result<MipOutcome> parallel = SolveTimeIndexedMip(in, two);
    ASSERT_TRUE(parallel.ok()) << parallel.status();
    EXPECT_EQ(parallel->cbc_threads, 2) << "seed " << seed;
    EXPECT_EQ(announced, 1) << "seed " << seed;
    EXPECT_TRUE(parallel->proven_optimal) << "seed " << seed;
    EXPECT_EQ(parallel->objective, single->objective) << "seed " << seed;
    ASSERT_TRUE(parallel->schedule.has_value());
    EXPECT_TRUE(ValidateSchedule(in, *parallel->schedule).ok());

    two.parallel_max_columns = single->columns - 1;  // one column too many
    announced = 0;
    Result<MipOutcome> too_big = SolveTimeIndexedMip(in, two);
    ASSERT_TRUE(too_big.ok()) << too_big.status();
    EXPECT_EQ(too_big->cbc_threads, 1) << "seed " << seed;
    EXPECT_EQ(announced, 0) << "seed " << seed;
    EXPECT_EQ(too_big->objective, single->objective) << "seed " << seed;
  }
}

// Solves three tiny instances (optimum enumerated) and three 30-ship ones
// with the default model and with one of its reductions switched off by
// `switch_off`: both must prove the same optimum, the default one with a
// valid schedule. `compare` sees each pair of outcomes (default, off).
void ExpectReductionKeepsTheOptimum(const std::function<void(MipOptions*)>& switch_off,
                                    const std::function<void(const MipOutcome&, const MipOutcome&)>& compare) {
  for (uint64_t seed : {3, 8, 12, 21, 22, 23}) {
    const bool tiny = seed < 20;
    const Instance in = tiny ? Tiny(seed, 7, 2, seed % 2 == 0, 1.4) : Generated(30, 4, seed, 1.0);
    Result<HeuristicResult> start = GreedyStart(in);
    ASSERT_TRUE(start.ok()) << start.status();
    MipOptions mip;
    mip.time_limit_seconds = 60;
    mip.incumbent = start->schedule;
    Result<MipOutcome> reduced = SolveTimeIndexedMip(in, mip);
    switch_off(&mip);
    Result<MipOutcome> plain = SolveTimeIndexedMip(in, mip);
    ASSERT_TRUE(plain.ok()) << plain.status();
    ASSERT_TRUE(reduced.ok()) << reduced.status();
    EXPECT_TRUE(plain->proven_optimal) << "seed " << seed;
    EXPECT_TRUE(reduced->proven_optimal) << "seed " << seed;
    EXPECT_EQ(reduced->objective, plain->objective) << "seed " << seed;
    if (tiny) {
      EXPECT_EQ(reduced->objective, BruteForceOptimum(in)) << "seed " << seed;
    }
    ASSERT_TRUE(reduced->schedule.has_value());
    EXPECT_TRUE(ValidateSchedule(in, *reduced->schedule).ok());
    compare(*reduced, *plain);
  }
}

// Dropping the berth-time rows that others imply leaves the optimum; the
// 30-ship models reach CBC with rows to spare.
TEST(MipTest, DroppingImpliedRowsKeepsTheOptimum) {
  int64_t dropped = 0;
  ExpectReductionKeepsTheOptimum([](MipOptions* mip) { mip->drop_implied_rows = false; },
                                 [&](const MipOutcome& reduced, const MipOutcome& kept) {
                                   EXPECT_EQ(kept.rows, kept.model_rows + kept.cut_rows);
                                   EXPECT_LE(reduced.rows, reduced.model_rows + reduced.cut_rows);
                                   if (reduced.cbc_threads > 0) {
                                     dropped += reduced.model_rows + reduced.cut_rows - reduced.rows;
                                   }
                                 });
  EXPECT_GT(dropped, 0);
}

// The root's packing cuts leave the optimum and only raise the bound, never
// above the optimum; on the 30-ship models some are kept as rows.
TEST(MipTest, PackingCutsKeepTheOptimum) {
  int64_t cut_rows = 0;
  ExpectReductionKeepsTheOptimum([](MipOptions* mip) { mip->packing_cuts = false; },
                                 [&](const MipOutcome& cut, const MipOutcome& plain) {
                                   EXPECT_EQ(plain.cut_rows, 0);
                                   EXPECT_EQ(plain.cut_rounds, 0);
                                   if (cut.cut_rounds == 0) return;
                                   EXPECT_GE(cut.cut_bound, cut.lp_bound - 1e-6);
                                   EXPECT_LE(cut.cut_bound, static_cast<double>(cut.objective) + 1e-6);
                                   EXPECT_LE(cut.columns, plain.columns);
                                   cut_rows += cut.cut_rows;
                                 });
  EXPECT_GT(cut_rows, 0);
}

TEST(MipTest, TooLargeModelIsReportedNotBuilt) {
  GeneratorParams p;
  p.ships = 30;
  p.berths = 4;
  MipOptions mip;
  mip.max_columns = 10;
  Result<MipOutcome> r = SolveTimeIndexedMip(GenerateInstance(p), mip);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->too_large);
  EXPECT_FALSE(r->schedule.has_value());
}

}  // namespace
}  // namespace relos::berth

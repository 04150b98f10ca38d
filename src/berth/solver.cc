#include "relos/berth/solver.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "relos/berth/heuristic.h"
#include "relos/berth/time_indexed_mip.h"
#include "relos/berth/window_search.h"

namespace relos::berth {

namespace {

using Clock = std::chrono::steady_clock;

// Above this many columns (after pruning with the incumbent) the LP alone
// takes tens of seconds on one core, so auto mode leaves such instances to
// the heuristic.
constexpr int64_t kAutoMaxColumns = 150'000;
// Up to this many columns (after pruning) CBC gets both cores and the
// heuristic stops: on such models CBC's own search finds the better
// schedules as well (s55x5: 1893 from the heuristic's 1896; s60x10w: 3296
// from 3297), and on the three hardest of the small instances (8-10k
// columns) two threads proved optimality in 6.5-7.8 s of CBC time where one
// thread beside the heuristic did not in 8.
constexpr int64_t kParallelMaxColumns = 40'000;
// The warm-up's second heuristic run uses this seed plus the caller's (the
// one beside the exact model uses the caller's plus 1).
constexpr uint64_t kSecondSeedOffset = 1000;

double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

bool SomeShipFitsNowhere(const Instance& in) {
  for (int i = 0; i < in.num_ships(); ++i) {
    bool fits = false;
    for (int b = 0; b < in.num_berths(); ++b) fits = fits || in.Fits(i, b);
    if (!fits) return true;
  }
  return false;
}

Status Infeasible(const std::string& why) { return FailedPrecondition(why, "berth.infeasible"); }

// Keeps the best schedule seen and the best bound proved, whichever method
// produced them.
struct Best {
  std::optional<Schedule> schedule;
  int64_t objective = 0;
  int64_t lower_bound = 0;
  bool proven_optimal = false;
  std::string method;

  void Offer(const Schedule& s, int64_t objective_value, const std::string& by) {
    if (!schedule || objective_value < objective) {
      schedule = s;
      objective = objective_value;
      method = by;
    }
  }
};

// Runs the exact model with the current best as incumbent and folds its
// outcome into `best`. Returns FailedPrecondition if it proved infeasibility.
// `gave_up`, when given, is set if the model was too large to build or its
// LP ran out of time (nothing was searched). `before_parallel_search`, when
// given, lets CBC use two threads on small models (kParallelMaxColumns) and
// is called before it does, to free the second core.
Status RunExact(const Instance& in, double seconds, int64_t max_columns, double lp_seconds, Best* best,
                std::function<bool()> abort_search = nullptr, bool* gave_up = nullptr,
                std::function<void()> before_parallel_search = nullptr) {
  MipOptions mip;
  if (before_parallel_search) {
    mip.threads = 2;
    mip.parallel_max_columns = kParallelMaxColumns;
    mip.before_parallel_search = std::move(before_parallel_search);
  }
  mip.abort_search = std::move(abort_search);
  mip.time_limit_seconds = seconds;
  mip.lp_time_limit_seconds = lp_seconds;
  mip.incumbent = best->schedule;
  mip.max_columns = max_columns;
  ASSIGN_OR_RETURN(MipOutcome outcome, SolveTimeIndexedMip(in, mip));
  if (gave_up != nullptr) *gave_up = outcome.too_large || outcome.lp_timed_out;
  if (outcome.proven_infeasible) return Infeasible("no schedule meets every time window (proved by the exact model)");
  if (outcome.schedule) best->Offer(*outcome.schedule, outcome.objective, "exact");
  best->lower_bound = std::max(best->lower_bound, outcome.lower_bound);
  if (outcome.proven_optimal) {
    best->proven_optimal = true;
    best->lower_bound = best->objective;
  }
  return OkStatus();
}

// The best schedule that the threads of RunExactBesideHeuristic have found,
// where the exact model and the window search look for the heuristic's.
class Exchange {
 public:
  void Offer(const Schedule& s, int64_t objective, const char* by) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (schedule_ && objective >= objective_.load()) return;
    schedule_ = s;
    by_ = by;
    objective_.store(objective);
  }
  // The shared schedule if it is strictly better than `objective`.
  std::optional<Schedule> Better(int64_t objective) {
    if (objective_.load() >= objective) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    return schedule_;
  }
  void FoldInto(Best* best) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (schedule_) best->Offer(*schedule_, objective_.load(), by_);
  }
  int64_t objective() const { return objective_.load(); }

 private:
  std::mutex mutex_;
  std::optional<Schedule> schedule_;  // guarded by mutex_
  const char* by_ = "";               // guarded by mutex_
  std::atomic<int64_t> objective_{std::numeric_limits<int64_t>::max()};
};

// Folds a heuristic run into `best`. Finding nothing is not an error here:
// another method may still.
Status OfferHeuristic(const Result<HeuristicResult>& r, Best* best) {
  if (!r.ok()) return r.status().code() == StatusCode::kResourceExhausted ? OkStatus() : r.status();
  best->Offer(r->schedule, r->objective, "heuristic");
  return OkStatus();
}

Status RunHeuristic(const Instance& in, double seconds, uint64_t seed, Best* best) {
  HeuristicOptions h;
  h.time_limit_seconds = seconds;
  h.seed = seed;
  h.start = best->schedule;
  return OfferHeuristic(RunIteratedLocalSearch(in, h), best);
}

// The heuristic with two seeds at once, on two cores, keeping the better
// schedule. Its result after a second varies with the seed (s55x5 at 1.1 s,
// seeds 1-8: 1896, 1903, 1896, 1893, 1904, 1899, 1893, 1896; s60x10w: 3297
// to 3322), and the exact model's pruning and proof depend on it.
Status RunTwoSeeds(const Instance& in, double seconds, uint64_t seed, Best* best) {
  Best other = *best;
  Status other_status = OkStatus();
  std::thread second([&] { other_status = RunHeuristic(in, seconds, seed + kSecondSeedOffset, &other); });
  Status status = RunHeuristic(in, seconds, seed, best);
  second.join();
  RETURN_IF_ERROR(status);
  RETURN_IF_ERROR(other_status);
  if (other.schedule) best->Offer(*other.schedule, other.objective, "heuristic");
  return OkStatus();
}

// The exact model on this thread and the heuristic on a second core, both
// until `seconds` pass or the model proves optimality. On congested
// instances the heuristic keeps finding better schedules after its warm-up,
// and the model's pruning depends on its incumbent: measured on 50-60 ship
// instances, a CBC search that made no progress in 8 s with a 1% worse
// incumbent proved optimality in 2-5 s with the better one, from a model a
// tenth the size. So whenever the heuristic beats the incumbent that the
// model started with, CBC is stopped at its next node and the model is built
// again with the better schedule. When the pruned model is small
// (kParallelMaxColumns), the heuristic stops instead and CBC searches on
// both cores.
// When the full model is too large for the time (200-250 ships), this thread
// runs the time-window search instead (window_search.h), which takes up each
// better schedule of the heuristic and polishes it. The heuristic does not
// take the window search's schedules: measured on f200x15-01 and -03 (at load
// 4 on 2 cores), restarting it from them cost more than they gave (12631 and
// 11391 at 60 s against 12625 and 11377 without).
Status RunExactBesideHeuristic(const Instance& in, double seconds, uint64_t seed, bool window_search, Best* best) {
  const auto deadline = Clock::now() + std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  std::atomic<bool> stop{false};
  Exchange exchange;
  HeuristicOptions h;
  h.time_limit_seconds = seconds;
  h.seed = seed;
  h.start = best->schedule;
  h.stop = &stop;
  h.on_improvement = [&](const Schedule& s, int64_t objective) { exchange.Offer(s, objective, "heuristic"); };
  std::optional<Result<HeuristicResult>> found;
  std::thread search([&] { found.emplace(RunIteratedLocalSearch(in, h)); });
  Status exact = OkStatus();
  bool gave_up = false;
  while (true) {
    exchange.FoldInto(best);
    const int64_t incumbent = best->objective;
    const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
    if (left <= 0.1) break;
    // The LP has all the time: the heuristic goes on beside it whatever it
    // takes (alone, it must leave the heuristic some time).
    exact = RunExact(in, left, kAutoMaxColumns, 0, best, [&] { return exchange.objective() < incumbent; },
                     &gave_up, [&] { stop.store(true); });
    if (!exact.ok() || best->proven_optimal || gave_up || exchange.objective() >= incumbent) break;
  }
  const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
  if (exact.ok() && gave_up && window_search && left > 1) {
    exchange.FoldInto(best);
    WindowSearchOptions w;
    w.time_limit_seconds = left;
    w.seed = seed;
    w.on_improvement = [&](const Schedule& s, int64_t objective) { exchange.Offer(s, objective, "window search"); };
    w.adopt = [&](int64_t objective) { return exchange.Better(objective); };
    Result<WindowSearchResult> windows = RunWindowSearch(in, *best->schedule, w);
    if (!windows.ok()) {
      stop.store(true);
      search.join();
      return windows.status();
    }
    best->Offer(windows->schedule, windows->objective, "window search");
  }
  // Without a proof the heuristic keeps its time to the deadline (the model
  // may have given up early, too large to build).
  if (!exact.ok() || best->proven_optimal) stop.store(true);
  search.join();
  RETURN_IF_ERROR(exact);
  exchange.FoldInto(best);
  return OfferHeuristic(*found, best);
}

}  // namespace

Result<Method> ParseMethod(const std::string& name) {
  if (name == "auto") return Method::kAuto;
  if (name == "exact") return Method::kExact;
  if (name == "heuristic") return Method::kHeuristic;
  return InvalidArgument("unknown method '" + name + "' (expected auto, exact or heuristic)", "berth.method");
}

Result<SolveResult> SolveBerthAllocation(const Instance& in, const SolveOptions& options) {
  const auto started = Clock::now();
  RETURN_IF_ERROR(ValidateInstance(in));
  if (!(options.time_limit_seconds > 0)) return InvalidArgument("the time limit must be positive", "berth.instance");
  if (SomeShipFitsNowhere(in)) return Infeasible("a ship fits no berth it may use within its time window");

  const double limit = options.time_limit_seconds;
  auto left = [&] { return std::max(0.0, limit - SecondsSince(started)); };
  Best best;
  best.lower_bound = TrivialLowerBound(in);

  switch (options.method) {
    case Method::kHeuristic:
      RETURN_IF_ERROR(RunHeuristic(in, limit, options.seed, &best));
      break;
    case Method::kExact: {
      // A greedy start (no improvement steps) gives CBC a cutoff for free.
      HeuristicOptions greedy;
      greedy.time_limit_seconds = 0;
      greedy.seed = options.seed;
      Result<HeuristicResult> g = RunIteratedLocalSearch(in, greedy);
      if (g.ok()) best.Offer(g->schedule, g->objective, "greedy");
      RETURN_IF_ERROR(RunExact(in, left(), MipOptions().max_columns, 0, &best));
      break;
    }
    case Method::kAuto: {
      // A short heuristic run usually finds the optimum or close to it on
      // instances the exact model can handle, which makes its pruning bite.
      const double warmup = std::min(0.25 * limit, 0.5 + 0.01 * in.num_ships());
      if (std::thread::hardware_concurrency() >= 2) {
        RETURN_IF_ERROR(RunTwoSeeds(in, warmup, options.seed, &best));
      } else {
        RETURN_IF_ERROR(RunHeuristic(in, warmup, options.seed, &best));
      }
      if (left() > 0.1 && !best.proven_optimal && best.schedule && std::thread::hardware_concurrency() >= 2) {
        RETURN_IF_ERROR(RunExactBesideHeuristic(in, left(), options.seed + 1, options.window_search, &best));
      }
      if (left() > 0.1 && !best.proven_optimal) {
        // One core, or no schedule yet: the model first, with at most a third
        // of what is left for its LP, then the heuristic in the time left.
        RETURN_IF_ERROR(RunExact(in, left(), kAutoMaxColumns, left() / 3, &best));
      }
      if (left() > 0.1 && !best.proven_optimal && best.schedule) {
        RETURN_IF_ERROR(RunHeuristic(in, left(), options.seed + 1, &best));
      }
      if (!best.schedule && left() > 0.1) {
        // The heuristic met no feasible schedule; the full model may still
        // find one or prove there is none.
        RETURN_IF_ERROR(RunExact(in, left(), MipOptions().max_columns, 0, &best));
      }
      break;
    }
  }
  if (!best.schedule) {
    return ResourceExhausted("no feasible schedule found within " + std::to_string(limit) + " s",
                             "berth.no_schedule_in_time");
  }
  if (Status valid = ValidateSchedule(in, *best.schedule); !valid.ok()) {
    return Internal("the " + best.method + " method produced an invalid schedule: " + valid.message(),
                    "berth.invalid_schedule");
  }
  SolveResult result;
  result.schedule = *best.schedule;
  result.objective = WeightedServiceTime(in, result.schedule);
  result.lower_bound = std::min(best.lower_bound, result.objective);
  result.proven_optimal = best.proven_optimal || result.lower_bound >= result.objective;
  result.method = best.method;
  result.seconds = SecondsSince(started);
  return result;
}

}  // namespace relos::berth

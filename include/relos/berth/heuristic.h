// The metaheuristic for large berth allocation instances: an iterated local
// search over berth sequences. A schedule is represented by the order of ships
// at each berth; each ship then starts as early as it can (arrival, opening,
// or the previous ship's departure), which is optimal for a fixed order since
// the objective only grows with completion times. A greedy best-insertion
// seeds the search; relocate and swap moves descend to a local optimum; ruin
// and recreate (remove ships close in time, reinsert each where it costs
// least) perturbs it; late acceptance decides which perturbations to keep.
// Deadline violations are priced with a large penalty during the search and
// only feasible schedules are ever returned.
//
// Thread-safety: the function is reentrant; nothing is shared between calls.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include "relos/berth/instance.h"
#include "relos/berth/schedule.h"
#include "relos/core/status.h"

namespace relos::berth {

struct HeuristicOptions {
  double time_limit_seconds = 10;
  uint64_t seed = 1;
  // Stop after this many perturbations even if time remains; 0 means no
  // limit. With a limit and a generous time limit the result depends on the
  // seed alone, which tests rely on.
  int64_t max_iterations = 0;
  // A known feasible schedule to start from instead of the greedy one.
  std::optional<Schedule> start;
  // When set, the search ends soon after another thread stores true here
  // (the auto method stops it once the exact model has proved optimality).
  const std::atomic<bool>* stop = nullptr;
  // Called on the search's thread with each new best feasible schedule.
  std::function<void(const Schedule& schedule, int64_t objective)> on_improvement;
};

struct HeuristicResult {
  Schedule schedule;
  int64_t objective = 0;
  int64_t iterations = 0;
};

// Returns the best feasible schedule found (it passes ValidateSchedule), or
// ResourceExhausted (reason "berth.no_schedule_in_time") if the search met no
// feasible schedule before its limits.
// Preconditions: ValidateInstance(instance).ok(); `start`, when given, is a
// valid schedule of `instance`.
Result<HeuristicResult> RunIteratedLocalSearch(const Instance& instance, const HeuristicOptions& options);

}  // namespace relos::berth

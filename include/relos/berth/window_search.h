// Time-window decomposition: a large-neighbourhood search that improves a
// feasible schedule by solving small parts of it exactly. A window [T1, T2)
// of time frees every ship whose service intersects it; every other ship
// keeps its berth and start. On each berth the fixed ships then lie wholly
// before T1 or wholly from T2 on, so the free ships of that berth may only use
// the one gap between the last fixed ship before and the first fixed ship
// after. The free ships with those gaps as berth opening and closing times
// form an instance of the same problem (the sub-instance), which the exact
// time-indexed model (time_indexed_mip.h) solves within a short limit with
// the restricted schedule as incumbent. The objective is a sum over ships, so
// a better sub-schedule merged back improves the whole schedule by exactly
// the sub-objective's change.
//
// Thread-safety: the functions are reentrant; nothing is shared between
// calls except what the caller passes through the options' callbacks.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "relos/berth/instance.h"
#include "relos/berth/schedule.h"
#include "relos/core/status.h"

namespace relos::berth {

// The free part of a schedule for one time window.
struct Window {
  int64_t begin = 0;  // T1
  int64_t end = 0;    // T2, > begin
  // Ships of the full instance whose service intersects [begin, end), in
  // increasing index; ship k of `sub` is free_ships[k].
  std::vector<int> free_ships;
  // The free ships as an instance of their own. Its berths are those of the
  // full instance, with opening and closing times narrowed to the gap that
  // the fixed ships leave on each.
  Instance sub;
  // The free ships' current assignments, a valid schedule of `sub`.
  Schedule sub_schedule;
};

// Frees the ships of `schedule` whose service [start, start + handling)
// intersects [begin, end) at a berth of `berths` (a flag per berth; empty
// means every berth). Berths outside the set keep all their ships, and free
// ships may not use them: their handling there is kForbiddenHandling in
// `sub`. Preconditions: ValidateSchedule(in, schedule).ok(); begin < end;
// `berths` empty or one flag per berth.
Window ExtractWindow(const Instance& in, const Schedule& schedule, int64_t begin, int64_t end,
                     const std::vector<char>& berths = {});

// `schedule` with the free ships of `window` assigned as in `sub_schedule`
// (a schedule of window.sub).
Schedule MergeWindow(const Schedule& schedule, const Window& window, const Schedule& sub_schedule);

struct WindowSearchOptions {
  double time_limit_seconds = 10;
  uint64_t seed = 1;
  // Stop after this many sub-instance solves even if time remains; 0 means
  // no limit (tests use it for results that do not depend on timing).
  int64_t max_windows = 0;
  // Free ships aimed at per window at first; between kMinWindowShips and
  // kMaxWindowShips, windows shrink after one that is not solved to
  // optimality and grow after a sweep that proved every window optimal.
  int window_ships = 40;
  // Time limit of one sub-instance solve.
  double sub_time_limit_seconds = 3;
  // Column cap of one sub-instance model; a larger one is not solved (the
  // window then shrinks).
  int64_t sub_max_columns = 400'000;
  // The search ends soon after another thread stores true here.
  const std::atomic<bool>* stop = nullptr;
  // Called with each new best schedule (on the search's thread).
  std::function<void(const Schedule& schedule, int64_t objective)> on_improvement;
  // Asked before each window with the search's best objective: a strictly
  // better schedule found elsewhere (e.g. by the heuristic on another
  // thread), which the search then continues from, or nothing.
  std::function<std::optional<Schedule>(int64_t objective)> adopt;
};

inline constexpr int kMinWindowShips = 4;
inline constexpr int kMaxWindowShips = 150;

struct WindowSearchResult {
  Schedule schedule;
  int64_t objective = 0;
  int64_t windows = 0;       // sub-instances solved
  int64_t improvements = 0;  // of them, those that improved the schedule
};

// Alternates two kinds of windows until the limits: sweeps over the
// schedule's time span at every berth, windows overlapping by half (the next
// sweep shifted at random); and as many windows aimed where ships wait: from
// the arrival of a ship drawn with odds by its weighted wait, over a random
// half of the berths (its own among them), which reaches further in time for
// the same number of free ships. Windows whose sub-instance was
// already proved optimal, unchanged since, are skipped. The result is never
// worse than `start` and passes ValidateSchedule.
// Errors: Internal (reason "berth.invalid_schedule") if a merged schedule
// fails validation (a bug); errors of the exact model.
// Preconditions: ValidateInstance(in).ok(); ValidateSchedule(in, start).ok().
Result<WindowSearchResult> RunWindowSearch(const Instance& in, const Schedule& start,
                                           const WindowSearchOptions& options);

}  // namespace relos::berth

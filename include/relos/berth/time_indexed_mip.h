// The exact method: the time-indexed (generalized set-partitioning) model of
// the discrete berth allocation problem, solved with COIN-OR CBC. A binary
// column x[i,b,t] means "ship i starts at berth b at time t"; each ship takes
// exactly one column, and at each berth and time at most one chosen column
// covers that time. Its LP relaxation is far tighter than big-M sequencing
// models, which is what lets CBC prove optimality on instances of 60 ships.
//
// Given an incumbent of cost UB, columns are pruned before CBC starts: a
// column whose own cost plus the cheapest service of every other ship
// exceeds UB cannot be in a better schedule; after the LP relaxation, a column
// whose reduced cost lifts the LP bound above UB - 1 cannot either (objective
// values are integers), and again after clique cuts have raised that bound.
// CBC then searches for a schedule strictly better than the incumbent; if
// there is none, the incumbent is optimal.
//
// Thread-safety: reentrant; each call builds its own solver objects.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "relos/berth/instance.h"
#include "relos/berth/schedule.h"
#include "relos/core/status.h"

namespace relos::berth {

struct MipOptions {
  double time_limit_seconds = 10;
  // A valid schedule whose cost is the cutoff; enables both prunings.
  std::optional<Schedule> incumbent;
  // Reduced-cost pruning after the LP (needs an incumbent). Off, together
  // with no incumbent, gives "CBC alone on the same model" for benchmarks.
  bool reduced_cost_fixing = true;
  // The model is not built past this many columns (memory and LP time grow
  // with it); the outcome then says `too_large`.
  int64_t max_columns = 1'500'000;
  // At most this long for the LP relaxation before pruning (0: no separate
  // limit); past it the call gives up with `lp_timed_out`.
  double lp_time_limit_seconds = 0;
  // CBC's own preprocessing of the model. Off by default: CBC 2.10.8 crashes
  // in it on some models (see RunCbc). The benchmark's "CBC alone" turns it
  // on, as the cbc command line would have it.
  bool cbc_preprocess = false;
  // relos's search settings for CBC: branching first on each ship's berth
  // (an integer variable per ship and berth), then on its start time
  // (special ordered sets), and only the cut generators that pay here. Off
  // gives CBC's default strategy, for the benchmark's "CBC alone".
  bool tuned_search = true;
  // Drops the berth-time rows that others imply once the model is pruned
  // (the LP is the same, each node's LP smaller). Off only to compare.
  bool drop_implied_rows = true;
  // Before CBC, rounds of clique cuts of each berth's time line that the
  // berth-time rows miss (see src/berth/packing_cuts.h), then a second
  // reduced-cost pruning against the raised bound. Needs an incumbent; only
  // on models of up to 40,000 columns. Off only to compare.
  bool packing_cuts = true;
  // Threads for CBC's branch and bound when the model handed to CBC has at
  // most `parallel_max_columns` columns; one thread otherwise.
  int threads = 1;
  int64_t parallel_max_columns = 0;
  // Called once, before a search that uses more than one thread, so that the
  // caller can free the cores it uses.
  std::function<void()> before_parallel_search;
  // Asked at each of CBC's nodes; when it returns true the search stops and
  // the outcome is as at a time-out (the bound found so far stays valid).
  std::function<bool()> abort_search;
};

struct MipOutcome {
  // The best schedule known at the end: CBC's if it found a better one, else
  // the incumbent. Empty if neither exists.
  std::optional<Schedule> schedule;
  int64_t objective = 0;     // of `schedule`, when present
  int64_t lower_bound = 0;   // valid for every feasible schedule
  bool proven_optimal = false;
  bool proven_infeasible = false;  // no feasible schedule exists at all
  bool too_large = false;    // model exceeded max_columns; nothing solved
  bool lp_timed_out = false; // the LP relaxation ran out of time; no CBC run
  int64_t columns = 0;       // columns handed to CBC
  int64_t columns_before_lp = 0;
  int64_t model_rows = 0;  // ship and berth-time rows of the model
  int64_t rows = 0;        // handed to CBC: those not implied, and the cut rows
  double lp_bound = 0;       // LP relaxation value (0 if not solved)
  double cut_bound = 0;      // the LP's value with the packing cuts (0 if none ran)
  int cut_rounds = 0;
  int64_t cut_rows = 0;      // packing cuts kept as rows of the model handed to CBC
  double lp_seconds = 0;     // building the model and solving its LP
  double cbc_seconds = 0;    // branch and bound
  int cbc_threads = 0;       // threads CBC searched with (0: no CBC run)
};

// Solves the model within the time limit. Schedules returned pass
// ValidateSchedule; if CBC ever returns one that does not, that is reported as
// Internal (reason "berth.invalid_schedule").
// Preconditions: ValidateInstance(instance).ok(); `incumbent`, if given, is a
// valid schedule.
Result<MipOutcome> SolveTimeIndexedMip(const Instance& instance, const MipOptions& options);

}  // namespace relos::berth

// The berth allocation optimiser that the CLI calls: picks and combines the
// exact method (time_indexed_mip.h) and the metaheuristic (heuristic.h)
// within one time limit, and checks the schedule with the independent
// validator before returning it.
//
// kAuto runs the heuristic briefly for an incumbent, then the exact model with
// that incumbent as cutoff when the model is small enough while the heuristic
// goes on improving the best schedule on a second thread, until the limit or
// a proof of optimality (with one hardware thread: the model, then the
// heuristic in the time left). kExact and kHeuristic run one method alone
// (kExact still seeds CBC with a greedy schedule).
//
// Thread-safety: reentrant. kAuto uses up to two threads.
#pragma once

#include <cstdint>
#include <string>

#include "relos/berth/instance.h"
#include "relos/berth/schedule.h"
#include "relos/core/status.h"

namespace relos::berth {

enum class Method { kAuto, kExact, kHeuristic };

struct SolveOptions {
  double time_limit_seconds = 10;
  Method method = Method::kAuto;
  uint64_t seed = 1;
  // kAuto on instances too large for the exact model: the time-window search
  // (window_search.h) on the second thread. Off leaves that thread idle, as
  // before the search existed (for benchmarks).
  bool window_search = true;
};

struct SolveResult {
  Schedule schedule;
  int64_t objective = 0;
  int64_t lower_bound = 0;      // valid for every feasible schedule
  bool proven_optimal = false;  // objective == lower_bound was proved
  std::string method;           // what produced the schedule, for reports
  double seconds = 0;           // wall time spent
};

// Returns the best schedule found, valid per ValidateSchedule.
// Errors: InvalidArgument (reason "berth.instance") for an inconsistent
// instance or a non-positive time limit; FailedPrecondition (reason
// "berth.infeasible") when it is proved that no schedule meets every
// constraint; ResourceExhausted (reason "berth.no_schedule_in_time") when no
// feasible schedule was found in time but infeasibility was not proved;
// Internal (reason "berth.invalid_schedule") if a method produced a schedule
// that the validator refuses (a bug).
Result<SolveResult> SolveBerthAllocation(const Instance& instance, const SolveOptions& options);

// "auto", "exact", "heuristic"; InvalidArgument (reason "berth.method") for
// anything else.
Result<Method> ParseMethod(const std::string& name);

}  // namespace relos::berth

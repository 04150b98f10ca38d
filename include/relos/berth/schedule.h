// A berth schedule: for every ship, the berth it uses and the time its
// handling starts; and the independent validator that every schedule a
// solver returns passes first. The objective is the total weighted service
// time, sum over ships of weight * (start + handling at its berth - arrival).
//
// The validator shares no code with the solvers: it checks the schedule
// against the instance directly, so a solver bug cannot hide behind it.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "relos/berth/instance.h"
#include "relos/core/status.h"

namespace relos::berth {

struct ShipAssignment {
  int berth = -1;
  int64_t start = 0;
  friend bool operator==(const ShipAssignment&, const ShipAssignment&) = default;
};

struct Schedule {
  std::vector<ShipAssignment> ships;  // indexed by ship
  friend bool operator==(const Schedule&, const Schedule&) = default;
};

// Returns OK when `schedule` serves every ship of `instance` once, at a berth
// it can use, starting no earlier than its arrival and the berth's opening,
// ending by the berth's closing time and its latest departure, with no two
// ships at one berth overlapping (a ship may start the moment another ends).
// Otherwise InvalidArgument naming the first fault found, with reason
//   "schedule.size", "schedule.berth" (unknown or forbidden berth),
//   "schedule.early" (before arrival or opening), "schedule.late" (after
//   closing or latest departure), "schedule.overlap".
// Precondition: ValidateInstance(instance).ok().
Status ValidateSchedule(const Instance& instance, const Schedule& schedule);

// Total weighted service time. Precondition: the schedule names a usable
// berth for every ship (it need not be otherwise valid).
int64_t WeightedServiceTime(const Instance& instance, const Schedule& schedule);

// A lower bound valid for every feasible schedule: each ship served at once on
// its fastest usable berth.
int64_t TrivialLowerBound(const Instance& instance);

}  // namespace relos::berth

#include "relos/berth/schedule.h"

#include <algorithm>
#include <limits>
#include <tuple>

namespace relos::berth {

namespace {

std::string ShipName(int i) { return "ship " + std::to_string(i + 1); }
std::string BerthName(int b) { return "berth " + std::to_string(b + 1); }

}  // namespace

Status ValidateSchedule(const Instance& in, const Schedule& schedule) {
  const int n = in.num_ships();
  const int m = in.num_berths();
  if (static_cast<int>(schedule.ships.size()) != n) {
    return InvalidArgument("schedule has " + std::to_string(schedule.ships.size()) + " ships, the instance " +
                               std::to_string(n),
                           "schedule.size");
  }
  // (start, end, ship) per berth, to look for overlaps after sorting.
  std::vector<std::vector<std::tuple<int64_t, int64_t, int>>> by_berth(m);
  for (int i = 0; i < n; ++i) {
    const ShipAssignment& a = schedule.ships[i];
    if (a.berth < 0 || a.berth >= m) {
      return InvalidArgument(ShipName(i) + " is assigned to unknown berth index " + std::to_string(a.berth),
                             "schedule.berth");
    }
    if (!in.CanUse(i, a.berth)) {
      return InvalidArgument(ShipName(i) + " cannot use " + BerthName(a.berth), "schedule.berth");
    }
    const int64_t end = a.start + in.handling[i][a.berth];
    if (a.start < in.arrival[i]) {
      return InvalidArgument(ShipName(i) + " starts at " + std::to_string(a.start) + ", before it arrives at " +
                                 std::to_string(in.arrival[i]),
                             "schedule.early");
    }
    if (a.start < in.berth_open[a.berth]) {
      return InvalidArgument(ShipName(i) + " starts at " + std::to_string(a.start) + ", before " +
                                 BerthName(a.berth) + " opens at " + std::to_string(in.berth_open[a.berth]),
                             "schedule.early");
    }
    if (end > in.berth_close[a.berth]) {
      return InvalidArgument(ShipName(i) + " ends at " + std::to_string(end) + ", after " + BerthName(a.berth) +
                                 " closes at " + std::to_string(in.berth_close[a.berth]),
                             "schedule.late");
    }
    if (end > in.latest_departure[i]) {
      return InvalidArgument(ShipName(i) + " ends at " + std::to_string(end) + ", after its latest departure " +
                                 std::to_string(in.latest_departure[i]),
                             "schedule.late");
    }
    by_berth[a.berth].emplace_back(a.start, end, i);
  }
  for (int b = 0; b < m; ++b) {
    auto& slots = by_berth[b];
    std::sort(slots.begin(), slots.end());
    for (size_t k = 1; k < slots.size(); ++k) {
      const auto& [prev_start, prev_end, prev_ship] = slots[k - 1];
      const auto& [start, end, ship] = slots[k];
      if (start < prev_end) {
        return InvalidArgument(ShipName(ship) + " starts at " + std::to_string(start) + " at " + BerthName(b) +
                                   " while " + ShipName(prev_ship) + " is there until " + std::to_string(prev_end),
                               "schedule.overlap");
      }
    }
  }
  return OkStatus();
}

int64_t WeightedServiceTime(const Instance& in, const Schedule& schedule) {
  int64_t total = 0;
  for (int i = 0; i < in.num_ships(); ++i) {
    const ShipAssignment& a = schedule.ships[i];
    total += in.weight[i] * (a.start + in.handling[i][a.berth] - in.arrival[i]);
  }
  return total;
}

int64_t TrivialLowerBound(const Instance& in) {
  int64_t total = 0;
  for (int i = 0; i < in.num_ships(); ++i) {
    int64_t best = std::numeric_limits<int64_t>::max();
    for (int b = 0; b < in.num_berths(); ++b) {
      if (in.Fits(i, b)) best = std::min(best, in.EarliestStart(i, b) + in.handling[i][b] - in.arrival[i]);
    }
    // A ship that fits nowhere makes the instance infeasible; any bound holds.
    if (best != std::numeric_limits<int64_t>::max()) total += in.weight[i] * best;
  }
  return total;
}

}  // namespace relos::berth

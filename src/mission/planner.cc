#include "relos/mission/planner.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <tuple>

namespace relos::mission {
namespace {

// Slack for comparing fuel amounts computed in floating point: a leg that
// lands exactly on the reserve must not be refused for rounding.
constexpr double kFuelEps = 1e-9;

std::string Fmt(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Label(const Waypoint& w) { return w.name.empty() ? (w.code.empty() ? w.position.ToString() : w.code) : w.name; }

Timestamp AddHours(Timestamp t, double hours) { return t.PlusSeconds(static_cast<int64_t>(std::llround(hours * 3600.0))); }

// The criteria of a partial plan; compared in the objective's order.
struct Criteria {
  double hours = 0;
  double nm = 0;
  double partner_stops = 0;
  double cost = 0;
  double stops = 0;
};

using Key = std::array<double, 5>;

Key KeyOf(const Criteria& c, Objective o) {
  switch (o) {
    case Objective::kTime: return {c.hours, c.nm, c.partner_stops, c.cost, c.stops};
    case Objective::kDistance: return {c.nm, c.hours, c.partner_stops, c.cost, c.stops};
    case Objective::kPartnerStops: return {c.partner_stops, c.hours, c.nm, c.cost, c.stops};
    case Objective::kCost: return {c.cost, c.hours, c.nm, c.partner_stops, c.stops};
  }
  return {};
}

Status Validate(const PlanningProblem& p) {
  if (!(p.capacity > 0)) return InvalidArgument("fuel capacity must be positive", "capacity");
  if (!(p.initial_fuel >= 0 && p.initial_fuel <= p.capacity + kFuelEps))
    return InvalidArgument("initial fuel must be between 0 and the capacity", "initial_fuel");
  if (!(p.reserve_fraction >= 0 && p.reserve_fraction < 1)) return InvalidArgument("reserve must be in [0, 1)", "reserve");
  if (!(p.burn_per_nm > 0)) return InvalidArgument("fuel burn per nm must be positive", "burn_per_nm");
  if (!(p.speed_kn > 0)) return InvalidArgument("speed must be positive", "speed");
  if (!(p.stop_hours >= 0)) return InvalidArgument("stop hours must not be negative", "stop_hours");
  if (!(p.max_wait_hours >= 0)) return InvalidArgument("the longest wait must not be negative", "max_wait");
  return OkStatus();
}

// Node numbering: 0 origin, 1..n the candidate stops, n + 1 the destination.
//
// The search is A* over the stops with lazy edge evaluation: a leg is first
// queued under an optimistic key built from the oracle's cheap lower bound,
// and its real route is asked for only when that key reaches the front of the
// queue. The heuristic (lower bounds of the remaining time and distance to
// the destination) and the optimistic legs are componentwise lower bounds of
// the real criteria; lexicographic order is compatible with addition, so the
// first time a node leaves the queue as a node its key is optimal, exactly as
// in Dijkstra. Routes are the expensive part (a sea-lane route is about a
// millisecond), and most legs never need one.
class Search {
 public:
  Search(const PlanningProblem& p, const DistanceOracle& oracle)
      : p_(p), oracle_(oracle), n_(static_cast<int>(p.stops.size())), lower_nm_(static_cast<size_t>(n_ + 2) * (n_ + 2), -1) {}

  Result<Plan> Run() {
    const int nodes = n_ + 2, dest = n_ + 1;
    std::vector<std::optional<Key>> best(nodes);
    crit_.assign(nodes, Criteria{});
    std::vector<Criteria>& crit = crit_;
    std::vector<int> parent(nodes, -1);
    std::vector<bool> done(nodes, false);
    // A node entry (leg < 0) carries the node's real key; an edge entry the
    // optimistic key of the leg from `from` to `node`, not yet routed.
    struct Entry {
      Key f;
      int node;
      int from;
      bool leg_pending;
      bool operator>(const Entry& o) const { return std::tie(f, leg_pending, node) > std::tie(o.f, o.leg_pending, o.node); }
    };
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    best[0] = KeyOf(crit[0], p_.objective);
    queue.push({Plus(*best[0], Heuristic(0)), 0, -1, false});
    while (!queue.empty()) {
      const Entry e = queue.top();
      queue.pop();
      const int v = e.node;
      if (done[v]) continue;
      if (e.leg_pending) {
        ASSIGN_OR_RETURN(std::optional<Criteria> step, Step(e.from, v));
        if (!step) continue;
        const Criteria c = Add(crit[e.from], *step);
        const Key k = KeyOf(c, p_.objective);
        if (!best[v] || k < *best[v]) {
          best[v] = k;
          crit[v] = c;
          parent[v] = e.from;
          queue.push({Plus(k, Heuristic(v)), v, -1, false});
        }
        continue;
      }
      if (e.f != Plus(*best[v], Heuristic(v))) continue;  // superseded
      done[v] = true;
      if (v == dest) break;
      for (int w = 1; w < nodes; ++w) {
        if (done[w]) continue;
        const std::optional<Criteria> optimistic = OptimisticStep(v, w);
        if (!optimistic) continue;
        const Key k = KeyOf(Add(crit[v], *optimistic), p_.objective);
        if (best[w] && !(k < *best[w])) continue;  // cannot improve on a route already found
        queue.push({Plus(k, Heuristic(w)), w, v, true});
      }
    }
    Plan plan;
    plan.reserve = p_.reserve_fraction * p_.capacity;
    if (!done[dest]) {
      ASSIGN_OR_RETURN(plan.infeasible_reason, Explain(done));
      return plan;
    }
    std::vector<int> order;
    for (int v = dest; v != -1; v = parent[v]) order.push_back(v);
    std::reverse(order.begin(), order.end());
    return Build(order);
  }

 private:
  static Criteria Add(Criteria a, const Criteria& b) {
    a.hours += b.hours;
    a.nm += b.nm;
    a.partner_stops += b.partner_stops;
    a.cost += b.cost;
    a.stops += b.stops;
    return a;
  }
  static Key Plus(Key a, const Key& b) {
    for (size_t i = 0; i < a.size(); ++i) a[i] += b[i];
    return a;
  }

  // The oracle's lower bound on the leg u -> v, computed once.
  double LowerNm(int u, int v) {
    double& lb = lower_nm_[static_cast<size_t>(u) * (n_ + 2) + v];
    if (lb < 0) lb = oracle_.LowerBoundNm(WaypointOf(u).position, WaypointOf(v).position);
    return lb;
  }

  // A lower bound of what is left from `node` to the destination: the
  // distance and the time at sea (stops, partner stops and cost may be zero).
  Key Heuristic(int node) {
    Criteria h;
    if (node != n_ + 1) {
      h.nm = LowerNm(node, n_ + 1);
      h.hours = h.nm / p_.speed_kn;
    }
    return KeyOf(h, p_.objective);
  }

  // The most stop v (1..n) can issue at any time: a bound for OptimisticStep.
  double MostAvailable(int v) {
    if (most_available_.empty()) {
      for (const CandidateStop& s : p_.stops) {
        double most = s.fuel_available;
        for (const auto& [t, amount] : s.fuel_from) most = std::max(most, amount);
        most_available_.push_back(most);
      }
    }
    return most_available_[static_cast<size_t>(v - 1)];
  }

  // Step(u, v) with the leg's lower bound in place of its route: each
  // criterion is at most the real one. nullopt when even the lower bound
  // rules the leg out (out of range, or the stop cannot refill the unit).
  std::optional<Criteria> OptimisticStep(int u, int v) {
    const double usable = DepartureFuel(u) - Reserve();
    const double nm = LowerNm(u, v);
    const double fuel = nm * p_.burn_per_nm;
    if (usable < -kFuelEps || fuel > usable + kFuelEps) return std::nullopt;
    Criteria c;
    c.nm = nm;
    c.hours = nm / p_.speed_kn;
    if (v != n_ + 1) {
      const CandidateStop& s = p_.stops[v - 1];
      const double request = p_.capacity - (DepartureFuel(u) - fuel);
      if (request > MostAvailable(v) + kFuelEps) {
        short_stock_.insert(v);
        return std::nullopt;
      }
      c.hours += p_.stop_hours;
      c.stops = 1;
      if (s.partner) {
        c.partner_stops = 1;
        c.cost = request * s.price_per_fuel_unit;
      }
    }
    return c;
  }

  const Waypoint& WaypointOf(int node) {
    if (node == 0) return p_.origin;
    if (node == n_ + 1) return p_.destination;
    auto it = stop_waypoints_.find(node);
    if (it == stop_waypoints_.end()) {
      const CandidateStop& s = p_.stops[node - 1];
      it = stop_waypoints_.emplace(node, Waypoint{s.code, s.name, s.position}).first;
    }
    return it->second;
  }
  double DepartureFuel(int node) const { return node == 0 ? p_.initial_fuel : p_.capacity; }
  double Reserve() const { return p_.reserve_fraction * p_.capacity; }

  // The leg u -> v started `wait` hours after the unit is ready at u,
  // memoised; nullopt when there is no way. Routes are only asked for when
  // the lower bound leaves the leg within range of `limit_nm`. u is settled,
  // so its departure time is final: the leg is routed for it (seasonal
  // passages are judged when the unit gets there).
  Result<std::optional<LegPath>> LegOf(int u, int v, double limit_nm, double wait = 0) {
    auto it = legs_.find({u, v, wait});
    if (it != legs_.end()) return it->second;
    const GeoPosition a = WaypointOf(u).position, b = WaypointOf(v).position;
    if (oracle_.LowerBoundNm(a, b) > limit_nm) return std::optional<LegPath>();  // not memoised: limit-dependent
    Result<LegPath> leg = oracle_.Leg(a, b, LegTiming{AddHours(p_.departure, crit_[u].hours + wait), p_.speed_kn});
    std::optional<LegPath> value;
    if (leg.ok()) {
      value = *std::move(leg);
    } else if (leg.status().code() != StatusCode::kNotFound && leg.status().code() != StatusCode::kInvalidArgument) {
      return leg.status();
    } else {
      if (wait == 0) unroutable_[{u, v}] = leg.status().message();
    }
    legs_.emplace(std::make_tuple(u, v, wait), value);
    return value;
  }

  // The waits worth trying before the leg from settled u: none, and until
  // each seasonal passage opening within the longest wait.
  std::vector<double> WaitsFrom(int u) {
    std::vector<double> waits{0};
    if (p_.max_wait_hours <= 0) return waits;
    const Timestamp ready = AddHours(p_.departure, crit_[u].hours);
    for (Timestamp t : oracle_.Openings(ready, AddHours(ready, p_.max_wait_hours)))
      waits.push_back(static_cast<double>(t.unix_seconds() - ready.unix_seconds()) / 3600.0);
    return waits;
  }

  // The criteria of going from u to v, or nullopt if the leg is not allowed:
  // the best over the waits worth trying, which is remembered for the plan.
  Result<std::optional<Criteria>> Step(int u, int v) {
    std::optional<Criteria> best;
    for (double wait : WaitsFrom(u)) {
      ASSIGN_OR_RETURN(std::optional<Criteria> c, StepAfter(u, v, wait));
      if (c && (!best || KeyOf(*c, p_.objective) < KeyOf(*best, p_.objective))) {
        best = c;
        wait_[{u, v}] = wait;
      }
    }
    return best;
  }

  // Step(u, v) with the leg started `wait` hours after the unit is ready.
  Result<std::optional<Criteria>> StepAfter(int u, int v, double wait) {
    const double usable = DepartureFuel(u) - Reserve();
    if (usable < -kFuelEps) return std::optional<Criteria>();
    ASSIGN_OR_RETURN(std::optional<LegPath> leg, LegOf(u, v, usable / p_.burn_per_nm + kFuelEps, wait));
    if (!leg) return std::optional<Criteria>();
    const double fuel = leg->nm * p_.burn_per_nm;
    if (fuel > usable + kFuelEps) return std::optional<Criteria>();
    Criteria c;
    c.nm = leg->nm;
    c.hours = wait + leg->nm / p_.speed_kn;
    if (v != n_ + 1) {
      const CandidateStop& s = p_.stops[v - 1];
      const double request = p_.capacity - (DepartureFuel(u) - fuel);
      // u is settled: its departure, and so the arrival at v, is final.
      const Timestamp arrival = AddHours(p_.departure, crit_[u].hours + c.hours);
      if (request > s.AvailableAt(arrival) + kFuelEps) {
        short_stock_.insert(v);
        return std::optional<Criteria>();
      }
      c.hours += p_.stop_hours;
      c.stops = 1;
      if (s.partner) {
        c.partner_stops = 1;
        c.cost = request * s.price_per_fuel_unit;
      }
    }
    return std::optional<Criteria>(c);
  }

  // Why the destination cannot be reached: the shortest leg to it from any
  // place the unit can get to, and what that leg lacks.
  Result<std::string> Explain(const std::vector<bool>& reached) {
    const int dest = n_ + 1;
    const Waypoint& to = WaypointOf(dest);
    int best_from = -1;
    double best_nm = std::numeric_limits<double>::infinity();
    for (int u = 0; u < dest; ++u) {
      if (!reached[u]) continue;
      ASSIGN_OR_RETURN(std::optional<LegPath> leg, LegOf(u, dest, std::numeric_limits<double>::infinity()));
      if (leg && leg->nm < best_nm) {
        best_nm = leg->nm;
        best_from = u;
      }
    }
    std::string stock;
    for (int s : short_stock_) stock += (stock.empty() ? "" : ", ") + Label(WaypointOf(s));
    if (!stock.empty()) stock = "; stops in range without enough stock to refill: " + stock;
    if (best_from < 0) {
      auto it = unroutable_.find({0, dest});
      return "no route to " + Label(to) + " from " + Label(WaypointOf(0)) +
             (it != unroutable_.end() ? " (" + it->second + ")" : std::string()) + stock;
    }
    const double usable = DepartureFuel(best_from) - Reserve();
    const double need = best_nm * p_.burn_per_nm;
    return "leg " + Label(WaypointOf(best_from)) + "–" + Label(to) + " (" + Fmt(best_nm) + " nm) exceeds range with no compatible stop: it needs " +
           Fmt(need) + " " + p_.fuel_unit + ", only " + Fmt(std::max(usable, 0.0)) + " " + p_.fuel_unit +
           " are usable above the reserve" + stock;
  }

  Result<Plan> Build(const std::vector<int>& order) {
    Plan plan;
    plan.feasible = true;
    plan.reserve = Reserve();
    plan.min_fuel = std::numeric_limits<double>::infinity();
    double hours = 0;
    for (size_t i = 0; i + 1 < order.size(); ++i) {
      const int u = order[i], v = order[i + 1];
      auto waited = wait_.find({u, v});
      const double wait = waited == wait_.end() ? 0 : waited->second;
      ASSIGN_OR_RETURN(std::optional<LegPath> leg, LegOf(u, v, std::numeric_limits<double>::infinity(), wait));
      if (!leg) return Internal("mission planner: a leg of the chosen plan has no path");
      PlanLeg l;
      l.from = WaypointOf(u);
      l.to = WaypointOf(v);
      l.distance_nm = leg->nm;
      l.path = leg->points;
      l.wait_hours = wait;
      hours += wait;
      l.depart = AddHours(p_.departure, hours);
      l.fuel_departure = DepartureFuel(u);
      l.fuel_used = leg->nm * p_.burn_per_nm;
      l.fuel_arrival = l.fuel_departure - l.fuel_used;
      hours += leg->nm / p_.speed_kn;
      l.arrive = AddHours(p_.departure, hours);
      plan.total_nm += leg->nm;
      plan.min_fuel = std::min(plan.min_fuel, l.fuel_arrival);
      if (v != n_ + 1) {
        PlanStop s;
        s.stop = p_.stops[v - 1];
        s.arrive = l.arrive;
        s.fuel_arrival = l.fuel_arrival;
        s.fuel_to_request = p_.capacity - l.fuel_arrival;
        hours += p_.stop_hours;
        s.depart = AddHours(p_.departure, hours);
        if (s.stop.partner) {
          s.cost = s.fuel_to_request * s.stop.price_per_fuel_unit;
          plan.cost += s.cost;
          ++plan.partner_stops;
        }
        plan.stops.push_back(std::move(s));
      }
      plan.legs.push_back(std::move(l));
    }
    plan.total_hours = hours;
    return plan;
  }

  const PlanningProblem& p_;
  const DistanceOracle& oracle_;
  const int n_;
  std::map<int, Waypoint> stop_waypoints_;
  std::map<std::tuple<int, int, double>, std::optional<LegPath>> legs_;  // (from, to, wait)
  std::map<std::pair<int, int>, double> wait_;  // the wait chosen for the leg
  std::map<std::pair<int, int>, std::string> unroutable_;
  std::set<int> short_stock_;
  std::vector<double> lower_nm_;  // (n + 2)^2, -1 until computed
  std::vector<Criteria> crit_;    // best criteria found per node; final once settled
  std::vector<double> most_available_;  // per stop, filled on first use
};

}  // namespace

double CandidateStop::AvailableAt(Timestamp t) const {
  auto after = std::upper_bound(fuel_from.begin(), fuel_from.end(), t,
                                [](Timestamp x, const std::pair<Timestamp, double>& e) { return x < e.first; });
  return after == fuel_from.begin() ? fuel_available : std::prev(after)->second;
}

Result<Objective> ParseObjective(std::string_view text) {
  for (Objective o : {Objective::kTime, Objective::kDistance, Objective::kPartnerStops, Objective::kCost})
    if (Name(o) == text) return o;
  return InvalidArgument("unknown objective '" + std::string(text) + "' (time, distance, partner-stops, cost)",
                         "objective");
}

std::string_view Name(Objective objective) {
  switch (objective) {
    case Objective::kTime: return "time";
    case Objective::kDistance: return "distance";
    case Objective::kPartnerStops: return "partner-stops";
    case Objective::kCost: return "cost";
  }
  return "?";
}

Result<Plan> PlanOverStops(const PlanningProblem& problem, const DistanceOracle& oracle) {
  RETURN_IF_ERROR(Validate(problem));
  return Search(problem, oracle).Run();
}

}  // namespace relos::mission

#include "relos/berth/heuristic.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <random>

namespace relos::berth {

namespace {

using Clock = std::chrono::steady_clock;

// The search state: the order of ships at each berth, with each ship's
// completion time under earliest-start timing cached per position so that a
// move is priced by replaying only the part of one berth that it changes.
class Search {
 public:
  Search(const Instance& in, uint64_t seed) : in_(in), rng_(seed) {
    const int n = in.num_ships();
    const int m = in.num_berths();
    int64_t weight_sum = 0;
    for (int64_t w : in.weight) weight_sum += w;
    // Finishing one time unit late can save at most one unit of delay for
    // every other ship, so this price makes lateness never worth it.
    penalty_ = weight_sum + 1;
    limit_.assign(n, std::vector<int64_t>(m, 0));
    usable_.assign(n, {});
    for (int i = 0; i < n; ++i) {
      for (int b = 0; b < m; ++b) {
        if (in.CanUse(i, b)) limit_[i][b] = std::min(in.berth_close[b], in.latest_departure[i]);
        if (in.Fits(i, b)) usable_[i].push_back(b);
      }
    }
    seq_.assign(m, {});
    completion_.assign(m, {});
    berth_cost_.assign(m, 0);
    berth_of_.assign(n, -1);
    pos_of_.assign(n, -1);
    active_.assign(n, 1);
  }

  bool EveryShipFitsSomewhere() const {
    return std::all_of(usable_.begin(), usable_.end(), [](const auto& u) { return !u.empty(); });
  }

  int64_t cost() const { return total_cost_; }

  // Replaces the state by the given orders (ships at each berth in sequence).
  void Load(const std::vector<std::vector<int>>& seq) {
    seq_ = seq;
    total_cost_ = 0;
    for (int b = 0; b < in_.num_berths(); ++b) {
      Refresh(b);
      total_cost_ += berth_cost_[b];
    }
  }

  // Returns to a local optimum seen before: nothing in it needs a look.
  void Restore(const std::vector<std::vector<int>>& seq) {
    Load(seq);
    std::fill(active_.begin(), active_.end(), 0);
  }

  const std::vector<std::vector<int>>& sequences() const { return seq_; }

  // Builds a start by inserting ships in order of arrival, each where it adds
  // least cost.
  void Greedy() {
    std::vector<int> order(in_.num_ships());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return in_.arrival[x] < in_.arrival[y]; });
    Load(std::vector<std::vector<int>>(in_.num_berths()));
    for (int i : order) InsertBest(i);
  }

  // Sequences from a schedule: ships at each berth ordered by start time.
  void LoadSchedule(const Schedule& schedule) {
    std::vector<std::vector<int>> seq(in_.num_berths());
    std::vector<int> order(in_.num_ships());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int x, int y) { return schedule.ships[x].start < schedule.ships[y].start; });
    for (int i : order) seq[schedule.ships[i].berth].push_back(i);
    Load(seq);
  }

  // The schedule with earliest-start timing, and whether it is feasible.
  Schedule Extract(bool* feasible) const {
    Schedule s;
    s.ships.resize(in_.num_ships());
    *feasible = true;
    for (int b = 0; b < in_.num_berths(); ++b) {
      for (size_t k = 0; k < seq_[b].size(); ++k) {
        const int i = seq_[b][k];
        s.ships[i] = {b, completion_[b][k] - in_.handling[i][b]};
        if (completion_[b][k] > limit_[i][b] || !in_.Fits(i, b)) *feasible = false;
      }
    }
    return s;
  }

  // Descent over relocate and swap moves, one ship at a time. Only ships
  // marked active are examined (don't-look bits): after a perturbation that
  // is the few berths it touched, which keeps an iteration cheap on large
  // instances; a ship becomes active again when its berth changes.
  void LocalSearch(Clock::time_point deadline) {
    std::vector<int> order;
    while (true) {
      order.clear();
      for (int i = 0; i < in_.num_ships(); ++i) {
        if (active_[i]) order.push_back(i);
      }
      if (order.empty()) return;
      std::shuffle(order.begin(), order.end(), rng_);
      for (int i : order) {
        if (!active_[i]) continue;
        active_[i] = 0;
        ImproveShip(i);
      }
      if (Clock::now() >= deadline) return;
    }
  }

  void ActivateAll() { std::fill(active_.begin(), active_.end(), 1); }

  // Ruin and recreate: removes ships whose starts lie close to a random ship's
  // (they compete for the same berth time), or random ships, and reinserts
  // each where it costs least.
  // With `count` 0 the ruin is small and of random size; a larger `count`
  // is a kick out of a stalled search.
  void Perturb(int count = 0) {
    const int n = in_.num_ships();
    if (n < 2) return;
    // Small ruins: on 200-250 ship instances removing at most 10 ships beat
    // removing up to 30 by about 1.5% at equal time (more iterations, and
    // reinsertion stays accurate).
    const int most = std::clamp(n / 8, 4, 10);
    count = std::min(n, count > 0 ? count : 2 + static_cast<int>(Uniform(most - 1)));
    std::vector<int> removed;
    if (Uniform(10) < 7) {
      const int pivot = static_cast<int>(Uniform(n));
      const int64_t t0 = StartOf(pivot);
      std::vector<std::pair<int64_t, int>> near;
      near.reserve(n);
      for (int i = 0; i < n; ++i) near.emplace_back(std::llabs(StartOf(i) - t0) + static_cast<int64_t>(Uniform(4)), i);
      std::partial_sort(near.begin(), near.begin() + count, near.end());
      for (int k = 0; k < count; ++k) removed.push_back(near[k].second);
    } else {
      std::vector<int> all(n);
      std::iota(all.begin(), all.end(), 0);
      std::shuffle(all.begin(), all.end(), rng_);
      removed.assign(all.begin(), all.begin() + count);
    }
    for (int i : removed) RemoveShip(i);
    if (Uniform(2) == 0) {
      std::sort(removed.begin(), removed.end(), [&](int x, int y) { return in_.arrival[x] < in_.arrival[y]; });
    } else {
      std::shuffle(removed.begin(), removed.end(), rng_);
    }
    for (int i : removed) InsertBest(i);
  }

  uint64_t Uniform(uint64_t bound) { return rng_() % bound; }

 private:
  int64_t ShipCost(int i, int b, int64_t end) const {
    const int64_t late = end - limit_[i][b];
    return in_.weight[i] * (end - in_.arrival[i]) + (late > 0 ? penalty_ * late : 0);
  }

  int64_t StartOf(int i) const {
    const int b = berth_of_[i];
    return completion_[b][pos_of_[i]] - in_.handling[i][b];
  }

  // Recomputes completions, positions and cost of berth b from its order.
  void Refresh(int b) {
    const auto& s = seq_[b];
    completion_[b].resize(s.size());
    int64_t t = in_.berth_open[b];
    int64_t cost = 0;
    for (size_t k = 0; k < s.size(); ++k) {
      const int i = s[k];
      t = std::max(t, in_.arrival[i]) + in_.handling[i][b];
      completion_[b][k] = t;
      cost += ShipCost(i, b, t);
      berth_of_[i] = b;
      pos_of_[i] = static_cast<int>(k);
      active_[i] = 1;
    }
    berth_cost_[b] = cost;
  }

  // Cost change at berth b if, at position p, the ship there is dropped
  // (`skip`) and/or `head` is placed first. Ships after p keep their order;
  // once one of them ends when it did before, so do all that follow.
  int64_t TailDelta(int b, int p, int head, bool skip) const {
    const auto& s = seq_[b];
    const auto& c = completion_[b];
    int64_t t = p == 0 ? in_.berth_open[b] : c[p - 1];
    int64_t delta = 0;
    if (skip) delta -= ShipCost(s[p], b, c[p]);
    if (head >= 0) {
      t = std::max(t, in_.arrival[head]) + in_.handling[head][b];
      delta += ShipCost(head, b, t);
    }
    for (size_t k = p + (skip ? 1 : 0); k < s.size(); ++k) {
      const int j = s[k];
      t = std::max(t, in_.arrival[j]) + in_.handling[j][b];
      if (t == c[k]) break;
      delta += ShipCost(j, b, t) - ShipCost(j, b, c[k]);
    }
    return delta;
  }

  int64_t SequenceCost(int b, const std::vector<int>& s) const {
    int64_t t = in_.berth_open[b];
    int64_t cost = 0;
    for (int i : s) {
      t = std::max(t, in_.arrival[i]) + in_.handling[i][b];
      cost += ShipCost(i, b, t);
    }
    return cost;
  }

  void RemoveShip(int i) {
    const int b = berth_of_[i];
    total_cost_ -= berth_cost_[b];
    seq_[b].erase(seq_[b].begin() + pos_of_[i]);
    berth_of_[i] = -1;
    Refresh(b);
    total_cost_ += berth_cost_[b];
  }

  void InsertAt(int i, int b, int p) {
    total_cost_ -= berth_cost_[b];
    seq_[b].insert(seq_[b].begin() + p, i);
    Refresh(b);
    total_cost_ += berth_cost_[b];
  }

  // Inserts an unplaced ship where it adds least cost (ties: earliest berth
  // and position, for determinism).
  void InsertBest(int i) {
    int64_t best = std::numeric_limits<int64_t>::max();
    int best_b = -1;
    int best_p = 0;
    const auto& berths = usable_[i].empty() ? AllUsable(i) : usable_[i];
    for (int b : berths) {
      for (int p = 0; p <= static_cast<int>(seq_[b].size()); ++p) {
        const int64_t d = TailDelta(b, p, i, false);
        if (d < best) {
          best = d;
          best_b = b;
          best_p = p;
        }
      }
    }
    RELOS_CHECK(best_b >= 0, "a ship with no usable berth reached the heuristic");
    InsertAt(i, best_b, best_p);
  }

  // Berths a ship can use at all, for ships that fit no window (the instance
  // is then infeasible, but the search still needs a place to put them).
  const std::vector<int>& AllUsable(int i) {
    scratch_berths_.clear();
    for (int b = 0; b < in_.num_berths(); ++b) {
      if (in_.CanUse(i, b)) scratch_berths_.push_back(b);
    }
    return scratch_berths_;
  }

  // Finds the best relocation or swap involving ship i; applies it if it
  // lowers the cost. Returns whether it did.
  bool ImproveShip(int i) {
    const int b0 = berth_of_[i];
    const int p0 = pos_of_[i];
    const int64_t removal = TailDelta(b0, p0, -1, true);
    int64_t best = 0;
    enum class Kind { kNone, kRelocate, kSwap, kReorder, kExchange } kind = Kind::kNone;
    int best_b = -1, best_p = -1, best_j = -1;

    for (int b : usable_[i]) {
      if (b == b0) continue;
      for (int p = 0; p <= static_cast<int>(seq_[b].size()); ++p) {
        const int64_t d = removal + TailDelta(b, p, i, false);
        if (d < best) {
          best = d;
          kind = Kind::kRelocate;
          best_b = b;
          best_p = p;
        }
      }
      // Swaps with ships at another berth that can take i's place.
      for (int q = 0; q < static_cast<int>(seq_[b].size()); ++q) {
        const int j = seq_[b][q];
        if (!in_.Fits(j, b0)) continue;
        const int64_t d = TailDelta(b0, p0, j, true) + TailDelta(b, q, i, true);
        if (d < best) {
          best = d;
          kind = Kind::kSwap;
          best_j = j;
        }
      }
    }
    // Reordering within the berth: move i to another position.
    const auto& own = seq_[b0];
    if (own.size() > 1) {
      const int64_t base = berth_cost_[b0];
      std::vector<int>& trial = scratch_seq_;
      for (int p = 0; p < static_cast<int>(own.size()); ++p) {
        if (p == p0) continue;
        trial = own;
        trial.erase(trial.begin() + p0);
        trial.insert(trial.begin() + p, i);
        const int64_t d = SequenceCost(b0, trial) - base;
        if (d < best) {
          best = d;
          kind = Kind::kReorder;
          best_p = p;
        }
        // Exchanging i with the ship at p reaches orders that two
        // single-ship moves would only reach through a worse one.
        trial = own;
        std::swap(trial[p0], trial[p]);
        const int64_t e = SequenceCost(b0, trial) - base;
        if (e < best) {
          best = e;
          kind = Kind::kExchange;
          best_p = p;
        }
      }
    }
    switch (kind) {
      case Kind::kNone:
        return false;
      case Kind::kRelocate:
        RemoveShip(i);
        InsertAt(i, best_b, best_p);
        return true;
      case Kind::kSwap: {
        const int b1 = berth_of_[best_j];
        const int q = pos_of_[best_j];
        total_cost_ -= berth_cost_[b0] + berth_cost_[b1];
        seq_[b0][p0] = best_j;
        seq_[b1][q] = i;
        Refresh(b0);
        Refresh(b1);
        total_cost_ += berth_cost_[b0] + berth_cost_[b1];
        return true;
      }
      case Kind::kReorder:
        RemoveShip(i);
        InsertAt(i, b0, best_p);
        return true;
      case Kind::kExchange:
        total_cost_ -= berth_cost_[b0];
        std::swap(seq_[b0][p0], seq_[b0][best_p]);
        Refresh(b0);
        total_cost_ += berth_cost_[b0];
        return true;
    }
    return false;
  }

  const Instance& in_;
  std::mt19937_64 rng_;
  int64_t penalty_ = 1;
  std::vector<std::vector<int64_t>> limit_;  // [ship][berth] end-by time
  std::vector<std::vector<int>> usable_;     // berths whose window fits the ship
  std::vector<std::vector<int>> seq_;
  std::vector<std::vector<int64_t>> completion_;
  std::vector<int64_t> berth_cost_;
  std::vector<int> berth_of_;
  std::vector<int> pos_of_;
  std::vector<char> active_;  // don't-look bits of the local search
  int64_t total_cost_ = 0;
  std::vector<int> scratch_berths_;
  std::vector<int> scratch_seq_;
};

}  // namespace

Result<HeuristicResult> RunIteratedLocalSearch(const Instance& in, const HeuristicOptions& options) {
  const auto start_time = Clock::now();
  const auto deadline = start_time + std::chrono::microseconds(
                                         static_cast<int64_t>(std::max(0.0, options.time_limit_seconds) * 1e6));
  Search search(in, options.seed);
  if (!search.EveryShipFitsSomewhere()) {
    return ResourceExhausted("a ship fits no berth window; no feasible schedule", "berth.no_schedule_in_time");
  }
  if (options.start) {
    search.LoadSchedule(*options.start);
  } else {
    search.Greedy();
  }
  search.LocalSearch(deadline);

  std::optional<HeuristicResult> best;
  auto consider = [&](int64_t iterations) {
    bool feasible = false;
    Schedule s = search.Extract(&feasible);
    if (!feasible) return;
    const int64_t objective = WeightedServiceTime(in, s);
    if (best && objective >= best->objective) return;
    best = HeuristicResult{std::move(s), objective, iterations};
    if (options.on_improvement) options.on_improvement(best->schedule, objective);
  };
  consider(0);

  // Late acceptance hill climbing: a perturbed local optimum is kept if it is
  // no worse than the current one or than the one kept `kHistory` steps ago,
  // which lets the search cross shallow ridges without a temperature to tune.
  constexpr int kHistory = 50;
  std::vector<int64_t> history(kHistory, search.cost());
  std::vector<std::vector<int>> current = search.sequences();
  int64_t current_cost = search.cost();
  std::vector<std::vector<int>> best_penalized = current;
  int64_t best_penalized_cost = current_cost;
  int64_t since_best = 0;
  int64_t iteration = 0;
  auto stopped = [&] { return options.stop != nullptr && options.stop->load(std::memory_order_relaxed); };
  while (Clock::now() < deadline && (options.max_iterations == 0 || iteration < options.max_iterations) &&
         !stopped()) {
    ++iteration;
    search.Perturb();
    search.LocalSearch(deadline);
    const int64_t cost = search.cost();
    const int slot = static_cast<int>(iteration % kHistory);
    if (cost <= current_cost || cost <= history[slot]) {
      current = search.sequences();
      current_cost = cost;
    } else {
      search.Restore(current);
    }
    history[slot] = current_cost;
    if (!best || current_cost < best->objective) consider(iteration);
    if (current_cost < best_penalized_cost) {
      best_penalized_cost = current_cost;
      best_penalized = current;
      since_best = 0;
    } else if (++since_best > 2000) {
      // A long stall: go back to the best state rather than drift further,
      // and rebuild half of it. Returning alone left 45-60 ship instances
      // stuck for seconds up to 1.2% above the best known (s60x13: 1509
      // against 1491 after 8 s with one seed); with the kick every seed of
      // four found 1491 in 3 s, and 200-250 ship instances were unchanged.
      search.Restore(best_penalized);
      search.Perturb(in.num_ships() / 2);
      search.LocalSearch(deadline);
      current = search.sequences();
      current_cost = search.cost();
      std::fill(history.begin(), history.end(), current_cost);
      since_best = 0;
    }
  }
  if (!best) {
    return ResourceExhausted("the heuristic found no feasible schedule within its limits",
                             "berth.no_schedule_in_time");
  }
  best->iterations = iteration;
  if (Status valid = ValidateSchedule(in, best->schedule); !valid.ok()) {
    return Internal("the heuristic built a schedule the validator refuses: " + valid.message(),
                    "berth.invalid_schedule");
  }
  return *std::move(best);
}

}  // namespace relos::berth

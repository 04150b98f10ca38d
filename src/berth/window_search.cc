#include "relos/berth/window_search.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <random>

#include "relos/berth/time_indexed_mip.h"

namespace relos::berth {

namespace {

using Clock = std::chrono::steady_clock;

int64_t EndOf(const Instance& in, const Schedule& s, int i) {
  return s.ships[i].start + in.handling[i][s.ships[i].berth];
}

bool InSet(const std::vector<char>& berths, int b) { return berths.empty() || berths[b] != 0; }

// The window that starts at `begin` and ends just after the `ships`-th
// earliest start among the ships (at `berths`) still in service at `begin`,
// so that about that many ships are free; it ends at the schedule's last
// departure if fewer remain.
int64_t WindowEnd(const Instance& in, const Schedule& s, int64_t begin, int ships, const std::vector<char>& berths) {
  std::vector<int64_t> starts;
  int64_t last_end = begin + 1;
  for (int i = 0; i < in.num_ships(); ++i) {
    const int64_t end = EndOf(in, s, i);
    if (end <= begin || !InSet(berths, s.ships[i].berth)) continue;
    starts.push_back(s.ships[i].start);
    last_end = std::max(last_end, end);
  }
  if (static_cast<int>(starts.size()) <= ships) return last_end;
  std::nth_element(starts.begin(), starts.begin() + (ships - 1), starts.end());
  return std::max(begin + 1, starts[ships - 1] + 1);
}

// What identifies a sub-instance: its ships, berths and berth gaps. If one was proved
// optimal at some cost and comes again no dearer, solving it again is waste.
std::vector<int64_t> WindowKey(const Window& w, const std::vector<char>& berths) {
  std::vector<int64_t> key(w.free_ships.begin(), w.free_ships.end());
  key.push_back(-1);
  key.insert(key.end(), berths.begin(), berths.end());
  key.insert(key.end(), w.sub.berth_open.begin(), w.sub.berth_open.end());
  key.insert(key.end(), w.sub.berth_close.begin(), w.sub.berth_close.end());
  key.insert(key.end(), w.sub.arrival.begin(), w.sub.arrival.end());
  key.insert(key.end(), w.sub.latest_departure.begin(), w.sub.latest_departure.end());
  return key;
}

}  // namespace

Window ExtractWindow(const Instance& in, const Schedule& schedule, int64_t begin, int64_t end,
                     const std::vector<char>& berths) {
  Window w;
  w.begin = begin;
  w.end = end;
  w.sub.berth_open = in.berth_open;
  w.sub.berth_close = in.berth_close;
  for (int i = 0; i < in.num_ships(); ++i) {
    const ShipAssignment& a = schedule.ships[i];
    const int64_t ship_end = EndOf(in, schedule, i);
    if (!InSet(berths, a.berth)) continue;
    if (a.start < end && ship_end > begin) {
      w.free_ships.push_back(i);
      continue;
    }
    // A fixed ship bounds the gap of its berth from below (it ends by
    // `begin`) or from above (it starts at `end` or later).
    if (ship_end <= begin) {
      w.sub.berth_open[a.berth] = std::max(w.sub.berth_open[a.berth], ship_end);
    } else {
      w.sub.berth_close[a.berth] = std::min(w.sub.berth_close[a.berth], a.start);
    }
  }
  for (int i : w.free_ships) {
    w.sub.arrival.push_back(in.arrival[i]);
    w.sub.handling.push_back(in.handling[i]);
    for (int b = 0; b < in.num_berths(); ++b) {
      if (!InSet(berths, b)) w.sub.handling.back()[b] = kForbiddenHandling;
    }
    w.sub.latest_departure.push_back(in.latest_departure[i]);
    w.sub.weight.push_back(in.weight[i]);
    w.sub_schedule.ships.push_back(schedule.ships[i]);
  }
  return w;
}

Schedule MergeWindow(const Schedule& schedule, const Window& window, const Schedule& sub_schedule) {
  Schedule merged = schedule;
  for (size_t k = 0; k < window.free_ships.size(); ++k) merged.ships[window.free_ships[k]] = sub_schedule.ships[k];
  return merged;
}

namespace {

// The search's state and its one step, solving a window.
class WindowSearch {
 public:
  WindowSearch(const Instance& in, const Schedule& start, const WindowSearchOptions& options)
      : in_(in), options_(options), rng_(options.seed) {
    deadline_ = Clock::now() + std::chrono::microseconds(
                                   static_cast<int64_t>(std::max(0.0, options.time_limit_seconds) * 1e6));
    result_.schedule = start;
    result_.objective = WeightedServiceTime(in, start);
    const int n = in.num_ships();
    target_ = std::clamp(options.window_ships, std::min(kMinWindowShips, n), std::max(kMinWindowShips, n));
  }

  Result<WindowSearchResult> Run() {
    // Rounds in a row that solved no window (each was proved before): after
    // kIdleRounds of them every window in reach is at its optimum.
    constexpr int kIdleRounds = 20;
    int idle_rounds = 0;
    bool improved = true;
    int64_t offset = 0;
    int sweep_windows = 0;  // windows of the last sweep
    for (int64_t round = 0; idle_rounds < kIdleRounds && Going(); ++round) {
      const int64_t windows_before = result_.windows;
      const int64_t improvements_before = result_.improvements;
      unproved_ = false;
      if (round % 2 == 0) {
        sweep_windows = 0;
        if (!improved) offset = static_cast<int64_t>(rng_() % static_cast<uint64_t>(std::max<int64_t>(1, Span() / 8)));
        RETURN_IF_ERROR(Sweep(offset, &sweep_windows));
      } else {
        for (int k = 0; k < std::max(sweep_windows, 8) && Going(); ++k) RETURN_IF_ERROR(AimedWindow());
      }
      improved = result_.improvements > improvements_before;
      // Every window of this size is at its optimum: larger ones reach
      // further.
      if (!improved && !unproved_) Grow(std::max(2, target_ / 4));
      idle_rounds = result_.windows == windows_before ? idle_rounds + 1 : 0;
    }
    return std::move(result_);
  }

 private:
  bool Going() const {
    return !Stopped() && SecondsLeft() > 0.6 &&
           (options_.max_windows == 0 || result_.windows < options_.max_windows);
  }
  bool Stopped() const { return options_.stop != nullptr && options_.stop->load(std::memory_order_relaxed); }
  double SecondsLeft() const { return std::chrono::duration<double>(deadline_ - Clock::now()).count(); }

  void Grow(int by) { target_ = std::min({target_ + by, kMaxWindowShips, in_.num_ships()}); }
  void Shrink(int by) { target_ = std::max(std::min(kMinWindowShips, in_.num_ships()), target_ - by); }

  int64_t SpanBegin() const {
    int64_t t = std::numeric_limits<int64_t>::max();
    for (const ShipAssignment& a : result_.schedule.ships) t = std::min(t, a.start);
    return t;
  }
  int64_t SpanEnd() const {
    int64_t t = std::numeric_limits<int64_t>::min();
    for (int i = 0; i < in_.num_ships(); ++i) t = std::max(t, EndOf(in_, result_.schedule, i));
    return t;
  }
  int64_t Span() const { return SpanEnd() - SpanBegin(); }

  // Windows over the whole span at every berth, each overlapping the last by
  // half.
  Status Sweep(int64_t offset, int* windows) {
    const int64_t span_end = SpanEnd();
    int64_t begin = SpanBegin() + offset;
    bool last = false;
    while (!last && Going()) {
      const int64_t end = WindowEnd(in_, result_.schedule, begin, target_, {});
      last = end >= span_end;
      RETURN_IF_ERROR(Solve(begin, end, {}));
      ++*windows;
      begin = std::max(begin + 1, begin + (end - begin) / 2);
    }
    return OkStatus();
  }

  // A window from the arrival of a ship that waits, drawn with odds by its
  // weighted wait, over half of the berths.
  Status AimedWindow() {
    const int n = in_.num_ships();
    const int m = in_.num_berths();
    std::vector<int64_t> odds(n);
    int64_t total = 0;
    for (int i = 0; i < n; ++i) {
      total += in_.weight[i] * (result_.schedule.ships[i].start - in_.arrival[i]) + 1;
      odds[i] = total;
    }
    const int64_t draw = static_cast<int64_t>(rng_() % static_cast<uint64_t>(total));
    const int ship = static_cast<int>(std::upper_bound(odds.begin(), odds.end(), draw) - odds.begin());
    std::vector<char> berths;
    if (m >= 4) {
      std::vector<int> order(m);
      for (int b = 0; b < m; ++b) order[b] = b;
      std::shuffle(order.begin(), order.end(), rng_);
      berths.assign(m, 0);
      berths[result_.schedule.ships[ship].berth] = 1;
      for (int k = 0; k < m / 2; ++k) berths[order[k]] = 1;
    }
    const int64_t begin = std::min(in_.arrival[ship], result_.schedule.ships[ship].start);
    return Solve(begin, WindowEnd(in_, result_.schedule, begin, target_, berths), berths);
  }

  // Solves one window, keeps a better sub-schedule, adapts the window size.
  Status Solve(int64_t begin, int64_t end, const std::vector<char>& berths) {
    if (options_.adopt) {
      if (std::optional<Schedule> better = options_.adopt(result_.objective)) {
        const int64_t objective = WeightedServiceTime(in_, *better);
        if (objective < result_.objective && ValidateSchedule(in_, *better).ok()) {
          result_.schedule = *std::move(better);
          result_.objective = objective;
        }
      }
    }
    Window w = ExtractWindow(in_, result_.schedule, begin, end, berths);
    if (w.free_ships.size() < 2) return OkStatus();
    const int64_t sub_objective = WeightedServiceTime(w.sub, w.sub_schedule);
    std::vector<int64_t> key = WindowKey(w, berths);
    if (auto it = proved_.find(key); it != proved_.end() && it->second >= sub_objective) return OkStatus();

    MipOptions mip;
    mip.incumbent = w.sub_schedule;
    mip.time_limit_seconds = std::min(options_.sub_time_limit_seconds, SecondsLeft() - 0.5);
    mip.max_columns = options_.sub_max_columns;
    if (options_.stop != nullptr) mip.abort_search = [this] { return Stopped(); };
    ASSIGN_OR_RETURN(MipOutcome outcome, SolveTimeIndexedMip(w.sub, mip));
    ++result_.windows;
    if (outcome.schedule && outcome.objective < sub_objective) {
      Schedule merged = MergeWindow(result_.schedule, w, *outcome.schedule);
      if (Status valid = ValidateSchedule(in_, merged); !valid.ok()) {
        return Internal("a window's sub-schedule merged back fails validation: " + valid.message(),
                        "berth.invalid_schedule");
      }
      result_.objective = WeightedServiceTime(in_, merged);
      result_.schedule = std::move(merged);
      ++result_.improvements;
      if (options_.on_improvement) options_.on_improvement(result_.schedule, result_.objective);
    }
    // The key names the sub-instance (ships and gaps), not the window's
    // times: the proof holds whenever the same sub-instance comes again.
    if (outcome.proven_optimal) {
      proved_[std::move(key)] = outcome.objective;
      Grow(2);
    } else {
      // Out of time or columns: the next windows are smaller.
      unproved_ = true;
      Shrink(2);
    }
    return OkStatus();
  }

  const Instance& in_;
  const WindowSearchOptions& options_;
  std::mt19937_64 rng_;
  Clock::time_point deadline_;
  WindowSearchResult result_;
  int target_ = 0;
  bool unproved_ = false;  // in this round
  std::map<std::vector<int64_t>, int64_t> proved_;  // window key -> proved optimal sub-objective
};

}  // namespace

Result<WindowSearchResult> RunWindowSearch(const Instance& in, const Schedule& start,
                                           const WindowSearchOptions& options) {
  return WindowSearch(in, start, options).Run();
}

}  // namespace relos::berth

#include "relos/berth/generator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace relos::berth {

namespace {

// Portable uniform draws: std::uniform_*_distribution differ between standard
// libraries, and instance files must not depend on which one built the tool.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  int64_t Int(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(engine_() % static_cast<uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

Instance GenerateInstance(const GeneratorParams& p) {
  RELOS_CHECK(p.ships >= 1 && p.berths >= 1, "generator needs ships and berths");
  RELOS_CHECK(p.min_handling >= 1 && p.min_handling <= p.max_handling, "bad handling range");
  RELOS_CHECK(p.load > 0, "load must be positive");
  Rng rng(p.seed);
  const int n = p.ships;
  const int m = p.berths;
  Instance in;
  const double mean_h = 0.5 * static_cast<double>(p.min_handling + p.max_handling);
  const auto window = static_cast<int64_t>(std::ceil(n * mean_h / (m * p.load)));

  in.berth_open.resize(m);
  for (int b = 0; b < m; ++b) in.berth_open[b] = rng.Int(0, std::max<int64_t>(1, window / 10));
  in.arrival.resize(n);
  for (int i = 0; i < n; ++i) in.arrival[i] = rng.Int(0, window);
  in.handling.assign(n, std::vector<int64_t>(m, kForbiddenHandling));
  for (int i = 0; i < n; ++i) {
    const int64_t base = rng.Int(p.min_handling, p.max_handling);
    const int keep = static_cast<int>(rng.Int(0, m - 1));  // every ship keeps this berth
    for (int b = 0; b < m; ++b) {
      if (b != keep && rng.Unit() < p.forbidden_share) continue;
      const double factor = 1.0 + p.berth_variation * (2.0 * rng.Unit() - 1.0);
      in.handling[i][b] = std::max<int64_t>(1, std::llround(static_cast<double>(base) * factor));
    }
  }
  in.weight.assign(n, 1);
  if (p.weighted) {
    for (int i = 0; i < n; ++i) in.weight[i] = rng.Int(1, 3);
  }

  // Deadlines and closing times are set from a list schedule (arrival order,
  // earliest completion) so that every generated instance is feasible, with
  // random slack on top so that they still bind for some ships.
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return in.arrival[x] < in.arrival[y]; });
  std::vector<int64_t> free_at = in.berth_open;
  std::vector<int64_t> done(n, 0);
  for (int i : order) {
    int best = -1;
    int64_t best_end = 0;
    for (int b = 0; b < m; ++b) {
      if (in.handling[i][b] >= kForbiddenHandling) continue;
      const int64_t end = std::max(free_at[b], in.arrival[i]) + in.handling[i][b];
      if (best < 0 || end < best_end) {
        best = b;
        best_end = end;
      }
    }
    free_at[best] = best_end;
    done[i] = best_end;
  }
  const int64_t last_done = *std::max_element(done.begin(), done.end());
  in.berth_close.resize(m);
  for (int b = 0; b < m; ++b) in.berth_close[b] = std::max(free_at[b], last_done + rng.Int(0, p.max_handling));
  in.latest_departure.resize(n);
  for (int i = 0; i < n; ++i) {
    in.latest_departure[i] = std::max(done[i], in.arrival[i] + rng.Int(2, 6) * p.max_handling);
  }
  RELOS_CHECK(ValidateInstance(in).ok(), "generator built an invalid instance");
  return in;
}

}  // namespace relos::berth

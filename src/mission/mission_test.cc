#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <random>

#include "relos/codec/registry_file.h"
#include "relos/mission/distance.h"
#include "relos/mission/leg_table.h"
#include "relos/mission/planner.h"
#include "relos/sealanes/anchor_cache.h"
#include "relos/sealanes/network.h"
#include "relos/sealanes/route.h"

namespace relos::mission {
namespace {

// Synthetic instances: node i sits at latitude i / 100 (a tag, not a place);
// distances come from a matrix, with missing entries meaning "no route", and
// optionally a matrix of lower bounds (for the planner's A* pruning).
class MatrixOracle final : public DistanceOracle {
 public:
  explicit MatrixOracle(std::vector<std::vector<double>> nm, std::vector<std::vector<double>> lower = {})
      : nm_(std::move(nm)), lower_(std::move(lower)) {}
  static GeoPosition At(int i) { return GeoPosition{i / 100.0, 0}; }
  Result<LegPath> Leg(GeoPosition a, GeoPosition b, const LegTiming& /*when*/) const override {
    const int i = Index(a), j = Index(b);
    if (nm_[i][j] < 0) return NotFound("no route");
    return LegPath{nm_[i][j], {a, b}};
  }
  double LowerBoundNm(GeoPosition a, GeoPosition b) const override {
    return lower_.empty() ? 0 : lower_[Index(a)][Index(b)];
  }

 private:
  static int Index(GeoPosition p) { return static_cast<int>(std::lround(p.lat * 100)); }
  std::vector<std::vector<double>> nm_;
  std::vector<std::vector<double>> lower_;
};

struct Instance {
  PlanningProblem problem;
  std::vector<std::vector<double>> nm;     // node 0 origin, 1..n stops, n+1 destination
  std::vector<std::vector<double>> lower;  // straight-line distances, <= nm
};

Instance RandomInstance(std::mt19937_64& rng, int max_stops) {
  std::uniform_real_distribution<double> u(0, 1);
  Instance in;
  const int n = static_cast<int>(rng() % (max_stops + 1));
  std::vector<std::pair<double, double>> xy(n + 2);
  for (auto& p : xy) p = {u(rng) * 1000, u(rng) * 300};
  xy[0].first = 0;
  xy[n + 1].first = 1000;
  in.nm.assign(n + 2, std::vector<double>(n + 2, 0));
  in.lower.assign(n + 2, std::vector<double>(n + 2, 0));
  for (int i = 0; i < n + 2; ++i)
    for (int j = 0; j < n + 2; ++j) {
      if (i == j) continue;
      const double d = std::hypot(xy[i].first - xy[j].first, xy[i].second - xy[j].second);
      in.nm[i][j] = u(rng) < 0.1 ? -1 : d * (1 + 0.3 * u(rng));  // detours, some legs blocked
      in.lower[i][j] = d;
    }
  PlanningProblem& p = in.problem;
  p.origin = {"", "origin", MatrixOracle::At(0)};
  p.destination = {"", "destination", MatrixOracle::At(n + 1)};
  for (int i = 1; i <= n; ++i) {
    CandidateStop s;
    s.code = "S" + std::to_string(i);
    s.name = s.code;
    s.position = MatrixOracle::At(i);
    s.partner = u(rng) < 0.5;
    s.fuel_available = u(rng) < 0.2 ? u(rng) * 60 : 1000;
    s.price_per_fuel_unit = s.partner ? 50 + 100 * u(rng) : 0;
    p.stops.push_back(s);
  }
  p.capacity = 100;
  p.initial_fuel = u(rng) < 0.3 ? 60 + 40 * u(rng) : 100;
  p.reserve_fraction = 0.1 + 0.2 * u(rng);
  p.burn_per_nm = 0.07 + 0.12 * u(rng);
  p.speed_kn = 10 + 10 * u(rng);
  p.stop_hours = 24 * u(rng);
  p.departure = Timestamp(1767225600);
  return in;
}

struct Eval {
  bool feasible = false;
  double hours = 0, nm = 0, partner = 0, cost = 0;
};

// Independent of the planner: sails the given stop sequence and checks it.
Eval Evaluate(const Instance& in, const std::vector<int>& stops) {
  const PlanningProblem& p = in.problem;
  Eval e;
  double fuel = p.initial_fuel;
  int at = 0;
  std::vector<int> seq = stops;
  seq.push_back(static_cast<int>(p.stops.size()) + 1);
  for (int v : seq) {
    const double d = in.nm[at][v];
    if (d < 0) return e;
    fuel -= d * p.burn_per_nm;
    if (fuel < p.reserve_fraction * p.capacity - 1e-9) return e;
    e.nm += d;
    e.hours += d / p.speed_kn;
    if (v <= static_cast<int>(p.stops.size())) {
      const CandidateStop& s = p.stops[v - 1];
      const double request = p.capacity - fuel;
      if (request > s.fuel_available + 1e-9) return e;
      e.hours += p.stop_hours;
      if (s.partner) {
        e.partner += 1;
        e.cost += request * s.price_per_fuel_unit;
      }
      fuel = p.capacity;
    }
    at = v;
  }
  e.feasible = true;
  return e;
}

double Primary(const Eval& e, Objective o) {
  switch (o) {
    case Objective::kTime: return e.hours;
    case Objective::kDistance: return e.nm;
    case Objective::kPartnerStops: return e.partner;
    case Objective::kCost: return e.cost;
  }
  return 0;
}

// Every ordered subset of the stops (no revisits: refuelling to full makes a
// cycle useless).
void Enumerate(int n, std::vector<int>& seq, std::vector<bool>& used, const std::function<void()>& visit) {
  visit();
  for (int i = 1; i <= n; ++i) {
    if (used[i]) continue;
    used[i] = true;
    seq.push_back(i);
    Enumerate(n, seq, used, visit);
    seq.pop_back();
    used[i] = false;
  }
}

std::optional<Eval> BestByExhaustion(const Instance& in, Objective o) {
  std::optional<Eval> best;
  const int n = static_cast<int>(in.problem.stops.size());
  std::vector<int> seq;
  std::vector<bool> used(n + 1, false);
  Enumerate(n, seq, used, [&] {
    Eval e = Evaluate(in, seq);
    if (e.feasible && (!best || Primary(e, o) < Primary(*best, o))) best = e;
  });
  return best;
}

std::vector<int> StopIndices(const Plan& plan) {
  std::vector<int> out;
  for (const PlanStop& s : plan.stops) out.push_back(std::stoi(s.stop.code.substr(1)));
  return out;
}

TEST(MissionPlanner, FuelNeverBelowReserveOnRandomMissions) {
  std::mt19937_64 rng(20260507);
  int feasible = 0, infeasible = 0;
  for (int trial = 0; trial < 600; ++trial) {
    Instance in = RandomInstance(rng, 7);
    in.problem.objective = static_cast<Objective>(trial % 4);
    MatrixOracle oracle(in.nm);
    Result<Plan> plan = PlanOverStops(in.problem, oracle);
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    if (!plan->feasible) {
      ++infeasible;
      EXPECT_FALSE(plan->infeasible_reason.empty());
      EXPECT_TRUE(plan->legs.empty());
      continue;
    }
    ++feasible;
    const double reserve = in.problem.reserve_fraction * in.problem.capacity;
    ASSERT_EQ(plan->legs.size(), plan->stops.size() + 1);
    double fuel = in.problem.initial_fuel;
    for (size_t i = 0; i < plan->legs.size(); ++i) {
      const PlanLeg& leg = plan->legs[i];
      EXPECT_NEAR(leg.fuel_departure, fuel, 1e-9) << "trial " << trial;
      EXPECT_NEAR(leg.fuel_arrival, leg.fuel_departure - leg.distance_nm * in.problem.burn_per_nm, 1e-9);
      EXPECT_GE(leg.fuel_arrival, reserve - 1e-9) << "trial " << trial << " leg " << i;
      EXPECT_LE(leg.arrive, i < plan->stops.size() ? plan->stops[i].depart : leg.arrive);
      if (i < plan->stops.size()) {
        const PlanStop& s = plan->stops[i];
        EXPECT_LE(s.fuel_to_request, s.stop.fuel_available + 1e-9);
        EXPECT_NEAR(s.fuel_arrival + s.fuel_to_request, in.problem.capacity, 1e-9);
        fuel = in.problem.capacity;
      }
    }
    EXPECT_GE(plan->min_fuel, reserve - 1e-9);
    const Eval e = Evaluate(in, StopIndices(*plan));
    EXPECT_TRUE(e.feasible) << "trial " << trial;
    EXPECT_NEAR(e.nm, plan->total_nm, 1e-6);
    EXPECT_NEAR(e.hours, plan->total_hours, 1e-6);
  }
  // The generator must exercise both outcomes.
  EXPECT_GT(feasible, 100);
  EXPECT_GT(infeasible, 30);
}

TEST(MissionPlanner, ExhaustiveSearchFindsNoBetterPlan) {
  std::mt19937_64 rng(7);
  int compared = 0;
  for (int trial = 0; trial < 400; ++trial) {
    Instance in = RandomInstance(rng, 5);
    for (Objective o : {Objective::kTime, Objective::kDistance, Objective::kPartnerStops, Objective::kCost}) {
      in.problem.objective = o;
      const std::optional<Eval> best = BestByExhaustion(in, o);
      // Without lower bounds (plain Dijkstra) and with them (A* pruning and
      // legs routed only when needed): the same optimum either way.
      for (bool bounded : {false, true}) {
        MatrixOracle oracle(in.nm, bounded ? in.lower : std::vector<std::vector<double>>{});
        Result<Plan> plan = PlanOverStops(in.problem, oracle);
        ASSERT_TRUE(plan.ok()) << plan.status().message();
        ASSERT_EQ(best.has_value(), plan->feasible) << "trial " << trial << " objective " << Name(o) << " bounded " << bounded;
        if (!best) continue;
        const Eval mine = Evaluate(in, StopIndices(*plan));
        ASSERT_TRUE(mine.feasible);
        EXPECT_LE(Primary(mine, o), Primary(*best, o) + 1e-6)
            << "trial " << trial << " objective " << Name(o) << " bounded " << bounded;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 1000);  // of 3200 (the rest are infeasible, also checked)
}

PlanningProblem TwoPorts() {
  PlanningProblem p;
  p.origin = {"RU-VLD", "Vladivostok", MatrixOracle::At(0)};
  p.destination = {"RU-PTR", "Petropavlovsk", MatrixOracle::At(1)};
  p.capacity = 500;
  p.initial_fuel = 500;
  p.reserve_fraction = 0.2;
  p.burn_per_nm = 0.25;  // 1600 nm above the reserve
  p.speed_kn = 16;
  p.departure = Timestamp(1767225600);
  return p;
}

TEST(MissionPlanner, InfeasibleLegNamesTheLegAndTheShortfall) {
  PlanningProblem p = TwoPorts();
  MatrixOracle oracle({{0, 2000}, {2000, 0}});
  Result<Plan> plan = PlanOverStops(p, oracle);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->feasible);
  EXPECT_EQ(plan->infeasible_reason,
            "leg Vladivostok–Petropavlovsk (2000.0 nm) exceeds range with no compatible stop: it needs 500.0 tonne, "
            "only 400.0 tonne are usable above the reserve");
}

TEST(MissionPlanner, InfeasibleNamesStopsShortOfStock) {
  PlanningProblem p = TwoPorts();
  p.destination.position = MatrixOracle::At(2);
  p.stops.push_back({"RU-KOR", "Korsakov", MatrixOracle::At(1), true, 100, "DL", 1000});
  MatrixOracle oracle({{0, 1000, 2000}, {1000, 0, 1000}, {2000, 1000, 0}});
  Result<Plan> plan = PlanOverStops(p, oracle);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->feasible);
  EXPECT_NE(plan->infeasible_reason.find("stops in range without enough stock to refill: Korsakov"), std::string::npos)
      << plan->infeasible_reason;
  // With the stock, the stop makes the voyage: 250 t burnt, 250 t asked.
  p.stops[0].fuel_available = 250;
  plan = PlanOverStops(p, oracle);
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->feasible) << plan->infeasible_reason;
  ASSERT_EQ(plan->stops.size(), 1u);
  EXPECT_DOUBLE_EQ(plan->stops[0].fuel_to_request, 250);
  EXPECT_DOUBLE_EQ(plan->cost, 250 * 1000);
  EXPECT_EQ(plan->legs[1].arrive.unix_seconds() - p.departure.unix_seconds(), (2000 / 16 + 12) * 3600);
}

TEST(MissionPlanner, NoRouteIsReported) {
  PlanningProblem p = TwoPorts();
  MatrixOracle oracle({{0, -1}, {-1, 0}});
  Result<Plan> plan = PlanOverStops(p, oracle);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->feasible);
  EXPECT_EQ(plan->infeasible_reason, "no route to Petropavlovsk from Vladivostok (no route)");
}

TEST(MissionPlanner, BadInputIsInvalidArgument) {
  MatrixOracle oracle({{0, 1}, {1, 0}});
  PlanningProblem p = TwoPorts();
  p.reserve_fraction = 1;
  EXPECT_EQ(PlanOverStops(p, oracle).status().code(), StatusCode::kInvalidArgument);
  p = TwoPorts();
  p.speed_kn = 0;
  EXPECT_EQ(PlanOverStops(p, oracle).status().code(), StatusCode::kInvalidArgument);
  p = TwoPorts();
  p.initial_fuel = 600;
  EXPECT_EQ(PlanOverStops(p, oracle).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseObjective("fastest").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*ParseObjective("partner-stops"), Objective::kPartnerStops);
}

TEST(MissionDistance, GeodesicLowerBoundIsBelowTheGeodesicAndClose) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> lat(-89, 89), lon(-180, 180), near(-2, 2);
  for (int i = 0; i < 20000; ++i) {
    const GeoPosition a{lat(rng), lon(rng)};
    // Half the pairs short, north-south hops near the equator among them,
    // where the meridian's curvature radius is least.
    const GeoPosition b = i % 2 ? GeoPosition{lat(rng), lon(rng)}
                                : GeoPosition{std::clamp(a.lat / 20 + near(rng), -89.0, 89.0), a.lon + near(rng) / 50};
    const double exact = GeodesicNm(a, b), bound = GeodesicLowerBoundNm(a, b);
    ASSERT_LE(bound, exact * (1 + 1e-12) + 1e-9) << a.ToString() << " " << b.ToString();
    ASSERT_GE(bound, exact * 0.985) << a.ToString() << " " << b.ToString();
  }
}

registry::RegistryData DemoRegistry() {
  const char* src = std::getenv("RELOS_SOURCE_DIR");
  Result<registry::RegistryData> r =
      codec::ReadRegistryFile(std::string(src ? src : ".") + "/data/demo/registry.yaml");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : registry::RegistryData{};
}

MissionRequest DemoRequest(const std::string& unit, const std::string& from, const std::string& to) {
  MissionRequest req;
  req.unit = unit;
  req.from_facility = from;
  req.to_facility = to;
  req.departure = *Timestamp::Parse("2026-06-01T00:00:00Z");
  return req;
}

TEST(MissionPlannerDemo, AircraftFerryFlightOverGeodesicLegs) {
  const registry::RegistryData reg = DemoRegistry();
  MissionRequest req = DemoRequest("IN-P8I-312", "IN-RAJALI", "RU-YEL");
  req.stop_hours = 3;
  req.reserve_fraction = 0.1;  // 3645 nm usable at 440 kn: Arakkonam–Knevichi (3215 nm) then Yelizovo
  GeodesicOracle oracle;
  Result<MissionPlan> mp = PlanMission(reg, req, oracle);
  ASSERT_TRUE(mp.ok()) << mp.status().message();
  ASSERT_TRUE(mp->plan.feasible) << mp->plan.infeasible_reason;
  EXPECT_EQ(mp->agreement, "RELOS-IN-RU");
  EXPECT_EQ(mp->fuel_unit, "kg");
  EXPECT_GE(mp->plan.stops.size(), 1u);
  EXPECT_GE(mp->plan.min_fuel, 0.1 * 30000 - 1e-6);
  for (const auto& e : mp->excluded) {
    if (e.facility == "IN-MUM") {
      EXPECT_EQ(e.reason, "not an airbase");
    }
  }
  Result<std::vector<orders::CreateOrderRequest>> drafts = DraftOrders(reg, req, *mp);
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  EXPECT_EQ(static_cast<int>(drafts->size()), mp->plan.partner_stops);
  for (const auto& o : *drafts) {
    ASSERT_EQ(o.lines.size(), 1u);  // aircraft: no berth
    EXPECT_EQ(o.lines[0].quantity.unit(), UnitOfMeasure::kTonne);
    EXPECT_EQ(o.purpose, registry::Purpose::kTransit);
  }
}

TEST(MissionPlannerDemo, FrigateTooFastWithoutStopsIsExplained) {
  const registry::RegistryData reg = DemoRegistry();
  MissionRequest req = DemoRequest("IN-INS-TABAR", "IN-MUM", "RU-VLD");
  req.speed_kn = 31;
  GeodesicOracle oracle;
  EXPECT_EQ(PlanMission(reg, req, oracle).status().code(), StatusCode::kInvalidArgument);  // above max speed
  req.speed_kn = 14;
  req.departure = *Timestamp::Parse("2025-01-01T00:00:00Z");  // before the agreement
  Result<MissionPlan> mp = PlanMission(reg, req, oracle);
  ASSERT_TRUE(mp.ok()) << mp.status().message();
  EXPECT_TRUE(mp->agreement.empty());
  for (const auto& e : mp->excluded) {
    if (e.facility.starts_with("RU-")) {
      EXPECT_NE(e.reason.find("no agreement binding IN is in force"), std::string::npos) << e.facility;
    }
  }
  req.unit = "NO-SUCH";
  EXPECT_EQ(PlanMission(reg, req, oracle).status().code(), StatusCode::kNotFound);
}

// Fuel already promised to approved orders is not planned: the first stop
// of the ferry flight loses it to an issue due after the aircraft would
// land there, and a delivery planned before that issue gives it back.
TEST(MissionPlannerDemo, StopWhoseFuelIsPromisedToOthersIsNotPlanned) {
  const registry::RegistryData reg = DemoRegistry();
  MissionRequest req = DemoRequest("IN-P8I-312", "IN-RAJALI", "RU-YEL");
  req.stop_hours = 3;
  req.reserve_fraction = 0.1;
  GeodesicOracle oracle;
  Result<MissionPlan> free = PlanMission(reg, req, oracle);
  ASSERT_TRUE(free.ok() && free->plan.feasible);
  ASSERT_FALSE(free->plan.stops.empty());
  const PlanStop first = free->plan.stops[0];
  const registry::Facility* facility = nullptr;
  for (const auto& f : reg.facilities)
    if (f.code == first.stop.code) facility = &f;
  ASSERT_NE(facility, nullptr);
  const registry::FuelStock* stock = facility->FindFuel(first.stop.supplied_grade);
  ASSERT_NE(stock, nullptr);
  const int64_t on_hand = stock->on_hand.milli();

  // On hand now; two days after the aircraft would arrive, an approved
  // issue takes all but one unit of it.
  const Timestamp now = req.departure.PlusSeconds(-10 * 86400);
  std::vector<capacity::StockPoint> promised{{now, on_hand, on_hand, "on hand"},
                                             {first.arrive.PlusSeconds(2 * 86400), -(on_hand - 1000), 1000, "order O-1 line 1"}};
  FuelProjections fuel{{{facility->code, stock->grade}, promised}};
  Result<MissionPlan> mp = PlanMission(reg, req, oracle, &fuel);
  ASSERT_TRUE(mp.ok()) << mp.status().message();
  if (mp->plan.feasible) {
    for (const PlanStop& s : mp->plan.stops) EXPECT_NE(s.stop.code, facility->code);
  } else {
    EXPECT_NE(mp->plan.infeasible_reason.find("without enough stock to refill: "), std::string::npos)
        << mp->plan.infeasible_reason;
  }

  // A tanker the day before the aircraft arrives covers that issue.
  std::vector<capacity::StockPoint> replenished{promised[0],
                                                {first.arrive.PlusSeconds(-86400), on_hand, 2 * on_hand, "replenishment R-1"},
                                                {promised[1].at, promised[1].change, on_hand + 1000, promised[1].what}};
  fuel = {{{facility->code, stock->grade}, replenished}};
  mp = PlanMission(reg, req, oracle, &fuel);
  ASSERT_TRUE(mp.ok() && mp->plan.feasible);
  ASSERT_FALSE(mp->plan.stops.empty());
  EXPECT_EQ(mp->plan.stops[0].stop.code, facility->code);
  EXPECT_DOUBLE_EQ(mp->plan.total_nm, free->plan.total_nm);
}

// The built sea-lane network ($RELOS_SEALANES, else next to the relos
// binary), or "" when there is none to test with.
std::string SeaLanesPath() {
  std::string path;
  if (const char* env = std::getenv("RELOS_SEALANES")) path = env;
  if (path.empty())
    if (const char* bin = std::getenv("RELOS_BINARY_DIR")) path = std::string(bin) + "/src/cli/sealanes.bin";
  return !path.empty() && std::filesystem::exists(path) ? path : "";
}

// The network at SeaLanesPath(), or null when there is none.
std::shared_ptr<const sealanes::SeaLaneNetwork> TestNetwork() {
  const std::string path = SeaLanesPath();
  if (path.empty()) return nullptr;
  Result<std::shared_ptr<const sealanes::SeaLaneNetwork>> net = sealanes::SeaLaneNetwork::Load(path);
  EXPECT_TRUE(net.ok()) << net.status().message();
  return net.ok() ? *net : nullptr;
}

// A ship of 6 m draught and 20 m beam on the sea lanes (skipped without a
// network), for voyages through the Northern Sea Route.
class ArcticVoyage : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = TestNetwork();
    if (!net_) GTEST_SKIP() << "no sea-lane network (run scripts/build-data.sh)";
    router_ = std::make_unique<sealanes::RoutePlanner>(*net_, clock_);
    oracle_ = std::make_unique<SeaLaneOracle>(*router_, 6.0, 20.0);
  }
  std::shared_ptr<const sealanes::SeaLaneNetwork> net_;
  FakeClock clock_{*Timestamp::Parse("2026-01-01T00:00:00Z")};
  std::unique_ptr<sealanes::RoutePlanner> router_;
  std::unique_ptr<SeaLaneOracle> oracle_;
};

// Each leg is routed for the time the unit starts it: a leg from a stop that
// would reach the Northern Sea Route after it closes goes the long way.
TEST_F(ArcticVoyage, SeasonalPassageIsJudgedWhenTheLegStarts) {
  PlanningProblem p;
  p.origin = {"", "Bergen", {60.4, 5.31667}};
  p.destination = {"", "Petropavlovsk-Kamchatsky", {53.0, 158.63333}};
  p.stops = {CandidateStop{"MUR", "Murmansk", {68.975, 33.05}, false, 1e6, "F-76", 0}};
  // Fuel for Bergen to Murmansk only, then a stop that fills a tank good for
  // any way round.
  p.capacity = 10000;
  p.reserve_fraction = 0.2;
  p.burn_per_nm = 0.1;
  p.initial_fuel = 2000 + 0.1 * 1300;
  p.speed_kn = 10;
  p.stop_hours = 12;
  auto second_leg_nm = [&](const char* departure) {
    p.departure = *Timestamp::Parse(departure);
    Result<Plan> plan = PlanOverStops(p, *oracle_);
    EXPECT_TRUE(plan.ok() && plan->feasible) << departure;
    if (!plan.ok() || plan->legs.size() != 2) return 0.0;
    EXPECT_EQ(plan->stops[0].stop.code, "MUR");
    return plan->legs[1].distance_nm;
  };
  // August: through the Northern Sea Route, about 4,000 nm.
  const double summer = second_leg_nm("2026-08-01T00:00:00Z");
  EXPECT_LT(summer, 5500);
  // Leaving Bergen on 1 November (the route still open that day), the ship
  // leaves Murmansk about 5 November and would be in the NSR past its
  // 15 November close: the leg goes round by the south, three times longer.
  const double late = second_leg_nm("2026-11-01T00:00:00Z");
  EXPECT_GT(late, 2.5 * summer);
}

TEST(LegCacheTest, KeepsToItsBoundOldestOut) {
  LegCache cache(3);
  auto key = [](int i) { return LegCache::Key{0, 0, 1, double(i), -1, -1, 1750000000, 12}; };
  for (int i = 0; i < 5; ++i) cache.Insert(key(i), LegPath{100.0 + i, {{0, 0}, {1, double(i)}}});
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.Find(key(0)).has_value());
  EXPECT_FALSE(cache.Find(key(1)).has_value());
  for (int i = 2; i < 5; ++i) {
    std::optional<Result<LegPath>> kept = cache.Find(key(i));
    ASSERT_TRUE(kept.has_value() && kept->ok());
    EXPECT_EQ((*kept)->nm, 100.0 + i);
  }
  // Inserting a leg already kept changes nothing.
  cache.Insert(key(2), LegPath{1.0, {}});
  EXPECT_EQ((*cache.Find(key(2)))->nm, 102.0);
  EXPECT_EQ(cache.size(), 3u);
}

// The demo frigate from Mumbai to Vladivostok at 14 kn over the demo registry.
class DemoFrigateBySeaLanes : public ::testing::Test {
 protected:
  void SetUp() override {
    net = TestNetwork();
    if (!net) GTEST_SKIP() << "no sea-lane network (run scripts/build-data.sh)";
    router = std::make_unique<sealanes::RoutePlanner>(*net, clock);
    req.speed_kn = 14;
  }
  std::shared_ptr<const sealanes::SeaLaneNetwork> net;
  FakeClock clock{*Timestamp::Parse("2026-06-01T00:00:00Z")};
  std::unique_ptr<sealanes::RoutePlanner> router;
  const registry::RegistryData reg = DemoRegistry();
  MissionRequest req = DemoRequest("IN-INS-TABAR", "IN-MUM", "RU-VLD");
};

TEST_F(DemoFrigateBySeaLanes, MumbaiToVladivostok) {
  req.objective = Objective::kTime;
  SeaLaneOracle oracle(*router, 4.5, 15.2);
  // With a fifth in reserve the last leg, Port Blair to Vladivostok, is
  // beyond the frigate's range and the demo registry has no stop between.
  Result<MissionPlan> mp = PlanMission(reg, req, oracle);
  ASSERT_TRUE(mp.ok()) << mp.status().message();
  ASSERT_FALSE(mp->plan.feasible);
  EXPECT_TRUE(mp->plan.infeasible_reason.starts_with("leg Port Blair")) << mp->plan.infeasible_reason;
  EXPECT_NE(mp->plan.infeasible_reason.find("exceeds range with no compatible stop"), std::string::npos);
  req.reserve_fraction = 0.15;
  mp = PlanMission(reg, req, oracle);
  ASSERT_TRUE(mp.ok()) << mp.status().message();
  ASSERT_TRUE(mp->plan.feasible) << mp->plan.infeasible_reason;
  EXPECT_GT(mp->plan.total_nm, 4500);
  EXPECT_GE(mp->plan.stops.size(), 1u);
  EXPECT_GE(mp->plan.min_fuel, 0.15 * 550 - 1e-6);
  Result<std::vector<orders::CreateOrderRequest>> drafts = DraftOrders(reg, req, *mp);
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  for (const auto& o : *drafts) {
    ASSERT_EQ(o.lines.size(), 2u);
    EXPECT_EQ(o.lines[1].item, "BERTH-DAY");
  }

  // Through a shared leg cache: the same plan, and a second plan (another
  // objective) routes no leg the first one did not.
  LegCache cache;
  SeaLaneOracle cached(*router, 4.5, 15.2, &cache);
  Result<MissionPlan> first = PlanMission(reg, req, cached);
  ASSERT_TRUE(first.ok() && first->plan.feasible);
  EXPECT_DOUBLE_EQ(first->plan.total_nm, mp->plan.total_nm);
  EXPECT_EQ(first->plan.stops.size(), mp->plan.stops.size());
  const size_t legs = cache.size();
  EXPECT_GT(legs, 0u);
  SeaLaneOracle again(*router, 4.5, 15.2, &cache);
  ASSERT_TRUE(PlanMission(reg, req, again).ok());
  EXPECT_EQ(cache.size(), legs);
  // A later start, even on the same day, is another key: the unit may reach
  // a seasonal passage after it closes.
  req.departure = req.departure.PlusSeconds(3600);
  ASSERT_TRUE(PlanMission(reg, req, again).ok());
  EXPECT_GT(cache.size(), legs);
}

// The facilities' anchors kept across plans (as the server keeps them): the
// same plan, leg for leg, as from snap points; the second plan attaches
// nothing new. A cache too small for the places is not used.
TEST_F(DemoFrigateBySeaLanes, KeptFacilityAnchorsGiveTheSamePlan) {
  req.reserve_fraction = 0.15;
  std::vector<GeoPosition> ports;
  for (const registry::Facility& f : reg.facilities)
    if (f.kind == registry::FacilityKind::kPort || f.kind == registry::FacilityKind::kNavalBase) ports.push_back(f.position);
  SeaLaneOracle plain(*router, 4.5, 15.2);
  Result<MissionPlan> want = PlanMission(reg, req, plain);
  ASSERT_TRUE(want.ok() && want->plan.feasible);

  sealanes::AnchorCache anchors(*router);
  SeaLaneOracle kept(*router, 4.5, 15.2);
  kept.KeepAnchors(&anchors, ports);
  for (int round = 0; round < 2; ++round) {
    Result<MissionPlan> got = PlanMission(reg, req, kept);
    ASSERT_TRUE(got.ok() && got->plan.feasible);
    ASSERT_EQ(got->plan.legs.size(), want->plan.legs.size());
    for (size_t i = 0; i < got->plan.legs.size(); ++i) {
      EXPECT_EQ(got->plan.legs[i].to.code, want->plan.legs[i].to.code);
      EXPECT_EQ(got->plan.legs[i].distance_nm, want->plan.legs[i].distance_nm) << "leg " << i;
      EXPECT_EQ(got->plan.legs[i].path, want->plan.legs[i].path) << "leg " << i;
    }
  }
  const sealanes::AnchorCache::Stats s = anchors.stats();
  EXPECT_GE(s.attaches, 2);  // at least the stops and Vladivostok
  EXPECT_LE(s.attaches, static_cast<int64_t>(ports.size()));
  EXPECT_GT(s.hits, 0);

  sealanes::AnchorCache small(*router, 2 * static_cast<size_t>(net->node_count()) * sizeof(float));
  ASSERT_LT(small.capacity(), ports.size());
  SeaLaneOracle too_many(*router, 4.5, 15.2);
  too_many.KeepAnchors(&small, ports);
  ASSERT_TRUE(PlanMission(reg, req, too_many).ok());
  EXPECT_EQ(small.stats().attaches, 0);
}

// Dikson lies inside the Northern Sea Route, closed on 1 June: no plan,
// unless the ship may wait in Murmansk for the season to open on 1 July.
TEST_F(ArcticVoyage, WaitsInPortForASeasonalPassageWhenAllowed) {
  PlanningProblem p;
  p.origin = {"", "Murmansk", {68.975, 33.05}};
  p.destination = {"", "Dikson", {73.51, 80.55}};
  p.capacity = 1000;
  p.initial_fuel = 1000;
  p.burn_per_nm = 0.1;
  p.speed_kn = 12;
  p.departure = *Timestamp::Parse("2026-06-01T00:00:00Z");
  Result<Plan> plan = PlanOverStops(p, *oracle_);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_FALSE(plan->feasible);
  EXPECT_NE(plan->infeasible_reason.find("Northern Sea Route"), std::string::npos) << plan->infeasible_reason;
  p.max_wait_hours = 10 * 24;  // not long enough
  plan = PlanOverStops(p, *oracle_);
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(plan->feasible);
  p.max_wait_hours = 45 * 24;
  plan = PlanOverStops(p, *oracle_);
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->feasible) << plan->infeasible_reason;
  ASSERT_EQ(plan->legs.size(), 1u);
  EXPECT_DOUBLE_EQ(plan->legs[0].wait_hours, 30 * 24);
  EXPECT_EQ(plan->legs[0].depart, *Timestamp::Parse("2026-07-01T00:00:00Z"));
  EXPECT_NEAR(plan->total_hours, 30 * 24 + plan->total_nm / 12, 1e-6);
  p.max_wait_hours = -1;
  EXPECT_EQ(PlanOverStops(p, *oracle_).status().code(), StatusCode::kInvalidArgument);
}

// Legs between the table's places come from the table, as the router gives
// them; legs through a seasonal passage are left to the router; pairs of
// places still listed are kept when the table is brought up to date; a table
// from another network is refused.
TEST(MissionPlannerSeaLanes, LegTableAnswersAsTheRouterAndKeepsItsPairs) {
  const std::shared_ptr<const sealanes::SeaLaneNetwork> net = TestNetwork();
  if (!net) GTEST_SKIP() << "no sea-lane network (run scripts/build-data.sh)";
  FakeClock clock(*Timestamp::Parse("2026-08-01T00:00:00Z"));
  sealanes::RoutePlanner router(*net, clock);
  const GeoPosition mumbai{18.94, 72.84}, singapore{1.26, 103.84}, vladivostok{43.10, 131.88}, murmansk{68.975, 33.05};
  LegTable table(*net);
  Result<LegTable::UpdateReport> report = table.Update(router, {mumbai, singapore, vladivostok, murmansk, mumbai});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->routed, 6);
  EXPECT_EQ(table.place_count(), 4u);

  const LegTiming when{*Timestamp::Parse("2026-08-01T00:00:00Z"), 14};
  const SeaLaneOracle routed(router, 6.0, 20.0);
  const SeaLaneOracle stored(router, 6.0, 20.0, nullptr, &table);
  for (const auto& [a, b] : {std::pair{mumbai, singapore}, std::pair{singapore, vladivostok}}) {
    std::optional<Result<LegPath>> hit = table.Find(a, b, 6.0, 20.0);
    ASSERT_TRUE(hit && hit->ok());
    Result<LegPath> leg = routed.Leg(a, b, when);
    ASSERT_TRUE(leg.ok());
    EXPECT_NEAR((*hit)->nm, leg->nm, 1e-6);
    EXPECT_EQ((*hit)->points.size(), leg->points.size());
    // The reverse is the same route read backwards.
    std::optional<Result<LegPath>> back = table.Find(b, a, 6.0, 20.0);
    ASSERT_TRUE(back && back->ok());
    EXPECT_DOUBLE_EQ((*back)->nm, (*hit)->nm);
    EXPECT_EQ((*back)->points.front().lat, (*hit)->points.back().lat);
    Result<LegPath> through = stored.Leg(a, b, when);
    ASSERT_TRUE(through.ok());
    EXPECT_DOUBLE_EQ(through->nm, (*hit)->nm);
  }
  // Murmansk to Vladivostok with every passage open is the Northern Sea
  // Route: seasonal, so the router decides.
  EXPECT_FALSE(table.Find(murmansk, vladivostok, 6.0, 20.0).has_value());
  // A place the table does not hold.
  EXPECT_FALSE(table.Find(mumbai, GeoPosition{13.08, 80.29}, 6.0, 20.0).has_value());

  const std::string file = testing::TempDir() + "/relos-legs-test.bin";
  ASSERT_TRUE(table.Save(file).ok());
  Result<LegTable> loaded = LegTable::Load(file, *net);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  std::optional<Result<LegPath>> again = loaded->Find(singapore, mumbai, 6.0, 20.0);
  ASSERT_TRUE(again && again->ok());
  EXPECT_DOUBLE_EQ((*again)->nm, (*table.Find(mumbai, singapore, 6.0, 20.0))->nm);

  // Murmansk dropped, Singapore moved: only the moved place's pairs are routed.
  const GeoPosition singapore_moved{1.25, 103.85};
  report = loaded->Update(router, {vladivostok, mumbai, singapore_moved});
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->kept, 1);
  EXPECT_EQ(report->routed, 2);
  EXPECT_FALSE(loaded->Find(mumbai, singapore, 6.0, 20.0).has_value());
  ASSERT_TRUE(loaded->Find(vladivostok, mumbai, 6.0, 20.0).has_value());

  // Kept in a file as the CLI does: created, then read and left as it is
  // while the places stay the same, then routed again when damaged.
  const std::string kept = testing::TempDir() + "/relos-legs-kept.bin";
  std::filesystem::remove(kept);
  std::string warning;
  Result<LegTable> first = LegTable::Keep(kept, *net, router, {mumbai, singapore}, &warning);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(warning.empty());
  ASSERT_TRUE(std::filesystem::exists(kept));
  const auto written = std::filesystem::last_write_time(kept);
  Result<LegTable> second = LegTable::Keep(kept, *net, router, {singapore, mumbai}, &warning);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(std::filesystem::last_write_time(kept), written) << "nothing routed: not rewritten";
  EXPECT_DOUBLE_EQ((*second->Find(mumbai, singapore, 6.0, 20.0))->nm, (*first->Find(mumbai, singapore, 6.0, 20.0))->nm);
  std::ofstream(kept, std::ios::binary | std::ios::trunc) << "RELOSLEG";
  Result<LegTable> third = LegTable::Keep(kept, *net, router, {mumbai, singapore}, &warning);
  ASSERT_TRUE(third.ok());
  EXPECT_NE(warning.find("routing it again"), std::string::npos) << warning;
  ASSERT_TRUE(LegTable::Load(kept, *net).ok());
  std::filesystem::remove(kept);

  // Another network's table (its fingerprint altered) and a damaged file.
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string other = bytes;
  other[12] = static_cast<char>(other[12] ^ 1);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << other;
  EXPECT_EQ(LegTable::Load(file, *net).status().code(), StatusCode::kFailedPrecondition);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() - 5);
  EXPECT_EQ(LegTable::Load(file, *net).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(LegTable::Load(file + ".none", *net).status().code(), StatusCode::kNotFound);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace relos::mission

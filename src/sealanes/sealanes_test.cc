// Tests of the sea-lane module. The first group builds small synthetic
// worlds and needs nothing installed; the second runs on the real network
// that scripts/build-data.sh builds (found through $RELOS_SEALANES or
// $RELOS_BINARY_DIR/src/cli/sealanes.bin) and skips, saying so, when it is
// absent. The accuracy check against NGA distances uses ../shared and skips
// without it.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "relos/sealanes/anchor_cache.h"
#include "relos/sealanes/land.h"
#include "relos/sealanes/network.h"
#include "relos/sealanes/passage.h"
#include "relos/sealanes/reference_distances.h"
#include "relos/sealanes/route.h"
#include "relos/sealanes/route_format.h"
#include "sealanes/land_grid.h"

namespace relos::sealanes {
namespace {

namespace fs = std::filesystem;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::vector<std::string> Ids(const Route& r) {
  std::vector<std::string> ids;
  for (const PassageTransit& t : r.passages) ids.push_back(t.id);
  return ids;
}

bool Uses(const Route& r, const std::string& id) {
  const auto ids = Ids(r);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// ---------------------------------------------------------------------------
// Inputs: TopoJSON, passages table, land grid.

// A quantized topology with one square island 10..20 E, 10..20 N and one
// island crossing the antimeridian (178 E .. 178 W, 50..52 N).
constexpr char kTinyTopo[] = R"({
  "type": "Topology",
  "transform": {"scale": [1, 1], "translate": [0, 0]},
  "objects": {"land": {"type": "GeometryCollection", "geometries": [
    {"type": "Polygon", "arcs": [[0]]},
    {"type": "Polygon", "arcs": [[1]]}]}},
  "arcs": [
    [[10, 10], [10, 0], [0, 10], [-10, 0], [0, -10]],
    [[178, 50], [-356, 0], [0, 2], [356, 0], [0, -2]]
  ]
})";

TEST(LandTest, DecodesQuantizedTopoJsonAndHandlesTheAntimeridian) {
  Result<LandPolygons> land = ParseTopoJsonLand(kTinyTopo);
  ASSERT_TRUE(land.ok()) << land.status();
  EXPECT_EQ(land->rings.size(), 2u);
  LandIndex index(*land);
  EXPECT_TRUE(index.IsLand({15, 15}));
  EXPECT_FALSE(index.IsLand({15, 25}));
  EXPECT_FALSE(index.IsLand({5, 15}));
  // Both sides of the antimeridian are land, the far side of the globe is not.
  EXPECT_TRUE(index.IsLand({51, 179.5}));
  EXPECT_TRUE(index.IsLand({51, -179.5}));
  EXPECT_FALSE(index.IsLand({51, 0}));
  EXPECT_FALSE(index.IsLand({51, 170}));

  internal::LandGrid grid(32);
  grid.FillPolygons(land->rings);
  EXPECT_TRUE(grid.BlockedAt(15, 15));
  EXPECT_TRUE(grid.BlockedAt(51, 179.9));
  EXPECT_TRUE(grid.BlockedAt(51, -179.9));
  EXPECT_FALSE(grid.BlockedAt(51, 0));
  EXPECT_FALSE(grid.BlockedAt(25, 15));
  // A leg across the island is blocked, one beside it is clear.
  EXPECT_FALSE(grid.GeodesicClear(15, 5, 15, 25));
  EXPECT_TRUE(grid.GeodesicClear(22, 5, 22, 25));
  // Across the antimeridian, around the island's north side but not through it.
  EXPECT_FALSE(grid.GeodesicClear(51, 175, 51, -175));
  EXPECT_TRUE(grid.GeodesicClear(55, 175, 55, -175));
}

TEST(LandTest, RejectsWhatIsNotTopoJson) {
  EXPECT_EQ(ParseTopoJsonLand("{").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTopoJsonLand(R"({"type":"FeatureCollection"})").status().reason(), "type");
  EXPECT_EQ(ParseTopoJsonLand(R"({"type":"Topology","objects":{},"arcs":[]})").status().reason(), "objects");
  EXPECT_EQ(LoadTopoJsonLand("/nonexistent/land.json").status().code(), StatusCode::kNotFound);
}

TEST(LandGridTest, RunLengthRoundTripAndDilation) {
  internal::LandGrid g(32);
  g.Set(0, 100);
  g.Set(g.width() - 1, 100);
  g.Set(500, 2000);
  std::vector<uint8_t> runs;
  g.EncodeRuns(runs);
  internal::LandGrid back(32);
  size_t pos = 0;
  ASSERT_TRUE(back.DecodeRuns(runs, pos));
  EXPECT_EQ(pos, runs.size());
  for (auto [c, r] : std::vector<std::pair<int, int>>{{0, 100}, {g.width() - 1, 100}, {500, 2000}, {1, 100}, {501, 2000}}) {
    EXPECT_EQ(back.Blocked(c, r), g.Blocked(c, r)) << c << "," << r;
  }
  const internal::LandGrid d = g.Dilated();
  EXPECT_TRUE(d.Blocked(1, 101));
  EXPECT_TRUE(d.Blocked(g.width() - 2, 99));  // wraps across the antimeridian
  EXPECT_TRUE(d.Blocked(499, 1999));
  EXPECT_FALSE(d.Blocked(502, 2000));
  std::vector<uint8_t> truncated(runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(runs.size() / 2));
  pos = 0;
  EXPECT_FALSE(internal::LandGrid(32).DecodeRuns(truncated, pos));
}

// The block index only short-cuts SegmentClear: over scattered land cells,
// with segments that run along, start on and cross block edges and corners
// and the antimeridian, the indexed grid answers as the plain one.
TEST(LandGridTest, BlockIndexAnswersAsTheCellWalk) {
  internal::LandGrid plain(32);
  std::mt19937 rng(5);
  // Islands: a few cells in each of 1,500 blocks between 30 S and 30 N.
  std::uniform_int_distribution<int> block_col(0, 359), block_row(60, 119), cell(0, 31);
  for (int i = 0; i < 1500; ++i) {
    const int c = block_col(rng) * 32, r = block_row(rng) * 32;
    for (int k = 0; k < 20; ++k) plain.Set(c + cell(rng), r + cell(rng));
  }
  internal::LandGrid indexed = plain;
  indexed.IndexBlocks();
  std::uniform_real_distribution<double> lon(-180, 180), lat(-30, 30), step(-4, 4);
  std::uniform_int_distribution<int> whole(-3, 3);
  int clear = 0, blocked = 0;
  for (int i = 0; i < 20000; ++i) {
    double lon0 = lon(rng), lat0 = lat(rng);
    double lon1 = lon0 + step(rng), lat1 = lat0 + step(rng);
    if (i % 4 == 1) {  // on block edges and corners
      lon0 = std::round(lon0);
      lat0 = std::round(lat0);
      lon1 = lon0 + whole(rng);
      lat1 = lat0 + whole(rng) * (i % 8 == 1 ? 1.0 : 0.5);
    }
    const bool want = plain.SegmentClear(lon0, lat0, lon1, lat1);
    ASSERT_EQ(indexed.SegmentClear(lon0, lat0, lon1, lat1), want) << lon0 << "," << lat0 << " -> " << lon1 << "," << lat1;
    (want ? clear : blocked) += 1;
  }
  EXPECT_GT(clear, 1000);
  EXPECT_GT(blocked, 1000);
  // A change drops the index rather than leave it stale.
  indexed.Set(plain.Col(10.5), plain.Row(0.5));
  EXPECT_FALSE(indexed.SegmentClear(10.1, 0.5, 10.9, 0.5));
}

constexpr char kTinyPassages[] = R"(
ice_limits: {north_lat: 80, south_lat: -70}
passages:
  - id: strait
    name: Test Strait
    kind: canal
    max_draught_m: 10
    route: [[15.0, 9.0], [15.0, 21.0]]
    area: [[16, 9.5], [16, 20.5], [14, 20.5], [14, 9.5]]
  - id: ice
    name: Seasonal
    kind: seasonal
    season: {opens: "07-01", closes: "11-15"}
    area: [[30, 12], [30, 18], [20.5, 18], [20.5, 12]]
)";

TEST(PassageTableTest, ParsesLimitsAndSeasons) {
  Result<PassageTable> t = ParsePassageTable(kTinyPassages);
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->passages.size(), 2u);
  EXPECT_EQ(t->passages[0].kind, PassageKind::kCanal);
  EXPECT_EQ(*t->passages[0].max_draught_m, 10);
  EXPECT_EQ(t->passages[0].route.size(), 2u);
  EXPECT_EQ(t->passages[1].season->ToString(), "07-01..11-15");
  EXPECT_EQ(t->ice.north_lat, 80);
  const SeasonWindow& w = *t->passages[1].season;
  EXPECT_TRUE(w.Contains(*Timestamp::Parse("2025-07-01")));
  EXPECT_TRUE(w.Contains(*Timestamp::Parse("2025-11-15T23:00:00Z")));
  EXPECT_FALSE(w.Contains(*Timestamp::Parse("2025-11-16")));
  EXPECT_FALSE(w.Contains(*Timestamp::Parse("2025-02-10")));
  Result<SeasonWindow> winter = SeasonWindow::Make("11-01", "03-31", "season");
  ASSERT_TRUE(winter.ok());
  EXPECT_TRUE(winter->Contains(*Timestamp::Parse("2026-01-15")));
  EXPECT_FALSE(winter->Contains(*Timestamp::Parse("2026-06-15")));
}

TEST(PassageTableTest, RejectsBadEntriesNamingTheField) {
  auto parse = [](const std::string& entry) { return ParsePassageTable("passages:\n" + entry).status(); };
  Status s = parse("  - {id: x, name: X, kind: tunnel, area: [[0,0],[0,1],[1,1]]}\n");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.reason(), "passage 'x'.kind");
  s = parse("  - {id: x, name: X, kind: seasonal, season: {opens: '02-30', closes: '03-01'}, area: [[0,0],[0,1],[1,1]]}\n");
  EXPECT_EQ(s.reason(), "passage 'x'.season");
  s = parse("  - {id: x, name: X, kind: canal, area: [[0,0],[0,1],[1,1]]}\n");
  EXPECT_EQ(s.reason(), "passage 'x'.route");
  s = parse("  - {id: x, name: X, kind: strait, max_draught_m: -3, area: [[0,0],[0,1],[1,1]]}\n");
  EXPECT_EQ(s.reason(), "passage 'x'.max_draught_m");
  s = parse("  - {id: x, name: X, kind: strait, area: [[0,0],[95,1],[1,1]]}\n");
  EXPECT_EQ(s.reason(), "passage 'x'.area[1]");
  s = parse("  - {id: x, name: X, kind: strait, area: [[0,0],[0,1],[1,1]]}\n  - {id: x, name: Y, kind: strait, area: [[0,0],[0,1],[1,1]]}\n");
  EXPECT_EQ(s.reason(), "passages.id");
  EXPECT_EQ(LoadPassageTable("/nonexistent.yaml").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ParseReferencePorts("ports:\n  - {id: a, name: A, lat: 99, lon: 0}\n").status().reason(), "ports[0].lat");
}

TEST(ReferenceDistancesTest, ParsesQuotedNamesAndRejectsBadRows) {
  Result<std::vector<ReferenceDistance>> r = ParseReferenceDistances(
      "id,from_name,from_lat,from_lon,to_name,to_lat,to_lon,distance_nm,note\n"
      "P25,Djibouti,11.6,43.1,\"Port Said (junction point, N end)\",31.27,32.32,1374,\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].to_name, "Port Said (junction point, N end)");
  EXPECT_EQ((*r)[0].distance_nm, 1374);
  EXPECT_EQ(ParseReferenceDistances("h\nP1,A,91,0,B,0,0,10,\n").status().reason(), "line 2");
  EXPECT_EQ(ParseReferenceDistances("h\nP1,A,x,0,B,0,0,10,\n").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseReferenceDistances("h\nP1,A,1,0\n").status().reason(), "line 2");
}

// ---------------------------------------------------------------------------
// A synthetic world: a wall of land across 10..20 E from 10 S up to the ice
// limit, cut by a canal along 15 N.

class TinyWorldTest : public ::testing::Test {
 protected:
  // Built once for the suite: building takes about a second.
  static void SetUpTestSuite() {
    // Land: a block 10..20 E from 10 S to 79 N; a canal crosses it at 15 N.
    const std::string topo = R"({"type":"Topology","objects":{"land":{"type":"GeometryCollection","geometries":[
      {"type":"Polygon","arcs":[[0]]}]}},"arcs":[[[10,-10],[20,-10],[20,79],[10,79],[10,-10]]]})";
    Result<LandPolygons> land = ParseTopoJsonLand(topo);
    ASSERT_TRUE(land.ok()) << land.status();
    Result<PassageTable> table = ParsePassageTable(kTinyPassages);
    ASSERT_TRUE(table.ok()) << table.status();
    path_ = (fs::temp_directory_path() / ("relos_tiny_" + std::to_string(::getpid()) + ".bin")).string();
    NetworkBuildOptions options;
    options.landmarks = 4;
    Result<NetworkBuildReport> report = SeaLaneNetwork::Build(*land, *table, {{"west", "West", {15, 5}}}, path_, options);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_GT(report->nodes, 100);
    Result<std::shared_ptr<const SeaLaneNetwork>> net = SeaLaneNetwork::Load(path_);
    ASSERT_TRUE(net.ok()) << net.status();
    net_ = new std::shared_ptr<const SeaLaneNetwork>(*net);
  }
  static void TearDownTestSuite() {
    fs::remove(path_);
    delete net_;
    net_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(net_, nullptr) << "the tiny world failed to build"; }

  static std::string path_;
  static std::shared_ptr<const SeaLaneNetwork>* net_;
  FakeClock clock_{*Timestamp::Parse("2025-08-01")};
};
std::string TinyWorldTest::path_;
std::shared_ptr<const SeaLaneNetwork>* TinyWorldTest::net_ = nullptr;

TEST_F(TinyWorldTest, UsesTheCanalAndGoesRoundWhenItIsAvoidedOrTooShallow) {
  RoutePlanner planner(**net_, clock_);
  Result<Route> through = planner.Plan({15, 5}, {15, 25}, {});
  ASSERT_TRUE(through.ok()) << through.status();
  EXPECT_EQ(Ids(*through), std::vector<std::string>{"strait"}) << RouteToText(*through);
  EXPECT_NEAR(through->distance_nm, through->geodesic_nm, 0.01 * through->geodesic_nm);

  RouteOptions avoid;
  avoid.avoid = {"strait"};
  Result<Route> round = planner.Plan({15, 5}, {15, 25}, avoid);
  ASSERT_TRUE(round.ok()) << round.status();
  EXPECT_FALSE(Uses(*round, "strait"));
  EXPECT_GT(round->distance_nm, through->distance_nm + 1500);  // round the south end at 10 S

  RouteOptions deep;
  deep.max_draught_m = 12;
  Result<Route> deep_route = planner.Plan({15, 5}, {15, 25}, deep);
  ASSERT_TRUE(deep_route.ok());
  EXPECT_FALSE(Uses(*deep_route, "strait"));
  deep.max_draught_m = 9;
  EXPECT_TRUE(Uses(*planner.Plan({15, 5}, {15, 25}, deep), "strait"));
}

TEST_F(TinyWorldTest, RoutesAroundTheWallNeverThroughIt) {
  RoutePlanner planner(**net_, clock_);
  RouteOptions avoid;
  avoid.avoid = {"strait"};
  Result<Route> r = planner.Plan({0, 5}, {0, 25}, avoid);
  ASSERT_TRUE(r.ok()) << r.status();
  for (const GeoPosition& p : DensifyRoute(*r, 1.0)) {
    EXPECT_FALSE(p.lon > 10 && p.lon < 20 && p.lat > -10 && p.lat < 79) << p.ToString();
  }
  EXPECT_GE(r->distance_nm, r->geodesic_nm);
}

TEST_F(TinyWorldTest, ReportsBadInputNamingTheField) {
  RoutePlanner planner(**net_, clock_);
  Result<Route> r = planner.Plan({91, 0}, {0, 25}, {});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("from"), std::string::npos);
  r = planner.Plan({0, 0}, {0, 200}, {});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("to"), std::string::npos);
  // Deep inside the block, far from water.
  r = planner.Plan({5, 15}, {0, 25}, {});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().reason(), "from");
  RouteOptions bad;
  bad.avoid = {"kra-canal"};
  r = planner.Plan({0, 5}, {0, 25}, bad);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().reason(), "avoid");
  RouteOptions negative;
  negative.max_draught_m = -1;
  EXPECT_EQ(planner.Plan({0, 5}, {0, 25}, negative).status().reason(), "max_draught");
  RouteOptions slow;
  slow.speed_knots = 0;
  EXPECT_EQ(planner.Plan({0, 5}, {0, 25}, slow).status().reason(), "speed");
}

TEST_F(TinyWorldTest, ComputesTheEtaAtTheGivenSpeed) {
  RoutePlanner planner(**net_, clock_);
  RouteOptions o;
  o.speed_knots = 10;
  Result<Route> r = planner.Plan({15, 5}, {15, 25}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->departure, *Timestamp::Parse("2025-08-01"));  // the clock's now
  ASSERT_TRUE(r->arrival.has_value());
  EXPECT_NEAR(static_cast<double>(r->arrival->unix_seconds() - r->departure.unix_seconds()),
              r->distance_nm / 10 * 3600, 1.0);
  ASSERT_EQ(r->passages.size(), 1u);
  ASSERT_TRUE(r->passages[0].arrival.has_value());
}

TEST_F(TinyWorldTest, FileErrorsAreNotFoundAndDataLoss) {
  EXPECT_EQ(SeaLaneNetwork::Load("/nonexistent/sealanes.bin").status().code(), StatusCode::kNotFound);
  std::string bytes;
  {
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
  }
  const std::string bad = path_ + ".bad";
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x5a;
  std::ofstream(bad, std::ios::binary) << flipped;
  EXPECT_EQ(SeaLaneNetwork::Load(bad).status().code(), StatusCode::kDataLoss);
  std::ofstream(bad, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 3);
  EXPECT_EQ(SeaLaneNetwork::Load(bad).status().code(), StatusCode::kDataLoss);
  fs::remove(bad);
  EXPECT_EQ(LocateNetworkFile("/nonexistent.bin", "", "").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*LocateNetworkFile("", path_, ""), path_);
  EXPECT_EQ(*LocateNetworkFile(path_, "/elsewhere.bin", ""), path_);
}

TEST_F(TinyWorldTest, RendersJsonGeoJsonAndKml) {
  RoutePlanner planner(**net_, clock_);
  Result<Route> r = planner.Plan({15, 5}, {15, 25}, {});
  ASSERT_TRUE(r.ok());
  const std::string json = RouteToJson(*r);
  EXPECT_NE(json.find("\"passages\""), std::string::npos);
  EXPECT_NE(json.find("\"id\": \"strait\""), std::string::npos);
  EXPECT_NE(RouteToGeoJson(*r).find("\"LineString\""), std::string::npos);
  EXPECT_NE(RouteToKml(*r).find("<LineString>"), std::string::npos);
  EXPECT_NE(RouteToText(*r).find("Test Strait (strait)"), std::string::npos);
  const std::vector<GeoPosition> dense = DensifyRoute(*r, 20);
  EXPECT_EQ(dense.front(), r->waypoints.front());
  EXPECT_EQ(dense.back(), r->waypoints.back());
  EXPECT_GE(dense.size(), static_cast<size_t>(r->distance_nm / 20));
}

// ---------------------------------------------------------------------------
// AnchorCache: attached anchors kept for places routed to again and again.

// Both sides of the wall and in the canal's approaches, all at sea.
const std::vector<GeoPosition> kTinyPlaces = {{15, 5}, {15, 25}, {0, 5}, {0, 25}, {-20, 15}, {40, 25}};

// What the cache serves is what an anchor attached on the spot gives. (The
// same as from snap points alone on the real network, WorldTest below; in
// this regular lattice many network paths are equally short, and attaching
// may pick another of them, which pulls taut differently.)
TEST_F(TinyWorldTest, CachedAnchorsRouteAsAnchorsAttachedOnTheSpot) {
  RoutePlanner planner(**net_, clock_);
  AnchorCache cache(planner);
  auto attached = [&](GeoPosition p) {
    SeaAnchor a = *planner.Snap(p);
    planner.Attach(a);
    return a;
  };
  std::vector<RouteOptions> variants(3);
  variants[1].avoid = {"strait"};
  variants[2].max_draught_m = 12;
  variants[2].speed_knots = 11;
  for (int round = 0; round < 2; ++round) {  // attaching, then from the cache
    for (const GeoPosition& a : kTinyPlaces) {
      for (const GeoPosition& b : kTinyPlaces) {
        if (a == b) continue;
        for (const RouteOptions& o : variants) {
          Result<Route> want = planner.PlanBetween(attached(a), attached(b), o);
          Result<Route> got = PlanRoute(planner, &cache, {a, true}, {b, true}, o);
          ASSERT_TRUE(want.ok()) << want.status();
          ASSERT_TRUE(got.ok()) << got.status();
          EXPECT_EQ(got->distance_nm, want->distance_nm) << a.ToString() << " -> " << b.ToString();
          EXPECT_EQ(got->waypoints, want->waypoints) << a.ToString() << " -> " << b.ToString();
          EXPECT_EQ(RouteToJson(*got), RouteToJson(*want));
        }
      }
    }
  }
  const AnchorCache::Stats s = cache.stats();
  EXPECT_EQ(s.attaches, static_cast<int64_t>(kTinyPlaces.size()));
  EXPECT_EQ(s.anchors, kTinyPlaces.size());
  // Only the ends marked as kept are attached: a bare position is not.
  ASSERT_TRUE(PlanRoute(planner, &cache, {{10, 5}, false}, {{15, 5}, true}, {}).ok());
  EXPECT_EQ(cache.stats().attaches, s.attaches);
}

TEST_F(TinyWorldTest, CachedAnchorErrorsAreThoseOfPlanAndAreNotKept) {
  RoutePlanner planner(**net_, clock_);
  AnchorCache cache(planner);
  const GeoPosition inland{5, 15}, sea{0, 25};
  for (int i = 0; i < 2; ++i) {
    Result<Route> want = planner.Plan(sea, inland, {});
    Result<Route> got = PlanRoute(planner, &cache, {sea, true}, {inland, true}, {});
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), want.status().code());
    EXPECT_EQ(got.status().reason(), "to");
    EXPECT_EQ(got.status().message(), want.status().message());
    EXPECT_EQ(PlanRoute(planner, &cache, {inland, true}, {sea, true}, {}).status().reason(), "from");
  }
  EXPECT_EQ(cache.stats().anchors, 1u);  // the sea end only
  EXPECT_EQ(cache.stats().attaches, 1);
  // A position that is no position is Snap's InvalidArgument, and no key.
  const GeoPosition nowhere{std::nan(""), 25};
  Result<AnchorPtr> bad = cache.Get(nowhere, "to");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), planner.Snap(nowhere, "to").status().message());
  EXPECT_EQ(cache.stats().anchors, 1u);
}

TEST_F(TinyWorldTest, AnchorCacheKeepsToItsBudgetLeastRecentlyUsedOut) {
  RoutePlanner planner(**net_, clock_);
  // What each of three places costs, measured in a cache that keeps all.
  AnchorCache probe(planner);
  std::vector<size_t> bytes;
  for (size_t i = 0; i < 3; ++i) {
    const size_t before = probe.stats().bytes;
    ASSERT_TRUE(probe.Get(kTinyPlaces[i]).ok());
    bytes.push_back(probe.stats().bytes - before);
    EXPECT_GT(bytes.back(), static_cast<size_t>((*net_)->node_count()) * sizeof(float));
  }
  // Room for any two of them, never the three.
  AnchorCache cache(planner, bytes[0] + bytes[1] + bytes[2] - 1);
  for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(cache.Get(kTinyPlaces[i]).ok());
  AnchorCache::Stats s = cache.stats();
  EXPECT_EQ(s.anchors, 2u);
  EXPECT_EQ(s.evictions, 1);
  EXPECT_LE(s.bytes, cache.budget_bytes());
  EXPECT_EQ(s.attaches, 3);
  // Place 0 went out (least recently used); 2 is still there.
  ASSERT_TRUE(cache.Get(kTinyPlaces[2]).ok());
  EXPECT_EQ(cache.stats().attaches, 3);
  // Place 0 comes back attached again, and pushes out 1, not 2.
  ASSERT_TRUE(cache.Get(kTinyPlaces[0]).ok());
  EXPECT_EQ(cache.stats().attaches, 4);
  ASSERT_TRUE(cache.Get(kTinyPlaces[2]).ok());
  EXPECT_EQ(cache.stats().attaches, 4);
  ASSERT_TRUE(cache.Get(kTinyPlaces[1]).ok());
  EXPECT_EQ(cache.stats().attaches, 5);
  s = cache.stats();
  EXPECT_EQ(s.anchors, 2u);
  EXPECT_LE(s.bytes, cache.budget_bytes());
}

TEST_F(TinyWorldTest, ConcurrentFirstRequestsForAPlaceAttachItOnce) {
  RoutePlanner planner(**net_, clock_);
  AnchorCache cache(planner);
  constexpr int kThreads = 8;
  std::vector<AnchorPtr> got(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Start together, so that the first requests overlap the attach.
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      Result<AnchorPtr> a = cache.Get(kTinyPlaces[1]);
      if (a.ok()) got[t] = *a;
    });
  }
  for (std::thread& t : threads) t.join();
  const AnchorCache::Stats s = cache.stats();
  EXPECT_EQ(s.attaches, 1);
  EXPECT_EQ(s.hits, kThreads - 1);
  for (const AnchorPtr& a : got) {
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a.get(), got[0].get());  // one shared anchor
    ASSERT_NE(a->reach_nm, nullptr);
  }
}

TEST_F(TinyWorldTest, AMovedPlaceGetsANewAnchorNotTheOld) {
  RoutePlanner planner(**net_, clock_);
  AnchorCache cache(planner);
  const GeoPosition from{0, 5}, berth{15, 25}, moved{0, 25};
  ASSERT_TRUE(PlanRoute(planner, &cache, {from, true}, {berth, true}, {}).ok());
  // The facility moved: its route is the route to where it is now.
  Result<Route> got = PlanRoute(planner, &cache, {from, true}, {moved, true}, {});
  Result<Route> want = planner.Plan(from, moved, {});
  ASSERT_TRUE(got.ok() && want.ok());
  EXPECT_EQ(got->to, moved);
  EXPECT_EQ(got->waypoints, want->waypoints);
  EXPECT_EQ(got->distance_nm, want->distance_nm);
  Result<AnchorPtr> anchor = cache.Get(moved);
  ASSERT_TRUE(anchor.ok());
  EXPECT_EQ((*anchor)->requested, moved);
  EXPECT_EQ(cache.stats().attaches, 3);
}

// ---------------------------------------------------------------------------
// The real network.

class WorldTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string path = Env("RELOS_SEALANES");
    if (path.empty() && !Env("RELOS_BINARY_DIR").empty()) path = Env("RELOS_BINARY_DIR") + "/src/cli/sealanes.bin";
    if (path.empty() || !fs::exists(path)) return;
    Result<std::shared_ptr<const SeaLaneNetwork>> net = SeaLaneNetwork::Load(path);
    ASSERT_TRUE(net.ok()) << net.status();
    net_ = new std::shared_ptr<const SeaLaneNetwork>(*net);
  }
  static void TearDownTestSuite() {
    delete net_;
    net_ = nullptr;
  }
  void SetUp() override {
    if (!net_) GTEST_SKIP() << "no sea-lane network: run scripts/build-data.sh BUILD_DIR (or set RELOS_SEALANES)";
    planner_ = std::make_unique<RoutePlanner>(**net_, clock_);
  }
  GeoPosition Port(const std::string& id) { return (*(*net_)->FindPort(id))->position; }
  Route Plan(const std::string& from, const std::string& to, const RouteOptions& o = {}) {
    Result<Route> r = planner_->Plan(Port(from), Port(to), o);
    EXPECT_TRUE(r.ok()) << from << " -> " << to << ": " << r.status();
    return r.ok() ? *r : Route{};
  }

  static std::shared_ptr<const SeaLaneNetwork>* net_;
  FakeClock clock_{*Timestamp::Parse("2025-08-01")};
  std::unique_ptr<RoutePlanner> planner_;
};
std::shared_ptr<const SeaLaneNetwork>* WorldTest::net_ = nullptr;

TEST_F(WorldTest, GoldenLegs) {
  const Route karachi = Plan("mumbai", "karachi");
  EXPECT_NEAR(karachi.distance_nm, 504, 25);  // NGA Pub. 151: 504 nm
  EXPECT_TRUE(karachi.passages.empty());

  const Route vladivostok = Plan("mumbai", "vladivostok");
  EXPECT_GE(vladivostok.distance_nm, 5400);
  EXPECT_LE(vladivostok.distance_nm, 5600);
  EXPECT_EQ(Ids(vladivostok), std::vector<std::string>{"malacca"});

  const Route murmansk = Plan("mumbai", "murmansk");
  EXPECT_EQ(Ids(murmansk), (std::vector<std::string>{"bab-el-mandeb", "suez", "gibraltar"}));
  EXPECT_GT(murmansk.distance_nm, 7400);
  EXPECT_LT(murmansk.distance_nm, 8300);

  const Route colombo = Plan("kochi", "colombo");
  EXPECT_NEAR(colombo.distance_nm, 318, 25);  // NGA Pub. 151: 318 nm
  EXPECT_FALSE(Uses(colombo, "palk"));
}

TEST_F(WorldTest, NorthernSeaRouteOnlyInSeason) {
  auto departing = [](const char* date) {
    RouteOptions o;
    o.departure = *Timestamp::Parse(date);
    return o;
  };
  const Route nsr = Plan("vladivostok", "murmansk", departing("2025-08-01"));
  EXPECT_TRUE(Uses(nsr, "nsr"));
  EXPECT_TRUE(Uses(nsr, "bering"));
  EXPECT_GT(nsr.distance_nm, 5000);
  EXPECT_LT(nsr.distance_nm, 6500);

  const Route south = Plan("vladivostok", "murmansk", departing("2025-02-01"));
  EXPECT_FALSE(Uses(south, "nsr"));
  EXPECT_TRUE(Uses(south, "suez"));
  EXPECT_GT(south.distance_nm, 11500);

  // Leaving in late October at 5 knots, the ship would reach the NSR after
  // it closes on 15 November: the planner re-routes.
  RouteOptions late = departing("2025-10-20");
  late.speed_knots = 5;
  const Route slow = Plan("vladivostok", "murmansk", late);
  EXPECT_FALSE(Uses(slow, "nsr"));
}

TEST_F(WorldTest, AvoidingSuezGoesRoundTheCape) {
  // In winter, so that the Northern Sea Route is no alternative.
  RouteOptions o;
  o.departure = *Timestamp::Parse("2025-02-01");
  const Route suez = Plan("mumbai", "murmansk", o);
  o.avoid = {"suez"};
  const Route cape = Plan("mumbai", "murmansk", o);
  EXPECT_FALSE(Uses(cape, "suez"));
  EXPECT_GT(cape.distance_nm, suez.distance_nm + 3000);
  // South of Africa somewhere along the way.
  const auto dense = DensifyRoute(cape, 50);
  EXPECT_TRUE(std::any_of(dense.begin(), dense.end(), [](const GeoPosition& p) { return p.lat < -34 && p.lon > 10 && p.lon < 30; }));
}

// Attaching the destination changes how much the search looks at, never
// the answer: with nothing avoided, with a passage avoided, out of season
// and with a draught that opens the shallows.
TEST_F(WorldTest, AnAttachedDestinationGivesTheSameRoutes) {
  std::vector<RouteOptions> variants(4);
  variants[1].avoid = {"suez"};
  variants[2].departure = *Timestamp::Parse("2025-02-01");
  variants[3].max_draught_m = 5;
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"mumbai", "murmansk"}, {"chennai", "kochi"}, {"vladivostok", "murmansk"}, {"colombo", "singapore"},
      {"karachi", "port-blair"}, {"istanbul", "kolkata"}};
  for (const auto& [from, to] : pairs) {
    const SeaAnchor a = *planner_->Snap(Port(from));
    SeaAnchor b = *planner_->Snap(Port(to));
    const SeaAnchor plain = b;
    planner_->Attach(b);
    ASSERT_NE(b.reach_nm, nullptr);
    for (const RouteOptions& o : variants) {
      Result<Route> want = planner_->PlanBetween(a, plain, o);
      Result<Route> got = planner_->PlanBetween(a, b, o);
      ASSERT_EQ(got.ok(), want.ok()) << from << " -> " << to;
      if (!want.ok()) continue;
      EXPECT_NEAR(got->distance_nm, want->distance_nm, 1e-6 * want->distance_nm) << from << " -> " << to;
      EXPECT_EQ(got->passages.size(), want->passages.size()) << from << " -> " << to;
    }
  }
}

// The server's path (PlanRoute with kept anchors) gives what Plan gives,
// byte for byte, between the reference ports, first attaching and then
// from the cache.
TEST_F(WorldTest, CachedFacilityRoutesAreThoseOfPlan) {
  AnchorCache cache(*planner_);
  const auto& ports = (*net_)->ports();
  std::mt19937 rng(5);
  std::uniform_int_distribution<size_t> pick(0, ports.size() - 1);
  std::vector<std::pair<size_t, size_t>> pairs;
  while (pairs.size() < 30) {
    const size_t a = pick(rng), b = pick(rng);
    if (a != b) pairs.push_back({a, b});
  }
  for (int round = 0; round < 2; ++round) {
    for (const auto& [a, b] : pairs) {
      const GeoPosition from = ports[a].position, to = ports[b].position;
      Result<Route> want = planner_->Plan(from, to, {});
      Result<Route> got = PlanRoute(*planner_, &cache, {from, true}, {to, true}, {});
      ASSERT_EQ(got.ok(), want.ok()) << ports[a].id << " -> " << ports[b].id;
      if (!want.ok()) continue;
      EXPECT_EQ(RouteToJson(*got), RouteToJson(*want)) << ports[a].id << " -> " << ports[b].id;
      EXPECT_EQ(got->waypoints, want->waypoints) << ports[a].id << " -> " << ports[b].id;
    }
  }
  EXPECT_LE(cache.stats().attaches, static_cast<int64_t>(ports.size()));
}

TEST_F(WorldTest, DraughtClosesPanama) {
  RouteOptions deep;
  deep.max_draught_m = 16;
  const Route r = Plan("colon", "balboa", deep);
  EXPECT_FALSE(Uses(r, "panama"));
  EXPECT_GT(r.distance_nm, 5000);  // round South America
  const Route canal = Plan("colon", "balboa");
  EXPECT_TRUE(Uses(canal, "panama"));
  EXPECT_LT(canal.distance_nm, 80);
}

TEST_F(WorldTest, BadInputNamesTheField) {
  Result<Route> r = planner_->Plan({28.61, 77.21}, Port("mumbai"), {});  // New Delhi
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().reason(), "from");
  r = planner_->Plan(Port("mumbai"), {-95, 10}, {});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("to"), std::string::npos);
  RouteOptions o;
  o.avoid = {"suez", "atlantis"};
  r = planner_->Plan(Port("mumbai"), Port("karachi"), o);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().reason(), "avoid");
  EXPECT_NE(r.status().message().find("atlantis"), std::string::npos);
}

// Random sea positions, routed pairwise; every leg sampled every half mile
// against the full-resolution land polygons.
TEST_F(WorldTest, RandomRoutesNeverCrossLand) {
  const std::string land_path = Env("RELOS_SOURCE_DIR") + "/tools/node_modules/world-atlas/land-10m.json";
  if (Env("RELOS_SOURCE_DIR").empty() || !fs::exists(land_path)) GTEST_SKIP() << "land-10m.json not installed";
  Result<LandPolygons> land = LoadTopoJsonLand(land_path);
  ASSERT_TRUE(land.ok());
  LandIndex index(*land);
  std::mt19937 rng(20250218);
  std::uniform_real_distribution<double> lat(-55, 72), lon(-180, 180);
  std::vector<GeoPosition> sea;
  while (sea.size() < 80) {
    const GeoPosition p{lat(rng), lon(rng)};
    if (!index.IsLand(p) && !(*net_)->IsBlocked(p)) sea.push_back(p);
  }
  int routed = 0;
  for (size_t i = 0; i + 1 < sea.size(); i += 2) {
    Result<Route> r = planner_->Plan(sea[i], sea[i + 1], {});
    if (!r.ok()) {
      // Only enclosed water may be unreachable (a lake inside land).
      EXPECT_EQ(r.status().code(), StatusCode::kNotFound) << r.status();
      continue;
    }
    ++routed;
    EXPECT_GE(r->distance_nm, r->geodesic_nm * 0.999);
    ASSERT_EQ(r->legs.size() + 1, r->waypoints.size());
    for (size_t leg = 0; leg < r->legs.size(); ++leg) {
      if (r->legs[leg] != LegKind::kSea) continue;  // canals cross the coastline by design
      Route one;
      one.waypoints = {r->waypoints[leg], r->waypoints[leg + 1]};
      for (const GeoPosition& p : DensifyRoute(one, 0.5)) {
        ASSERT_FALSE(index.IsLand(p)) << "route " << sea[i].ToString() << " -> " << sea[i + 1].ToString()
                                      << " crosses land at " << p.ToString();
      }
    }
  }
  EXPECT_GE(routed, 35);
}

// NGA Pub. 151 distances (development data in ../shared).
TEST_F(WorldTest, MatchesPublishedDistances) {
  const std::string csv = Env("RELOS_SOURCE_DIR") + "/../shared/data/reference-distances-dev.csv";
  std::ifstream in(csv);
  if (Env("RELOS_SOURCE_DIR").empty() || !in) GTEST_SKIP() << "no reference distances at " << csv;
  std::ostringstream text;
  text << in.rdbuf();
  Result<std::vector<ReferenceDistance>> pairs = ParseReferenceDistances(text.str());
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  std::vector<double> errors;
  for (const ReferenceDistance& p : *pairs) {
    Result<Route> r = planner_->Plan(p.from, p.to, {});
    ASSERT_TRUE(r.ok()) << p.id << ": " << r.status();
    EXPECT_GE(r->distance_nm, r->geodesic_nm) << p.id;
    errors.push_back(std::fabs(r->distance_nm - p.distance_nm) / p.distance_nm);
  }
  ASSERT_FALSE(errors.empty());
  std::sort(errors.begin(), errors.end());
  const double median = errors[errors.size() / 2];
  EXPECT_LE(median, 0.025) << "median absolute error " << median * 100 << "%";
}

}  // namespace
}  // namespace relos::sealanes

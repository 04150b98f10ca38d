// Sea-lane accuracy against published port-to-port distances (NGA Pub. 151),
// with the same pairs routed over two public sea-lane networks for
// comparison: Eurostat's marnet and searoute-py's repaired marnet, both
// GeoJSON line networks. Prints the Markdown table kept in
// docs/sealanes-accuracy.md.
//
// usage: relos_sealanes_accuracy NETWORK.bin REFERENCE.csv [NAME=LINES.geojson ...]
//
// A peer network is routed the way its own tools do: each end snaps to the
// nearest network vertex (that leg counted as a geodesic), then Dijkstra over
// edges weighted by their WGS84 geodesic length. Development tool: it reads
// ../shared data that the product never needs.
#include <GeographicLib/Geodesic.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <queue>
#include <sstream>
#include <string>
#include <vector>

#include "relos/core/time.h"
#include "relos/sealanes/network.h"
#include "relos/sealanes/reference_distances.h"
#include "relos/sealanes/route.h"

namespace {

constexpr double kNm = 1852.0;

double GeodesicNm(double lat0, double lon0, double lat1, double lon1) {
  double s = 0;
  GeographicLib::Geodesic::WGS84().Inverse(lat0, lon0, lat1, lon1, s);
  return s / kNm;
}

// A GeoJSON line network as a graph.
class LineNetwork {
 public:
  explicit LineNetwork(const std::string& path) {
    std::ifstream in(path);
    const nlohmann::json fc = nlohmann::json::parse(in);
    for (const auto& f : fc["features"]) {
      const auto& g = f["geometry"];
      if (g.is_null()) continue;
      std::vector<nlohmann::json> lines;
      if (g["type"] == "LineString") lines.push_back(g["coordinates"]);
      else if (g["type"] == "MultiLineString")
        for (const auto& l : g["coordinates"]) lines.push_back(l);
      for (const auto& l : lines) {
        int prev = -1;
        for (const auto& c : l) {
          const int v = Vertex(c[0].get<double>(), c[1].get<double>());
          if (prev >= 0 && prev != v) {
            const double w = GeodesicNm(lat_[static_cast<size_t>(prev)], lon_[static_cast<size_t>(prev)],
                                        lat_[static_cast<size_t>(v)], lon_[static_cast<size_t>(v)]);
            adj_[static_cast<size_t>(prev)].push_back({v, w});
            adj_[static_cast<size_t>(v)].push_back({prev, w});
          }
          prev = v;
        }
      }
    }
  }

  // Snap legs plus the shortest network path; infinity when disconnected.
  double RouteNm(double lat0, double lon0, double lat1, double lon1) const {
    double s0 = 0, s1 = 0;
    const int a = Nearest(lat0, lon0, s0), b = Nearest(lat1, lon1, s1);
    std::vector<double> dist(lat_.size(), std::numeric_limits<double>::infinity());
    using Item = std::pair<double, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
    dist[static_cast<size_t>(a)] = 0;
    q.push({0, a});
    while (!q.empty()) {
      auto [d, u] = q.top();
      q.pop();
      if (u == b) break;
      if (d > dist[static_cast<size_t>(u)]) continue;
      for (auto [v, w] : adj_[static_cast<size_t>(u)]) {
        if (d + w < dist[static_cast<size_t>(v)]) {
          dist[static_cast<size_t>(v)] = d + w;
          q.push({d + w, v});
        }
      }
    }
    return s0 + dist[static_cast<size_t>(b)] + s1;
  }

  size_t vertices() const { return lat_.size(); }

 private:
  int Vertex(double lon, double lat) {
    while (lon > 180) lon -= 360;  // searoute-py writes the Bering area as 0..360
    while (lon < -180) lon += 360;
    const auto key = std::make_pair(std::llround(lon * 1e6), std::llround(lat * 1e6));
    auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    const int id = static_cast<int>(lat_.size());
    index_[key] = id;
    lat_.push_back(lat);
    lon_.push_back(lon);
    adj_.emplace_back();
    return id;
  }
  int Nearest(double lat, double lon, double& nm) const {
    int best = 0;
    nm = std::numeric_limits<double>::infinity();
    for (size_t v = 0; v < lat_.size(); ++v) {
      // Cheap prefilter in degrees before the geodesic.
      if (std::fabs(lat_[v] - lat) > 10) continue;
      const double d = GeodesicNm(lat, lon, lat_[v], lon_[v]);
      if (d < nm) nm = d, best = static_cast<int>(v);
    }
    return best;
  }
  std::map<std::pair<long long, long long>, int> index_;
  std::vector<double> lat_, lon_;
  std::vector<std::vector<std::pair<int, double>>> adj_;
};

std::string Pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", v * 100);
  return buf;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: " << argv[0] << " NETWORK.bin REFERENCE.csv [NAME=LINES.geojson ...]\n";
    return 2;
  }
  auto net = relos::sealanes::SeaLaneNetwork::Load(argv[1]);
  if (!net.ok()) {
    std::cerr << net.status() << "\n";
    return 1;
  }
  // Winter departure: no seasonal passage helps; the reference pairs in the
  // Arctic (Kara and Laptev seas) are routed in summer below.
  relos::FakeClock clock(*relos::Timestamp::Parse("2025-08-01"));
  relos::sealanes::RoutePlanner planner(**net, clock);
  std::ifstream csv(argv[2]);
  std::stringstream text;
  text << csv.rdbuf();
  auto parsed = relos::sealanes::ParseReferenceDistances(text.str());
  if (!parsed.ok()) {
    std::cerr << argv[2] << ": " << parsed.status() << "\n";
    return 1;
  }
  const std::vector<relos::sealanes::ReferenceDistance>& pairs = *parsed;
  std::vector<std::pair<std::string, LineNetwork>> peers;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    peers.emplace_back(arg.substr(0, eq), LineNetwork(arg.substr(eq + 1)));
  }
  std::cout << "| pair | published nm | geodesic nm | relos nm | relos error |";
  for (const auto& [name, g] : peers) std::cout << " " << name << " nm | " << name << " error |";
  std::cout << "\n|---|---:|---:|---:|---:|";
  for (size_t i = 0; i < peers.size(); ++i) std::cout << "---:|---:|";
  std::cout << "\n";
  std::vector<double> relos_err;
  std::vector<std::vector<double>> peer_err(peers.size());
  int shorter_than_geodesic = 0, failed = 0;
  for (const relos::sealanes::ReferenceDistance& ref : pairs) {
    const double lat0 = ref.from.lat, lon0 = ref.from.lon, lat1 = ref.to.lat, lon1 = ref.to.lon;
    const double published = ref.distance_nm;
    const char* id = ref.id.c_str();
    const char* from = ref.from_name.c_str();
    const char* to = ref.to_name.c_str();
    auto r = planner.Plan(ref.from, ref.to, {});
    const double geo = GeodesicNm(lat0, lon0, lat1, lon1);
    char row[512];
    if (!r.ok()) {
      ++failed;
      std::snprintf(row, sizeof row, "| %s %s - %s | %.0f | %.0f | failed: %s | |", id, from, to, published, geo, r.status().ToString().c_str());
      std::cout << row;
    } else {
      const double e = (r->distance_nm - published) / published;
      relos_err.push_back(std::fabs(e));
      if (r->distance_nm < geo) ++shorter_than_geodesic;
      std::snprintf(row, sizeof row, "| %s %s - %s | %.0f | %.0f | %.0f | %s |", id, from, to, published, geo, r->distance_nm, Pct(e).c_str());
      std::cout << row;
    }
    for (size_t k = 0; k < peers.size(); ++k) {
      const double nm = peers[k].second.RouteNm(lat0, lon0, lat1, lon1);
      const double e = (nm - published) / published;
      if (std::isfinite(nm)) peer_err[k].push_back(std::fabs(e));
      std::cout << " " << (std::isfinite(nm) ? std::to_string(std::lround(nm)) : "no route") << " | "
                << (std::isfinite(nm) ? Pct(e) : "") << " |";
    }
    std::cout << "\n";
  }
  std::cout << "\n| network | pairs routed | median abs error | mean abs error | max abs error |\n|---|---:|---:|---:|---:|\n";
  auto summary = [&](const std::string& name, const std::vector<double>& e) {
    double mean = 0;
    for (double x : e) mean += x;
    mean = e.empty() ? 0 : mean / static_cast<double>(e.size());
    const double max = e.empty() ? 0 : *std::max_element(e.begin(), e.end());
    char row[256];
    std::snprintf(row, sizeof row, "| %s | %zu/%zu | %.2f%% | %.2f%% | %.1f%% |\n", name.c_str(), e.size(), pairs.size(),
                  Median(e) * 100, mean * 100, max * 100);
    std::cout << row;
  };
  summary("relos", relos_err);
  for (size_t k = 0; k < peers.size(); ++k) summary(peers[k].first, peer_err[k]);
  std::cout << "\nrelos routes shorter than the geodesic: " << shorter_than_geodesic << "; failed: " << failed << "\n";
  return failed == 0 && shorter_than_geodesic == 0 ? 0 : 1;
}

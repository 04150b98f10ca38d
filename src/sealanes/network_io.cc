#include "sealanes/network_io.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <type_traits>

#include "relos/sealanes/network.h"

namespace relos::sealanes {
namespace internal {
namespace {

constexpr char kMagic[8] = {'R', 'E', 'L', 'O', 'S', 'S', 'E', 'A'};
constexpr uint32_t kVersion = 1;

uint64_t Fnv1a(const std::vector<uint8_t>& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (uint8_t b : bytes) h = (h ^ b) * 1099511628211ull;
  return h;
}

class Writer {
 public:
  template <typename T>
  void Put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    out_.insert(out_.end(), p, p + sizeof(T));
  }
  void PutString(const std::string& s) {
    Put<uint32_t>(static_cast<uint32_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }
  template <typename T>
  void PutVector(const std::vector<T>& v) {
    Put<uint64_t>(v.size());
    const auto* p = reinterpret_cast<const uint8_t*>(v.data());
    out_.insert(out_.end(), p, p + v.size() * sizeof(T));
  }
  void PutBytes(const std::vector<uint8_t>& b) { PutVector(b); }
  std::vector<uint8_t>& bytes() { return out_; }

 private:
  std::vector<uint8_t> out_;
};

class Reader {
 public:
  explicit Reader(const std::vector<uint8_t>& in) : in_(in) {}
  template <typename T>
  bool Get(T& v) {
    if (pos_ + sizeof(T) > in_.size()) return false;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool GetString(std::string& s) {
    uint32_t n = 0;
    if (!Get(n) || pos_ + n > in_.size()) return false;
    s.assign(reinterpret_cast<const char*>(in_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  template <typename T>
  bool GetVector(std::vector<T>& v) {
    uint64_t n = 0;
    if (!Get(n) || n > (in_.size() - pos_) / sizeof(T)) return false;
    v.resize(n);
    std::memcpy(v.data(), in_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  size_t& pos() { return pos_; }
  const std::vector<uint8_t>& in() const { return in_; }

 private:
  const std::vector<uint8_t>& in_;
  size_t pos_ = 0;
};

void PutPositions(Writer& w, const std::vector<GeoPosition>& ps) {
  w.Put<uint32_t>(static_cast<uint32_t>(ps.size()));
  for (const GeoPosition& p : ps) {
    w.Put(p.lat);
    w.Put(p.lon);
  }
}

bool GetPositions(Reader& r, std::vector<GeoPosition>& ps) {
  uint32_t n = 0;
  if (!r.Get(n) || n > 100000) return false;
  ps.resize(n);
  for (GeoPosition& p : ps)
    if (!r.Get(p.lat) || !r.Get(p.lon)) return false;
  return true;
}

void PutOptional(Writer& w, const std::optional<double>& v) {
  w.Put<uint8_t>(v.has_value());
  w.Put<double>(v.value_or(0));
}

bool GetOptional(Reader& r, std::optional<double>& v) {
  uint8_t has = 0;
  double x = 0;
  if (!r.Get(has) || !r.Get(x)) return false;
  v = has ? std::optional<double>(x) : std::nullopt;
  return true;
}

void PutTable(Writer& w, const PassageTable& t) {
  w.Put(t.ice.north_lat);
  w.Put(t.ice.south_lat);
  w.Put<uint32_t>(static_cast<uint32_t>(t.passages.size()));
  for (const Passage& p : t.passages) {
    w.PutString(p.id);
    w.PutString(p.name);
    w.Put<uint8_t>(static_cast<uint8_t>(p.kind));
    PutOptional(w, p.max_draught_m);
    PutOptional(w, p.max_beam_m);
    w.Put<uint8_t>(p.season.has_value());
    const SeasonWindow s = p.season.value_or(SeasonWindow{});
    for (int v : {s.open_month, s.open_day, s.close_month, s.close_day}) w.Put<int32_t>(v);
    PutPositions(w, p.route);
    PutPositions(w, p.area);
    w.PutString(p.source);
  }
}

bool GetTable(Reader& r, PassageTable& t) {
  uint32_t n = 0;
  if (!r.Get(t.ice.north_lat) || !r.Get(t.ice.south_lat) || !r.Get(n) || n > 64) return false;
  t.passages.resize(n);
  for (Passage& p : t.passages) {
    uint8_t kind = 0, has_season = 0;
    int32_t s[4] = {};
    if (!r.GetString(p.id) || !r.GetString(p.name) || !r.Get(kind) || kind > 3) return false;
    p.kind = static_cast<PassageKind>(kind);
    if (!GetOptional(r, p.max_draught_m) || !GetOptional(r, p.max_beam_m) || !r.Get(has_season)) return false;
    for (int32_t& v : s)
      if (!r.Get(v)) return false;
    if (has_season) p.season = SeasonWindow{s[0], s[1], s[2], s[3]};
    if (!GetPositions(r, p.route) || !GetPositions(r, p.area) || !r.GetString(p.source)) return false;
  }
  return true;
}

}  // namespace

Result<int64_t> WriteNetworkFile(const NetworkData& d, const std::string& path) {
  Writer w;
  w.Put<int32_t>(d.hard.cells_per_degree());
  std::vector<uint8_t> runs;
  d.hard.EncodeRuns(runs);
  w.PutBytes(runs);
  // Positions as float: 1e-5 degree (about a metre) is ample for nodes.
  std::vector<float> lat(d.lat.begin(), d.lat.end()), lon(d.lon.begin(), d.lon.end());
  w.PutVector(lat);
  w.PutVector(lon);
  w.PutVector(d.node_passages);
  w.PutVector(d.first_edge);
  w.PutVector(d.edge_to);
  w.PutVector(d.edge_nm);
  w.PutVector(d.edge_forced);
  PutTable(w, d.table);
  w.Put<uint32_t>(static_cast<uint32_t>(d.ports.size()));
  for (const ReferencePort& p : d.ports) {
    w.PutString(p.id);
    w.PutString(p.name);
    w.Put(p.position.lat);
    w.Put(p.position.lon);
  }
  w.Put<uint32_t>(d.landmark_count);
  w.PutVector(d.landmark_nm);

  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Unavailable("cannot write " + tmp, "out");
    out.write(kMagic, sizeof kMagic);
    out.write(reinterpret_cast<const char*>(&kVersion), sizeof kVersion);
    out.write(reinterpret_cast<const char*>(w.bytes().data()), static_cast<std::streamsize>(w.bytes().size()));
    const uint64_t sum = Fnv1a(w.bytes());
    out.write(reinterpret_cast<const char*>(&sum), sizeof sum);
    if (!out.flush()) return Unavailable("cannot write " + tmp, "out");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Unavailable("cannot move " + tmp + " to " + path + ": " + ec.message(), "out");
  return static_cast<int64_t>(std::filesystem::file_size(path, ec));
}

Status ReadNetworkFile(const std::string& path, NetworkData& d) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open sea-lane network " + path, "network");
  std::vector<uint8_t> all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto corrupt = [&path](const std::string& what) {
    return DataLoss("sea-lane network " + path + " is unusable: " + what + " (rebuild it with scripts/build-data.sh)",
                    "network");
  };
  if (all.size() < sizeof kMagic + 4 + 8 || std::memcmp(all.data(), kMagic, sizeof kMagic) != 0) {
    return corrupt("not a relos sea-lane network");
  }
  uint32_t version = 0;
  std::memcpy(&version, all.data() + sizeof kMagic, 4);
  if (version != kVersion) return corrupt("format version " + std::to_string(version) + ", expected " + std::to_string(kVersion));
  const std::vector<uint8_t> payload(all.begin() + sizeof kMagic + 4, all.end() - 8);
  uint64_t sum = 0;
  std::memcpy(&sum, all.data() + all.size() - 8, 8);
  if (sum != Fnv1a(payload)) return corrupt("checksum mismatch");
  d.checksum = sum;

  Reader r(payload);
  int32_t cpd = 0;
  std::vector<uint8_t> runs;
  if (!r.Get(cpd) || cpd <= 0 || cpd > 256 || (360 * cpd) % 64 != 0 || !r.GetVector(runs)) return corrupt("bad land grid");
  d.hard = LandGrid(cpd);
  size_t pos = 0;
  if (!d.hard.DecodeRuns(runs, pos) || pos != runs.size()) return corrupt("bad land grid runs");
  std::vector<float> lat, lon;
  if (!r.GetVector(lat) || !r.GetVector(lon) || lat.size() != lon.size()) return corrupt("bad nodes");
  d.lat.assign(lat.begin(), lat.end());
  d.lon.assign(lon.begin(), lon.end());
  if (!r.GetVector(d.node_passages) || !r.GetVector(d.first_edge) || !r.GetVector(d.edge_to) ||
      !r.GetVector(d.edge_nm) || !r.GetVector(d.edge_forced)) {
    return corrupt("bad edges");
  }
  const size_t n = d.lat.size();
  // Arcs keep a flag in the top bit of the node index (NetworkData::Arc).
  if (n >= NetworkData::kInPassage || d.node_passages.size() != n || d.first_edge.size() != n + 1 ||
      d.edge_nm.size() != d.edge_to.size() || d.edge_forced.size() != d.edge_to.size() ||
      d.first_edge.back() != d.edge_to.size() ||
      !std::is_sorted(d.first_edge.begin(), d.first_edge.end()) ||
      std::any_of(d.edge_to.begin(), d.edge_to.end(), [n](uint32_t v) { return v >= n; })) {
    return corrupt("inconsistent edges");
  }
  if (!GetTable(r, d.table)) return corrupt("bad passages table");
  if (std::any_of(d.edge_forced.begin(), d.edge_forced.end(),
                  [&](uint8_t f) { return f > d.table.passages.size(); })) {
    return corrupt("edge names an unknown passage");
  }
  uint32_t ports = 0;
  if (!r.Get(ports) || ports > 100000) return corrupt("bad ports");
  d.ports.resize(ports);
  for (ReferencePort& p : d.ports)
    if (!r.GetString(p.id) || !r.GetString(p.name) || !r.Get(p.position.lat) || !r.Get(p.position.lon)) return corrupt("bad ports");
  if (!r.Get(d.landmark_count) || !r.GetVector(d.landmark_nm) || d.landmark_nm.size() != d.landmark_count * n) {
    return corrupt("bad landmarks");
  }
  if (r.pos() != payload.size()) return corrupt("trailing bytes");
  d.soft = d.hard.Dilated();
  d.Index();
  return OkStatus();
}

std::vector<LonLat> UnwrapArea(const std::vector<GeoPosition>& area) {
  std::vector<LonLat> out;
  for (const GeoPosition& p : area) {
    double lon = p.lon;
    if (!out.empty()) {
      while (lon - out.back().lon > 180) lon -= 360;
      while (lon - out.back().lon < -180) lon += 360;
    }
    out.push_back({lon, p.lat});
  }
  return out;
}

bool InArea(const std::vector<LonLat>& area, double lat, double lon) {
  if (area.size() < 3) return false;
  for (double shift : {0.0, 360.0, -360.0}) {
    const double x = lon + shift;
    bool inside = false;
    for (size_t i = 0, j = area.size() - 1; i < area.size(); j = i++) {
      const LonLat& a = area[i];
      const LonLat& b = area[j];
      if ((a.lat > lat) != (b.lat > lat) && x < (b.lon - a.lon) * (lat - a.lat) / (b.lat - a.lat) + a.lon) inside = !inside;
    }
    if (inside) return true;
  }
  return false;
}

int NetworkData::BinOf(double lat, double lon) {
  const int row = std::clamp(static_cast<int>(std::floor(lat + 90.0)), 0, 179);
  int col = static_cast<int>(std::floor(lon + 180.0)) % 360;
  if (col < 0) col += 360;
  return row * 360 + col;
}

void NetworkData::Index() {
  constexpr size_t kBins = 360 * 180;
  std::vector<uint32_t> counts(kBins + 1, 0);
  for (size_t v = 0; v < node_count(); ++v) ++counts[static_cast<size_t>(BinOf(lat[v], lon[v])) + 1];
  for (size_t b = 0; b < kBins; ++b) counts[b + 1] += counts[b];
  bin_first = counts;
  bin_nodes.assign(node_count(), 0);
  std::vector<uint32_t> fill(counts.begin(), counts.end() - 1);
  for (size_t v = 0; v < node_count(); ++v) bin_nodes[fill[static_cast<size_t>(BinOf(lat[v], lon[v]))]++] = static_cast<uint32_t>(v);
  search_nodes.assign(node_count() + 1, SearchNode{0, 0, 0, 0});
  for (size_t v = 0; v < node_count(); ++v) {
    const double la = lat[v] * M_PI / 180.0, lo = lon[v] * M_PI / 180.0;
    search_nodes[v] = {static_cast<float>(std::cos(la) * std::cos(lo)), static_cast<float>(std::cos(la) * std::sin(lo)),
                       static_cast<float>(std::sin(la)), first_edge[v]};
  }
  search_nodes[node_count()].first_arc = first_edge[node_count()];
  arcs.resize(edge_to.size());
  for (size_t e = 0; e < edge_to.size(); ++e) {
    arcs[e] = {edge_to[e] | (node_passages[edge_to[e]] != 0 ? kInPassage : 0u), edge_nm[e]};
  }
  areas.clear();
  area_boxes.clear();
  for (const Passage& p : table.passages) {
    areas.push_back(UnwrapArea(p.area));
    Box box{1e9, -1e9, 1e9, -1e9};
    for (const LonLat& q : areas.back()) {
      box.min_lon = std::min(box.min_lon, q.lon);
      box.max_lon = std::max(box.max_lon, q.lon);
      box.min_lat = std::min(box.min_lat, q.lat);
      box.max_lat = std::max(box.max_lat, q.lat);
    }
    area_boxes.push_back(box);
  }
}

bool SegmentNearBox(const NetworkData::Box& box, const LonLat& a, const LonLat& b, double margin_deg) {
  if (std::max(a.lat, b.lat) + margin_deg < box.min_lat || std::min(a.lat, b.lat) - margin_deg > box.max_lat) return false;
  for (double shift : {0.0, 360.0, -360.0}) {
    const double lo = std::min(a.lon, b.lon) + shift - margin_deg, hi = std::max(a.lon, b.lon) + shift + margin_deg;
    if (hi >= box.min_lon && lo <= box.max_lon) return true;
  }
  return false;
}

bool SegmentEntersArea(const std::vector<LonLat>& area, const LonLat& a, const LonLat& b, double step_km) {
  const double deg = std::hypot(b.lon - a.lon, b.lat - a.lat);
  const int steps = std::max(1, static_cast<int>(std::ceil(deg * 111.0 / step_km)));
  for (int i = 0; i <= steps; ++i) {
    const double t = static_cast<double>(i) / steps;
    if (InArea(area, a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon))) return true;
  }
  return false;
}

}  // namespace internal

SeaLaneNetwork::SeaLaneNetwork(std::unique_ptr<internal::NetworkData> data) : data_(std::move(data)) {}
SeaLaneNetwork::~SeaLaneNetwork() = default;

Result<std::shared_ptr<const SeaLaneNetwork>> SeaLaneNetwork::Load(const std::string& path) {
  auto data = std::make_unique<internal::NetworkData>();
  RETURN_IF_ERROR(internal::ReadNetworkFile(path, *data));
  return std::shared_ptr<const SeaLaneNetwork>(new SeaLaneNetwork(std::move(data)));
}

const std::vector<Passage>& SeaLaneNetwork::passages() const { return data_->table.passages; }
const IceLimits& SeaLaneNetwork::ice_limits() const { return data_->table.ice; }
const std::vector<ReferencePort>& SeaLaneNetwork::ports() const { return data_->ports; }
int64_t SeaLaneNetwork::node_count() const { return static_cast<int64_t>(data_->node_count()); }
int64_t SeaLaneNetwork::edge_count() const { return static_cast<int64_t>(data_->edge_to.size()); }
bool SeaLaneNetwork::IsBlocked(GeoPosition p) const { return data_->hard.BlockedAt(p.lat, p.lon); }
uint64_t SeaLaneNetwork::fingerprint() const { return data_->checksum; }

Result<const Passage*> SeaLaneNetwork::FindPassage(std::string_view id) const {
  std::string known;
  for (const Passage& p : data_->table.passages) {
    if (p.id == id) return &p;
    known += (known.empty() ? "" : ", ") + p.id;
  }
  return NotFound("unknown passage '" + std::string(id) + "' (known: " + known + ")", "avoid");
}

Result<const ReferencePort*> SeaLaneNetwork::FindPort(std::string_view id_or_name) const {
  auto lower = [](std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
  };
  const std::string key = lower(id_or_name);
  for (const ReferencePort& p : data_->ports)
    if (p.id == key || lower(p.name) == key) return &p;
  return NotFound("unknown reference port '" + std::string(id_or_name) + "'", "port");
}

Result<std::string> LocateNetworkFile(std::string_view explicit_path, std::string_view env_value,
                                      std::string_view executable_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!explicit_path.empty()) {
    if (fs::exists(fs::path(explicit_path), ec)) return std::string(explicit_path);
    return NotFound("sea-lane network " + std::string(explicit_path) + " does not exist", "network");
  }
  if (!env_value.empty()) {
    if (fs::exists(fs::path(env_value), ec)) return std::string(env_value);
    return NotFound("sea-lane network " + std::string(env_value) + " (from RELOS_SEALANES) does not exist", "network");
  }
  std::vector<std::string> tried;
  if (!executable_dir.empty()) {
    tried.push_back((fs::path(executable_dir) / "sealanes.bin").string());
    // Installed: /usr/bin/relos and /usr/share/relos (packaging/).
    tried.push_back((fs::path(executable_dir) / ".." / "share" / "relos" / "sealanes.bin").string());
  }
  tried.push_back("/usr/share/relos/sealanes.bin");
  for (const std::string& t : tried)
    if (fs::exists(t, ec)) return t;
  std::string list;
  for (const std::string& t : tried) list += (list.empty() ? "" : ", ") + t;
  return NotFound("no sea-lane network found (tried --network, $RELOS_SEALANES, " + list +
                      "); build it with scripts/build-data.sh",
                  "network");
}

}  // namespace relos::sealanes

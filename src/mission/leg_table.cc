#include "relos/mission/leg_table.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "relos/sealanes/network.h"
#include "relos/sealanes/route.h"

namespace relos::mission {
namespace {

constexpr char kMagic[8] = {'R', 'E', 'L', 'O', 'S', 'L', 'E', 'G'};
constexpr uint32_t kVersion = 1;

template <typename T>
void Put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <typename T>
void PutArray(std::string& out, const std::vector<T>& v) {
  out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// Reads fixed-size values from a file image; false once it runs short.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T& v) {
    if (bytes_.size() - pos_ < sizeof v) return false;
    std::memcpy(&v, bytes_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return true;
  }
  template <typename T>
  bool GetArray(std::vector<T>& v, size_t n) {
    if ((bytes_.size() - pos_) / sizeof(T) < n) return false;
    v.resize(n);
    std::memcpy(v.data(), bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  size_t pos_ = 0;
};

}  // namespace

LegTable::LegTable(const sealanes::SeaLaneNetwork& network) : network_(&network) {}

std::optional<size_t> LegTable::PlaceIndex(GeoPosition p) const {
  auto it = index_.find({p.lat, p.lon});
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

Result<LegTable::UpdateReport> LegTable::Update(const sealanes::RoutePlanner& router,
                                                const std::vector<GeoPosition>& places) {
  LegTable next(*network_);
  for (const GeoPosition& p : places) {
    if (next.index_.emplace(std::make_pair(p.lat, p.lon), static_cast<uint32_t>(next.places_.size())).second) {
      next.places_.push_back(p);
    }
  }
  const size_t n = next.places_.size();
  next.pairs_.resize(n < 2 ? 0 : n * (n - 1) / 2);

  // Snapped when first needed: a table brought up to date routes few pairs.
  std::vector<std::optional<Result<sealanes::SeaAnchor>>> anchors(n);
  auto anchor = [&](size_t i) -> const Result<sealanes::SeaAnchor>& {
    if (!anchors[i]) anchors[i] = router.Snap(next.places_[i]);
    return *anchors[i];
  };
  // No draught or beam: no limit of a canal or strait applies, and shallow
  // areas are kept out of, as for a ship not known to fit.
  sealanes::RouteOptions open;
  open.all_seasons_open = true;
  const auto& passages = network_->passages();

  UpdateReport report;
  for (size_t i = 0; i < n; ++i) {
    const std::optional<size_t> old_i = PlaceIndex(next.places_[i]);
    for (size_t j = i + 1; j < n; ++j) {
      Pair& pair = next.pairs_[next.PairIndex(i, j)];
      const std::optional<size_t> old_j = PlaceIndex(next.places_[j]);
      if (old_i && old_j) {
        // Stored from the lower-numbered place: reversed if the order changed.
        const Pair& old = pairs_[PairIndex(std::min(*old_i, *old_j), std::max(*old_i, *old_j))];
        if (old.state != PairState::kUnknown) {
          pair = old;
          pair.first_point = static_cast<uint32_t>(next.points_.size());
          auto first = points_.begin() + old.first_point, last = first + old.point_count;
          if (*old_i < *old_j) next.points_.insert(next.points_.end(), first, last);
          else next.points_.insert(next.points_.end(), std::make_reverse_iterator(last), std::make_reverse_iterator(first));
          ++report.kept;
          continue;
        }
      }
      const Result<sealanes::SeaAnchor>& a = anchor(i);
      const Result<sealanes::SeaAnchor>& b = anchor(j);
      if (!a.ok() || !b.ok()) continue;  // left to the router, which reports why
      Result<sealanes::Route> route = router.PlanBetween(*a, *b, open);
      ++report.routed;
      if (!route.ok()) {
        if (route.status().code() != StatusCode::kNotFound) return route.status();
        pair.state = PairState::kNoRoute;
        continue;
      }
      pair.state = PairState::kRouted;
      pair.nm = route->distance_nm;
      for (const sealanes::PassageTransit& t : route->passages) {
        for (size_t k = 0; k < passages.size(); ++k)
          if (passages[k].id == t.id) pair.passages |= uint64_t{1} << k;
      }
      pair.first_point = static_cast<uint32_t>(next.points_.size());
      pair.point_count = static_cast<uint32_t>(route->waypoints.size());
      next.points_.insert(next.points_.end(), route->waypoints.begin(), route->waypoints.end());
    }
  }
  *this = std::move(next);
  return report;
}

std::optional<Result<LegPath>> LegTable::Find(GeoPosition a, GeoPosition b, std::optional<double> draught_m,
                                              std::optional<double> beam_m) const {
  const std::optional<size_t> i = PlaceIndex(a), j = PlaceIndex(b);
  if (!i || !j || *i == *j) return std::nullopt;
  const Pair& pair = pairs_[PairIndex(std::min(*i, *j), std::max(*i, *j))];
  if (pair.state == PairState::kUnknown) return std::nullopt;
  if (pair.state == PairState::kNoRoute) {
    return Result<LegPath>(NotFound("no sea route from " + a.ToString() + " to " + b.ToString(), "route"));
  }
  const auto& passages = network_->passages();
  for (size_t k = 0; k < passages.size(); ++k) {
    const sealanes::Passage& p = passages[k];
    // A ship that fits a shallow area may have a shorter way than the table's.
    if (p.kind == sealanes::PassageKind::kShallowArea && !sealanes::ClosedToShip(p, draught_m, beam_m)) return std::nullopt;
    if (((pair.passages >> k) & 1) == 0) continue;
    if (p.season || sealanes::ClosedToShip(p, draught_m, beam_m)) return std::nullopt;
  }
  LegPath leg;
  leg.nm = pair.nm;
  auto first = points_.begin() + pair.first_point, last = first + pair.point_count;
  if (*i < *j) leg.points.assign(first, last);
  else leg.points.assign(std::make_reverse_iterator(last), std::make_reverse_iterator(first));
  return Result<LegPath>(std::move(leg));
}

Status LegTable::Save(const std::string& path) const {
  std::string out(kMagic, sizeof kMagic);
  Put(out, kVersion);
  Put(out, network_->fingerprint());
  Put(out, static_cast<uint32_t>(places_.size()));
  PutArray(out, places_);
  // Column by column, so that the file has no padding bytes.
  std::vector<uint8_t> state;
  std::vector<double> nm;
  std::vector<uint64_t> via;
  std::vector<uint32_t> first, count;
  for (const Pair& p : pairs_) {
    state.push_back(static_cast<uint8_t>(p.state));
    nm.push_back(p.nm);
    via.push_back(p.passages);
    first.push_back(p.first_point);
    count.push_back(p.point_count);
  }
  PutArray(out, state);
  PutArray(out, nm);
  PutArray(out, via);
  PutArray(out, first);
  PutArray(out, count);
  Put(out, static_cast<uint64_t>(points_.size()));
  PutArray(out, points_);

  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Unavailable("cannot write leg table " + tmp, "legs");
    f.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!f.flush()) return Unavailable("cannot write leg table " + tmp, "legs");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Unavailable("cannot move " + tmp + " to " + path + ": " + ec.message(), "legs");
  return OkStatus();
}

Result<LegTable> LegTable::Keep(const std::string& path, const sealanes::SeaLaneNetwork& network,
                                const sealanes::RoutePlanner& router, const std::vector<GeoPosition>& places,
                                std::string* warning) {
  Result<LegTable> loaded = Load(path, network);
  if (!loaded.ok() && loaded.status().code() != StatusCode::kNotFound) {
    *warning = loaded.status().message() + "; routing it again";
  }
  const size_t places_before = loaded.ok() ? loaded->place_count() : 0;
  LegTable table = loaded.ok() ? *std::move(loaded) : LegTable(network);
  ASSIGN_OR_RETURN(UpdateReport report, table.Update(router, places));
  if (!loaded.ok() || report.routed > 0 || table.place_count() != places_before) RETURN_IF_ERROR(table.Save(path));
  return table;
}

Result<LegTable> LegTable::Load(const std::string& path, const sealanes::SeaLaneNetwork& network) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) return NotFound("cannot open leg table " + path, "legs");
  // In one read: the table is megabytes, and loading it is part of a cold plan.
  std::string bytes(static_cast<size_t>(f.tellg()), '\0');
  f.seekg(0);
  if (!f.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return NotFound("cannot read leg table " + path, "legs");
  const auto corrupt = [&path](const std::string& what) {
    return DataLoss("leg table " + path + " is unusable: " + what + " (delete it; it is routed again)", "legs");
  };
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return corrupt("not a relos leg table");
  }
  Reader r(bytes);
  char magic[sizeof kMagic];
  uint32_t version = 0, n = 0;
  uint64_t fingerprint = 0;
  if (!r.Get(magic) || !r.Get(version) || version != kVersion) return corrupt("unknown format version");
  if (!r.Get(fingerprint)) return corrupt("truncated");
  if (fingerprint != network.fingerprint()) {
    return FailedPrecondition("leg table " + path + " was routed on another sea-lane network", "legs");
  }
  LegTable t(network);
  if (!r.Get(n) || !r.GetArray(t.places_, n)) return corrupt("truncated places");
  for (uint32_t i = 0; i < n; ++i) {
    if (!t.index_.emplace(std::make_pair(t.places_[i].lat, t.places_[i].lon), i).second) return corrupt("a place twice");
  }
  const size_t pairs = n < 2 ? 0 : size_t{n} * (n - 1) / 2;
  std::vector<uint8_t> state;
  std::vector<double> nm;
  std::vector<uint64_t> via;
  std::vector<uint32_t> first, count;
  uint64_t points = 0;
  if (!r.GetArray(state, pairs) || !r.GetArray(nm, pairs) || !r.GetArray(via, pairs) || !r.GetArray(first, pairs) ||
      !r.GetArray(count, pairs) || !r.Get(points) || !r.GetArray(t.points_, points) || !r.AtEnd()) {
    return corrupt("truncated legs");
  }
  t.pairs_.resize(pairs);
  for (size_t k = 0; k < pairs; ++k) {
    if (state[k] > static_cast<uint8_t>(PairState::kNoRoute) || uint64_t{first[k]} + count[k] > points) {
      return corrupt("a leg out of range");
    }
    t.pairs_[k] = Pair{static_cast<PairState>(state[k]), nm[k], via[k], first[k], count[k]};
  }
  return t;
}

}  // namespace relos::mission

#include "sealanes/land_grid.h"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

#include "relos/core/status.h"

namespace relos::sealanes::internal {
namespace {

const GeographicLib::Geodesic& Wgs84() { return GeographicLib::Geodesic::WGS84(); }

// Unwraps lon1 so that it lies within 180 degrees of lon0.
double UnwrapLon(double lon0, double lon1) {
  while (lon1 - lon0 > 180.0) lon1 -= 360.0;
  while (lon1 - lon0 < -180.0) lon1 += 360.0;
  return lon1;
}

// Visits every cell that the segment (x0,y0)-(x1,y1) in cell units passes
// through, corners included on both sides (supercover, Amanatides-Woo).
// Stops early when `visit` returns false; returns false in that case.
template <typename Visit>
bool TraverseCells(double x0, double y0, double x1, double y1, Visit&& visit) {
  int cx = static_cast<int>(std::floor(x0));
  int cy = static_cast<int>(std::floor(y0));
  const int ex = static_cast<int>(std::floor(x1));
  const int ey = static_cast<int>(std::floor(y1));
  const double dx = x1 - x0;
  const double dy = y1 - y0;
  const int sx = dx > 0 ? 1 : -1;
  const int sy = dy > 0 ? 1 : -1;
  const double inf = std::numeric_limits<double>::infinity();
  const double tdx = dx != 0 ? std::fabs(1.0 / dx) : inf;
  const double tdy = dy != 0 ? std::fabs(1.0 / dy) : inf;
  double tmx = dx != 0 ? (sx > 0 ? (cx + 1 - x0) : (x0 - cx)) * tdx : inf;
  double tmy = dy != 0 ? (sy > 0 ? (cy + 1 - y0) : (y0 - cy)) * tdy : inf;
  if (!visit(cx, cy)) return false;
  // Exactly |ex-cx| + |ey-cy| unit steps lead to the end cell; counting them
  // (and never stepping past the end column or row) keeps rounding from
  // ending the walk one cell off.
  int n = std::abs(ex - cx) + std::abs(ey - cy);
  while (n > 0) {
    constexpr double kEps = 1e-9;
    const bool x_done = cx == ex;
    const bool y_done = cy == ey;
    if (!x_done && !y_done && n >= 2 && std::fabs(tmx - tmy) < kEps) {
      // Through a corner: both side cells touch the segment's neighbourhood.
      if (!visit(cx + sx, cy) || !visit(cx, cy + sy)) return false;
      cx += sx;
      cy += sy;
      tmx += tdx;
      tmy += tdy;
      n -= 2;
    } else if (!x_done && (y_done || tmx < tmy)) {
      cx += sx;
      tmx += tdx;
      --n;
    } else {
      cy += sy;
      tmy += tdy;
      --n;
    }
    if (!visit(cx, cy)) return false;
  }
  return true;
}

void PutVarint(std::vector<uint8_t>& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

bool GetVarint(const std::vector<uint8_t>& in, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) return false;
    const uint8_t b = in[pos++];
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

}  // namespace

LandGrid::LandGrid(int cells_per_degree)
    : cpd_(cells_per_degree), width_(360 * cells_per_degree), height_(180 * cells_per_degree) {
  RELOS_CHECK(cells_per_degree > 0 && width_ % 64 == 0, "cells_per_degree must make a row whole 64-bit words");
  bits_.assign(static_cast<size_t>(width_) * static_cast<size_t>(height_) / 64, 0);
}

void LandGrid::Set(int col, int row) {
  blocks_.clear();
  if (row < 0 || row >= height_) return;
  col = WrapCol(col);
  const uint64_t bit = static_cast<uint64_t>(row) * static_cast<uint64_t>(width_) + static_cast<uint64_t>(col);
  bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
}

int LandGrid::Col(double lon) const { return WrapCol(static_cast<int>(std::floor(ColF(lon)))); }

int LandGrid::Row(double lat) const {
  return std::clamp(static_cast<int>(std::floor(RowF(lat))), 0, height_ - 1);
}

void LandGrid::FillPolygons(const std::vector<Ring>& rings) {
  std::vector<std::vector<double>> crossings(static_cast<size_t>(height_));
  for (const Ring& ring : rings) {
    const size_t n = ring.size();
    for (size_t i = 0; i < n; ++i) {
      const LonLat& a = ring[i];
      const LonLat& b = ring[(i + 1) % n];
      // Boundary: every cell the edge passes through is land.
      TraverseCells(ColF(a.lon), RowF(a.lat), ColF(b.lon), RowF(b.lat), [this](int c, int r) {
        Set(c, r);
        return true;
      });
      if (a.lat == b.lat) continue;
      // Interior: crossings of the edge with row-centre scanlines, half-open
      // in latitude so that a vertex on a scanline counts once.
      const double lo = std::min(a.lat, b.lat);
      const double hi = std::max(a.lat, b.lat);
      int r0 = static_cast<int>(std::ceil(RowF(lo) - 0.5));
      const int r1 = static_cast<int>(std::ceil(RowF(hi) - 0.5)) - 1;
      r0 = std::max(r0, 0);
      for (int r = r0; r <= std::min(r1, height_ - 1); ++r) {
        const double y = CellLat(r);
        const double x = a.lon + (y - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
        crossings[static_cast<size_t>(r)].push_back(x);
      }
    }
  }
  // Rings may run past +-180 (see LandPolygons): the planar even-odd spans
  // are folded onto the globe by toggling cells modulo one turn, which is
  // the exclusive or of the parities at lon, lon + 360 and lon - 360.
  std::vector<uint8_t> parity(static_cast<size_t>(width_));
  for (int r = 0; r < height_; ++r) {
    auto& xs = crossings[static_cast<size_t>(r)];
    if (xs.empty()) continue;
    std::sort(xs.begin(), xs.end());
    std::fill(parity.begin(), parity.end(), 0);
    for (size_t i = 0; i + 1 < xs.size(); i += 2) {
      const int c0 = static_cast<int>(std::ceil(ColF(xs[i]) - 0.5));
      const int c1 = static_cast<int>(std::floor(ColF(xs[i + 1]) - 0.5));
      for (int c = c0; c <= c1; ++c) parity[static_cast<size_t>(WrapCol(c))] ^= 1;
    }
    for (int c = 0; c < width_; ++c)
      if (parity[static_cast<size_t>(c)]) Set(c, r);
  }
}

void LandGrid::BlockPolar(double north_lat, double south_lat) {
  blocks_.clear();
  for (int r = 0; r < height_; ++r) {
    const double top = -90.0 + static_cast<double>(r + 1) / cpd_;
    const double bottom = -90.0 + static_cast<double>(r) / cpd_;
    if (top > north_lat || bottom < south_lat) {
      const size_t words = static_cast<size_t>(width_ / 64);
      std::fill_n(bits_.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(r) * words), words, ~uint64_t{0});
    }
  }
}

LandGrid LandGrid::Dilated() const {
  LandGrid out(cpd_);
  const size_t words = static_cast<size_t>(width_ / 64);
  std::vector<uint64_t> horizontal(bits_.size());
  for (size_t r = 0; r < static_cast<size_t>(height_); ++r) {
    const uint64_t* row = &bits_[r * words];
    uint64_t* h = &horizontal[r * words];
    for (size_t w = 0; w < words; ++w) {
      const uint64_t prev = row[(w + words - 1) % words];  // wraps at the antimeridian
      const uint64_t next = row[(w + 1) % words];
      h[w] = row[w] | (row[w] << 1) | (prev >> 63) | (row[w] >> 1) | (next << 63);
    }
  }
  for (size_t r = 0; r < static_cast<size_t>(height_); ++r) {
    for (size_t w = 0; w < words; ++w) {
      uint64_t v = horizontal[r * words + w];
      if (r > 0) v |= horizontal[(r - 1) * words + w];
      if (r + 1 < static_cast<size_t>(height_)) v |= horizontal[(r + 1) * words + w];
      out.bits_[r * words + w] = v;
    }
  }
  out.IndexBlocks();
  return out;
}

void LandGrid::IndexBlocks() {
  blocks_.clear();
  // The nesting SegmentClear relies on: a cell column c lies in block
  // floor(c / cpd) exactly when floor(x * cpd) / cpd == floor(x).
  if ((cpd_ & (cpd_ - 1)) != 0) return;
  blocks_.assign(360 * 180, 0);
  const size_t words = static_cast<size_t>(width_ / 64);
  for (int r = 0; r < height_; ++r) {
    uint8_t* block_row = &blocks_[static_cast<size_t>(r / cpd_) * 360];
    for (size_t w = 0; w < words; ++w) {
      uint64_t bits = bits_[static_cast<size_t>(r) * words + w];
      // The blocks this word's 64 cells fall in, each with its own cells' bits.
      for (int c = static_cast<int>(w * 64); bits != 0;) {
        const int block = c / cpd_;
        const int in_block = std::min(64 - (c - static_cast<int>(w * 64)), (block + 1) * cpd_ - c);
        const uint64_t mask = in_block == 64 ? ~uint64_t{0} : (uint64_t{1} << in_block) - 1;
        if (bits & mask) block_row[block] = 1;
        bits = in_block == 64 ? 0 : bits >> in_block;
        c += in_block;
      }
    }
  }
}

bool LandGrid::SegmentClear(double lon0, double lat0, double lon1, double lat1) const {
  if (!blocks_.empty() &&
      TraverseCells(lon0 + 180.0, lat0 + 90.0, lon1 + 180.0, lat1 + 90.0, [this](int c, int r) {
        if (r < 0 || r >= 180) return false;
        c %= 360;
        return blocks_[static_cast<size_t>(r) * 360 + static_cast<size_t>(c < 0 ? c + 360 : c)] == 0;
      })) {
    return true;
  }
  return TraverseCells(ColF(lon0), RowF(lat0), ColF(lon1), RowF(lat1),
                       [this](int c, int r) { return !Blocked(c, r); });
}

bool LandGrid::GeodesicClear(double lat0, double lon0, double lat1, double lon1, double chord_km) const {
  // A quick look at the end cells rejects most failing tests before any geodesy.
  if (BlockedAt(lat0, lon0) || BlockedAt(lat1, lon1)) return false;
  const double nm = GeodesicNm(lat0, lon0, lat1, lon1);
  if (nm * kMetresPerNm / 1000.0 <= chord_km) return SegmentClear(lon0, lat0, UnwrapLon(lon0, lon1), lat1);
  return EveryChord(lat0, lon0, lat1, lon1, chord_km, [this](const LonLat& a, const LonLat& b) {
    return SegmentClear(a.lon, a.lat, UnwrapLon(a.lon, b.lon), b.lat);
  });
}

void LandGrid::EncodeRuns(std::vector<uint8_t>& out) const {
  for (int r = 0; r < height_; ++r) {
    bool state = false;
    int run = 0;
    for (int c = 0; c < width_; ++c) {
      if (Blocked(c, r) != state) {
        PutVarint(out, static_cast<uint64_t>(run));
        state = !state;
        run = 0;
      }
      ++run;
    }
    PutVarint(out, static_cast<uint64_t>(run));
  }
}

bool LandGrid::DecodeRuns(const std::vector<uint8_t>& data, size_t& pos) {
  for (int r = 0; r < height_; ++r) {
    int c = 0;
    bool state = false;
    while (c < width_) {
      uint64_t run = 0;
      if (!GetVarint(data, pos, run) || run > static_cast<uint64_t>(width_ - c)) return false;
      if (state) {
        for (int i = 0; i < static_cast<int>(run); ++i) Set(c + i, r);
      }
      c += static_cast<int>(run);
      state = !state;
    }
  }
  IndexBlocks();
  return true;
}

double GeodesicNm(double lat0, double lon0, double lat1, double lon1) {
  double s12 = 0;
  Wgs84().Inverse(lat0, lon0, lat1, lon1, s12);
  return s12 / kMetresPerNm;
}

namespace {

// At least the WGS84 geodesic length (km), cheaply: the great circle on a
// sphere of radius a / sqrt(1 - e^2), the largest radius of curvature of the
// ellipsoid (both at the poles), whose metric is nowhere smaller than the
// ellipsoid's at the same latitude and longitude.
double GeodesicUpperBoundKm(double lat0, double lon0, double lat1, double lon1) {
  const double f = Wgs84().Flattening();
  static const double radius_km = Wgs84().EquatorialRadius() / std::sqrt(1 - f * (2 - f)) / 1000.0;
  constexpr double kRad = M_PI / 180.0;
  const double dlat = (lat1 - lat0) * kRad, dlon = (lon1 - lon0) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat0 * kRad) * std::cos(lat1 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * radius_km * std::asin(std::min(1.0, std::sqrt(h)));
}

}  // namespace

bool EveryChord(double lat0, double lon0, double lat1, double lon1, double max_km,
                const std::function<bool(const LonLat&, const LonLat&)>& chord) {
  // One chord either way: no geodesic to solve for a leg known to be short.
  if (GeodesicUpperBoundKm(lat0, lon0, lat1, lon1) * 1.000001 <= max_km) return chord({lon0, lat0}, {lon1, lat1});
  const GeographicLib::GeodesicLine line =
      Wgs84().InverseLine(lat0, lon0, lat1, lon1,
                          GeographicLib::Geodesic::LATITUDE | GeographicLib::Geodesic::LONGITUDE |
                              GeographicLib::Geodesic::DISTANCE);
  const double total = line.Distance();
  const int pieces = std::max(1, static_cast<int>(std::ceil(total / (max_km * 1000.0))));
  // Points equally spaced in arc length on the auxiliary sphere, which is
  // distance within a fraction of a percent and much cheaper to place.
  const double arc = line.Arc();
  LonLat from{lon0, lat0};
  for (int i = 1; i <= pieces; ++i) {
    LonLat to{lon1, lat1};
    if (i < pieces) line.ArcPosition(arc * i / pieces, to.lat, to.lon);
    if (!chord(from, to)) return false;
    from = to;
  }
  return true;
}

void GeodesicPoints(double lat0, double lon0, double lat1, double lon1, double max_km, std::vector<LonLat>& out) {
  out.push_back({lon0, lat0});
  EveryChord(lat0, lon0, lat1, lon1, max_km, [&out](const LonLat&, const LonLat& to) {
    out.push_back(to);
    return true;
  });
}

}  // namespace relos::sealanes::internal

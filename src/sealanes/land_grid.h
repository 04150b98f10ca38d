// Private to relos_sealanes. The land grid: a global raster of lat/lon cells
// (cells_per_degree per degree) in which a set bit means "no ship goes here"
// (land touches the cell, or it lies beyond an ice limit), and the
// line-of-sight test that decides whether a geodesic leg stays on water.
//
// Column 0 starts at 180 W and columns wrap around the antimeridian; row 0
// starts at 90 S. Rows outside the grid are blocked.
//
// Thread-safety: immutable after construction; concurrent reads are safe.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "relos/sealanes/land.h"

namespace relos::sealanes::internal {

class LandGrid {
 public:
  LandGrid() = default;
  explicit LandGrid(int cells_per_degree);

  int cells_per_degree() const { return cpd_; }
  int width() const { return width_; }
  int height() const { return height_; }

  bool Blocked(int col, int row) const {
    if (row < 0 || row >= height_) return true;
    col = WrapCol(col);
    const uint64_t bit = static_cast<uint64_t>(row) * static_cast<uint64_t>(width_) + static_cast<uint64_t>(col);
    return (bits_[bit >> 6] >> (bit & 63)) & 1;
  }
  // Blocks the cell; the block index (IndexBlocks) is dropped until rebuilt.
  void Set(int col, int row);
  int WrapCol(int col) const {
    col %= width_;
    return col < 0 ? col + width_ : col;
  }

  // Cell coordinates (fractional) of a position.
  double ColF(double lon) const { return (lon + 180.0) * cpd_; }
  double RowF(double lat) const { return (lat + 90.0) * cpd_; }
  int Col(double lon) const;
  int Row(double lat) const;
  // Centre of a cell.
  double CellLon(int col) const { return -180.0 + (WrapCol(col) + 0.5) / cpd_; }
  double CellLat(int row) const { return -90.0 + (row + 0.5) / cpd_; }
  bool BlockedAt(double lat, double lon) const { return Blocked(Col(lon), Row(lat)); }

  // Marks every cell that `rings` touch or cover (even-odd fill at row
  // centres plus every cell an edge passes through): conservative, so a free
  // cell holds no land at all.
  void FillPolygons(const std::vector<Ring>& rings);
  // Blocks every row whose cells reach north of `north_lat` or south of `south_lat`.
  void BlockPolar(double north_lat, double south_lat);
  // A copy in which every cell next to (8-neighbour) a blocked cell is blocked too.
  LandGrid Dilated() const;
  // Builds the index of 1-degree blocks that SegmentClear consults first.
  // Done by DecodeRuns and Dilated; any later change drops it (SegmentClear
  // then walks every cell, as without it).
  void IndexBlocks();

  // True when the straight segment in lon/lat between the two points (lon
  // unwrapped: |lon1 - lon0| <= 180 assumed by the caller) crosses only free
  // cells: every cell the segment touches is tested (supercover). With the
  // block index, a segment whose 1-degree blocks are all free is passed after
  // a walk over blocks: the cells nest in the blocks (cells_per_degree is a
  // power of two, so both walks floor the same coordinates alike), so every
  // cell the segment touches lies in a block it touches.
  bool SegmentClear(double lon0, double lat0, double lon1, double lat1) const;
  // True when the geodesic from a to b crosses only free cells. The geodesic
  // is followed by chords at most `chord_km` long; a chord of length L at
  // latitude phi strays about L^2 tan(phi) / 8R from the geodesic: 30 m for
  // the default at 60 degrees, well inside a cell. Longer chords are for
  // tests against the dilated grid, whose extra cell absorbs the error.
  bool GeodesicClear(double lat0, double lon0, double lat1, double lon1, double chord_km = kChordKm) const;

  // Run-length encoding for the network file: per row, alternating run
  // lengths starting with a free run, as LEB128 varints.
  void EncodeRuns(std::vector<uint8_t>& out) const;
  // False when `data` is malformed; `pos` advances past the runs.
  bool DecodeRuns(const std::vector<uint8_t>& data, size_t& pos);

  static constexpr double kChordKm = 30.0;

 private:
  int cpd_ = 0;
  int width_ = 0;
  int height_ = 0;
  std::vector<uint64_t> bits_;
  // 360 x 180 one-degree blocks, row-major from 90 S / 180 W: 1 when any
  // cell in the block is blocked. Empty when not built or out of date.
  std::vector<uint8_t> blocks_;
};

// Geodesic distance in nautical miles on WGS84 (GeographicLib).
double GeodesicNm(double lat0, double lon0, double lat1, double lon1);
// Points along the geodesic from a to b about max_km apart (equal steps of
// arc length: within 0.5% of equal distance), both ends included.
void GeodesicPoints(double lat0, double lon0, double lat1, double lon1, double max_km, std::vector<LonLat>& out);
// The chords between those same points, each placed only when the one
// before it passed: `chord` is called in order from a to b and the walk
// stops at the first false (a line-of-sight test that fails near its start
// places few points). True when every chord passed.
bool EveryChord(double lat0, double lon0, double lat1, double lon1, double max_km,
                const std::function<bool(const LonLat&, const LonLat&)>& chord);

constexpr double kMetresPerNm = 1852.0;

}  // namespace relos::sealanes::internal

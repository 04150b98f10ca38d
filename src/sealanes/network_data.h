// Private to relos_sealanes: the in-memory form of a sea-lane network,
// shared by the builder, the file reader and the route planner.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "relos/sealanes/passage.h"
#include "sealanes/land_grid.h"

namespace relos::sealanes::internal {

// Edge flag value for an edge that is not part of a passage's forced route.
constexpr uint8_t kFreeEdge = 0;

struct NetworkData {
  LandGrid hard;  // land touches the cell (or beyond an ice limit)
  LandGrid soft;  // `hard` grown by one cell: shortcuts keep this clearance

  // Nodes.
  std::vector<double> lat;
  std::vector<double> lon;
  std::vector<uint64_t> node_passages;  // bit i: inside passage i

  // Directed edges in CSR form; every edge is stored in both directions.
  std::vector<uint32_t> first_edge;  // size nodes + 1
  std::vector<uint32_t> edge_to;
  std::vector<float> edge_nm;
  std::vector<uint8_t> edge_forced;  // kFreeEdge, or 1 + index of the passage whose route it is

  PassageTable table;
  std::vector<ReferencePort> ports;
  uint64_t checksum = 0;  // of the file it was read from: tells one network from another

  // ALT: landmark_nm[v * landmark_count + l] is the network distance
  // between node v and landmark l (node-major: one cache line per node).
  uint32_t landmark_count = 0;
  std::vector<float> landmark_nm;

  // Derived at load, not stored: nodes by 1-degree bin for nearby searches,
  // and passage areas with longitudes unwrapped across the antimeridian.
  // The search graph, laid out for A*: per node, its point on the unit
  // sphere (the chord bound) and where its arcs start, in one 16-byte record
  // (size nodes + 1, the last holding only the end of the arcs); per arc,
  // the head node and the length together, the head's top bit set when it
  // lies in any passage. A node expanded costs one record and one run of
  // arcs; a neighbour outside every passage costs no look-up of its own.
  struct SearchNode {
    float x, y, z;
    uint32_t first_arc;
  };
  struct Arc {
    uint32_t head;  // node index | kInPassage
    float nm;
  };
  static constexpr uint32_t kInPassage = 0x80000000u;
  std::vector<SearchNode> search_nodes;
  std::vector<Arc> arcs;
  std::vector<uint32_t> bin_first;  // size 360 * 180 + 1
  std::vector<uint32_t> bin_nodes;
  std::vector<std::vector<LonLat>> areas;
  struct Box {
    double min_lon, max_lon, min_lat, max_lat;
  };
  std::vector<Box> area_boxes;  // of `areas`, in their unwrapped longitudes

  size_t node_count() const { return lat.size(); }
  static int BinOf(double lat, double lon);
  // Fills the derived members.
  void Index();
};

// The polygon with each longitude moved by whole turns to lie within 180
// degrees of the previous one, so that areas may span the antimeridian.
std::vector<LonLat> UnwrapArea(const std::vector<GeoPosition>& area);
// Point in a passage area (unwrapped polygon from NetworkData::areas).
bool InArea(const std::vector<LonLat>& area, double lat, double lon);
// True when the straight lon/lat segment a-b (b unwrapped next to a) may
// touch the box, allowing for the box's longitudes being a turn away.
bool SegmentNearBox(const NetworkData::Box& box, const LonLat& a, const LonLat& b, double margin_deg);
// True when the straight lon/lat segment a-b (b unwrapped next to a) enters
// the area: samples `step_km` apart (areas are tens of km across).
bool SegmentEntersArea(const std::vector<LonLat>& area, const LonLat& a, const LonLat& b, double step_km);

}  // namespace relos::sealanes::internal

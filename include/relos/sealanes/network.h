// The sea-lane network: a navigation graph over the world's oceans that relos
// builds itself from coastline polygons and the passages table, stored as one
// compact binary file and loaded read-only for route queries.
//
// How it is built (docs/sealanes.md has the details): land is rasterised on a
// 1/32-degree grid, counting a cell as land if any land touches it; ice limits
// are added as land. Water is covered by a quadtree whose leaves are 2-degree
// squares in open ocean and shrink to 1/8 degree along coasts; each leaf (or
// each separate patch of water in a coastal leaf) gives a node, and nodes of
// touching leaves are joined when the geodesic between them crosses no land
// cell. Canals and narrow straits add their authored routes as forced edges.
// Nodes off the main ocean (lakes, enclosed lagoons) are dropped. Distances
// from a few landmark nodes are precomputed for A* (the ALT heuristic). The
// land grid is kept in the file so that routes can be checked and shortened
// against it at query time.
//
// Thread-safety: BuildSeaLaneNetwork is a pure function of its inputs.
// A loaded SeaLaneNetwork is immutable and safe for concurrent queries.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/status.h"
#include "relos/sealanes/land.h"
#include "relos/sealanes/passage.h"

namespace relos::sealanes {

struct NetworkBuildOptions {
  int cells_per_degree = 32;  // land grid resolution; a power of two
  int landmarks = 16;         // ALT landmark count, 0 to disable
};

struct NetworkBuildReport {
  int64_t nodes = 0;
  int64_t edges = 0;  // directed
  int64_t dropped_nodes = 0;  // off the main ocean
  int64_t file_bytes = 0;
  double seconds = 0;
};

namespace internal {
struct NetworkData;
}  // namespace internal

class SeaLaneNetwork {
 public:
  // Builds the network and writes it to `out_path` (atomically: a temporary
  // file renamed into place). InvalidArgument when a passage route point or
  // port cannot be placed on navigable water; Unavailable when the file
  // cannot be written.
  static Result<NetworkBuildReport> Build(const LandPolygons& land, const PassageTable& passages,
                                          const std::vector<ReferencePort>& ports, const std::string& out_path,
                                          const NetworkBuildOptions& options = {});

  // Loads a file written by Build. NotFound when it cannot be opened;
  // DataLoss when it is truncated, corrupt or of another format version.
  static Result<std::shared_ptr<const SeaLaneNetwork>> Load(const std::string& path);

  ~SeaLaneNetwork();
  SeaLaneNetwork(const SeaLaneNetwork&) = delete;
  SeaLaneNetwork& operator=(const SeaLaneNetwork&) = delete;

  const std::vector<Passage>& passages() const;
  const IceLimits& ice_limits() const;
  const std::vector<ReferencePort>& ports() const;
  // The passage with this id; NotFound naming the id and listing the known ones.
  Result<const Passage*> FindPassage(std::string_view id) const;
  // The reference port with this id or name (case-insensitive); NotFound.
  Result<const ReferencePort*> FindPort(std::string_view id_or_name) const;

  int64_t node_count() const;
  int64_t edge_count() const;
  // True when the land grid marks the cell holding `p` as land (or inside an
  // ice limit). Coarser than LandIndex: a cell that any coast touches is land.
  bool IsBlocked(GeoPosition p) const;
  // The checksum of the file the network was loaded from: results computed
  // over one network (mission::LegTable) record it to tell when they are stale.
  uint64_t fingerprint() const;

  // For the planner in this module only.
  const internal::NetworkData& data() const { return *data_; }

 private:
  explicit SeaLaneNetwork(std::unique_ptr<internal::NetworkData> data);
  std::unique_ptr<internal::NetworkData> data_;
};

// Where to find the network file when no path is given, in this order: the
// explicit path (if non-empty), the environment value `env_value` (the caller
// reads $RELOS_SEALANES), `sealanes.bin` next to the executable, then
// /usr/share/relos/sealanes.bin. Returns the first that exists; NotFound
// listing every place tried (an explicit path or env value that does not
// exist is NotFound at once, naming it).
Result<std::string> LocateNetworkFile(std::string_view explicit_path, std::string_view env_value,
                                      std::string_view executable_dir);

}  // namespace relos::sealanes

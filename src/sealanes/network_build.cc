// Builds the sea-lane network (see network.h for the method in brief and
// docs/sealanes.md for the reasoning).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "relos/sealanes/network.h"
#include "sealanes/network_data.h"
#include "sealanes/network_io.h"

namespace relos::sealanes {
namespace {

using internal::LandGrid;
using internal::NetworkData;

// Quadtree geometry in land-grid cells: leaves are 64 cells (2 degrees at
// 32 cells per degree) in open water and shrink to 4 cells (1/8 degree,
// about 7.5 nm) where land is near.
constexpr int kMinLeaf = 4;
constexpr int kTopLeaf = 64;

struct Leaf {
  int x, y, size;   // lower-left cell and side, in cells
  bool mixed;       // holds some land: one node per patch of water
  uint32_t first_node;
  uint32_t node_count;
  uint32_t labels;  // mixed leaves: offset of their kMinLeaf^2 patch labels
};

struct Graph {
  std::vector<double> lat, lon;
  std::vector<uint64_t> passages;
  struct E {
    uint32_t a, b;
    uint8_t forced;
  };
  std::vector<E> edges;
  uint32_t AddNode(double la, double lo) {
    lat.push_back(la);
    lon.push_back(lo);
    passages.push_back(0);
    return static_cast<uint32_t>(lat.size() - 1);
  }
};

class Builder {
 public:
  Builder(const LandGrid& hard, const LandGrid& soft) : hard_(hard), soft_(soft) {
    bw_ = hard.width() / kMinLeaf;
    bh_ = hard.height() / kMinLeaf;
    block_leaf_.assign(static_cast<size_t>(bw_) * static_cast<size_t>(bh_), -1);
  }

  void BuildLeaves() {
    // Block states at the finest level: 0 all free, 1 mixed, 2 all land.
    std::vector<uint8_t> state(static_cast<size_t>(bw_) * static_cast<size_t>(bh_));
    for (int by = 0; by < bh_; ++by) {
      for (int bx = 0; bx < bw_; ++bx) {
        int blocked = 0;
        for (int dy = 0; dy < kMinLeaf; ++dy)
          for (int dx = 0; dx < kMinLeaf; ++dx) blocked += hard_.Blocked(bx * kMinLeaf + dx, by * kMinLeaf + dy);
        state[Idx(bx, by)] = blocked == 0 ? 0 : (blocked == kMinLeaf * kMinLeaf ? 2 : 1);
      }
    }
    const int top_blocks = kTopLeaf / kMinLeaf;
    for (int by = 0; by < bh_; by += top_blocks)
      for (int bx = 0; bx < bw_; bx += top_blocks) Split(state, bx, by, top_blocks);
  }

  // Nodes: the centre of a free leaf; in a mixed leaf, one per 4-connected
  // patch of water, at the patch cell nearest its centroid, preferring
  // cells with a cell's clearance from land.
  void PlaceNodes() {
    for (Leaf& leaf : leaves_) {
      leaf.first_node = static_cast<uint32_t>(g_.lat.size());
      if (!leaf.mixed) {
        const double half = leaf.size / 2.0;
        g_.AddNode(-90.0 + (leaf.y + half) / hard_.cells_per_degree(),
                   -180.0 + (leaf.x + half) / hard_.cells_per_degree());
        leaf.node_count = 1;
        continue;
      }
      int label[kMinLeaf][kMinLeaf];
      int patches = LabelPatches(leaf, label);
      leaf.labels = static_cast<uint32_t>(labels_.size());
      for (const auto& row : label)
        for (int l : row) labels_.push_back(static_cast<int8_t>(l));
      for (int p = 0; p < patches; ++p) {
        double cx = 0, cy = 0;
        int n = 0;
        for (int dy = 0; dy < kMinLeaf; ++dy)
          for (int dx = 0; dx < kMinLeaf; ++dx)
            if (label[dy][dx] == p) cx += dx, cy += dy, ++n;
        cx /= n;
        cy /= n;
        int best_x = 0, best_y = 0;
        double best = std::numeric_limits<double>::infinity();
        for (int dy = 0; dy < kMinLeaf; ++dy) {
          for (int dx = 0; dx < kMinLeaf; ++dx) {
            if (label[dy][dx] != p) continue;
            const bool clear = !soft_.Blocked(leaf.x + dx, leaf.y + dy);
            const double score = (dx - cx) * (dx - cx) + (dy - cy) * (dy - cy) + (clear ? 0 : 100);
            if (score < best) best = score, best_x = dx, best_y = dy;
          }
        }
        g_.AddNode(hard_.CellLat(leaf.y + best_y), hard_.CellLon(leaf.x + best_x));
      }
      leaf.node_count = static_cast<uint32_t>(patches);
    }
  }

  // Joins the nodes of leaves that touch (sides or corners) when the
  // geodesic between them crosses no land cell; then guarantees that water
  // connected on the grid is connected in the graph.
  void ConnectLeaves() {
    std::vector<int> neighbours;
    for (size_t li = 0; li < leaves_.size(); ++li) {
      NeighbourLeaves(leaves_[li], neighbours);
      for (int ni : neighbours) {
        if (static_cast<size_t>(ni) <= li) continue;  // each pair once
        const Leaf& a = leaves_[li];
        const Leaf& b = leaves_[static_cast<size_t>(ni)];
        for (uint32_t u = a.first_node; u < a.first_node + a.node_count; ++u)
          for (uint32_t v = b.first_node; v < b.first_node + b.node_count; ++v) TryEdge(u, v);
      }
    }
    RepairConnectivity();
  }

  // Forced routes of canals and narrow straits: a chain of nodes whose ends
  // join the ordinary network.
  Status AddPassageRoutes(const PassageTable& table) {
    for (size_t pi = 0; pi < table.passages.size(); ++pi) {
      const Passage& p = table.passages[pi];
      if (p.route.empty()) continue;
      const GeoPosition& first = p.route.front();
      const GeoPosition& last = p.route.back();
      for (const GeoPosition* end : {&first, &last}) {
        if (hard_.BlockedAt(end->lat, end->lon)) {
          return InvalidArgument("passage '" + p.id + "': route end " + end->ToString() + " is not on navigable water",
                                 "passages." + p.id + ".route");
        }
      }
      uint32_t prev = 0;
      for (size_t i = 0; i < p.route.size(); ++i) {
        const uint32_t v = g_.AddNode(p.route[i].lat, p.route[i].lon);
        g_.passages[v] |= uint64_t{1} << pi;
        if (i > 0) g_.edges.push_back({prev, v, static_cast<uint8_t>(pi + 1)});
        if (i == 0 || i + 1 == p.route.size()) {
          if (!JoinToNetwork(v)) {
            return InvalidArgument("passage '" + p.id + "': route end " + p.route[i].ToString() + " sees no network node",
                                   "passages." + p.id + ".route");
          }
        }
        prev = v;
      }
    }
    return OkStatus();
  }

  void TagAreas(const PassageTable& table) {
    std::vector<std::vector<LonLat>> areas;
    for (const Passage& p : table.passages) areas.push_back(internal::UnwrapArea(p.area));
    for (size_t v = 0; v < g_.lat.size(); ++v)
      for (size_t pi = 0; pi < areas.size(); ++pi)
        if (!areas[pi].empty() && internal::InArea(areas[pi], g_.lat[v], g_.lon[v])) g_.passages[v] |= uint64_t{1} << pi;
  }

  Graph& graph() { return g_; }

  // Water that the network does not reach (lakes, lagoons the grid closes)
  // becomes land on the grid: "navigable" means joined to the oceans, so a
  // position there snaps out to the sea instead of to an unreachable node.
  void BlockUnreachableWater(const std::vector<int64_t>& remap, LandGrid& hard) const {
    for (const Leaf& leaf : leaves_) {
      for (int dy = 0; dy < leaf.size; ++dy) {
        for (int dx = 0; dx < leaf.size; ++dx) {
          const int64_t v = NodeAtCell(leaf.x + dx, leaf.y + dy);
          if (v >= 0 && remap[static_cast<size_t>(v)] < 0) hard.Set(leaf.x + dx, leaf.y + dy);
        }
      }
    }
  }

 private:
  size_t Idx(int bx, int by) const { return static_cast<size_t>(by) * static_cast<size_t>(bw_) + static_cast<size_t>(bx); }

  void Split(const std::vector<uint8_t>& state, int bx, int by, int blocks) {
    bool all_free = true, all_land = true;
    for (int y = by; y < by + blocks; ++y)
      for (int x = bx; x < bx + blocks; ++x) {
        all_free &= state[Idx(x, y)] == 0;
        all_land &= state[Idx(x, y)] == 2;
      }
    if (all_land) return;
    if (all_free || blocks == 1) {
      const int id = static_cast<int>(leaves_.size());
      leaves_.push_back({bx * kMinLeaf, by * kMinLeaf, blocks * kMinLeaf, !all_free, 0, 0, 0});
      for (int y = by; y < by + blocks; ++y)
        for (int x = bx; x < bx + blocks; ++x) block_leaf_[Idx(x, y)] = id;
      return;
    }
    const int h = blocks / 2;
    Split(state, bx, by, h);
    Split(state, bx + h, by, h);
    Split(state, bx, by + h, h);
    Split(state, bx + h, by + h, h);
  }

  int LabelPatches(const Leaf& leaf, int (&label)[kMinLeaf][kMinLeaf]) const {
    for (auto& row : label)
      for (int& l : row) l = -1;
    int patches = 0;
    for (int sy = 0; sy < kMinLeaf; ++sy) {
      for (int sx = 0; sx < kMinLeaf; ++sx) {
        if (label[sy][sx] >= 0 || hard_.Blocked(leaf.x + sx, leaf.y + sy)) continue;
        std::vector<std::pair<int, int>> stack{{sx, sy}};
        label[sy][sx] = patches;
        while (!stack.empty()) {
          auto [x, y] = stack.back();
          stack.pop_back();
          const int dxs[] = {1, -1, 0, 0};
          const int dys[] = {0, 0, 1, -1};
          for (int k = 0; k < 4; ++k) {
            const int nx = x + dxs[k], ny = y + dys[k];
            if (nx < 0 || ny < 0 || nx >= kMinLeaf || ny >= kMinLeaf) continue;
            if (label[ny][nx] >= 0 || hard_.Blocked(leaf.x + nx, leaf.y + ny)) continue;
            label[ny][nx] = patches;
            stack.push_back({nx, ny});
          }
        }
        ++patches;
      }
    }
    return patches;
  }

  int LeafAtCell(int col, int row) const {
    if (row < 0 || row >= hard_.height()) return -1;
    col = hard_.WrapCol(col);
    return block_leaf_[Idx(col / kMinLeaf, row / kMinLeaf)];
  }

  // The node that owns a free cell.
  int64_t NodeAtCell(int col, int row) const {
    const int li = LeafAtCell(col, row);
    if (li < 0 || hard_.Blocked(col, row)) return -1;
    const Leaf& leaf = leaves_[static_cast<size_t>(li)];
    if (!leaf.mixed) return leaf.first_node;
    const int lx = hard_.WrapCol(col) - leaf.x;
    const int ly = row - leaf.y;
    return leaf.first_node + static_cast<uint32_t>(labels_[leaf.labels + static_cast<uint32_t>(ly * kMinLeaf + lx)]);
  }

  void NeighbourLeaves(const Leaf& leaf, std::vector<int>& out) const {
    out.clear();
    // Walk the ring of min-blocks around the leaf.
    const int b0x = leaf.x / kMinLeaf - 1, b0y = leaf.y / kMinLeaf - 1;
    const int n = leaf.size / kMinLeaf + 2;
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        if (i != 0 && i != n - 1 && j != 0 && j != n - 1) continue;
        const int by = b0y + j;
        if (by < 0 || by >= bh_) continue;
        const int bx = ((b0x + i) % bw_ + bw_) % bw_;
        const int li = block_leaf_[Idx(bx, by)];
        if (li >= 0) out.push_back(li);
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }

  bool TryEdge(uint32_t u, uint32_t v) {
    if (u == v) return false;
    const uint64_t key = (static_cast<uint64_t>(std::min(u, v)) << 32) | std::max(u, v);
    if (edge_keys_.count(key)) return true;
    if (!hard_.GeodesicClear(g_.lat[u], g_.lon[u], g_.lat[v], g_.lon[v])) return false;
    edge_keys_.insert(key);
    g_.edges.push_back({u, v, internal::kFreeEdge});
    return true;
  }

  // Every pair of 4-adjacent water cells owned by different nodes must be
  // joined: where the straight leg between the two nodes touches land (a
  // winding patch of water, or a leg between leaves of different sizes that
  // clips a third leaf), a cell path between them is pulled taut into
  // intermediate nodes. Checking each leaf's east and north sides covers
  // every pair of cells across a leaf boundary once.
  void RepairConnectivity() {
    const size_t count = leaves_.size();  // LinkByCellPath adds no leaves
    for (size_t li = 0; li < count; ++li) {
      const Leaf leaf = leaves_[li];
      for (int i = 0; i < leaf.size; ++i) {
        CheckAdjacent(leaf.x + leaf.size - 1, leaf.y + i, leaf.x + leaf.size, leaf.y + i);
        CheckAdjacent(leaf.x + i, leaf.y + leaf.size - 1, leaf.x + i, leaf.y + leaf.size);
      }
    }
  }

  void CheckAdjacent(int c0, int r0, int c1, int r1) {
    if (r1 >= hard_.height()) return;
    const int64_t u = NodeAtCell(c0, r0);
    const int64_t v = NodeAtCell(c1, r1);
    if (u < 0 || v < 0 || u == v) return;
    const uint64_t key = (static_cast<uint64_t>(std::min(u, v)) << 32) | static_cast<uint64_t>(std::max(u, v));
    if (edge_keys_.count(key)) return;
    edge_keys_.insert(key);
    if (hard_.GeodesicClear(g_.lat[static_cast<size_t>(u)], g_.lon[static_cast<size_t>(u)],
                            g_.lat[static_cast<size_t>(v)], g_.lon[static_cast<size_t>(v)])) {
      g_.edges.push_back({static_cast<uint32_t>(u), static_cast<uint32_t>(v), internal::kFreeEdge});
      return;
    }
    ++repairs_;
    LinkByCellPath(static_cast<uint32_t>(u), static_cast<uint32_t>(v));
  }

  // Breadth-first search over water cells from u's cell to v's cell within a
  // small window, then the cell path reduced to taut legs with new nodes at
  // the turns.
  void LinkByCellPath(uint32_t u, uint32_t v) {
    const int cu = hard_.Col(g_.lon[u]), ru = hard_.Row(g_.lat[u]);
    const int cv = hard_.Col(g_.lon[v]), rv = hard_.Row(g_.lat[v]);
    constexpr int kWindow = 3 * kTopLeaf;
    struct Cell {
      int c, r;
    };
    std::vector<Cell> cells;
    std::unordered_map<int64_t, int64_t> parent;
    auto key = [this](int c, int r) { return static_cast<int64_t>(r) * hard_.width() + hard_.WrapCol(c); };
    std::deque<Cell> queue{{cu, ru}};
    parent[key(cu, ru)] = -1;
    bool found = false;
    while (!queue.empty() && !found) {
      const Cell cur = queue.front();
      queue.pop_front();
      const int dxs[] = {1, -1, 0, 0};
      const int dys[] = {0, 0, 1, -1};
      for (int k = 0; k < 4; ++k) {
        const int nc = hard_.WrapCol(cur.c + dxs[k]), nr = cur.r + dys[k];
        if (hard_.Blocked(nc, nr)) continue;
        int dcol = std::abs(nc - cu);
        dcol = std::min(dcol, hard_.width() - dcol);
        if (dcol > kWindow || std::abs(nr - ru) > kWindow) continue;
        const int64_t k2 = key(nc, nr);
        if (parent.count(k2)) continue;
        parent[k2] = key(cur.c, cur.r);
        if (nc == cv && nr == rv) {
          found = true;
          break;
        }
        queue.push_back({nc, nr});
      }
    }
    if (!found) return;  // not connected within the window: the leaves are not truly joined
    std::vector<Cell> path;
    for (int64_t k = key(cv, rv); k != -1; k = parent[k]) {
      path.push_back({static_cast<int>(k % hard_.width()), static_cast<int>(k / hard_.width())});
    }
    std::reverse(path.begin(), path.end());
    // Taut legs: from each turn, the farthest path cell still in sight.
    uint32_t prev = u;
    size_t i = 0;
    while (i + 1 < path.size()) {
      size_t j = path.size() - 1;
      const double plat = g_.lat[prev], plon = g_.lon[prev];
      while (j > i + 1 && !hard_.GeodesicClear(plat, plon, hard_.CellLat(path[j].r), hard_.CellLon(path[j].c))) --j;
      if (j == path.size() - 1 && hard_.GeodesicClear(plat, plon, g_.lat[v], g_.lon[v])) break;
      const uint32_t mid = g_.AddNode(hard_.CellLat(path[j].r), hard_.CellLon(path[j].c));
      g_.edges.push_back({prev, mid, internal::kFreeEdge});
      prev = mid;
      i = j;
    }
    g_.edges.push_back({prev, v, internal::kFreeEdge});
  }

  // Joins a new node on open water to the nodes of its own and neighbouring leaves.
  bool JoinToNetwork(uint32_t v) {
    const int li = LeafAtCell(hard_.Col(g_.lon[v]), hard_.Row(g_.lat[v]));
    if (li < 0) return false;
    std::vector<int> neighbours;
    NeighbourLeaves(leaves_[static_cast<size_t>(li)], neighbours);
    neighbours.push_back(li);
    bool joined = false;
    for (int ni : neighbours) {
      const Leaf& leaf = leaves_[static_cast<size_t>(ni)];
      for (uint32_t u = leaf.first_node; u < leaf.first_node + leaf.node_count; ++u) joined |= TryEdge(u, v);
    }
    return joined;
  }

  const LandGrid& hard_;
  const LandGrid& soft_;
  int bw_ = 0, bh_ = 0;
  std::vector<int> block_leaf_;
  std::vector<Leaf> leaves_;
  std::vector<int8_t> labels_;
  Graph g_;
  std::unordered_set<uint64_t> edge_keys_;
  int64_t repairs_ = 0;

 public:
  int64_t repairs() const { return repairs_; }
};

// Dijkstra over the CSR graph; distances in nm, infinity where unreachable.
std::vector<float> ShortestDistances(const NetworkData& d, uint32_t source) {
  std::vector<float> dist(d.node_count(), std::numeric_limits<float>::infinity());
  using Item = std::pair<float, uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  dist[source] = 0;
  queue.push({0.f, source});
  while (!queue.empty()) {
    auto [du, u] = queue.top();
    queue.pop();
    if (du > dist[u]) continue;
    for (uint32_t e = d.first_edge[u]; e < d.first_edge[u + 1]; ++e) {
      const uint32_t v = d.edge_to[e];
      const float nd = du + d.edge_nm[e];
      if (nd < dist[v]) {
        dist[v] = nd;
        queue.push({nd, v});
      }
    }
  }
  return dist;
}

// Keeps the largest connected component (the world ocean with its canals)
// and lays the edges out in CSR form with geodesic lengths. Returns the new
// id of every old node, -1 for the dropped.
std::vector<int64_t> Compact(const Graph& g, NetworkData& d) {
  const size_t n = g.lat.size();
  std::vector<std::vector<std::pair<uint32_t, uint8_t>>> adj(n);
  for (const auto& e : g.edges) {
    adj[e.a].push_back({e.b, e.forced});
    adj[e.b].push_back({e.a, e.forced});
  }
  std::vector<int> comp(n, -1);
  std::vector<size_t> sizes;
  for (size_t s = 0; s < n; ++s) {
    if (comp[s] >= 0) continue;
    const int c = static_cast<int>(sizes.size());
    size_t count = 0;
    std::vector<uint32_t> stack{static_cast<uint32_t>(s)};
    comp[s] = c;
    while (!stack.empty()) {
      const uint32_t u = stack.back();
      stack.pop_back();
      ++count;
      for (auto [v, f] : adj[u])
        if (comp[v] < 0) comp[v] = c, stack.push_back(v);
    }
    sizes.push_back(count);
  }
  const int main = static_cast<int>(std::max_element(sizes.begin(), sizes.end()) - sizes.begin());
  std::vector<int64_t> remap(n, -1);
  for (size_t v = 0; v < n; ++v) {
    if (comp[v] != main) continue;
    remap[v] = static_cast<int64_t>(d.lat.size());
    d.lat.push_back(g.lat[v]);
    d.lon.push_back(g.lon[v]);
    d.node_passages.push_back(g.passages[v]);
  }
  d.first_edge.assign(d.lat.size() + 1, 0);
  for (size_t v = 0; v < n; ++v) {
    if (remap[v] < 0) continue;
    auto& list = adj[v];
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end(), [](auto& a, auto& b) { return a.first == b.first; }), list.end());
    for (auto [u, forced] : list) {
      d.edge_to.push_back(static_cast<uint32_t>(remap[u]));
      d.edge_nm.push_back(static_cast<float>(internal::GeodesicNm(g.lat[v], g.lon[v], g.lat[u], g.lon[u])));
      d.edge_forced.push_back(forced);
    }
    d.first_edge[static_cast<size_t>(remap[v]) + 1] = static_cast<uint32_t>(d.edge_to.size());
  }
  return remap;
}

// Landmarks spread by farthest-point selection: each new landmark is the
// node farthest (over the network) from all chosen so far.
void ChooseLandmarks(NetworkData& d, int count) {
  const size_t n = d.node_count();
  d.landmark_count = 0;
  d.landmark_nm.clear();
  if (count <= 0 || n == 0) return;
  std::vector<float> nearest(n, std::numeric_limits<float>::infinity());
  std::vector<float> by_landmark;
  // Start from the node farthest from an arbitrary one.
  std::vector<float> from0 = ShortestDistances(d, 0);
  uint32_t next = static_cast<uint32_t>(std::max_element(from0.begin(), from0.end()) - from0.begin());
  for (int l = 0; l < count; ++l) {
    std::vector<float> dist = ShortestDistances(d, next);
    by_landmark.insert(by_landmark.end(), dist.begin(), dist.end());
    ++d.landmark_count;
    for (size_t v = 0; v < n; ++v) nearest[v] = std::min(nearest[v], dist[v]);
    next = static_cast<uint32_t>(std::max_element(nearest.begin(), nearest.end()) - nearest.begin());
  }
  d.landmark_nm.resize(by_landmark.size());
  for (size_t l = 0; l < d.landmark_count; ++l)
    for (size_t v = 0; v < n; ++v) d.landmark_nm[v * d.landmark_count + l] = by_landmark[l * n + v];
}

}  // namespace

Result<NetworkBuildReport> SeaLaneNetwork::Build(const LandPolygons& land, const PassageTable& passages,
                                                 const std::vector<ReferencePort>& ports, const std::string& out_path,
                                                 const NetworkBuildOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.cells_per_degree <= 0 || (360 * options.cells_per_degree) % 64 != 0 ||
      (180 * options.cells_per_degree) % kTopLeaf != 0) {
    return InvalidArgument("cells_per_degree must be a multiple of 32", "cells_per_degree");
  }
  auto data = std::make_unique<NetworkData>();
  data->hard = LandGrid(options.cells_per_degree);
  data->hard.FillPolygons(land.rings);
  data->hard.BlockPolar(passages.ice.north_lat, passages.ice.south_lat);
  data->soft = data->hard.Dilated();
  data->table = passages;
  data->ports = ports;

  Builder builder(data->hard, data->soft);
  builder.BuildLeaves();
  builder.PlaceNodes();
  builder.ConnectLeaves();
  RETURN_IF_ERROR(builder.AddPassageRoutes(passages));
  builder.TagAreas(passages);
  NetworkBuildReport report;
  const std::vector<int64_t> remap = Compact(builder.graph(), *data);
  report.dropped_nodes = std::count(remap.begin(), remap.end(), -1);
  builder.BlockUnreachableWater(remap, data->hard);
  data->soft = data->hard.Dilated();
  ChooseLandmarks(*data, options.landmarks);
  report.nodes = static_cast<int64_t>(data->node_count());
  report.edges = static_cast<int64_t>(data->edge_to.size());
  ASSIGN_OR_RETURN(report.file_bytes, internal::WriteNetworkFile(*data, out_path));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace relos::sealanes

// Attached anchors (RoutePlanner::Snap, then Attach) of the places that
// routes of a long-running process lead to again and again: the registry's
// facilities. A route to an attached anchor settles little more than its own
// nodes (about half the time of one from snap points alone), but attaching
// costs one Dijkstra search over the whole network (about 20 ms) and 4 bytes
// per node (0.44 MB on the world network), so it pays only when kept.
//
// Keyed by the position (latitude and longitude, exactly): an anchor depends
// on nothing else but the network, which the cache's planner fixes. A
// facility that moves is asked for at its new position and gets a new
// anchor; the old one ages out. Bounded by a memory budget, least recently
// used first out. Each place is attached once however many threads ask for
// it at the same time: the first computes, the others wait for its answer.
// A position that cannot be snapped is not kept (its error is the caller's
// to report, naming its own field).
//
// Thread-safety: safe for concurrent calls. Anchors are handed out as shared
// immutable values: one evicted while in use stays valid for its holder.
// Borrows the planner (and so the network), which must outlive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "relos/core/geo.h"
#include "relos/core/status.h"
#include "relos/sealanes/route.h"

namespace relos::sealanes {

using AnchorPtr = std::shared_ptr<const SeaAnchor>;

class AnchorCache {
 public:
  // 32 MiB: about 70 anchors of the world network (111,169 nodes, 0.45 MB
  // each with its links). The demo registry has 18 ports and naval bases,
  // the network's reference ports are 38, and the facilities the pact's two
  // navies would refuel at number in the dozens, so every facility a server
  // routes to stays attached; the budget is twice the network file itself.
  static constexpr size_t kDefaultBudgetBytes = size_t{32} << 20;

  explicit AnchorCache(const RoutePlanner& planner, size_t budget_bytes = kDefaultBudgetBytes);

  // The attached anchor of `p`, from the cache or snapped and attached now
  // (then kept). The errors of RoutePlanner::Snap(p, field), not kept.
  Result<AnchorPtr> Get(GeoPosition p, std::string_view field = "position");

  struct Stats {
    int64_t attaches = 0;   // Attach runs so far (one per miss)
    int64_t hits = 0;       // answers from the cache, waits for another caller's attach included
    int64_t evictions = 0;  // anchors dropped for the budget
    size_t anchors = 0;     // kept now
    size_t bytes = 0;       // their estimated memory
  };
  Stats stats() const;
  size_t budget_bytes() const { return budget_bytes_; }
  // How many attached anchors of the planner's network the budget holds. A
  // caller about to route to more places than this in one go (a mission over
  // hundreds of candidate stops) would evict what it attached before using
  // it again: 20 ms per attach lost each time; better not to use the cache.
  size_t capacity() const;
  const RoutePlanner& planner() const { return planner_; }

 private:
  using Key = std::pair<double, double>;  // lat, lon
  struct Entry {
    std::shared_future<Result<AnchorPtr>> anchor;
    size_t bytes = 0;                       // 0 while being attached
    std::list<Key>::iterator recency;       // into recency_
  };
  // Drops least recently used finished anchors until the budget holds.
  // Caller holds mu_.
  void EvictLocked();

  const RoutePlanner& planner_;
  const size_t budget_bytes_;
  mutable std::mutex mu_;
  std::map<Key, Entry> entries_;  // guarded by mu_
  std::list<Key> recency_;        // most recent first; guarded by mu_
  Stats stats_;                   // guarded by mu_ (anchors and bytes kept up to date)
};

// One end of a route: a position, and whether it is a place routes lead to
// again and again (a registry facility), whose anchor `cache` keeps.
struct RouteEnd {
  GeoPosition position;
  bool keep_anchor = false;
};

// The route from `from` to `to` as RoutePlanner::Plan(from.position,
// to.position, options) gives it, the same answer and errors, with the ends
// marked keep_anchor taken from `cache` (attached, so a route to such an
// end is quick once the cache holds it). Without a cache, or with one over
// another network, Plan itself.
// What the server calls for GET /api/v1/sea-routes.
Result<Route> PlanRoute(const RoutePlanner& planner, AnchorCache* cache, const RouteEnd& from, const RouteEnd& to,
                        const RouteOptions& options);

}  // namespace relos::sealanes

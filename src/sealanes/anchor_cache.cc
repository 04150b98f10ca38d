#include "relos/sealanes/anchor_cache.h"

#include <new>
#include <string>
#include <vector>

namespace relos::sealanes {
namespace {

// What an attached anchor holds on the heap, with the anchor itself.
size_t AnchorBytes(const SeaAnchor& a) {
  return sizeof(SeaAnchor) + a.links.capacity() * sizeof(SeaAnchor::Link) +
         (a.reach_nm ? a.reach_nm->capacity() * sizeof(float) : 0);
}

}  // namespace

AnchorCache::AnchorCache(const RoutePlanner& planner, size_t budget_bytes)
    : planner_(planner), budget_bytes_(budget_bytes) {}

size_t AnchorCache::capacity() const {
  const size_t per_anchor = static_cast<size_t>(planner_.network().node_count()) * sizeof(float) + sizeof(SeaAnchor);
  return budget_bytes_ / per_anchor;
}

Result<AnchorPtr> AnchorCache::Get(GeoPosition p, std::string_view field) {
  // A NaN would break the map's ordering: a position Snap refuses is never
  // a key, and gets Snap's error.
  if (!GeoPosition::Make(p.lat, p.lon).ok()) return planner_.Snap(p, field).status();
  const Key key{p.lat, p.lon};
  std::promise<Result<AnchorPtr>> promise;
  std::shared_future<Result<AnchorPtr>> pending;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      recency_.splice(recency_.begin(), recency_, it->second.recency);
      ++stats_.hits;
      pending = it->second.anchor;
    } else {
      recency_.push_front(key);
      Entry& e = entries_[key];
      e.anchor = promise.get_future().share();
      e.recency = recency_.begin();
    }
  }
  if (pending.valid()) {
    // Another caller's attach, finished or not. Its error would name that
    // caller's field: snap again for this one's (failures are not kept, and
    // a snap that fails is cheap).
    const Result<AnchorPtr>& shared = pending.get();
    if (shared.ok()) return *shared;
    Result<SeaAnchor> again = planner_.Snap(p, field);
    return again.ok() ? shared.status() : again.status();
  }

  Result<AnchorPtr> made = [&]() -> Result<AnchorPtr> {
    // Out of memory must not leave the waiters a broken promise and the
    // entry stuck half-made: it is answered, and dropped, as an error.
    try {
      ASSIGN_OR_RETURN(SeaAnchor anchor, planner_.Snap(p, field));
      planner_.Attach(anchor);
      return AnchorPtr(std::make_shared<const SeaAnchor>(std::move(anchor)));
    } catch (const std::bad_alloc&) {
      return ResourceExhausted("out of memory attaching " + p.ToString() + " to the sea-lane network", std::string(field));
    }
  }();
  promise.set_value(made);

  std::lock_guard lock(mu_);
  // Still there: only finished entries are evicted.
  auto it = entries_.find(key);
  if (!made.ok()) {
    recency_.erase(it->second.recency);
    entries_.erase(it);
    return made;
  }
  ++stats_.attaches;
  it->second.bytes = AnchorBytes(**made);
  stats_.bytes += it->second.bytes;
  ++stats_.anchors;
  EvictLocked();
  return made;
}

void AnchorCache::EvictLocked() {
  for (auto k = recency_.end(); stats_.bytes > budget_bytes_ && k != recency_.begin();) {
    --k;
    auto it = entries_.find(*k);
    if (it->second.bytes == 0) continue;  // being attached: its caller finishes it
    stats_.bytes -= it->second.bytes;
    --stats_.anchors;
    ++stats_.evictions;
    entries_.erase(it);
    k = recency_.erase(k);
  }
}

AnchorCache::Stats AnchorCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

Result<Route> PlanRoute(const RoutePlanner& planner, AnchorCache* cache, const RouteEnd& from, const RouteEnd& to,
                        const RouteOptions& options) {
  // Anchors of another network would index the wrong nodes.
  if (cache != nullptr && &cache->planner().network() != &planner.network()) cache = nullptr;
  // As Plan: the origin is snapped (and its error reported) first.
  auto anchor = [&](const RouteEnd& end, std::string_view field) -> Result<AnchorPtr> {
    if (cache != nullptr && end.keep_anchor) return cache->Get(end.position, field);
    ASSIGN_OR_RETURN(SeaAnchor a, planner.Snap(end.position, field));
    return AnchorPtr(std::make_shared<const SeaAnchor>(std::move(a)));
  };
  ASSIGN_OR_RETURN(AnchorPtr a, anchor(from, "from"));
  ASSIGN_OR_RETURN(AnchorPtr b, anchor(to, "to"));
  return planner.PlanBetween(*a, *b, options);
}

}  // namespace relos::sealanes

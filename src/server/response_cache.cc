#include "relos/server/response_cache.h"

#include <mutex>

namespace relos::server {

std::optional<HttpResponse> ResponseCache::Lookup(const HttpRequest& req) const {
  if (!Cacheable(req)) return std::nullopt;
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = kept_.find(req.target);
  if (it == kept_.end()) return std::nullopt;
  return it->second;
}

void ResponseCache::Store(const HttpRequest& req, const HttpResponse& res) {
  if (!Cacheable(req) || res.status != 200) return;
  std::unique_lock<std::shared_mutex> lock(mu_);
  // A query string is the client's to vary: keep a bounded number of them.
  if (kept_.size() >= 64 && !kept_.count(req.target)) return;
  kept_.emplace(req.target, res);
}

}  // namespace relos::server

// An in-process cache in front of the API for GET routes whose answer is
// fixed for the life of the process: the first 200 answer for such a path
// is kept and sent again to every later GET of that path (the query string
// is part of the key), without the route table, authorisation or the
// database being consulted. Only public routes that depend on nothing but
// the binary belong here: `relos serve` caches /api/v1/openapi.json, which
// the route table alone determines.
//
// Thread-safety: Lookup and Store may be called from many threads at once.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>

#include "relos/server/http.h"

namespace relos::server {

class ResponseCache {
 public:
  // `paths`: the request paths (without query) that may be cached.
  explicit ResponseCache(std::set<std::string> paths) : paths_(std::move(paths)) {}

  // The kept answer for this request, if it is a GET of a cached path that
  // has been answered before.
  std::optional<HttpResponse> Lookup(const HttpRequest& req) const;
  // Keeps `res` for later requests like `req` when it is a 200 to a GET of
  // a cached path.
  void Store(const HttpRequest& req, const HttpResponse& res);

  // Answers from the cache, else from `handler` (keeping its answer).
  template <typename Handler>
  HttpResponse Serve(const HttpRequest& req, Handler&& handler) {
    if (auto hit = Lookup(req)) return *std::move(hit);
    HttpResponse res = handler(req);
    Store(req, res);
    return res;
  }

 private:
  bool Cacheable(const HttpRequest& req) const { return req.method == "GET" && paths_.count(req.path) > 0; }

  const std::set<std::string> paths_;
  mutable std::shared_mutex mu_;
  std::map<std::string, HttpResponse> kept_;  // by target (path and query)
};

}  // namespace relos::server

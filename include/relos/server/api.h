// The relos REST API under /api/v1: one route table (Api::routes()) from
// which requests are dispatched, authorisation is checked, the OpenAPI
// document is generated and the route × role × party test is derived.
//
// Authorisation happens in one place, Router::Handle, before any handler
// runs: a route is public or needs a live bearer token (401 otherwise), and
// lists the roles that may call it (403 for a user holding none of them).
// The handler then acts as orders::Actor{user's party, chosen role, user
// name} through the same services the CLI calls, which refuse another
// party's orders with NotFound, so a guessed id discloses nothing. The
// chosen role is the X-Relos-Role header if given (it must be one the user
// holds and the route allows), else the first of the user's roles the route
// allows, in the order of orders::Role.
//
// Errors are JSON {"error":{"code","field","reason","rule"}}: code is the
// snake-case status code, field the JSON path or parameter at fault (or ""),
// reason a sentence for people, rule the machine-readable reason.
//
// Thread-safety: Handle may be called from many threads at once.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "relos/auth/auth_service.h"
#include "relos/codec/codec.h"
#include "relos/core/status.h"
#include "relos/exercise/exercise.h"
#include "relos/orders/order_service.h"
#include "relos/server/http.h"
#include "relos/server/json_body.h"
#include "relos/server/metrics.h"
#include "relos/storage/store.h"

namespace relos::mission {
class LegCache;
}  // namespace relos::mission
namespace relos::planning {
struct KeptRouting;
}  // namespace relos::planning
namespace relos::sealanes {
class AnchorCache;
class RoutePlanner;
class SeaLaneNetwork;
}  // namespace relos::sealanes

namespace relos::server {

// What a handler gets: the request, decoded path parameters and, on an
// authenticated route, who is calling and as whom they act.
struct Call {
  const HttpRequest& request;
  std::map<std::string, std::string> params;
  std::optional<auth::Principal> principal;
  orders::Actor actor;
  JsonLimits limits;

  // The body parsed under the limits.
  Result<codec::Json> Body() const;
  // The bearer token of the request ("" if none).
  std::string BearerToken() const;
};

struct Reply {
  int status = 200;
  codec::Json body;               // sent as JSON unless `text` is set
  std::optional<std::string> text;  // sent as is, with content_type
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

using RouteHandler = std::function<Result<Reply>(Call&)>;

struct Route {
  std::string method;   // GET, POST, PUT, DELETE
  std::string pattern;  // "/api/v1/orders/{id}/approve"
  std::string summary;  // one line, for OpenAPI
  bool authenticated = true;
  // Roles that may call it; empty = any role (or anyone, when public).
  std::set<orders::Role> roles;
  int success = 200;  // the status of a successful call (200 or 201)
  bool has_body = false;
  // The query parameters it takes; the router refuses any other with 400.
  std::vector<std::string> query;
  RouteHandler handler;
  // It creates, and a retry with the same Idempotency-Key header returns
  // what the first call made instead of making it again.
  bool idempotency_key = false;
  // What each query parameter means, for OpenAPI (by name; may be partial).
  std::map<std::string, std::string> query_descriptions;
};

// Maps a Status to its HTTP status: InvalidArgument 400, Unauthenticated
// 401, PermissionDenied 403, NotFound 404, AlreadyExists/Aborted/
// FailedPrecondition/ResourceExhausted 409 (429 for reason
// "auth.rate_limited"), Unavailable 503, the rest 500.
int HttpStatusFor(const Status& s);
HttpResponse ErrorFor(const Status& s);

class Router {
 public:
  // `authenticate` resolves a bearer token.
  explicit Router(std::function<Result<auth::Principal>(const std::string&)> authenticate, JsonLimits limits = {})
      : authenticate_(std::move(authenticate)), limits_(limits) {}
  void Add(Route r) { routes_.push_back(std::move(r)); }
  const std::vector<Route>& routes() const { return routes_; }
  // 404 for no such path, 405 (with Allow) for a path without that method.
  HttpResponse Handle(const HttpRequest& req) const;

 private:
  std::function<Result<auth::Principal>(const std::string&)> authenticate_;
  JsonLimits limits_;
  std::vector<Route> routes_;
};

struct ApiOptions {
  JsonLimits json;
  std::string version = "0.1.0";
  // Loads the sea-lane network for the planning routes; called on the first
  // request that needs it, again after a failure, never after a success.
  // Unset: those routes answer 503.
  std::function<Result<std::shared_ptr<const sealanes::SeaLaneNetwork>>()> open_sealanes;
  // Memory for the facilities' attached anchors kept for sea routes and
  // mission plans (sealanes::AnchorCache; its default budget, 32 MiB).
  size_t anchor_cache_bytes = size_t{32} << 20;
};

class Api {
 public:
  // Borrows everything; all must outlive the Api. `metrics` may be null.
  Api(storage::Store& store, const Clock& clock, auth::AuthService& auth, orders::OrderService& orders,
      Metrics* metrics, ApiOptions options = {});

  HttpResponse Handle(const HttpRequest& req) const { return router_.Handle(req); }
  const std::vector<Route>& routes() const { return router_.routes(); }
  // /readyz answers 503 until set (and again once draining starts).
  void SetReady(bool ready) { ready_ = ready; }
  // The OpenAPI 3 document for the route table.
  codec::Json OpenApi() const;

 private:
  void AddSystemRoutes();
  void AddSessionRoutes();
  void AddRegistryRoutes();
  void AddOrderRoutes();
  void AddAuditRoutes();
  void AddLedgerRoutes();
  void AddPlanningRoutes();
  void AddExerciseRoutes();
  // The sea-lane network, loaded once (options_.open_sealanes); Unavailable
  // (reason "sealanes.network") while it cannot be loaded.
  Result<std::shared_ptr<const sealanes::SeaLaneNetwork>> SeaLanes() const;
  // The attached anchors of the facilities that sea routes and mission plans
  // lead to, kept for the server's lifetime over the network of SeaLanes()
  // (sealanes::AnchorCache): a route into a facility is about twice as
  // quick once it is attached. Null until the network is loaded.
  sealanes::AnchorCache* FacilityAnchors() const;
  // That and the sea legs the mission planner routed (mission::LegCache,
  // bounded), for planning::PlanMission. Nulls until the network is loaded.
  planning::KeptRouting KeptForPlans() const;

  // The exercise the caller's party takes part in; NotFound, as for no such
  // exercise, when it takes no part.
  Result<exercise::Exercise> VisibleExercise(const Call& c, const std::string& code);
  Result<exercise::ExercisePlan> PlanOfExercise(const Call& c, const std::string& code,
                                                std::optional<double> time_limit);
  // The plan's JSON as `actor` may see it (exercise_routes.cc says what is left out).
  Result<codec::Json> PlanView(const exercise::ExercisePlan& plan, const orders::Actor& actor);

  storage::Store& store_;
  const Clock& clock_;
  auth::AuthService& auth_;
  orders::OrderService& orders_;
  Metrics* metrics_;
  ApiOptions options_;
  exercise::ExerciseService exercises_;
  Router router_;
  std::atomic<bool> ready_{false};
  mutable std::mutex sealanes_mu_;
  mutable std::shared_ptr<const sealanes::SeaLaneNetwork> sealanes_;  // guarded by sealanes_mu_
  // Made with sealanes_, never replaced; guarded by sealanes_mu_.
  mutable std::shared_ptr<const sealanes::RoutePlanner> sealane_planner_;
  mutable std::shared_ptr<sealanes::AnchorCache> facility_anchors_;
  mutable std::shared_ptr<mission::LegCache> mission_legs_;
};

}  // namespace relos::server

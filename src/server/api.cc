// The route table: system routes, sessions, registry reads, events and
// verification. Order routes are in order_routes.cc.
#include <fmt/format.h>

#include "relos/audit/verify.h"
#include "relos/planning/planning.h"
#include "relos/registry/registry_service.h"
#include "relos/sealanes/anchor_cache.h"
#include "relos/server/api.h"
#include "server/api_util.h"

namespace relos::server {

using codec::Json;
using orders::Role;

Api::Api(storage::Store& store, const Clock& clock, auth::AuthService& auth, orders::OrderService& orders,
         Metrics* metrics, ApiOptions options)
    : store_(store),
      clock_(clock),
      auth_(auth),
      orders_(orders),
      metrics_(metrics),
      options_(options),
      exercises_(store, clock, orders),
      router_([this](const std::string& token) { return auth_.Authenticate(token); }, options.json) {
  AddSystemRoutes();
  AddSessionRoutes();
  AddRegistryRoutes();
  AddOrderRoutes();
  AddAuditRoutes();
  AddLedgerRoutes();
  AddPlanningRoutes();
  AddExerciseRoutes();
}

void Api::AddSystemRoutes() {
  router_.Add({"GET", "/healthz", "liveness: the process answers", false, {}, 200, false, {},
               [](Call&) -> Result<Reply> { return Reply{200, {{"status", "ok"}}}; }});
  router_.Add({"GET", "/readyz", "readiness: started, not draining, and the database answers", false, {}, 200, false, {},
               [this](Call&) -> Result<Reply> {
                 if (!ready_) return Unavailable("not ready (starting or shutting down)", "server.not_ready");
                 auto txn = store_.BeginRead();
                 if (!txn.ok()) return Unavailable("the database does not answer", "server.database");
                 auto parties = (*txn)->ListParties();
                 if (!parties.ok()) return Unavailable("the database does not answer", "server.database");
                 return Reply{200, {{"status", "ready"}}};
               }});
  router_.Add({"GET", "/metrics",
               "Prometheus metrics: requests, latencies, errors, open orders, ledger totals, attached sea-lane anchors",
               false, {}, 200, false, {}, [this](Call&) -> Result<Reply> {
                 std::string text = metrics_ != nullptr ? metrics_->Render() : "";
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 text += OrderAndLedgerGauges(*txn);
                 // Zeros until the sea-lane network is loaded.
                 const sealanes::AnchorCache* anchors = FacilityAnchors();
                 const sealanes::AnchorCache::Stats a = anchors ? anchors->stats() : sealanes::AnchorCache::Stats{};
                 text += fmt::format(
                     "# HELP relos_sealane_anchor_attaches_total Facilities attached to the sea-lane network (one "
                     "search over it each).\n# TYPE relos_sealane_anchor_attaches_total counter\n"
                     "relos_sealane_anchor_attaches_total {}\n"
                     "# HELP relos_sealane_anchor_evictions_total Attached facilities dropped for the memory budget.\n"
                     "# TYPE relos_sealane_anchor_evictions_total counter\nrelos_sealane_anchor_evictions_total {}\n"
                     "# HELP relos_sealane_anchors Attached facilities kept.\n# TYPE relos_sealane_anchors gauge\n"
                     "relos_sealane_anchors {}\n"
                     "# HELP relos_sealane_anchor_bytes Memory of the attached facilities kept.\n"
                     "# TYPE relos_sealane_anchor_bytes gauge\nrelos_sealane_anchor_bytes {}\n"
                     "# HELP relos_sealane_anchor_budget_bytes Memory allowed for the attached facilities.\n"
                     "# TYPE relos_sealane_anchor_budget_bytes gauge\nrelos_sealane_anchor_budget_bytes {}\n",
                     a.attaches, a.evictions, a.anchors, a.bytes, options_.anchor_cache_bytes);
                 const planning::KeptRouting kept = KeptForPlans();
                 text += fmt::format(
                     "# HELP relos_mission_legs_cached Sea legs kept from earlier mission plans.\n"
                     "# TYPE relos_mission_legs_cached gauge\nrelos_mission_legs_cached {}\n",
                     kept.legs ? kept.legs->size() : 0);
                 Reply r;
                 r.text = std::move(text);
                 r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                 return r;
               }});
  router_.Add({"GET", "/api/v1/openapi.json", "this API as an OpenAPI 3 document", false, {}, 200, false, {},
               [this](Call&) -> Result<Reply> { return Reply{200, OpenApi()}; }});
}

void Api::AddSessionRoutes() {
  router_.Add({"POST", "/api/v1/sessions", "log in with {name, password}; returns a bearer token", false, {}, 201, true,
               {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Json body, c.Body());
                 if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
                 RETURN_IF_ERROR(orders::JsonOnlyKeys(body, "$", {"name", "password"}));
                 ASSIGN_OR_RETURN(std::string name, orders::JsonStringAt(body, "name", "$", true));
                 ASSIGN_OR_RETURN(std::string password, orders::JsonStringAt(body, "password", "$", true));
                 ASSIGN_OR_RETURN(auth::IssuedToken t, auth_.Login(name, password, c.request.remote_address));
                 return Reply{201,
                              {{"token", t.token},
                               {"token_type", "Bearer"},
                               {"expires_at", t.record.expires_at.ToIso8601()},
                               {"user", name}}};
               }});
  router_.Add({"DELETE", "/api/v1/sessions/current", "log out: revokes the token of this request", true, {}, 200, false,
               {}, [this](Call& c) -> Result<Reply> {
                 RETURN_IF_ERROR(auth_.Logout(c.BearerToken()));
                 return Reply{200, {{"revoked", true}}};
               }});
  router_.Add({"GET", "/api/v1/me", "who the token belongs to, and the role this request acts in", true, {}, 200, false,
               {}, [](Call& c) -> Result<Reply> {
                 Json roles = Json::array();
                 for (Role r : c.principal->user.roles) roles.push_back(std::string(orders::Name(r)));
                 return Reply{200,
                              {{"name", c.principal->user.name},
                               {"party", c.principal->user.party},
                               {"roles", roles},
                               {"acting_role", std::string(orders::Name(c.actor.role))},
                               {"token_kind", std::string(auth::Name(c.principal->kind))},
                               {"expires_at", c.principal->expires_at.ToIso8601()}}};
               }});
  router_.Add({"GET", "/api/v1/users", "the users of the caller's party (admin)", true, {Role::kAdmin}, 200, false, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto users, auth_.ListUsers());
                 Json list = Json::array();
                 for (const auth::User& u : users) {
                   if (u.party == c.actor.party) list.push_back(UserJson(u));
                 }
                 return Reply{200, {{"users", list}}};
               }});
  router_.Add({"POST", "/api/v1/users", "add a user to the caller's party: {name, roles, password} (admin)", true,
               {Role::kAdmin}, 201, true, {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Json body, c.Body());
                 if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
                 RETURN_IF_ERROR(orders::JsonOnlyKeys(body, "$", {"name", "roles", "password"}));
                 ASSIGN_OR_RETURN(std::string name, orders::JsonStringAt(body, "name", "$", true));
                 ASSIGN_OR_RETURN(std::string password, orders::JsonStringAt(body, "password", "$", true));
                 auto roles_json = body.find("roles");
                 if (roles_json == body.end() || !roles_json->is_array()) {
                   return InvalidArgument("$.roles: must be a list of role names", "roles");
                 }
                 std::set<Role> roles;
                 for (size_t i = 0; i < roles_json->size(); ++i) {
                   const Json& r = (*roles_json)[i];
                   auto role = r.is_string() ? orders::ParseRole(r.get<std::string>())
                                             : Result<Role>(InvalidArgument("must be a string", "roles"));
                   if (!role.ok()) return role.status().WithContext("$.roles[" + std::to_string(i) + "]");
                   roles.insert(*role);
                 }
                 ASSIGN_OR_RETURN(auth::User u, auth_.AddUser(c.actor, name, c.actor.party, roles, password));
                 return Reply{201, UserJson(u)};
               }});
}

void Api::AddRegistryRoutes() {
  // Each party sees its own objects in full; of a partner it shares an
  // agreement with, the party, the agreement and the facilities' public
  // face (PartnerView); of anyone else, nothing (404, as for no such code).
  auto visible_parties = [this](storage::Transaction& txn, const std::string& party) -> Result<std::set<std::string>> {
    std::set<std::string> out = {party};
    ASSIGN_OR_RETURN(auto agreements, txn.ListAgreements());
    for (const auto& a : agreements) {
      if (a.Binds(party)) out.insert(a.PartnerOf(party));
    }
    return out;
  };

  router_.Add({"GET", "/api/v1/parties", "the caller's party and its partners", true, {}, 200, false, {},
               [this, visible_parties](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(auto seen, visible_parties(*txn, c.actor.party));
                 ASSIGN_OR_RETURN(auto all, txn->ListParties());
                 Json list = Json::array();
                 for (const auto& p : all) {
                   if (seen.count(p.code)) list.push_back(codec::ToJson(p));
                 }
                 return Reply{200, {{"parties", list}}};
               }});
  router_.Add({"GET", "/api/v1/parties/{code}", "one party (own or partner)", true, {}, 200, false, {},
               [this, visible_parties](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(auto seen, visible_parties(*txn, c.actor.party));
                 const std::string& code = c.params.at("code");
                 if (!seen.count(code)) return NotFound("party '" + code + "' not found", "storage.not_found");
                 ASSIGN_OR_RETURN(auto p, txn->GetParty(code));
                 return Reply{200, codec::ToJson(p)};
               }});
  router_.Add({"GET", "/api/v1/agreements", "agreements binding the caller's party", true, {}, 200, false, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(auto all, txn->ListAgreements());
                 Json list = Json::array();
                 for (const auto& a : all) {
                   if (a.Binds(c.actor.party)) list.push_back(codec::ToJson(a));
                 }
                 return Reply{200, {{"agreements", list}}};
               }});
  router_.Add({"GET", "/api/v1/agreements/{code}", "one agreement binding the caller's party", true, {}, 200, false, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 const std::string& code = c.params.at("code");
                 auto a = txn->GetAgreement(code);
                 if (!a.ok() || !a->Binds(c.actor.party)) {
                   return NotFound("agreement '" + code + "' not found", "storage.not_found");
                 }
                 return Reply{200, codec::ToJson(*a)};
               }});
  router_.Add({"GET", "/api/v1/items", "the support catalogue", true, {}, 200, false, {},
               [this](Call&) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(auto all, txn->ListCatalogItems());
                 Json list = Json::array();
                 for (const auto& i : all) list.push_back(codec::ToJson(i));
                 return Reply{200, {{"items", list}}};
               }});
  router_.Add({"GET", "/api/v1/items/{code}", "one catalogue item", true, {}, 200, false, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(auto i, txn->GetCatalogItem(c.params.at("code")));
                 return Reply{200, codec::ToJson(i)};
               }});
  router_.Add({"GET", "/api/v1/facilities", "own facilities in full, partners' as the agreement publishes them", true,
               {}, 200, false, {}, [this, visible_parties](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(auto seen, visible_parties(*txn, c.actor.party));
                 ASSIGN_OR_RETURN(auto all, txn->ListFacilities());
                 Json list = Json::array();
                 for (const auto& f : all) {
                   if (f.owner == c.actor.party) {
                     list.push_back(codec::ToJson(f));
                   } else if (seen.count(f.owner)) {
                     list.push_back(PartnerView(f));
                   }
                 }
                 return Reply{200, {{"facilities", list}}};
               }});
  router_.Add({"GET", "/api/v1/facilities/{code}", "one facility (own in full, partner's published face)", true, {},
               200, false, {}, [this, visible_parties](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(auto seen, visible_parties(*txn, c.actor.party));
                 const std::string& code = c.params.at("code");
                 auto f = txn->GetFacility(code);
                 if (!f.ok() || !seen.count(f->owner)) {
                   return NotFound("facility '" + code + "' not found", "storage.not_found");
                 }
                 return Reply{200, f->owner == c.actor.party ? codec::ToJson(*f) : PartnerView(*f)};
               }});
  router_.Add({"POST", "/api/v1/registry/import",
               "add or change the caller's party's facilities and units: {facilities, units} as in a registry file "
               "(admin)",
               true, {Role::kAdmin}, 200, true, {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Json body, c.Body());
                 if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
                 // Parties, agreements, the catalogue and the fuel table are
                 // shared by both parties: only the operator changes them
                 // (relos registry import), not one party's admin.
                 RETURN_IF_ERROR(orders::JsonOnlyKeys(body, "$", {"facilities", "units"}));
                 ASSIGN_OR_RETURN(registry::RegistryData data, codec::RegistryDataFromJson(body, "$"));
                 registry::RegistryService service(store_, clock_);
                 ASSIGN_OR_RETURN(registry::ImportSummary s, service.Import(c.actor, data));
                 return Reply{200, {{"added", s.added}, {"changed", s.changed}, {"unchanged", s.unchanged}}};
               }});
  router_.Add({"GET", "/api/v1/units", "the caller's party's units", true, {}, 200, false, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(auto all, txn->ListUnits());
                 Json list = Json::array();
                 for (const auto& u : all) {
                   if (u.owner == c.actor.party) list.push_back(codec::ToJson(u));
                 }
                 return Reply{200, {{"units", list}}};
               }});
  router_.Add({"GET", "/api/v1/units/{code}", "one unit of the caller's party", true, {}, 200, false, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 const std::string& code = c.params.at("code");
                 auto u = txn->GetUnit(code);
                 if (!u.ok() || u->owner != c.actor.party) {
                   return NotFound("unit '" + code + "' not found", "storage.not_found");
                 }
                 return Reply{200, codec::ToJson(*u)};
               }});
}

void Api::AddAuditRoutes() {
  router_.Add({"GET", "/api/v1/events",
               "audit events the caller's party may see: its orders', its users' and its own people's (auditor)", true,
               {Role::kAuditor}, 200, false, {"after", "limit"}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(int64_t after, IntParam(c, "after", 0, 0, INT64_MAX));
                 ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 100, 1, 1000));
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 Json list = Json::array();
                 int64_t last = after;
                 bool more = true;
                 while (more && static_cast<int64_t>(list.size()) < limit) {
                   ASSIGN_OR_RETURN(auto batch, txn->ListEvents(last, 500));
                   more = batch.size() == 500;
                   for (const auto& e : batch) {
                     if (static_cast<int64_t>(list.size()) >= limit) {
                       more = true;
                       break;
                     }
                     last = e.seq;
                     ASSIGN_OR_RETURN(bool visible, EventVisibleTo(*txn, e, c.actor.party));
                     if (visible) list.push_back(codec::ToJson(e));
                   }
                 }
                 Json out = {{"events", list}};
                 out["next_after"] = more ? Json(last) : Json(nullptr);
                 return Reply{200, out};
               }});
  router_.Add({"GET", "/api/v1/verify", "recompute the audit chain and check every stored object (auditor)", true,
               {Role::kAuditor}, 200, false, {}, [this](Call&) -> Result<Reply> {
                 ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
                 ASSIGN_OR_RETURN(audit::VerifyReport r, audit::VerifyStore(*txn));
                 Json j = {{"ok", r.ok()}, {"events_checked", r.events_checked}, {"objects_checked", r.objects_checked}};
                 if (r.broken_seq) j["broken_seq"] = *r.broken_seq;
                 if (!r.ok()) j["problem"] = r.problem;
                 return Reply{200, j};
               }});
}

}  // namespace relos::server

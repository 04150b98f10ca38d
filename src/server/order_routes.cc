// /api/v1/orders: list, get, create, and one POST per lifecycle action,
// each calling orders::OrderService exactly as `relos order ...` does. The
// roles a route admits come from the lifecycle table (PermissionsFor), so
// the route table and the service can never disagree about who may act.
#include <algorithm>
#include <map>

#include "relos/orders/lifecycle.h"
#include "relos/server/api.h"
#include "server/api_util.h"

namespace relos::server {
namespace {

using codec::Json;
using orders::Action;
using orders::Order;
using orders::Role;

Reply OrderReply(const Order& o, int status) {
  Reply r{status, codec::ToJson(o)};
  r.headers.emplace_back("ETag", "\"" + std::to_string(o.version) + "\"");
  if (status == 201) r.headers.emplace_back("Location", "/api/v1/orders/" + o.number);
  return r;
}

std::set<Role> RolesFor(Action a) {
  std::set<Role> roles;
  for (const auto& p : orders::PermissionsFor(a)) roles.insert(p.roles.begin(), p.roles.end());
  return roles;
}

Result<int64_t> ResolveRef(orders::OrderService& service, const orders::Actor& actor, const std::string& ref) {
  if (ref.find_first_not_of("0123456789") == std::string::npos && ref.size() < 18) return std::stoll(ref);
  ASSIGN_OR_RETURN(Order o, service.GetByNumber(actor, ref));
  return o.id;
}

// "80" in the line's own unit, or "80 tonne".
Result<Quantity> LineQuantity(const Order& o, int line_no, const Json& j, const std::string& path) {
  if (!j.is_string()) return InvalidArgument(path + ": must be a string such as \"80 tonne\"", "quantity");
  const std::string text = j.get<std::string>();
  const orders::OrderLine* line = o.FindLine(line_no);
  if (line == nullptr) return InvalidArgument(path + ": order has no line " + std::to_string(line_no), "line_no");
  auto q = text.find(' ') == std::string::npos ? Quantity::Parse(text, UnitOfMeasureName(line->requested.unit()))
                                               : Quantity::Parse(text);
  if (!q.ok()) return q.status().WithContext(path);
  return *q;
}

Result<int> LineNo(const Json& j, const std::string& path) {
  auto it = j.find("line_no");
  if (it == j.end() || !it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 100000) {
    return InvalidArgument(path + ".line_no: must be a line number (1, 2, ...)", "line_no");
  }
  return static_cast<int>(it->get<int64_t>());
}

Result<const Json*> LinesOf(const Json& body) {
  static const Json kEmpty = Json::array();
  auto it = body.find("lines");
  if (it == body.end()) return &kEmpty;
  if (!it->is_array()) return InvalidArgument("$.lines: must be a list", "lines");
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_object()) return InvalidArgument("$.lines[" + std::to_string(i) + "]: must be an object", "lines");
  }
  return &*it;
}

using Mutation = std::function<Result<Order>(orders::OrderService&, const orders::Actor&, const Order&, const Json&,
                                             const orders::Command&)>;

struct TransitionSpec {
  Action action;
  const char* summary;
  std::vector<const char*> keys;
  Mutation apply;
};

}  // namespace

void Api::AddOrderRoutes() {
  router_.Add({"GET", "/api/v1/orders",
               "orders the caller's party requests or supplies, filtered, oldest first; page with after=next_after",
               true, {}, 200, false, {"state", "facility", "unit", "agreement", "after", "limit"},
               [this](Call& c) -> Result<Reply> {
                 storage::OrderFilter f;
                 const auto& q = c.request.query;
                 if (q.count("state")) {
                   auto st = orders::ParseOrderState(q.at("state"));
                   if (!st.ok()) return st.status().WithContext("state");
                   f.states = {*st};
                 }
                 if (q.count("facility")) f.facility = q.at("facility");
                 if (q.count("unit")) f.unit = q.at("unit");
                 if (q.count("agreement")) f.agreement = q.at("agreement");
                 ASSIGN_OR_RETURN(f.after_id, IntParam(c, "after", 0, 0, INT64_MAX));
                 ASSIGN_OR_RETURN(f.limit, IntParam(c, "limit", 100, 1, 1000));
                 ASSIGN_OR_RETURN(auto list, orders_.List(c.actor, f));
                 Json arr = Json::array();
                 for (const auto& o : list) arr.push_back(codec::ToJson(o));
                 Json out = {{"orders", arr}};
                 out["next_after"] =
                     static_cast<int64_t>(list.size()) == f.limit ? Json(list.back().id) : Json(nullptr);
                 return Reply{200, out};
               }});

  router_.Add({"POST", "/api/v1/orders",
               "raise a draft order (requester); Idempotency-Key makes a retry return the same order", true,
               RolesFor(Action::kCreate), 201, true, {},
               [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(Json body, c.Body());
                 ASSIGN_OR_RETURN(orders::CreateOrderRequest r, orders::CreateOrderRequestFromJson(body, "$"));
                 ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c));
                 if (!key.empty()) {
                   if (!r.idempotency_key.empty() && r.idempotency_key != key) {
                     return InvalidArgument("Idempotency-Key: differs from $.idempotency_key", "Idempotency-Key");
                   }
                   r.idempotency_key = key;
                 }
                 ASSIGN_OR_RETURN(Order o, orders_.Create(c.actor, r));
                 return OrderReply(o, 201);
               },
               true});

  router_.Add({"GET", "/api/v1/orders/{ref}", "one order by number or id; ETag is its version", true, {}, 200, false,
               {}, [this](Call& c) -> Result<Reply> {
                 ASSIGN_OR_RETURN(int64_t id, ResolveRef(orders_, c.actor, c.params.at("ref")));
                 ASSIGN_OR_RETURN(Order o, orders_.Get(c.actor, id));
                 return OrderReply(o, 200);
               }});

  const std::vector<TransitionSpec> transitions = {
      {Action::kSubmit, "submit a draft to the supplier", {"remark"},
       [](orders::OrderService& s, const orders::Actor& a, const Order& o, const Json&, const orders::Command& cmd) {
         return s.Submit(a, o.id, cmd);
       }},
      {Action::kApprove, "approve fully, or per line with lines: [{line_no, quantity}]", {"remark", "lines"},
       [](orders::OrderService& s, const orders::Actor& a, const Order& o, const Json& body,
          const orders::Command& cmd) -> Result<Order> {
         ASSIGN_OR_RETURN(const Json* lines, LinesOf(body));
         std::vector<orders::LineApproval> approvals;
         for (size_t i = 0; i < lines->size(); ++i) {
           const std::string p = "$.lines[" + std::to_string(i) + "]";
           RETURN_IF_ERROR(orders::JsonOnlyKeys((*lines)[i], p, {"line_no", "quantity"}));
           ASSIGN_OR_RETURN(int no, LineNo((*lines)[i], p));
           ASSIGN_OR_RETURN(Quantity q, LineQuantity(o, no, (*lines)[i].value("quantity", Json()), p + ".quantity"));
           approvals.push_back({no, q});
         }
         return s.Approve(a, o.id, approvals, cmd);
       }},
      {Action::kReject, "reject a submitted order; remark is the reason", {"remark"},
       [](orders::OrderService& s, const orders::Actor& a, const Order& o, const Json&, const orders::Command& cmd) {
         return s.Reject(a, o.id, cmd);
       }},
      {Action::kDeliver, "record delivery; lines: [{line_no, quantity, discrepancy}] where it differs",
       {"remark", "lines"},
       [](orders::OrderService& s, const orders::Actor& a, const Order& o, const Json& body,
          const orders::Command& cmd) -> Result<Order> {
         ASSIGN_OR_RETURN(const Json* lines, LinesOf(body));
         std::vector<orders::LineDelivery> deliveries;
         for (size_t i = 0; i < lines->size(); ++i) {
           const std::string p = "$.lines[" + std::to_string(i) + "]";
           const Json& l = (*lines)[i];
           RETURN_IF_ERROR(orders::JsonOnlyKeys(l, p, {"line_no", "quantity", "discrepancy"}));
           ASSIGN_OR_RETURN(int no, LineNo(l, p));
           const orders::OrderLine* line = o.FindLine(no);
           if (line == nullptr) return InvalidArgument(p + ".line_no: order has no line " + std::to_string(no), "line_no");
           orders::LineDelivery d{no, line->approved.value_or(line->requested), ""};
           if (l.contains("quantity")) {
             ASSIGN_OR_RETURN(d.quantity, LineQuantity(o, no, l["quantity"], p + ".quantity"));
           }
           ASSIGN_OR_RETURN(d.discrepancy, orders::JsonStringAt(l, "discrepancy", p, false));
           deliveries.push_back(d);
         }
         return s.Deliver(a, o.id, deliveries, cmd);
       }},
      {Action::kReceipt, "acknowledge, or dispute lines: [{line_no, quantity, reason}]", {"remark", "lines"},
       [](orders::OrderService& s, const orders::Actor& a, const Order& o, const Json& body,
          const orders::Command& cmd) -> Result<Order> {
         ASSIGN_OR_RETURN(const Json* lines, LinesOf(body));
         std::vector<orders::LineReceipt> receipts;
         for (size_t i = 0; i < lines->size(); ++i) {
           const std::string p = "$.lines[" + std::to_string(i) + "]";
           const Json& l = (*lines)[i];
           RETURN_IF_ERROR(orders::JsonOnlyKeys(l, p, {"line_no", "quantity", "reason"}));
           ASSIGN_OR_RETURN(int no, LineNo(l, p));
           orders::LineReceipt r{no, orders::ReceiptVerdict::kDisputed, std::nullopt, ""};
           ASSIGN_OR_RETURN(Quantity q, LineQuantity(o, no, l.value("quantity", Json()), p + ".quantity"));
           r.quantity = q;
           ASSIGN_OR_RETURN(r.reason, orders::JsonStringAt(l, "reason", p, true));
           receipts.push_back(r);
         }
         return s.Receipt(a, o.id, receipts, cmd);
       }},
      {Action::kResolve, "settle a disputed line at an agreed quantity: {line_no, quantity}",
       {"remark", "line_no", "quantity"},
       [](orders::OrderService& s, const orders::Actor& a, const Order& o, const Json& body,
          const orders::Command& cmd) -> Result<Order> {
         ASSIGN_OR_RETURN(int no, LineNo(body, "$"));
         ASSIGN_OR_RETURN(Quantity q, LineQuantity(o, no, body.value("quantity", Json()), "$.quantity"));
         return s.Resolve(a, o.id, no, q, cmd);
       }},
      {Action::kCancel, "cancel before delivery; remark is the reason", {"remark"},
       [](orders::OrderService& s, const orders::Actor& a, const Order& o, const Json&, const orders::Command& cmd) {
         return s.Cancel(a, o.id, cmd);
       }},
      {Action::kClose, "close a receipted order (finance)", {"remark"},
       [](orders::OrderService& s, const orders::Actor& a, const Order& o, const Json&, const orders::Command& cmd) {
         return s.Close(a, o.id, cmd);
       }},
  };
  for (const TransitionSpec& t : transitions) {
    const std::string name(orders::Name(t.action));
    const std::set<Role> roles = RolesFor(t.action);
    const std::vector<const char*> keys = t.keys;
    router_.Add({"POST", "/api/v1/orders/{ref}/" + name,
                 std::string(t.summary) + "; If-Match: the ETag last seen (stale: 409)", true, roles, 200, true, {},
                 [this, t, keys, roles](Call& c) -> Result<Reply> {
                   Json body = Json::object();
                   if (!c.request.body.empty()) {
                     ASSIGN_OR_RETURN(body, c.Body());
                     if (!body.is_object()) return InvalidArgument("$: must be an object", "body");
                     for (const auto& [k, v] : body.items()) {
                       if (std::find_if(keys.begin(), keys.end(), [&k](const char* a) { return k == a; }) == keys.end()) {
                         return InvalidArgument("$." + k + ": unknown field", k);
                       }
                     }
                   }
                   ASSIGN_OR_RETURN(int64_t id, ResolveRef(orders_, c.actor, c.params.at("ref")));
                   ASSIGN_OR_RETURN(Order current, orders_.Get(c.actor, id));
                   orders::Command cmd;
                   ASSIGN_OR_RETURN(cmd.remark, orders::JsonStringAt(body, "remark", "$", false));
                   ASSIGN_OR_RETURN(cmd.expected_version, ExpectedVersion(c.request));
                   // A user holding several roles that may act here (say
                   // requester and approver) acts in the one the lifecycle
                   // accepts for their side of this order, unless they chose.
                   orders::Actor actor = c.actor;
                   if (c.request.Header("x-relos-role").empty()) {
                     for (Role r : c.principal->user.roles) {
                       if (!roles.count(r)) continue;
                       orders::Actor candidate{actor.party, r, actor.name};
                       if (orders::CheckTransition(t.action, current, candidate).ok()) {
                         actor = candidate;
                         break;
                       }
                     }
                   }
                   ASSIGN_OR_RETURN(Order o, t.apply(orders_, actor, current, body, cmd));
                   return OrderReply(o, 200);
                 }});
  }
}

}  // namespace relos::server

#include "relos/orders/order_request_json.h"

namespace relos::orders {

// Reads one string member; InvalidArgument naming the path if absent or not
// a string (when required).
Result<std::string> JsonStringAt(const codec::Json& j, const std::string& key, const std::string& path, bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) return InvalidArgument(path + "." + key + ": required", key);
    return std::string();
  }
  if (!it->is_string()) return InvalidArgument(path + "." + key + ": must be a string", key);
  return it->get<std::string>();
}

Status JsonOnlyKeys(const codec::Json& j, const std::string& path, std::initializer_list<const char*> keys) {
  for (const auto& [k, v] : j.items()) {
    bool known = false;
    for (const char* allowed : keys) known = known || k == allowed;
    if (!known) return InvalidArgument(path + "." + k + ": unknown field", k);
  }
  return OkStatus();
}

// An order request as JSON: {agreement, unit, facility, purpose, settlement,
// exercise, idempotency_key, lines: [{item, quantity, window_start,
// window_end, note, document_sha256}]}.
Result<CreateOrderRequest> CreateOrderRequestFromJson(const codec::Json& j, const std::string& path) {
  if (!j.is_object()) return InvalidArgument(path + ": must be an object", "body");
  CreateOrderRequest r;
  RETURN_IF_ERROR(JsonOnlyKeys(j, path,
                           {"agreement", "unit", "facility", "purpose", "settlement", "exercise", "idempotency_key",
                            "lines"}));
  const std::string& p = path;
  ASSIGN_OR_RETURN(r.agreement, JsonStringAt(j, "agreement", p, true));
  ASSIGN_OR_RETURN(r.unit, JsonStringAt(j, "unit", p, true));
  ASSIGN_OR_RETURN(r.facility, JsonStringAt(j, "facility", p, true));
  ASSIGN_OR_RETURN(std::string purpose, JsonStringAt(j, "purpose", p, true));
  auto pu = registry::ParsePurpose(purpose);
  if (!pu.ok()) return pu.status().WithContext(p + ".purpose");
  r.purpose = *pu;
  ASSIGN_OR_RETURN(std::string settlement, JsonStringAt(j, "settlement", p, false));
  if (!settlement.empty()) {
    auto se = registry::ParseSettlementMode(settlement);
    if (!se.ok()) return se.status().WithContext(p + ".settlement");
    r.settlement = *se;
  }
  ASSIGN_OR_RETURN(r.exercise, JsonStringAt(j, "exercise", p, false));
  ASSIGN_OR_RETURN(r.idempotency_key, JsonStringAt(j, "idempotency_key", p, false));
  auto lines = j.find("lines");
  if (lines == j.end() || !lines->is_array()) return InvalidArgument(p + ".lines: must be a list", "lines");
  for (size_t i = 0; i < lines->size(); ++i) {
    const codec::Json& lj = (*lines)[i];
    const std::string lp = p + ".lines[" + std::to_string(i) + "]";
    if (!lj.is_object()) return InvalidArgument(lp + ": must be an object", "lines");
    RETURN_IF_ERROR(JsonOnlyKeys(lj, lp, {"item", "quantity", "window_start", "window_end", "note", "document_sha256"}));
    LineRequest l;
    ASSIGN_OR_RETURN(l.item, JsonStringAt(lj, "item", lp, true));
    ASSIGN_OR_RETURN(std::string q, JsonStringAt(lj, "quantity", lp, true));
    auto qq = Quantity::Parse(q);
    if (!qq.ok()) return qq.status().WithContext(lp + ".quantity");
    l.quantity = *qq;
    ASSIGN_OR_RETURN(std::string ws, JsonStringAt(lj, "window_start", lp, true));
    ASSIGN_OR_RETURN(std::string we, JsonStringAt(lj, "window_end", lp, true));
    auto ts = Timestamp::Parse(ws);
    if (!ts.ok()) return ts.status().WithContext(lp + ".window_start");
    auto te = Timestamp::Parse(we);
    if (!te.ok()) return te.status().WithContext(lp + ".window_end");
    l.window_start = *ts;
    l.window_end = *te;
    ASSIGN_OR_RETURN(l.note, JsonStringAt(lj, "note", lp, false));
    ASSIGN_OR_RETURN(l.document_sha256, JsonStringAt(lj, "document_sha256", lp, false));
    r.lines.push_back(std::move(l));
  }
  return r;
}

}  // namespace relos::orders

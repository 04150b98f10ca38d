// The OpenAPI 3 document, generated from the route table so it cannot drift
// from what the server answers (tests/server checks both directions).
#include "relos/server/api.h"

namespace relos::server {

using codec::Json;

namespace {

std::vector<std::string> PathParams(const std::string& pattern) {
  std::vector<std::string> out;
  for (size_t open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', open + 1)) {
    out.push_back(pattern.substr(open + 1, pattern.find('}', open) - open - 1));
  }
  return out;
}

std::string OperationId(const Route& r) {
  std::string id;
  for (char c : r.method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool upper = true;
  for (char c : r.pattern) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return id;
}

Json ErrorRef(const std::string& description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

}  // namespace

Json Api::OpenApi() const {
  Json paths = Json::object();
  for (const Route& r : routes()) {
    Json op = {{"operationId", OperationId(r)}, {"summary", r.summary}};
    Json params = Json::array();
    for (const auto& p : PathParams(r.pattern)) {
      params.push_back({{"name", p}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    for (const auto& q : r.query) {
      Json param = {{"name", q}, {"in", "query"}, {"required", false}, {"schema", {{"type", "string"}}}};
      if (auto d = r.query_descriptions.find(q); d != r.query_descriptions.end()) param["description"] = d->second;
      params.push_back(param);
    }
    if (r.idempotency_key) {
      params.push_back({{"name", "Idempotency-Key"}, {"in", "header"}, {"required", false},
                        {"schema", {{"type", "string"}, {"maxLength", 128}}}});
    }
    if (r.pattern.rfind("/api/v1/orders/{ref}/", 0) == 0) {
      params.push_back({{"name", "If-Match"}, {"in", "header"}, {"required", false}, {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (r.has_body) {
      op["requestBody"] = {{"required", r.method != "POST" || r.pattern.find("/{ref}/") == std::string::npos},
                           {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    }
    Json responses = {{std::to_string(r.success), {{"description", "success"}}}};
    if (r.has_body || !r.query.empty() || !PathParams(r.pattern).empty()) responses["400"] = ErrorRef("bad input");
    if (r.authenticated) {
      op["security"] = Json::array({{{"bearerAuth", Json::array()}}});
      responses["401"] = ErrorRef("no valid token");
      Json roles = Json::array();
      for (orders::Role role : r.roles) roles.push_back(std::string(orders::Name(role)));
      op["x-relos-roles"] = roles;
      if (!r.roles.empty()) responses["403"] = ErrorRef("the user holds none of the roles");
    }
    if (!PathParams(r.pattern).empty()) responses["404"] = ErrorRef("no such object visible to the caller's party");
    if (r.method == "POST") responses["409"] = ErrorRef("conflict: state, rule, stale If-Match or duplicate");
    op["responses"] = responses;
    std::string method;
    for (char c : r.method) method += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[r.pattern][method] = op;
  }
  Json error_schema = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", {"code", "field", "reason"}},
          {"properties",
           {{"code", {{"type", "string"}}},
            {"field", {{"type", "string"}}},
            {"reason", {{"type", "string"}}},
            {"rule", {{"type", "string"}}}}}}}}}};
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "relos API"}, {"version", options_.version}}},
          {"paths", paths},
          {"components",
           {{"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas", {{"Error", error_schema}}}}}};
}

}  // namespace relos::server

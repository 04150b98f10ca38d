// libFuzzer target: the request path up to the handlers, without the
// services behind them. Beast's request parser reads the bytes under the
// server's limits, ToHttpRequest makes the HttpRequest, and the real Router
// dispatches it over the API's route table, read from the OpenAPI document
// that is generated from it (docs/openapi.json; the server test keeps the
// two equal): path matching and parameter checks, the bearer token, the
// role asked for with X-Relos-Role, the query parameters a route takes, and
// the JSON body under the API's limits. Small enough to build with clang in
// ./test.sh; fuzz/api_request_fuzz.cc takes the same inputs through the
// whole API.
//
// A token is "Bearer @PARTY-ROLE" (for example "Bearer @RU-approver"): a
// user of that party holding that role. Any other token is refused as the
// auth service refuses an unknown one.
//
// What counts as a crash besides the sanitizers' findings: an answer 500 or
// above, an answer that is not JSON, an error without the code, field and
// reason the API promises, or a handler reached with what the router must
// have refused (a parameter holding '/', ".." or control characters, a role
// the route does not allow, a query parameter it does not take), or a body
// refused otherwise than as InvalidArgument.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "relos/server/api.h"
#include "request_input.h"

namespace {

using namespace relos;
using fuzz::Fail;
using server::HttpRequest;
using server::HttpResponse;

// "@RU-approver": the user RU-approver of party RU holding the approver role.
Result<auth::Principal> Authenticate(const std::string& token) {
  const size_t dash = token.find('-');
  if (token.size() > 1 && token[0] == '@' && dash != std::string::npos) {
    auto role = orders::ParseRole(token.substr(dash + 1));
    if (role.ok()) {
      auth::Principal p;
      p.user.name = token.substr(1);
      p.user.party = token.substr(1, dash - 1);
      p.user.roles = {*role};
      p.kind = auth::TokenKind::kApi;
      return p;
    }
  }
  return Unauthenticated("the token is unknown, expired or revoked", "auth.token");
}

// What the route table says of a route, taken from its OpenAPI operation,
// and a handler that checks what the router promised before it. (The
// routes are added in the document's order, sorted by path; no two of the
// API's patterns match the same path, so the order changes no answer.)
server::Route RouteOf(const std::string& method, const std::string& pattern, const codec::Json& op) {
  server::Route r;
  r.method = method;
  for (char& c : r.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  r.pattern = pattern;
  r.authenticated = op.contains("security");
  for (const auto& role : op.value("x-relos-roles", codec::Json::array())) {
    auto parsed = orders::ParseRole(role.get<std::string>());
    if (!parsed.ok()) std::abort();
    r.roles.insert(*parsed);
  }
  for (const auto& p : op.value("parameters", codec::Json::array())) {
    if (p.value("in", "") == "query") r.query.push_back(p.value("name", ""));
  }
  r.has_body = op.contains("requestBody");
  const codec::Json responses = op.value("responses", codec::Json::object());
  for (const auto& [status, response] : responses.items()) {
    if (status[0] == '2') r.success = std::stoi(status);
  }
  r.handler = [route = r](server::Call& c) -> Result<server::Reply> {
    const HttpRequest& req = c.request;
    for (const auto& [name, value] : c.params) {
      if (value.empty() || value.size() > 128 || value.find('/') != std::string::npos ||
          value.find("..") != std::string::npos ||
          std::any_of(value.begin(), value.end(),
                      [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; })) {
        Fail("a path parameter the router should have refused", req, name + "=" + value);
      }
    }
    if (route.authenticated && (!c.principal || (!route.roles.empty() && !route.roles.count(c.actor.role)))) {
      Fail("a handler reached without a principal holding an allowed role", req, route.pattern);
    }
    for (const auto& [key, value] : req.query) {
      if (std::find(route.query.begin(), route.query.end(), key) == route.query.end()) {
        Fail("a query parameter the route does not take", req, key);
      }
    }
    if (route.has_body) {
      auto body = c.Body();
      if (!body.ok()) {
        if (body.status().code() != StatusCode::kInvalidArgument) {
          Fail("a body refused otherwise than as InvalidArgument", req, body.status().ToString());
        }
        return body.status();
      }
    }
    return server::Reply{route.success, {{"route", route.pattern}}};
  };
  return r;
}

server::Router& TheRouter() {
  static server::Router* router = [] {
    std::ifstream in(RELOS_OPENAPI_FILE);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const codec::Json doc = codec::Json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.contains("paths")) {
      std::fprintf(stderr, "cannot read the route table from %s\n", RELOS_OPENAPI_FILE);
      std::abort();
    }
    // The API's default JSON limits, as relos serve has them. Never
    // destroyed: libFuzzer exits without unwinding.
    auto* r = new server::Router(Authenticate, server::JsonLimits{});
    for (const auto& [pattern, ops] : doc["paths"].items()) {
      for (const auto& [method, op] : ops.items()) r->Add(RouteOf(method, pattern, op));
    }
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const server::Router& router = TheRouter();
  std::optional<fuzz::ReadRequest> in = fuzz::Read(data, size);
  if (!in || in->refused) return 0;
  const HttpResponse res = router.Handle(in->req);
  // Every answer here is JSON: the router's errors and the handlers' replies.
  if (res.content_type != "application/json") fuzz::Fail("an answer that is not JSON", in->req, res.body);
  fuzz::CheckAnswer(in->req, res);
  return 0;
}

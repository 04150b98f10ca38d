#include <algorithm>
#include <cctype>

#include "relos/server/api.h"

namespace relos::server {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Matches `path` against `pattern`, filling `params` with decoded segments.
// A parameter must be non-empty and, decoded, contain no '/', no ".." and
// no control characters: path traversal never reaches a handler.
enum class Match { kNo, kYes, kBadParam };
Match MatchPath(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params,
                std::string& bad) {
  auto want = Segments(pattern), have = Segments(path);
  if (want.size() != have.size()) return Match::kNo;
  std::map<std::string, std::string> found;
  Match result = Match::kYes;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      std::string name(want[i].substr(1, want[i].size() - 2));
      auto decoded = PercentDecode(have[i], false);
      bool ok = decoded.ok() && !decoded->empty() && decoded->size() <= 128 &&
                decoded->find('/') == std::string::npos && decoded->find("..") == std::string::npos &&
                std::none_of(decoded->begin(), decoded->end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
      if (!ok) {
        if (result == Match::kYes) bad = name;
        result = Match::kBadParam;
        continue;
      }
      found[name] = *decoded;
    } else if (want[i] != have[i]) {
      return Match::kNo;
    }
  }
  if (result == Match::kYes) params = std::move(found);
  return result;
}

std::string SnakeCode(StatusCode code) {
  std::string s(StatusCodeName(code));
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The field at fault: the JSON path a codec message starts with, else the
// reason when it names a field rather than a rule ("lifecycle.role").
std::string FieldOf(const Status& s) {
  const std::string& m = s.message();
  if (!m.empty() && m[0] == '$') return m.substr(0, m.find(':'));
  if (s.reason().find('.') == std::string::npos) return s.reason();
  return "";
}

HttpResponse ToHttp(Reply&& r, const Route& route) {
  HttpResponse out;
  out.status = r.status;
  out.route = route.pattern;
  out.headers = std::move(r.headers);
  out.content_type = r.content_type;
  out.body = r.text ? std::move(*r.text) : r.body.dump(-1, ' ', false, codec::Json::error_handler_t::replace);
  return out;
}

}  // namespace

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kResourceExhausted: return s.reason() == "auth.rate_limited" ? 429 : 409;
    case StatusCode::kAlreadyExists:
    case StatusCode::kAborted:
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDataLoss:
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

HttpResponse ErrorFor(const Status& s) {
  const int status = HttpStatusFor(s);
  // A 500 says nothing of the internals to the client.
  HttpResponse r = status == 500 ? ErrorResponse(500, "internal", "", "internal error")
                                 : ErrorResponse(status, SnakeCode(s.code()), FieldOf(s), s.message());
  if (status != 500 && !s.reason().empty()) {
    codec::Json j = codec::Json::parse(r.body);
    j["error"]["rule"] = s.reason();
    r.body = j.dump(-1, ' ', false, codec::Json::error_handler_t::replace);
  }
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"relos\"");
  return r;
}

Result<codec::Json> Call::Body() const { return ParseJsonBody(request.body, limits); }

std::string Call::BearerToken() const {
  const std::string& h = request.Header("authorization");
  if (h.size() > 7 && (h.compare(0, 7, "Bearer ") == 0 || h.compare(0, 7, "bearer ") == 0)) return h.substr(7);
  return "";
}

HttpResponse Router::Handle(const HttpRequest& req) const {
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    std::string bad;
    Match m = MatchPath(route.pattern, req.path, params, bad);
    if (m == Match::kNo) continue;
    if (route.method != req.method) {
      allowed.push_back(route.method);
      continue;
    }
    auto fail = [&route](const Status& s) {
      HttpResponse r = ErrorFor(s);
      r.route = route.pattern;
      return r;
    };
    if (m == Match::kBadParam) {
      return fail(InvalidArgument(bad + ": not a valid identifier (empty, too long, or holding '/', '..' or "
                                        "control characters)",
                                  bad));
    }
    Call call{req, std::move(params), std::nullopt, {}, limits_};
    if (route.authenticated) {
      std::string token = call.BearerToken();
      if (token.empty()) return fail(Unauthenticated("an 'Authorization: Bearer <token>' header is required", "auth.token"));
      auto principal = authenticate_(token);
      if (!principal.ok()) return fail(principal.status());
      const auth::User& user = principal->user;
      std::optional<orders::Role> role;
      const std::string& asked = req.Header("x-relos-role");
      if (!asked.empty()) {
        auto r = orders::ParseRole(asked);
        if (!r.ok()) return fail(r.status().WithContext("X-Relos-Role"));
        if (!user.roles.count(*r)) {
          return fail(PermissionDenied("user '" + user.name + "' does not hold the role " + asked, "auth.role"));
        }
        role = *r;
      } else {
        for (orders::Role r : user.roles) {
          if (route.roles.empty() || route.roles.count(r)) {
            role = r;
            break;
          }
        }
      }
      if (!role || (!route.roles.empty() && !route.roles.count(*role))) {
        std::string who;
        for (orders::Role r : route.roles) who += (who.empty() ? "" : ", ") + std::string(orders::Name(r));
        return fail(PermissionDenied(req.method + " " + route.pattern + " needs one of the roles: " + who,
                                     "auth.role"));
      }
      call.actor = {user.party, *role, user.name};
      call.principal = std::move(*principal);
    }
    for (const auto& [k, v] : req.query) {
      if (std::find(route.query.begin(), route.query.end(), k) == route.query.end()) {
        return fail(InvalidArgument(k + ": unknown query parameter", k));
      }
    }
    Result<Reply> reply = route.handler(call);
    if (!reply.ok()) return fail(reply.status());
    return ToHttp(std::move(*reply), route);
  }
  if (!allowed.empty()) {
    std::string allow;
    for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
    HttpResponse r = ErrorResponse(405, "method_not_allowed", "method", req.method + " is not allowed here; use " + allow);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  return ErrorResponse(404, "not_found", "path", "no such resource");
}

}  // namespace relos::server

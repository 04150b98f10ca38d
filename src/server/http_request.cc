// The request side of the HTTP layer, without a network: what a connection
// makes of the message Beast parsed (http_request.h), percent-decoding and
// the JSON error body. Kept apart from http_server.cc so that the request
// fuzz target (fuzz/) links it without Asio's sockets and OpenSSL.
#include <cctype>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "relos/server/http.h"
#include "server/http_request.h"

namespace relos::server {

namespace http = boost::beast::http;

const std::string& HttpRequest::Header(const std::string& name) const {
  static const std::string kEmpty;
  auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return InvalidArgument("a '%' escape is cut short", "path");
      }
      int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) return InvalidArgument("a '%' escape is not two hex digits", "path");
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return InvalidArgument("an escaped NUL byte is not allowed", "path");
      out += decoded;
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view field, std::string_view reason) {
  HttpResponse r;
  r.status = status;
  nlohmann::json j = {{"error", {{"code", code}, {"field", field}, {"reason", reason}}}};
  // Replace rather than throw on bytes that are not UTF-8 (a reason may quote
  // the client's input).
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

namespace {

void ParseQuery(std::string_view q, std::map<std::string, std::string>& out, Status& error) {
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!key.ok() || !value.ok()) {
      error = InvalidArgument("the query string has a bad '%' escape", "query");
      return;
    }
    out[*key] = *value;
  }
}

}  // namespace

std::optional<HttpResponse> ToHttpRequest(http::request<http::string_body>& msg, const std::string& remote_address,
                                          HttpRequest& req) {
  req.method = std::string(msg.method_string());
  req.target = std::string(msg.target());
  std::string_view target = msg.target();
  size_t q = target.find('?');
  req.path = std::string(target.substr(0, q));
  Status query_error;
  if (q != std::string_view::npos) ParseQuery(target.substr(q + 1), req.query, query_error);
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = std::string(field.value());
  }
  req.body = std::move(msg.body());
  req.remote_address = remote_address;
  if (!query_error.ok()) return ErrorResponse(400, "invalid_argument", "query", query_error.message());
  if (req.path.empty() || req.path[0] != '/') {
    return ErrorResponse(400, "bad_request", "path", "the request target must be an absolute path");
  }
  return std::nullopt;
}

}  // namespace relos::server

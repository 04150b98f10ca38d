// What the two request fuzz targets (http_request, api_request) share:
// reading the input as a connection reads one request, and what every
// answer must look like.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "relos/codec/codec.h"
#include "relos/server/http.h"
#include "server/http_request.h"

namespace relos::fuzz {

[[noreturn]] inline void Fail(const std::string& what, const server::HttpRequest& req, const std::string& detail) {
  std::fprintf(stderr, "%s\nrequest: %s %s\n%s\n", what.c_str(), req.method.c_str(), req.target.c_str(),
               detail.c_str());
  std::abort();
}

// The request in `data` as a connection reads it: Beast's parser under the
// server's default limits, the whole input offered at once (one request;
// what follows it is left unread), then ToHttpRequest. Nullopt when the
// parser refuses it or wants more (the connection answers 400/413/431 or
// waits). Else the request and, when ToHttpRequest refuses it, its answer.
struct ReadRequest {
  server::HttpRequest req;
  std::optional<server::HttpResponse> refused;
};
inline std::optional<ReadRequest> Read(const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  const server::ServerOptions limits;
  http::request_parser<http::string_body> parser;
  parser.body_limit(limits.body_limit);
  parser.header_limit(static_cast<uint32_t>(limits.header_limit));
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return std::nullopt;
  ReadRequest out;
  out.refused = server::ToHttpRequest(parser.get(), "127.0.0.1", out.req);
  if (out.refused && out.refused->status != 400) Fail("a refused target is not a 400", out.req, out.refused->body);
  return out;
}

// Aborts unless `res` is what the API promises for any input: below 500
// (bad input gets a 4xx), a JSON body when it says so, and an error with
// its code, field and reason.
inline void CheckAnswer(const server::HttpRequest& req, const server::HttpResponse& res) {
  const std::string detail = "response " + std::to_string(res.status) + ": " + res.body;
  if (res.status >= 500) Fail("a server error", req, detail);
  if (res.content_type != "application/json") return;
  const codec::Json body = codec::Json::parse(res.body, nullptr, false);
  if (body.is_discarded()) Fail("the answer is not JSON", req, detail);
  if (res.status >= 400) {
    const codec::Json& e = body.contains("error") ? body["error"] : codec::Json();
    if (!e.is_object() || !e.contains("code") || !e.contains("field") || !e.contains("reason")) {
      Fail("an error without code, field and reason", req, detail);
    }
  }
}

}  // namespace relos::fuzz

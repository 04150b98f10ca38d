// How a connection turns the message Beast parsed into the HttpRequest that
// the handler sees: method, target split into path and decoded query,
// headers with lower-case names, body. Shared by the server and the fuzz
// target (fuzz/), which feeds it bytes without a network.
//
// Thread-safety: a pure function.
#pragma once

#include <optional>
#include <string>

#include <boost/beast/http.hpp>

#include "relos/server/http.h"

namespace relos::server {

// Fills `req` from `msg` (moving its body out). Returns the 400 response to
// send instead when the query has a bad escape or the target is not an
// absolute path; nullopt when `req` is ready for the handler.
std::optional<HttpResponse> ToHttpRequest(boost::beast::http::request<boost::beast::http::string_body>& msg,
                                          const std::string& remote_address, HttpRequest& req);

}  // namespace relos::server

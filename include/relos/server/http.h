// The HTTP layer of `relos serve`: an asynchronous HTTP/1.1 server on
// Boost.Beast. Connections are served by a few I/O threads sharing one
// io_context (never a thread per connection); each parsed request is handed
// to a worker pool, so a slow database call never stalls the I/O threads,
// and the response is written back on the connection's own strand.
//
// This layer knows nothing of relos's API: it enforces the transport limits
// (header and body size, idle time), adds the security headers (and CORS
// headers only when an origin is configured), answers malformed HTTP with a
// JSON error, counts requests for /metrics, and drains on Stop(). Routing,
// authentication and JSON bodies are the Handler's business (api.h).
//
// Thread-safety: Start/Stop/Wait from one controlling thread; the Handler is
// called concurrently from the worker threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "relos/core/status.h"

namespace relos::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  // The path without the query, still percent-encoded: the router decodes
  // each segment on its own, so an encoded '/' can never split one.
  std::string path;
  std::map<std::string, std::string> query;    // decoded; the last value wins
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote_address;  // the peer's IP address

  // The header's value, or "" if absent. `name` in lower case.
  const std::string& Header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The route pattern that answered ("/api/v1/orders/{id}"), for metrics;
  // empty means "unmatched".
  std::string route;
};

// Decodes %XX escapes (and, when `plus_is_space`, '+' as in a query).
// InvalidArgument for a truncated or non-hex escape or an encoded NUL.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Builds the JSON error body {"error":{"code","field","reason"}}.
HttpResponse ErrorResponse(int status, std::string_view code, std::string_view field, std::string_view reason);

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks an ephemeral port; see HttpServer::port()
  int io_threads = 2;
  int worker_threads = 4;
  size_t body_limit = 1 << 20;   // bytes; larger bodies get 413
  size_t header_limit = 16 << 10;  // bytes of request line and headers; larger get 431
  std::chrono::seconds idle_timeout{30};  // a connection silent this long is closed
  std::chrono::seconds drain_timeout{20};  // Stop() waits at most this long for in-flight requests
  std::string cors_origin;  // empty: no CORS headers at all
  // PEM files; both set: every connection speaks TLS 1.2 or newer (and
  // responses carry Strict-Transport-Security).
  std::string tls_cert_file;
  std::string tls_key_file;
};

class Metrics;

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // `metrics` may be null; it must outlive the server.
  HttpServer(ServerOptions options, Handler handler, Metrics* metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the threads. Unavailable naming the address if the
  // port cannot be bound.
  Status Start();
  // The bound port (useful after port 0).
  uint16_t port() const;
  // Stops accepting, lets every request already read finish and its response
  // be written (at most drain_timeout), closes the connections and joins the
  // threads. Safe to call more than once.
  void Stop();
  // Blocks until Stop() has finished (from another thread or a signal).
  void Wait();
  // How many requests are being handled or written right now.
  int InFlight() const;

  class Impl;  // defined in http_server.cc

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace relos::server

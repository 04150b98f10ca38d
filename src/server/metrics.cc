#include "relos/server/metrics.h"

#include <fmt/format.h>

namespace relos::server {
namespace {

// Route patterns and methods come from the route table, never from the
// client, but escape them anyway so a label can never break the format.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::Record(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::ConnectionOpened() {
  std::lock_guard<std::mutex> lock(mu_);
  ++connections_total_;
  ++connections_open_;
}

void Metrics::ConnectionClosed() {
  std::lock_guard<std::mutex> lock(mu_);
  --connections_open_;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  out += "# HELP relos_http_requests_total HTTP requests answered, by method, route and status.\n";
  out += "# TYPE relos_http_requests_total counter\n";
  std::map<std::string, uint64_t> errors;
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("relos_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", Label(method),
                       Label(route), status, n);
    if (status >= 400) errors[status >= 500 ? "server" : "client"] += n;
  }
  out += "# HELP relos_http_request_errors_total Requests answered with a 4xx (client) or 5xx (server) status.\n";
  out += "# TYPE relos_http_request_errors_total counter\n";
  for (const char* kind : {"client", "server"}) {
    out += fmt::format("relos_http_request_errors_total{{kind=\"{}\"}} {}\n", kind, errors[kind]);
  }
  out += "# HELP relos_http_request_duration_seconds Time from a request read to its response written.\n";
  out += "# TYPE relos_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string r = Label(route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("relos_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r, kBuckets[i],
                         h.buckets[i]);
    }
    out += fmt::format("relos_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r, h.count);
    out += fmt::format("relos_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
    out += fmt::format("relos_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r, h.count);
  }
  out += "# HELP relos_http_connections_total Connections accepted.\n# TYPE relos_http_connections_total counter\n";
  out += fmt::format("relos_http_connections_total {}\n", connections_total_);
  out += "# HELP relos_http_connections_open Connections open now.\n# TYPE relos_http_connections_open gauge\n";
  out += fmt::format("relos_http_connections_open {}\n", connections_open_);
  return out;
}

}  // namespace relos::server

// Request counters and latency histograms for /metrics, in the Prometheus
// text exposition format (version 0.0.4). Gauges that need the database
// (open orders, ledger totals) are appended by the API at scrape time.
//
// Thread-safety: Record and Render may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace relos::server {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

  // One answered request: its method, route pattern ("" = unmatched), HTTP
  // status and how long it took from the end of reading to the end of writing.
  void Record(const std::string& method, const std::string& route, int status, double seconds);
  // Connections accepted so far and open now.
  void ConnectionOpened();
  void ConnectionClosed();

  // relos_http_requests_total, relos_http_request_errors_total,
  // relos_http_request_duration_seconds, relos_http_connections_*.
  std::string Render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
  uint64_t connections_total_ = 0;
  int64_t connections_open_ = 0;
};

}  // namespace relos::server

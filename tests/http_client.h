// A blocking HTTP/1.1 client on one keep-alive connection to a relos server
// on 127.0.0.1, for the end-to-end tests and the server benchmark. Every
// request carries a bearer token; answers are parsed as JSON.
//
// Thread-safety: one Connection per thread.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <ctime>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace relos::testing {

// What one request got back; `body` is discarded (is_discarded()) when the
// answer is not JSON.
struct HttpReply {
  int status = 0;
  std::string etag;
  nlohmann::json body;
};

class HttpConnection {
 public:
  // Connects at once; throws boost::system::system_error if refused.
  explicit HttpConnection(int port) : socket_(ioc_) {
    socket_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                   static_cast<uint16_t>(port)));
  }
  // Sends one request and reads the answer; throws when the server has
  // closed the connection.
  HttpReply Call(boost::beast::http::verb verb, const std::string& target, const std::string& token,
                 const std::string& body = "", const std::map<std::string, std::string>& headers = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::authorization, "Bearer " + token);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(socket_, req);
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    return {static_cast<int>(res.result_int()), std::string(res[http::field::etag]),
            nlohmann::json::parse(res.body(), nullptr, false)};
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// The date `days` from now at `time` of day (UTC), as ISO 8601.
inline std::string DaysFromNow(int days, const char* time = "08:00:00") {
  const std::time_t t =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours(24 * days));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return std::string(buf) + "T" + time + "Z";
}

// An order request on the demo registry (`relos init --demo-registry`): one
// line of `quantity` of `item` for IN-INS-TABAR at Vladivostok, in a window
// two months from now.
inline std::string DemoOrderJson(const std::string& item, const std::string& quantity) {
  const auto at = [](int days) { return DaysFromNow(days); };
  nlohmann::json line = {{"item", item}, {"quantity", quantity}, {"window_start", at(60)}, {"window_end", at(64)}};
  return nlohmann::json{{"agreement", "RELOS-IN-RU"},
                        {"unit", "IN-INS-TABAR"},
                        {"facility", "RU-VLD"},
                        {"purpose", "exercise"},
                        {"lines", nlohmann::json::array({line})}}
      .dump();
}

}  // namespace relos::testing

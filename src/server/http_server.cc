#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "relos/server/http.h"
#include "relos/server/metrics.h"
#include "server/http_request.h"

namespace relos::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

// One connection, whatever its stream (plain TCP or TLS). The server keeps
// them to close the idle ones when it stops.
class Session {
 public:
  virtual ~Session() = default;
  // Closes the connection now if it waits for a request, else after the
  // response in progress is written. Safe from any thread.
  virtual void PostCloseIfIdle() = 0;
};

class HttpServer::Impl {
 public:
  // At most this many connections taken from the listen backlog per
  // completion of async_accept (bounding how long one I/O thread spends away
  // from the connections it already serves).
  static constexpr int kAcceptBatch = 256;

  Impl(ServerOptions o, Handler h, Metrics* m) : options(std::move(o)), handler(std::move(h)), metrics(m) {}

  void Accept();
  // Starts a session on an accepted connection (unless draining).
  void Serve(tcp::socket socket);
  void Register(Session* s, const std::shared_ptr<Session>& sp);
  void Unregister(Session* s);

  ServerOptions options;
  Handler handler;
  Metrics* metrics;
  // Declared before the io_context: destroying it destroys the handlers it
  // still holds, whose sessions unregister here.
  std::mutex mu;  // guards sessions, started, stopped
  std::condition_variable cv;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  bool started = false;
  bool stopped = false;
  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  // On a strand of its own: Stop() closes it while an accept handler may be
  // taking connections from the backlog on another I/O thread.
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  uint16_t bound_port = 0;
  std::optional<asio::thread_pool> workers;
  std::vector<std::thread> io_threads;
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::optional<ssl::context> tls;  // set: every connection speaks TLS
};

template <class Stream>
class StreamSession : public Session, public std::enable_shared_from_this<StreamSession<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  // `args`: the accepted socket, and for TLS the server's ssl::context.
  template <class... Args>
  explicit StreamSession(HttpServer::Impl& server, Args&&... args)
      : server_(server), stream_(std::forward<Args>(args)...) {
    beast::error_code ec;
    auto ep = Tcp().socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    if (server_.metrics) server_.metrics->ConnectionOpened();
  }
  ~StreamSession() override {
    server_.Unregister(this);
    if (server_.metrics) server_.metrics->ConnectionClosed();
  }

  void Start() {
    server_.Register(this, this->shared_from_this());
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Tcp().expires_after(std::chrono::seconds(10));
        self->stream_.async_handshake(ssl::stream_base::server, [self](beast::error_code ec) {
          if (ec) return self->CloseNow();  // not TLS, or a failed handshake: nothing to answer
          self->Read();
        });
      } else {
        self->Read();
      }
    });
  }

  void PostCloseIfIdle() override {
    asio::post(executor(), [self = this->shared_from_this()] { self->CloseIfIdle(); });
  }

  // Called on the session's strand when the server starts draining: an idle
  // connection is closed now, a busy one after its response is written.
  void CloseIfIdle() {
    if (!busy_) {
      beast::error_code ec;
      Tcp().socket().cancel(ec);  // the pending read ends with operation_aborted
    }
  }

  auto executor() { return stream_.get_executor(); }
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

 private:
  void Read() {
    if (server_.draining) return Close();
    parser_.emplace();
    parser_->body_limit(server_.options.body_limit);
    parser_->header_limit(static_cast<uint32_t>(server_.options.header_limit));
    Tcp().expires_after(server_.options.idle_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&StreamSession::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec) {
      keep_alive_ = false;
      if (ec == http::error::body_limit) {
        return Respond(ErrorResponse(413, "payload_too_large", "body",
                                     "the request body is larger than " +
                                         std::to_string(server_.options.body_limit) + " bytes"),
                       false);
      }
      if (ec == http::error::header_limit) {
        return Respond(ErrorResponse(431, "headers_too_large", "headers", "the request line and headers are too large"),
                       false);
      }
      if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return Respond(ErrorResponse(400, "bad_request", "http", "malformed HTTP request: " + ec.message()), false);
      }
      if (ec == asio::error::operation_aborted) return CloseNow();  // stopping while idle
      return Close();  // the peer left or timed out
    }
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    HttpRequest req;
    std::optional<HttpResponse> refusal = ToHttpRequest(msg, remote_, req);
    started_ = std::chrono::steady_clock::now();
    method_ = req.method;
    origin_ = req.Header("origin");
    if (refusal) return Respond(std::move(*refusal), false);

    busy_ = true;
    ++server_.in_flight;
    Tcp().expires_never();  // the handler's time is not the client's idle time
    asio::post(*server_.workers, [self = this->shared_from_this(), req = std::move(req)]() mutable {
      HttpResponse r;
      try {
        r = self->server_.handler(req);
      } catch (const std::exception& e) {
        r = ErrorResponse(500, "internal", "", "internal error");
      }
      asio::post(self->executor(), [self, r = std::move(r)]() mutable { self->Respond(std::move(r), true); });
    });
  }

  void Respond(HttpResponse r, bool counted) {
    if (!counted) {
      started_ = std::chrono::steady_clock::now();
      if (method_.empty()) method_ = "-";
    }
    route_ = r.route;
    status_ = r.status;
    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::server, "relos");
    res_.set(http::field::content_type, r.content_type);
    res_.set(http::field::cache_control, "no-store");
    res_.set("X-Content-Type-Options", "nosniff");
    res_.set("X-Frame-Options", "DENY");
    res_.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    res_.set("Referrer-Policy", "no-referrer");
    if constexpr (kTls) res_.set(http::field::strict_transport_security, "max-age=31536000");
    if (!server_.options.cors_origin.empty() && !origin_.empty() &&
        (server_.options.cors_origin == "*" || origin_ == server_.options.cors_origin)) {
      res_.set(http::field::access_control_allow_origin, origin_);
      res_.set(http::field::vary, "Origin");
      res_.set(http::field::access_control_expose_headers, "ETag");
    }
    for (auto& [name, value] : r.headers) res_.set(name, value);
    res_.body() = std::move(r.body);
    res_.keep_alive(keep_alive_ && !server_.draining);
    res_.prepare_payload();
    Tcp().expires_after(server_.options.idle_timeout);
    http::async_write(stream_, res_, beast::bind_front_handler(&StreamSession::OnWrite, this->shared_from_this()));
  }

  void OnWrite(beast::error_code ec, size_t) {
    if (server_.metrics) {
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
      server_.metrics->Record(method_, route_, status_, seconds);
    }
    if (busy_) {
      busy_ = false;
      --server_.in_flight;
      server_.cv.notify_all();
    }
    if (ec || !res_.keep_alive()) return Close();
    Read();
  }

  // Half-closes and reads what the client still sends (for at most 2 s)
  // before closing: closing with unread bytes would make the kernel send a
  // reset, which can destroy the response the client has not read yet (a
  // 413 sent before the body arrived, say).
  void Close() {
    if constexpr (kTls) {
      // close_notify, then the socket, waiting at most 2 s for the peer's.
      Tcp().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->CloseNow(); });
      return;
    }
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || !Tcp().socket().is_open()) return CloseNow();
    Tcp().expires_after(std::chrono::seconds(2));
    Drain();
  }

  void Drain() {
    stream_.async_read_some(asio::buffer(drain_), [self = this->shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->CloseNow();
      self->Drain();
    });
  }

  void CloseNow() {
    beast::error_code ec;
    Tcp().socket().close(ec);
  }

  HttpServer::Impl& server_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  std::string remote_, method_, route_, origin_;
  int status_ = 0;
  bool keep_alive_ = false;
  bool busy_ = false;
  std::chrono::steady_clock::time_point started_;
  std::array<char, 4096> drain_;
};

void HttpServer::Impl::Register(Session* s, const std::shared_ptr<Session>& sp) {
  std::lock_guard<std::mutex> lock(mu);
  sessions[s] = sp;
}

void HttpServer::Impl::Unregister(Session* s) {
  std::lock_guard<std::mutex> lock(mu);
  sessions.erase(s);
  cv.notify_all();
}

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    } else {
      Serve(std::move(socket));
      // The rest of the listen backlog, now. Each completion of async_accept
      // waits at the back of the io_context's queue, behind the handlers of
      // every busy connection, so taking one connection per completion left
      // a burst of connects (wrk's 1,000 at once) in the backlog for
      // seconds, their first requests already sent and waiting.
      for (int i = 0; i < kAcceptBatch && !draining; ++i) {
        tcp::socket next(asio::make_strand(ioc));
        acceptor.accept(next, ec);  // non-blocking: would_block once the backlog is empty
        if (ec) break;
        Serve(std::move(next));
      }
    }
    Accept();
  });
}

void HttpServer::Impl::Serve(tcp::socket socket) {
  if (draining) return;  // closed as it goes
  // A response goes out in one write; Nagle's algorithm would hold its last
  // segment back until the client acknowledges the previous one.
  beast::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  if (tls) {
    std::make_shared<StreamSession<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(socket), *tls)->Start();
  } else {
    std::make_shared<StreamSession<beast::tcp_stream>>(*this, std::move(socket))->Start();
  }
}

HttpServer::HttpServer(ServerOptions options, Handler handler, Metrics* metrics)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), metrics)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  Impl& s = *impl_;
  if (s.options.io_threads < 1 || s.options.worker_threads < 1) {
    return InvalidArgument("io and worker threads must be at least 1", "threads");
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(s.options.address, ec);
  if (ec) return InvalidArgument("--address: '" + s.options.address + "' is not an IP address", "address");
  if (s.options.tls_cert_file.empty() != s.options.tls_key_file.empty()) {
    return InvalidArgument("--tls-cert and --tls-key: give both or neither", "tls");
  }
  if (!s.options.tls_cert_file.empty()) {
    ssl::context ctx(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    ctx.use_certificate_chain_file(s.options.tls_cert_file, ec);
    if (ec) return InvalidArgument("--tls-cert: cannot use '" + s.options.tls_cert_file + "': " + ec.message(), "tls_cert");
    ctx.use_private_key_file(s.options.tls_key_file, ssl::context::pem, ec);
    if (ec) return InvalidArgument("--tls-key: cannot use '" + s.options.tls_key_file + "': " + ec.message(), "tls_key");
    s.tls.emplace(std::move(ctx));
  }
  tcp::endpoint endpoint(address, s.options.port);
  const std::string where = s.options.address + ":" + std::to_string(s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) s.acceptor.non_blocking(true, ec);  // Accept() drains the backlog with synchronous accepts
  if (ec) return Unavailable("cannot listen on " + where + ": " + ec.message(), "address");
  s.bound_port = s.acceptor.local_endpoint().port();
  s.work.emplace(s.ioc.get_executor());
  s.workers.emplace(static_cast<size_t>(s.options.worker_threads));
  s.Accept();
  for (int i = 0; i < s.options.io_threads; ++i) s.io_threads.emplace_back([&s] { s.ioc.run(); });
  std::lock_guard<std::mutex> lock(s.mu);
  s.started = true;
  return OkStatus();
}

uint16_t HttpServer::port() const { return impl_->bound_port; }

int HttpServer::InFlight() const { return impl_->in_flight.load(); }

void HttpServer::Stop() {
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (!s.started || s.stopped || s.draining.exchange(true)) return;
  }
  asio::post(s.acceptor.get_executor(), [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
  });
  // Close idle connections; busy ones close after their response is written.
  // The sessions are collected under the lock but let go outside it: the
  // last reference to a session may be ours, and its destructor takes the lock.
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    for (auto& [raw, weak] : s.sessions) {
      if (auto sp = weak.lock()) live.push_back(std::move(sp));
    }
  }
  for (auto& sp : live) sp->PostCloseIfIdle();
  live.clear();
  {
    std::unique_lock<std::mutex> lock(s.mu);
    s.cv.wait_for(lock, s.options.drain_timeout, [&s] { return s.sessions.empty() && s.in_flight == 0; });
  }
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.io_threads) t.join();
  s.io_threads.clear();
  s.workers->join();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.stopped = true;
  }
  s.cv.notify_all();
}

void HttpServer::Wait() {
  Impl& s = *impl_;
  std::unique_lock<std::mutex> lock(s.mu);
  s.cv.wait(lock, [&s] { return s.stopped || !s.started; });
}

}  // namespace relos::server

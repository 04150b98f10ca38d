// `relos serve`: the REST API (and the web application, when its files are
// next to the binary) over the database named by --db, until SIGINT or
// SIGTERM, then a graceful stop that finishes in-flight requests.
//
// Settings: defaults < TOML file (--config) < RELOS_* environment < flags
// (serve_config.h). Standard output carries one line saying where it
// listens and one when it stops; standard error carries the structured log
// (JSON lines by default): one line per request with method, route pattern,
// status, duration and client address, never headers, bodies or queries,
// so no password or token can reach it.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>

#include "cli/commands.h"
#include "cli/serve_config.h"
#include "relos/auth/auth_service.h"
#include "relos/codec/codec.h"
#include "relos/orders/order_service.h"
#include "relos/planning/planning.h"
#include "relos/server/api.h"
#include "relos/server/http.h"
#include "relos/server/metrics.h"
#include "relos/server/response_cache.h"
#include "relos/server/static_files.h"

namespace relos::cli {
namespace {

struct ServeFlags {
  std::string config;
  ServeConfig flags;  // values given on the command line
  std::string web_root;
};

// The web application to serve beside the API: --web-root, else web/ next
// to the binary (where scripts/build-data.sh puts it) or, installed,
// ../share/relos/web (packaging/) if it is there. "none" serves the API only.
Result<std::optional<server::StaticFiles>> OpenWebRoot(const std::string& flag) {
  if (flag == "none") return std::optional<server::StaticFiles>();
  if (!flag.empty()) {
    auto files = server::StaticFiles::Open(flag);
    if (!files.ok()) return files.status().WithContext("--web-root");
    return std::optional<server::StaticFiles>(std::move(*files));
  }
  const std::string dir = ExecutableDir();
  if (dir.empty()) return std::optional<server::StaticFiles>();
  for (const auto& root : {std::filesystem::path(dir) / "web", std::filesystem::path(dir) / ".." / "share" / "relos" / "web"}) {
    auto files = server::StaticFiles::Open(root);
    if (files.ok()) return std::optional<server::StaticFiles>(std::move(*files));
  }
  return std::optional<server::StaticFiles>();
}

// One structured log line (JSON, or "key=value" text).
class Log {
 public:
  explicit Log(const std::string& format) : json_(format == "json") {
    logger_ = std::make_shared<spdlog::logger>("relos", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger_->set_pattern(json_ ? "%v" : "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  }
  void Info(const std::string& event, codec::Json fields) {
    if (json_) {
      fields["ts"] = Timestamp(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count())
                         .ToIso8601();
      fields["level"] = "info";
      fields["event"] = event;
      logger_->info(fields.dump(-1, ' ', false, codec::Json::error_handler_t::replace));
    } else {
      std::string line = event;
      for (const auto& [k, v] : fields.items()) line += " " + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
      logger_->info(line);
    }
  }

 private:
  bool json_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace

void RegisterServeCommand(CLI::App& app, CliContext& ctx) {
  auto* o = ctx.Own<ServeFlags>();
  ServeConfig& f = o->flags;
  CLI::App* cmd = app.add_subcommand("serve", "serve the REST API (docs/api.md) until SIGINT or SIGTERM");
  cmd->add_option("--config", o->config, "a TOML file of settings (docs/operations.md)");
  cmd->add_option("--address", f.http.address, "IP address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", f.port, "TCP port; 0 picks a free one (default 8080)");
  cmd->add_option("--io-threads", f.http.io_threads, "threads running the network I/O (default 2)");
  cmd->add_option("--workers", f.http.worker_threads, "threads running requests against the database (default 4)");
  cmd->add_option("--body-limit-kib", f.body_limit_kib, "largest request body accepted, KiB (default 1024)");
  cmd->add_option("--cors-origin", f.http.cors_origin, "allow this browser origin (default: no CORS headers)");
  cmd->add_option("--session-ttl-minutes", f.session_ttl_minutes, "how long a login session lasts (default 480)");
  cmd->add_option("--anchor-cache-mib", f.anchor_cache_mib,
                  "memory for facilities attached to the sea-lane network, MiB (default 32, ~70 facilities)");
  cmd->add_option("--tls-cert", f.tls_cert, "PEM certificate chain: serve HTTPS (with --tls-key)");
  cmd->add_option("--tls-key", f.tls_key, "PEM private key of --tls-cert");
  cmd->add_option("--log-format", f.log_format, "json (default) or text, on standard error");
  cmd->add_option("--web-root", o->web_root,
                  "the built web application to serve at / (default: web/ next to the relos binary; none: API only)");
  cmd->callback([&ctx, &app, o, cmd] {
    ctx.action = [&ctx, &app, o, cmd]() -> Status {
      ServeConfig c;
      if (!o->config.empty()) RETURN_IF_ERROR(ApplyTomlFile(o->config, c));
      RETURN_IF_ERROR(ApplyEnvironment([](const char* name) { return std::getenv(name); }, c));
      // Flags last: only those given.
      const ServeConfig& f = o->flags;
      auto given = [cmd](const char* name) { return cmd->get_option(name)->count() > 0; };
      if (given("--address")) c.http.address = f.http.address;
      if (given("--port")) c.port = f.port;
      if (given("--io-threads")) c.http.io_threads = f.http.io_threads;
      if (given("--workers")) c.http.worker_threads = f.http.worker_threads;
      if (given("--body-limit-kib")) c.body_limit_kib = f.body_limit_kib;
      if (given("--cors-origin")) c.http.cors_origin = f.http.cors_origin;
      if (given("--session-ttl-minutes")) c.session_ttl_minutes = f.session_ttl_minutes;
      if (given("--anchor-cache-mib")) c.anchor_cache_mib = f.anchor_cache_mib;
      if (given("--tls-cert")) c.tls_cert = f.tls_cert;
      if (given("--tls-key")) c.tls_key = f.tls_key;
      if (given("--log-format")) c.log_format = f.log_format;
      RETURN_IF_ERROR(CheckServeConfig(c));
      c.http.tls_cert_file = c.tls_cert;
      c.http.tls_key_file = c.tls_key;
      if (app.get_option("--db")->count() == 0 && !c.db.empty()) ctx.db_path = c.db;

      ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
      ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
      auth::AuthOptions auth_options;
      auth_options.session_ttl_seconds = c.session_ttl_minutes * 60;
      auth::AuthService auth(*store, *clock, auth_options);
      const std::unique_ptr<orders::OrderService> orders = NewOrderService(*store, *clock);
      server::Metrics metrics;
      server::ApiOptions api_options;
      // Loaded on the first planning request, as `relos route` finds it.
      api_options.open_sealanes = [] { return planning::OpenSeaLaneNetwork("", ExecutableDir()); };
      api_options.anchor_cache_bytes = static_cast<size_t>(c.anchor_cache_mib) << 20;
      server::Api api(*store, *clock, auth, *orders, &metrics, api_options);
      ASSIGN_OR_RETURN(std::optional<server::StaticFiles> web, OpenWebRoot(o->web_root));
      Log log(c.log_format);
      // The OpenAPI document depends on the route table alone.
      server::ResponseCache cache({"/api/v1/openapi.json"});
      server::HttpServer http(
          c.http,
          [&api, &web, &log, &cache](const server::HttpRequest& r) {
            const auto start = std::chrono::steady_clock::now();
            std::optional<server::HttpResponse> page;
            if (web) page = web->Serve(r);
            server::HttpResponse res =
                page ? *std::move(page) : cache.Serve(r, [&api](const server::HttpRequest& q) { return api.Handle(q); });
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            log.Info("request", {{"method", r.method},
                                 {"route", res.route.empty() ? "(unmatched)" : res.route},
                                 {"status", res.status},
                                 {"ms", std::round(ms * 1000) / 1000},
                                 {"remote", r.remote_address}});
            return res;
          },
          &metrics);

      // The signals are taken by sigwait() below: block them before the
      // server's threads start, so that they inherit the mask.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGINT);
      sigaddset(&signals, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);
      Status started = http.Start();
      if (!started.ok()) {
        pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
        return started;
      }
      api.SetReady(true);
      const std::string scheme = c.tls_cert.empty() ? "http" : "https";
      *ctx.out << fmt::format("relos serve: listening on {}://{}:{} (database {}); Ctrl-C or SIGTERM stops\n", scheme,
                              c.http.address, http.port(), ctx.db_path);
      *ctx.out << (web ? fmt::format("relos serve: the web application from {}\n", web->root().string())
                       : std::string("relos serve: no web application (API only)\n"))
               << std::flush;
      log.Info("started", {{"address", c.http.address},
                           {"port", http.port()},
                           {"tls", !c.tls_cert.empty()},
                           {"web", web ? web->root().string() : std::string()},
                           {"io_threads", c.http.io_threads},
                           {"workers", c.http.worker_threads}});
      int sig = 0;
      sigwait(&signals, &sig);
      log.Info("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}, {"in_flight", http.InFlight()}});
      api.SetReady(false);
      http.Stop();
      pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
      log.Info("stopped", codec::Json::object());
      *ctx.out << "relos serve: stopped\n";
      return OkStatus();
    };
  });
}

}  // namespace relos::cli

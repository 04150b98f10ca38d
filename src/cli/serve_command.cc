// `relos serve`: the REST API over the database named by --db, until
// SIGINT or SIGTERM, then a graceful stop that finishes in-flight requests.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <filesystem>
#include <optional>

#include "cli/commands.h"
#include "relos/auth/auth_service.h"
#include "relos/orders/order_service.h"
#include "relos/server/api.h"
#include "relos/server/http.h"
#include "relos/server/metrics.h"
#include "relos/server/static_files.h"

namespace relos::cli {
namespace {

struct ServeOptions {
  server::ServerOptions http;
  int64_t session_ttl_minutes = 8 * 60;
  size_t body_limit_kib = 1024;
  std::string web_root;
};

// The web application to serve beside the API: --web-root, else web/ next
// to the binary (where scripts/build-data.sh puts it) if it is there.
// "none" serves the API only.
Result<std::optional<server::StaticFiles>> OpenWebRoot(const std::string& flag) {
  if (flag == "none") return std::optional<server::StaticFiles>();
  if (!flag.empty()) {
    auto files = server::StaticFiles::Open(flag);
    if (!files.ok()) return files.status().WithContext("--web-root");
    return std::optional<server::StaticFiles>(std::move(*files));
  }
  const std::string dir = ExecutableDir();
  if (dir.empty()) return std::optional<server::StaticFiles>();
  auto files = server::StaticFiles::Open(std::filesystem::path(dir) / "web");
  if (!files.ok()) return std::optional<server::StaticFiles>();
  return std::optional<server::StaticFiles>(std::move(*files));
}

}  // namespace

void RegisterServeCommand(CLI::App& app, CliContext& ctx) {
  auto* o = ctx.Own<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "serve the REST API (docs/api.md) until SIGINT or SIGTERM");
  cmd->add_option("--address", o->http.address, "IP address to listen on")->capture_default_str();
  cmd->add_option("--port", o->http.port, "TCP port (0 picks a free one)")->capture_default_str();
  cmd->add_option("--io-threads", o->http.io_threads, "threads running the network I/O")->capture_default_str();
  cmd->add_option("--workers", o->http.worker_threads, "threads running requests against the database")
      ->capture_default_str();
  cmd->add_option("--body-limit-kib", o->body_limit_kib, "largest request body accepted, KiB")->capture_default_str();
  cmd->add_option("--cors-origin", o->http.cors_origin, "allow this browser origin (default: no CORS headers)");
  cmd->add_option("--session-ttl-minutes", o->session_ttl_minutes, "how long a login session lasts")
      ->capture_default_str();
  cmd->add_option("--web-root", o->web_root,
                  "the built web application to serve at / (default: web/ next to the relos binary; none: API only)");
  cmd->callback([&ctx, o] {
    ctx.action = [&ctx, o]() -> Status {
      if (o->body_limit_kib < 1 || o->body_limit_kib > 64 * 1024) {
        return InvalidArgument("--body-limit-kib: must be 1..65536", "body_limit_kib");
      }
      if (o->session_ttl_minutes < 1 || o->session_ttl_minutes > 7 * 24 * 60) {
        return InvalidArgument("--session-ttl-minutes: must be 1..10080", "session_ttl_minutes");
      }
      o->http.body_limit = o->body_limit_kib * 1024;
      ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
      ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
      auth::AuthOptions auth_options;
      auth_options.session_ttl_seconds = o->session_ttl_minutes * 60;
      auth::AuthService auth(*store, *clock, auth_options);
      orders::OrderService orders(*store, *clock, LedgerObservers());
      server::Metrics metrics;
      server::Api api(*store, *clock, auth, orders, &metrics);
      ASSIGN_OR_RETURN(std::optional<server::StaticFiles> web, OpenWebRoot(o->web_root));
      server::HttpServer http(
          o->http,
          [&api, &web](const server::HttpRequest& r) {
            if (web) {
              if (auto page = web->Serve(r)) return *std::move(page);
            }
            return api.Handle(r);
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
      *ctx.out << fmt::format("relos serve: listening on http://{}:{} (database {}); Ctrl-C or SIGTERM stops\n",
                              o->http.address, http.port(), ctx.db_path);
      *ctx.out << (web ? fmt::format("relos serve: the web application from {}\n", web->root().string())
                       : std::string("relos serve: no web application (API only)\n"))
               << std::flush;
      int sig = 0;
      sigwait(&signals, &sig);
      *ctx.out << fmt::format("relos serve: {} received, finishing {} in-flight request(s)\n",
                              sig == SIGTERM ? "SIGTERM" : "SIGINT", http.InFlight())
               << std::flush;
      api.SetReady(false);
      http.Stop();
      pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
      *ctx.out << "relos serve: stopped\n";
      return OkStatus();
    };
  });
}

}  // namespace relos::cli

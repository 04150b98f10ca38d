// How `relos serve` is configured: built-in defaults, then a TOML file
// (--config), then RELOS_* environment variables, then command-line flags,
// each overriding the one before (docs/operations.md lists every setting).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "relos/core/status.h"
#include "relos/server/http.h"

namespace relos::cli {

struct ServeConfig {
  std::string db;  // empty: --db as given (or its default)
  server::ServerOptions http;  // its port and body_limit are set by CheckServeConfig
  int64_t port = 8080;
  int64_t body_limit_kib = 1024;
  int64_t session_ttl_minutes = 8 * 60;
  int64_t anchor_cache_mib = 32;  // sealanes::AnchorCache's budget
  std::string tls_cert;  // PEM certificate chain; with tls_key, serve HTTPS
  std::string tls_key;   // PEM private key
  std::string log_format = "json";  // "json" lines, or "text"
};

// Overrides `c` with the settings of the TOML file at `path`:
//   database = "/var/lib/relos/relos.db"
//   [server]  address, port, io_threads, workers, body_limit_kib,
//             cors_origin, session_ttl_minutes, anchor_cache_mib, tls_cert,
//             tls_key, log_format
// Unknown keys and wrong types are InvalidArgument naming the file, line
// and key.
Status ApplyTomlFile(const std::string& path, ServeConfig& c);

// Overrides `c` with RELOS_DB, RELOS_ADDRESS, RELOS_PORT, RELOS_IO_THREADS,
// RELOS_WORKERS, RELOS_BODY_LIMIT_KIB, RELOS_CORS_ORIGIN,
// RELOS_SESSION_TTL_MINUTES, RELOS_ANCHOR_CACHE_MIB, RELOS_TLS_CERT,
// RELOS_TLS_KEY, RELOS_LOG_FORMAT,
// read through `get` (std::getenv in production). A malformed number is
// InvalidArgument naming the variable.
Status ApplyEnvironment(const std::function<const char*(const char*)>& get, ServeConfig& c);

// Range checks on the merged result; InvalidArgument naming the setting.
Status CheckServeConfig(ServeConfig& c);

}  // namespace relos::cli

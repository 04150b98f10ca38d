#include "cli/serve_config.h"

#include <toml++/toml.h>

#include <charconv>
#include <map>

namespace relos::cli {
namespace {

// The settings, each as the TOML key under [server] and the environment
// variable, and how to store a value into the config.
struct Setting {
  const char* key;
  const char* env;
  bool number;
  std::function<void(ServeConfig&, const std::string&, int64_t)> set;
};

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"address", "RELOS_ADDRESS", false, [](ServeConfig& c, const std::string& s, int64_t) { c.http.address = s; }},
      {"port", "RELOS_PORT", true,
       [](ServeConfig& c, const std::string&, int64_t n) { c.port = n; }},
      {"io_threads", "RELOS_IO_THREADS", true,
       [](ServeConfig& c, const std::string&, int64_t n) { c.http.io_threads = static_cast<int>(n); }},
      {"workers", "RELOS_WORKERS", true,
       [](ServeConfig& c, const std::string&, int64_t n) { c.http.worker_threads = static_cast<int>(n); }},
      {"body_limit_kib", "RELOS_BODY_LIMIT_KIB", true,
       [](ServeConfig& c, const std::string&, int64_t n) { c.body_limit_kib = n; }},
      {"cors_origin", "RELOS_CORS_ORIGIN", false,
       [](ServeConfig& c, const std::string& s, int64_t) { c.http.cors_origin = s; }},
      {"session_ttl_minutes", "RELOS_SESSION_TTL_MINUTES", true,
       [](ServeConfig& c, const std::string&, int64_t n) { c.session_ttl_minutes = n; }},
      {"anchor_cache_mib", "RELOS_ANCHOR_CACHE_MIB", true,
       [](ServeConfig& c, const std::string&, int64_t n) { c.anchor_cache_mib = n; }},
      {"tls_cert", "RELOS_TLS_CERT", false, [](ServeConfig& c, const std::string& s, int64_t) { c.tls_cert = s; }},
      {"tls_key", "RELOS_TLS_KEY", false, [](ServeConfig& c, const std::string& s, int64_t) { c.tls_key = s; }},
      {"log_format", "RELOS_LOG_FORMAT", false,
       [](ServeConfig& c, const std::string& s, int64_t) { c.log_format = s; }},
  };
  return kSettings;
}

// Ports and counts only: a value outside int32 is refused here, the exact
// ranges by CheckServeConfig.
bool ParseCount(const std::string& text, int64_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out >= 0 && *out <= 2147483647;
}

}  // namespace

Status ApplyTomlFile(const std::string& path, ServeConfig& c) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()),
                           "config");
  }
  auto where = [&path](const toml::node& n, const std::string& key) {
    return path + ":" + std::to_string(n.source().begin.line) + ": " + key;
  };
  for (auto&& [k, v] : doc) {
    const std::string key(k.str());
    if (key == "database") {
      auto s = v.value<std::string>();
      if (!s) return InvalidArgument(where(v, key) + ": must be a string", "database");
      c.db = *s;
    } else if (key != "server") {
      return InvalidArgument(where(v, key) + ": unknown setting (database, [server])", key);
    }
  }
  const toml::table* server = doc["server"].as_table();
  if (doc.contains("server") && server == nullptr) return InvalidArgument(path + ": server: must be a table", "server");
  if (server == nullptr) return OkStatus();
  for (auto&& [k, v] : *server) {
    const std::string key(k.str());
    const Setting* setting = nullptr;
    for (const auto& s : Settings()) {
      if (key == s.key) setting = &s;
    }
    if (setting == nullptr) return InvalidArgument(where(v, "server." + key) + ": unknown setting", key);
    if (setting->number) {
      auto n = v.value<int64_t>();
      if (!n || !v.is_integer() || *n < 0 || *n > 2147483647) {
        return InvalidArgument(where(v, "server." + key) + ": must be a whole number", key);
      }
      setting->set(c, "", *n);
    } else {
      if (!v.is_string()) return InvalidArgument(where(v, "server." + key) + ": must be a string", key);
      setting->set(c, *v.value<std::string>(), 0);
    }
  }
  return OkStatus();
}

Status ApplyEnvironment(const std::function<const char*(const char*)>& get, ServeConfig& c) {
  if (const char* db = get("RELOS_DB"); db != nullptr && *db != '\0') c.db = db;
  for (const auto& s : Settings()) {
    const char* value = get(s.env);
    if (value == nullptr) continue;
    if (s.number) {
      int64_t n = 0;
      if (!ParseCount(value, &n)) return InvalidArgument(std::string(s.env) + ": must be a whole number", s.key);
      s.set(c, "", n);
    } else {
      s.set(c, value, 0);
    }
  }
  return OkStatus();
}

Status CheckServeConfig(ServeConfig& c) {
  if (c.body_limit_kib < 1 || c.body_limit_kib > 64 * 1024) {
    return InvalidArgument("body_limit_kib: must be 1..65536", "body_limit_kib");
  }
  if (c.session_ttl_minutes < 1 || c.session_ttl_minutes > 7 * 24 * 60) {
    return InvalidArgument("session_ttl_minutes: must be 1..10080", "session_ttl_minutes");
  }
  // 0.45 MB per facility kept: 1 MiB keeps two, 16 GiB some 37,000.
  if (c.anchor_cache_mib < 1 || c.anchor_cache_mib > 16 * 1024) {
    return InvalidArgument("anchor_cache_mib: must be 1..16384", "anchor_cache_mib");
  }
  if (c.http.io_threads < 1 || c.http.io_threads > 64) return InvalidArgument("io_threads: must be 1..64", "io_threads");
  if (c.http.worker_threads < 1 || c.http.worker_threads > 256) {
    return InvalidArgument("workers: must be 1..256", "workers");
  }
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return InvalidArgument("tls_cert and tls_key: give both or neither", c.tls_cert.empty() ? "tls_cert" : "tls_key");
  }
  if (c.log_format != "json" && c.log_format != "text") {
    return InvalidArgument("log_format: must be json or text", "log_format");
  }
  if (c.port < 0 || c.port > 65535) return InvalidArgument("port: must be 0..65535", "port");
  c.http.port = static_cast<uint16_t>(c.port);
  c.http.body_limit = static_cast<size_t>(c.body_limit_kib) * 1024;
  return OkStatus();
}

}  // namespace relos::cli

#include "relos/server/static_files.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace relos::server {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

bool IsApiPath(std::string_view p) {
  return p.rfind("/api/", 0) == 0 || p == "/api" || p == "/healthz" || p == "/readyz" || p == "/metrics";
}

// The decoded path split into segments; InvalidArgument for a segment that
// could climb out of the root or confuse the file system.
Result<std::vector<std::string>> Segments(std::string_view raw) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= raw.size()) {
    size_t end = raw.find('/', start);
    if (end == std::string_view::npos) end = raw.size();
    ASSIGN_OR_RETURN(std::string seg, PercentDecode(raw.substr(start, end - start), false));
    if (seg == "." || seg == ".." || seg.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
      return InvalidArgument("path: a segment may not be '.', '..' or hold '/', '\\' or NUL", "path");
    }
    if (!seg.empty()) out.push_back(std::move(seg));
    start = end + 1;
  }
  return out;
}

std::optional<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".ico", "image/x-icon"}, {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}, {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext) return type;
  }
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::Open(const fs::path& root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_regular_file(canonical / "index.html", ec)) {
    return FailedPrecondition("web root '" + root.string() + "' holds no index.html (run scripts/build-data.sh)",
                              "web_root");
  }
  return StaticFiles(canonical);
}

std::optional<HttpResponse> StaticFiles::Serve(const HttpRequest& req) const {
  if (req.method != "GET" || req.path.empty() || req.path[0] != '/' || IsApiPath(req.path)) return std::nullopt;
  auto segments = Segments(req.path);
  if (!segments.ok()) {
    HttpResponse r = ErrorResponse(400, "invalid_argument", "path", segments.status().message());
    r.route = "static";
    return r;
  }
  fs::path file = root_;
  for (const auto& s : *segments) file /= s;
  if (segments->empty()) file /= "index.html";

  std::error_code ec;
  fs::path resolved = fs::canonical(file, ec);
  const bool inside = !ec && resolved.native().rfind(root_.native() + "/", 0) == 0;
  const bool found = inside && fs::is_regular_file(resolved, ec);
  const bool client_route = !segments->empty() && segments->back().find('.') == std::string::npos;
  if (!found && !client_route && !segments->empty()) {
    HttpResponse r = ErrorResponse(404, "not_found", "path", "no file " + req.path + " in the web application");
    r.route = "static";
    return r;
  }
  if (!found) resolved = root_ / "index.html";
  std::optional<std::string> body = ReadFile(resolved);
  if (!body) {
    HttpResponse r = ErrorResponse(404, "not_found", "path", "cannot read " + req.path);
    r.route = "static";
    return r;
  }
  HttpResponse r;
  r.status = 200;
  r.route = "static";
  r.content_type = std::string(ContentTypeFor(resolved.filename().string()));
  r.body = std::move(*body);
  const bool hashed_asset = found && !segments->empty() && segments->front() == "assets";
  r.headers.emplace_back("Cache-Control", hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("Content-Security-Policy", std::string(kPolicy));
  return r;
}

}  // namespace relos::server

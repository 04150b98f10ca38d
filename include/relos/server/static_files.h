// The built web application (web/, copied next to the binary as web/ by
// scripts/build-data.sh) served by `relos serve` beside the API.
//
// A GET for anything but /api/..., /healthz, /readyz and /metrics is the
// web application's: a file under the root if there is one, else
// index.html for a client route (a path whose last segment has no '.'), so
// a reload of /orders/RELOS-IN-RU-2026-000001 works; a missing file with
// an extension is 404. A path that decodes to '..', '.', a backslash or a
// NUL is 400, and a file reached through a symlink leading out of the root
// is 404: nothing outside the root is ever read.
//
// Hashed build assets (/assets/...) may be cached for a year; everything
// else must be revalidated (Cache-Control: no-cache), so a new build shows
// at once. The Content-Security-Policy admits only this origin's scripts,
// styles, images and API calls.
#pragma once
#include <filesystem>
#include <optional>

#include "relos/core/status.h"
#include "relos/server/http.h"

namespace relos::server {

class StaticFiles {
 public:
  // FailedPrecondition naming the folder if it holds no index.html.
  static Result<StaticFiles> Open(const std::filesystem::path& root);

  // The response for a request the web application answers, or nullopt
  // for one the API answers (other paths, other methods).
  std::optional<HttpResponse> Serve(const HttpRequest& req) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;  // canonical
};

// The Content-Type for a file name's extension (application/octet-stream
// when unknown).
std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace relos::server

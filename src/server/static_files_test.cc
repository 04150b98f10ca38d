// StaticFiles over a temporary web root: files, the index.html fallback for
// client routes, content types and cache headers, and every way a path
// might reach outside the root.
#include "relos/server/static_files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace relos::server {
namespace {
namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("relos-static-" + std::to_string(std::random_device{}()));
    root_ = base_ / "web";
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<!doctype html><title>relos</title>");
    Write(root_ / "assets" / "index-4f2a.js", "console.log(1)");
    Write(root_ / "assets" / "index-9c1d.css", "body{}");
    Write(base_ / "secret.txt", "outside the root");
    fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
    auto files = StaticFiles::Open(root_);
    ASSERT_TRUE(files.ok()) << files.status();
    files_.emplace(std::move(*files));
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  std::optional<HttpResponse> Get(const std::string& path, const std::string& method = "GET") {
    HttpRequest r;
    r.method = method;
    r.target = path;
    r.path = path;
    return files_->Serve(r);
  }

  static std::string Header(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  fs::path base_, root_;
  std::optional<StaticFiles> files_;
};

TEST_F(StaticFilesTest, RootIsIndexHtmlRevalidatedEveryTime) {
  auto r = Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r->body, "<!doctype html><title>relos</title>");
  EXPECT_EQ(Header(*r, "Cache-Control"), "no-cache");
  EXPECT_NE(Header(*r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
}

TEST_F(StaticFilesTest, HashedAssetsAreCachedForAYearWithTheirType) {
  auto js = Get("/assets/index-4f2a.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(Header(*js, "Cache-Control"), "public, max-age=31536000, immutable");
  auto css = Get("/assets/index-9c1d.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToIndexHtmlButMissingFilesAre404) {
  auto route = Get("/orders/RELOS-IN-RU-2026-000001");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->status, 200);
  EXPECT_EQ(route->body, "<!doctype html><title>relos</title>");
  EXPECT_EQ(Header(*route, "Cache-Control"), "no-cache");
  auto missing = Get("/assets/gone-1234.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->content_type, "application/json");
}

TEST_F(StaticFilesTest, ApiPathsAndOtherMethodsAreLeftToTheApi) {
  EXPECT_FALSE(Get("/api/v1/orders"));
  EXPECT_FALSE(Get("/api/v1/unknown"));
  EXPECT_FALSE(Get("/healthz"));
  EXPECT_FALSE(Get("/metrics"));
  EXPECT_FALSE(Get("/", "POST"));
  EXPECT_FALSE(Get("/orders", "DELETE"));
}

TEST_F(StaticFilesTest, NothingOutsideTheRootIsEverRead) {
  for (const std::string p : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                              "/assets/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
                              "/%00index.html", "/./index.html"}) {
    auto r = Get(p);
    ASSERT_TRUE(r) << p;
    EXPECT_EQ(r->status, 400) << p;
    EXPECT_EQ(r->body.find("outside the root"), std::string::npos) << p;
  }
  // A symlink leading out of the root is as good as absent.
  auto leak = Get("/leak.txt");
  ASSERT_TRUE(leak);
  EXPECT_EQ(leak->status, 404);
  EXPECT_EQ(leak->body.find("outside the root"), std::string::npos);
}

TEST_F(StaticFilesTest, ARootWithoutIndexHtmlIsRefusedWithItsName) {
  auto r = StaticFiles::Open(base_ / "nowhere");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("nowhere"), std::string::npos);
}

}  // namespace
}  // namespace relos::server

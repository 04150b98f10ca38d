#include "relos/server/response_cache.h"

#include <gtest/gtest.h>

namespace relos::server {
namespace {

HttpRequest Get(const std::string& target, const std::string& method = "GET") {
  HttpRequest r;
  r.method = method;
  r.target = target;
  r.path = target.substr(0, target.find('?'));
  return r;
}

// A handler that numbers its answers, so a repeated body shows a cache hit.
struct Counting {
  int calls = 0;
  int status = 200;
  HttpResponse operator()(const HttpRequest&) {
    HttpResponse r;
    r.status = status;
    r.body = std::to_string(++calls);
    return r;
  }
};

TEST(ResponseCache, KeepsTheFirstOkAnswerOfACachedPathPerTarget) {
  ResponseCache cache({"/doc"});
  Counting h;
  auto serve = [&](const HttpRequest& r) { return cache.Serve(r, [&h](const HttpRequest& q) { return h(q); }); };
  EXPECT_EQ(serve(Get("/doc")).body, "1");
  EXPECT_EQ(serve(Get("/doc")).body, "1");
  EXPECT_EQ(serve(Get("/doc?v=2")).body, "2");
  EXPECT_EQ(serve(Get("/doc?v=2")).body, "2");
  EXPECT_EQ(h.calls, 2);
  // Other paths and other methods always reach the handler.
  EXPECT_EQ(serve(Get("/other")).body, "3");
  EXPECT_EQ(serve(Get("/other")).body, "4");
  EXPECT_EQ(serve(Get("/doc", "POST")).body, "5");
  EXPECT_EQ(serve(Get("/doc")).body, "1");
}

TEST(ResponseCache, DoesNotKeepErrors) {
  ResponseCache cache({"/doc"});
  Counting h;
  h.status = 503;
  auto serve = [&](const HttpRequest& r) { return cache.Serve(r, [&h](const HttpRequest& q) { return h(q); }); };
  EXPECT_EQ(serve(Get("/doc")).status, 503);
  h.status = 200;
  EXPECT_EQ(serve(Get("/doc")).body, "2");
  EXPECT_EQ(serve(Get("/doc")).body, "2");
  EXPECT_FALSE(cache.Lookup(Get("/doc?x")).has_value());
}

}  // namespace
}  // namespace relos::server

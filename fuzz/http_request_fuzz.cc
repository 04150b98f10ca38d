// libFuzzer target: the bytes a client sends on a connection, without a
// network. Beast's request parser reads them under the server's limits,
// ToHttpRequest makes the HttpRequest the handler sees, and the real Api
// (route table, authorisation, JSON bodies under limits, the domain's
// validation) answers it over a memory store holding the test registry.
//
// A token is out of a fuzzer's reach, so "Bearer @PARTY-ROLE" (for example
// "Bearer @RU-approver") is replaced by a live API token of a user of that
// party holding that role; anything else is sent as it came.
//
// What counts as a crash besides the sanitizers' findings: an answer 500 or
// above (bad input must get a 4xx, and the memory store never fails), an API
// answer that is not JSON, or an error without the code, field and reason
// the API promises.
#include <sodium.h>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "orders/testing/fixture.h"
#include "relos/auth/auth_service.h"
#include "relos/server/api.h"
#include "relos/storage/memory_store.h"
#include "server/http_request.h"

namespace {

namespace http = boost::beast::http;
using namespace relos;

[[noreturn]] void Fail(const std::string& what, const server::HttpRequest& req, const server::HttpResponse& res) {
  std::fprintf(stderr, "%s\nrequest: %s %s\nresponse %d: %s\n", what.c_str(), req.method.c_str(), req.target.c_str(),
               res.status, res.body.c_str());
  std::abort();
}

auth::AuthOptions CheapHashing() {
  auth::AuthOptions o;
  o.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
  o.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
  return o;
}

// The server side, built once: every iteration talks to the same store, so
// orders raised by one input can be acted on by the next.
struct World {
  World() {
    for (const std::string party : {"IN", "RU"}) {
      for (orders::Role role : relos::testing::AllRoles()) {
        const std::string name = party + "-" + std::string(orders::Name(role));
        if (!auth.AddUser(relos::testing::SystemActor(), name, party, {role}, "correct horse battery").ok()) std::abort();
        auto issued = auth.IssueApiToken(relos::testing::SystemActor(), name, "fuzz", 0);
        if (!issued.ok()) std::abort();
        tokens["Bearer @" + name] = "Bearer " + issued->token;
      }
    }
    api.SetReady(true);
  }
  storage::MemoryStore store;
  relos::testing::OrdersFixture fixture{store};
  auth::AuthService auth{store, fixture.clock, CheapHashing()};
  server::Api api{store, fixture.clock, auth, fixture.orders, nullptr};
  std::map<std::string, std::string> tokens;
};

World& TheWorld() {
  static World* world = new World();  // never destroyed: libFuzzer exits without unwinding
  return *world;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = TheWorld();
  // As a connection reads: the server's default limits, the whole input
  // offered at once (one request; what follows it is left unread).
  const server::ServerOptions limits;
  http::request_parser<http::string_body> parser;
  parser.body_limit(limits.body_limit);
  parser.header_limit(static_cast<uint32_t>(limits.header_limit));
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_done()) return 0;  // the connection answers 400/413/431 or waits for more

  server::HttpRequest req;
  std::optional<server::HttpResponse> refused = server::ToHttpRequest(parser.get(), "127.0.0.1", req);
  if (refused) {
    if (refused->status != 400) Fail("a refused target is not a 400", req, *refused);
    return 0;
  }
  auto auth = req.headers.find("authorization");
  if (auth != req.headers.end()) {
    auto live = world.tokens.find(auth->second);
    if (live != world.tokens.end()) auth->second = live->second;
  }
  const server::HttpResponse res = world.api.Handle(req);
  if (res.status >= 500) Fail("a server error", req, res);
  if (res.content_type == "application/json") {
    const codec::Json body = codec::Json::parse(res.body, nullptr, false);
    if (body.is_discarded()) Fail("the answer is not JSON", req, res);
    if (res.status >= 400) {
      const codec::Json& e = body.contains("error") ? body["error"] : codec::Json();
      if (!e.is_object() || !e.contains("code") || !e.contains("field") || !e.contains("reason")) {
        Fail("an error without code, field and reason", req, res);
      }
    }
  }
  return 0;
}

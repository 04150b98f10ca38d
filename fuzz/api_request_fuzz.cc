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

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "orders/testing/fixture.h"
#include "relos/auth/auth_service.h"
#include "relos/server/api.h"
#include "relos/storage/memory_store.h"
#include "request_input.h"

namespace {

using namespace relos;

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
  std::optional<fuzz::ReadRequest> in = fuzz::Read(data, size);
  if (!in || in->refused) return 0;
  server::HttpRequest& req = in->req;
  auto auth = req.headers.find("authorization");
  if (auth != req.headers.end()) {
    auto live = world.tokens.find(auth->second);
    if (live != world.tokens.end()) auth->second = live->second;
  }
  fuzz::CheckAnswer(req, world.api.Handle(req));
  return 0;
}

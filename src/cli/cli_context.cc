#include "cli/cli_context.h"

#include "relos/storage/open_store.h"

namespace relos::cli {

Result<storage::Store*> CliContext::Store() {
  if (!store_) {
    if (db_path.empty()) return InvalidArgument("--db: must name a database file", "db");
    ASSIGN_OR_RETURN(store_, storage::OpenStore(db_path));
  }
  return store_.get();
}

Result<const Clock*> CliContext::GetClock() {
  if (!clock_) {
    if (now.empty()) {
      clock_ = std::make_unique<SystemClock>();
    } else {
      auto t = Timestamp::Parse(now);
      if (!t.ok()) return t.status().WithContext("--now");
      clock_ = std::make_unique<FakeClock>(*t);
    }
  }
  return clock_.get();
}

Result<orders::Actor> CliContext::Actor() const {
  if (as.empty()) {
    return InvalidArgument("--as: say who is acting, as PARTY:ROLE:NAME (for example --as 'IN:requester:Lt Rao')", "as");
  }
  auto a = orders::Actor::Parse(as);
  if (!a.ok()) return a.status().WithContext("--as");
  return a;
}

}  // namespace relos::cli

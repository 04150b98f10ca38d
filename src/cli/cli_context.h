// What every CLI command group receives: the global options and the output
// streams. Command groups register their subcommands on a CLI11 app and, when
// chosen, set ctx.action; main() runs it after parsing and maps the Status it
// returns to the documented exit code (docs/cli.md).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "relos/core/status.h"
#include "relos/core/time.h"
#include "relos/orders/order.h"
#include "relos/storage/store.h"

namespace relos::cli {

struct CliContext {
  std::string db_path = "relos.db";  // --db
  std::string as;                     // --as PARTY:ROLE:NAME
  std::string now;                    // --now: acting time instead of the system clock
  bool json = false;                  // --json on read commands
  std::istream* in = nullptr;  // passwords for `relos user`; null: std::cin
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Set by the chosen subcommand's callback; main() runs it after parsing.
  std::function<Status()> action;

  // Option storage for subcommands, owned for the life of the app.
  template <typename T>
  T* Own() {
    auto p = std::make_shared<T>();
    owned_.push_back(p);
    return p.get();
  }

  // Opened on first use, for the action being run.
  Result<storage::Store*> Store();
  // The clock: --now if given (fixed), else the system clock.
  Result<const Clock*> GetClock();
  // The acting person from --as; InvalidArgument naming --as if missing.
  Result<orders::Actor> Actor() const;

 private:
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Clock> clock_;
  std::vector<std::shared_ptr<void>> owned_;
};

// Exit codes (documented in docs/cli.md): 0 OK, 2 usage error, then one per
// StatusCode so scripts can tell a refusal from a failure.
int ExitCodeFor(StatusCode code);

}  // namespace relos::cli

// What every CLI command group receives: the global options and the output
// streams. Command groups register their subcommands on a CLI11 app and, when
// run, report a Status that main() maps to the documented exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>
#include <string>

#include "relos/core/status.h"

namespace relos::cli {

struct CliContext {
  std::string db_path = "relos.db";  // --db
  std::string as;                     // --as PARTY:ROLE:NAME
  bool json = false;                  // --json on read commands
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Set by the chosen subcommand's callback; main() runs it after parsing.
  std::function<Status()> action;
};

// Exit codes (documented in docs/cli.md): 0 OK, 2 usage error, then one per
// StatusCode so scripts can tell a refusal from a failure.
int ExitCodeFor(StatusCode code);

}  // namespace relos::cli

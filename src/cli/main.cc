// The relos binary: the composition root that wires concrete stores, clocks
// and services, and hands them to the command groups.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/cli_context.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  using relos::cli::CliContext;
  CliContext ctx;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;

  CLI::App app{"relos: reciprocal logistics support, planned, authorised, tracked, priced and settled"};
  app.require_subcommand(1);
  // Global options may also follow the subcommand: `relos order show X --json`.
  app.fallthrough();
  app.add_option("--db", ctx.db_path, "database: a SQLite file path")->capture_default_str();
  app.add_option("--as", ctx.as, "acting person as PARTY:ROLE:NAME (for example 'IN:requester:Lt Rao')");
  app.add_option("--now", ctx.now, "acting time, ISO 8601 UTC (rehearsals and tests); default: the system clock");
  app.add_flag("--json", ctx.json, "machine-readable JSON output on read commands");
  relos::cli::RegisterAllCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!ctx.action) return 0;
  relos::Status s = ctx.action();
  if (!s.ok()) {
    std::cerr << "relos: " << s.ToString() << "\n";
    return relos::cli::ExitCodeFor(s.code());
  }
  return 0;
}

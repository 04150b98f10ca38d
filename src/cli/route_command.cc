#include "cli/commands.h"

namespace relos::cli {

// Placeholder until the sea-lane module lands: refuses clearly.
void RegisterRouteCommand(CLI::App& app, CliContext& ctx) {
  CLI::App* cmd = app.add_subcommand("route", "sea route between two positions or facilities");
  cmd->callback([&ctx] { ctx.action = [] { return Unavailable("the sea-lane network is not built yet"); }; });
}

}  // namespace relos::cli

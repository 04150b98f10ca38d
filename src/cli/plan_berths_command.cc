#include "cli/commands.h"

namespace relos::cli {

// Placeholder until the berth allocation module lands: refuses clearly.
void RegisterPlanBerthsCommand(CLI::App& plan, CliContext& ctx) {
  CLI::App* cmd = plan.add_subcommand("berths", "optimal berth allocation for a benchmark instance");
  cmd->callback([&ctx] { ctx.action = [] { return Unavailable("berth allocation is not built yet"); }; });
}

}  // namespace relos::cli

#include "cli/commands.h"

namespace relos::cli {

void RegisterAllCommands(CLI::App& app, CliContext& ctx) {
  RegisterSetupCommands(app, ctx);
  RegisterRegistryCommands(app, ctx);
  RegisterOrderCommands(app, ctx);
  RegisterLedgerCommands(app, ctx);
  RegisterAuditCommands(app, ctx);
  RegisterUserCommands(app, ctx);
  RegisterServeCommand(app, ctx);
  RegisterRouteCommand(app, ctx);
  RegisterExerciseCommands(app, ctx);
  CLI::App* plan = app.add_subcommand("plan", "plan missions, exercises and berth schedules");
  plan->require_subcommand(1);
  RegisterPlanBerthsCommand(*plan, ctx);
  RegisterPlanMissionCommand(*plan, ctx);
}

}  // namespace relos::cli

#include "cli/commands.h"
#include "relos/capacity/capacity.h"
#include "relos/ledger/settlement.h"

#include <fstream>
#include <sstream>

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

std::unique_ptr<orders::OrderService> NewOrderService(storage::Store& store, const Clock& clock) {
  // Both stateless. The ledger first: a ceiling refusal names money, which
  // is what the approver can change; capacity refusals name the resource.
  static ledger::LedgerObserver ledger;
  static capacity::CapacityObserver capacity;
  return std::make_unique<orders::OrderService>(store, clock, std::vector<orders::OrderObserver*>{&ledger, &capacity});
}

Result<std::string> ReadInputFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(path + ": cannot open", "file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace relos::cli

// Command groups. Each Register* adds its subcommands to the app (or to a
// parent subcommand) and sets ctx.action when chosen.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.h"
#include "relos/capacity/capacity.h"
#include "relos/exercise/exercise.h"
#include "relos/orders/order_service.h"

namespace relos::cli {

// Every group below, in the order `relos --help` lists them.
void RegisterAllCommands(CLI::App& app, CliContext& ctx);

// `relos init`, `relos demo` (src/cli/demo_command.cc).
void RegisterSetupCommands(CLI::App& app, CliContext& ctx);
// `relos registry|party|agreement|facility|unit|item ...` (registry_commands.cc).
void RegisterRegistryCommands(CLI::App& app, CliContext& ctx);
// `relos order ...` (order_commands.cc).
void RegisterOrderCommands(CLI::App& app, CliContext& ctx);
// `relos ledger|bill|pay|rik|eve|rates|clock ...` (ledger_commands.cc).
void RegisterLedgerCommands(CLI::App& app, CliContext& ctx);
// The one way the CLI and `relos serve` build an OrderService: with the
// ledger and the capacity reservations observing every transition, so an
// approval through either posts and reserves in its own transaction.
std::unique_ptr<orders::OrderService> NewOrderService(storage::Store& store, const Clock& clock);
// Imports the illustrative demo exchange rates (ledger_commands.cc).
Status ImportDemoRates(CliContext& ctx);

// `relos events`, `relos verify` (audit_commands.cc).
void RegisterAuditCommands(CLI::App& app, CliContext& ctx);
// `relos user add|disable|passwd|token|list` (user_commands.cc).
void RegisterUserCommands(CLI::App& app, CliContext& ctx);
// `relos serve` (serve_command.cc).
void RegisterServeCommand(CLI::App& app, CliContext& ctx);
// `relos plan berths` (src/cli/plan_berths_command.cc).
void RegisterPlanBerthsCommand(CLI::App& plan, CliContext& ctx);
// `relos plan mission` (src/cli/plan_mission_command.cc).
void RegisterPlanMissionCommand(CLI::App& plan, CliContext& ctx);
// `relos exercise ...` and `relos capacity ...` (src/cli/exercise_commands.cc).
void RegisterExerciseCommands(CLI::App& app, CliContext& ctx);
// The berth Gantt of one facility over [from, to) as text, `width` columns of
// time; shared by `capacity show` and `exercise plan`.
struct GanttBar {
  std::string berth;
  std::string label;  // what the legend says: unit and order
  Timestamp start;
  Timestamp end;
};
void PrintBerthGantt(std::ostream& out, const std::vector<std::string>& berths, const std::vector<GanttBar>& bars,
                     Timestamp from, Timestamp to, int width = 60);
// The same for what approved orders hold of a facility's berths.
void PrintBerthGantt(std::ostream& out, const capacity::FacilityUsage& usage);
// The text of `relos exercise plan`: berth plans with their Gantt, the
// orders and the conflicts.
void PrintExercisePlan(std::ostream& out, const exercise::ExercisePlan& plan);
// `relos route` and `relos sealanes ...` (src/cli/route_command.cc).
void RegisterRouteCommand(CLI::App& app, CliContext& ctx);

// The folder holding the running relos binary ("" if unknown), where
// build-time data (sealanes.bin, web/) is found without configuration.
std::string ExecutableDir();

// The whole text of an input file named on the command line; NotFound
// naming the file (field "file") when it cannot be opened.
Result<std::string> ReadInputFile(const std::string& path);

}  // namespace relos::cli

// `relos plan berths`: reads a benchmark-format instance, runs the berth
// allocation optimiser and prints the objective, the bound, whether it is
// proved optimal, and the schedule (ships and berths numbered from 1 in file
// order), as text or as JSON.
#include <iomanip>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "relos/berth/instance.h"
#include "relos/berth/solver.h"

namespace relos::cli {

namespace {

struct PlanBerthsOptions {
  std::string instance;
  double time_limit = 10;
  std::string method = "auto";
  uint64_t seed = 1;
};

nlohmann::json ToJson(const berth::Instance& in, const berth::SolveResult& r) {
  nlohmann::json schedule = nlohmann::json::array();
  for (int i = 0; i < in.num_ships(); ++i) {
    const berth::ShipAssignment& a = r.schedule.ships[i];
    const int64_t end = a.start + in.handling[i][a.berth];
    schedule.push_back({{"ship", i + 1},
                        {"berth", a.berth + 1},
                        {"arrival", in.arrival[i]},
                        {"start", a.start},
                        {"end", end},
                        {"service_time", end - in.arrival[i]},
                        {"weight", in.weight[i]}});
  }
  return {{"ships", in.num_ships()},     {"berths", in.num_berths()},
          {"objective", r.objective},    {"lower_bound", r.lower_bound},
          {"proven_optimal", r.proven_optimal}, {"method", r.method},
          {"seconds", r.seconds},        {"schedule", std::move(schedule)}};
}

void PrintText(std::ostream& out, const berth::Instance& in, const berth::SolveResult& r) {
  out << "objective:      " << r.objective << "\n"
      << "lower bound:    " << r.lower_bound << "\n"
      << "proven optimal: " << (r.proven_optimal ? "yes" : "no") << "\n"
      << "found by:       " << r.method << " in " << std::fixed << std::setprecision(2) << r.seconds << " s\n\n";
  out << std::setw(6) << "ship" << std::setw(7) << "berth" << std::setw(9) << "arrival" << std::setw(9) << "start"
      << std::setw(9) << "end" << std::setw(9) << "service" << std::setw(8) << "weight" << "\n";
  for (int i = 0; i < in.num_ships(); ++i) {
    const berth::ShipAssignment& a = r.schedule.ships[i];
    const int64_t end = a.start + in.handling[i][a.berth];
    out << std::setw(6) << i + 1 << std::setw(7) << a.berth + 1 << std::setw(9) << in.arrival[i] << std::setw(9)
        << a.start << std::setw(9) << end << std::setw(9) << end - in.arrival[i] << std::setw(8) << in.weight[i]
        << "\n";
  }
}

Status RunPlanBerths(const PlanBerthsOptions& opts, const CliContext& ctx) {
  ASSIGN_OR_RETURN(berth::Method method, berth::ParseMethod(opts.method));
  ASSIGN_OR_RETURN(berth::Instance instance, berth::ReadInstanceFile(opts.instance));
  berth::SolveOptions solve;
  solve.time_limit_seconds = opts.time_limit;
  solve.method = method;
  solve.seed = opts.seed;
  ASSIGN_OR_RETURN(berth::SolveResult result, berth::SolveBerthAllocation(instance, solve));
  if (ctx.json) {
    *ctx.out << ToJson(instance, result).dump(2) << "\n";
  } else {
    PrintText(*ctx.out, instance, result);
  }
  return OkStatus();
}

}  // namespace

void RegisterPlanBerthsCommand(CLI::App& plan, CliContext& ctx) {
  // Shared so that the option bindings outlive this function, like the app.
  auto opts = std::make_shared<PlanBerthsOptions>();
  CLI::App* cmd = plan.add_subcommand("berths", "optimal berth allocation for a benchmark instance");
  cmd->add_option("--instance", opts->instance, "instance file in the DBAP benchmark format")->required();
  cmd->add_option("--time-limit", opts->time_limit, "seconds to spend at most")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--method", opts->method, "auto, exact or heuristic")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "exact", "heuristic"}));
  cmd->add_option("--seed", opts->seed, "seed of the randomised search")->capture_default_str();
  cmd->add_flag("--json", ctx.json, "print the result as JSON");
  cmd->callback([&ctx, opts] { ctx.action = [&ctx, opts] { return RunPlanBerths(*opts, ctx); }; });
}

}  // namespace relos::cli

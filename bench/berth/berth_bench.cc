// relos_berth_bench: the berth allocation benchmark driver.
//   generate --ships N --berths M --seed S [--load X] [--weighted]
//       writes an instance in the benchmark format to stdout;
//   solve FILE --time-limit T [--method auto|exact|heuristic] [--seed S]
//       runs relos's optimiser;
//   baseline FILE --time-limit T
//       runs CBC alone on the same time-indexed model (no incumbent, no
//       pruning), the comparison point of docs/benchmarks.md;
//   mip FILE [--time-limit T] [--heuristic-seconds H] [--max-columns C]
//       [--no-packing-cuts]
//       the heuristic's schedule as incumbent, then the exact model alone,
//       with its statistics (LP bound, cut bound, columns before and after
//       pruning).
// solve, baseline and mip print one JSON object per run on stdout.
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "relos/berth/generator.h"
#include "relos/berth/heuristic.h"
#include "relos/berth/instance.h"
#include "relos/berth/solver.h"
#include "relos/berth/time_indexed_mip.h"

namespace {

using namespace relos::berth;

int Fail(const relos::Status& s) {
  std::cerr << "relos_berth_bench: " << s << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"berth allocation benchmark driver"};
  app.require_subcommand(1);

  GeneratorParams gen;
  CLI::App* generate = app.add_subcommand("generate", "write a random instance to stdout");
  generate->add_option("--ships", gen.ships)->required();
  generate->add_option("--berths", gen.berths)->required();
  generate->add_option("--seed", gen.seed);
  generate->add_option("--load", gen.load);
  generate->add_option("--min-handling", gen.min_handling);
  generate->add_option("--max-handling", gen.max_handling);
  generate->add_option("--forbidden", gen.forbidden_share);
  generate->add_option("--variation", gen.berth_variation, "share by which a ship's handling time varies by berth");
  generate->add_flag("--weighted", gen.weighted);

  std::string file;
  SolveOptions solve_options;
  std::string method = "auto";
  CLI::App* solve = app.add_subcommand("solve", "run the optimiser");
  solve->add_option("file", file)->required();
  solve->add_option("--time-limit", solve_options.time_limit_seconds);
  solve->add_option("--method", method);
  solve->add_option("--seed", solve_options.seed);
  bool no_windows = false;
  solve->add_flag("--no-windows", no_windows, "auto without the time-window search (the method before it), for comparison");

  double mip_limit = 60;
  double heuristic_limit = 2;
  CLI::App* mip_cmd = app.add_subcommand("mip", "heuristic incumbent, then the pruned exact model, with statistics");
  mip_cmd->add_option("file", file)->required();
  mip_cmd->add_option("--time-limit", mip_limit);
  mip_cmd->add_option("--heuristic-seconds", heuristic_limit);
  int64_t mip_max_columns = MipOptions().max_columns;
  mip_cmd->add_option("--max-columns", mip_max_columns, "build the model up to this many columns (memory)");
  bool no_packing_cuts = false;
  mip_cmd->add_flag("--no-packing-cuts", no_packing_cuts, "without the root's packing cuts, for comparison");

  double baseline_limit = 600;
  CLI::App* baseline = app.add_subcommand("baseline", "CBC alone on the time-indexed model");
  baseline->add_option("file", file)->required();
  baseline->add_option("--time-limit", baseline_limit);

  CLI11_PARSE(app, argc, argv);

  if (*generate) {
    std::cout << FormatInstance(GenerateInstance(gen));
    return 0;
  }
  relos::Result<Instance> instance = ReadInstanceFile(file);
  if (!instance.ok()) return Fail(instance.status());
  nlohmann::json out;
  out["instance"] = file;
  out["ships"] = instance->num_ships();
  out["berths"] = instance->num_berths();
  if (*mip_cmd) {
    HeuristicOptions h;
    h.time_limit_seconds = heuristic_limit;
    relos::Result<HeuristicResult> hr = RunIteratedLocalSearch(*instance, h);
    if (!hr.ok()) return Fail(hr.status());
    MipOptions mip;
    mip.time_limit_seconds = mip_limit;
    mip.incumbent = hr->schedule;
    mip.max_columns = mip_max_columns;
    mip.packing_cuts = !no_packing_cuts;
    relos::Result<MipOutcome> r = SolveTimeIndexedMip(*instance, mip);
    if (!r.ok()) return Fail(r.status());
    out["heuristic_objective"] = hr->objective;
    out["heuristic_iterations"] = hr->iterations;
    out["objective"] = r->objective;
    out["lower_bound"] = r->lower_bound;
    out["lp_bound"] = r->lp_bound;
    out["cut_bound"] = r->cut_bound;
    out["cut_rounds"] = r->cut_rounds;
    out["cut_rows"] = r->cut_rows;
    out["proven_optimal"] = r->proven_optimal;
    out["too_large"] = r->too_large;
    out["columns_before_lp"] = r->columns_before_lp;
    out["columns"] = r->columns;
    out["model_rows"] = r->model_rows;
    out["rows"] = r->rows;
    out["lp_seconds"] = r->lp_seconds;
    out["cbc_seconds"] = r->cbc_seconds;
  } else if (*solve) {
    relos::Result<Method> m = ParseMethod(method);
    if (!m.ok()) return Fail(m.status());
    solve_options.method = *m;
    solve_options.window_search = !no_windows;
    relos::Result<SolveResult> r = SolveBerthAllocation(*instance, solve_options);
    if (!r.ok()) return Fail(r.status());
    out["solver"] = "relos-" + method;
    out["objective"] = r->objective;
    out["lower_bound"] = r->lower_bound;
    out["proven_optimal"] = r->proven_optimal;
    out["seconds"] = r->seconds;
    out["by"] = r->method;
  } else {
    MipOptions mip;
    mip.time_limit_seconds = baseline_limit;
    mip.reduced_cost_fixing = false;
    mip.cbc_preprocess = true;
    mip.tuned_search = false;
    mip.max_columns = 5'000'000;
    const auto started = std::chrono::steady_clock::now();
    relos::Result<MipOutcome> r = SolveTimeIndexedMip(*instance, mip);
    if (!r.ok()) return Fail(r.status());
    out["solver"] = "cbc-alone";
    out["columns"] = r->columns;
    out["objective"] = r->schedule ? nlohmann::json(r->objective) : nlohmann::json(nullptr);
    out["lower_bound"] = r->lower_bound;
    out["proven_optimal"] = r->proven_optimal;
    out["too_large"] = r->too_large;
    out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  std::cout << out.dump() << std::endl;
  return 0;
}

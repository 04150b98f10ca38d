// `relos route` (sea route between two positions, reference ports or
// registry facilities) and
// `relos sealanes build|passages|ports` (the network that routes run on).
// Thin: parse options, call relos::sealanes, print.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "relos/core/time.h"
#include "relos/planning/planning.h"
#include "relos/registry/registry_service.h"
#include "relos/sealanes/land.h"
#include "relos/sealanes/network.h"
#include "relos/sealanes/passage.h"
#include "relos/sealanes/route.h"
#include "relos/sealanes/route_format.h"

namespace relos::cli {
namespace {

namespace sl = relos::sealanes;

struct RouteArgs {
  std::string from, to, network, depart, avoid;
  double speed = 0, max_draught = 0, beam = 0;
  bool json = false, geojson = false, kml = false;
};

struct BuildArgs {
  std::string land, passages, ports, out;
  int cells_per_degree = 32;
};

Result<planning::NetworkPtr> OpenNetwork(const std::string& flag) {
  return planning::OpenSeaLaneNetwork(flag, ExecutableDir());
}

Status RunRoute(const RouteArgs& a, CliContext& ctx) {
  if (a.from.empty() || a.to.empty()) return InvalidArgument("FROM and TO are required", a.from.empty() ? "from" : "to");
  ASSIGN_OR_RETURN(auto net, OpenNetwork(a.network));
  // The database is opened only for a place that names a facility: routes
  // between positions and reference ports need none.
  const planning::RegistrySource registry = planning::LoadOnce([&ctx]() -> Result<registry::RegistryData> {
    ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
    ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
    return registry::RegistryService(*store, *clock).Load();
  });
  Result<GeoPosition> from = planning::ParseRoutePlace(*net, a.from, "from", registry);
  if (!from.ok()) return from.status().WithContext("from");
  Result<GeoPosition> to = planning::ParseRoutePlace(*net, a.to, "to", registry);
  if (!to.ok()) return to.status().WithContext("to");
  sl::RouteOptions options;
  std::stringstream avoid(a.avoid);
  for (std::string id; std::getline(avoid, id, ',');)
    if (!id.empty()) options.avoid.push_back(id);
  if (a.speed != 0) options.speed_knots = a.speed;
  if (a.max_draught != 0) options.max_draught_m = a.max_draught;
  if (a.beam != 0) options.beam_m = a.beam;
  if (!a.depart.empty()) {
    Result<Timestamp> t = Timestamp::Parse(a.depart);
    if (!t.ok()) return InvalidArgument("--depart: " + t.status().message(), "depart");
    options.departure = *t;
  }
  SystemClock clock;
  sl::RoutePlanner planner(*net, clock);
  ASSIGN_OR_RETURN(sl::Route route, planner.Plan(*from, *to, options));
  if (a.geojson) *ctx.out << sl::RouteToGeoJson(route);
  else if (a.kml) *ctx.out << sl::RouteToKml(route);
  else if (a.json || ctx.json) *ctx.out << sl::RouteToJson(route);
  else *ctx.out << sl::RouteToText(route);
  return OkStatus();
}

Status RunBuild(const BuildArgs& a, CliContext& ctx) {
  ASSIGN_OR_RETURN(sl::LandPolygons land, sl::LoadTopoJsonLand(a.land));
  ASSIGN_OR_RETURN(sl::PassageTable table, sl::LoadPassageTable(a.passages));
  std::vector<sl::ReferencePort> ports;
  if (!a.ports.empty()) {
    ASSIGN_OR_RETURN(ports, sl::LoadReferencePorts(a.ports));
  }
  sl::NetworkBuildOptions options;
  options.cells_per_degree = a.cells_per_degree;
  ASSIGN_OR_RETURN(sl::NetworkBuildReport report, sl::SeaLaneNetwork::Build(land, table, ports, a.out, options));
  *ctx.out << "sea-lane network " << a.out << ": " << report.nodes << " nodes, " << report.edges / 2 << " edges, "
           << report.dropped_nodes << " nodes off the main ocean dropped, " << report.file_bytes << " bytes, "
           << report.seconds << " s\n";
  return OkStatus();
}

Status RunListPassages(const std::string& network, CliContext& ctx) {
  ASSIGN_OR_RETURN(auto net, OpenNetwork(network));
  for (const sl::Passage& p : net->passages()) {
    *ctx.out << p.id << "\t" << p.name << "\t" << sl::PassageKindName(p.kind);
    if (p.max_draught_m) *ctx.out << "\tdraught<=" << *p.max_draught_m << "m";
    if (p.max_beam_m) *ctx.out << "\tbeam<=" << *p.max_beam_m << "m";
    if (p.season) *ctx.out << "\tseason " << p.season->ToString();
    *ctx.out << "\n";
  }
  return OkStatus();
}

Status RunListPorts(const std::string& network, CliContext& ctx) {
  ASSIGN_OR_RETURN(auto net, OpenNetwork(network));
  for (const sl::ReferencePort& p : net->ports()) *ctx.out << p.id << "\t" << p.name << "\t" << p.position.ToString() << "\n";
  return OkStatus();
}

}  // namespace

std::string ExecutableDir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

void RegisterRouteCommand(CLI::App& app, CliContext& ctx) {
  auto ra = std::make_shared<RouteArgs>();
  CLI::App* route = app.add_subcommand("route", "sea route between two positions, reference ports or facilities");
  route->add_option("from,--from", ra->from, "start: LAT,LON, a reference port or a facility code")->required();
  route->add_option("to,--to", ra->to, "destination: LAT,LON, a reference port or a facility code")->required();
  route->add_option("--speed", ra->speed, "speed in knots, for the ETA");
  route->add_option("--depart", ra->depart, "departure time, ISO 8601 (default: now)");
  route->add_option("--avoid", ra->avoid, "passages to avoid, comma-separated (suez,panama,malacca,nsr,...)");
  route->add_option("--max-draught", ra->max_draught, "the ship's draught in metres");
  route->add_option("--beam", ra->beam, "the ship's beam in metres");
  route->add_option("--network", ra->network, "sea-lane network file (default: $RELOS_SEALANES, next to relos)");
  auto* fmt = route->add_option_group("format");
  fmt->add_flag("--json", ra->json, "JSON output");
  fmt->add_flag("--geojson", ra->geojson, "GeoJSON output");
  fmt->add_flag("--kml", ra->kml, "KML output");
  fmt->require_option(0, 1);
  route->callback([ra, &ctx] { ctx.action = [ra, &ctx] { return RunRoute(*ra, ctx); }; });

  CLI::App* sealanes = app.add_subcommand("sealanes", "the sea-lane network: build it, list passages and ports");
  sealanes->require_subcommand(1);
  auto ba = std::make_shared<BuildArgs>();
  CLI::App* build = sealanes->add_subcommand("build", "build the network from coastlines and the passages table");
  build->add_option("--land", ba->land, "Natural Earth land TopoJSON (world-atlas land-10m.json)")->required();
  build->add_option("--passages", ba->passages, "passages table (data/sealanes/passages.yaml)")->required();
  build->add_option("--ports", ba->ports, "reference ports (data/sealanes/ports.yaml)");
  build->add_option("--out", ba->out, "network file to write")->required();
  build->add_option("--cells-per-degree", ba->cells_per_degree, "land grid resolution (multiple of 32)")->capture_default_str();
  build->callback([ba, &ctx] { ctx.action = [ba, &ctx] { return RunBuild(*ba, ctx); }; });

  auto network = std::make_shared<std::string>();
  CLI::App* passages = sealanes->add_subcommand("passages", "list the passages and their limits");
  passages->add_option("--network", *network, "sea-lane network file");
  passages->callback([network, &ctx] { ctx.action = [network, &ctx] { return RunListPassages(*network, ctx); }; });
  CLI::App* ports = sealanes->add_subcommand("ports", "list the reference ports");
  ports->add_option("--network", *network, "sea-lane network file");
  ports->callback([network, &ctx] { ctx.action = [network, &ctx] { return RunListPorts(*network, ctx); }; });
}

}  // namespace relos::cli

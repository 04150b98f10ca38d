// `relos registry|party|agreement|facility|unit|item list|show|import|export`.
#include <fmt/format.h>

#include <fstream>
#include <functional>

#include "cli/commands.h"
#include "cli/output.h"
#include "relos/codec/codec.h"
#include "relos/codec/registry_file.h"
#include "relos/registry/registry_service.h"

namespace relos::cli {
namespace {

using registry::RegistryData;

// One registry kind as the CLI sees it: how to keep only its objects, how to
// list them as a table, how to find one by code.
struct Kind {
  std::string name;    // "facility"
  std::string plural;  // "facilities"
  std::function<size_t(const RegistryData&)> count;
  std::function<void(RegistryData&)> keep_only;
  std::function<std::vector<std::vector<std::string>>(const RegistryData&)> table;
  std::function<std::optional<codec::Json>(const RegistryData&, const std::string&)> find;
};

template <typename T>
std::optional<codec::Json> FindByCode(const std::vector<T>& v, const std::string& code) {
  for (const auto& o : v) {
    if (o.code == code) return codec::ToJson(o);
  }
  return std::nullopt;
}

std::string Fixed(double v, int decimals = 1) { return fmt::format("{:.{}f}", v, decimals); }

std::vector<Kind> Kinds() {
  std::vector<Kind> kinds;
  kinds.push_back({"party", "parties", [](const RegistryData& d) { return d.parties.size(); },
                   [](RegistryData& d) { d = RegistryData{d.parties, {}, {}, {}, {}, {}}; },
                   [](const RegistryData& d) {
                     std::vector<std::vector<std::string>> rows = {{"code", "name", "currency"}};
                     for (const auto& p : d.parties) rows.push_back({p.code, p.name, p.currency.code()});
                     return rows;
                   },
                   [](const RegistryData& d, const std::string& c) { return FindByCode(d.parties, c); }});
  kinds.push_back({"agreement", "agreements", [](const RegistryData& d) { return d.agreements.size(); },
                   [](RegistryData& d) { d = RegistryData{{}, d.agreements, {}, {}, {}, {}}; },
                   [](const RegistryData& d) {
                     std::vector<std::vector<std::string>> rows = {{"code", "parties", "in force", "title"}};
                     for (const auto& a : d.agreements) {
                       rows.push_back({a.code, a.party_a + "-" + a.party_b,
                                       a.effective_from.DateString() + " .. " + a.effective_to.DateString(), a.title});
                     }
                     return rows;
                   },
                   [](const RegistryData& d, const std::string& c) { return FindByCode(d.agreements, c); }});
  kinds.push_back({"item", "catalogue", [](const RegistryData& d) { return d.catalogue.size(); },
                   [](RegistryData& d) { d = RegistryData{{}, {}, d.catalogue, d.fuel_compatibility, {}, {}}; },
                   [](const RegistryData& d) {
                     std::vector<std::vector<std::string>> rows = {{"code", "category", "unit", "grade", "name"}};
                     for (const auto& i : d.catalogue) {
                       rows.push_back({i.code, std::string(registry::Name(i.category)),
                                       std::string(UnitOfMeasureName(i.unit)), i.fuel_grade.value_or(""), i.name});
                     }
                     return rows;
                   },
                   [](const RegistryData& d, const std::string& c) { return FindByCode(d.catalogue, c); }});
  kinds.push_back({"facility", "facilities", [](const RegistryData& d) { return d.facilities.size(); },
                   [](RegistryData& d) { d = RegistryData{{}, {}, {}, {}, d.facilities, {}}; },
                   [](const RegistryData& d) {
                     std::vector<std::vector<std::string>> rows = {
                         {"code", "owner", "kind", "position", "berths", "fuel grades", "items", "name"}};
                     for (const auto& f : d.facilities) {
                       std::string grades;
                       for (const auto& s : f.fuel) grades += (grades.empty() ? "" : ",") + s.grade;
                       rows.push_back({f.code, f.owner, std::string(registry::Name(f.kind)), f.position.ToString(),
                                       std::to_string(f.berths.size()), grades, std::to_string(f.prices.size()),
                                       f.name});
                     }
                     return rows;
                   },
                   [](const RegistryData& d, const std::string& c) { return FindByCode(d.facilities, c); }});
  kinds.push_back({"unit", "units", [](const RegistryData& d) { return d.units.size(); },
                   [](RegistryData& d) { d = RegistryData{{}, {}, {}, {}, {}, d.units}; },
                   [](const RegistryData& d) {
                     std::vector<std::vector<std::string>> rows = {
                         {"code", "owner", "kind", "length m", "draught m", "fuel", "cruise kn", "name"}};
                     for (const auto& u : d.units) {
                       rows.push_back({u.code, u.owner, std::string(registry::Name(u.kind)), Fixed(u.length_m),
                                       Fixed(u.draught_m), u.fuel_grade, Fixed(u.cruise_speed_kn), u.name});
                     }
                     return rows;
                   },
                   [](const RegistryData& d, const std::string& c) { return FindByCode(d.units, c); }});
  return kinds;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<RegistryData> ReadForKind(const Kind* kind, const std::string& file) {
  RegistryData data;
  if (EndsWith(file, ".csv")) {
    if (kind == nullptr || kind->name != "facility") {
      return InvalidArgument(file + ": CSV holds facilities only; use `relos facility import`", "file");
    }
    ASSIGN_OR_RETURN(data.facilities, codec::ReadFacilitiesCsv(file));
    return data;
  }
  ASSIGN_OR_RETURN(data, codec::ReadRegistryFile(file));
  if (kind != nullptr) {
    const size_t total = data.parties.size() + data.agreements.size() + data.catalogue.size() +
                         data.facilities.size() + data.units.size();
    size_t mine = kind->count(data);
    if (kind->name == "item") mine += 0;  // the fuel table travels with the catalogue
    if (total != mine) {
      return InvalidArgument(file + ": holds objects other than " + kind->plural +
                                 "; import the whole file with `relos registry import`",
                             "file");
    }
    if (kind->name != "item" && !data.fuel_compatibility.empty()) {
      return InvalidArgument(file + ": holds a fuel_compatibility table; import it with `relos item import`", "file");
    }
  }
  return data;
}

Status WriteOut(CliContext& ctx, const std::string& text, const std::string& out_file) {
  if (out_file.empty()) {
    *ctx.out << text;
    if (!text.empty() && text.back() != '\n') *ctx.out << "\n";
    return OkStatus();
  }
  std::ofstream f(out_file, std::ios::binary | std::ios::trunc);
  if (!f) return Unavailable("cannot write " + out_file, "out");
  f << text;
  f.close();
  if (!f) return Unavailable("failed writing " + out_file, "out");
  return OkStatus();
}

struct ExportOptions {
  std::string format = "yaml";
  std::string out_file;
};

void AddKindCommands(CLI::App& app, CliContext& ctx, const Kind* kind) {
  const std::string name = kind ? kind->name : "registry";
  const std::string what = kind ? kind->plural : "the whole registry";
  CLI::App* group = app.add_subcommand(name, kind ? "the registry's " + kind->plural : "the whole registry");
  group->require_subcommand(1);

  if (kind != nullptr) {
    group->add_subcommand("list", "list " + what)->callback([&ctx, kind] {
      ctx.action = [&ctx, kind]() -> Status {
        ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
        ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
        registry::RegistryService service(*store, *clock);
        ASSIGN_OR_RETURN(RegistryData data, service.Load());
        kind->keep_only(data);
        if (ctx.json) {
          codec::Json j = codec::ToJson(data)[kind->plural];
          PrintJson(*ctx.out, j);
        } else {
          PrintTable(*ctx.out, kind->table(data));
        }
        return OkStatus();
      };
    });
    auto* code = ctx.Own<std::string>();
    CLI::App* show = group->add_subcommand("show", "show one " + kind->name + " in full");
    show->add_option("code", *code, kind->name + " code")->required();
    show->callback([&ctx, kind, code] {
      ctx.action = [&ctx, kind, code]() -> Status {
        ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
        ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
        registry::RegistryService service(*store, *clock);
        ASSIGN_OR_RETURN(RegistryData data, service.Load());
        auto j = kind->find(data, *code);
        if (!j) return NotFound("no " + kind->name + " " + *code, kind->name);
        if (ctx.json) {
          PrintJson(*ctx.out, *j);
        } else {
          ASSIGN_OR_RETURN(RegistryData one, codec::RegistryDataFromJson(codec::Json{{kind->plural, {*j}}}, "$"));
          ASSIGN_OR_RETURN(std::string yaml, codec::WriteRegistry(one, codec::Format::kYaml));
          *ctx.out << yaml;
        }
        return OkStatus();
      };
    });
  }

  auto* file = ctx.Own<std::string>();
  CLI::App* import = group->add_subcommand("import", "import " + what + " from a JSON or YAML file" +
                                                         (kind && kind->name == "facility" ? " or CSV" : ""));
  import->add_option("file", *file, "the file to import")->required();
  import->callback([&ctx, kind, file] {
    ctx.action = [&ctx, kind, file]() -> Status {
      ASSIGN_OR_RETURN(orders::Actor actor, ctx.Actor());
      ASSIGN_OR_RETURN(RegistryData data, ReadForKind(kind, *file));
      ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
      ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
      registry::RegistryService service(*store, *clock);
      ASSIGN_OR_RETURN(registry::ImportSummary s, service.Import(actor, data));
      *ctx.out << fmt::format("imported {}: {} added, {} changed, {} unchanged\n", *file, s.added, s.changed,
                              s.unchanged);
      return OkStatus();
    };
  });

  auto* opts = ctx.Own<ExportOptions>();
  CLI::App* exp = group->add_subcommand("export", "export " + what);
  exp->add_option("--format", opts->format, "yaml, json" + std::string(kind && kind->name == "facility" ? " or csv" : ""))
      ->capture_default_str();
  exp->add_option("--out", opts->out_file, "write to this file instead of standard output");
  exp->callback([&ctx, kind, opts] {
    ctx.action = [&ctx, kind, opts]() -> Status {
      ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
      ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
      registry::RegistryService service(*store, *clock);
      ASSIGN_OR_RETURN(RegistryData data, service.Load());
      if (kind) kind->keep_only(data);
      std::string text;
      if (opts->format == "csv") {
        if (!kind || kind->name != "facility") return InvalidArgument("--format: csv is for facilities only", "format");
        ASSIGN_OR_RETURN(text, codec::WriteFacilitiesCsv(data.facilities));
      } else if (opts->format == "json") {
        ASSIGN_OR_RETURN(text, codec::WriteRegistry(data, codec::Format::kJson));
      } else if (opts->format == "yaml") {
        ASSIGN_OR_RETURN(text, codec::WriteRegistry(data, codec::Format::kYaml));
      } else {
        return InvalidArgument("--format: '" + opts->format + "' is not yaml, json or csv", "format");
      }
      return WriteOut(ctx, text, opts->out_file);
    };
  });
}

}  // namespace

void RegisterRegistryCommands(CLI::App& app, CliContext& ctx) {
  static const std::vector<Kind> kinds = Kinds();
  AddKindCommands(app, ctx, nullptr);
  for (const Kind& k : kinds) AddKindCommands(app, ctx, &k);
}

}  // namespace relos::cli

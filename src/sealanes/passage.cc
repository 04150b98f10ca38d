#include "relos/sealanes/passage.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <set>

#include "sealanes/read_file.h"

namespace relos::sealanes {
namespace {

bool ValidMonthDay(int month, int day) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month >= 1 && month <= 12 && day >= 1 && day <= kDays[month - 1];
}

Result<double> GetNumber(const YAML::Node& node, const std::string& where) {
  try {
    return node.as<double>();
  } catch (const YAML::Exception&) {
    return InvalidArgument(where + " is not a number", where);
  }
}

Result<GeoPosition> GetPosition(const YAML::Node& node, const std::string& where) {
  if (!node.IsSequence() || node.size() != 2) return InvalidArgument(where + " must be [lat, lon]", where);
  ASSIGN_OR_RETURN(double lat, GetNumber(node[0], where));
  ASSIGN_OR_RETURN(double lon, GetNumber(node[1], where));
  Result<GeoPosition> p = GeoPosition::Make(lat, lon);
  if (!p.ok()) return InvalidArgument(where + ": " + p.status().message(), where);
  return *p;
}

Result<std::vector<GeoPosition>> GetPositions(const YAML::Node& node, const std::string& where) {
  std::vector<GeoPosition> out;
  if (!node) return out;
  if (!node.IsSequence()) return InvalidArgument(where + " must be a list of [lat, lon]", where);
  for (size_t i = 0; i < node.size(); ++i) {
    ASSIGN_OR_RETURN(GeoPosition p, GetPosition(node[i], where + "[" + std::to_string(i) + "]"));
    out.push_back(p);
  }
  return out;
}

Result<std::optional<double>> GetLimit(const YAML::Node& entry, const char* key, const std::string& where) {
  if (!entry[key]) return std::optional<double>();
  const std::string field = where + "." + key;
  ASSIGN_OR_RETURN(double v, GetNumber(entry[key], field));
  if (!(v > 0)) return InvalidArgument(field + " must be positive", field);
  return std::optional<double>(v);
}

Result<Passage> ParsePassage(const YAML::Node& entry, const std::string& where) {
  if (!entry.IsMap()) return InvalidArgument(where + " must be a mapping", where);
  Passage p;
  if (!entry["id"] || entry["id"].as<std::string>().empty()) return InvalidArgument(where + " has no id", where + ".id");
  p.id = entry["id"].as<std::string>();
  const std::string at = "passage '" + p.id + "'";
  if (!entry["name"]) return InvalidArgument(at + " has no name", at + ".name");
  p.name = entry["name"].as<std::string>();
  if (!entry["kind"]) return InvalidArgument(at + " has no kind", at + ".kind");
  Result<PassageKind> kind = ParsePassageKind(entry["kind"].as<std::string>());
  if (!kind.ok()) return InvalidArgument(at + ": " + kind.status().message(), at + ".kind");
  p.kind = *kind;
  ASSIGN_OR_RETURN(p.max_draught_m, GetLimit(entry, "max_draught_m", at));
  ASSIGN_OR_RETURN(p.max_beam_m, GetLimit(entry, "max_beam_m", at));
  if (const YAML::Node season = entry["season"]) {
    if (!season["opens"] || !season["closes"]) return InvalidArgument(at + ".season needs opens and closes", at + ".season");
    ASSIGN_OR_RETURN(SeasonWindow w, SeasonWindow::Make(season["opens"].as<std::string>(),
                                                        season["closes"].as<std::string>(), at + ".season"));
    p.season = w;
  }
  ASSIGN_OR_RETURN(p.route, GetPositions(entry["route"], at + ".route"));
  ASSIGN_OR_RETURN(p.area, GetPositions(entry["area"], at + ".area"));
  if (p.route.size() == 1) return InvalidArgument(at + ".route needs at least two points", at + ".route");
  if (!p.area.empty() && p.area.size() < 3) return InvalidArgument(at + ".area needs at least three points", at + ".area");
  if (p.kind == PassageKind::kCanal && p.route.empty()) return InvalidArgument(at + " is a canal without a route", at + ".route");
  if (p.area.empty() && p.route.empty()) return InvalidArgument(at + " has neither area nor route", at + ".area");
  if (p.kind == PassageKind::kShallowArea && !p.max_draught_m) {
    return InvalidArgument(at + " is a shallow area without max_draught_m", at + ".max_draught_m");
  }
  if (entry["source"]) p.source = entry["source"].as<std::string>();
  return p;
}

}  // namespace

Result<PassageKind> ParsePassageKind(std::string_view text) {
  if (text == "canal") return PassageKind::kCanal;
  if (text == "strait") return PassageKind::kStrait;
  if (text == "seasonal") return PassageKind::kSeasonalRoute;
  if (text == "shallow") return PassageKind::kShallowArea;
  return InvalidArgument("unknown passage kind '" + std::string(text) + "' (canal, strait, seasonal, shallow)", "kind");
}

std::string_view PassageKindName(PassageKind kind) {
  switch (kind) {
    case PassageKind::kCanal: return "canal";
    case PassageKind::kStrait: return "strait";
    case PassageKind::kSeasonalRoute: return "seasonal";
    case PassageKind::kShallowArea: return "shallow";
  }
  return "strait";
}

Result<SeasonWindow> SeasonWindow::Make(std::string_view opens, std::string_view closes, std::string_view field) {
  SeasonWindow w;
  auto parse = [&](std::string_view text, int& month, int& day) -> Status {
    const std::string s(text);
    char tail = 0;
    if (std::sscanf(s.c_str(), "%2d-%2d%c", &month, &day, &tail) != 2 || s.size() != 5 || !ValidMonthDay(month, day)) {
      return InvalidArgument(std::string(field) + ": '" + s + "' is not a month-day MM-DD", std::string(field));
    }
    return OkStatus();
  };
  RETURN_IF_ERROR(parse(opens, w.open_month, w.open_day));
  RETURN_IF_ERROR(parse(closes, w.close_month, w.close_day));
  return w;
}

bool SeasonWindow::Contains(Timestamp t) const {
  Result<Timestamp> start = Timestamp::FromCivil(t.Year(), t.Month(), 1);
  // Day of month from the start of the month.
  const int day = start.ok() ? static_cast<int>((t.unix_seconds() - start->unix_seconds()) / kSecondsPerDay) + 1 : 1;
  const int md = t.Month() * 100 + day;
  const int open = open_month * 100 + open_day;
  const int close = close_month * 100 + close_day;
  if (open <= close) return md >= open && md <= close;
  return md >= open || md <= close;  // wraps the new year
}

std::string SeasonWindow::ToString() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d-%02d..%02d-%02d", open_month, open_day, close_month, close_day);
  return buf;
}

Result<PassageTable> ParsePassageTable(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string("passages table is not YAML: ") + e.what(), "passages");
  }
  try {
    PassageTable table;
    if (const YAML::Node ice = root["ice_limits"]) {
      ASSIGN_OR_RETURN(table.ice.north_lat, GetNumber(ice["north_lat"], "ice_limits.north_lat"));
      ASSIGN_OR_RETURN(table.ice.south_lat, GetNumber(ice["south_lat"], "ice_limits.south_lat"));
      if (table.ice.south_lat >= table.ice.north_lat || table.ice.north_lat > 90 || table.ice.south_lat < -90) {
        return InvalidArgument("ice_limits must satisfy -90 <= south_lat < north_lat <= 90", "ice_limits");
      }
    }
    const YAML::Node list = root["passages"];
    if (!list || !list.IsSequence()) return InvalidArgument("passages table has no 'passages' list", "passages");
    std::set<std::string> ids;
    for (size_t i = 0; i < list.size(); ++i) {
      ASSIGN_OR_RETURN(Passage p, ParsePassage(list[i], "passages[" + std::to_string(i) + "]"));
      if (!ids.insert(p.id).second) return InvalidArgument("duplicate passage id '" + p.id + "'", "passages.id");
      table.passages.push_back(std::move(p));
    }
    if (table.passages.size() > 64) return InvalidArgument("at most 64 passages are supported", "passages");
    return table;
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string("malformed passages table: ") + e.what(), "passages");
  }
}

Result<PassageTable> LoadPassageTable(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, internal::ReadWholeFile(path));
  return ParsePassageTable(text);
}

Result<std::vector<ReferencePort>> ParseReferencePorts(std::string_view yaml_text) {
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    const YAML::Node list = root["ports"];
    if (!list || !list.IsSequence()) return InvalidArgument("ports file has no 'ports' list", "ports");
    std::vector<ReferencePort> ports;
    std::set<std::string> ids;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string where = "ports[" + std::to_string(i) + "]";
      const YAML::Node e = list[i];
      if (!e["id"] || !e["name"]) return InvalidArgument(where + " needs id and name", where);
      ReferencePort port;
      port.id = e["id"].as<std::string>();
      port.name = e["name"].as<std::string>();
      ASSIGN_OR_RETURN(double lat, GetNumber(e["lat"], where + ".lat"));
      ASSIGN_OR_RETURN(double lon, GetNumber(e["lon"], where + ".lon"));
      Result<GeoPosition> pos = GeoPosition::Make(lat, lon);
      if (!pos.ok()) return InvalidArgument(where + ": " + pos.status().message(), where + "." + pos.status().reason());
      port.position = *pos;
      if (!ids.insert(port.id).second) return InvalidArgument("duplicate port id '" + port.id + "'", where + ".id");
      ports.push_back(std::move(port));
    }
    return ports;
  } catch (const YAML::Exception& e) {
    return InvalidArgument(std::string("malformed ports file: ") + e.what(), "ports");
  }
}

Result<std::vector<ReferencePort>> LoadReferencePorts(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, internal::ReadWholeFile(path));
  return ParseReferencePorts(text);
}

}  // namespace relos::sealanes

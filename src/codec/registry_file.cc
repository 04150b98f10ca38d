#include "relos/codec/registry_file.h"

#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "csv.h"
#include "relos/codec/codec.h"
#include "yaml_json.h"

namespace relos::codec {
namespace {

Result<std::string> ReadWholeFile(const std::string& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return NotFound(file + ": no such file", "file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Unavailable(file + ": cannot open for reading", "file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Unavailable(file + ": read failed", "file");
  return buffer.str();
}

// The JSON path a decoder error starts with ("$.units[1].draught_m: ...").
std::string PathOfError(const Status& s) {
  const std::string& m = s.message();
  size_t colon = m.find(": ");
  return colon == std::string::npos ? "$" : m.substr(0, colon);
}

// Tracks where the JSON parser is, to name the first duplicate key: nlohmann
// keeps the last of two equal keys silently, and a registry file with
// "max_draught_m" twice is a mistake the user should hear about.
class DuplicateKeyFinder {
 public:
  bool operator()(int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        frames_.push_back(Frame{false});
        break;
      case Json::parse_event_t::array_start:
        frames_.push_back(Frame{true});
        break;
      case Json::parse_event_t::key: {
        Frame& f = frames_.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second && duplicate_.empty()) duplicate_ = PathNow();
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        frames_.pop_back();
        AfterValue();
        break;
      case Json::parse_event_t::value:
        AfterValue();
        break;
    }
    return true;
  }
  const std::string& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool array = false;
    size_t index = 0;
    std::string key;
    std::set<std::string> keys;
  };
  void AfterValue() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  std::string PathNow() const {
    std::string path = "$";
    for (const Frame& f : frames_) path += f.array ? "[" + std::to_string(f.index) + "]" : "." + f.key;
    return path;
  }
  std::vector<Frame> frames_;
  std::string duplicate_;
};

Result<Json> ParseJsonText(const std::string& text, const std::string& name) {
  DuplicateKeyFinder finder;
  Json j;
  try {
    j = Json::parse(text, std::ref(finder));
  } catch (const Json::parse_error& e) {
    int line = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) line += text[i] == '\n';
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line
    // L, column C: " prefix; the line is already in front.
    size_t column = what.find(", column ");
    size_t detail = column == std::string::npos ? std::string::npos : what.find(": ", column);
    if (detail != std::string::npos) what = what.substr(detail + 2);
    return InvalidArgument(name + ":" + std::to_string(line) + ": " + what, "json");
  }
  if (!finder.duplicate().empty()) {
    return InvalidArgument(name + ": " + finder.duplicate() + ": duplicate key", "json");
  }
  return j;
}

// ---- CSV.

// The capacity columns are the capacity kinds' names with '_' for '-'.
constexpr std::array<registry::CapacityKind, 4> kCapacityKinds = {
    registry::CapacityKind::kAircraftStands, registry::CapacityKind::kMaintenanceBays,
    registry::CapacityKind::kBeds, registry::CapacityKind::kAccommodation};

std::string CapacityColumn(registry::CapacityKind k) {
  std::string s(registry::Name(k));
  for (char& c : s) c = c == '-' ? '_' : c;
  return s;
}

std::vector<std::string> CsvColumns() {
  std::vector<std::string> cols = {"code", "name", "owner", "kind", "lat", "lon"};
  for (auto k : kCapacityKinds) cols.push_back(CapacityColumn(k));
  for (const char* c : {"berths", "fuel", "prices", "illustrative"}) cols.push_back(c);
  return cols;
}

std::vector<std::string> Split(const std::string& s, char sep, size_t max_parts) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (parts.size() + 1 < max_parts) {
    size_t at = s.find(sep, start);
    if (at == std::string::npos) break;
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(s.substr(start));
  return parts;
}

bool ParseDouble(const std::string& s, double* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

bool ParseInt(const std::string& s, int64_t* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

std::string FormatDouble(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// One list cell ("B1:250:10.5;B2:180:9") as an array of objects with the
// given member names; `numeric` marks the members that are numbers.
Result<Json> ParseListCell(const std::string& cell, const std::vector<const char*>& members,
                           const std::vector<bool>& numeric) {
  Json list = Json::array();
  size_t n = 0;
  for (const std::string& item : Split(cell, ';', std::string::npos)) {
    ++n;
    if (item.empty()) continue;  // "a;b;" and an empty cell are fine
    std::vector<std::string> parts = Split(item, ':', members.size());
    std::string shape;
    for (const char* m : members) shape += (shape.empty() ? "" : ":") + std::string(m);
    if (parts.size() != members.size()) {
      return InvalidArgument("item " + std::to_string(n) + " '" + item + "' must be " + shape);
    }
    Json obj = Json::object();
    for (size_t i = 0; i < members.size(); ++i) {
      double v = 0;
      if (!numeric[i]) {
        obj[members[i]] = parts[i];
      } else if (ParseDouble(parts[i], &v)) {
        obj[members[i]] = v;
      } else {
        return InvalidArgument("item " + std::to_string(n) + ": " + members[i] + " '" + parts[i] + "' must be a number");
      }
    }
    list.push_back(std::move(obj));
  }
  return list;
}

// The CSV column a decoding error belongs to, from its JSON path:
// "$.berths[0].length_m" -> berths, "$.position.lat" -> lat,
// "$.capacities.aircraft-stands" -> aircraft_stands.
std::string ColumnOfPath(const std::string& path) {
  auto component = [&](size_t from) {
    size_t end = path.find_first_of(".[", from);
    return path.substr(from, end == std::string::npos ? std::string::npos : end - from);
  };
  if (path.size() < 3) return "";
  std::string first = component(2);
  if ((first == "position" || first == "capacities") && path.size() > first.size() + 3) {
    std::string second = component(first.size() + 3);
    for (char& c : second) c = c == '-' ? '_' : c;
    return second;
  }
  return first;
}

Status CsvError(const std::string& name, int line, const std::string& column, const std::string& reason) {
  return InvalidArgument(name + ":" + std::to_string(line) + ": column " + column + ": " + reason, column);
}

// One CSV row as the Facility JSON object, so the usual decoder checks it.
Result<Json> RowToJson(const std::vector<std::string>& cells, const std::map<std::string, size_t>& index,
                       const std::string& name, int line) {
  auto cell = [&](const std::string& col) -> const std::string& { return cells[index.at(col)]; };
  Json row = Json::object();
  for (const char* col : {"code", "name", "owner", "kind"}) row[col] = cell(col);
  Json position = Json::object();
  for (const char* col : {"lat", "lon"}) {
    double v = 0;
    if (!ParseDouble(cell(col), &v)) return CsvError(name, line, col, "'" + cell(col) + "' must be a number");
    position[col] = v;
  }
  row["position"] = position;
  Json capacities = Json::object();
  for (auto k : kCapacityKinds) {
    std::string col = CapacityColumn(k);
    if (cell(col).empty()) continue;
    int64_t v = 0;
    if (!ParseInt(cell(col), &v)) return CsvError(name, line, col, "'" + cell(col) + "' must be a whole number");
    capacities[std::string(registry::Name(k))] = v;
  }
  row["capacities"] = capacities;
  struct ListColumn {
    const char* column;
    std::vector<const char*> members;
    std::vector<bool> numeric;
  };
  const ListColumn lists[] = {
      {"berths", {"id", "length_m", "max_draught_m"}, {false, true, true}},
      {"fuel", {"grade", "on_hand", "capacity"}, {false, false, false}},
      {"prices", {"item", "unit_price", "valid_from"}, {false, false, false}},
  };
  for (const auto& l : lists) {
    auto parsed = ParseListCell(cell(l.column), l.members, l.numeric);
    if (!parsed.ok()) return CsvError(name, line, l.column, parsed.status().message());
    row[l.column] = *parsed;
  }
  const std::string& illustrative = cell("illustrative");
  if (illustrative == "true" || illustrative == "false") {
    row["illustrative"] = illustrative == "true";
  } else if (!illustrative.empty()) {
    return CsvError(name, line, "illustrative", "'" + illustrative + "' must be true, false or empty");
  }
  return row;
}

Status CheckCellText(const std::string& value, const registry::Facility& f, const char* what) {
  if (value.find_first_of(":;") == std::string::npos) return OkStatus();
  return InvalidArgument("facility " + f.code + ": " + what + " '" + value + "' contains ':' or ';', which the CSV list syntax cannot hold",
                         what);
}

}  // namespace

Result<registry::RegistryData> ParseRegistry(const std::string& text, Format format, const std::string& name) {
  if (format == Format::kJson) {
    ASSIGN_OR_RETURN(Json j, ParseJsonText(text, name));
    auto data = RegistryDataFromJson(j, "$");
    if (!data.ok()) return data.status().WithContext(name);
    return data;
  }
  auto doc = internal::YamlToJson(text);
  // YamlToJson's messages start with the line: "12: reason".
  if (!doc.ok()) return Status(doc.status().code(), name + ":" + doc.status().message(), doc.status().reason());
  auto data = RegistryDataFromJson(doc->json, "$");
  if (!data.ok()) {
    int line = doc->LineOf(PathOfError(data.status()));
    return data.status().WithContext(name + ":" + std::to_string(line));
  }
  return data;
}

Result<registry::RegistryData> ReadRegistryFile(const std::string& file) {
  std::string ext = std::filesystem::path(file).extension().string();
  Format format;
  if (ext == ".json") {
    format = Format::kJson;
  } else if (ext == ".yaml" || ext == ".yml") {
    format = Format::kYaml;
  } else {
    return InvalidArgument(file + ": unknown registry file type '" + ext + "' (expected .json, .yaml or .yml)", "file");
  }
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(file));
  return ParseRegistry(text, format, file);
}

Result<std::string> WriteRegistry(const registry::RegistryData& data, Format format) {
  Json j = ToJson(data);
  if (format == Format::kYaml) return internal::JsonToYaml(j);
  try {
    return j.dump(2) + "\n";
  } catch (const Json::type_error& e) {
    return InvalidArgument(std::string("registry is not valid UTF-8: ") + e.what(), "utf8");
  }
}

Result<std::vector<registry::Facility>> ParseFacilitiesCsv(const std::string& text, const std::string& name) {
  auto records = internal::ParseCsv(text);
  if (!records.ok()) return Status(records.status().code(), name + ":" + records.status().message(), "csv");
  if (records->empty()) return InvalidArgument(name + ":1: no header row", "csv");
  const std::vector<std::string> columns = CsvColumns();
  std::map<std::string, size_t> index;
  const internal::CsvRecord& header = records->front();
  for (size_t i = 0; i < header.cells.size(); ++i) {
    const std::string& col = header.cells[i];
    if (std::find(columns.begin(), columns.end(), col) == columns.end()) {
      return InvalidArgument(name + ":" + std::to_string(header.line) + ": unknown column '" + col + "'", col);
    }
    if (!index.emplace(col, i).second) {
      return InvalidArgument(name + ":" + std::to_string(header.line) + ": column '" + col + "' appears twice", col);
    }
  }
  for (const std::string& col : columns) {
    if (!index.count(col)) {
      return InvalidArgument(name + ":" + std::to_string(header.line) + ": missing column '" + col + "'", col);
    }
  }
  std::vector<registry::Facility> out;
  for (size_t r = 1; r < records->size(); ++r) {
    const internal::CsvRecord& rec = (*records)[r];
    if (rec.cells.size() != columns.size()) {
      return InvalidArgument(name + ":" + std::to_string(rec.line) + ": expected " + std::to_string(columns.size()) +
                                 " cells, found " + std::to_string(rec.cells.size()),
                             "csv");
    }
    ASSIGN_OR_RETURN(Json row, RowToJson(rec.cells, index, name, rec.line));
    auto facility = FacilityFromJson(row, "$");
    if (!facility.ok()) {
      return CsvError(name, rec.line, ColumnOfPath(PathOfError(facility.status())), facility.status().message());
    }
    out.push_back(std::move(*facility));
  }
  return out;
}

Result<std::vector<registry::Facility>> ReadFacilitiesCsv(const std::string& file) {
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(file));
  return ParseFacilitiesCsv(text, file);
}

Result<std::string> WriteFacilitiesCsv(const std::vector<registry::Facility>& facilities) {
  const std::vector<std::string> columns = CsvColumns();
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + columns[i];
  out += "\n";
  for (const registry::Facility& f : facilities) {
    std::vector<std::string> cells = {f.code, f.name, f.owner, std::string(registry::Name(f.kind)),
                                      FormatDouble(f.position.lat), FormatDouble(f.position.lon)};
    for (auto k : kCapacityKinds) {
      auto it = f.capacities.find(k);
      cells.push_back(it == f.capacities.end() ? "" : std::to_string(it->second));
    }
    std::string berths, fuel, prices;
    for (const auto& b : f.berths) {
      RETURN_IF_ERROR(CheckCellText(b.id, f, "berth id"));
      berths += (berths.empty() ? "" : ";") + b.id + ":" + FormatDouble(b.length_m) + ":" + FormatDouble(b.max_draught_m);
    }
    for (const auto& s : f.fuel) {
      RETURN_IF_ERROR(CheckCellText(s.grade, f, "fuel grade"));
      fuel += (fuel.empty() ? "" : ";") + s.grade + ":" + s.on_hand.ToString() + ":" + s.capacity.ToString();
    }
    for (const auto& p : f.prices) {
      RETURN_IF_ERROR(CheckCellText(p.item, f, "price item"));
      // A date alone when the price starts at midnight, as people write it.
      std::string from = p.valid_from == p.valid_from.StartOfDay() ? p.valid_from.DateString() : p.valid_from.ToIso8601();
      prices += (prices.empty() ? "" : ";") + p.item + ":" + p.unit_price.ToString() + ":" + from;
    }
    cells.push_back(berths);
    cells.push_back(fuel);
    cells.push_back(prices);
    cells.push_back(f.illustrative ? "true" : "false");
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + internal::CsvCell(cells[i]);
    out += "\n";
  }
  return out;
}

}  // namespace relos::codec

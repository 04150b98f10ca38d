#include "relos/sealanes/reference_distances.h"

#include <cstdlib>
#include <sstream>

namespace relos::sealanes {
namespace {

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields.push_back(cur), cur.clear();
    else if (c != '\r') cur += c;
  }
  fields.push_back(cur);
  return fields;
}

}  // namespace

Result<std::vector<ReferenceDistance>> ParseReferenceDistances(std::string_view csv) {
  std::istringstream in{std::string(csv)};
  std::string line;
  std::getline(in, line);  // header
  std::vector<ReferenceDistance> out;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::string where = "line " + std::to_string(number);
    const std::vector<std::string> f = SplitCsvLine(line);
    if (f.size() < 8) return InvalidArgument(where + ": expected at least 8 fields", where);
    double v[5];
    const int columns[5] = {2, 3, 5, 6, 7};
    for (int k = 0; k < 5; ++k) {
      const std::string& s = f[static_cast<size_t>(columns[k])];
      char* end = nullptr;
      v[k] = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0') return InvalidArgument(where + ": '" + s + "' is not a number", where);
    }
    Result<GeoPosition> from = GeoPosition::Make(v[0], v[1]);
    Result<GeoPosition> to = GeoPosition::Make(v[2], v[3]);
    if (!from.ok()) return InvalidArgument(where + ": " + from.status().message(), where);
    if (!to.ok()) return InvalidArgument(where + ": " + to.status().message(), where);
    if (!(v[4] > 0)) return InvalidArgument(where + ": distance must be positive", where);
    out.push_back({f[0], f[1], *from, f[4], *to, v[4]});
  }
  return out;
}

}  // namespace relos::sealanes

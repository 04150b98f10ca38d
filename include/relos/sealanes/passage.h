// Passages: the canals, straits, seasonal sea routes and shallow areas that a
// sea route may use, with the limits that decide whether a given ship may use
// them (draught, beam, navigation season). The coastline alone cannot say
// these things: a canal is land on the coastline map, a strait may be too
// narrow for the map's resolution, and nothing on a map says that the
// Northern Sea Route is closed by ice in February. relos keeps them in an
// authored table, data/sealanes/passages.yaml, in which every limit cites its
// public source. The same file holds the ice limits (latitudes beyond which no
// route is planned) and ports.yaml holds named reference ports.
//
// Thread-safety: plain values; safe to share once built.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "relos/core/geo.h"
#include "relos/core/status.h"
#include "relos/core/time.h"

namespace relos::sealanes {

enum class PassageKind {
  kCanal,          // artificial waterway; closed by the coastline, always has a route
  kStrait,         // natural narrows; a route when the coastline closes it
  kSeasonalRoute,  // an area navigable only in its season (Northern Sea Route)
  kShallowArea,    // an area that ships deeper than its limit must keep out of
};

// "canal", "strait", "seasonal", "shallow". Unknown text is InvalidArgument.
Result<PassageKind> ParsePassageKind(std::string_view text);
std::string_view PassageKindName(PassageKind kind);

// A yearly window of month-days, both ends inclusive, in UTC. A window may
// wrap the new year (opens 11-01, closes 03-31).
struct SeasonWindow {
  int open_month = 1;
  int open_day = 1;
  int close_month = 12;
  int close_day = 31;

  // Parses "MM-DD" pairs; InvalidArgument naming `field` for an impossible
  // month-day (02-30, 13-01).
  static Result<SeasonWindow> Make(std::string_view opens, std::string_view closes, std::string_view field);
  bool Contains(Timestamp t) const;
  // "07-01..11-15".
  std::string ToString() const;
};

struct Passage {
  std::string id;    // lower-case key used by --avoid: "suez", "nsr"
  std::string name;  // "Suez Canal"
  PassageKind kind = PassageKind::kStrait;
  std::optional<double> max_draught_m;  // deepest draught allowed through
  std::optional<double> max_beam_m;     // widest beam allowed through
  std::optional<SeasonWindow> season;   // absent: open all year
  // Forced waypoints through the passage, in either direction of travel;
  // empty where the sea itself is open enough (Malacca, Gibraltar).
  std::vector<GeoPosition> route;
  // Polygon (implicitly closed) enclosing the passage's water: the network
  // nodes inside it belong to the passage, and a route touching it uses it.
  std::vector<GeoPosition> area;
  std::string source;  // where the limits come from
};

// Latitudes poleward of which relos plans no route (permanent pack ice and
// the Antarctic ice limit); an approximation stated in passages.yaml.
struct IceLimits {
  double north_lat = 90;
  double south_lat = -90;
};

struct PassageTable {
  std::vector<Passage> passages;
  IceLimits ice;
};

// A named port used by the CLI and the accuracy checks until facilities come
// from the registry.
struct ReferencePort {
  std::string id;  // "mumbai"
  std::string name;
  GeoPosition position;
};

// Parses the passages table (see data/sealanes/passages.yaml for the schema).
// InvalidArgument naming the entry and field for malformed YAML, a missing id
// or name, a duplicate id, an unknown kind, a bad position, a negative limit,
// an area with fewer than three points or a canal without a route.
Result<PassageTable> ParsePassageTable(std::string_view yaml_text);
// As above from a file; NotFound when the file cannot be read.
Result<PassageTable> LoadPassageTable(const std::string& path);

// Parses data/sealanes/ports.yaml: a list of {id, name, lat, lon}.
// InvalidArgument naming the entry for a bad or duplicate one.
Result<std::vector<ReferencePort>> ParseReferencePorts(std::string_view yaml_text);
Result<std::vector<ReferencePort>> LoadReferencePorts(const std::string& path);

}  // namespace relos::sealanes

// A berth allocation instance: the ships that a joint exercise brings to one
// port and the berths that can take them, in the discrete dynamic berth
// allocation problem (DBAP) of Cordeau et al. (2005). Each ship arrives at a
// known time, has a handling time that depends on the berth (or cannot use a
// berth at all), must leave by its latest departure, and carries a priority
// weight; each berth is available between an opening and a closing time.
//
// The benchmark file format (Cordeau et al. 2005; Lalla-Ruiz et al. 2012;
// Kramer et al. 2019) is a stream of whitespace-separated integers:
//   N M
//   a_1 .. a_N            arrival times
//   s_1 .. s_M            berth opening times
//   h_11 .. h_1M          handling times, one row per ship (N rows);
//   ...                   kForbiddenHandling or more: the ship cannot use it
//   e_1 .. e_M            berth closing times
//   l_1 .. l_N            latest departure times
//   [w_1 .. w_N]          optional priority weights (default 1)
// Line breaks carry no meaning.
//
// Thread-safety: Instance is a plain value; the functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "relos/core/status.h"

namespace relos::berth {

// A handling time at or above this marks a berth the ship cannot use.
inline constexpr int64_t kForbiddenHandling = 99999;
// Largest time or weight the reader accepts: keeps every objective sum far
// from int64 overflow and the time-indexed model finite.
inline constexpr int64_t kMaxValue = 1'000'000'000;

struct Instance {
  std::vector<int64_t> arrival;                // per ship
  std::vector<int64_t> berth_open;             // per berth
  std::vector<int64_t> berth_close;            // per berth
  std::vector<std::vector<int64_t>> handling;  // [ship][berth]
  std::vector<int64_t> latest_departure;       // per ship
  std::vector<int64_t> weight;                 // per ship, >= 1

  int num_ships() const { return static_cast<int>(arrival.size()); }
  int num_berths() const { return static_cast<int>(berth_open.size()); }

  bool CanUse(int ship, int berth) const { return handling[ship][berth] < kForbiddenHandling; }
  // Earliest start of `ship` at `berth`: neither before arrival nor before the
  // berth opens.
  int64_t EarliestStart(int ship, int berth) const;
  // Latest start that still ends by the berth's closing time and the ship's
  // latest departure. Precondition: CanUse(ship, berth).
  int64_t LatestStart(int ship, int berth) const;
  // CanUse and the window [EarliestStart, LatestStart] is not empty.
  bool Fits(int ship, int berth) const;
};

// Checks the shape and values of an instance built in code: sizes agree,
// every time and weight in [0, kMaxValue], weights and handling times >= 1,
// no berth closes before it opens.
// Returns OK, or InvalidArgument (reason "berth.instance") naming the fault.
Status ValidateInstance(const Instance& instance);

// Parses the benchmark format above.
// Returns the instance, or InvalidArgument whose message names the token
// (1-based index, line and column) and the reason, with reason codes:
//   "instance.not_integer"  a token is not a decimal integer;
//   "instance.negative"     a count, time, handling time or weight below 0;
//   "instance.out_of_range" a value above kMaxValue (forbidden markers aside)
//                           or a count of zero;
//   "instance.truncated"    the text ends before a section is complete
//                           (also a weight section shorter than N);
//   "instance.wrong_count"  tokens left after the weights;
//   "instance.inconsistent" values that parse but make no instance (a weight
//                           or handling time of 0, a berth that closes before
//                           it opens).
Result<Instance> ParseInstance(std::string_view text);

// Reads and parses a file. NotFound if it cannot be opened; otherwise as
// ParseInstance, with the path prefixed to the message.
Result<Instance> ReadInstanceFile(const std::string& path);

// Writes the benchmark format, weights included, one section per line; the
// exact inverse of ParseInstance.
std::string FormatInstance(const Instance& instance);

}  // namespace relos::berth

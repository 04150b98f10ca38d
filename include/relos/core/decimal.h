// Exact decimal text <-> scaled integers, used for money (scale = the
// currency's exponent) and quantities (scale 3, thousandths).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "relos/core/status.h"

namespace relos {

// 128-bit intermediates for exact price and unit arithmetic (a GCC/Clang extension).
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

// Parses "-12.5" with scale 3 into -12500. More fractional digits than
// `scale`, an empty string, stray characters or overflow are InvalidArgument.
Result<int64_t> ParseFixedPoint(std::string_view text, int scale);

// Formats -12500 with scale 3 as "-12.500"; scale 0 prints no point.
std::string FormatFixedPoint(int64_t value, int scale);

// As FormatFixedPoint but without trailing zeros in the fraction ("-12.5").
std::string FormatFixedPointTrimmed(int64_t value, int scale);

}  // namespace relos

// Quantities with units of measure. A quantity is an integer count of
// thousandths of its unit (exact decimal arithmetic, three places), so that
// 12.5 tonnes of F-76 or 3 berth-days are stored and compared exactly.
//
// Conversions happen here and only here. Units of the same dimension convert
// exactly (litre <-> m3, kg <-> tonne) or with a documented rounding (km <->
// nm: 1 nm = 1.852 km exactly, results rounded half away from zero to the
// thousandth). Volume <-> mass needs a density and is explicit.
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "relos/core/status.h"

namespace relos {

enum class UnitOfMeasure {
  kLitre,
  kCubicMetre,
  kTonne,
  kKilogram,
  kBerthDay,
  kBedDay,
  kMeal,
  kHour,
  kPerson,
  kKilometre,
  kNauticalMile,
  kEach,  // a unit of issue counted in pieces (spares, kits)
};

enum class Dimension { kVolume, kMass, kLength, kBerthTime, kBedTime, kMeals, kLabour, kPeople, kPieces };

// Canonical spellings: "litre", "m3", "tonne", "kg", "berth-day", "bed-day",
// "meal", "hour", "person", "km", "nm", "each". A few aliases are accepted on
// input ("l", "L", "liter", "t", "cubic-metre"). Unknown is InvalidArgument.
Result<UnitOfMeasure> ParseUnitOfMeasure(std::string_view text);
std::string_view UnitOfMeasureName(UnitOfMeasure u);
Dimension DimensionOf(UnitOfMeasure u);

class Quantity {
 public:
  static constexpr int kScale = 3;  // thousandths

  Quantity() = default;
  Quantity(int64_t milli, UnitOfMeasure unit) : milli_(milli), unit_(unit) {}
  static Quantity Whole(int64_t units, UnitOfMeasure unit) { return Quantity(units * 1000, unit); }

  // Parses ("12.5", "tonne"). Negative amounts are InvalidArgument: a
  // quantity of support is never negative.
  static Result<Quantity> Parse(std::string_view amount, std::string_view unit);
  // Parses "12.5 tonne".
  static Result<Quantity> Parse(std::string_view text);

  int64_t milli() const { return milli_; }
  UnitOfMeasure unit() const { return unit_; }
  double ToDouble() const { return static_cast<double>(milli_) / 1000.0; }
  bool is_zero() const { return milli_ == 0; }

  // "12.5" and "12.5 tonne".
  std::string AmountString() const;
  std::string ToString() const;

  // Converts to `to` within the same dimension. InvalidArgument across
  // dimensions (for example litre -> tonne; use ConvertWithDensity).
  Result<Quantity> ConvertTo(UnitOfMeasure to) const;

  // Volume <-> mass with a density in kg/m3 (for example F-76 about 850).
  // Same-dimension conversions ignore the density.
  Result<Quantity> ConvertWithDensity(UnitOfMeasure to, int64_t density_kg_per_m3) const;

  // Sum/difference after converting `other` to this quantity's unit.
  Result<Quantity> Add(const Quantity& other) const;
  Result<Quantity> Subtract(const Quantity& other) const;

  // <0, 0, >0 after converting `other` to this unit; error across dimensions.
  Result<int> Compare(const Quantity& other) const;

  friend bool operator==(const Quantity& a, const Quantity& b) {
    return a.milli_ == b.milli_ && a.unit_ == b.unit_;
  }

 private:
  int64_t milli_ = 0;
  UnitOfMeasure unit_ = UnitOfMeasure::kEach;
};

}  // namespace relos

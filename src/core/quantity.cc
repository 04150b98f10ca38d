#include "relos/core/quantity.h"

#include <array>

#include "relos/core/decimal.h"
#include "relos/core/money.h"

namespace relos {
namespace {

struct UnitInfo {
  UnitOfMeasure unit;
  const char* name;
  Dimension dimension;
  // Size of one unit in the dimension's base, as a ratio num/den:
  // volume base = litre, mass base = kg, length base = metre.
  int64_t num;
  int64_t den;
};

constexpr std::array<UnitInfo, 12> kUnits = {{
    {UnitOfMeasure::kLitre, "litre", Dimension::kVolume, 1, 1},
    {UnitOfMeasure::kCubicMetre, "m3", Dimension::kVolume, 1000, 1},
    {UnitOfMeasure::kTonne, "tonne", Dimension::kMass, 1000, 1},
    {UnitOfMeasure::kKilogram, "kg", Dimension::kMass, 1, 1},
    {UnitOfMeasure::kBerthDay, "berth-day", Dimension::kBerthTime, 1, 1},
    {UnitOfMeasure::kBedDay, "bed-day", Dimension::kBedTime, 1, 1},
    {UnitOfMeasure::kMeal, "meal", Dimension::kMeals, 1, 1},
    {UnitOfMeasure::kHour, "hour", Dimension::kLabour, 1, 1},
    {UnitOfMeasure::kPerson, "person", Dimension::kPeople, 1, 1},
    {UnitOfMeasure::kKilometre, "km", Dimension::kLength, 1000, 1},
    {UnitOfMeasure::kNauticalMile, "nm", Dimension::kLength, 1852, 1},
    {UnitOfMeasure::kEach, "each", Dimension::kPieces, 1, 1},
}};

const UnitInfo& Info(UnitOfMeasure u) {
  for (const auto& i : kUnits) {
    if (i.unit == u) return i;
  }
  RELOS_CHECK(false, "unit of measure missing from table");
  __builtin_unreachable();
}

}  // namespace

Result<UnitOfMeasure> ParseUnitOfMeasure(std::string_view text) {
  for (const auto& i : kUnits) {
    if (text == i.name) return i.unit;
  }
  struct Alias { const char* alias; UnitOfMeasure unit; };
  static constexpr Alias kAliases[] = {
      {"l", UnitOfMeasure::kLitre},        {"L", UnitOfMeasure::kLitre},
      {"liter", UnitOfMeasure::kLitre},    {"litres", UnitOfMeasure::kLitre},
      {"cubic-metre", UnitOfMeasure::kCubicMetre}, {"m³", UnitOfMeasure::kCubicMetre},
      {"t", UnitOfMeasure::kTonne},        {"tonnes", UnitOfMeasure::kTonne},
      {"NM", UnitOfMeasure::kNauticalMile}, {"ea", UnitOfMeasure::kEach},
      {"hours", UnitOfMeasure::kHour},     {"meals", UnitOfMeasure::kMeal},
      {"persons", UnitOfMeasure::kPerson},
  };
  for (const auto& a : kAliases) {
    if (text == a.alias) return a.unit;
  }
  return InvalidArgument("unknown unit of measure '" + std::string(text) +
                             "' (expected litre, m3, tonne, kg, berth-day, bed-day, meal, hour, person, km, nm or each)",
                         "unit");
}

std::string_view UnitOfMeasureName(UnitOfMeasure u) { return Info(u).name; }
Dimension DimensionOf(UnitOfMeasure u) { return Info(u).dimension; }

Result<Quantity> Quantity::Parse(std::string_view amount, std::string_view unit) {
  ASSIGN_OR_RETURN(UnitOfMeasure u, ParseUnitOfMeasure(unit));
  ASSIGN_OR_RETURN(int64_t milli, ParseFixedPoint(amount, kScale));
  if (milli < 0) return InvalidArgument("quantity '" + std::string(amount) + "' is negative", "quantity.negative");
  return Quantity(milli, u);
}

Result<Quantity> Quantity::Parse(std::string_view text) {
  auto space = text.find(' ');
  if (space == std::string_view::npos) {
    return InvalidArgument("quantity '" + std::string(text) + "' must be '<amount> <unit>'", "quantity");
  }
  return Parse(text.substr(0, space), text.substr(space + 1));
}

std::string Quantity::AmountString() const { return FormatFixedPointTrimmed(milli_, kScale); }
std::string Quantity::ToString() const { return AmountString() + " " + std::string(UnitOfMeasureName(unit_)); }

Result<Quantity> Quantity::ConvertTo(UnitOfMeasure to) const {
  if (to == unit_) return *this;
  const UnitInfo& from = Info(unit_);
  const UnitInfo& dest = Info(to);
  if (from.dimension != dest.dimension) {
    return InvalidArgument(std::string("cannot convert ") + from.name + " to " + dest.name, "unit.dimension");
  }
  Int128 n = static_cast<Int128>(milli_) * from.num * dest.den;
  Int128 d = static_cast<Int128>(from.den) * dest.num;
  return Quantity(DivideRoundHalfAway(n, d), to);
}

Result<Quantity> Quantity::ConvertWithDensity(UnitOfMeasure to, int64_t density_kg_per_m3) const {
  const Dimension a = DimensionOf(unit_), b = DimensionOf(to);
  if (a == b) return ConvertTo(to);
  if (density_kg_per_m3 <= 0) return InvalidArgument("density must be positive", "density");
  if (a == Dimension::kVolume && b == Dimension::kMass) {
    ASSIGN_OR_RETURN(Quantity litres, ConvertTo(UnitOfMeasure::kLitre));
    // kg = litres * density / 1000
    Quantity kg(DivideRoundHalfAway(static_cast<Int128>(litres.milli_) * density_kg_per_m3, 1000),
                UnitOfMeasure::kKilogram);
    return kg.ConvertTo(to);
  }
  if (a == Dimension::kMass && b == Dimension::kVolume) {
    ASSIGN_OR_RETURN(Quantity kg, ConvertTo(UnitOfMeasure::kKilogram));
    Quantity litres(DivideRoundHalfAway(static_cast<Int128>(kg.milli_) * 1000, density_kg_per_m3),
                    UnitOfMeasure::kLitre);
    return litres.ConvertTo(to);
  }
  return InvalidArgument(std::string("cannot convert ") + std::string(UnitOfMeasureName(unit_)) + " to " +
                             std::string(UnitOfMeasureName(to)),
                         "unit.dimension");
}

Result<Quantity> Quantity::Add(const Quantity& other) const {
  ASSIGN_OR_RETURN(Quantity o, other.ConvertTo(unit_));
  int64_t out;
  if (__builtin_add_overflow(milli_, o.milli_, &out)) return ResourceExhausted("quantity overflow", "quantity.overflow");
  return Quantity(out, unit_);
}

Result<Quantity> Quantity::Subtract(const Quantity& other) const {
  ASSIGN_OR_RETURN(Quantity o, other.ConvertTo(unit_));
  int64_t out;
  if (__builtin_sub_overflow(milli_, o.milli_, &out)) return ResourceExhausted("quantity overflow", "quantity.overflow");
  return Quantity(out, unit_);
}

Result<int> Quantity::Compare(const Quantity& other) const {
  ASSIGN_OR_RETURN(Quantity o, other.ConvertTo(unit_));
  return milli_ < o.milli_ ? -1 : (milli_ > o.milli_ ? 1 : 0);
}

}  // namespace relos

#include <gtest/gtest.h>

#include "relos/core/decimal.h"
#include "relos/core/geo.h"
#include "relos/core/money.h"
#include "relos/core/quantity.h"
#include "relos/core/status.h"
#include "relos/core/time.h"

namespace relos {
namespace {

Result<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd", "x");
  return x / 2;
}

Status Chain(int x, int* out) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(*out, Half(h));
  return OkStatus();
}

TEST(StatusTest, MacrosPropagateTheFirstError) {
  int out = 0;
  EXPECT_TRUE(Chain(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Chain(6, &out);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.reason(), "x");
  EXPECT_EQ(s.ToString(), "INVALID_ARGUMENT [x]: odd");
}

TEST(DecimalTest, ParsesAndFormatsExactly) {
  EXPECT_EQ(*ParseFixedPoint("12.5", 3), 12500);
  EXPECT_EQ(*ParseFixedPoint("-0.001", 3), -1);
  EXPECT_EQ(ParseFixedPoint("1.0001", 3).status().reason(), "number.precision");
  EXPECT_EQ(ParseFixedPoint("1e5", 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFixedPoint("", 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseFixedPoint("1.2.3", 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FormatFixedPoint(-12500, 3), "-12.500");
  EXPECT_EQ(FormatFixedPoint(5, 2), "0.05");
  EXPECT_EQ(FormatFixedPointTrimmed(12500, 3), "12.5");
  EXPECT_EQ(FormatFixedPointTrimmed(12000, 3), "12");
}

TEST(MoneyTest, ParsesInMinorUnitsAndRefusesMixedCurrencies) {
  Money a = *Money::Parse("1234.56 INR");
  EXPECT_EQ(a.minor_units(), 123456);
  EXPECT_EQ(a.ToString(), "1234.56 INR");
  EXPECT_EQ(Money::Parse("1.234", "INR").status().reason(), "number.precision");
  EXPECT_EQ(Money::Parse("1", "XYZ").status().reason(), "currency");
  Money b = *Money::Parse("1", "RUB");
  EXPECT_EQ(a.Add(b).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.Add(a)->minor_units(), 246912);
  EXPECT_EQ(Money::Parse("5", "JPY")->minor_units(), 5);
}

TEST(MoneyTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(DivideRoundHalfAway(5, 2), 3);
  EXPECT_EQ(DivideRoundHalfAway(-5, 2), -3);
  EXPECT_EQ(DivideRoundHalfAway(4, 3), 1);
  EXPECT_EQ(DivideRoundHalfAway(-4, 3), -1);
}

TEST(QuantityTest, ConvertsWithinADimensionOnly) {
  Quantity q = *Quantity::Parse("2.5 m3");
  EXPECT_EQ(q.ConvertTo(UnitOfMeasure::kLitre)->milli(), 2500000);
  EXPECT_EQ(Quantity::Parse("1 nm")->ConvertTo(UnitOfMeasure::kKilometre)->ToString(), "1.852 km");
  EXPECT_EQ(Quantity::Parse("3 tonne")->ConvertTo(UnitOfMeasure::kKilogram)->ToString(), "3000 kg");
  EXPECT_EQ(q.ConvertTo(UnitOfMeasure::kTonne).status().reason(), "unit.dimension");
  // 1000 litres of fuel at 850 kg/m3 weigh 0.85 tonne.
  EXPECT_EQ(Quantity::Parse("1000 litre")->ConvertWithDensity(UnitOfMeasure::kTonne, 850)->ToString(), "0.85 tonne");
  EXPECT_EQ(Quantity::Parse("-1 litre").status().reason(), "quantity.negative");
  EXPECT_EQ(Quantity::Parse("1 furlong").status().reason(), "unit");
  EXPECT_EQ(*Quantity::Parse("1 tonne")->Compare(*Quantity::Parse("999 kg")), 1);
}

TEST(TimeTest, RoundTripsIso8601AndRejectsImpossibleDates) {
  Timestamp t = *Timestamp::Parse("2025-06-01T14:00:00Z");
  EXPECT_EQ(t.ToIso8601(), "2025-06-01T14:00:00Z");
  EXPECT_EQ(Timestamp::Parse("2025-06-01T19:30:00+05:30")->ToIso8601(), "2025-06-01T14:00:00Z");
  EXPECT_EQ(Timestamp::Parse("2025-06-01")->ToIso8601(), "2025-06-01T00:00:00Z");
  EXPECT_EQ(Timestamp::Parse("2025-02-30").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Timestamp::Parse("2025-06-01T14:00:00").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Timestamp::Parse("2024-02-29")->DateString(), "2024-02-29");
  EXPECT_EQ(t.Year(), 2025);
  EXPECT_EQ(DaysCeil(t, t.PlusSeconds(23 * 3600)), 1);
  EXPECT_EQ(DaysCeil(t, t.PlusSeconds(25 * 3600)), 2);
  FakeClock clock(t);
  clock.Advance(kSecondsPerDay);
  EXPECT_EQ(clock.Now().DateString(), "2025-06-02");
}

TEST(GeoTest, ValidatesRanges) {
  EXPECT_TRUE(GeoPosition::Make(18.93, 72.85).ok());
  EXPECT_EQ(GeoPosition::Make(91, 0).status().reason(), "lat");
  EXPECT_EQ(GeoPosition::Make(0, 181).status().reason(), "lon");
  EXPECT_EQ(GeoPosition::Make(18.9333, -72.85)->ToString(), "18.9333N 72.8500W");
}

}  // namespace
}  // namespace relos

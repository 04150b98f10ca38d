#include "relos/core/money.h"

#include <array>
#include <limits>

#include "relos/core/decimal.h"

namespace relos {
namespace {
struct CurrencyEntry {
  const char* code;
  int exponent;
};
// ISO 4217 minor units for the currencies relos expects to meet.
constexpr std::array<CurrencyEntry, 14> kCurrencies = {{
    {"INR", 2}, {"RUB", 2}, {"USD", 2}, {"EUR", 2}, {"GBP", 2}, {"JPY", 0}, {"CNY", 2},
    {"AUD", 2}, {"AED", 2}, {"SGD", 2}, {"LKR", 2}, {"VND", 0}, {"XDR", 2}, {"KRW", 0},
}};
}  // namespace

Result<Currency> Currency::FromCode(std::string_view code) {
  for (const auto& e : kCurrencies) {
    if (code == e.code) return Currency(e.code, e.exponent);
  }
  return InvalidArgument("unknown currency code '" + std::string(code) + "' (expected an ISO 4217 code such as INR, RUB, USD)",
                         "currency");
}

Result<Money> Money::Parse(std::string_view amount, std::string_view currency_code) {
  ASSIGN_OR_RETURN(Currency c, Currency::FromCode(currency_code));
  ASSIGN_OR_RETURN(int64_t minor, ParseFixedPoint(amount, c.exponent()));
  return Money(minor, c);
}

Result<Money> Money::Parse(std::string_view text) {
  auto space = text.find(' ');
  if (space == std::string_view::npos) {
    return InvalidArgument("money '" + std::string(text) + "' must be '<amount> <currency>'", "money");
  }
  return Parse(text.substr(0, space), text.substr(space + 1));
}

std::string Money::AmountString() const { return FormatFixedPoint(minor_, currency_.exponent()); }

std::string Money::ToString() const { return AmountString() + " " + currency_.code(); }

Result<Money> Money::Add(const Money& other) const {
  if (!(currency_ == other.currency_)) {
    return InvalidArgument("cannot add " + other.currency_.code() + " to " + currency_.code(), "currency");
  }
  int64_t out;
  if (__builtin_add_overflow(minor_, other.minor_, &out)) {
    return ResourceExhausted("money overflow", "money.overflow");
  }
  return Money(out, currency_);
}

Result<Money> Money::Subtract(const Money& other) const { return Add(other.Negated()); }

int64_t DivideRoundHalfAway(Int128 n, Int128 d) {
  RELOS_CHECK(d != 0, "division by zero");
  if (d < 0) { n = -n; d = -d; }
  Int128 q = n / d;
  Int128 r = n % d;
  if (r < 0) r = -r;
  if (2 * r >= d) q += (n < 0 ? -1 : 1);
  RELOS_CHECK(q <= std::numeric_limits<int64_t>::max() && q >= std::numeric_limits<int64_t>::min(),
              "rounded value out of int64 range");
  return static_cast<int64_t>(q);
}

}  // namespace relos

// Money: an integer count of minor units in an ISO 4217 currency. Never a
// float. Arithmetic refuses to mix currencies and to overflow.
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "relos/core/decimal.h"
#include "relos/core/status.h"

namespace relos {

// An ISO 4217 alphabetic code with its minor-unit exponent (INR 2, RUB 2,
// USD 2, JPY 0...). Only codes in the built-in table are accepted.
class Currency {
 public:
  Currency() = default;
  // Returns InvalidArgument for a code that is not three upper-case letters
  // or not in the table.
  static Result<Currency> FromCode(std::string_view code);
  const std::string& code() const { return code_; }
  int exponent() const { return exponent_; }
  bool valid() const { return !code_.empty(); }
  friend bool operator==(const Currency& a, const Currency& b) { return a.code_ == b.code_; }
  friend auto operator<=>(const Currency& a, const Currency& b) { return a.code_ <=> b.code_; }

 private:
  Currency(std::string code, int exponent) : code_(std::move(code)), exponent_(exponent) {}
  std::string code_;
  int exponent_ = 2;
};

class Money {
 public:
  Money() = default;
  Money(int64_t minor_units, Currency currency) : minor_(minor_units), currency_(std::move(currency)) {}

  // Parses "1234.56 INR" or ("1234.56", "INR"). More decimals than the
  // currency's exponent is InvalidArgument (no silent rounding of input).
  static Result<Money> Parse(std::string_view amount, std::string_view currency_code);
  static Result<Money> Parse(std::string_view text);

  int64_t minor_units() const { return minor_; }
  const Currency& currency() const { return currency_; }
  bool is_zero() const { return minor_ == 0; }

  // "1234.56" (no currency) and "1234.56 INR".
  std::string AmountString() const;
  std::string ToString() const;

  // InvalidArgument on currency mismatch; ResourceExhausted on overflow.
  Result<Money> Add(const Money& other) const;
  Result<Money> Subtract(const Money& other) const;
  Money Negated() const { return Money(-minor_, currency_); }

  friend bool operator==(const Money& a, const Money& b) {
    return a.minor_ == b.minor_ && a.currency_ == b.currency_;
  }

 private:
  int64_t minor_ = 0;
  Currency currency_;
};

// Rounds numerator/denominator to the nearest integer, halves away from zero
// (the commercial rule used for every price extension in relos).
int64_t DivideRoundHalfAway(Int128 numerator, Int128 denominator);

}  // namespace relos

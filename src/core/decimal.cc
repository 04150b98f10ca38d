#include "relos/core/decimal.h"

namespace relos {

Result<int64_t> ParseFixedPoint(std::string_view text, int scale) {
  const std::string original(text);
  if (text.empty()) return InvalidArgument("empty number", "number");
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return InvalidArgument("'" + original + "' is not a number", "number");
  Int128 value = 0;
  int frac_digits = -1;  // -1: no point seen yet
  int digits = 0;
  for (char c : text) {
    if (c == '.') {
      if (frac_digits >= 0) return InvalidArgument("'" + original + "' has two decimal points", "number");
      frac_digits = 0;
      continue;
    }
    if (c < '0' || c > '9') return InvalidArgument("'" + original + "' is not a number", "number");
    if (frac_digits >= 0) {
      if (++frac_digits > scale) {
        return InvalidArgument("'" + original + "' has more than " + std::to_string(scale) + " decimal places",
                               "number.precision");
      }
    }
    value = value * 10 + (c - '0');
    if (++digits > 18) return InvalidArgument("'" + original + "' is too large", "number.range");
  }
  if (digits == 0) return InvalidArgument("'" + original + "' is not a number", "number");
  for (int i = frac_digits < 0 ? 0 : frac_digits; i < scale; ++i) value *= 10;
  if (value > INT64_MAX) return InvalidArgument("'" + original + "' is too large", "number.range");
  return static_cast<int64_t>(negative ? -value : value);
}

std::string FormatFixedPoint(int64_t value, int scale) {
  bool negative = value < 0;
  UInt128 v = negative ? -static_cast<Int128>(value) : value;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v > 0);
  while (static_cast<int>(digits.size()) <= scale) digits.insert(digits.begin(), '0');
  if (scale > 0) digits.insert(digits.end() - scale, '.');
  return negative ? "-" + digits : digits;
}

std::string FormatFixedPointTrimmed(int64_t value, int scale) {
  std::string s = FormatFixedPoint(value, scale);
  if (scale > 0) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace relos

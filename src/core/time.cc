#include "relos/core/time.h"

#include <chrono>
#include <cstdio>

namespace relos {
namespace {

// Days from civil, proleptic Gregorian (Howard Hinnant's well-known algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m, d;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Result<Timestamp> Timestamp::FromCivil(int year, int month, int day, int hour, int minute, int second) {
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second);
    return InvalidArgument(std::string("impossible date or time ") + buf, "time");
  }
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return Timestamp(days * kSecondsPerDay + hour * 3600 + minute * 60 + second);
}

Result<Timestamp> Timestamp::Parse(std::string_view s) {
  const std::string original(s);
  auto bad = [&] {
    return InvalidArgument("'" + original + "' is not an ISO 8601 UTC time (expected 2025-06-01T14:00:00Z or 2025-06-01)",
                           "time");
  };
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!ReadDigits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !ReadDigits(s, 5, 2, &mo) || s[7] != '-' ||
      !ReadDigits(s, 8, 2, &d)) {
    return bad();
  }
  size_t pos = 10;
  int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != ' ') return bad();
    ++pos;
    if (!ReadDigits(s, pos, 2, &h) || pos + 2 >= s.size() || s[pos + 2] != ':' || !ReadDigits(s, pos + 3, 2, &mi)) {
      return bad();
    }
    pos += 5;
    if (pos < s.size() && s[pos] == ':') {
      if (!ReadDigits(s, pos + 1, 2, &se)) return bad();
      pos += 3;
      if (pos < s.size() && s[pos] == '.') {  // fractional seconds are dropped
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      }
    }
    if (pos >= s.size()) return bad();  // a time must say it is UTC or give an offset
    if (s[pos] == 'Z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!ReadDigits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
          !ReadDigits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
        return bad();
      }
      offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
      pos += 6;
    } else {
      return bad();
    }
    if (pos != s.size()) return bad();
  }
  ASSIGN_OR_RETURN(Timestamp t, FromCivil(y, mo, d, h, mi, se));
  return Timestamp(t.unix_seconds() - offset);
}

std::string Timestamp::ToIso8601() const {
  int64_t days = s_ >= 0 ? s_ / kSecondsPerDay : (s_ - kSecondsPerDay + 1) / kSecondsPerDay;
  int64_t rem = s_ - days * kSecondsPerDay;
  Civil c = CivilFromDays(days);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(c.y), c.m, c.d,
                static_cast<long long>(rem / 3600), static_cast<long long>((rem % 3600) / 60),
                static_cast<long long>(rem % 60));
  return buf;
}

std::string Timestamp::DateString() const { return ToIso8601().substr(0, 10); }

int Timestamp::Year() const {
  int64_t days = s_ >= 0 ? s_ / kSecondsPerDay : (s_ - kSecondsPerDay + 1) / kSecondsPerDay;
  return static_cast<int>(CivilFromDays(days).y);
}

int Timestamp::Month() const {
  int64_t days = s_ >= 0 ? s_ / kSecondsPerDay : (s_ - kSecondsPerDay + 1) / kSecondsPerDay;
  return static_cast<int>(CivilFromDays(days).m);
}

Timestamp Timestamp::StartOfDay() const {
  int64_t days = s_ >= 0 ? s_ / kSecondsPerDay : (s_ - kSecondsPerDay + 1) / kSecondsPerDay;
  return Timestamp(days * kSecondsPerDay);
}

int64_t DaysCeil(Timestamp a, Timestamp b) {
  if (b <= a) return 0;
  int64_t s = b.unix_seconds() - a.unix_seconds();
  return (s + kSecondsPerDay - 1) / kSecondsPerDay;
}

Timestamp SystemClock::Now() const {
  auto now = std::chrono::system_clock::now();
  return Timestamp(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

}  // namespace relos

// UTC time points and the injected clock. Inside relos a time is whole
// seconds since the Unix epoch, UTC; at the edges it is ISO 8601
// ("2025-06-01T14:00:00Z"). Domain code never reads the system clock: it is
// handed a Clock, and tests hand it a FakeClock.
//
// Thread-safety: Timestamp is a value. SystemClock is thread-safe; FakeClock
// is safe for concurrent reads and sets (atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "relos/core/status.h"

namespace relos {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kSecondsPerHour = 3600;

class Timestamp {
 public:
  constexpr Timestamp() = default;
  constexpr explicit Timestamp(int64_t unix_seconds) : s_(unix_seconds) {}
  constexpr int64_t unix_seconds() const { return s_; }

  // Accepts "YYYY-MM-DDTHH:MM:SSZ", "YYYY-MM-DDTHH:MMZ", "...+HH:MM" offsets
  // (converted to UTC) and a bare date "YYYY-MM-DD" (midnight UTC). Anything
  // else, or an impossible date (2025-02-30), is InvalidArgument.
  static Result<Timestamp> Parse(std::string_view iso8601);
  static Result<Timestamp> FromCivil(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

  // "2025-06-01T14:00:00Z".
  std::string ToIso8601() const;
  // "2025-06-01".
  std::string DateString() const;
  int Year() const;
  int Month() const;  // 1..12

  constexpr Timestamp PlusSeconds(int64_t s) const { return Timestamp(s_ + s); }
  constexpr Timestamp PlusDays(int64_t d) const { return Timestamp(s_ + d * kSecondsPerDay); }
  // Start of the UTC day containing this instant.
  Timestamp StartOfDay() const;

  friend constexpr auto operator<=>(const Timestamp&, const Timestamp&) = default;

 private:
  int64_t s_ = 0;
};

// Whole days from a to b rounded up (a stay from 10:00 to next day 09:00 is
// one day; to 11:00 is two). b < a gives 0.
int64_t DaysCeil(Timestamp a, Timestamp b);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start.unix_seconds()) {}
  Timestamp Now() const override { return Timestamp(now_.load()); }
  void Set(Timestamp t) { now_.store(t.unix_seconds()); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace relos

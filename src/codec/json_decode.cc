#include "json_decode.h"

#include <cmath>
#include <limits>

namespace relos::codec::internal {
namespace {

// Every value written as text (money, quantities, times, currencies, enums):
// a type check, then the owning module's own parser, whose message already
// names the value and what is accepted.
template <typename T, typename ParseFn>
Status DecodeText(const Json& j, const Path& at, T* out, ParseFn parse, std::string_view example = "") {
  if (!j.is_string()) {
    return at.Error(example.empty() ? "must be a string" : "must be a string such as " + std::string(example));
  }
  auto r = parse(j.get_ref<const std::string&>());
  if (!r.ok()) return at.Wrap(r.status());
  *out = *r;
  return OkStatus();
}

template <typename E, typename ParseFn>
Status DecodeEnum(const Json& j, const Path& at, E* out, ParseFn parse) {
  return DecodeText(j, at, out, parse);
}

// ReceiptVerdict has Name() but no Parse function in orders/order.h; the
// inverse is derived from Name() so the spellings cannot drift apart.
Result<orders::ReceiptVerdict> ParseReceiptVerdict(std::string_view s) {
  for (auto v : {orders::ReceiptVerdict::kPending, orders::ReceiptVerdict::kAcknowledged,
                 orders::ReceiptVerdict::kDisputed}) {
    if (orders::Name(v) == s) return v;
  }
  return InvalidArgument("unknown receipt verdict '" + std::string(s) + "' (expected pending, acknowledged or disputed)",
                         "verdict");
}

std::string RangeText(Range range) {
  switch (range) {
    case Range::kAny: return "";
    case Range::kNonNegative: return " >= 0";
    case Range::kPositive: return " > 0";
  }
  return "";
}

}  // namespace

Path RootPath(const std::string& path) {
  // The field of "$.facilities[3]" is "facilities": the last member name.
  size_t end = path.size();
  while (end > 0 && path[end - 1] == ']') {
    size_t open = path.rfind('[', end - 1);
    if (open == std::string::npos) break;
    end = open;
  }
  size_t dot = path.rfind('.', end == 0 ? 0 : end - 1);
  std::string field = dot == std::string::npos ? "" : path.substr(dot + 1, end - dot - 1);
  return Path(path, field);
}

Status Decode(const Json& j, const Path& at, std::string* out) {
  if (!j.is_string()) return at.Error("must be a string");
  *out = j.get<std::string>();
  return OkStatus();
}

Status Decode(const Json& j, const Path& at, int64_t* out) { return DecodeCount(j, at, Range::kAny, out); }

Status Decode(const Json& j, const Path& at, int* out) {
  int64_t v = 0;
  RETURN_IF_ERROR(DecodeCount(j, at, Range::kAny, &v));
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    return at.Error("is out of range");
  }
  *out = static_cast<int>(v);
  return OkStatus();
}

Status Decode(const Json& j, const Path& at, bool* out) {
  if (!j.is_boolean()) return at.Error("must be true or false");
  *out = j.get<bool>();
  return OkStatus();
}

Status Decode(const Json& j, const Path& at, Money* out) {
  return DecodeText(j, at, out, [](std::string_view t) { return Money::Parse(t); }, "\"1234.56 INR\"");
}

Status Decode(const Json& j, const Path& at, Quantity* out) {
  return DecodeText(j, at, out, [](std::string_view t) { return Quantity::Parse(t); }, "\"12.5 tonne\"");
}

Status Decode(const Json& j, const Path& at, Timestamp* out) {
  return DecodeText(j, at, out, Timestamp::Parse, "\"2025-06-01T14:00:00Z\" (ISO 8601)");
}

Status Decode(const Json& j, const Path& at, Currency* out) {
  return DecodeText(j, at, out, Currency::FromCode, "\"INR\"");
}

Status Decode(const Json& j, const Path& at, UnitOfMeasure* out) {
  return DecodeEnum(j, at, out, ParseUnitOfMeasure);
}

Status Decode(const Json& j, const Path& at, GeoPosition* out) {
  double lat = 0;
  double lon = 0;
  ObjectReader r(j, at);
  r.Number("lat", Range::kAny, &lat, true);
  r.Number("lon", Range::kAny, &lon, true);
  RETURN_IF_ERROR(r.Finish());
  auto p = GeoPosition::Make(lat, lon);
  if (!p.ok()) {
    // Make() names the coordinate in its reason ("lat" / "lon").
    return at.Key(p.status().reason()).Wrap(p.status());
  }
  *out = *p;
  return OkStatus();
}

Status Decode(const Json& j, const Path& at, registry::Purpose* out) {
  return DecodeEnum(j, at, out, registry::ParsePurpose);
}
Status Decode(const Json& j, const Path& at, registry::SupportCategory* out) {
  return DecodeEnum(j, at, out, registry::ParseSupportCategory);
}
Status Decode(const Json& j, const Path& at, registry::SettlementMode* out) {
  return DecodeEnum(j, at, out, registry::ParseSettlementMode);
}
Status Decode(const Json& j, const Path& at, registry::FacilityKind* out) {
  return DecodeEnum(j, at, out, registry::ParseFacilityKind);
}
Status Decode(const Json& j, const Path& at, registry::UnitKind* out) {
  return DecodeEnum(j, at, out, registry::ParseUnitKind);
}
Status Decode(const Json& j, const Path& at, registry::CapacityKind* out) {
  return DecodeEnum(j, at, out, registry::ParseCapacityKind);
}
Status Decode(const Json& j, const Path& at, registry::FuelCompatibilityLevel* out) {
  return DecodeEnum(j, at, out, registry::ParseFuelCompatibilityLevel);
}
Status Decode(const Json& j, const Path& at, orders::OrderState* out) {
  return DecodeEnum(j, at, out, orders::ParseOrderState);
}
Status Decode(const Json& j, const Path& at, orders::Role* out) { return DecodeEnum(j, at, out, orders::ParseRole); }
Status Decode(const Json& j, const Path& at, orders::ReceiptVerdict* out) {
  return DecodeEnum(j, at, out, ParseReceiptVerdict);
}

Status DecodeNumber(const Json& j, const Path& at, Range range, double* out) {
  std::string reason = "must be a number" + RangeText(range);
  if (!j.is_number()) return at.Error(reason);
  double v = j.get<double>();
  if (!std::isfinite(v) || (range == Range::kNonNegative && v < 0) || (range == Range::kPositive && v <= 0)) {
    return at.Error(reason);
  }
  *out = v;
  return OkStatus();
}

Status DecodeCount(const Json& j, const Path& at, Range range, int64_t* out) {
  std::string reason = "must be a whole number" + RangeText(range);
  if (j.is_number_unsigned()) {
    if (j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return at.Error(reason + " (out of range)");
    }
  } else if (!j.is_number_integer()) {
    return at.Error(reason);
  }
  int64_t v = j.get<int64_t>();
  if ((range == Range::kNonNegative && v < 0) || (range == Range::kPositive && v <= 0)) return at.Error(reason);
  *out = v;
  return OkStatus();
}

ObjectReader::ObjectReader(const Json& j, const Path& at) : j_(j), at_(at) {
  if (!j.is_object()) error_ = at.Error("must be an object");
}

const Json* ObjectReader::Take(std::string_view key) {
  known_.emplace_back(key);
  if (!j_.is_object()) return nullptr;
  auto it = j_.find(key);
  return it == j_.end() ? nullptr : &*it;
}

void ObjectReader::Number(std::string_view key, Range range, double* out, bool required) {
  const Json* v = Take(key);
  if (v == nullptr || (!required && v->is_null())) {
    if (required) Fail(at_.Key(key).Error("is required"));
    return;
  }
  if (error_.ok()) Fail(DecodeNumber(*v, at_.Key(key), range, out));
}

void ObjectReader::Count(std::string_view key, Range range, int64_t* out, bool required) {
  const Json* v = Take(key);
  if (v == nullptr || (!required && v->is_null())) {
    if (required) Fail(at_.Key(key).Error("is required"));
    return;
  }
  if (error_.ok()) Fail(DecodeCount(*v, at_.Key(key), range, out));
}

Status ObjectReader::Finish() const {
  if (j_.is_object()) {
    for (const auto& [key, value] : j_.items()) {
      bool asked = false;
      for (const auto& k : known_) asked = asked || k == key;
      if (asked) continue;
      std::string expected;
      for (const auto& k : known_) expected += (expected.empty() ? "" : ", ") + k;
      return InvalidArgument(at_.Key(key).text() + ": unknown key (expected one of: " + expected + ")", key);
    }
  }
  return error_;
}

}  // namespace relos::codec::internal

// Private helpers of the JSON decoders: where a value is (Path), typed leaf
// decoders, and ObjectReader, which reads an object's fields and refuses the
// keys nobody asked for. Every error is InvalidArgument "PATH: reason" with
// reason() the field name.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "relos/codec/codec.h"
#include "relos/core/geo.h"
#include "relos/core/money.h"
#include "relos/core/quantity.h"
#include "relos/core/time.h"
#include "relos/orders/order.h"
#include "relos/registry/registry.h"

namespace relos::codec::internal {

class Path {
 public:
  Path(std::string text, std::string field) : text_(std::move(text)), field_(std::move(field)) {}
  // A member of an object: the field becomes `key`.
  Path Key(std::string_view key) const { return Path(text_ + "." + std::string(key), std::string(key)); }
  // An element of an array or an entry of a map keyed by data (capacities,
  // annual_ceiling): the field stays the member that holds them.
  Path Index(size_t i) const { return Path(text_ + "[" + std::to_string(i) + "]", field_); }
  Path Entry(std::string_view key) const { return Path(text_ + "." + std::string(key), field_); }
  const std::string& text() const { return text_; }
  const std::string& field() const { return field_; }
  Status Error(std::string_view reason) const {
    return InvalidArgument(text_ + ": " + std::string(reason), field_);
  }
  // For a decoder's own status (Money::Parse...): keeps its message as the reason.
  Status Wrap(const Status& s) const { return Error(s.message()); }

 private:
  std::string text_;
  std::string field_;
};

// The path of a top-level decode call: "$" -> field "", "$.units[1]" -> "units".
Path RootPath(const std::string& path);

// ---- Leaf decoders.
Status Decode(const Json& j, const Path& at, std::string* out);
Status Decode(const Json& j, const Path& at, int64_t* out);
Status Decode(const Json& j, const Path& at, int* out);
Status Decode(const Json& j, const Path& at, bool* out);
Status Decode(const Json& j, const Path& at, Money* out);
Status Decode(const Json& j, const Path& at, Quantity* out);
Status Decode(const Json& j, const Path& at, Timestamp* out);
Status Decode(const Json& j, const Path& at, Currency* out);
Status Decode(const Json& j, const Path& at, UnitOfMeasure* out);
Status Decode(const Json& j, const Path& at, GeoPosition* out);
Status Decode(const Json& j, const Path& at, registry::Purpose* out);
Status Decode(const Json& j, const Path& at, registry::SupportCategory* out);
Status Decode(const Json& j, const Path& at, registry::SettlementMode* out);
Status Decode(const Json& j, const Path& at, registry::FacilityKind* out);
Status Decode(const Json& j, const Path& at, registry::UnitKind* out);
Status Decode(const Json& j, const Path& at, registry::CapacityKind* out);
Status Decode(const Json& j, const Path& at, registry::FuelCompatibilityLevel* out);
Status Decode(const Json& j, const Path& at, orders::OrderState* out);
Status Decode(const Json& j, const Path& at, orders::Role* out);
Status Decode(const Json& j, const Path& at, orders::ReceiptVerdict* out);

// Numbers with a range: lengths and draughts must be > 0 on a berth but may
// be 0 on a contingent (which has no hull).
enum class Range { kAny, kNonNegative, kPositive };
Status DecodeNumber(const Json& j, const Path& at, Range range, double* out);
Status DecodeCount(const Json& j, const Path& at, Range range, int64_t* out);

// ---- Composite decoders, defined in codec.cc.
Status Decode(const Json& j, const Path& at, registry::Party* out);
Status Decode(const Json& j, const Path& at, registry::AgreementTerms* out);
Status Decode(const Json& j, const Path& at, registry::Agreement* out);
Status Decode(const Json& j, const Path& at, registry::CatalogItem* out);
Status Decode(const Json& j, const Path& at, registry::FuelCompatibility* out);
Status Decode(const Json& j, const Path& at, registry::Berth* out);
Status Decode(const Json& j, const Path& at, registry::FuelStock* out);
Status Decode(const Json& j, const Path& at, registry::PriceEntry* out);
Status Decode(const Json& j, const Path& at, registry::Facility* out);
Status Decode(const Json& j, const Path& at, registry::Unit* out);
Status Decode(const Json& j, const Path& at, registry::RegistryData* out);
Status Decode(const Json& j, const Path& at, orders::Actor* out);
Status Decode(const Json& j, const Path& at, orders::OrderLine* out);
Status Decode(const Json& j, const Path& at, orders::OrderStep* out);
Status Decode(const Json& j, const Path& at, orders::Order* out);
Status Decode(const Json& j, const Path& at, audit::Event* out);

// ---- Containers.
template <typename T>
Status Decode(const Json& j, const Path& at, std::optional<T>* out) {
  T v{};
  RETURN_IF_ERROR(Decode(j, at, &v));
  *out = std::move(v);
  return OkStatus();
}

template <typename T>
Status Decode(const Json& j, const Path& at, std::vector<T>* out) {
  if (!j.is_array()) return at.Error("must be an array");
  out->clear();
  out->reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    T v{};
    RETURN_IF_ERROR(Decode(j[i], at.Index(i), &v));
    out->push_back(std::move(v));
  }
  return OkStatus();
}

// A set is written as an array; a repeated element is refused rather than
// silently merged, since it usually means a typo for another value.
template <typename T>
Status Decode(const Json& j, const Path& at, std::set<T>* out) {
  if (!j.is_array()) return at.Error("must be an array");
  out->clear();
  for (size_t i = 0; i < j.size(); ++i) {
    T v{};
    RETURN_IF_ERROR(Decode(j[i], at.Index(i), &v));
    if (!out->insert(std::move(v)).second) return at.Index(i).Error("is listed twice");
  }
  return OkStatus();
}

// Maps are objects; the key is decoded as the key type (an enum name or a
// party code) and the value as V.
template <typename K, typename V>
Status Decode(const Json& j, const Path& at, std::map<K, V>* out) {
  if (!j.is_object()) return at.Error("must be an object");
  out->clear();
  for (const auto& [key, value] : j.items()) {
    Path entry = at.Entry(key);
    K k{};
    RETURN_IF_ERROR(Decode(Json(key), entry, &k));
    V v{};
    RETURN_IF_ERROR(Decode(value, entry, &v));
    out->emplace(std::move(k), std::move(v));
  }
  return OkStatus();
}

// Reads one object. Getters record the first error and do nothing after it;
// Finish() reports a key nobody asked for in preference to that error (a
// misspelt key is the likelier cause of a "required" complaint), otherwise
// the first error. Borrows `j`, which must outlive the reader.
class ObjectReader {
 public:
  ObjectReader(const Json& j, const Path& at);

  template <typename T>
  void Required(std::string_view key, T* out) {
    const Json* v = Take(key);
    if (v == nullptr) {
      Fail(at_.Key(key).Error("is required"));
      return;
    }
    if (error_.ok()) Fail(Decode(*v, at_.Key(key), out));
  }
  template <typename T>
  void Optional(std::string_view key, T* out) {
    const Json* v = Take(key);
    if (v != nullptr && !v->is_null() && error_.ok()) Fail(Decode(*v, at_.Key(key), out));
  }
  // Numbers with a range check.
  void Number(std::string_view key, Range range, double* out, bool required);
  void Count(std::string_view key, Range range, int64_t* out, bool required);

  Status Finish() const;

 private:
  const Json* Take(std::string_view key);
  void Fail(Status s) {
    if (error_.ok()) error_ = std::move(s);
  }
  const Json& j_;
  Path at_;
  std::vector<std::string> known_;  // the keys asked for, in the order asked
  Status error_;
};

}  // namespace relos::codec::internal

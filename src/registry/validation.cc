#include "relos/registry/validation.h"

#include <set>

namespace relos::registry {
namespace {

Status Bad(const std::string& where, const std::string& field, const std::string& why) {
  return InvalidArgument(where + "." + field + ": " + why, field);
}

template <typename T>
Status CheckUniqueCodes(const std::vector<T>& objects, const std::string& kind, std::set<std::string>* codes) {
  for (const auto& o : objects) {
    if (o.code.empty()) return Bad(kind, "code", "must not be empty");
    if (!codes->insert(o.code).second) return Bad(kind + "[" + o.code + "]", "code", "duplicate code " + o.code);
  }
  return OkStatus();
}

}  // namespace

Status ValidateRegistry(const RegistryData& d) {
  std::set<std::string> parties, agreements, items, facilities, units;
  RETURN_IF_ERROR(CheckUniqueCodes(d.parties, "parties", &parties));
  RETURN_IF_ERROR(CheckUniqueCodes(d.agreements, "agreements", &agreements));
  RETURN_IF_ERROR(CheckUniqueCodes(d.catalogue, "catalogue", &items));
  RETURN_IF_ERROR(CheckUniqueCodes(d.facilities, "facilities", &facilities));
  RETURN_IF_ERROR(CheckUniqueCodes(d.units, "units", &units));

  auto party_currency = [&](const std::string& code) -> const Currency* {
    for (const auto& p : d.parties) {
      if (p.code == code) return &p.currency;
    }
    return nullptr;
  };
  for (const auto& p : d.parties) {
    if (!p.currency.valid()) return Bad("parties[" + p.code + "]", "currency", "must be an ISO 4217 code");
    if (p.name.empty()) return Bad("parties[" + p.code + "]", "name", "must not be empty");
  }

  std::set<std::string> grades;
  for (const auto& i : d.catalogue) {
    const std::string where = "catalogue[" + i.code + "]";
    if (i.name.empty()) return Bad(where, "name", "must not be empty");
    if (i.category == SupportCategory::kFuel) {
      if (!i.fuel_grade || i.fuel_grade->empty()) return Bad(where, "fuel_grade", "a fuel item must name its grade");
      const Dimension dim = DimensionOf(i.unit);
      if (dim != Dimension::kVolume && dim != Dimension::kMass) {
        return Bad(where, "unit", "a fuel item is issued by volume or mass");
      }
      grades.insert(*i.fuel_grade);
    } else if (i.fuel_grade) {
      return Bad(where, "fuel_grade", "only fuel items have a grade");
    }
  }
  for (size_t k = 0; k < d.fuel_compatibility.size(); ++k) {
    const auto& row = d.fuel_compatibility[k];
    const std::string where = "fuel_compatibility[" + std::to_string(k) + "]";
    if (!grades.count(row.unit_grade)) return Bad(where, "unit_grade", "no catalogue fuel item has grade " + row.unit_grade);
    if (!grades.count(row.supplied_grade)) {
      return Bad(where, "supplied_grade", "no catalogue fuel item has grade " + row.supplied_grade);
    }
  }

  for (const auto& a : d.agreements) {
    const std::string where = "agreements[" + a.code + "]";
    if (!parties.count(a.party_a)) return Bad(where, "party_a", "unknown party " + a.party_a);
    if (!parties.count(a.party_b)) return Bad(where, "party_b", "unknown party " + a.party_b);
    if (a.party_a == a.party_b) return Bad(where, "party_b", "an agreement binds two different parties");
    if (!(a.effective_from < a.effective_to)) return Bad(where, "effective_to", "must be after effective_from");
    const AgreementTerms& t = a.terms;
    if (!t.settlement_currency.valid()) return Bad(where, "terms.settlement_currency", "must be an ISO 4217 code");
    if (t.settlement_modes.empty()) return Bad(where, "terms.settlement_modes", "at least one settlement mode");
    if (t.eligible_purposes.empty()) return Bad(where, "terms.eligible_purposes", "at least one purpose");
    if (t.eligible_categories.empty()) return Bad(where, "terms.eligible_categories", "at least one category");
    if (t.max_stay_days < 0) return Bad(where, "terms.max_stay_days", "must not be negative");
    if (t.max_presence_days_per_year < 0) return Bad(where, "terms.max_presence_days_per_year", "must not be negative");
    if (t.payment_term_days <= 0) return Bad(where, "terms.payment_term_days", "must be positive");
    if (t.rik_return_days <= 0) return Bad(where, "terms.rik_return_days", "must be positive");
    for (const auto& [purpose, hours] : t.min_notice_hours) {
      if (hours < 0) return Bad(where, "terms.min_notice_hours." + std::string(Name(purpose)), "must not be negative");
    }
    for (const auto& item : t.excluded_items) {
      if (!items.count(item)) return Bad(where, "terms.excluded_items", "unknown catalogue item " + item);
    }
    for (const auto& [party, ceiling] : t.annual_ceiling) {
      if (!a.Binds(party)) return Bad(where, "terms.annual_ceiling." + party, "party is not bound by the agreement");
      if (!(ceiling.currency() == t.settlement_currency)) {
        return Bad(where, "terms.annual_ceiling." + party, "must be in the settlement currency " + t.settlement_currency.code());
      }
      if (ceiling.minor_units() < 0) return Bad(where, "terms.annual_ceiling." + party, "must not be negative");
    }
  }

  for (const auto& f : d.facilities) {
    const std::string where = "facilities[" + f.code + "]";
    const Currency* currency = party_currency(f.owner);
    if (currency == nullptr) return Bad(where, "owner", "unknown party " + f.owner);
    if (f.name.empty()) return Bad(where, "name", "must not be empty");
    RETURN_IF_ERROR(GeoPosition::Make(f.position.lat, f.position.lon).status().WithContext(where + ".position"));
    std::set<std::string> berth_ids;
    for (const auto& b : f.berths) {
      if (!berth_ids.insert(b.id).second) return Bad(where, "berths", "duplicate berth id " + b.id);
      if (!(b.length_m > 0)) return Bad(where + ".berths[" + b.id + "]", "length_m", "must be > 0");
      if (!(b.max_draught_m > 0)) return Bad(where + ".berths[" + b.id + "]", "max_draught_m", "must be > 0");
    }
    for (const auto& [kind, n] : f.capacities) {
      if (n < 0) return Bad(where, "capacities." + std::string(Name(kind)), "must not be negative");
    }
    for (const auto& s : f.fuel) {
      if (!grades.count(s.grade)) return Bad(where + ".fuel[" + s.grade + "]", "grade", "no catalogue fuel item has this grade");
      auto cmp = s.on_hand.Compare(s.capacity);
      if (!cmp.ok()) return Bad(where + ".fuel[" + s.grade + "]", "on_hand", cmp.status().message());
      if (*cmp > 0) return Bad(where + ".fuel[" + s.grade + "]", "on_hand", "exceeds tank capacity");
    }
    for (size_t k = 0; k < f.prices.size(); ++k) {
      const auto& p = f.prices[k];
      const std::string pw = where + ".prices[" + std::to_string(k) + "]";
      if (!items.count(p.item)) return Bad(pw, "item", "unknown catalogue item " + p.item);
      if (!(p.unit_price.currency() == *currency)) {
        return Bad(pw, "unit_price", "must be in the owner's currency " + currency->code());
      }
      if (p.unit_price.minor_units() < 0) return Bad(pw, "unit_price", "must not be negative");
    }
  }

  for (const auto& u : d.units) {
    const std::string where = "units[" + u.code + "]";
    if (!parties.count(u.owner)) return Bad(where, "owner", "unknown party " + u.owner);
    if (u.kind == UnitKind::kContingent) continue;
    if (!grades.count(u.fuel_grade)) return Bad(where, "fuel_grade", "no catalogue fuel item has grade " + u.fuel_grade);
    if (u.kind == UnitKind::kShip) {
      if (!(u.length_m > 0)) return Bad(where, "length_m", "must be > 0 for a ship");
      if (!(u.draught_m > 0)) return Bad(where, "draught_m", "must be > 0 for a ship");
    }
    if (u.fuel_capacity.milli() <= 0) return Bad(where, "fuel_capacity", "must be > 0");
    if (DimensionOf(u.consumption_per_hour.unit()) != DimensionOf(u.fuel_capacity.unit())) {
      return Bad(where, "consumption_per_hour", "must be in the same dimension as fuel_capacity");
    }
    if (!(u.cruise_speed_kn > 0)) return Bad(where, "cruise_speed_kn", "must be > 0");
    if (u.max_speed_kn < u.cruise_speed_kn) return Bad(where, "max_speed_kn", "must be at least the cruise speed");
  }
  return OkStatus();
}

}  // namespace relos::registry

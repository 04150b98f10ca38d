// PlanMission and DraftOrders: the registry side of the mission planner.
#include <algorithm>
#include <cmath>

#include "relos/mission/planner.h"

namespace relos::mission {
namespace {

using registry::Facility;
using registry::RegistryData;
using registry::Unit;

const Facility* FindFacility(const RegistryData& r, const std::string& code) {
  for (const Facility& f : r.facilities)
    if (f.code == code) return &f;
  return nullptr;
}

// How many `to` units make one `from` unit (same dimension), or an error.
Result<double> Factor(UnitOfMeasure from, UnitOfMeasure to) {
  ASSIGN_OR_RETURN(Quantity q, Quantity::Whole(1000, from).ConvertTo(to));
  return q.ToDouble() / 1000.0;
}

// The agreement in force at `at` binding `party` that opens fuel support for
// `purpose`; the first by code. Also says why none does.
const registry::Agreement* OpeningAgreement(const RegistryData& r, const std::string& party, Timestamp at,
                                            registry::Purpose purpose, std::string* why) {
  std::vector<const registry::Agreement*> sorted;
  for (const auto& a : r.agreements) sorted.push_back(&a);
  std::sort(sorted.begin(), sorted.end(), [](auto* x, auto* y) { return x->code < y->code; });
  *why = "no agreement binding " + party + " is in force at " + at.ToIso8601();
  for (const registry::Agreement* a : sorted) {
    if (!a->Binds(party) || !a->InForceAt(at)) continue;
    const auto& t = a->terms;
    if (!t.eligible_purposes.empty() && !t.eligible_purposes.contains(purpose)) {
      *why = "agreement " + a->code + " does not cover purpose " + std::string(registry::Name(purpose));
      continue;
    }
    if ((!t.eligible_categories.empty() && !t.eligible_categories.contains(registry::SupportCategory::kFuel)) ||
        t.excluded_categories.contains(registry::SupportCategory::kFuel)) {
      *why = "agreement " + a->code + " does not cover fuel";
      continue;
    }
    return a;
  }
  return nullptr;
}

const registry::CatalogItem* FuelItem(const RegistryData& r, const Facility& f, const std::string& grade) {
  for (const auto& item : r.catalogue)
    if (item.fuel_grade && *item.fuel_grade == grade && f.Offers(item.code)) return &item;
  return nullptr;
}

// From a stock projection (thousandths of the stock unit, in time order),
// what can be issued at or after each of its times without leaving a later
// issue short: the lowest stock from then on, never below zero.
std::vector<std::pair<Timestamp, double>> FreeToIssue(const std::vector<capacity::StockPoint>& projection,
                                                      double per_stock_unit) {
  std::vector<std::pair<Timestamp, double>> out(projection.size());
  int64_t lowest = projection.back().stock;
  for (size_t k = projection.size(); k-- > 0;) {
    lowest = std::min(lowest, projection[k].stock);
    out[k] = {projection[k].at, static_cast<double>(std::max<int64_t>(lowest, 0)) / 1000.0 * per_stock_unit};
  }
  return out;
}

}  // namespace

Result<Waypoint> ResolveEnd(const RegistryData& r, const std::string& facility, const std::optional<GeoPosition>& pos,
                          const std::string& field) {
  if (!facility.empty() && pos) return InvalidArgument("give a facility or a position for " + field + ", not both", field);
  if (!facility.empty()) {
    const Facility* f = FindFacility(r, facility);
    if (!f) return NotFound("facility '" + facility + "' not found", field);
    return Waypoint{f->code, f->name, f->position};
  }
  if (!pos) return InvalidArgument(field + " is required", field);
  return Waypoint{"", "", *pos};
}

Result<FuelProjections> ProjectFuel(storage::Transaction& txn, const RegistryData& r, Timestamp now) {
  FuelProjections out;
  for (const Facility& f : r.facilities) {
    if (f.fuel.empty()) continue;
    ASSIGN_OR_RETURN(capacity::FacilityUsage usage, capacity::UsageOf(txn, f.code, now, now.PlusSeconds(1), now));
    for (capacity::ResourceUsage& u : usage.resources) {
      if (u.kind != capacity::ResourceKind::kFuel) continue;
      // "fuel:<grade>"
      out[{f.code, u.resource.substr(u.resource.find(':') + 1)}] = std::move(u.stock);
    }
  }
  return out;
}

Result<MissionPlan> PlanMission(const RegistryData& r, const MissionRequest& req, const DistanceOracle& oracle,
                                const FuelProjections* fuel) {
  const Unit* unit = nullptr;
  for (const Unit& u : r.units)
    if (u.code == req.unit) unit = &u;
  if (!unit) return NotFound("unit '" + req.unit + "' not found", "unit");
  if (unit->kind == registry::UnitKind::kContingent)
    return InvalidArgument("unit " + unit->code + " is a contingent; missions are planned for ships and aircraft", "unit");
  if (unit->fuel_grade.empty() || unit->fuel_capacity.milli() <= 0 || unit->consumption_per_hour.milli() <= 0 ||
      unit->cruise_speed_kn <= 0)
    return InvalidArgument("unit " + unit->code + " lacks fuel grade, capacity, consumption or cruise speed", "unit");
  const UnitOfMeasure fuel_unit = unit->fuel_capacity.unit();
  ASSIGN_OR_RETURN(Quantity burn_q, unit->consumption_per_hour.ConvertTo(fuel_unit));
  const double speed = req.speed_kn.value_or(unit->cruise_speed_kn);
  if (!(speed > 0)) return InvalidArgument("speed must be positive", "speed");
  if (unit->max_speed_kn > 0 && speed > unit->max_speed_kn)
    return InvalidArgument("speed " + std::to_string(speed) + " kn exceeds the unit's maximum " +
                               std::to_string(unit->max_speed_kn) + " kn", "speed");

  PlanningProblem p;
  ASSIGN_OR_RETURN(p.origin, ResolveEnd(r, req.from_facility, req.from_position, "from"));
  ASSIGN_OR_RETURN(p.destination, ResolveEnd(r, req.to_facility, req.to_position, "to"));
  p.capacity = unit->fuel_capacity.ToDouble();
  p.initial_fuel = p.capacity * req.initial_fuel_fraction.value_or(1.0);
  p.reserve_fraction = req.reserve_fraction;
  // Cubic law: fuel/hour = c * (v/vc)^3, so fuel/nm = c/vc * (v/vc)^2.
  const double ratio = speed / unit->cruise_speed_kn;
  p.burn_per_nm = burn_q.ToDouble() / unit->cruise_speed_kn * ratio * ratio;
  p.speed_kn = speed;
  p.stop_hours = req.stop_hours;
  p.max_wait_hours = req.max_wait_hours;
  p.departure = req.departure;
  p.objective = req.objective;
  p.fuel_unit = std::string(UnitOfMeasureName(fuel_unit));

  MissionPlan out;
  out.unit = unit->code;
  out.fuel_unit = p.fuel_unit;
  std::string no_agreement;
  const registry::Agreement* agreement =
      OpeningAgreement(r, unit->owner, req.departure, req.purpose, &no_agreement);
  if (agreement) {
    out.agreement = agreement->code;
    out.partner = agreement->PartnerOf(unit->owner);
    for (const auto& party : r.parties)
      if (party.code == out.partner) out.cost_currency = party.currency.code();
  }

  const bool ship = unit->kind == registry::UnitKind::kShip;
  for (const Facility& f : r.facilities) {
    if (f.code == p.origin.code || f.code == p.destination.code) continue;
    auto exclude = [&](std::string why) { out.excluded.push_back({f.code, std::move(why)}); };
    const bool own = f.owner == unit->owner;
    if (!own && !(agreement && f.owner == out.partner)) {
      exclude(agreement ? "owned by " + f.owner + ", not a party to " + agreement->code : no_agreement);
      continue;
    }
    if (ship && f.kind != registry::FacilityKind::kNavalBase && f.kind != registry::FacilityKind::kPort) {
      exclude("not a port or naval base");
      continue;
    }
    if (!ship && f.kind != registry::FacilityKind::kAirbase) {
      exclude("not an airbase");
      continue;
    }
    if (ship && !f.berths.empty() &&
        std::none_of(f.berths.begin(), f.berths.end(), [&](const registry::Berth& b) { return b.max_draught_m >= unit->draught_m; })) {
      exclude("no berth deep enough for " + std::to_string(unit->draught_m) + " m draught");
      continue;
    }
    // The compatible grade with the most on hand (a priced one for partners).
    std::optional<CandidateStop> best;
    std::string why = "stocks no grade compatible with " + unit->fuel_grade;
    for (const registry::FuelStock& stock : f.fuel) {
      auto level = registry::CompatibilityOf(r.fuel_compatibility, unit->fuel_grade, stock.grade);
      if (!level || *level == registry::FuelCompatibilityLevel::kEmergencyOnly) continue;
      Result<double> per_stock_unit = Factor(stock.on_hand.unit(), fuel_unit);
      if (!per_stock_unit.ok()) {
        why = "stock of " + stock.grade + " is in " + std::string(UnitOfMeasureName(stock.on_hand.unit())) +
              ", not convertible to " + p.fuel_unit;
        continue;
      }
      CandidateStop c{f.code, f.name, f.position, !own, stock.on_hand.ToDouble() * *per_stock_unit, stock.grade, 0};
      const auto projection = fuel ? fuel->find({f.code, stock.grade}) : FuelProjections::const_iterator();
      if (fuel && projection != fuel->end() && !projection->second.empty()) {
        c.fuel_from = FreeToIssue(projection->second, *per_stock_unit);
        c.fuel_available = c.fuel_from.front().second;
      }
      double most = c.fuel_available;
      for (const auto& [t, amount] : c.fuel_from) most = std::max(most, amount);
      if (!(most > 0)) {
        why = c.fuel_from.empty() ? "no " + stock.grade + " on hand"
                                  : "no " + stock.grade + " free to issue (on hand and planned deliveries are promised to approved orders)";
        continue;
      }
      if (!own) {
        const registry::CatalogItem* item = FuelItem(r, f, stock.grade);
        Result<Money> price = item ? f.PriceAt(item->code, req.departure) : Result<Money>(NotFound("no item"));
        if (!price.ok()) {
          why = "no price for " + stock.grade + " at departure";
          continue;
        }
        Result<double> factor = Factor(fuel_unit, item->unit);
        if (!factor.ok()) {
          why = item->code + " is priced per " + std::string(UnitOfMeasureName(item->unit)) + ", not convertible";
          continue;
        }
        c.price_per_fuel_unit = static_cast<double>(price->minor_units()) * *factor;
      }
      if (!best || c.fuel_available > best->fuel_available) best = std::move(c);
    }
    if (!best) {
      exclude(why);
      continue;
    }
    p.stops.push_back(std::move(*best));
  }
  ASSIGN_OR_RETURN(out.plan, PlanOverStops(p, oracle));
  return out;
}

Result<std::vector<orders::CreateOrderRequest>> DraftOrders(const RegistryData& r, const MissionRequest& req,
                                                            const MissionPlan& mp) {
  if (!mp.plan.feasible) return FailedPrecondition("the plan is infeasible: " + mp.plan.infeasible_reason, "plan");
  const Unit* unit = nullptr;
  for (const Unit& u : r.units)
    if (u.code == mp.unit) unit = &u;
  if (!unit) return NotFound("unit '" + mp.unit + "' not found", "unit");
  const registry::Agreement* agreement = nullptr;
  for (const auto& a : r.agreements)
    if (a.code == mp.agreement) agreement = &a;
  std::vector<orders::CreateOrderRequest> out;
  for (const PlanStop& s : mp.plan.stops) {
    if (!s.stop.partner) continue;
    if (!agreement) return NotFound("agreement '" + mp.agreement + "' not found", "agreement");
    const Facility* f = FindFacility(r, s.stop.code);
    if (!f) return NotFound("facility '" + s.stop.code + "' not found", "facility");
    const registry::CatalogItem* fuel = FuelItem(r, *f, s.stop.supplied_grade);
    if (!fuel) return NotFound(f->code + " offers no catalogued item for " + s.stop.supplied_grade, "item");
    ASSIGN_OR_RETURN(double factor, Factor(unit->fuel_capacity.unit(), fuel->unit));
    // Rounded up: asking for a thousandth too little would leave the tanks short.
    const auto milli = static_cast<int64_t>(std::ceil(s.fuel_to_request * factor * 1000.0 - 1e-6));
    orders::CreateOrderRequest o;
    o.agreement = agreement->code;
    o.unit = unit->code;
    o.facility = f->code;
    o.purpose = req.purpose;
    const auto& modes = agreement->terms.settlement_modes;
    o.settlement = modes.empty() || modes.contains(registry::SettlementMode::kCash) ? registry::SettlementMode::kCash
                                                                                  : *modes.begin();
    const Timestamp end = s.depart > s.arrive ? s.depart : s.arrive.PlusSeconds(kSecondsPerHour);
    o.lines.push_back({fuel->code, Quantity(milli, fuel->unit), s.arrive, end,
                       "mission refuel: " + s.stop.supplied_grade + " for " + unit->code, ""});
    if (unit->kind == registry::UnitKind::kShip) {
      for (const auto& item : r.catalogue) {
        if (item.category != registry::SupportCategory::kBerthing || item.unit != UnitOfMeasure::kBerthDay ||
            !f->Offers(item.code))
          continue;
        const auto days = std::max<int64_t>(1, static_cast<int64_t>(std::ceil((end.unix_seconds() - s.arrive.unix_seconds()) / 86400.0)));
        o.lines.push_back({item.code, Quantity::Whole(days, UnitOfMeasure::kBerthDay), s.arrive, end,
                           "alongside for refuelling", ""});
        break;
      }
    }
    o.idempotency_key = "mission:" + unit->code + ":" + f->code + ":" + s.arrive.ToIso8601();
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace relos::mission

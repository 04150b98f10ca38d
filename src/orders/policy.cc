#include "relos/orders/policy.h"

#include <algorithm>
#include <set>

namespace relos::orders {
namespace {

using registry::SupportCategory;

Status Refuse(const std::string& rule, const std::string& message) {
  return FailedPrecondition(message, "policy." + rule);
}

// Calendar days (UTC) touched by [start, end), for presence counting.
std::set<int64_t> DaysOf(Visit v) {
  std::set<int64_t> days;
  for (int64_t d = v.start.StartOfDay().unix_seconds(); d < v.end.unix_seconds(); d += kSecondsPerDay) {
    days.insert(d / kSecondsPerDay);
  }
  return days;
}

}  // namespace

Visit VisitOf(const Order& order) {
  Visit v{Timestamp(INT64_MAX), Timestamp(INT64_MIN)};
  for (const auto& l : order.lines) {
    v.start = std::min(v.start, l.window_start);
    v.end = std::max(v.end, l.window_end);
  }
  if (order.lines.empty()) v = {Timestamp(), Timestamp()};
  return v;
}

Status CheckEligibility(const Order& order, const PolicyContext& ctx) {
  RELOS_CHECK(ctx.agreement && ctx.facility && ctx.unit, "policy context incomplete");
  const registry::Agreement& ag = *ctx.agreement;
  const registry::AgreementTerms& terms = ag.terms;
  const Visit visit = VisitOf(order);

  if (!ag.Binds(order.requester) || !ag.Binds(order.supplier) || order.requester == order.supplier) {
    return Refuse("agreement_in_force", "agreement " + ag.code + " does not bind " + order.requester + " and " + order.supplier);
  }
  if (!ag.InForceAt(ctx.now) || !ag.InForceAt(visit.start) || visit.end > ag.effective_to) {
    return Refuse("agreement_in_force", "agreement " + ag.code + " is in force from " + ag.effective_from.DateString() +
                                            " until " + ag.effective_to.DateString() + "; the order falls outside");
  }
  if (!terms.eligible_purposes.count(order.purpose)) {
    return Refuse("purpose", "purpose " + std::string(registry::Name(order.purpose)) + " is not eligible under " + ag.code);
  }
  if (!terms.settlement_modes.count(order.settlement)) {
    return Refuse("settlement_mode",
                  "settlement " + std::string(registry::Name(order.settlement)) + " is not allowed under " + ag.code);
  }
  if (ctx.unit->owner != order.requester) {
    return Refuse("unit_owner", "unit " + ctx.unit->code + " belongs to " + ctx.unit->owner + ", not " + order.requester);
  }
  if (ctx.facility->owner != order.supplier) {
    return Refuse("facility_owner",
                  "facility " + ctx.facility->code + " belongs to " + ctx.facility->owner + ", not " + order.supplier);
  }

  // Notice runs from now (submission or approval) to the start of the visit.
  auto notice = terms.min_notice_hours.find(order.purpose);
  if (notice != terms.min_notice_hours.end()) {
    const int64_t have_hours = (visit.start.unix_seconds() - ctx.now.unix_seconds()) / kSecondsPerHour;
    if (visit.start.unix_seconds() - ctx.now.unix_seconds() < notice->second * kSecondsPerHour) {
      return Refuse("advance_notice", "a request for " + std::string(registry::Name(order.purpose)) + " needs " +
                                          std::to_string(notice->second) + " hours' notice; this one gives " +
                                          std::to_string(std::max<int64_t>(have_hours, 0)) + " (visit starts " +
                                          visit.start.ToIso8601() + ")");
    }
  }
  if (terms.max_stay_days > 0) {
    const int64_t days = DaysCeil(visit.start, visit.end);
    if (days > terms.max_stay_days) {
      return Refuse("max_stay", "visit of " + std::to_string(days) + " days exceeds the maximum stay of " +
                                    std::to_string(terms.max_stay_days) + " days per visit under " + ag.code);
    }
  }
  if (terms.max_presence_days_per_year > 0) {
    // Count distinct calendar days per year, so overlapping orders for one
    // visit are not counted twice.
    std::set<int64_t> mine = DaysOf(visit);
    std::set<int64_t> all = mine;
    for (const Order& other : ctx.other_visits) {
      for (int64_t d : DaysOf(VisitOf(other))) all.insert(d);
    }
    for (int64_t day : mine) {
      const int year = Timestamp(day * kSecondsPerDay).Year();
      int64_t count = 0;
      for (int64_t d : all) count += Timestamp(d * kSecondsPerDay).Year() == year;
      if (count > terms.max_presence_days_per_year) {
        return ResourceExhausted(order.requester + " would be present at " + ctx.facility->code + " on " +
                                     std::to_string(count) + " days in " + std::to_string(year) + "; the limit is " +
                                     std::to_string(terms.max_presence_days_per_year) + " (no permanent basing)",
                                 "policy.presence_days");
      }
    }
  }

  for (const auto& line : order.lines) {
    const registry::CatalogItem& item = ctx.items.at(line.item);
    const std::string where = "line " + std::to_string(line.line_no) + " (" + item.code + "): ";
    if (terms.excluded_items.count(item.code) || terms.excluded_categories.count(item.category)) {
      return Refuse("excluded_item", where + std::string(registry::Name(item.category)) + " item " + item.code +
                                         " is excluded from support under " + ag.code);
    }
    if (!terms.eligible_categories.count(item.category)) {
      return Refuse("category", where + "support category " + std::string(registry::Name(item.category)) +
                                    " is not eligible under " + ag.code);
    }
    if (!ctx.facility->Offers(item.code)) {
      return Refuse("facility_offers_item", where + "facility " + ctx.facility->code + " does not offer " + item.code);
    }
    if (item.category == SupportCategory::kFuel && ctx.unit->kind != registry::UnitKind::kContingent) {
      auto level = registry::CompatibilityOf(ctx.fuel_compatibility, ctx.unit->fuel_grade, *item.fuel_grade);
      const bool emergency = order.purpose == registry::Purpose::kDisasterRelief ||
                             order.purpose == registry::Purpose::kHumanitarian;
      if (!level || (*level == registry::FuelCompatibilityLevel::kEmergencyOnly && !emergency)) {
        return Refuse("fuel_grade", where + "unit " + ctx.unit->code + " burns " + ctx.unit->fuel_grade + "; " +
                                        *item.fuel_grade +
                                        (level ? " may replace it in emergencies only" : " is not interchangeable with it"));
      }
    }
    if (item.category == SupportCategory::kBerthing && ctx.unit->kind == registry::UnitKind::kShip) {
      bool fits = false;
      for (const auto& b : ctx.facility->berths) {
        fits = fits || (b.length_m >= ctx.unit->length_m && b.max_draught_m >= ctx.unit->draught_m);
      }
      if (!fits) {
        return Refuse("berth_fit", where + "no berth at " + ctx.facility->code + " takes " + ctx.unit->code +
                                       " (length " + std::to_string(ctx.unit->length_m) + " m, draught " +
                                       std::to_string(ctx.unit->draught_m) + " m)");
      }
    }
  }
  return OkStatus();
}

Status CheckCapacity(const Order& order, const std::map<int, Quantity>& quantities, const PolicyContext& ctx) {
  // Fuel: total per grade on this order against stock on hand less what
  // other approved orders have reserved.
  std::map<std::string, Quantity> fuel_wanted;
  for (const auto& line : order.lines) {
    auto q = quantities.find(line.line_no);
    if (q == quantities.end() || q->second.is_zero()) continue;
    const registry::CatalogItem& item = ctx.items.at(line.item);
    const std::string where = "line " + std::to_string(line.line_no) + " (" + item.code + "): ";
    if (item.category == SupportCategory::kFuel) {
      const registry::FuelStock* stock = ctx.facility->FindFuel(*item.fuel_grade);
      if (stock == nullptr) {
        return ResourceExhausted(where + ctx.facility->code + " holds no " + *item.fuel_grade, "policy.fuel_stock");
      }
      ASSIGN_OR_RETURN(Quantity in_stock_unit,
                       q->second.ConvertWithDensity(stock->on_hand.unit(), kNominalFuelDensityKgPerM3));
      auto it = fuel_wanted.find(stock->grade);
      if (it == fuel_wanted.end()) {
        fuel_wanted.emplace(stock->grade, in_stock_unit);
      } else {
        ASSIGN_OR_RETURN(it->second, it->second.Add(in_stock_unit));
      }
      continue;
    }
    // Beds, accommodation places: a bed-day quantity over the line's window
    // needs quantity / days beds at once.
    std::optional<registry::CapacityKind> kind;
    if (item.category == SupportCategory::kMedical && item.unit == UnitOfMeasure::kBedDay) kind = registry::CapacityKind::kBeds;
    if (item.category == SupportCategory::kAccommodation) kind = registry::CapacityKind::kAccommodation;
    if (item.category == SupportCategory::kMaintenance && item.unit == UnitOfMeasure::kBerthDay) {
      kind = registry::CapacityKind::kMaintenanceBays;
    }
    if (kind) {
      auto cap = ctx.facility->capacities.find(*kind);
      const int64_t have = cap == ctx.facility->capacities.end() ? 0 : cap->second;
      const int64_t days = std::max<int64_t>(1, DaysCeil(line.window_start, line.window_end));
      // Places needed at once, rounded up.
      const int64_t need = (q->second.milli() + days * 1000 - 1) / (days * 1000);
      if (need > have) {
        return ResourceExhausted(where + "needs " + std::to_string(need) + " " + std::string(registry::Name(*kind)) +
                                     " at once at " + ctx.facility->code + " from " + line.window_start.DateString() +
                                     "; it has " + std::to_string(have) + " (short by " + std::to_string(need - have) +
                                     ")",
                                 "policy.capacity");
      }
    }
  }
  for (const auto& [grade, wanted] : fuel_wanted) {
    const registry::FuelStock* stock = ctx.facility->FindFuel(grade);
    Quantity available = stock->on_hand;
    auto incoming = ctx.fuel_incoming.find(grade);
    if (incoming != ctx.fuel_incoming.end()) {
      ASSIGN_OR_RETURN(available, available.Add(incoming->second));
    }
    auto reserved = ctx.fuel_reserved.find(grade);
    if (reserved != ctx.fuel_reserved.end()) {
      ASSIGN_OR_RETURN(available, available.Subtract(reserved->second));
    }
    ASSIGN_OR_RETURN(int cmp, wanted.Compare(available));
    if (cmp > 0) {
      ASSIGN_OR_RETURN(Quantity shortfall, wanted.Subtract(available));
      return ResourceExhausted("fuel " + grade + " at " + ctx.facility->code + ": " + wanted.ToString() + " wanted, " +
                                   available.ToString() + " available (on hand " + stock->on_hand.ToString() +
                                   (incoming == ctx.fuel_incoming.end() ? "" : " plus " + incoming->second.ToString() +
                                                                                   " planned in") +
                                   " less approved issues); short by " + shortfall.ToString(),
                               "policy.fuel_stock");
    }
  }
  return OkStatus();
}

}  // namespace relos::orders

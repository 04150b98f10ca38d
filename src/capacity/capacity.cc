#include "relos/capacity/capacity.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "relos/audit/chain.h"
#include "relos/codec/codec.h"
#include "relos/orders/policy.h"

namespace relos::capacity {
namespace {

using registry::CapacityKind;
using registry::SupportCategory;

constexpr char kBerthPrefix[] = "berth:";
constexpr char kFuelPrefix[] = "fuel:";

bool IsBerth(const std::string& resource) { return resource.rfind(kBerthPrefix, 0) == 0; }

std::optional<CapacityKind> CountedKindOf(ResourceKind k) {
  switch (k) {
    case ResourceKind::kAircraftStands: return CapacityKind::kAircraftStands;
    case ResourceKind::kMaintenanceBays: return CapacityKind::kMaintenanceBays;
    case ResourceKind::kBeds: return CapacityKind::kBeds;
    case ResourceKind::kAccommodation: return CapacityKind::kAccommodation;
    default: return std::nullopt;
  }
}

ResourceKind KindOf(CapacityKind k) {
  switch (k) {
    case CapacityKind::kAircraftStands: return ResourceKind::kAircraftStands;
    case CapacityKind::kMaintenanceBays: return ResourceKind::kMaintenanceBays;
    case CapacityKind::kBeds: return ResourceKind::kBeds;
    case CapacityKind::kAccommodation: return ResourceKind::kAccommodation;
  }
  return ResourceKind::kBeds;
}

// The places a bed-day or berth-day line needs at once: its quantity spread
// over the whole days of its window, rounded up.
int64_t PlacesAtOnce(const Quantity& q, Timestamp start, Timestamp end) {
  const int64_t days = std::max<int64_t>(1, DaysCeil(start, end));
  return (q.milli() + days * 1000 - 1) / (days * 1000);
}

// One holder of a resource over [start, end) (end == start for a fuel issue).
struct Span {
  Timestamp start;
  Timestamp end;
  int64_t amount = 0;
  std::string order;
  bool proposed = false;  // one of the demands being placed, not a stored reservation
};

// Maximal runs of time in which the spans together hold more than `capacity`.
struct Run {
  Timestamp from;
  Timestamp to;
  int64_t peak = 0;
  std::set<std::string> orders;
  bool involves_proposed = false;
};

std::vector<Run> OverCapacity(const std::vector<Span>& spans, int64_t capacity) {
  std::vector<Timestamp> bounds;
  for (const auto& s : spans) {
    bounds.push_back(s.start);
    bounds.push_back(s.end);
  }
  std::sort(bounds.begin(), bounds.end());
  bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
  std::vector<Run> runs;
  bool open = false;
  for (size_t i = 0; i + 1 < bounds.size(); ++i) {
    const Timestamp a = bounds[i];
    const Timestamp b = bounds[i + 1];
    int64_t sum = 0;
    for (const auto& s : spans) {
      if (s.start <= a && a < s.end) sum += s.amount;
    }
    if (sum <= capacity) {
      open = false;
      continue;
    }
    if (!open) runs.push_back(Run{a, b});
    open = true;
    Run& r = runs.back();
    r.to = b;
    r.peak = std::max(r.peak, sum);
    for (const auto& s : spans) {
      if (s.start <= a && a < s.end) {
        r.orders.insert(s.order);
        r.involves_proposed = r.involves_proposed || s.proposed;
      }
    }
  }
  return runs;
}

// Most held at once within [from, to).
int64_t PeakWithin(const std::vector<Span>& spans, Timestamp from, Timestamp to) {
  std::vector<Timestamp> bounds{from};
  for (const auto& s : spans) {
    if (from < s.start && s.start < to) bounds.push_back(s.start);
  }
  int64_t peak = 0;
  for (Timestamp a : bounds) {
    int64_t sum = 0;
    for (const auto& s : spans) {
      if (s.start <= a && a < s.end) sum += s.amount;
    }
    peak = std::max(peak, sum);
  }
  return peak;
}

Span SpanOf(const Reservation& r) { return Span{r.start, r.end, r.amount, r.order, false}; }
Span SpanOf(const Demand& d) { return Span{d.start, d.end, d.amount, d.order, true}; }

// The projection of one fuel stock: the stock on hand, then replenishments and
// issues in time order (a replenishment before an issue at the same instant).
struct FuelEvent {
  Timestamp at;
  int64_t change = 0;
  std::string what;
  std::string order;  // for issues
  bool proposed = false;
};

std::vector<FuelEvent> SortedFuelEvents(std::vector<FuelEvent> events) {
  std::stable_sort(events.begin(), events.end(), [](const FuelEvent& a, const FuelEvent& b) {
    return std::make_tuple(a.at, a.change < 0) < std::make_tuple(b.at, b.change < 0);
  });
  return events;
}

// Replenishments at or before `now` are taken to be in the stock on hand.
std::vector<FuelEvent> StoredFuelEvents(const std::vector<FuelReplenishment>& replenishments,
                                        const std::vector<Reservation>& issues, Timestamp now) {
  std::vector<FuelEvent> events;
  for (const auto& r : replenishments) {
    if (now < r.at) events.push_back({r.at, r.amount, "replenishment " + r.id, "", false});
  }
  for (const auto& i : issues) {
    events.push_back({i.start, -i.amount, "order " + i.order + " line " + std::to_string(i.line_no), i.order, false});
  }
  return events;
}

// Runs in which the projected stock is below zero; `capacity` of each is
// the supply (stock on hand and replenishments) up to its deepest point and
// `demand` the issues up to it. Every issue up to the end of a run is involved.
std::vector<Conflict> FuelShortfalls(const std::string& facility, const std::string& grade, int64_t opening,
                                     const std::string& stock_unit, const std::vector<FuelEvent>& events,
                                     bool involving_only) {
  std::vector<Conflict> out;
  int64_t stock = opening;
  int64_t supplied = opening;
  int64_t issued = 0;
  std::set<std::string> orders_so_far;
  bool proposed_so_far = false;
  std::optional<Conflict> run;
  bool involves = false;
  auto close_run = [&](std::optional<Timestamp> recovered) {
    if (!run) return;
    run->to = recovered.value_or(run->from);
    run->orders.assign(orders_so_far.begin(), orders_so_far.end());
    if (involves || !involving_only) out.push_back(*run);
    run.reset();
  };
  for (const auto& e : events) {
    stock += e.change;
    if (e.change > 0) {
      supplied += e.change;
    } else {
      issued -= e.change;
      orders_so_far.insert(e.order);
      proposed_so_far = proposed_so_far || e.proposed;
    }
    if (stock >= 0) {
      close_run(e.at);
      continue;
    }
    if (!run) {
      run = Conflict{facility, kFuelPrefix + grade, ResourceKind::kFuel, e.at, e.at, supplied, issued, stock_unit, {}};
      involves = false;
    }
    involves = involves || proposed_so_far;
    if (issued - supplied > run->shortfall()) {
      run->capacity = supplied;
      run->demand = issued;
    }
  }
  close_run(std::nullopt);
  return out;
}

struct FacilityCache {
  storage::Transaction& txn;
  std::map<std::string, registry::Facility> facilities;
  Result<const registry::Facility*> Get(const std::string& code) {
    auto it = facilities.find(code);
    if (it == facilities.end()) {
      ASSIGN_OR_RETURN(registry::Facility f, txn.GetFacility(code));
      it = facilities.emplace(code, std::move(f)).first;
    }
    return &it->second;
  }
};

const registry::Berth* FindBerth(const registry::Facility& f, const std::string& id) {
  for (const auto& b : f.berths) {
    if (b.id == id) return &b;
  }
  return nullptr;
}

bool Fits(const registry::Berth& b, const Demand& d) {
  return b.length_m >= d.unit_length_m && b.max_draught_m >= d.unit_draught_m;
}

std::string Metres(double m) {
  std::string s = std::to_string(m);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Gives each berth demand of one facility a berth, in order of start time.
Status PlaceBerths(storage::Transaction& txn, const registry::Facility& f, const std::vector<const Demand*>& demands,
                   Placement* out) {
  ReservationFilter all;
  all.facility = f.code;
  ASSIGN_OR_RETURN(std::vector<Reservation> stored, txn.Capacity().ListReservations(all));
  std::map<std::string, std::vector<Span>> held;  // by berth id
  for (const auto& r : stored) {
    if (IsBerth(r.resource)) held[r.resource.substr(sizeof(kBerthPrefix) - 1)].push_back(SpanOf(r));
  }
  std::vector<const Demand*> sorted = demands;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Demand* a, const Demand* b) {
    return std::tie(a->start, a->end) < std::tie(b->start, b->end);
  });
  for (const Demand* d : sorted) {
    if (IsBerth(d->resource)) {
      // Pinned to a berth by a berth plan: that berth or a conflict.
      const std::string id = d->resource.substr(sizeof(kBerthPrefix) - 1);
      const registry::Berth* b = FindBerth(f, id);
      std::set<std::string> occupying{d->order};
      if (b != nullptr) {
        for (const auto& s : held[id]) {
          if (s.start < d->end && d->start < s.end) occupying.insert(s.order);
        }
      }
      if (b == nullptr || !Fits(*b, *d) || occupying.size() > 1) {
        Conflict c{f.code, d->resource, ResourceKind::kBerth, d->start, d->end, b != nullptr && Fits(*b, *d) ? 1 : 0,
                   static_cast<int64_t>(occupying.size()), "", {}};
        c.orders.assign(occupying.begin(), occupying.end());
        out->conflicts.push_back(std::move(c));
        continue;
      }
      held[id].push_back(SpanOf(*d));
      out->reservations.push_back(Reservation{d->order, d->line_no, d->facility, d->resource, d->unit, 1, d->start, d->end});
      continue;
    }
    const registry::Berth* best = nullptr;
    int64_t compatible = 0;
    std::set<std::string> occupying{d->order};
    for (const auto& b : f.berths) {
      if (!Fits(b, *d)) continue;
      ++compatible;
      bool free = true;
      for (const auto& s : held[b.id]) {
        if (s.start < d->end && d->start < s.end) {
          free = false;
          occupying.insert(s.order);
        }
      }
      if (free && (best == nullptr || std::tie(b.length_m, b.max_draught_m, b.id) <
                                          std::tie(best->length_m, best->max_draught_m, best->id))) {
        best = &b;
      }
    }
    if (best == nullptr) {
      Conflict c{f.code, "berth", ResourceKind::kBerth, d->start, d->end, compatible, compatible + 1, "", {}};
      c.orders.assign(occupying.begin(), occupying.end());
      out->conflicts.push_back(std::move(c));
      continue;
    }
    held[best->id].push_back(SpanOf(*d));
    out->reservations.push_back(
        Reservation{d->order, d->line_no, d->facility, kBerthPrefix + best->id, d->unit, 1, d->start, d->end});
  }
  return OkStatus();
}

Status PlaceCounted(storage::Transaction& txn, const registry::Facility& f, ResourceKind kind, const std::string& resource,
                    const std::vector<const Demand*>& demands, bool involving_only, Placement* out) {
  auto cap = f.capacities.find(*CountedKindOf(kind));
  const int64_t capacity = cap == f.capacities.end() ? 0 : cap->second;
  ReservationFilter filter;
  filter.facility = f.code;
  filter.resource = resource;
  ASSIGN_OR_RETURN(std::vector<Reservation> stored, txn.Capacity().ListReservations(filter));
  std::vector<Span> spans;
  for (const auto& r : stored) spans.push_back(SpanOf(r));
  for (const Demand* d : demands) {
    spans.push_back(SpanOf(*d));
    out->reservations.push_back(
        Reservation{d->order, d->line_no, d->facility, resource, d->unit, d->amount, d->start, d->end});
  }
  for (const Run& r : OverCapacity(spans, capacity)) {
    if (involving_only && !r.involves_proposed) continue;
    out->conflicts.push_back(Conflict{f.code, resource, kind, r.from, r.to, capacity, r.peak, "",
                                      std::vector<std::string>(r.orders.begin(), r.orders.end())});
  }
  return OkStatus();
}

Status PlaceFuel(storage::Transaction& txn, const registry::Facility& f, const std::string& resource,
                 const std::vector<const Demand*>& demands, bool involving_only, Timestamp now, Placement* out) {
  const std::string grade = resource.substr(sizeof(kFuelPrefix) - 1);
  const registry::FuelStock* stock = f.FindFuel(grade);
  RELOS_CHECK(stock != nullptr, "fuel demands are made only for stocked grades");
  ReservationFilter filter;
  filter.facility = f.code;
  filter.resource = resource;
  ASSIGN_OR_RETURN(std::vector<Reservation> issues, txn.Capacity().ListReservations(filter));
  ASSIGN_OR_RETURN(std::vector<FuelReplenishment> reps, txn.Capacity().ListReplenishments(f.code, grade));
  std::vector<FuelEvent> events = StoredFuelEvents(reps, issues, now);
  for (const Demand* d : demands) {
    events.push_back({d->start, -d->amount, "order " + d->order, d->order, true});
    out->reservations.push_back(
        Reservation{d->order, d->line_no, d->facility, resource, d->unit, d->amount, d->start, d->end});
  }
  for (auto& c : FuelShortfalls(f.code, grade, stock->on_hand.milli(),
                                std::string(UnitOfMeasureName(stock->on_hand.unit())), SortedFuelEvents(events),
                                involving_only)) {
    out->conflicts.push_back(std::move(c));
  }
  return OkStatus();
}

std::string JoinOrders(const std::vector<std::string>& orders) {
  std::string s;
  for (const auto& o : orders) s += (s.empty() ? "" : ", ") + o;
  return s;
}

}  // namespace

std::string_view Name(ResourceKind k) {
  switch (k) {
    case ResourceKind::kBerth: return "berth";
    case ResourceKind::kAircraftStands: return "aircraft-stands";
    case ResourceKind::kMaintenanceBays: return "maintenance-bays";
    case ResourceKind::kBeds: return "beds";
    case ResourceKind::kAccommodation: return "accommodation";
    case ResourceKind::kFuel: return "fuel";
  }
  return "?";
}

std::string FuelAmountText(int64_t milli, const std::string& unit) {
  auto u = ParseUnitOfMeasure(unit);
  if (!u.ok()) return std::to_string(milli) + " thousandths of " + unit;
  return Quantity(milli, *u).ToString();
}

std::string Conflict::ToString() const {
  auto amount = [&](int64_t v) {
    return kind == ResourceKind::kFuel ? FuelAmountText(v, stock_unit) : std::to_string(v);
  };
  std::string when = from == to ? "from " + from.ToIso8601() + " on" : "from " + from.ToIso8601() + " to " + to.ToIso8601();
  std::string what;
  if (kind == ResourceKind::kFuel) {
    what = resource + " at " + facility + " " + when + ": supply " + amount(capacity) + ", issues " + amount(demand);
  } else if (kind == ResourceKind::kBerth) {
    what = resource + " at " + facility + " " + when + ": " + std::to_string(capacity) +
           (capacity == 1 ? " compatible berth, " : " compatible berths, ") + std::to_string(demand) + " ships";
  } else {
    what = resource + " at " + facility + " " + when + ": capacity " + amount(capacity) + ", asked " + amount(demand);
  }
  return what + ", short by " + amount(shortfall()) + " (orders " + JoinOrders(orders) + ")";
}

Result<std::vector<Demand>> DemandsOf(storage::Transaction& txn, const orders::Order& order, bool approved) {
  ASSIGN_OR_RETURN(registry::Facility f, txn.GetFacility(order.facility));
  ASSIGN_OR_RETURN(registry::Unit u, txn.GetUnit(order.unit));
  auto demand = [&](int64_t line_no, Timestamp start, Timestamp end) {
    Demand d;
    d.order = order.number;
    d.line_no = line_no;
    d.facility = f.code;
    d.unit = u.code;
    d.start = start;
    d.end = end;
    return d;
  };
  std::vector<Demand> out;
  std::optional<Timestamp> first, last;
  for (const auto& line : order.lines) {
    const Quantity q = approved ? line.approved.value_or(Quantity()) : line.requested;
    if (q.is_zero()) continue;
    first = first ? std::min(*first, line.window_start) : line.window_start;
    last = last ? std::max(*last, line.window_end) : line.window_end;
    ASSIGN_OR_RETURN(registry::CatalogItem item, txn.GetCatalogItem(line.item));
    Demand d = demand(line.line_no, line.window_start, line.window_end);
    if (item.category == SupportCategory::kFuel && item.fuel_grade) {
      const registry::FuelStock* stock = f.FindFuel(*item.fuel_grade);
      if (stock == nullptr) continue;
      auto in_stock_unit = q.ConvertWithDensity(stock->on_hand.unit(), orders::kNominalFuelDensityKgPerM3);
      if (!in_stock_unit.ok()) {
        return FailedPrecondition("order " + order.number + " line " + std::to_string(line.line_no) + ": " +
                                      q.ToString() + " cannot be taken from a stock kept in " +
                                      std::string(UnitOfMeasureName(stock->on_hand.unit())),
                                  "capacity.fuel_unit");
      }
      d.kind = ResourceKind::kFuel;
      d.resource = kFuelPrefix + stock->grade;
      d.amount = in_stock_unit->milli();
      d.end = d.start;
    } else if (item.category == SupportCategory::kBerthing && item.unit == UnitOfMeasure::kBerthDay) {
      if (f.berths.empty()) continue;
      d.kind = ResourceKind::kBerth;
      d.resource = "berth";
      d.amount = 1;
      d.unit_length_m = u.length_m;
      d.unit_draught_m = u.draught_m;
    } else {
      std::optional<CapacityKind> kind;
      if (item.category == SupportCategory::kMaintenance && item.unit == UnitOfMeasure::kBerthDay) {
        kind = CapacityKind::kMaintenanceBays;
      } else if (item.category == SupportCategory::kMedical && item.unit == UnitOfMeasure::kBedDay) {
        kind = CapacityKind::kBeds;
      } else if (item.category == SupportCategory::kAccommodation && item.unit == UnitOfMeasure::kBedDay) {
        kind = CapacityKind::kAccommodation;
      }
      if (!kind || !f.capacities.count(*kind)) continue;
      d.kind = KindOf(*kind);
      d.resource = std::string(registry::Name(*kind));
      d.amount = PlacesAtOnce(q, d.start, d.end);
    }
    out.push_back(std::move(d));
  }
  if (u.kind == registry::UnitKind::kAircraft && first && f.capacities.count(CapacityKind::kAircraftStands)) {
    Demand d = demand(0, *first, *last);
    d.kind = ResourceKind::kAircraftStands;
    d.resource = std::string(registry::Name(CapacityKind::kAircraftStands));
    d.amount = 1;
    out.push_back(std::move(d));
  }
  return out;
}

Result<Placement> Place(storage::Transaction& txn, const std::vector<Demand>& demands, bool involving_only,
                        Timestamp now) {
  // Group by facility and resource; berths by facility alone, since any
  // compatible berth will do.
  std::map<std::pair<std::string, std::string>, std::vector<const Demand*>> groups;
  for (const auto& d : demands) groups[{d.facility, d.kind == ResourceKind::kBerth ? "berth" : d.resource}].push_back(&d);
  FacilityCache cache{txn, {}};
  Placement out;
  for (const auto& [key, group] : groups) {
    ASSIGN_OR_RETURN(const registry::Facility* f, cache.Get(key.first));
    const ResourceKind kind = group.front()->kind;
    if (kind == ResourceKind::kBerth) {
      RETURN_IF_ERROR(PlaceBerths(txn, *f, group, &out));
    } else if (kind == ResourceKind::kFuel) {
      RETURN_IF_ERROR(PlaceFuel(txn, *f, key.second, group, involving_only, now, &out));
    } else {
      RETURN_IF_ERROR(PlaceCounted(txn, *f, kind, key.second, group, involving_only, &out));
    }
  }
  std::sort(out.conflicts.begin(), out.conflicts.end(), [](const Conflict& a, const Conflict& b) {
    return std::tie(a.facility, a.resource, a.from) < std::tie(b.facility, b.resource, b.from);
  });
  return out;
}

Status Reserve(storage::Transaction& txn, const orders::Order& order, Timestamp now) {
  ASSIGN_OR_RETURN(std::vector<Demand> demands, DemandsOf(txn, order, /*approved=*/true));
  if (demands.empty()) return OkStatus();
  ASSIGN_OR_RETURN(Placement p, Place(txn, demands, /*involving_only=*/true, now));
  if (!p.conflicts.empty()) {
    std::string message = "capacity: order " + order.number + " does not fit: ";
    for (size_t i = 0; i < p.conflicts.size(); ++i) message += (i ? "; " : "") + p.conflicts[i].ToString();
    return ResourceExhausted(message, "capacity.exhausted");
  }
  for (const auto& r : p.reservations) RETURN_IF_ERROR(txn.Capacity().InsertReservation(r));
  return OkStatus();
}

Status Release(storage::Transaction& txn, const std::string& order_number, Held what) {
  ReservationFilter f;
  f.order = order_number;
  ASSIGN_OR_RETURN(std::vector<Reservation> held, txn.Capacity().ListReservations(f));
  for (const auto& r : held) {
    const bool fuel = r.resource.rfind(kFuelPrefix, 0) == 0;
    if ((what == Held::kFuelIssues && !fuel) || (what == Held::kPlaces && fuel)) continue;
    RETURN_IF_ERROR(txn.Capacity().DeleteReservation(r.order, r.line_no, r.resource));
  }
  return OkStatus();
}

Status CapacityObserver::OnTransition(storage::Transaction& txn, orders::Action action, const orders::Order&,
                                      const orders::Order& after, const orders::Actor&) {
  switch (action) {
    case orders::Action::kApprove:
      return Reserve(txn, after, after.updated_at);
    case orders::Action::kDeliver:
      return Release(txn, after.number, Held::kFuelIssues);
    case orders::Action::kClose:
      return Release(txn, after.number, Held::kPlaces);
    case orders::Action::kCancel:
      return Release(txn, after.number, Held::kAll);
    default:
      return OkStatus();
  }
}

Result<FacilityUsage> UsageOf(storage::Transaction& txn, const std::string& facility, Timestamp from, Timestamp to,
                              Timestamp now) {
  if (!(from < to)) return InvalidArgument("to: must be after from", "to");
  ASSIGN_OR_RETURN(registry::Facility f, txn.GetFacility(facility));
  FacilityUsage out{f.code, from, to, {}};
  ReservationFilter window;
  window.facility = f.code;
  window.from = from;
  window.to = to;
  ASSIGN_OR_RETURN(std::vector<Reservation> overlapping, txn.Capacity().ListReservations(window));
  auto held = [&](const std::string& resource) {
    std::vector<Reservation> out;
    for (const auto& r : overlapping) {
      if (r.resource == resource && Overlaps(r, from, to)) out.push_back(r);
    }
    return out;
  };
  auto peak = [&](const std::vector<Reservation>& rs) {
    std::vector<Span> spans;
    for (const auto& r : rs) spans.push_back(SpanOf(r));
    return PeakWithin(spans, from, to);
  };
  for (const auto& b : f.berths) {
    ResourceUsage u{kBerthPrefix + b.id, ResourceKind::kBerth, 1, Metres(b.length_m) + " m, " + Metres(b.max_draught_m) + " m draught"};
    u.held = held(u.resource);
    u.peak = peak(u.held);
    out.resources.push_back(std::move(u));
  }
  for (const auto& [kind, places] : f.capacities) {
    ResourceUsage u{std::string(registry::Name(kind)), KindOf(kind), places, ""};
    u.held = held(u.resource);
    u.peak = peak(u.held);
    out.resources.push_back(std::move(u));
  }
  for (const auto& s : f.fuel) {
    const std::string unit(UnitOfMeasureName(s.on_hand.unit()));
    ResourceUsage u{kFuelPrefix + s.grade, ResourceKind::kFuel, s.on_hand.milli(), unit};
    u.held = held(u.resource);
    ReservationFilter issues_filter;
    issues_filter.facility = f.code;
    issues_filter.resource = u.resource;
    ASSIGN_OR_RETURN(std::vector<Reservation> issues, txn.Capacity().ListReservations(issues_filter));
    ASSIGN_OR_RETURN(std::vector<FuelReplenishment> reps, txn.Capacity().ListReplenishments(f.code, s.grade));
    int64_t stock = s.on_hand.milli();
    u.stock.push_back({now, stock, stock, "on hand"});
    for (const auto& e : SortedFuelEvents(StoredFuelEvents(reps, issues, now))) {
      stock += e.change;
      u.stock.push_back({e.at, e.change, stock, e.what});
    }
    out.resources.push_back(std::move(u));
  }
  return out;
}

std::string CanonicalJson(const FuelReplenishment& r) {
  return codec::Canonical(codec::Json{{"id", r.id},
                                      {"facility", r.facility},
                                      {"grade", r.grade},
                                      {"amount", r.amount},
                                      {"at", r.at.ToIso8601()},
                                      {"note", r.note}});
}

Status AddReplenishment(storage::Transaction& txn, const orders::Actor& actor, const FuelReplenishment& r,
                        const Quantity& quantity, Timestamp now) {
  if (r.id.empty()) return InvalidArgument("id: is required", "id");
  ASSIGN_OR_RETURN(registry::Facility f, txn.GetFacility(r.facility));
  if (actor.party != f.owner ||
      (actor.role != orders::Role::kLogisticsOfficer && actor.role != orders::Role::kAdmin)) {
    return PermissionDenied("only a logistics officer or admin of " + f.owner + " plans replenishments at " + f.code,
                            "capacity.role");
  }
  const registry::FuelStock* stock = f.FindFuel(r.grade);
  if (stock == nullptr) {
    return InvalidArgument("grade: " + f.code + " keeps no stock of " + r.grade, "grade");
  }
  if (quantity.is_zero()) return InvalidArgument("quantity: must be more than zero", "quantity");
  auto amount = quantity.ConvertWithDensity(stock->on_hand.unit(), orders::kNominalFuelDensityKgPerM3);
  if (!amount.ok()) return InvalidArgument("quantity: " + amount.status().message(), "quantity");
  FuelReplenishment stored = r;
  stored.amount = amount->milli();
  RETURN_IF_ERROR(txn.Capacity().InsertReplenishment(stored));
  return audit::Append(txn, orders::DraftFor(actor, now, "capacity.replenishment", "replenishment/" + r.id,
                                             CanonicalJson(stored)))
      .status();
}

}  // namespace relos::capacity

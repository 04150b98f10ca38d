#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <tuple>

#include "relos/audit/chain.h"
#include "relos/berth/solver.h"
#include "relos/exercise/exercise.h"
#include "relos/ledger/ledger.h"

namespace relos::exercise {
namespace {

using orders::Actor;
using orders::Role;

Status Bad(const std::string& field_path, const std::string& field, const std::string& why) {
  return InvalidArgument(field_path + ": " + why, field);
}

bool ValidCode(const std::string& code) {
  if (code.empty() || code.size() > 40) return false;
  return std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isupper(c) || std::isdigit(c) || c == '-'; });
}

bool Contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool IsBerthing(const registry::CatalogItem& item) {
  return item.category == registry::SupportCategory::kBerthing && item.unit == UnitOfMeasure::kBerthDay;
}

// The checks Create and Update share; `txn` reads the registry.
Status Validate(storage::Transaction& txn, const Actor& actor, const Exercise& e) {
  if (!ValidCode(e.code)) return Bad("code", "code", "must be 1-40 upper-case letters, digits or '-', got '" + e.code + "'");
  if (e.name.empty()) return Bad("name", "name", "is required");
  if (!(e.start < e.end)) return Bad("end", "end", "must be after start");
  if (e.parties.empty()) return Bad("parties", "parties", "at least one party takes part");
  if (!Contains(e.parties, actor.party) ||
      (actor.role != Role::kRequester && actor.role != Role::kLogisticsOfficer && actor.role != Role::kAdmin)) {
    return PermissionDenied("only a requester, logistics officer or admin of a party taking part (" +
                                [&] {
                                  std::string s;
                                  for (const auto& p : e.parties) s += (s.empty() ? "" : ", ") + p;
                                  return s;
                                }() +
                                ") plans exercise " + e.code,
                            "exercise.role");
  }
  for (const auto& p : e.parties) RETURN_IF_ERROR(txn.GetParty(p).status());
  ASSIGN_OR_RETURN(registry::Agreement ag, txn.GetAgreement(e.agreement));
  for (const auto& p : e.parties) {
    if (!ag.Binds(p)) {
      return FailedPrecondition("agreement " + ag.code + " does not bind party " + p, "exercise.agreement");
    }
  }
  if (!ag.terms.eligible_purposes.count(e.purpose)) {
    return FailedPrecondition("agreement " + ag.code + " does not cover the purpose " +
                                  std::string(registry::Name(e.purpose)),
                              "exercise.purpose");
  }
  std::map<std::string, registry::Unit> units;
  for (size_t i = 0; i < e.units.size(); ++i) {
    ASSIGN_OR_RETURN(registry::Unit u, txn.GetUnit(e.units[i]));
    if (!Contains(e.parties, u.owner)) {
      return FailedPrecondition("units[" + std::to_string(i) + "]: " + u.code + " belongs to " + u.owner +
                                    ", which does not take part",
                                "exercise.unit_owner");
    }
    units.emplace(u.code, u);
  }
  for (size_t i = 0; i < e.facilities.size(); ++i) {
    ASSIGN_OR_RETURN(registry::Facility f, txn.GetFacility(e.facilities[i]));
    if (!Contains(e.parties, f.owner)) {
      return FailedPrecondition("facilities[" + std::to_string(i) + "]: " + f.code + " belongs to " + f.owner +
                                    ", which does not take part",
                                "exercise.facility_owner");
    }
  }
  for (size_t i = 0; i < e.calls.size(); ++i) {
    const PortCall& c = e.calls[i];
    const std::string at = "calls[" + std::to_string(i) + "]";
    if (!units.count(c.unit)) return Bad(at + ".unit", "unit", c.unit + " is not one of the exercise's units");
    if (!Contains(e.facilities, c.facility)) {
      return Bad(at + ".facility", "facility", c.facility + " is not one of the exercise's facilities");
    }
    if (!(c.arrive < c.depart)) return Bad(at + ".depart", "depart", "must be after arrive");
    if (c.arrive < e.start || e.end < c.depart) return Bad(at + ".arrive", "arrive", "the stay must lie within the exercise's period");
    if (c.latest_departure && *c.latest_departure < c.depart) {
      return Bad(at + ".latest_departure", "latest_departure", "must not be before depart");
    }
    if (c.priority < 1) return Bad(at + ".priority", "priority", "must be >= 1");
    for (size_t k = 0; k < c.lines.size(); ++k) {
      const PlannedLine& l = c.lines[k];
      const std::string lat = at + ".lines[" + std::to_string(k) + "]";
      RETURN_IF_ERROR(txn.GetCatalogItem(l.item).status());
      if (l.quantity.is_zero()) return Bad(lat + ".quantity", "quantity", "must be more than zero");
      const Timestamp s = l.start.value_or(c.arrive);
      const Timestamp t = l.end.value_or(c.depart);
      if (!(s < t)) return Bad(lat + ".end", "end", "must be after start");
    }
  }
  return OkStatus();
}

capacity::ExerciseRow RowOf(const Exercise& e) {
  return capacity::ExerciseRow{e.code, std::string(Name(e.status)), e.start, e.end, e.version, ToJsonText(e)};
}

Result<Exercise> Load(storage::Transaction& txn, const std::string& code) {
  ASSIGN_OR_RETURN(std::optional<capacity::ExerciseRow> row, txn.Exercises().FindExercise(code));
  if (!row) return NotFound("exercise '" + code + "' not found", "exercise.not_found");
  auto e = ExerciseFromJsonText(row->body, "exercise " + code);
  if (!e.ok()) return DataLoss(e.status().message(), "storage.corrupt");
  return e;
}

int64_t HoursFloor(Timestamp from, Timestamp to) { return (to.unix_seconds() - from.unix_seconds()) / kSecondsPerHour; }
int64_t HoursCeil(Timestamp from, Timestamp to) {
  return (to.unix_seconds() - from.unix_seconds() + kSecondsPerHour - 1) / kSecondsPerHour;
}

std::string CallKey(const Exercise& e, int call) { return "exercise:" + e.code + ":call:" + std::to_string(call + 1); }

// The berth plan of one facility: every call there with a berthing line is
// a ship of the instance, in hours from the exercise's start.
// A ship that fits no berth is left out (the conflict report names it).
FacilityBerthPlan PlanBerths(const Exercise& e, const registry::Facility& f, const std::vector<int>& candidates,
                             const std::map<std::string, registry::Unit>& units, const PlanOptions& options) {
  FacilityBerthPlan plan;
  plan.facility = f.code;
  for (const auto& b : f.berths) plan.berths.push_back(b.id);
  std::vector<int> calls;
  for (int i : candidates) {
    const registry::Unit& u = units.at(e.calls[i].unit);
    if (std::any_of(f.berths.begin(), f.berths.end(), [&](const registry::Berth& b) {
          return b.length_m >= u.length_m && b.max_draught_m >= u.draught_m;
        })) {
      calls.push_back(i);
    }
  }
  if (calls.empty()) {
    plan.problem = "no ship calling at " + f.code + " fits any of its berths";
    return plan;
  }
  berth::Instance in;
  int64_t horizon = HoursCeil(e.start, e.end);
  std::vector<int64_t> handling;
  for (int i : calls) {
    const PortCall& c = e.calls[i];
    const registry::Unit& u = units.at(c.unit);
    // Whole hours from the exercise's start, rounded up so that no ship is
    // put alongside before it may arrive.
    in.arrival.push_back(std::max<int64_t>(0, HoursCeil(e.start, c.arrive)));
    handling.push_back(std::max<int64_t>(1, HoursCeil(c.arrive, c.depart)));
    const int64_t latest = HoursFloor(e.start, c.latest_departure.value_or(e.end));
    in.latest_departure.push_back(std::max(latest, in.arrival.back() + handling.back()));
    horizon = std::max(horizon, in.latest_departure.back());
    in.weight.push_back(c.priority);
    std::vector<int64_t> row;
    for (const auto& b : f.berths) {
      const bool fits = b.length_m >= u.length_m && b.max_draught_m >= u.draught_m;
      row.push_back(fits ? handling.back() : berth::kForbiddenHandling);
    }
    in.handling.push_back(std::move(row));
  }
  in.berth_open.assign(f.berths.size(), 0);
  in.berth_close.assign(f.berths.size(), horizon);
  berth::SolveOptions so;
  so.time_limit_seconds = options.berth_time_limit_seconds;
  auto solved = berth::SolveBerthAllocation(in, so);
  if (!solved.ok()) {
    plan.problem = solved.status().message();
    return plan;
  }
  plan.objective = solved->objective;
  plan.lower_bound = solved->lower_bound;
  plan.proven_optimal = solved->proven_optimal;
  plan.method = solved->method;
  for (size_t k = 0; k < calls.size(); ++k) {
    const auto& a = solved->schedule.ships[k];
    BerthSlot s;
    s.call = calls[k];
    s.unit = e.calls[calls[k]].unit;
    s.berth = f.berths[a.berth].id;
    s.start = e.start.PlusSeconds(a.start * kSecondsPerHour);
    s.end = s.start.PlusSeconds(handling[k] * kSecondsPerHour);
    s.delay_hours = a.start - in.arrival[k];
    plan.slots.push_back(s);
  }
  std::sort(plan.slots.begin(), plan.slots.end(), [&](const BerthSlot& a, const BerthSlot& b) {
    return std::make_tuple(std::find(plan.berths.begin(), plan.berths.end(), a.berth), a.start) <
           std::make_tuple(std::find(plan.berths.begin(), plan.berths.end(), b.berth), b.start);
  });
  return plan;
}

}  // namespace

ExerciseService::ExerciseService(storage::Store& store, const Clock& clock, orders::OrderService& orders)
    : store_(store), clock_(clock), orders_(orders) {}

Result<Exercise> ExerciseService::Store(const Actor& actor, Exercise e, bool create,
                                       std::optional<int64_t> expected_version) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  RETURN_IF_ERROR(Validate(*txn, actor, e));
  ASSIGN_OR_RETURN(std::optional<capacity::ExerciseRow> existing, txn->Exercises().FindExercise(e.code));
  const Timestamp now = clock_.Now();
  if (create) {
    if (existing) return AlreadyExists("exercise '" + e.code + "' already exists", "exercise.exists");
    e.status = ExerciseStatus::kPlanned;
    e.version = 1;
    e.created_at = now;
  } else {
    if (!existing) return NotFound("exercise '" + e.code + "' not found", "exercise.not_found");
    ASSIGN_OR_RETURN(Exercise old, Load(*txn, e.code));
    if (expected_version && *expected_version != old.version) {
      return Aborted("exercise '" + e.code + "' is at version " + std::to_string(old.version) + ", not " +
                         std::to_string(*expected_version) + ": read it again",
                     "exercise.stale");
    }
    e.version = old.version + 1;
    e.created_at = old.created_at;
  }
  e.updated_at = now;
  const capacity::ExerciseRow row = RowOf(e);
  RETURN_IF_ERROR(txn->Exercises().PutExercise(row));
  RETURN_IF_ERROR(audit::Append(*txn, orders::DraftFor(actor, now, create ? "exercise.created" : "exercise.updated",
                                                       "exercise/" + e.code, row.body))
                      .status());
  RETURN_IF_ERROR(txn->Commit());
  return e;
}

Result<Exercise> ExerciseService::Create(const Actor& actor, const Exercise& exercise) {
  return Store(actor, exercise, true);
}

Result<Exercise> ExerciseService::Update(const Actor& actor, const Exercise& exercise) {
  return Store(actor, exercise, false);
}

Result<Exercise> ExerciseService::SetStatus(const Actor& actor, const std::string& code, ExerciseStatus status,
                                           std::optional<int64_t> expected_version) {
  Exercise e;
  {
    ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
    ASSIGN_OR_RETURN(e, Load(*txn, code));
  }
  e.status = status;
  // The version read above, if the caller named none: a change in between
  // (a new plan) is then refused rather than overwritten with the old one.
  return Store(actor, e, false, expected_version.value_or(e.version));
}

Result<Exercise> ExerciseService::Get(const std::string& code) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  return Load(*txn, code);
}

Result<std::vector<Exercise>> ExerciseService::List() {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  ASSIGN_OR_RETURN(auto rows, txn->Exercises().ListExercises());
  std::vector<Exercise> out;
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(Exercise e, Load(*txn, r.code));
    out.push_back(std::move(e));
  }
  return out;
}

Result<ExercisePlan> ExerciseService::Plan(const std::string& code, const PlanOptions& options) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  ExercisePlan plan;
  ASSIGN_OR_RETURN(plan.exercise, Load(*txn, code));
  const Exercise& e = plan.exercise;
  std::map<std::string, registry::Unit> units;
  std::map<std::string, registry::CatalogItem> items;
  for (const auto& c : e.calls) {
    if (!units.count(c.unit)) {
      ASSIGN_OR_RETURN(registry::Unit u, txn->GetUnit(c.unit));
      units.emplace(c.unit, std::move(u));
    }
    for (const auto& l : c.lines) {
      if (items.count(l.item)) continue;
      ASSIGN_OR_RETURN(registry::CatalogItem item, txn->GetCatalogItem(l.item));
      items.emplace(l.item, std::move(item));
    }
  }

  // Berths: one optimisation per facility over the ships calling there.
  std::map<int, BerthSlot> slot_of_call;
  for (const auto& fc : e.facilities) {
    std::vector<int> calls;
    for (size_t i = 0; i < e.calls.size(); ++i) {
      const PortCall& c = e.calls[i];
      if (c.facility != fc || units.at(c.unit).kind != registry::UnitKind::kShip) continue;
      if (std::any_of(c.lines.begin(), c.lines.end(), [&](const PlannedLine& l) { return IsBerthing(items.at(l.item)); })) {
        calls.push_back(static_cast<int>(i));
      }
    }
    if (calls.empty()) continue;
    ASSIGN_OR_RETURN(registry::Facility f, txn->GetFacility(fc));
    FacilityBerthPlan bp = PlanBerths(e, f, calls, units, options);
    for (const auto& s : bp.slots) slot_of_call[s.call] = s;
    plan.berth_plans.push_back(std::move(bp));
  }

  // Orders, with every line that follows the call's stay moved with its slot.
  std::vector<capacity::Demand> demands;
  for (size_t i = 0; i < e.calls.size(); ++i) {
    const PortCall& c = e.calls[i];
    PlannedOrder po;
    po.call = static_cast<int>(i);
    po.label = e.code + "/" + std::to_string(i + 1);
    po.requester = units.at(c.unit).owner;
    po.request.agreement = e.agreement;
    po.request.unit = c.unit;
    po.request.facility = c.facility;
    po.request.purpose = e.purpose;
    po.request.settlement = registry::SettlementMode::kCash;
    po.request.exercise = e.code;
    po.request.idempotency_key = CallKey(e, po.call);
    auto slot = slot_of_call.find(po.call);
    const Timestamp stay_start = slot == slot_of_call.end() ? c.arrive : slot->second.start;
    const Timestamp stay_end = slot == slot_of_call.end() ? c.depart : slot->second.end;
    orders::Order proposed;
    proposed.number = po.label;
    proposed.unit = c.unit;
    proposed.facility = c.facility;
    for (size_t k = 0; k < c.lines.size(); ++k) {
      const PlannedLine& l = c.lines[k];
      orders::LineRequest lr{l.item, l.quantity, l.start.value_or(stay_start), l.end.value_or(stay_end), l.note, ""};
      orders::OrderLine line;
      line.line_no = static_cast<int>(k + 1);
      line.item = l.item;
      line.requested = l.quantity;
      line.window_start = lr.window_start;
      line.window_end = lr.window_end;
      proposed.lines.push_back(line);
      po.request.lines.push_back(std::move(lr));
    }
    // A call whose order is already approved holds its capacity already.
    ASSIGN_OR_RETURN(std::optional<orders::Order> existing,
                     txn->FindOrderByIdempotencyKey(po.requester, po.request.idempotency_key));
    const bool reserved = existing && existing->state != orders::OrderState::kDraft &&
                          existing->state != orders::OrderState::kSubmitted &&
                          existing->state != orders::OrderState::kRejected &&
                          existing->state != orders::OrderState::kCancelled;
    if (!reserved) {
      ASSIGN_OR_RETURN(std::vector<capacity::Demand> ds, capacity::DemandsOf(*txn, proposed, /*approved=*/false));
      for (auto& d : ds) {
        if (d.kind == capacity::ResourceKind::kBerth && slot != slot_of_call.end()) d.resource = "berth:" + slot->second.berth;
        demands.push_back(std::move(d));
      }
    }
    plan.orders.push_back(std::move(po));
  }
  ASSIGN_OR_RETURN(capacity::Placement placed, capacity::Place(*txn, demands, /*involving_only=*/true, clock_.Now()));
  plan.conflicts = std::move(placed.conflicts);
  return plan;
}

Result<CreatedOrders> ExerciseService::CreateOrders(const Actor& actor, const ExercisePlan& plan, bool submit) {
  CreatedOrders out;
  for (const auto& po : plan.orders) {
    if (po.requester != actor.party) {
      out.skipped.push_back(po.label + ": " + po.request.unit + " belongs to " + po.requester);
      continue;
    }
    auto created = orders_.Create(actor, po.request);
    if (!created.ok()) return created.status().WithContext(po.label);
    orders::Order o = std::move(*created);
    if (submit && o.state == orders::OrderState::kDraft) {
      auto submitted = orders_.Submit(actor, o.id);
      if (!submitted.ok()) return submitted.status().WithContext(po.label + " (" + o.number + ")");
      o = std::move(*submitted);
    }
    out.created.push_back(std::move(o));
  }
  return out;
}

Result<ExerciseSummary> ExerciseService::Summary(const Actor& actor, const std::string& code) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  ExerciseSummary s;
  ASSIGN_OR_RETURN(s.exercise, Load(*txn, code));
  storage::OrderFilter f;
  f.involving_party = actor.party;
  f.limit = INT64_MAX;
  ASSIGN_OR_RETURN(std::vector<orders::Order> all, txn->ListOrders(f));
  for (auto& o : all) {
    if (o.exercise != code) continue;
    s.order_states[std::string(orders::Name(o.state))] += 1;
    for (const auto& l : o.lines) {
      if (l.approved && l.unit_price) s.costs.quoted[l.unit_price->currency().code()] += ledger::ExtendedPrice(*l.approved, *l.unit_price);
    }
    ASSIGN_OR_RETURN(ledger::OrderBalance b, ledger::BalanceOfOrder(*txn, o.number));
    for (const auto& [unit, amount] : b.outstanding) s.costs.outstanding[unit] += amount;
    for (const auto& [unit, amount] : b.pending) s.costs.pending[unit] += amount;
    s.orders.push_back(std::move(o));
  }
  return s;
}

}  // namespace relos::exercise

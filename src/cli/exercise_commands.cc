// `relos exercise create|list|show|status|plan|orders` and
// `relos capacity show|conflicts|replenish`: exercises and operations, their
// berth plans and support orders, and the capacity of facilities over time.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "cli/commands.h"
#include "cli/output.h"
#include "relos/capacity/capacity.h"
#include "relos/capacity/capacity_json.h"
#include "relos/exercise/exercise.h"
#include "relos/exercise/exercise_json.h"

namespace relos::cli {
namespace {

using capacity::Conflict;
using capacity::ConflictsJson;
using codec::Json;
using exercise::Exercise;
using exercise::ExercisePlan;
using exercise::ExerciseJson;
using exercise::ExerciseService;
using exercise::PlanJson;

struct Services {
  orders::Actor actor;
  storage::Store* store = nullptr;
  const Clock* clock = nullptr;
  std::unique_ptr<orders::OrderService> orders;
  std::unique_ptr<ExerciseService> exercises;
};

Result<Services> Open(CliContext& ctx, bool need_actor) {
  Services s;
  if (need_actor) {
    ASSIGN_OR_RETURN(s.actor, ctx.Actor());
  }
  ASSIGN_OR_RETURN(s.store, ctx.Store());
  ASSIGN_OR_RETURN(s.clock, ctx.GetClock());
  s.orders = NewOrderService(*s.store, *s.clock);
  s.exercises = std::make_unique<ExerciseService>(*s.store, *s.clock, *s.orders);
  return s;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

void PrintConflicts(std::ostream& out, const std::vector<Conflict>& cs) {
  if (cs.empty()) {
    out << "Conflicts: none\n";
    return;
  }
  out << "Conflicts (" << cs.size() << "):\n";
  for (const auto& c : cs) out << "  " << c.ToString() << "\n";
}

void PrintExercise(std::ostream& out, const Exercise& e) {
  out << fmt::format("Exercise {}  \"{}\"  ({}, {}, version {})\n", e.code, e.name, registry::Name(e.purpose),
                     exercise::Name(e.status), e.version);
  if (!e.description.empty()) out << "  " << e.description << "\n";
  out << fmt::format("  period      {} .. {}\n", e.start.ToIso8601(), e.end.ToIso8601());
  out << fmt::format("  agreement   {}   parties {}\n", e.agreement, Join(e.parties));
  out << fmt::format("  units       {}\n", Join(e.units));
  out << fmt::format("  facilities  {}\n", Join(e.facilities));
  std::vector<std::vector<std::string>> rows = {{"  call", "unit", "facility", "arrive", "depart", "priority", "lines"}};
  for (size_t i = 0; i < e.calls.size(); ++i) {
    const auto& c = e.calls[i];
    std::vector<std::string> lines;
    for (const auto& l : c.lines) lines.push_back(l.item + " " + l.quantity.ToString());
    rows.push_back({"  " + std::to_string(i + 1), c.unit, c.facility, c.arrive.ToIso8601(), c.depart.ToIso8601(),
                    std::to_string(c.priority), Join(lines)});
  }
  PrintTable(out, rows);
}

}  // namespace

void PrintExercisePlan(std::ostream& out, const ExercisePlan& p) {
  const Exercise& e = p.exercise;
  out << fmt::format("Plan of exercise {} ({} .. {})\n", e.code, e.start.ToIso8601(), e.end.ToIso8601());
  for (const auto& bp : p.berth_plans) {
    out << "\nBerths at " << bp.facility << ": ";
    if (!bp.problem.empty()) {
      out << "no schedule: " << bp.problem << "\n";
      continue;
    }
    out << fmt::format("total time in port {} h (lower bound {} h{}), by {}\n", bp.objective, bp.lower_bound,
                       bp.proven_optimal ? ", proven optimal" : "", bp.method);
    std::vector<GanttBar> bars;
    for (const auto& s : bp.slots) {
      bars.push_back({s.berth, s.unit + " (" + p.orders[s.call].label + ")", s.start, s.end});
    }
    PrintBerthGantt(out, bp.berths, bars, e.start, e.end);
    std::vector<std::vector<std::string>> rows = {{"  call", "unit", "berth", "alongside", "leaves", "delay"}};
    for (const auto& s : bp.slots) {
      rows.push_back({"  " + std::to_string(s.call + 1), s.unit, s.berth, s.start.ToIso8601(), s.end.ToIso8601(),
                      std::to_string(s.delay_hours) + " h"});
    }
    PrintTable(out, rows);
  }
  out << "\nOrders (" << p.orders.size() << "):\n";
  std::vector<std::vector<std::string>> rows = {{"  order", "requester", "unit", "facility", "lines"}};
  for (const auto& po : p.orders) {
    std::vector<std::string> lines;
    for (const auto& l : po.request.lines) {
      lines.push_back(fmt::format("{} {} {}..{}", l.item, l.quantity.ToString(), l.window_start.ToIso8601(),
                                  l.window_end.ToIso8601()));
    }
    rows.push_back({"  " + po.label, po.requester, po.request.unit, po.request.facility, Join(lines, "; ")});
  }
  PrintTable(out, rows);
  out << "\n";
  PrintConflicts(out, p.conflicts);
}

namespace {

std::string MoneyMapText(const std::map<std::string, int64_t>& m) {
  std::vector<std::string> parts;
  for (const auto& [unit, amount] : m) parts.push_back(exercise::AmountText(amount, unit));
  return parts.empty() ? "none" : Join(parts);
}

struct CreateOptions {
  std::string file;
  bool replace = false;
};

struct PlanOptions {
  std::string code;
  double time_limit = 10;
  bool create_orders = false;
  bool submit = false;
};

struct UsageOptions {
  std::string facility, from, to;
};

struct ConflictOptions {
  std::string exercise, facility;
  std::vector<std::string> states{"draft", "submitted"};
  std::vector<std::string> orders;
  double time_limit = 10;
};

struct ReplenishOptions {
  std::string id, facility, grade, quantity, at, note;
};

Status RunCreate(CliContext& ctx, const CreateOptions& o) {
  ASSIGN_OR_RETURN(Services s, Open(ctx, true));
  ASSIGN_OR_RETURN(std::string text, ReadInputFile(o.file));
  const bool yaml = EndsWith(o.file, ".yaml") || EndsWith(o.file, ".yml");
  if (!yaml && !EndsWith(o.file, ".json")) return InvalidArgument(o.file + ": must end in .json, .yaml or .yml", "file");
  ASSIGN_OR_RETURN(Exercise e, exercise::ParseExerciseFile(text, yaml, o.file));
  ASSIGN_OR_RETURN(Exercise stored, o.replace ? s.exercises->Update(s.actor, e) : s.exercises->Create(s.actor, e));
  if (ctx.json) {
    PrintJson(*ctx.out, ExerciseJson(stored));
  } else {
    *ctx.out << fmt::format("Exercise {} {} (version {}): {} units, {} facilities, {} calls.\n", stored.code,
                            o.replace ? "updated" : "created", stored.version, stored.units.size(),
                            stored.facilities.size(), stored.calls.size());
  }
  return OkStatus();
}

Status RunPlan(CliContext& ctx, const PlanOptions& o) {
  ASSIGN_OR_RETURN(Services s, Open(ctx, o.create_orders));
  exercise::PlanOptions po;
  po.berth_time_limit_seconds = o.time_limit;
  ASSIGN_OR_RETURN(ExercisePlan plan, s.exercises->Plan(o.code, po));
  std::optional<exercise::CreatedOrders> created;
  if (o.create_orders) {
    ASSIGN_OR_RETURN(created, s.exercises->CreateOrders(s.actor, plan, o.submit));
  }
  if (ctx.json) {
    Json j = PlanJson(plan);
    if (created) j.update(exercise::CreatedOrdersJson(*created));
    PrintJson(*ctx.out, j);
    return OkStatus();
  }
  PrintExercisePlan(*ctx.out, plan);
  if (created) {
    *ctx.out << "\nOrders created (" << created->created.size() << "):\n";
    for (const auto& c : created->created) *ctx.out << "  " << c.number << "  " << orders::Name(c.state) << "  " << c.unit << "\n";
    for (const auto& sk : created->skipped) *ctx.out << "  skipped " << sk << "\n";
  }
  return OkStatus();
}

Status RunShow(CliContext& ctx, const std::string& code, bool orders_only) {
  ASSIGN_OR_RETURN(Services s, Open(ctx, true));
  ASSIGN_OR_RETURN(exercise::ExerciseSummary sum, s.exercises->Summary(s.actor, code));
  if (orders_only) {
    if (ctx.json) {
      Json list = Json::array();
      for (const auto& o : sum.orders) list.push_back(codec::ToJson(o));
      PrintJson(*ctx.out, list);
    } else {
      PrintOrderTable(*ctx.out, sum.orders);
    }
    return OkStatus();
  }
  if (ctx.json) {
    PrintJson(*ctx.out, exercise::SummaryJson(sum));
    return OkStatus();
  }
  PrintExercise(*ctx.out, sum.exercise);
  std::vector<std::string> states;
  for (const auto& [state, n] : sum.order_states) states.push_back(fmt::format("{} {}", n, state));
  *ctx.out << fmt::format("  orders      {} of {} ({})\n", sum.orders.size(), s.actor.party,
                          states.empty() ? "none yet" : Join(states));
  *ctx.out << fmt::format("  quoted      {}\n", MoneyMapText(sum.costs.quoted));
  *ctx.out << fmt::format("  ledger      pending {}; outstanding {}\n", MoneyMapText(sum.costs.pending),
                          MoneyMapText(sum.costs.outstanding));
  return OkStatus();
}

Status RunUsage(CliContext& ctx, const UsageOptions& o) {
  ASSIGN_OR_RETURN(Services s, Open(ctx, false));
  ASSIGN_OR_RETURN(auto window, capacity::UsageWindow(o.from, o.to, s.clock->Now(), "--from", "--to"));
  const auto [from, to] = window;
  ASSIGN_OR_RETURN(auto txn, s.store->BeginRead());
  ASSIGN_OR_RETURN(capacity::FacilityUsage u, capacity::UsageOf(*txn, o.facility, from, to, s.clock->Now()));
  if (ctx.json) {
    PrintJson(*ctx.out, capacity::UsageJson(u));
    return OkStatus();
  }
  *ctx.out << fmt::format("Capacity of {} from {} to {}\n", u.facility, from.ToIso8601(), to.ToIso8601());
  bool any_berth = false;
  std::vector<std::vector<std::string>> rows = {{"  resource", "capacity", "peak held", "detail"}};
  for (const auto& r : u.resources) {
    any_berth = any_berth || r.kind == capacity::ResourceKind::kBerth;
    if (r.kind == capacity::ResourceKind::kFuel) continue;
    rows.push_back({"  " + r.resource, std::to_string(r.capacity), std::to_string(r.peak), r.detail});
  }
  PrintTable(*ctx.out, rows);
  if (any_berth) {
    *ctx.out << "\nBerths:\n";
    PrintBerthGantt(*ctx.out, u);
  }
  for (const auto& r : u.resources) {
    if (r.kind != capacity::ResourceKind::kFuel) continue;
    *ctx.out << "\nFuel " << r.resource.substr(5) << " (projection):\n";
    std::vector<std::vector<std::string>> fuel = {{"  at", "change", "stock", "what"}};
    for (const auto& p : r.stock) {
      const bool on_hand = &p == &r.stock.front();
      fuel.push_back({"  " + p.at.ToIso8601(),
                      on_hand ? "" : (p.change > 0 ? "+" : "-") + capacity::FuelAmountText(std::abs(p.change), r.detail),
                      capacity::FuelAmountText(p.stock, r.detail), p.what});
    }
    PrintTable(*ctx.out, fuel);
  }
  return OkStatus();
}

Status RunConflicts(CliContext& ctx, const ConflictOptions& o) {
  if (!o.exercise.empty()) {
    ASSIGN_OR_RETURN(Services s, Open(ctx, false));
    exercise::PlanOptions po;
    po.berth_time_limit_seconds = o.time_limit;
    ASSIGN_OR_RETURN(ExercisePlan plan, s.exercises->Plan(o.exercise, po));
    if (ctx.json) {
      PrintJson(*ctx.out, ConflictsJson(plan.conflicts));
    } else {
      PrintConflicts(*ctx.out, plan.conflicts);
    }
    return OkStatus();
  }
  ASSIGN_OR_RETURN(Services s, Open(ctx, true));
  capacity::OrderConflictQuery q;
  q.party = s.actor.party;
  q.facility = o.facility;
  q.states.clear();
  for (const auto& st : o.states) {
    ASSIGN_OR_RETURN(orders::OrderState state, orders::ParseOrderState(st));
    q.states.insert(state);
  }
  q.numbers.insert(o.orders.begin(), o.orders.end());
  ASSIGN_OR_RETURN(auto txn, s.store->BeginRead());
  ASSIGN_OR_RETURN(std::vector<Conflict> conflicts, capacity::ConflictsOfOrders(*txn, q, s.clock->Now()));
  if (ctx.json) {
    PrintJson(*ctx.out, ConflictsJson(conflicts));
  } else {
    PrintConflicts(*ctx.out, conflicts);
  }
  return OkStatus();
}

Status RunReplenish(CliContext& ctx, const ReplenishOptions& o) {
  ASSIGN_OR_RETURN(Services s, Open(ctx, true));
  auto q = Quantity::Parse(o.quantity);
  if (!q.ok()) return q.status().WithContext("--quantity");
  auto at = Timestamp::Parse(o.at);
  if (!at.ok()) return at.status().WithContext("--at");
  ASSIGN_OR_RETURN(auto txn, s.store->BeginWrite());
  capacity::FuelReplenishment r{o.id, o.facility, o.grade, 0, *at, o.note};
  RETURN_IF_ERROR(capacity::AddReplenishment(*txn, s.actor, r, *q, s.clock->Now()));
  RETURN_IF_ERROR(txn->Commit());
  *ctx.out << fmt::format("Replenishment {} of {} {} planned at {} for {}.\n", o.id, q->ToString(), o.grade,
                          o.facility, at->ToIso8601());
  return OkStatus();
}

}  // namespace

void PrintBerthGantt(std::ostream& out, const std::vector<std::string>& berths, const std::vector<GanttBar>& bars,
                     Timestamp from, Timestamp to, int width) {
  const int64_t span = std::max<int64_t>(1, to.unix_seconds() - from.unix_seconds());
  auto column = [&](Timestamp t) {
    return static_cast<int>((t.unix_seconds() - from.unix_seconds()) * width / span);
  };
  size_t name_width = 5;
  for (const auto& b : berths) name_width = std::max(name_width, b.size());
  // One letter per bar, in the order given; the legend says which is which.
  const std::string letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string scale(width, ' ');
  const std::string first = from.DateString(), last = to.DateString();
  scale.replace(0, std::min<size_t>(first.size(), width), first.substr(0, width));
  if (static_cast<int>(last.size() + first.size()) < width) scale.replace(width - last.size(), last.size(), last);
  out << "  " << std::string(name_width, ' ') << " |" << scale << "|\n";
  for (const auto& berth : berths) {
    std::string row(width, '.');
    for (size_t i = 0; i < bars.size(); ++i) {
      if (bars[i].berth != berth) continue;
      const int a = std::clamp(column(bars[i].start), 0, width - 1);
      // A bar shorter than a column still shows.
      const int b = std::clamp(column(bars[i].end), a + 1, width);
      for (int c = a; c < b; ++c) row[c] = row[c] == '.' ? letters[i % letters.size()] : '#';
    }
    out << "  " << berth << std::string(name_width - berth.size(), ' ') << " |" << row << "|\n";
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    out << fmt::format("  {} = {} on {}, {} .. {}\n", letters[i % letters.size()], bars[i].label, bars[i].berth,
                       bars[i].start.ToIso8601(), bars[i].end.ToIso8601());
  }
  if (bars.empty()) out << "  (no ship alongside)\n";
}

void PrintBerthGantt(std::ostream& out, const capacity::FacilityUsage& usage) {
  std::vector<std::string> berths;
  std::vector<GanttBar> bars;
  for (const auto& r : usage.resources) {
    if (r.kind != capacity::ResourceKind::kBerth) continue;
    berths.push_back(r.resource.substr(std::string_view("berth:").size()));
    for (const auto& h : r.held) bars.push_back({berths.back(), h.unit + " (" + h.order + ")", h.start, h.end});
  }
  PrintBerthGantt(out, berths, bars, usage.from, usage.to);
}

void RegisterExerciseCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("exercise", "exercises and operations: plan, berths, support orders");
  group->require_subcommand(1);

  auto* c = ctx.Own<CreateOptions>();
  CLI::App* create = group->add_subcommand("create", "create an exercise from a plan file (JSON or YAML)");
  create->add_option("--file", c->file, "the exercise and its calls (docs/exercises.md)")->required();
  create->add_flag("--replace", c->replace, "replace the plan of an existing exercise instead");
  create->callback([&ctx, c] { ctx.action = [&ctx, c] { return RunCreate(ctx, *c); }; });

  CLI::App* list = group->add_subcommand("list", "every exercise");
  list->callback([&ctx] {
    ctx.action = [&ctx]() -> Status {
      ASSIGN_OR_RETURN(Services s, Open(ctx, false));
      ASSIGN_OR_RETURN(std::vector<Exercise> all, s.exercises->List());
      if (ctx.json) {
        Json j = Json::array();
        for (const auto& e : all) j.push_back(ExerciseJson(e));
        PrintJson(*ctx.out, j);
        return OkStatus();
      }
      std::vector<std::vector<std::string>> rows = {{"code", "name", "purpose", "status", "start", "end", "calls"}};
      for (const auto& e : all) {
        rows.push_back({e.code, e.name, std::string(registry::Name(e.purpose)), std::string(exercise::Name(e.status)),
                        e.start.ToIso8601(), e.end.ToIso8601(), std::to_string(e.calls.size())});
      }
      PrintTable(*ctx.out, rows);
      return OkStatus();
    };
  });

  auto* show_code = ctx.Own<std::string>();
  CLI::App* show = group->add_subcommand("show", "an exercise with its orders, their states and costs");
  show->add_option("code", *show_code, "exercise code")->required();
  show->callback([&ctx, show_code] { ctx.action = [&ctx, show_code] { return RunShow(ctx, *show_code, false); }; });

  auto* orders_code = ctx.Own<std::string>();
  CLI::App* orders = group->add_subcommand("orders", "the acting party's orders for an exercise");
  orders->add_option("code", *orders_code, "exercise code")->required();
  orders->callback([&ctx, orders_code] { ctx.action = [&ctx, orders_code] { return RunShow(ctx, *orders_code, true); }; });

  auto* st = ctx.Own<std::pair<std::string, std::string>>();
  CLI::App* status = group->add_subcommand("status", "set an exercise's status");
  status->add_option("code", st->first, "exercise code")->required();
  status->add_option("status", st->second, "planned, active, completed or cancelled")->required();
  status->callback([&ctx, st] {
    ctx.action = [&ctx, st]() -> Status {
      ASSIGN_OR_RETURN(Services s, Open(ctx, true));
      ASSIGN_OR_RETURN(exercise::ExerciseStatus to, exercise::ParseExerciseStatus(st->second));
      ASSIGN_OR_RETURN(Exercise e, s.exercises->SetStatus(s.actor, st->first, to));
      *ctx.out << fmt::format("Exercise {} is {} (version {}).\n", e.code, exercise::Name(e.status), e.version);
      return OkStatus();
    };
  });

  auto* p = ctx.Own<PlanOptions>();
  CLI::App* plan = group->add_subcommand("plan", "berth schedule, orders and conflicts of an exercise");
  plan->add_option("code", p->code, "exercise code")->required();
  plan->add_option("--time-limit", p->time_limit, "seconds for each facility's berth optimisation")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  plan->add_flag("--create-orders", p->create_orders, "create the acting party's orders (drafts) from the plan");
  plan->add_flag("--submit", p->submit, "with --create-orders: submit them too");
  plan->callback([&ctx, p] { ctx.action = [&ctx, p] { return RunPlan(ctx, *p); }; });

  CLI::App* cap = app.add_subcommand("capacity", "facility capacity over time: berths, stands, bays, beds, fuel");
  cap->require_subcommand(1);
  auto* u = ctx.Own<UsageOptions>();
  CLI::App* cshow = cap->add_subcommand("show", "what a facility has and what approved orders hold of it");
  cshow->add_option("facility", u->facility, "facility code")->required();
  cshow->add_option("--from", u->from, "start of the window (default: today)");
  cshow->add_option("--to", u->to, "end of the window (default: 14 days after --from)");
  cshow->callback([&ctx, u] { ctx.action = [&ctx, u] { return RunUsage(ctx, *u); }; });

  auto* co = ctx.Own<ConflictOptions>();
  CLI::App* conflicts = cap->add_subcommand("conflicts", "every over-subscription of a plan, with the orders involved");
  conflicts->add_option("--exercise", co->exercise, "the plan of this exercise");
  conflicts->add_option("--facility", co->facility, "only orders at this facility");
  conflicts->add_option("--state", co->states, "orders in these states (default: draft and submitted)");
  conflicts->add_option("--order", co->orders, "only these orders (numbers; repeat)");
  conflicts->add_option("--time-limit", co->time_limit, "with --exercise: seconds per berth optimisation")
      ->capture_default_str();
  conflicts->callback([&ctx, co] { ctx.action = [&ctx, co] { return RunConflicts(ctx, *co); }; });

  auto* r = ctx.Own<ReplenishOptions>();
  CLI::App* rep = cap->add_subcommand("replenish", "plan a delivery into a facility's fuel stock (its logistics officer)");
  rep->add_option("--id", r->id, "a unique reference, e.g. the tanker's voyage")->required();
  rep->add_option("--facility", r->facility, "facility code")->required();
  rep->add_option("--grade", r->grade, "fuel grade, e.g. F-76")->required();
  rep->add_option("--quantity", r->quantity, "e.g. \"1500 tonne\"")->required();
  rep->add_option("--at", r->at, "when it arrives (ISO 8601)")->required();
  rep->add_option("--note", r->note, "free text");
  rep->callback([&ctx, r] { ctx.action = [&ctx, r] { return RunReplenish(ctx, *r); }; });
}

}  // namespace relos::cli

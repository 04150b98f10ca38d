// `relos init` and `relos demo`: a new database, and the narrated demo
// scenario that takes one support order through its whole life, showing the
// refusals the agreement's rules produce on the way.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/demo_data.h"
#include "cli/output.h"
#include "relos/audit/verify.h"
#include "relos/capacity/capacity.h"
#include "relos/exercise/exercise.h"
#include "relos/codec/registry_file.h"
#include "relos/orders/order_service.h"
#include "relos/ledger/settlement.h"
#include "relos/registry/registry_service.h"

namespace relos::cli {
namespace {

using orders::Actor;
using orders::Order;
using orders::Role;
using registry::RegistryData;

const Actor kSystem{registry::kSystemParty, Role::kAdmin, "relos init"};

Status ImportDemo(CliContext& ctx) {
  ASSIGN_OR_RETURN(RegistryData data,
                   codec::ParseRegistry(std::string(DemoRegistryYaml()), codec::Format::kYaml, "demo registry"));
  ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
  ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
  registry::RegistryService service(*store, *clock);
  ASSIGN_OR_RETURN(registry::ImportSummary s, service.Import(kSystem, data));
  *ctx.out << fmt::format("Loaded the demo registry: {} parties, {} agreements, {} catalogue items, {} facilities, {} units ({} objects added).\n",
                          data.parties.size(), data.agreements.size(), data.catalogue.size(), data.facilities.size(),
                          data.units.size(), s.added);
  return ImportDemoRates(ctx);
}

// What the scenario needs, found in the registry rather than hard-coded, so
// the demo keeps working as the demo data grows.
struct Cast {
  const registry::Agreement* agreement = nullptr;
  const registry::Unit* ship = nullptr;
  const registry::Facility* port = nullptr;
  const registry::CatalogItem* fuel = nullptr;
  const registry::CatalogItem* berthing = nullptr;
  const registry::CatalogItem* supplies = nullptr;
  const registry::CatalogItem* excluded = nullptr;
  const registry::CatalogItem* wrong_fuel = nullptr;
};

Result<Cast> FindCast(const RegistryData& d, const std::vector<registry::FuelCompatibility>& table) {
  Cast c;
  for (const auto& a : d.agreements) {
    if (a.Binds("IN") && a.Binds("RU")) c.agreement = &a;
  }
  if (!c.agreement) return FailedPrecondition("the demo registry has no IN-RU agreement", "demo");
  auto item = [&](const std::string& code) -> const registry::CatalogItem* {
    for (const auto& i : d.catalogue) {
      if (i.code == code) return &i;
    }
    return nullptr;
  };
  // Prefer Vladivostok: the pact's signature voyage is an Indian ship in the
  // Russian Far East.
  std::vector<const registry::Facility*> ports;
  for (const auto& f : d.facilities) {
    if (f.owner == "RU" && !f.berths.empty()) {
      if (f.name.find("Vladivostok") != std::string::npos) {
        ports.insert(ports.begin(), &f);
      } else {
        ports.push_back(&f);
      }
    }
  }
  for (const auto* f : ports) {
    for (const auto& u : d.units) {
      if (u.owner != "IN" || u.kind != registry::UnitKind::kShip) continue;
      bool fits = false;
      for (const auto& b : f->berths) fits = fits || (b.length_m >= u.length_m && b.max_draught_m >= u.draught_m);
      if (!fits) continue;
      Cast k = c;
      k.ship = &u;
      k.port = f;
      for (const auto& p : f->prices) {
        const registry::CatalogItem* i = item(p.item);
        if (i == nullptr) continue;
        if (i->category == registry::SupportCategory::kFuel) {
          auto level = registry::CompatibilityOf(table, u.fuel_grade, *i->fuel_grade);
          const bool in_stock = f->FindFuel(*i->fuel_grade) != nullptr;
          if (level && *level != registry::FuelCompatibilityLevel::kEmergencyOnly && in_stock && !k.fuel) k.fuel = i;
          if (!level && !k.wrong_fuel) k.wrong_fuel = i;
        }
        if (i->category == registry::SupportCategory::kBerthing && !k.berthing) k.berthing = i;
        if (i->category == registry::SupportCategory::kSupplies && !k.supplies) k.supplies = i;
      }
      if (k.fuel && k.berthing && k.supplies) {
        for (const auto& i : d.catalogue) {
          if (c.agreement->terms.excluded_categories.count(i.category) || c.agreement->terms.excluded_items.count(i.code)) {
            k.excluded = &i;
            break;
          }
        }
        return k;
      }
    }
  }
  return FailedPrecondition("the demo registry has no Russian port that takes an Indian ship and offers fuel, berthing and supplies",
                            "demo");
}

class Narrator {
 public:
  explicit Narrator(std::ostream& out) : out_(out) {}
  void Scene(const std::string& title) { out_ << "\n== " << ++scene_ << ". " << title << "\n"; }
  void Say(const std::string& text) { out_ << "   " << text << "\n"; }
  void Command(const std::string& cli) { out_ << "   $ relos " << cli << "\n"; }
  // An expected refusal: shows it, and fails the demo if it did not happen.
  Status Refused(const Result<Order>& r, const std::string& rule) {
    if (r.ok()) return Internal("the demo expected a refusal by " + rule + " but the step succeeded");
    if (r.status().reason() != rule) return r.status().WithContext("the demo expected " + rule);
    out_ << "   refused: " << r.status().ToString() << "\n";
    return OkStatus();
  }
  std::ostream& out() { return out_; }

 private:
  std::ostream& out_;
  int scene_ = 0;
};

std::string Ts(Timestamp t) { return t.ToIso8601(); }

// Moves an exercise plan and every call in it by `seconds`.
void Shift(exercise::Exercise& e, int64_t seconds) {
  e.start = e.start.PlusSeconds(seconds);
  e.end = e.end.PlusSeconds(seconds);
  for (auto& c : e.calls) {
    c.arrive = c.arrive.PlusSeconds(seconds);
    c.depart = c.depart.PlusSeconds(seconds);
    if (c.latest_departure) c.latest_departure = c.latest_departure->PlusSeconds(seconds);
    for (auto& l : c.lines) {
      if (l.start) l.start = l.start->PlusSeconds(seconds);
      if (l.end) l.end = l.end->PlusSeconds(seconds);
    }
  }
}

// The bundled exercise, 60 days ahead: planned (berths, orders, conflicts),
// its orders raised in bulk, and approvals that reserve berths and billets
// until one does not fit.
Status DemoExercise(Narrator& n, storage::Store& store, const Clock& clock,
                    orders::OrderService& orders) {
  ASSIGN_OR_RETURN(exercise::Exercise e,
                   exercise::ParseExerciseFile(std::string(DemoExerciseYaml()), true, "demo exercise"));
  Shift(e, clock.Now().PlusDays(60).StartOfDay().unix_seconds() - e.start.unix_seconds());
  exercise::ExerciseService exercises(store, clock, orders);
  const Actor planner{"IN", Role::kRequester, "Cdr V. Menon"};
  const Actor approver{"RU", Role::kApprover, "Capt 2nd Rank I. Petrov"};

  n.Scene("A joint exercise: " + e.name);
  n.Command("exercise create --file data/demo/exercise.yaml --as 'IN:requester:Cdr V. Menon'");
  ASSIGN_OR_RETURN(e, exercises.Create(planner, e));
  n.Say(fmt::format("exercise {} created: {} ships at {} from {}", e.code, e.units.size(), e.facilities.front(),
                    Ts(e.start)));

  n.Scene("The exercise plan: optimal berths, the orders, and what does not fit");
  n.Command("exercise plan " + e.code);
  ASSIGN_OR_RETURN(exercise::ExercisePlan plan, exercises.Plan(e.code, {}));
  PrintExercisePlan(n.out(), plan);

  n.Scene("Orders raised in bulk from the plan, submitted, and approved while capacity lasts");
  n.Command("exercise plan " + e.code + " --create-orders --submit --as 'IN:requester:Cdr V. Menon'");
  ASSIGN_OR_RETURN(exercise::CreatedOrders created, exercises.CreateOrders(planner, plan, /*submit=*/true));
  for (const auto& o : created.created) n.Say(fmt::format("{} {} for {}", o.number, orders::Name(o.state), o.unit));
  for (const auto& o : created.created) {
    auto approved = orders.Approve(approver, o.id, {});
    if (approved.ok()) {
      n.Say(fmt::format("{} approved: berth and billets reserved", o.number));
      continue;
    }
    if (approved.status().reason() != "capacity.exhausted") return approved.status().WithContext("demo exercise");
    n.Say(fmt::format("{} refused: {}", o.number, approved.status().ToString()));
    // The approver trims the billets (the last line) to what is left.
    const orders::OrderLine& billets = o.lines.back();
    ASSIGN_OR_RETURN(auto txn, store.BeginRead());
    ASSIGN_OR_RETURN(capacity::FacilityUsage usage, capacity::UsageOf(*txn, o.facility, billets.window_start,
                                                                      billets.window_end, clock.Now()));
    txn.reset();
    int64_t free_places = 0;
    for (const auto& r : usage.resources) {
      if (r.resource == "accommodation") free_places = r.capacity - r.peak;
    }
    const int64_t days = DaysCeil(billets.window_start, billets.window_end);
    const Quantity trimmed = Quantity::Whole(free_places * days, billets.requested.unit());
    n.Command(fmt::format("order approve {} --line {}={} --as 'RU:approver:Capt 2nd Rank I. Petrov'", o.number,
                          billets.line_no, trimmed.AmountString()));
    ASSIGN_OR_RETURN(orders::Order partly, orders.Approve(approver, o.id, {{billets.line_no, trimmed}},
                                                          {"billets limited to what is free", std::nullopt}));
    n.Say(fmt::format("{} approved with {} of billets ({} places)", partly.number, trimmed.ToString(), free_places));
  }

  n.Scene("Capacity of " + e.facilities.front() + " during the exercise");
  n.Command(fmt::format("capacity show {} --from {} --to {}", e.facilities.front(), Ts(e.start), Ts(e.end)));
  {
    ASSIGN_OR_RETURN(auto txn, store.BeginRead());
    ASSIGN_OR_RETURN(capacity::FacilityUsage usage, capacity::UsageOf(*txn, e.facilities.front(), e.start, e.end, clock.Now()));
    for (const auto& r : usage.resources) {
      if (r.kind != capacity::ResourceKind::kBerth && r.kind != capacity::ResourceKind::kFuel) {
        n.Say(fmt::format("{}: {} of {} held at the peak", r.resource, r.peak, r.capacity));
      }
    }
    PrintBerthGantt(n.out(), usage);
  }

  n.Scene("The exercise, its orders and costs together");
  n.Command("exercise show " + e.code + " --as 'IN:requester:Cdr V. Menon'");
  ASSIGN_OR_RETURN(exercise::ExerciseSummary sum, exercises.Summary(planner, e.code));
  for (const auto& [state, count] : sum.order_states) n.Say(fmt::format("{} order(s) {}", count, state));
  for (const auto& [currency, minor] : sum.costs.quoted) {
    ASSIGN_OR_RETURN(Currency c, Currency::FromCode(currency));
    n.Say("quoted at approval: " + Money(minor, c).ToString());
  }
  return OkStatus();
}

Status RunDemo(CliContext& ctx) {
  ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
  ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
  {
    ASSIGN_OR_RETURN(auto txn, store->BeginRead());
    ASSIGN_OR_RETURN(auto last, txn->LastEvent());
    if (last) return FailedPrecondition("database " + ctx.db_path + " is not empty; the demo needs a new one", "demo");
  }
  Narrator n(*ctx.out);
  n.Scene("A new relos database with the bundled demo registry (illustrative capacities, stocks and prices)");
  n.Command("--db " + ctx.db_path + " init --demo-registry");
  RETURN_IF_ERROR(ImportDemo(ctx));

  registry::RegistryService registry_service(*store, *clock);
  ASSIGN_OR_RETURN(RegistryData reg, registry_service.Load());
  ASSIGN_OR_RETURN(Cast cast, FindCast(reg, reg.fuel_compatibility));
  const std::unique_ptr<orders::OrderService> order_service = NewOrderService(*store, *clock);
  orders::OrderService& orders = *order_service;
  ledger::SettlementService settlement(*store, *clock);

  const Actor requester{"IN", Role::kRequester, "Lt Cdr A. Rao"};
  const Actor approver{"RU", Role::kApprover, "Capt 2nd Rank I. Petrov"};
  const Actor logistics{"RU", Role::kLogisticsOfficer, "Maj D. Sokolov"};
  const Actor receiver{"IN", Role::kReceiver, "Lt S. Nair"};
  const Actor finance{"IN", Role::kFinance, "Cdr P. Iyer"};

  const Timestamp now = clock->Now();
  const Timestamp arrive = now.PlusDays(45).StartOfDay().PlusSeconds(8 * kSecondsPerHour);
  const Timestamp depart = arrive.PlusDays(4);
  n.Scene("The cast");
  n.Say(fmt::format("Agreement {}: {}", cast.agreement->code, cast.agreement->title));
  n.Say(fmt::format("{} ({}), burns {}, length {:.0f} m, draught {:.1f} m", cast.ship->name, cast.ship->code,
                    cast.ship->fuel_grade, cast.ship->length_m, cast.ship->draught_m));
  n.Say(fmt::format("calls at {} ({}), {} for a joint exercise, {} .. {}", cast.port->name, cast.port->code,
                    cast.port->position.ToString(), Ts(arrive), Ts(depart)));

  auto line = [&](const registry::CatalogItem* item, const std::string& qty) {
    return orders::LineRequest{item->code, *Quantity::Parse(qty, UnitOfMeasureName(item->unit)), arrive, depart, "", ""};
  };
  orders::CreateOrderRequest req;
  req.agreement = cast.agreement->code;
  req.unit = cast.ship->code;
  req.facility = cast.port->code;
  req.purpose = registry::Purpose::kExercise;
  req.settlement = registry::SettlementMode::kCash;
  req.exercise = "INDRA NAVY (demo)";
  req.idempotency_key = "demo-indra-1";
  const bool fuel_by_mass = DimensionOf(cast.fuel->unit) == Dimension::kMass;
  req.lines = {line(cast.fuel, fuel_by_mass ? "250" : "290000"), line(cast.berthing, "4"), line(cast.supplies, "120")};

  n.Scene("The Indian requester raises the order");
  n.Command(fmt::format("order create --as 'IN:requester:Lt Cdr A. Rao' --agreement {} --unit {} --facility {} --purpose exercise "
                        "--line '{},{},{},{}' ... --idempotency-key demo-indra-1",
                        req.agreement, req.unit, req.facility, cast.fuel->code, req.lines[0].quantity.ToString(),
                        Ts(arrive), Ts(depart)));
  ASSIGN_OR_RETURN(Order order, orders.Create(requester, req));
  n.Say(fmt::format("draft {} created with {} lines", order.number, order.lines.size()));
  ASSIGN_OR_RETURN(Order again, orders.Create(requester, req));
  n.Say(fmt::format("a network retry with the same idempotency key returns the same order: {}", again.number));

  n.Scene("The agreement's rules at work");
  if (cast.excluded) {
    orders::CreateOrderRequest bad = req;
    bad.idempotency_key.clear();
    bad.lines = {line(cast.excluded, "10")};
    ASSIGN_OR_RETURN(Order excluded, orders.Create(requester, bad));
    n.Say(fmt::format("an order for {} ({}) is raised as {} and submitted:", cast.excluded->name, cast.excluded->code,
                      excluded.number));
    RETURN_IF_ERROR(n.Refused(orders.Submit(requester, excluded.id), "policy.excluded_item"));
    RETURN_IF_ERROR(orders.Cancel(requester, excluded.id, {"raised in error: excluded item", std::nullopt}).status());
  }
  {
    orders::CreateOrderRequest rushed = req;
    rushed.idempotency_key.clear();
    rushed.lines = {line(cast.berthing, "2")};
    rushed.lines[0].window_start = now.PlusDays(3);
    rushed.lines[0].window_end = now.PlusDays(5);
    ASSIGN_OR_RETURN(Order o, orders.Create(requester, rushed));
    n.Say("an exercise berth requested for three days from now:");
    RETURN_IF_ERROR(n.Refused(orders.Submit(requester, o.id), "policy.advance_notice"));
    n.Say("the same need as disaster relief, which the agreement exempts from notice, goes through:");
    RETURN_IF_ERROR(orders.Cancel(requester, o.id, {"replaced by a disaster-relief request", std::nullopt}).status());
    rushed.purpose = registry::Purpose::kDisasterRelief;
    ASSIGN_OR_RETURN(Order relief, orders.Create(requester, rushed));
    ASSIGN_OR_RETURN(relief, orders.Submit(requester, relief.id));
    n.Say(fmt::format("{} is {}", relief.number, orders::Name(relief.state)));
    RETURN_IF_ERROR(orders.Cancel(requester, relief.id, {"demo: not needed after all", std::nullopt}).status());
  }
  if (cast.wrong_fuel) {
    orders::CreateOrderRequest wrong = req;
    wrong.idempotency_key.clear();
    wrong.lines = {line(cast.wrong_fuel, DimensionOf(cast.wrong_fuel->unit) == Dimension::kMass ? "50" : "60000")};
    ASSIGN_OR_RETURN(Order o, orders.Create(requester, wrong));
    n.Say(fmt::format("{} for a ship that burns {}:", cast.wrong_fuel->name, cast.ship->fuel_grade));
    RETURN_IF_ERROR(n.Refused(orders.Submit(requester, o.id), "policy.fuel_grade"));
    RETURN_IF_ERROR(orders.Cancel(requester, o.id, {"wrong grade", std::nullopt}).status());
  }
  {
    orders::CreateOrderRequest longstay = req;
    longstay.idempotency_key.clear();
    longstay.lines = {line(cast.berthing, "40")};
    longstay.lines[0].window_end = arrive.PlusDays(cast.agreement->terms.max_stay_days + 10);
    ASSIGN_OR_RETURN(Order o, orders.Create(requester, longstay));
    n.Say(fmt::format("a stay of {} days where the agreement allows {}:", cast.agreement->terms.max_stay_days + 10,
                      cast.agreement->terms.max_stay_days));
    RETURN_IF_ERROR(n.Refused(orders.Submit(requester, o.id), "policy.max_stay"));
    RETURN_IF_ERROR(orders.Cancel(requester, o.id, {"stay too long", std::nullopt}).status());
  }

  n.Scene("Submit, and approval by the Russian side");
  n.Command("order submit " + order.number + " --as 'IN:requester:Lt Cdr A. Rao'");
  ASSIGN_OR_RETURN(order, orders.Submit(requester, order.id));
  n.Say("the requester cannot approve its own order:");
  auto self = orders.Approve(requester, order.id, {});
  if (self.ok() || self.status().code() != StatusCode::kPermissionDenied) {
    return Internal("the demo expected the requester's approval to be refused");
  }
  n.Say("refused: " + self.status().ToString());
  const Quantity fuel_approved = *Quantity::Parse(fuel_by_mass ? "200" : "235000", UnitOfMeasureName(cast.fuel->unit));
  n.Command(fmt::format("order approve {} --as 'RU:approver:Capt 2nd Rank I. Petrov' --line 1={}", order.number,
                        fuel_approved.AmountString()));
  ASSIGN_OR_RETURN(order, orders.Approve(approver, order.id, {{1, fuel_approved}},
                                         {"fuel partly approved: stock committed to the exercise", std::nullopt}));
  for (const auto& l : order.lines) {
    n.Say(fmt::format("line {} {}: approved {} of {} at {} per {}", l.line_no, l.item, l.approved->ToString(),
                      l.requested.ToString(), l.unit_price->ToString(), UnitOfMeasureName(l.requested.unit())));
  }

  n.Scene("Delivery, with a discrepancy on the fuel meter");
  const Quantity fuel_delivered = *Quantity::Parse(fuel_by_mass ? "197.5" : "232000", UnitOfMeasureName(cast.fuel->unit));
  n.Command(fmt::format("order deliver {} --as 'RU:logistics-officer:Maj D. Sokolov' --line 1={} --discrepancy '1=meter reading at bunkering'",
                        order.number, fuel_delivered.AmountString()));
  ASSIGN_OR_RETURN(order, orders.Deliver(logistics, order.id, {{1, fuel_delivered, "meter reading at bunkering"}}));
  n.Say(fmt::format("line 1 delivered {}: {}", order.lines[0].delivered->ToString(), order.lines[0].discrepancy));

  n.Scene("Receipt by the ship: one line disputed, then resolved");
  const Quantity counted = *Quantity::Parse("110", UnitOfMeasureName(cast.supplies->unit));
  n.Command(fmt::format("order receipt {} --as 'IN:receiver:Lt S. Nair' --dispute '3=110:ten short on the pallet count'",
                        order.number));
  ASSIGN_OR_RETURN(order, orders.Receipt(receiver, order.id,
                                         {{3, orders::ReceiptVerdict::kDisputed, counted, "ten short on the pallet count"}}));
  n.Say("closing with a line in dispute is refused:");
  auto early = orders.Close(finance, order.id);
  if (early.ok() || early.status().reason() != "order.disputed") return Internal("the demo expected order.disputed");
  n.Say("refused: " + early.status().ToString());
  const Quantity agreed = *Quantity::Parse("115", UnitOfMeasureName(cast.supplies->unit));
  n.Command("order resolve " + order.number + " --as 'RU:approver:Capt 2nd Rank I. Petrov' --line 3 --quantity 115");
  ASSIGN_OR_RETURN(order, orders.Resolve(approver, order.id, 3, agreed, {"joint count: 115", std::nullopt}));

  n.Scene("Billing and settlement in cash");
  n.Say("closing with an open balance is refused:");
  auto unpaid = orders.Close(finance, order.id);
  if (unpaid.ok() || unpaid.status().reason() != "ledger.open_balance") {
    return Internal("the demo expected ledger.open_balance");
  }
  n.Say("refused: " + unpaid.status().ToString());
  const Actor ru_finance{order.supplier, Role::kFinance, "Lt Col A. Volkova"};
  n.Command("bill create --agreement " + order.agreement + " --as 'RU:finance:Lt Col A. Volkova'");
  ASSIGN_OR_RETURN(ledger::Bill bill, settlement.CreateBill(ru_finance, order.agreement, order.created_at,
                                                            clock->Now().PlusSeconds(1)));
  ASSIGN_OR_RETURN(Currency bill_currency, Currency::FromCode(bill.currency));
  const Money total(bill.total, bill_currency);
  n.Say(fmt::format("bill {} for {} due {}", bill.number, total.ToString(), bill.due.DateString()));
  n.Command("pay " + bill.number + " --amount '" + total.ToString() + "' --payment-id demo-1 --as 'IN:finance:Cdr P. Iyer'");
  ASSIGN_OR_RETURN(bill, settlement.Pay(finance, bill.number, total, "demo-1"));
  n.Say("bill " + bill.number + " is " + bill.status);

  n.Scene("Close-out by finance");
  n.Command("order close " + order.number + " --as 'IN:finance:Cdr P. Iyer'");
  ASSIGN_OR_RETURN(order, orders.Close(finance, order.id));
  PrintOrder(n.out(), order);

  RETURN_IF_ERROR(DemoExercise(n, *store, *clock, orders));

  n.Scene("The audit chain");
  n.Command("verify");
  ASSIGN_OR_RETURN(auto txn, store->BeginRead());
  ASSIGN_OR_RETURN(audit::VerifyReport report, audit::VerifyStore(*txn));
  if (!report.ok()) return DataLoss(report.problem, "audit.chain");
  n.Say(fmt::format("verified: {} events chained, {} objects match the chain", report.events_checked,
                    report.objects_checked));
  n.Say("try: sqlite3 " + ctx.db_path + " \"UPDATE events SET payload = replace(payload, 'tonne', 'litre') WHERE seq = " +
        std::to_string(report.events_checked) + "\"; relos --db " + ctx.db_path + " verify");
  return OkStatus();
}

struct InitOptions {
  std::string registry_file;
  bool demo_registry = false;
};

}  // namespace

void RegisterSetupCommands(CLI::App& app, CliContext& ctx) {
  auto* o = ctx.Own<InitOptions>();
  CLI::App* init = app.add_subcommand("init", "create the database (migrations) and optionally load a registry");
  init->add_option("--registry", o->registry_file, "import this registry file (JSON or YAML) as the system");
  init->add_flag("--demo-registry", o->demo_registry, "import the bundled demo registry");
  init->callback([&ctx, o] {
    ctx.action = [&ctx, o]() -> Status {
      ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
      (void)store;
      if (o->demo_registry) RETURN_IF_ERROR(ImportDemo(ctx));
      if (!o->registry_file.empty()) {
        ASSIGN_OR_RETURN(RegistryData data, codec::ReadRegistryFile(o->registry_file));
        ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
        registry::RegistryService service(*store, *clock);
        ASSIGN_OR_RETURN(registry::ImportSummary s, service.Import(kSystem, data));
        *ctx.out << fmt::format("imported {}: {} added, {} changed, {} unchanged\n", o->registry_file, s.added,
                                s.changed, s.unchanged);
      }
      *ctx.out << "database " << ctx.db_path << " is ready\n";
      return OkStatus();
    };
  });
  app.add_subcommand("demo", "the narrated demo: one support order through its whole life, on a new database")
      ->callback([&ctx] { ctx.action = [&ctx] { return RunDemo(ctx); }; });
}

}  // namespace relos::cli

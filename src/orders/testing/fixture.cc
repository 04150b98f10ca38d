#include "orders/testing/fixture.h"

#include <utility>

namespace relos::testing {
namespace {

using namespace registry;
using orders::Action;
using orders::Actor;
using orders::Order;
using orders::OrderState;
using orders::Role;

Currency Cur(const char* code) { return Currency::FromCode(code).value(); }

Agreement TestAgreement() {
  Agreement a;
  a.code = kAgreement;
  a.title = "Test agreement on reciprocal logistics support";
  a.party_a = "IN";
  a.party_b = "RU";
  a.effective_from = T("2025-01-01");
  a.effective_to = T("2030-01-01");
  AgreementTerms& t = a.terms;
  // Transit is deliberately not eligible (policy.purpose).
  t.eligible_purposes = {Purpose::kExercise, Purpose::kPortCall, Purpose::kHumanitarian, Purpose::kDisasterRelief,
                         Purpose::kTraining};
  // Transport is deliberately not eligible (policy.category).
  t.eligible_categories = {SupportCategory::kFuel,    SupportCategory::kBerthing,      SupportCategory::kSupplies,
                           SupportCategory::kMedical, SupportCategory::kAccommodation, SupportCategory::kMaintenance};
  t.excluded_categories = {SupportCategory::kWeapons, SupportCategory::kAmmunition};
  t.min_notice_hours = {{Purpose::kExercise, 720},
                        {Purpose::kPortCall, 168},
                        {Purpose::kHumanitarian, 0},
                        {Purpose::kDisasterRelief, 0}};
  t.max_stay_days = 30;
  t.max_presence_days_per_year = 45;
  t.settlement_modes = {SettlementMode::kCash, SettlementMode::kReplacementInKind,
                        SettlementMode::kEqualValueExchange};
  t.settlement_currency = Cur("USD");
  return a;
}

std::vector<CatalogItem> TestCatalogue() {
  using U = UnitOfMeasure;
  using C = SupportCategory;
  return {
      {kF76, "Naval distillate F-76", C::kFuel, U::kTonne, std::string("F-76")},
      {kTs1, "Jet fuel TS-1", C::kFuel, U::kKilogram, std::string("TS-1")},
      {kF44, "Aviation turbine fuel F-44", C::kFuel, U::kLitre, std::string("F-44")},
      {kBerthDay, "Berth", C::kBerthing, U::kBerthDay, std::nullopt},
      {kWater, "Fresh water", C::kSupplies, U::kTonne, std::nullopt},
      {kMeals, "Cooked meals", C::kSupplies, U::kMeal, std::nullopt},
      {kMedBed, "Hospital bed", C::kMedical, U::kBedDay, std::nullopt},
      {kAccomBed, "Accommodation bed", C::kAccommodation, U::kBedDay, std::nullopt},
      {kAmmo, "76 mm round", C::kAmmunition, U::kEach, std::nullopt},
      {kTruck, "Truck with driver", C::kTransport, U::kHour, std::nullopt},
  };
}

Facility NavalBase(const char* code, const char* name, const char* owner, double lat, double lon) {
  Facility f;
  f.code = code;
  f.name = name;
  f.owner = owner;
  f.kind = FacilityKind::kNavalBase;
  f.position = GeoPosition::Make(lat, lon).value();
  f.illustrative = false;
  return f;
}

Facility RussianPort() {
  Facility f = NavalBase(kRuPort, "Vladivostok naval base", "RU", 43.1056, 131.8735);
  f.berths = {{"B1", 200, 9.5}, {"B2", 150, 8}};
  f.capacities = {{CapacityKind::kBeds, kRuBeds}, {CapacityKind::kAccommodation, 50}};
  f.fuel = {{"F-76", Quantity::Whole(kRuF76OnHandTonnes, UnitOfMeasure::kTonne), Q("2000 tonne")},
            {"TS-1", Q("200000 kg"), Q("500000 kg")},
            {"F-44", Q("100 m3"), Q("400 m3")}};
  f.prices = {{kF76, M(kF76OldPrice), T("2025-01-01")},
              {kF76, M(kF76NewPrice), T(kF76NewPriceFrom)},
              {kTs1, M("80.00 RUB"), T("2025-01-01")},
              {kF44, M("75.00 RUB"), T("2025-01-01")},
              {kBerthDay, M("150000.00 RUB"), T("2025-01-01")},
              {kWater, M("500.00 RUB"), T("2025-01-01")},
              {kMedBed, M("12000.00 RUB"), T("2025-01-01")},
              {kAccomBed, M("3000.00 RUB"), T("2025-01-01")}};
  return f;
}

Facility IndianPort() {
  Facility f = NavalBase(kInPort, "Visakhapatnam naval base", "IN", 17.6868, 83.2185);
  f.berths = {{"V1", 300, 12}};
  f.capacities = {{CapacityKind::kBeds, 20}};
  f.fuel = {{"F-76", Q("800 tonne"), Q("3000 tonne")}};
  f.prices = {{kF76, M("70000.00 INR"), T("2025-01-01")},
              {kBerthDay, M("90000.00 INR"), T("2025-01-01")},
              {kWater, M("300.00 INR"), T("2025-01-01")},
              {kMeals, M("250.00 INR"), T("2025-01-01")}};
  return f;
}

Unit Ship(const char* code, const char* name, const char* owner, double length, double draught) {
  Unit u;
  u.code = code;
  u.name = name;
  u.owner = owner;
  u.kind = UnitKind::kShip;
  u.length_m = length;
  u.beam_m = length / 8;
  u.draught_m = draught;
  u.fuel_grade = "F-76";
  u.fuel_capacity = Q("500 tonne");
  u.consumption_per_hour = Q("1.5 tonne");
  u.cruise_speed_kn = 14;
  u.max_speed_kn = 30;
  u.personnel = 150;
  return u;
}

Unit Helicopters() {
  Unit u;
  u.code = kInHelo;
  u.name = "Indian Navy helicopter flight";
  u.owner = "IN";
  u.kind = UnitKind::kAircraft;
  u.fuel_grade = "F-44";
  u.fuel_capacity = Q("2000 litre");
  u.consumption_per_hour = Q("400 litre");
  u.cruise_speed_kn = 120;
  u.max_speed_kn = 150;
  u.personnel = 12;
  return u;
}

}  // namespace

Timestamp StartTime() { return T("2026-03-02T08:00:00Z"); }

RegistryData TestRegistry() {
  RegistryData d;
  d.parties = {{"IN", "Republic of India", Cur("INR")}, {"RU", "Russian Federation", Cur("RUB")}};
  d.agreements = {TestAgreement()};
  d.catalogue = TestCatalogue();
  d.fuel_compatibility = {
      // A frigate's gas turbines take jet fuel only in an emergency.
      {"F-76", "F-44", FuelCompatibilityLevel::kEmergencyOnly, "emergencies only"},
      // Helicopters take TS-1 with an anti-icing additive.
      {"F-44", "TS-1", FuelCompatibilityLevel::kWithAdditive, "FSII additive"},
  };
  d.facilities = {RussianPort(), IndianPort()};
  d.units = {Ship(kInShip, "INS Test frigate", "IN", 125, 4.5),
             // Longer and deeper than any berth at RU-VLD (200 m, 9.5 m).
             Ship(kInCarrier, "INS Test carrier", "IN", 283, 10.5), Helicopters(),
             Ship(kRuShip, "RFS Test corvette", "RU", 104, 3.7)};
  return d;
}

Actor As(const std::string& party, Role role) { return Actor{party, role, party + " " + std::string(Name(role))}; }
Actor SystemActor() { return Actor{kSystemParty, Role::kAdmin, "fixture"}; }

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = {Role::kRequester, Role::kApprover, Role::kLogisticsOfficer, Role::kReceiver,
                                         Role::kFinance,   Role::kAuditor,  Role::kAdmin};
  return kAll;
}

const std::vector<OrderState>& AllStates() {
  static const std::vector<OrderState> kAll = {OrderState::kDraft,     OrderState::kSubmitted, OrderState::kApproved,
                                               OrderState::kRejected,  OrderState::kDelivered, OrderState::kReceipted,
                                               OrderState::kClosed,    OrderState::kCancelled};
  return kAll;
}

const std::vector<Action>& AllActions() {
  static const std::vector<Action> kAll = {Action::kCreate,  Action::kSubmit,  Action::kApprove,
                                           Action::kReject,  Action::kDeliver, Action::kReceipt,
                                           Action::kResolve, Action::kCancel,  Action::kClose};
  return kAll;
}

::testing::AssertionResult IsError(const Status& s, StatusCode code, std::string_view reason) {
  if (s.code() == code && s.reason() == reason) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected " << StatusCodeName(code) << " [" << reason << "], got " << s;
}

int64_t EventCount(storage::Store& store) {
  auto txn = store.BeginRead().value();
  std::optional<audit::Event> last = txn->LastEvent().value();
  return last ? last->seq : 0;
}

Footprint FootprintOf(storage::Store& store) {
  auto txn = store.BeginRead().value();
  storage::OrderFilter all;
  all.limit = INT64_MAX;
  Footprint f{txn->ListOrders(all).value(), txn->ListFacilities().value(), 0};
  std::optional<audit::Event> last = txn->LastEvent().value();
  f.events = last ? last->seq : 0;
  return f;
}

void PrintTo(const Footprint& f, std::ostream* os) {
  *os << "{" << f.events << " events;";
  for (const Order& o : f.orders) *os << " " << o.number << " v" << o.version << " " << Name(o.state) << ";";
  for (const Facility& fac : f.facilities) {
    for (const FuelStock& s : fac.fuel) *os << " " << fac.code << " " << s.grade << " " << s.on_hand.ToString() << ";";
  }
  *os << "}";
}

Facility GetFacility(storage::Store& store, const std::string& code) {
  return store.BeginRead().value()->GetFacility(code).value();
}

Order GetOrder(storage::Store& store, int64_t id) { return store.BeginRead().value()->GetOrder(id).value(); }

Result<Order> Perform(orders::OrderService& service, Action action, const Actor& actor, const Order& o,
                      const orders::Command& cmd) {
  orders::Command c = cmd;
  if (c.remark.empty()) c.remark = "performed by the test";
  switch (action) {
    case Action::kCreate: return InvalidArgument("create is not an action on an existing order");
    case Action::kSubmit: return service.Submit(actor, o.id, c);
    case Action::kApprove: return service.Approve(actor, o.id, {}, c);
    case Action::kReject: return service.Reject(actor, o.id, c);
    case Action::kDeliver: return service.Deliver(actor, o.id, {}, c);
    case Action::kReceipt: return service.Receipt(actor, o.id, {}, c);
    case Action::kResolve: {
      const orders::OrderLine& line = o.lines.front();
      return service.Resolve(actor, o.id, line.line_no, line.delivered.value_or(Quantity(0, line.requested.unit())), c);
    }
    case Action::kCancel: return service.Cancel(actor, o.id, c);
    case Action::kClose: return service.Close(actor, o.id, c);
  }
  return Internal("unknown action");
}

Actor RightActorFor(Action action) {
  switch (action) {
    case Action::kCreate:
    case Action::kSubmit:
    case Action::kCancel: return As("IN", Role::kRequester);
    case Action::kApprove:
    case Action::kReject:
    case Action::kResolve: return As("RU", Role::kApprover);
    case Action::kDeliver: return As("RU", Role::kLogisticsOfficer);
    case Action::kReceipt: return As("IN", Role::kReceiver);
    case Action::kClose: return As("IN", Role::kFinance);
  }
  return As("IN", Role::kRequester);
}

OrdersFixture::OrdersFixture(storage::Store& s) : store(s) {
  RELOS_CHECK(registry.Import(SystemActor(), TestRegistry()).ok(), "the test registry does not import");
}

orders::LineRequest OrdersFixture::Line(const std::string& item, const Quantity& quantity, int64_t offset_days,
                                        int64_t days) const {
  const Timestamp start = clock.Now().PlusDays(offset_days);
  return orders::LineRequest{item, quantity, start, start.PlusDays(days), "", ""};
}

orders::CreateOrderRequest OrdersFixture::Request() const {
  return Request({Line(kF76, Q("10 tonne")), Line(kBerthDay, Q("2 berth-day"))});
}

orders::CreateOrderRequest OrdersFixture::Request(std::vector<orders::LineRequest> lines, Purpose purpose,
                                                  const std::string& unit) const {
  orders::CreateOrderRequest r;
  r.agreement = kAgreement;
  r.unit = unit;
  r.facility = kRuPort;
  r.purpose = purpose;
  r.settlement = SettlementMode::kCash;
  r.lines = std::move(lines);
  return r;
}

Result<Order> OrdersFixture::Create(const orders::CreateOrderRequest& request) {
  return orders.Create(As("IN", Role::kRequester), request);
}

Result<Order> OrdersFixture::RaiseTo(OrderState state, const orders::CreateOrderRequest& request, bool dispute) {
  ASSIGN_OR_RETURN(Order o, Create(request));
  // The path to each state, as actions after create.
  std::vector<Action> path;
  switch (state) {
    case OrderState::kDraft: break;
    case OrderState::kCancelled: path = {Action::kCancel}; break;
    case OrderState::kSubmitted: path = {Action::kSubmit}; break;
    case OrderState::kRejected: path = {Action::kSubmit, Action::kReject}; break;
    case OrderState::kApproved: path = {Action::kSubmit, Action::kApprove}; break;
    case OrderState::kDelivered: path = {Action::kSubmit, Action::kApprove, Action::kDeliver}; break;
    case OrderState::kReceipted: path = {Action::kSubmit, Action::kApprove, Action::kDeliver, Action::kReceipt}; break;
    case OrderState::kClosed:
      path = {Action::kSubmit, Action::kApprove, Action::kDeliver, Action::kReceipt, Action::kClose};
      break;
  }
  for (Action a : path) {
    if (a == Action::kReceipt && dispute) {
      const orders::OrderLine& line = o.lines.front();
      orders::LineReceipt r{line.line_no, orders::ReceiptVerdict::kDisputed, Quantity(0, line.requested.unit()),
                            "nothing arrived"};
      ASSIGN_OR_RETURN(o, orders.Receipt(As("IN", Role::kReceiver), o.id, {r}));
      continue;
    }
    if (a == Action::kClose && dispute) {
      ASSIGN_OR_RETURN(o, Perform(orders, Action::kResolve, RightActorFor(Action::kResolve), o));
    }
    ASSIGN_OR_RETURN(o, Perform(orders, a, RightActorFor(a), o));
  }
  return o;
}

Status OrdersFixture::UpdateRegistry(const std::function<void(RegistryData&)>& mutate) {
  ASSIGN_OR_RETURN(RegistryData data, registry.Load());
  mutate(data);
  return registry.Import(SystemActor(), data).status();
}

}  // namespace relos::testing

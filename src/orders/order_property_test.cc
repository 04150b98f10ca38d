// Random operation sequences on a MemoryStore: creates, every transition
// with random (often wrong) actors, random quantities including over-
// approval and over-delivery, stale versions, clock jumps and restocking.
// After every step the invariants are checked; at the end the store must
// verify against its audit chain.
//
// Reproduce a failure with RELOS_PROPERTY_SEED=<seed printed> (the base
// seed; sequence k uses base + k).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "orders/testing/fixture.h"
#include "relos/audit/verify.h"
#include "relos/orders/policy.h"
#include "relos/storage/memory_store.h"

namespace relos::orders {
namespace {

using registry::Purpose;
using relos::testing::As;
using relos::testing::Footprint;
using relos::testing::FootprintOf;
using S = OrderState;

constexpr uint64_t kDefaultSeed = 20260302;
constexpr int kSequences = 6;
constexpr int kStepsPerSequence = 500;
constexpr int kMaxOrders = 40;

// The lifecycle's edges, written out again (see lifecycle.h).
const std::set<std::pair<S, S>> kEdges = {
    {S::kDraft, S::kSubmitted},     {S::kDraft, S::kCancelled},     {S::kSubmitted, S::kApproved},
    {S::kSubmitted, S::kRejected},  {S::kSubmitted, S::kCancelled}, {S::kApproved, S::kDelivered},
    {S::kApproved, S::kCancelled},  {S::kDelivered, S::kReceipted}, {S::kReceipted, S::kReceipted},
    {S::kReceipted, S::kClosed},
};

struct ItemChoice {
  const char* code;
  int64_t min_milli;
  int64_t max_milli;
  UnitOfMeasure unit;
};

class Sequence {
 public:
  explicit Sequence(uint64_t seed) : rng_(seed) {
    for (const auto& item : relos::testing::TestRegistry().catalogue) {
      if (item.fuel_grade) grade_of_[item.code] = *item.fuel_grade;
    }
    for (const auto& f : FootprintOf(store_).facilities) {
      for (const auto& s : f.fuel) opening_[{f.code, s.grade}] = s.on_hand;
    }
    expected_events_ = relos::testing::EventCount(store_);
  }

  // Runs the steps; stops at the first broken invariant (a fatal failure).
  void Run(int steps) {
    for (step_ = 0; step_ < steps && !::testing::Test::HasFatalFailure(); ++step_) Step();
    if (::testing::Test::HasFatalFailure()) return;
    auto txn = store_.BeginRead().value();
    const audit::VerifyReport report = audit::VerifyStore(*txn).value();
    EXPECT_TRUE(report.ok()) << report.problem;
    EXPECT_EQ(report.events_checked, expected_events_);
    EXPECT_EQ(relos::testing::EventCount(store_), expected_events_);
  }

  int successes() const { return successes_; }
  // How often each action ended how ("deliver OK", "approve
  // RESOURCE_EXHAUSTED policy.fuel_stock"...).
  const std::map<std::string, int>& outcomes() const { return outcomes_; }
  int refusals() const { return refusals_; }

 private:
  int64_t Uniform(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng_); }
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Uniform(0, static_cast<int64_t>(v.size()) - 1)]; }

  static const std::vector<Action>& NextActions(OrderState state) {
    static const std::map<OrderState, std::vector<Action>> kNext = {
        {S::kDraft, {Action::kSubmit, Action::kSubmit, Action::kSubmit, Action::kSubmit, Action::kCancel}},
        {S::kSubmitted, {Action::kApprove, Action::kApprove, Action::kApprove, Action::kApprove, Action::kReject,
                         Action::kCancel}},
        {S::kApproved, {Action::kDeliver, Action::kDeliver, Action::kDeliver, Action::kDeliver, Action::kCancel}},
        {S::kDelivered, {Action::kReceipt}},
        {S::kReceipted, {Action::kClose, Action::kResolve}},
    };
    static const std::vector<Action> kNone;
    auto it = kNext.find(state);
    return it == kNext.end() ? kNone : it->second;
  }

  Actor RandomActor() { return As(Pick(relos::testing::kParties), Pick(relos::testing::AllRoles())); }

  // Mostly the right person, sometimes anyone.
  Actor ActorFor(Action action, const Order& o) {
    if (Chance(35)) return RandomActor();
    Actor a = relos::testing::RightActorFor(action);
    // The fixture's right actors are for orders IN requests from RU.
    const bool requester_side = a.party == "IN";
    a.party = requester_side ? o.requester : o.supplier;
    if ((action == Action::kCancel || action == Action::kClose) && Chance(50)) {
      a = As(o.supplier, action == Action::kCancel ? Role::kApprover : Role::kFinance);
    }
    return a;
  }

  Quantity Around(const Quantity& q, int max_percent) {
    return Quantity(Uniform(0, q.milli() * max_percent / 100), q.unit());
  }

  CreateOrderRequest RandomRequest(const std::string& requester) {
    static const std::vector<ItemChoice> kAtRu = {
        {relos::testing::kF76, 1000, 150000, UnitOfMeasure::kTonne},
        {relos::testing::kF44, 1000000, 50000000, UnitOfMeasure::kLitre},
        {relos::testing::kTs1, 100000, 20000000, UnitOfMeasure::kKilogram},
        {relos::testing::kBerthDay, 1000, 5000, UnitOfMeasure::kBerthDay},
        {relos::testing::kWater, 1000, 50000, UnitOfMeasure::kTonne},
        {relos::testing::kMedBed, 1000, 40000, UnitOfMeasure::kBedDay},
        {relos::testing::kAccomBed, 1000, 100000, UnitOfMeasure::kBedDay},
        {relos::testing::kF76, 1000, 150000, UnitOfMeasure::kTonne},
        {relos::testing::kBerthDay, 1000, 5000, UnitOfMeasure::kBerthDay},
        {relos::testing::kMeals, 10000, 500000, UnitOfMeasure::kMeal},  // not offered: refused
        {relos::testing::kAmmo, 1000, 10000, UnitOfMeasure::kEach},    // excluded: refused
    };
    static const std::vector<ItemChoice> kAtIn = {
        {relos::testing::kF76, 1000, 200000, UnitOfMeasure::kTonne},
        {relos::testing::kBerthDay, 1000, 5000, UnitOfMeasure::kBerthDay},
        {relos::testing::kWater, 1000, 50000, UnitOfMeasure::kTonne},
        {relos::testing::kMeals, 10000, 500000, UnitOfMeasure::kMeal},
    };
    static const std::vector<Purpose> kPurposes = {Purpose::kPortCall,       Purpose::kPortCall, Purpose::kPortCall,
                                                   Purpose::kDisasterRelief, Purpose::kExercise, Purpose::kHumanitarian,
                                                   Purpose::kTransit};
    const bool indian = requester == "IN";
    const auto& items = indian ? kAtRu : kAtIn;
    CreateOrderRequest r = f_.Request({}, Pick(kPurposes));
    r.facility = indian ? relos::testing::kRuPort : relos::testing::kInPort;
    r.unit = indian ? Pick(std::vector<std::string>{relos::testing::kInShip, relos::testing::kInShip,
                                                    relos::testing::kInShip, relos::testing::kInHelo,
                                                    relos::testing::kInCarrier})
                    : relos::testing::kRuShip;
    const Timestamp start = f_.clock.Now().PlusSeconds(Uniform(0, 60 * kSecondsPerDay));
    const Timestamp end = start.PlusSeconds(Uniform(1, 6) * kSecondsPerDay);
    for (int64_t n = Uniform(1, 2); n > 0; --n) {
      const ItemChoice& c = Pick(items);
      r.lines.push_back({c.code, Quantity(Uniform(c.min_milli, c.max_milli), c.unit), start, end, "", ""});
    }
    if (Chance(10)) r.idempotency_key = "key-" + std::to_string(Uniform(1, 5));
    return r;
  }

  // One random operation; returns the order it acted on (0 for none) and
  // its status, and what the chain should have grown by if it succeeded.
  Status Operate(int64_t* order_id, Action* action, int64_t* new_events) {
    *order_id = 0;
    *new_events = 1;
    const Footprint& now = before_;
    const int64_t dice = Uniform(1, 100);
    if (dice <= 8) {  // the clock moves on
      label_ = "clock";
      f_.clock.Advance(Uniform(0, 3 * kSecondsPerDay));
      *new_events = 0;
      return OkStatus();
    }
    if (dice <= 11) {  // a tanker calls at RU-VLD
      label_ = "restock";
      *new_events = 0;
      const Quantity added = Quantity(Uniform(1, 300) * 1000, UnitOfMeasure::kTonne);
      registry::RegistryData d;
      for (const auto& f : now.facilities) {
        if (f.code == relos::testing::kRuPort) d.facilities.push_back(f);
      }
      registry::FuelStock& stock = d.facilities[0].fuel[0];
      RELOS_CHECK(stock.grade == "F-76", "RU-VLD's first tank holds F-76");
      const Quantity after = stock.on_hand.Add(added).value();
      if (after.Compare(stock.capacity).value() > 0) return OkStatus();
      stock.on_hand = after;
      ASSIGN_OR_RETURN(registry::ImportSummary summary, f_.registry.Import(relos::testing::SystemActor(), d));
      *new_events = summary.changed + summary.added;
      auto& total = restocked_[{relos::testing::kRuPort, "F-76"}];
      total = total.milli() == 0 ? added : total.Add(added).value();
      return OkStatus();
    }
    if ((dice <= 25 || now.orders.empty()) && static_cast<int>(now.orders.size()) < kMaxOrders) {
      *action = Action::kCreate;
      const std::string requester = Chance(80) ? "IN" : "RU";
      const Actor actor = Chance(85) ? As(requester, Role::kRequester) : RandomActor();
      auto o = f_.orders.Create(actor, RandomRequest(requester));
      if (o.ok()) {
        *order_id = o->id;
        // A replayed key returns the original order and appends nothing.
        if (std::any_of(now.orders.begin(), now.orders.end(), [&](const Order& x) { return x.id == o->id; })) {
          *new_events = 0;
        }
      }
      return o.status();
    }

    // Mostly an order still under way and an action that could follow.
    std::vector<const Order*> live;
    for (const Order& o : now.orders) {
      if (!NextActions(o.state).empty()) live.push_back(&o);
    }
    const Order& o = live.empty() || Chance(15) ? Pick(now.orders) : *Pick(live);
    *order_id = o.id;
    const std::vector<Action>& next = NextActions(o.state);
    *action = next.empty() || Chance(20) ? Pick(std::vector<Action>{Action::kSubmit, Action::kApprove,
                                                                     Action::kReject, Action::kDeliver,
                                                                     Action::kReceipt, Action::kResolve,
                                                                     Action::kCancel, Action::kClose})
                                         : Pick(next);
    const Actor actor = ActorFor(*action, o);
    Command cmd;
    if (!Chance(10)) cmd.remark = "step " + std::to_string(step_);
    if (Chance(15)) cmd.expected_version = o.version - Uniform(0, 1);
    switch (*action) {
      case Action::kSubmit: return f_.orders.Submit(actor, o.id, cmd).status();
      case Action::kApprove: {
        std::vector<LineApproval> lines;
        if (Chance(60)) {
          for (const auto& l : o.lines) {
            if (Chance(70)) lines.push_back({l.line_no, Around(l.requested, 130)});
          }
        }
        return f_.orders.Approve(actor, o.id, lines, cmd).status();
      }
      case Action::kReject: return f_.orders.Reject(actor, o.id, cmd).status();
      case Action::kDeliver: {
        std::vector<LineDelivery> lines;
        for (const auto& l : o.lines) {
          if (!l.approved || !Chance(60)) continue;
          lines.push_back({l.line_no, Around(*l.approved, 150), Chance(50) ? "meter reading" : ""});
        }
        return f_.orders.Deliver(actor, o.id, lines, cmd).status();
      }
      case Action::kReceipt: {
        std::vector<LineReceipt> lines;
        for (const auto& l : o.lines) {
          if (!l.delivered || !Chance(30)) continue;
          lines.push_back({l.line_no, ReceiptVerdict::kDisputed, Around(*l.delivered, 100),
                           Chance(80) ? "short at the count" : ""});
        }
        return f_.orders.Receipt(actor, o.id, lines, cmd).status();
      }
      case Action::kResolve: {
        const OrderLine& l = Pick(o.lines);
        const Quantity base = l.delivered.value_or(l.requested);
        return f_.orders.Resolve(actor, o.id, l.line_no, Around(base, 120), cmd).status();
      }
      case Action::kCancel: return f_.orders.Cancel(actor, o.id, cmd).status();
      case Action::kClose: return f_.orders.Close(actor, o.id, cmd).status();
      case Action::kCreate: break;
    }
    return Internal("unreachable");
  }

  void Step() {
    before_ = FootprintOf(store_);
    int64_t id = 0, new_events = 0;
    Action action = Action::kCreate;
    label_.clear();
    const Status s = Operate(&id, &action, &new_events);
    if (label_.empty()) label_ = Name(action);
    const Footprint after = FootprintOf(store_);
    SCOPED_TRACE("step " + std::to_string(step_) + " " + label_ + " order " +
                 std::to_string(id) + ": " + s.ToString());
    ++outcomes_[label_ + " " + std::string(StatusCodeName(s.code())) +
                (s.reason().empty() ? "" : " " + s.reason())];
    if (!s.ok()) {
      ++refusals_;
      // A refusal is a specific one, never a bug...
      ASSERT_NE(s.code(), StatusCode::kInternal);
      ASSERT_FALSE(s.reason().empty());
      // ...and changes nothing.
      ASSERT_EQ(after, before_);
      return;
    }
    ++successes_;
    // Fuel issued at delivery is recorded as the facility's own event.
    if (id != 0 && action == Action::kDeliver && after.facilities != before_.facilities) ++new_events;
    expected_events_ += new_events;
    ASSERT_EQ(after.events, expected_events_);
    CheckOnlyOneOrderMoved(id, action, after);
    CheckInvariants(after);
  }

  void CheckOnlyOneOrderMoved(int64_t id, Action action, const Footprint& after) {
    std::map<int64_t, const Order*> was;
    for (const Order& o : before_.orders) was[o.id] = &o;
    for (const Order& o : after.orders) {
      auto it = was.find(o.id);
      if (it == was.end()) {
        ASSERT_EQ(o.id, id) << "an order appeared that was not created";
        ASSERT_EQ(o.state, S::kDraft);
        continue;
      }
      const Order& old = *it->second;
      if (o.id != id || action == Action::kCreate) {
        ASSERT_EQ(o, old) << "order " << o.number << " changed by an operation on order " << id;
        continue;
      }
      ASSERT_EQ(o.state, TargetState(action));
      ASSERT_TRUE(kEdges.count({old.state, o.state})) << Name(old.state) << " -> " << Name(o.state);
      ASSERT_EQ(o.version, old.version + 1);
    }
  }

  void CheckInvariants(const Footprint& now) {
    // Stock: never negative, and what left the tanks is what was delivered.
    std::map<std::pair<std::string, std::string>, Quantity> issued;
    std::map<std::string, registry::Facility> facilities;
    for (const auto& f : now.facilities) {
      facilities[f.code] = f;
      for (const auto& s : f.fuel) ASSERT_GE(s.on_hand.milli(), 0) << f.code << " " << s.grade;
    }
    for (const Order& o : now.orders) {
      for (const OrderLine& l : o.lines) {
        const std::string where = o.number + " line " + std::to_string(l.line_no);
        if (l.approved) {
          ASSERT_LE(l.approved->Compare(l.requested).value(), 0) << where;
        }
        if (l.delivered) {
          ASSERT_TRUE(l.approved.has_value()) << where;
          if (l.delivered->Compare(*l.approved).value() > 0) {
            ASSERT_FALSE(l.discrepancy.empty()) << where << ": delivered above approved without a discrepancy";
          }
          auto grade = grade_of_.find(l.item);
          if (grade != grade_of_.end() && !l.delivered->is_zero()) {
            const registry::FuelStock* stock = facilities[o.facility].FindFuel(grade->second);
            ASSERT_NE(stock, nullptr) << where;
            const Quantity q = l.delivered->ConvertWithDensity(stock->on_hand.unit(), kNominalFuelDensityKgPerM3).value();
            auto [it, fresh] = issued.emplace(std::make_pair(o.facility, grade->second), q);
            if (!fresh) it->second = it->second.Add(q).value();
          }
        }
        if (o.state == S::kClosed) {
          ASSERT_NE(l.verdict, ReceiptVerdict::kDisputed) << where;
        }
        if (o.state == S::kDelivered || o.state == S::kReceipted || o.state == S::kClosed) {
          ASSERT_TRUE(l.delivered.has_value()) << where;
        }
      }
    }
    for (const auto& [key, opening] : opening_) {
      Quantity expected = opening;
      if (auto r = restocked_.find(key); r != restocked_.end()) expected = expected.Add(r->second).value();
      if (auto i = issued.find(key); i != issued.end()) expected = expected.Subtract(i->second).value();
      ASSERT_EQ(facilities[key.first].FindFuel(key.second)->on_hand, expected) << key.first << " " << key.second;
    }
  }

  std::mt19937_64 rng_;
  storage::MemoryStore store_;
  relos::testing::OrdersFixture f_{store_};
  std::map<std::string, std::string> grade_of_;  // fuel item -> grade
  std::map<std::pair<std::string, std::string>, Quantity> opening_;    // (facility, grade) -> opening stock
  std::map<std::pair<std::string, std::string>, Quantity> restocked_;  // (facility, grade) -> added since
  Footprint before_;
  int64_t expected_events_ = 0;
  int step_ = 0;
  int successes_ = 0;
  int refusals_ = 0;
  std::map<std::string, int> outcomes_;
  std::string label_;  // what the current step does
};

uint64_t BaseSeed() {
  const char* env = std::getenv("RELOS_PROPERTY_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : kDefaultSeed;
}

TEST(OrderPropertyTest, RandomSequencesKeepEveryInvariant) {
  const uint64_t base = BaseSeed();
  std::cout << "[ seed     ] RELOS_PROPERTY_SEED=" << base << "\n";
  int successes = 0, refusals = 0;
  std::map<std::string, int> outcomes;
  for (int k = 0; k < kSequences && !HasFatalFailure(); ++k) {
    SCOPED_TRACE("sequence seed " + std::to_string(base + k));
    Sequence seq(base + k);
    seq.Run(kStepsPerSequence);
    successes += seq.successes();
    refusals += seq.refusals();
    for (const auto& [what, n] : seq.outcomes()) outcomes[what] += n;
  }
  std::cout << "[ ops      ] " << successes << " succeeded, " << refusals << " refused\n";
  for (const auto& [what, n] : outcomes) std::cout << "[ ops      ]   " << n << " " << what << "\n";
  // Every transition must have got through sometimes, and the interesting
  // refusals must have been tried.
  for (const char* what : {"clock OK", "restock OK", "create OK", "submit OK", "approve OK", "reject OK", "deliver OK", "receipt OK",
                           "resolve OK", "cancel OK", "close OK", "approve INVALID_ARGUMENT quantity",
                           "deliver INVALID_ARGUMENT discrepancy", "close FAILED_PRECONDITION order.disputed",
                           "submit ABORTED order.stale", "deliver PERMISSION_DENIED lifecycle.role",
                           "deliver NOT_FOUND order"}) {
    EXPECT_GT(outcomes[what], 0) << what;
  }
  // A sequence that is all refusals tests little: most kinds of step must
  // get through sometimes.
  EXPECT_GT(successes, kSequences * kStepsPerSequence / 5);
  EXPECT_GT(refusals, kSequences * kStepsPerSequence / 5);
}

}  // namespace
}  // namespace relos::orders

#include "relos/orders/order_service.h"

#include <cstdio>
#include <map>

#include "relos/audit/chain.h"
#include "relos/codec/codec.h"
#include "relos/orders/policy.h"

namespace relos::orders {
namespace {

using registry::SupportCategory;

Status RecordOrder(storage::Transaction& txn, const Actor& actor, Timestamp at, Action action, const Order& o) {
  return audit::Append(txn, DraftFor(actor, at, "order." + std::string(Name(action)), "order/" + o.number,
                                     codec::Canonical(codec::ToJson(o))))
      .status();
}

// A stable digest of what a create request asks for, to recognise replays.
std::string ContentHash(const std::string& party, const CreateOrderRequest& r) {
  std::string s;
  auto add = [&s](const std::string& f) { s += std::to_string(f.size()) + ":" + f + ";"; };
  add(party);
  add(r.agreement);
  add(r.unit);
  add(r.facility);
  add(std::string(registry::Name(r.purpose)));
  add(std::string(registry::Name(r.settlement)));
  add(r.exercise);
  for (const auto& l : r.lines) {
    add(l.item);
    add(l.quantity.ToString());
    add(l.window_start.ToIso8601());
    add(l.window_end.ToIso8601());
    add(l.note);
    add(l.document_sha256);
  }
  return audit::Sha256Hex(s);
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<PolicyContext> LoadPolicyContext(storage::Transaction& txn, const Order& order, Timestamp now,
                                        registry::Agreement* agreement, registry::Facility* facility,
                                        registry::Unit* unit) {
  PolicyContext ctx;
  ctx.now = now;
  ASSIGN_OR_RETURN(*agreement, txn.GetAgreement(order.agreement));
  ASSIGN_OR_RETURN(*facility, txn.GetFacility(order.facility));
  ASSIGN_OR_RETURN(*unit, txn.GetUnit(order.unit));
  ctx.agreement = agreement;
  ctx.facility = facility;
  ctx.unit = unit;
  for (const auto& l : order.lines) {
    if (!ctx.items.count(l.item)) {
      ASSIGN_OR_RETURN(registry::CatalogItem item, txn.GetCatalogItem(l.item));
      ctx.items.emplace(l.item, std::move(item));
    }
  }
  ASSIGN_OR_RETURN(ctx.fuel_compatibility, txn.ListFuelCompatibility());

  storage::OrderFilter visits;
  visits.requester = order.requester;
  visits.facility = order.facility;
  visits.states = {OrderState::kSubmitted, OrderState::kApproved, OrderState::kDelivered, OrderState::kReceipted,
                   OrderState::kClosed};
  visits.limit = INT64_MAX;
  ASSIGN_OR_RETURN(std::vector<Order> others, txn.ListOrders(visits));
  for (auto& o : others) {
    if (o.id != order.id) ctx.other_visits.push_back(std::move(o));
  }

  const Visit visit = VisitOf(order);
  ASSIGN_OR_RETURN(auto replenishments, txn.Capacity().ListReplenishments(order.facility, ""));
  for (const auto& r : replenishments) {
    const registry::FuelStock* stock = facility->FindFuel(r.grade);
    if (stock == nullptr || !(now < r.at) || visit.end < r.at) continue;
    const Quantity q(r.amount, stock->on_hand.unit());
    auto it = ctx.fuel_incoming.find(r.grade);
    if (it == ctx.fuel_incoming.end()) {
      ctx.fuel_incoming.emplace(r.grade, q);
    } else {
      ASSIGN_OR_RETURN(it->second, it->second.Add(q));
    }
  }

  // Approved, undelivered fuel at this facility is a reservation on stock.
  storage::OrderFilter approved;
  approved.facility = order.facility;
  approved.states = {OrderState::kApproved};
  approved.limit = INT64_MAX;
  ASSIGN_OR_RETURN(std::vector<Order> pending, txn.ListOrders(approved));
  std::map<std::string, registry::CatalogItem> item_cache;
  for (const auto& o : pending) {
    if (o.id == order.id) continue;
    for (const auto& l : o.lines) {
      if (!l.approved || l.approved->is_zero()) continue;
      auto it = item_cache.find(l.item);
      if (it == item_cache.end()) {
        ASSIGN_OR_RETURN(registry::CatalogItem item, txn.GetCatalogItem(l.item));
        it = item_cache.emplace(l.item, std::move(item)).first;
      }
      if (it->second.category != SupportCategory::kFuel) continue;
      const registry::FuelStock* stock = facility->FindFuel(*it->second.fuel_grade);
      if (stock == nullptr) continue;
      ASSIGN_OR_RETURN(Quantity q, l.approved->ConvertWithDensity(stock->on_hand.unit(), kNominalFuelDensityKgPerM3));
      auto r = ctx.fuel_reserved.find(stock->grade);
      if (r == ctx.fuel_reserved.end()) {
        ctx.fuel_reserved.emplace(stock->grade, q);
      } else {
        ASSIGN_OR_RETURN(r->second, r->second.Add(q));
      }
    }
  }
  return ctx;
}

Status RequireRemark(const Command& cmd, const char* why) {
  if (cmd.remark.empty()) return InvalidArgument(std::string("remark: ") + why, "remark");
  return OkStatus();
}

}  // namespace

audit::EventDraft DraftFor(const Actor& actor, Timestamp at, std::string kind, std::string subject,
                           std::string payload) {
  return {at, actor.party, std::string(Name(actor.role)), actor.name, std::move(kind), std::move(subject),
          std::move(payload)};
}

OrderService::OrderService(storage::Store& store, const Clock& clock, std::vector<OrderObserver*> observers)
    : store_(store), clock_(clock), observers_(std::move(observers)) {}

Result<Order> OrderService::Create(const Actor& actor, const CreateOrderRequest& r) {
  ASSIGN_OR_RETURN(std::vector<Order> made, CreateAll(actor, {r}));
  return std::move(made.front());
}

Result<std::vector<Order>> OrderService::CreateAll(const Actor& actor, const std::vector<CreateOrderRequest>& requests) {
  if (actor.role != Role::kRequester) {
    return PermissionDenied("only a requester may raise an order; " + actor.ToString() + " is a " +
                                std::string(Name(actor.role)),
                            "lifecycle.role");
  }
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  const Timestamp now = clock_.Now();
  std::vector<Order> made;
  for (size_t i = 0; i < requests.size(); ++i) {
    Result<Order> o = CreateIn(*txn, actor, requests[i], now);
    // Which of several requests failed; one alone is reported as before.
    if (!o.ok()) return requests.size() == 1 ? o.status() : o.status().WithContext("orders[" + std::to_string(i) + "]");
    made.push_back(*std::move(o));
  }
  RETURN_IF_ERROR(txn->Commit());
  return made;
}

Result<Order> OrderService::CreateIn(storage::Transaction& txn, const Actor& actor, const CreateOrderRequest& r,
                                     Timestamp now) {
  if (r.lines.empty()) return InvalidArgument("lines: an order needs at least one line", "lines");
  if (r.idempotency_key.size() > 128) return InvalidArgument("idempotency_key: longer than 128 characters", "idempotency_key");
  if (r.exercise.size() > 128) return InvalidArgument("exercise: longer than 128 characters", "exercise");

  const std::string content_hash = ContentHash(actor.party, r);
  if (!r.idempotency_key.empty()) {
    ASSIGN_OR_RETURN(std::optional<Order> prior, txn.FindOrderByIdempotencyKey(actor.party, r.idempotency_key));
    if (prior) {
      if (prior->content_hash == content_hash) return *prior;
      return AlreadyExists("idempotency key '" + r.idempotency_key + "' was used for order " + prior->number +
                               " with different content",
                           "idempotency_key");
    }
  }

  auto agreement = txn.GetAgreement(r.agreement);
  if (!agreement.ok()) return agreement.status().WithContext("agreement");
  // Another party's agreement or unit answers as if it did not exist, so
  // that guessing codes discloses nothing.
  if (!agreement->Binds(actor.party)) {
    return NotFound("agreement: agreement '" + r.agreement + "' not found", "storage.not_found");
  }
  auto unit = txn.GetUnit(r.unit);
  if (!unit.ok()) return unit.status().WithContext("unit");
  if (unit->owner != actor.party) return NotFound("unit: unit '" + r.unit + "' not found", "storage.not_found");
  auto facility = txn.GetFacility(r.facility);
  if (!facility.ok()) return facility.status().WithContext("facility");
  const std::string supplier = agreement->PartnerOf(actor.party);
  if (facility->owner != supplier) {
    return InvalidArgument("facility: " + r.facility + " belongs to " + facility->owner + ", not the partner " + supplier,
                           "facility");
  }

  Order o;
  o.agreement = r.agreement;
  o.requester = actor.party;
  o.supplier = supplier;
  o.unit = r.unit;
  o.facility = r.facility;
  o.purpose = r.purpose;
  o.settlement = r.settlement;
  o.exercise = r.exercise;
  o.idempotency_key = r.idempotency_key;
  o.content_hash = content_hash;
  for (size_t i = 0; i < r.lines.size(); ++i) {
    const LineRequest& lr = r.lines[i];
    const std::string path = "lines[" + std::to_string(i) + "]";
    auto item = txn.GetCatalogItem(lr.item);
    if (!item.ok()) return item.status().WithContext(path + ".item");
    if (lr.quantity.milli() <= 0) return InvalidArgument(path + ".quantity: must be greater than zero", "quantity");
    auto q = lr.quantity.ConvertTo(item->unit);
    if (!q.ok()) {
      return InvalidArgument(path + ".quantity: " + lr.item + " is issued in " +
                                 std::string(UnitOfMeasureName(item->unit)) + ", not " +
                                 std::string(UnitOfMeasureName(lr.quantity.unit())),
                             "quantity");
    }
    if (!(lr.window_start < lr.window_end)) {
      return InvalidArgument(path + ".window_end: must be after window_start", "window_end");
    }
    if (lr.note.size() > 1000) return InvalidArgument(path + ".note: longer than 1000 characters", "note");
    if (!lr.document_sha256.empty() && !IsHex64(lr.document_sha256)) {
      return InvalidArgument(path + ".document_sha256: must be 64 lower-case hex digits", "document_sha256");
    }
    OrderLine line;
    line.line_no = static_cast<int>(i) + 1;
    line.item = lr.item;
    line.requested = *q;
    line.window_start = lr.window_start;
    line.window_end = lr.window_end;
    line.note = lr.note;
    line.document_sha256 = lr.document_sha256;
    o.lines.push_back(std::move(line));
  }
  o.state = OrderState::kDraft;
  o.version = 1;
  o.created_at = now;
  o.updated_at = now;
  o.history.push_back({OrderState::kDraft, actor, now, ""});

  const int year = now.Year();
  ASSIGN_OR_RETURN(int64_t count, txn.CountOrdersInYear(o.agreement, year));
  char serial[32];
  std::snprintf(serial, sizeof serial, "-%04d-%06lld", year, static_cast<long long>(count + 1));
  o.number = o.agreement + serial;

  ASSIGN_OR_RETURN(o.id, txn.InsertOrder(o));
  for (OrderObserver* obs : observers_) RETURN_IF_ERROR(obs->OnTransition(txn, Action::kCreate, o, o, actor));
  RETURN_IF_ERROR(RecordOrder(txn, actor, now, Action::kCreate, o));
  return o;
}

template <typename Mutate>
Result<Order> OrderService::Transition(const Actor& actor, int64_t id, Action action, const Command& cmd,
                                       Mutate&& mutate) {
  if (cmd.remark.size() > 2000) return InvalidArgument("remark: longer than 2000 characters", "remark");
  ASSIGN_OR_RETURN(auto txn, store_.BeginWrite());
  auto loaded = txn->GetOrder(id);
  // The answer CheckTransition gives a third party, so that the two cannot
  // be told apart.
  if (!loaded.ok() && loaded.status().code() == StatusCode::kNotFound) {
    return NotFound("no order " + std::to_string(id), "order");
  }
  ASSIGN_OR_RETURN(Order before, std::move(loaded));
  RETURN_IF_ERROR(CheckTransition(action, before, actor));
  if (cmd.expected_version && *cmd.expected_version != before.version) {
    return Aborted("order " + before.number + " is at version " + std::to_string(before.version) + ", not " +
                       std::to_string(*cmd.expected_version) + "; reload and retry",
                   "order.stale");
  }
  const Timestamp now = clock_.Now();
  Order after = before;
  RETURN_IF_ERROR(mutate(*txn, after, now));
  after.state = TargetState(action);
  after.version = before.version + 1;
  after.updated_at = now;
  after.history.push_back({after.state, actor, now, cmd.remark});
  for (OrderObserver* obs : observers_) RETURN_IF_ERROR(obs->OnTransition(*txn, action, before, after, actor));
  RETURN_IF_ERROR(txn->UpdateOrder(after));
  RETURN_IF_ERROR(RecordOrder(*txn, actor, now, action, after));
  RETURN_IF_ERROR(txn->Commit());
  return after;
}

Result<Order> OrderService::Submit(const Actor& actor, int64_t id, const Command& cmd) {
  return Transition(actor, id, Action::kSubmit, cmd, [](storage::Transaction& txn, Order& o, Timestamp now) -> Status {
    registry::Agreement ag;
    registry::Facility fac;
    registry::Unit unit;
    ASSIGN_OR_RETURN(PolicyContext ctx, LoadPolicyContext(txn, o, now, &ag, &fac, &unit));
    RETURN_IF_ERROR(CheckEligibility(o, ctx));
    std::map<int, Quantity> requested;
    for (const auto& l : o.lines) requested.emplace(l.line_no, l.requested);
    return CheckCapacity(o, requested, ctx);
  });
}

Result<Order> OrderService::Approve(const Actor& actor, int64_t id, const std::vector<LineApproval>& lines,
                                    const Command& cmd) {
  return Transition(actor, id, Action::kApprove, cmd, [&](storage::Transaction& txn, Order& o, Timestamp now) -> Status {
    std::map<int, Quantity> approved;
    for (const auto& l : o.lines) approved.emplace(l.line_no, l.requested);
    for (const auto& a : lines) {
      OrderLine* line = o.FindLine(a.line_no);
      if (line == nullptr) return InvalidArgument("line " + std::to_string(a.line_no) + ": no such line", "line");
      auto q = a.quantity.ConvertTo(line->requested.unit());
      if (!q.ok()) return q.status().WithContext("line " + std::to_string(a.line_no) + " quantity");
      ASSIGN_OR_RETURN(int cmp, q->Compare(line->requested));
      if (cmp > 0) {
        return InvalidArgument("line " + std::to_string(a.line_no) + ": cannot approve " + q->ToString() +
                                   ", more than the " + line->requested.ToString() + " requested",
                               "quantity");
      }
      approved[a.line_no] = *q;
    }
    bool any = false;
    for (const auto& [no, q] : approved) any = any || !q.is_zero();
    if (!any) return InvalidArgument("every line approved at zero: reject the order instead", "quantity");

    registry::Agreement ag;
    registry::Facility fac;
    registry::Unit unit;
    ASSIGN_OR_RETURN(PolicyContext ctx, LoadPolicyContext(txn, o, now, &ag, &fac, &unit));
    RETURN_IF_ERROR(CheckEligibility(o, ctx));
    RETURN_IF_ERROR(CheckCapacity(o, approved, ctx));
    for (auto& l : o.lines) {
      l.approved = approved.at(l.line_no);
      ASSIGN_OR_RETURN(Money price, fac.PriceAt(l.item, now));
      l.unit_price = price;
    }
    return OkStatus();
  });
}

Result<Order> OrderService::Reject(const Actor& actor, int64_t id, const Command& cmd) {
  RETURN_IF_ERROR(RequireRemark(cmd, "a rejection must give its reason"));
  return Transition(actor, id, Action::kReject, cmd, [](storage::Transaction&, Order&, Timestamp) { return OkStatus(); });
}

Result<Order> OrderService::Deliver(const Actor& actor, int64_t id, const std::vector<LineDelivery>& lines,
                                    const Command& cmd) {
  return Transition(actor, id, Action::kDeliver, cmd, [&](storage::Transaction& txn, Order& o, Timestamp now) -> Status {
    for (auto& l : o.lines) l.delivered = l.approved;
    for (const auto& d : lines) {
      OrderLine* line = o.FindLine(d.line_no);
      if (line == nullptr) return InvalidArgument("line " + std::to_string(d.line_no) + ": no such line", "line");
      auto q = d.quantity.ConvertTo(line->requested.unit());
      if (!q.ok()) return q.status().WithContext("line " + std::to_string(d.line_no) + " quantity");
      ASSIGN_OR_RETURN(int cmp, q->Compare(*line->approved));
      if (cmp > 0 && d.discrepancy.empty()) {
        return InvalidArgument("line " + std::to_string(d.line_no) + ": delivering " + q->ToString() + " against " +
                                   line->approved->ToString() + " approved needs a discrepancy note",
                               "discrepancy");
      }
      if (d.discrepancy.size() > 1000) return InvalidArgument("discrepancy: longer than 1000 characters", "discrepancy");
      line->delivered = *q;
      line->discrepancy = d.discrepancy;
      if (cmp < 0 && line->discrepancy.empty()) {
        line->discrepancy = "short delivery: " + q->ToString() + " of " + line->approved->ToString() + " approved";
      }
    }
    // Fuel leaves the facility's tanks: the stock can never go negative.
    ASSIGN_OR_RETURN(registry::Facility fac, txn.GetFacility(o.facility));
    bool stock_changed = false;
    for (const auto& l : o.lines) {
      if (!l.delivered || l.delivered->is_zero()) continue;
      ASSIGN_OR_RETURN(registry::CatalogItem item, txn.GetCatalogItem(l.item));
      if (item.category != SupportCategory::kFuel) continue;
      registry::FuelStock* stock = nullptr;
      for (auto& s : fac.fuel) {
        if (s.grade == *item.fuel_grade) stock = &s;
      }
      if (stock == nullptr) {
        return ResourceExhausted("line " + std::to_string(l.line_no) + ": " + fac.code + " holds no " + *item.fuel_grade,
                                 "policy.fuel_stock");
      }
      ASSIGN_OR_RETURN(Quantity q, l.delivered->ConvertWithDensity(stock->on_hand.unit(), kNominalFuelDensityKgPerM3));
      ASSIGN_OR_RETURN(Quantity left, stock->on_hand.Subtract(q));
      if (left.milli() < 0) {
        return ResourceExhausted("line " + std::to_string(l.line_no) + ": " + fac.code + " has " +
                                     stock->on_hand.ToString() + " of " + stock->grade + " on hand, cannot issue " +
                                     q.ToString(),
                                 "policy.fuel_stock");
      }
      stock->on_hand = left;
      stock_changed = true;
    }
    if (stock_changed) {
      RETURN_IF_ERROR(txn.PutFacility(fac));
      RETURN_IF_ERROR(audit::Append(txn, DraftFor(actor, now, "facility.fuel_issued", "facility/" + fac.code,
                                                  codec::Canonical(codec::ToJson(fac))))
                          .status());
    }
    return OkStatus();
  });
}

Result<Order> OrderService::Receipt(const Actor& actor, int64_t id, const std::vector<LineReceipt>& lines,
                                    const Command& cmd) {
  return Transition(actor, id, Action::kReceipt, cmd, [&](storage::Transaction&, Order& o, Timestamp) -> Status {
    for (auto& l : o.lines) {
      l.verdict = ReceiptVerdict::kAcknowledged;
      l.receipted = l.delivered;
    }
    for (const auto& r : lines) {
      OrderLine* line = o.FindLine(r.line_no);
      if (line == nullptr) return InvalidArgument("line " + std::to_string(r.line_no) + ": no such line", "line");
      if (r.verdict == ReceiptVerdict::kPending) {
        return InvalidArgument("line " + std::to_string(r.line_no) + ": acknowledge or dispute", "verdict");
      }
      if (r.reason.size() > 1000) return InvalidArgument("reason: longer than 1000 characters", "reason");
      std::optional<Quantity> q;
      if (r.quantity) {
        auto c = r.quantity->ConvertTo(line->requested.unit());
        if (!c.ok()) return c.status().WithContext("line " + std::to_string(r.line_no) + " quantity");
        q = *c;
      }
      if (r.verdict == ReceiptVerdict::kAcknowledged) {
        if (q && !(*q == *line->delivered)) {
          return InvalidArgument("line " + std::to_string(r.line_no) + ": acknowledging " + q->ToString() + " but " +
                                     line->delivered->ToString() + " were delivered; dispute the line instead",
                                 "quantity");
        }
        continue;
      }
      if (r.reason.empty()) {
        return InvalidArgument("line " + std::to_string(r.line_no) + ": a dispute must give its reason", "reason");
      }
      if (q) {
        ASSIGN_OR_RETURN(int over, q->Compare(*line->delivered));
        if (over > 0) {
          // The receipt is what the receiver acknowledges of the delivery; a
          // surplus is the supplier's to record as a discrepancy.
          return InvalidArgument("line " + std::to_string(r.line_no) + ": counted " + q->ToString() + " exceeds the " +
                                     line->delivered->ToString() + " delivered",
                                 "quantity");
        }
      }
      line->verdict = ReceiptVerdict::kDisputed;
      line->dispute_reason = r.reason;
      line->receipted = q ? *q : Quantity(0, line->requested.unit());
    }
    return OkStatus();
  });
}

Result<Order> OrderService::Resolve(const Actor& actor, int64_t id, int line_no, const Quantity& agreed,
                                    const Command& cmd) {
  return Transition(actor, id, Action::kResolve, cmd, [&](storage::Transaction&, Order& o, Timestamp) -> Status {
    OrderLine* line = o.FindLine(line_no);
    if (line == nullptr) return InvalidArgument("line " + std::to_string(line_no) + ": no such line", "line");
    if (line->verdict != ReceiptVerdict::kDisputed) {
      return FailedPrecondition("line " + std::to_string(line_no) + " of " + o.number + " is not disputed",
                                "order.not_disputed");
    }
    auto q = agreed.ConvertTo(line->requested.unit());
    if (!q.ok()) return q.status().WithContext("quantity");
    ASSIGN_OR_RETURN(int cmp, q->Compare(*line->delivered));
    if (cmp > 0) {
      return InvalidArgument("quantity: the agreed " + q->ToString() + " exceeds the " + line->delivered->ToString() +
                                 " delivered",
                             "quantity");
    }
    line->receipted = *q;
    line->verdict = ReceiptVerdict::kAcknowledged;
    return OkStatus();
  });
}

Result<Order> OrderService::Cancel(const Actor& actor, int64_t id, const Command& cmd) {
  RETURN_IF_ERROR(RequireRemark(cmd, "a cancellation must give its reason"));
  return Transition(actor, id, Action::kCancel, cmd, [](storage::Transaction&, Order&, Timestamp) { return OkStatus(); });
}

Result<Order> OrderService::Close(const Actor& actor, int64_t id, const Command& cmd) {
  return Transition(actor, id, Action::kClose, cmd, [](storage::Transaction&, Order& o, Timestamp) -> Status {
    for (const auto& l : o.lines) {
      if (l.verdict == ReceiptVerdict::kDisputed) {
        return FailedPrecondition("line " + std::to_string(l.line_no) + " of " + o.number +
                                      " is disputed; resolve it before closing",
                                  "order.disputed");
      }
    }
    return OkStatus();
  });
}

Result<Order> OrderService::Get(const Actor& actor, int64_t id) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  auto o = txn->GetOrder(id);
  if (!o.ok()) return NotFound("no order " + std::to_string(id), "order");
  RETURN_IF_ERROR(CheckRead(*o, actor));
  return *o;
}

Result<Order> OrderService::GetByNumber(const Actor& actor, const std::string& number) {
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  auto o = txn->GetOrderByNumber(number);
  if (!o.ok() || !CheckRead(*o, actor).ok()) return NotFound("no order " + number, "order");
  return *o;
}

Result<std::vector<Order>> OrderService::List(const Actor& actor, storage::OrderFilter filter) {
  filter.involving_party = actor.party;
  ASSIGN_OR_RETURN(auto txn, store_.BeginRead());
  return txn->ListOrders(filter);
}

}  // namespace relos::orders

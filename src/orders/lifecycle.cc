#include "relos/orders/lifecycle.h"

#include <map>

namespace relos::orders {

std::string_view Name(Action a) {
  switch (a) {
    case Action::kCreate: return "create";
    case Action::kSubmit: return "submit";
    case Action::kApprove: return "approve";
    case Action::kReject: return "reject";
    case Action::kDeliver: return "deliver";
    case Action::kReceipt: return "receipt";
    case Action::kResolve: return "resolve";
    case Action::kCancel: return "cancel";
    case Action::kClose: return "close";
  }
  return "unknown";
}

std::string_view Name(Side s) { return s == Side::kRequester ? "requester" : "supplier"; }

const std::vector<Permission>& PermissionsFor(Action action) {
  using S = OrderState;
  static const std::map<Action, std::vector<Permission>> kTable = {
      {Action::kCreate, {{Side::kRequester, {Role::kRequester}, {}}}},
      {Action::kSubmit, {{Side::kRequester, {Role::kRequester}, {S::kDraft}}}},
      {Action::kApprove, {{Side::kSupplier, {Role::kApprover}, {S::kSubmitted}}}},
      {Action::kReject, {{Side::kSupplier, {Role::kApprover}, {S::kSubmitted}}}},
      {Action::kDeliver, {{Side::kSupplier, {Role::kLogisticsOfficer}, {S::kApproved}}}},
      {Action::kReceipt, {{Side::kRequester, {Role::kReceiver}, {S::kDelivered}}}},
      {Action::kResolve, {{Side::kSupplier, {Role::kApprover}, {S::kReceipted}}}},
      {Action::kCancel,
       {{Side::kRequester, {Role::kRequester}, {S::kDraft, S::kSubmitted, S::kApproved}},
        {Side::kSupplier, {Role::kApprover}, {S::kApproved}}}},
      {Action::kClose,
       {{Side::kRequester, {Role::kFinance}, {S::kReceipted}}, {Side::kSupplier, {Role::kFinance}, {S::kReceipted}}}},
  };
  return kTable.at(action);
}

OrderState TargetState(Action action) {
  switch (action) {
    case Action::kCreate: return OrderState::kDraft;
    case Action::kSubmit: return OrderState::kSubmitted;
    case Action::kApprove: return OrderState::kApproved;
    case Action::kReject: return OrderState::kRejected;
    case Action::kDeliver: return OrderState::kDelivered;
    case Action::kReceipt: return OrderState::kReceipted;
    case Action::kResolve: return OrderState::kReceipted;
    case Action::kCancel: return OrderState::kCancelled;
    case Action::kClose: return OrderState::kClosed;
  }
  return OrderState::kDraft;
}

Status CheckRead(const Order& order, const Actor& actor) {
  if (actor.party != order.requester && actor.party != order.supplier) {
    // Same answer as for an id that does not exist (OrderService::Get): no
    // disclosure, not even of the order's number.
    return NotFound("no order " + std::to_string(order.id), "order");
  }
  return OkStatus();
}

Status CheckTransition(Action action, const Order& order, const Actor& actor) {
  RETURN_IF_ERROR(CheckRead(order, actor));
  // The supplier is checked first so that a party supplying to itself (not
  // allowed by the registry, but cheap to be safe about) gets supplier rights.
  const Side side = actor.party == order.supplier ? Side::kSupplier : Side::kRequester;
  std::string who;
  const Permission* role_match = nullptr;
  for (const Permission& p : PermissionsFor(action)) {
    for (Role r : p.roles) {
      if (!who.empty()) who += " or ";
      who += "the " + std::string(Name(p.side)) + "'s " + std::string(Name(r));
    }
    if (p.side == side && p.roles.count(actor.role)) {
      role_match = &p;
      if (p.from.count(order.state)) return OkStatus();
    }
  }
  if (role_match == nullptr) {
    return PermissionDenied("only " + who + " may " + std::string(Name(action)) + " order " + order.number + "; " +
                                actor.ToString() + " is the " + std::string(Name(side)) + "'s " +
                                std::string(Name(actor.role)),
                            "lifecycle.role");
  }
  std::string from;
  for (OrderState s : role_match->from) from += (from.empty() ? "" : ", ") + std::string(Name(s));
  return FailedPrecondition("cannot " + std::string(Name(action)) + " order " + order.number + " in state " +
                                std::string(Name(order.state)) + " (allowed from: " + from + ")",
                            "lifecycle.state");
}

}  // namespace relos::orders

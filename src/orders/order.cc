#include "relos/orders/order.h"

#include <array>
#include <utility>

namespace relos::orders {
namespace {

constexpr std::array<std::pair<OrderState, std::string_view>, 8> kStates = {{
    {OrderState::kDraft, "draft"},
    {OrderState::kSubmitted, "submitted"},
    {OrderState::kApproved, "approved"},
    {OrderState::kRejected, "rejected"},
    {OrderState::kDelivered, "delivered"},
    {OrderState::kReceipted, "receipted"},
    {OrderState::kClosed, "closed"},
    {OrderState::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<Role, std::string_view>, 7> kRoles = {{
    {Role::kRequester, "requester"},
    {Role::kApprover, "approver"},
    {Role::kLogisticsOfficer, "logistics-officer"},
    {Role::kReceiver, "receiver"},
    {Role::kFinance, "finance"},
    {Role::kAuditor, "auditor"},
    {Role::kAdmin, "admin"},
}};

}  // namespace

std::string_view Name(OrderState s) {
  for (const auto& [v, n] : kStates) {
    if (v == s) return n;
  }
  return "unknown";
}

std::string_view Name(Role r) {
  for (const auto& [v, n] : kRoles) {
    if (v == r) return n;
  }
  return "unknown";
}

std::string_view Name(ReceiptVerdict v) {
  switch (v) {
    case ReceiptVerdict::kPending: return "pending";
    case ReceiptVerdict::kAcknowledged: return "acknowledged";
    case ReceiptVerdict::kDisputed: return "disputed";
  }
  return "unknown";
}

Result<OrderState> ParseOrderState(std::string_view s) {
  for (const auto& [v, n] : kStates) {
    if (n == s) return v;
  }
  return InvalidArgument("unknown order state '" + std::string(s) +
                             "' (expected draft, submitted, approved, rejected, delivered, receipted, closed or cancelled)",
                         "state");
}

Result<Role> ParseRole(std::string_view s) {
  for (const auto& [v, n] : kRoles) {
    if (n == s) return v;
  }
  return InvalidArgument("unknown role '" + std::string(s) +
                             "' (expected requester, approver, logistics-officer, receiver, finance, auditor or admin)",
                         "role");
}

Result<Actor> Actor::Parse(std::string_view text) {
  auto first = text.find(':');
  auto second = first == std::string_view::npos ? first : text.find(':', first + 1);
  if (second == std::string_view::npos) {
    return InvalidArgument("acting person '" + std::string(text) + "' must be PARTY:ROLE:NAME (for example IN:requester:Lt Rao)",
                           "as");
  }
  Actor a;
  a.party = std::string(text.substr(0, first));
  if (a.party.empty()) return InvalidArgument("acting person has an empty party", "as.party");
  ASSIGN_OR_RETURN(a.role, ParseRole(text.substr(first + 1, second - first - 1)));
  a.name = std::string(text.substr(second + 1));
  if (a.name.empty()) return InvalidArgument("acting person has an empty name", "as.name");
  return a;
}

std::string Actor::ToString() const { return party + ":" + std::string(Name(role)) + ":" + name; }

const OrderLine* Order::FindLine(int line_no) const {
  for (const auto& l : lines) {
    if (l.line_no == line_no) return &l;
  }
  return nullptr;
}

OrderLine* Order::FindLine(int line_no) {
  for (auto& l : lines) {
    if (l.line_no == line_no) return &l;
  }
  return nullptr;
}

}  // namespace relos::orders

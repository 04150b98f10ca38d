// Who may move an order from which state to which, in one table.
//
//   action   side       roles                        from                      to
//   create   requester  requester                    (new)                     draft
//   submit   requester  requester                    draft                     submitted
//   approve  supplier   approver                     submitted                 approved
//   reject   supplier   approver                     submitted                 rejected
//   deliver  supplier   logistics-officer            approved                  delivered
//   receipt  requester  receiver                     delivered                 receipted
//   resolve  supplier   approver                     receipted (disputed line) receipted
//   cancel   requester  requester                    draft, submitted, approved cancelled
//            supplier   approver                     approved                  cancelled
//   close    either     finance                      receipted                 closed
//
// Auditors of either side read everything of their party and change nothing;
// a person of a third party sees no order of these two (NotFound, so that
// the existence of an order is not disclosed).
#pragma once

#include <set>
#include <string_view>
#include <vector>

#include "relos/core/status.h"
#include "relos/orders/order.h"

namespace relos::orders {

enum class Action { kCreate, kSubmit, kApprove, kReject, kDeliver, kReceipt, kResolve, kCancel, kClose };
enum class Side { kRequester, kSupplier };

std::string_view Name(Action a);
std::string_view Name(Side s);

struct Permission {
  Side side;
  std::set<Role> roles;
  std::set<OrderState> from;
};

// Every permission for `action` (one or two rows of the table above).
const std::vector<Permission>& PermissionsFor(Action action);
// The state an action leads to.
OrderState TargetState(Action action);

// OK if `actor` may perform `action` on `order` now. Otherwise:
//   NotFound          the actor's party is neither requester nor supplier;
//   PermissionDenied  right party, but no row allows this side and role
//                     (reason "lifecycle.role"), naming who may;
//   FailedPrecondition the role may, but not from the current state
//                     (reason "lifecycle.state"), naming the state.
Status CheckTransition(Action action, const Order& order, const Actor& actor);

// OK if `actor` may read `order`: its party is the requester or supplier.
Status CheckRead(const Order& order, const Actor& actor);

}  // namespace relos::orders

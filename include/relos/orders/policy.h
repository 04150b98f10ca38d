// The agreement's rules, checked when an order is submitted and again when
// it is approved (terms, stocks and other visits may have changed between
// the two). Pure functions over a PolicyContext that the order service fills
// from the store inside the same transaction.
//
// Each refusal carries a specific reason, the rule's name:
//   policy.agreement_in_force   FailedPrecondition  agreement unknown to a party or not in force
//   policy.purpose              FailedPrecondition  purpose not eligible
//   policy.category             FailedPrecondition  support category not eligible
//   policy.excluded_item        FailedPrecondition  item or its category excluded by the agreement
//   policy.advance_notice       FailedPrecondition  less notice than the purpose requires
//   policy.max_stay             FailedPrecondition  visit longer than the maximum stay
//   policy.presence_days        ResourceExhausted   the party's presence days at the facility this year
//   policy.unit_owner           FailedPrecondition  the unit is not the requester's
//   policy.facility_owner       FailedPrecondition  the facility is not the supplier's
//   policy.facility_offers_item FailedPrecondition  no price for the item at the facility
//   policy.fuel_grade           FailedPrecondition  supplied grade not compatible with the unit's
//   policy.berth_fit            FailedPrecondition  no berth long and deep enough for the ship
//   policy.capacity             ResourceExhausted   more beds, stands or bays than the facility has
//   policy.fuel_stock           ResourceExhausted   more fuel than on hand less what is already approved
//   policy.settlement_mode      FailedPrecondition  settlement mode not allowed by the agreement
#pragma once

#include <map>
#include <string>
#include <vector>

#include "relos/core/status.h"
#include "relos/core/time.h"
#include "relos/orders/order.h"
#include "relos/registry/registry.h"

namespace relos::orders {

// Nominal density used only to compare fuel quantities given by volume with
// stocks kept by mass (or the reverse): a mid value for naval distillates and
// jet fuels (F-76 about 850, JP-5 about 810 kg/m3).
inline constexpr int64_t kNominalFuelDensityKgPerM3 = 840;

struct PolicyContext {
  Timestamp now;
  const registry::Agreement* agreement = nullptr;
  const registry::Facility* facility = nullptr;
  const registry::Unit* unit = nullptr;
  std::map<std::string, registry::CatalogItem> items;  // every item on the order
  std::vector<registry::FuelCompatibility> fuel_compatibility;
  // Other orders of the requester at this facility that occupy presence days
  // (submitted through closed), not including the order being checked.
  std::vector<Order> other_visits;
  // Fuel already approved but not yet delivered at this facility, per grade,
  // by orders other than the one being checked (a reservation on the stock).
  std::map<std::string, Quantity> fuel_reserved;
  // Planned replenishments of each grade due after `now` and by the end of
  // the order's visit (relos/capacity/tables.h); the capacity model's fuel
  // projection then checks that they come in time for each issue.
  std::map<std::string, Quantity> fuel_incoming;
};

// The visit an order describes: from its earliest window start to its latest
// window end.
struct Visit {
  Timestamp start;
  Timestamp end;
};
Visit VisitOf(const Order& order);

// Every rule that does not depend on quantities approved: run at submit and
// approve. OK or the first rule broken.
Status CheckEligibility(const Order& order, const PolicyContext& ctx);

// Capacity and stock rules over the quantities in `quantities` (requested at
// submit, approved at approve), per line number.
Status CheckCapacity(const Order& order, const std::map<int, Quantity>& quantities, const PolicyContext& ctx);

}  // namespace relos::orders

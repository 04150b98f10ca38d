// `relos order create|submit|approve|reject|deliver|receipt|resolve|cancel|close|show|list`.
#include <fmt/format.h>


#include "cli/commands.h"
#include "cli/output.h"
#include "relos/codec/codec.h"
#include "relos/orders/order_request_json.h"
#include "relos/orders/order_service.h"

namespace relos::cli {
namespace {

using orders::Order;
using orders::OrderService;

struct CreateOptions {
  std::string agreement, unit, facility, purpose = "port-call", settlement = "cash", exercise, key, file;
  std::vector<std::string> lines;
};

struct TransitionOptions {
  std::string ref;
  std::string remark;
  int64_t if_version = 0;
  std::vector<std::string> lines;     // N=QTY
  std::vector<std::string> notes;     // N=TEXT (delivery discrepancies)
  std::vector<std::string> disputes;  // N=QTY:reason
  int line = 0;
  std::string quantity;
};

struct ListOptions {
  std::string state, facility, unit, agreement;
  int64_t after = 0;
  int64_t limit = 100;
};

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);
  return parts;
}

// "ITEM,QTY UNIT,START,END[,NOTE]"
Result<orders::LineRequest> ParseLineOption(const std::string& text, size_t index) {
  const std::string where = "--line #" + std::to_string(index + 1);
  auto parts = Split(text, ',');
  if (parts.size() < 4) {
    return InvalidArgument(where + ": '" + text + "' must be ITEM,QUANTITY UNIT,START,END[,NOTE]", "line");
  }
  orders::LineRequest l;
  l.item = parts[0];
  auto q = Quantity::Parse(parts[1]);
  if (!q.ok()) return q.status().WithContext(where + " quantity");
  l.quantity = *q;
  auto s = Timestamp::Parse(parts[2]);
  if (!s.ok()) return s.status().WithContext(where + " start");
  auto e = Timestamp::Parse(parts[3]);
  if (!e.ok()) return e.status().WithContext(where + " end");
  l.window_start = *s;
  l.window_end = *e;
  for (size_t i = 4; i < parts.size(); ++i) l.note += (i > 4 ? "," : "") + parts[i];
  return l;
}

// An order request as a JSON file (relos/orders/order_request_json.h).
Result<orders::CreateOrderRequest> ReadRequestFile(const std::string& file) {
  ASSIGN_OR_RETURN(std::string text, ReadInputFile(file));
  codec::Json j = codec::Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgument(file + ": not a JSON object", "file");
  return orders::CreateOrderRequestFromJson(j, file + ": $");
}

Result<int64_t> ResolveOrder(OrderService& service, const orders::Actor& actor, const std::string& ref) {
  if (!ref.empty() && ref.find_first_not_of("0123456789") == std::string::npos && ref.size() < 18) {
    return std::stoll(ref);
  }
  ASSIGN_OR_RETURN(Order o, service.GetByNumber(actor, ref));
  return o.id;
}

// "N=QTY" where QTY is "80" (in the line's unit) or "80 tonne".
Result<std::pair<int, Quantity>> ParseLineQuantity(const Order& o, const std::string& text, const std::string& opt) {
  auto eq = text.find('=');
  if (eq == std::string::npos) return InvalidArgument(opt + ": '" + text + "' must be LINE=QUANTITY", "line");
  int no = 0;
  try {
    no = std::stoi(text.substr(0, eq));
  } catch (...) {
    return InvalidArgument(opt + ": '" + text.substr(0, eq) + "' is not a line number", "line");
  }
  const orders::OrderLine* line = o.FindLine(no);
  if (line == nullptr) return InvalidArgument(opt + ": order " + o.number + " has no line " + std::to_string(no), "line");
  std::string q = text.substr(eq + 1);
  auto parsed = q.find(' ') == std::string::npos
                    ? Quantity::Parse(q, UnitOfMeasureName(line->requested.unit()))
                    : Quantity::Parse(q);
  if (!parsed.ok()) return parsed.status().WithContext(opt + " line " + std::to_string(no));
  return std::make_pair(no, *parsed);
}

Status Report(CliContext& ctx, const Result<Order>& r) {
  if (!r.ok()) return r.status();
  if (ctx.json) {
    PrintJson(*ctx.out, codec::ToJson(*r));
  } else {
    *ctx.out << fmt::format("order {} is {} (version {})\n", r->number, orders::Name(r->state), r->version);
  }
  return OkStatus();
}

struct Services {
  orders::Actor actor;
  std::unique_ptr<OrderService> orders;
};

Result<Services> Open(CliContext& ctx) {
  Services s;
  ASSIGN_OR_RETURN(s.actor, ctx.Actor());
  ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
  ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
  s.orders = NewOrderService(*store, *clock);
  return s;
}

// Registers `relos order NAME REF ...` whose action gets the services, the
// resolved order and the options.
using TransitionFn =
    std::function<Result<Order>(Services&, const Order&, const TransitionOptions&, const orders::Command&)>;

void AddTransition(CLI::App& group, CliContext& ctx, const std::string& name, const std::string& help,
                   const std::function<void(CLI::App*, TransitionOptions*)>& extra, TransitionFn fn) {
  auto* opts = ctx.Own<TransitionOptions>();
  CLI::App* cmd = group.add_subcommand(name, help);
  cmd->add_option("order", opts->ref, "order number (RELOS-IN-RU-2026-000001) or id")->required();
  cmd->add_option("--remark", opts->remark, "a remark for the record (the reason, for reject and cancel)");
  cmd->add_option("--if-version", opts->if_version, "refuse unless the order is at this version");
  if (extra) extra(cmd, opts);
  cmd->callback([&ctx, opts, fn] {
    ctx.action = [&ctx, opts, fn]() -> Status {
      ASSIGN_OR_RETURN(Services s, Open(ctx));
      ASSIGN_OR_RETURN(int64_t id, ResolveOrder(*s.orders, s.actor, opts->ref));
      ASSIGN_OR_RETURN(Order current, s.orders->Get(s.actor, id));
      orders::Command command{opts->remark, std::nullopt};
      if (opts->if_version > 0) command.expected_version = opts->if_version;
      return Report(ctx, fn(s, current, *opts, command));
    };
  });
}

}  // namespace

void RegisterOrderCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("order", "support orders: raise, authorise, deliver, receipt, close");
  group->require_subcommand(1);

  auto* c = ctx.Own<CreateOptions>();
  CLI::App* create = group->add_subcommand("create", "raise a draft order (as the requesting party's requester)");
  create->add_option("--agreement", c->agreement, "agreement code, e.g. RELOS-IN-RU");
  create->add_option("--unit", c->unit, "requesting unit code");
  create->add_option("--facility", c->facility, "supplying facility code");
  create->add_option("--purpose", c->purpose, "exercise, training, port-call, transit, humanitarian, disaster-relief, other-agreed")
      ->capture_default_str();
  create->add_option("--settlement", c->settlement, "cash, replacement-in-kind or equal-value-exchange")
      ->capture_default_str();
  create->add_option("--exercise", c->exercise, "exercise or operation reference");
  create->add_option("--line", c->lines, "ITEM,QUANTITY UNIT,START,END[,NOTE] (repeat for more lines)");
  create->add_option("--file", c->file, "the whole request as a JSON file instead of the options");
  create->add_option("--idempotency-key", c->key, "a retry with the same key returns the same order");
  create->callback([&ctx, c] {
    ctx.action = [&ctx, c]() -> Status {
      orders::CreateOrderRequest r;
      if (!c->file.empty()) {
        ASSIGN_OR_RETURN(r, ReadRequestFile(c->file));
      } else {
        if (c->agreement.empty()) return InvalidArgument("--agreement: required", "agreement");
        if (c->unit.empty()) return InvalidArgument("--unit: required", "unit");
        if (c->facility.empty()) return InvalidArgument("--facility: required", "facility");
        if (c->lines.empty()) return InvalidArgument("--line: at least one line", "line");
        r.agreement = c->agreement;
        r.unit = c->unit;
        r.facility = c->facility;
        auto purpose = registry::ParsePurpose(c->purpose);
        if (!purpose.ok()) return purpose.status().WithContext("--purpose");
        r.purpose = *purpose;
        auto settlement = registry::ParseSettlementMode(c->settlement);
        if (!settlement.ok()) return settlement.status().WithContext("--settlement");
        r.settlement = *settlement;
        r.exercise = c->exercise;
        for (size_t i = 0; i < c->lines.size(); ++i) {
          ASSIGN_OR_RETURN(orders::LineRequest l, ParseLineOption(c->lines[i], i));
          r.lines.push_back(std::move(l));
        }
      }
      if (!c->key.empty()) r.idempotency_key = c->key;
      ASSIGN_OR_RETURN(Services s, Open(ctx));
      return Report(ctx, s.orders->Create(s.actor, r));
    };
  });

  AddTransition(*group, ctx, "submit", "submit a draft to the supplier (requester)", nullptr,
                [](Services& s, const Order& o, const TransitionOptions&, const orders::Command& cmd) {
                  return s.orders->Submit(s.actor, o.id, cmd);
                });
  AddTransition(
      *group, ctx, "approve", "approve, fully or partly, at list prices (supplier's approver)",
      [](CLI::App* cmd, TransitionOptions* o) {
        cmd->add_option("--line", o->lines, "LINE=QUANTITY to approve less than requested (0 refuses the line)");
      },
      [](Services& s, const Order& o, const TransitionOptions& opts, const orders::Command& cmd) -> Result<Order> {
        std::vector<orders::LineApproval> approvals;
        for (const auto& text : opts.lines) {
          ASSIGN_OR_RETURN(auto lq, ParseLineQuantity(o, text, "--line"));
          approvals.push_back({lq.first, lq.second});
        }
        return s.orders->Approve(s.actor, o.id, approvals, cmd);
      });
  AddTransition(*group, ctx, "reject", "reject a submitted order, with --remark as the reason (supplier's approver)",
                nullptr, [](Services& s, const Order& o, const TransitionOptions&, const orders::Command& cmd) {
                  return s.orders->Reject(s.actor, o.id, cmd);
                });
  AddTransition(
      *group, ctx, "deliver", "record delivery with actual quantities (supplier's logistics officer)",
      [](CLI::App* cmd, TransitionOptions* o) {
        cmd->add_option("--line", o->lines, "LINE=QUANTITY actually delivered (default: as approved)");
        cmd->add_option("--discrepancy", o->notes, "LINE=TEXT explaining a difference");
      },
      [](Services& s, const Order& o, const TransitionOptions& opts, const orders::Command& cmd) -> Result<Order> {
        std::map<int, orders::LineDelivery> deliveries;
        for (const auto& text : opts.lines) {
          ASSIGN_OR_RETURN(auto lq, ParseLineQuantity(o, text, "--line"));
          deliveries[lq.first] = {lq.first, lq.second, ""};
        }
        for (const auto& text : opts.notes) {
          auto eq = text.find('=');
          int no = eq == std::string::npos ? 0 : std::atoi(text.substr(0, eq).c_str());
          const orders::OrderLine* line = o.FindLine(no);
          if (line == nullptr) return InvalidArgument("--discrepancy: '" + text + "' must be LINE=TEXT for a line of the order", "discrepancy");
          auto it = deliveries.find(no);
          if (it == deliveries.end()) {
            it = deliveries.emplace(no, orders::LineDelivery{no, line->approved.value_or(line->requested), ""}).first;
          }
          it->second.discrepancy = text.substr(eq + 1);
        }
        std::vector<orders::LineDelivery> list;
        for (auto& [no, d] : deliveries) list.push_back(d);
        return s.orders->Deliver(s.actor, o.id, list, cmd);
      });
  AddTransition(
      *group, ctx, "receipt", "acknowledge or dispute what was delivered (requester's receiver)",
      [](CLI::App* cmd, TransitionOptions* o) {
        cmd->add_option("--dispute", o->disputes, "LINE=QUANTITY:REASON the quantity counted and why (default: all acknowledged)");
      },
      [](Services& s, const Order& o, const TransitionOptions& opts, const orders::Command& cmd) -> Result<Order> {
        std::vector<orders::LineReceipt> receipts;
        for (const auto& text : opts.disputes) {
          auto colon = text.find(':');
          if (colon == std::string::npos) return InvalidArgument("--dispute: '" + text + "' must be LINE=QUANTITY:REASON", "dispute");
          ASSIGN_OR_RETURN(auto lq, ParseLineQuantity(o, text.substr(0, colon), "--dispute"));
          receipts.push_back({lq.first, orders::ReceiptVerdict::kDisputed, lq.second, text.substr(colon + 1)});
        }
        return s.orders->Receipt(s.actor, o.id, receipts, cmd);
      });
  AddTransition(
      *group, ctx, "resolve", "settle a disputed line at an agreed quantity (supplier's approver)",
      [](CLI::App* cmd, TransitionOptions* o) {
        cmd->add_option("--line", o->line, "the disputed line")->required();
        cmd->add_option("--quantity", o->quantity, "the agreed quantity")->required();
      },
      [](Services& s, const Order& o, const TransitionOptions& opts, const orders::Command& cmd) -> Result<Order> {
        ASSIGN_OR_RETURN(auto lq, ParseLineQuantity(o, std::to_string(opts.line) + "=" + opts.quantity, "--quantity"));
        return s.orders->Resolve(s.actor, o.id, lq.first, lq.second, cmd);
      });
  AddTransition(*group, ctx, "cancel", "cancel before delivery, with --remark as the reason", nullptr,
                [](Services& s, const Order& o, const TransitionOptions&, const orders::Command& cmd) {
                  return s.orders->Cancel(s.actor, o.id, cmd);
                });
  AddTransition(*group, ctx, "close", "close a receipted order (finance)", nullptr,
                [](Services& s, const Order& o, const TransitionOptions&, const orders::Command& cmd) {
                  return s.orders->Close(s.actor, o.id, cmd);
                });

  auto* show_ref = ctx.Own<std::string>();
  CLI::App* show = group->add_subcommand("show", "an order with its lines and history");
  show->add_option("order", *show_ref, "order number or id")->required();
  show->callback([&ctx, show_ref] {
    ctx.action = [&ctx, show_ref]() -> Status {
      ASSIGN_OR_RETURN(Services s, Open(ctx));
      ASSIGN_OR_RETURN(int64_t id, ResolveOrder(*s.orders, s.actor, *show_ref));
      ASSIGN_OR_RETURN(Order o, s.orders->Get(s.actor, id));
      if (ctx.json) {
        PrintJson(*ctx.out, codec::ToJson(o));
      } else {
        PrintOrder(*ctx.out, o);
      }
      return OkStatus();
    };
  });

  auto* l = ctx.Own<ListOptions>();
  CLI::App* list = group->add_subcommand("list", "orders of the acting party, filtered");
  list->add_option("--state", l->state, "only orders in this state");
  list->add_option("--facility", l->facility, "only at this facility");
  list->add_option("--unit", l->unit, "only for this unit");
  list->add_option("--agreement", l->agreement, "only under this agreement");
  list->add_option("--after", l->after, "only ids greater than this (paging)");
  list->add_option("--limit", l->limit, "at most this many")->capture_default_str();
  list->callback([&ctx, l] {
    ctx.action = [&ctx, l]() -> Status {
      ASSIGN_OR_RETURN(Services s, Open(ctx));
      storage::OrderFilter f;
      if (!l->state.empty()) {
        auto st = orders::ParseOrderState(l->state);
        if (!st.ok()) return st.status().WithContext("--state");
        f.states = {*st};
      }
      if (!l->facility.empty()) f.facility = l->facility;
      if (!l->unit.empty()) f.unit = l->unit;
      if (!l->agreement.empty()) f.agreement = l->agreement;
      if (l->limit <= 0 || l->limit > 10000) return InvalidArgument("--limit: must be 1..10000", "limit");
      f.after_id = l->after;
      f.limit = l->limit;
      ASSIGN_OR_RETURN(std::vector<Order> list, s.orders->List(s.actor, f));
      if (ctx.json) {
        codec::Json j = codec::Json::array();
        for (const auto& o : list) j.push_back(codec::ToJson(o));
        PrintJson(*ctx.out, j);
      } else {
        PrintOrderTable(*ctx.out, list);
      }
      return OkStatus();
    };
  });
}

}  // namespace relos::cli

// `relos ledger|bill|pay|rik|eve|rates|clock`: thin commands over
// ledger::SettlementService. Reports print a table, --json or --csv.
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/output.h"
#include "relos/ledger/settlement.h"

namespace relos::cli {
namespace {

using codec::Json;

struct LedgerOptions {
  std::string agreement = "RELOS-IN-RU";
  std::string party;
  std::string from = "1970-01-01";
  std::string to = "2100-01-01";
  int year = 0;
  bool csv = false;
  std::string bill;
  std::string amount;
  std::string payment_id;
  std::string delivery_id;
  std::string idempotency_key;  // of `bill create` and `eve propose`
  std::string key;
  std::string quantity;
  std::string file;
  std::string id;
  int64_t receipt_days = 7;
  int64_t billing_days = 30;
};

struct Ledger {
  orders::Actor actor;
  std::unique_ptr<ledger::SettlementService> service;
  const Clock* clock = nullptr;
};

Result<Ledger> OpenLedger(CliContext& ctx) {
  Ledger l;
  ASSIGN_OR_RETURN(l.actor, ctx.Actor());
  ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
  ASSIGN_OR_RETURN(l.clock, ctx.GetClock());
  l.service = std::make_unique<ledger::SettlementService>(*store, *l.clock);
  return l;
}

// Prints rows (the first is the header) as a table, JSON objects or CSV.
Status Emit(CliContext& ctx, const LedgerOptions& o, const std::vector<std::vector<std::string>>& rows) {
  if (ctx.json) {
    Json arr = Json::array();
    for (size_t i = 1; i < rows.size(); ++i) {
      Json obj = Json::object();
      for (size_t c = 0; c < rows[0].size(); ++c) obj[rows[0][c]] = rows[i][c];
      arr.push_back(obj);
    }
    PrintJson(*ctx.out, arr);
  } else if (o.csv) {
    for (const auto& r : rows) {
      std::string line;
      for (size_t c = 0; c < r.size(); ++c) line += (c ? "," : "") + r[c];
      *ctx.out << line << "\n";
    }
  } else {
    PrintTable(*ctx.out, rows);
  }
  return OkStatus();
}

std::string Amount(int64_t minor, const std::string& unit) {
  auto c = Currency::FromCode(unit);
  if (c.ok()) return FormatFixedPoint(minor, c->exponent());
  return FormatFixedPoint(minor, 3);  // replacement-in-kind accounts: thousandths of the item unit
}

std::vector<std::vector<std::string>> BillRows(const std::vector<ledger::Bill>& bills) {
  std::vector<std::vector<std::string>> rows = {
      {"number", "supplier", "debtor", "billed", "due", "currency", "total", "paid", "rounding", "status"}};
  for (const auto& b : bills) {
    rows.push_back({b.number, b.supplier, b.debtor, b.billed_at.DateString(), b.due.DateString(), b.currency,
                    Amount(b.total, b.currency), Amount(b.paid, b.currency), Amount(b.rounding, b.currency), b.status});
  }
  return rows;
}

std::vector<std::vector<std::string>> RikRows(const std::vector<ledger::RikObligation>& riks) {
  std::vector<std::vector<std::string>> rows = {
      {"key", "debtor", "item", "quantity", "returned", "due", "status", "claim"}};
  for (const auto& r : riks) {
    rows.push_back({r.key, r.debtor, r.item, r.quantity.ToString(), r.returned.ToString(), r.due.DateString(), r.status,
                    r.claim_currency.empty() ? "" : Amount(r.claim, r.claim_currency) + " " + r.claim_currency});
  }
  return rows;
}

// One row per leg of each proposal.
std::vector<std::vector<std::string>> OffsetRows(const std::vector<ledger::OffsetProposal>& proposals) {
  std::vector<std::vector<std::string>> rows = {
      {"proposal", "status", "state", "proposed_by", "order", "debtor", "amount", "value"}};
  for (const auto& p : proposals) {
    for (const auto& l : p.legs) {
      rows.push_back({p.id, p.status, ledger::OffsetState(p), p.proposed_by, l.order, l.debtor, l.amount.ToString(),
                      Amount(l.value, p.currency) + " " + p.currency});
    }
  }
  return rows;
}

Result<Timestamp> TimeOption(const std::string& text, const char* name) {
  auto t = Timestamp::Parse(text);
  if (!t.ok()) return t.status().WithContext(name);
  return t;
}

// Adds a subcommand whose action opens the ledger and runs `fn`.
CLI::App* Add(CLI::App& parent, CliContext& ctx, LedgerOptions* o, const std::string& name, const std::string& help,
              std::function<Status(Ledger&, LedgerOptions&)> fn) {
  CLI::App* cmd = parent.add_subcommand(name, help);
  cmd->add_flag("--csv", o->csv, "print CSV");
  cmd->callback([&ctx, o, fn] {
    ctx.action = [&ctx, o, fn]() -> Status {
      ASSIGN_OR_RETURN(Ledger l, OpenLedger(ctx));
      return fn(l, *o);
    };
  });
  return cmd;
}

}  // namespace

Status ImportDemoRates(CliContext& ctx) {
  ASSIGN_OR_RETURN(storage::Store * store, ctx.Store());
  ASSIGN_OR_RETURN(const Clock* clock, ctx.GetClock());
  ledger::SettlementService service(*store, *clock);
  // Illustrative rates (see data/demo/SOURCES.md): RUB and USD in INR.
  const orders::Actor system{"RELOS", orders::Role::kAdmin, "relos init"};
  ASSIGN_OR_RETURN(int64_t n, service.ImportRates(system, "RUB,INR,2025-01-01,0.95\nUSD,INR,2025-01-01,85\n"));
  *ctx.out << fmt::format("Loaded {} illustrative exchange rates.\n", n);
  return OkStatus();
}

void RegisterLedgerCommands(CLI::App& app, CliContext& ctx) {
  auto* o = ctx.Own<LedgerOptions>();
  auto agreement_opt = [o](CLI::App* c) { c->add_option("--agreement", o->agreement, "agreement code")->capture_default_str(); };

  CLI::App* ledger = app.add_subcommand("ledger", "accounts, balances and reports of the ledger");
  ledger->require_subcommand(1);
  auto accounts = [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
    ASSIGN_OR_RETURN(auto accounts, l.service->Accounts(l.actor, opt.agreement));
    std::vector<std::vector<std::string>> rows = {
        {"account", "unit", "debits_pending", "debits_posted", "credits_pending", "credits_posted", "balance"}};
    for (const auto& a : accounts) {
      rows.push_back({a.code, a.unit, Amount(a.debits_pending, a.unit), Amount(a.debits_posted, a.unit),
                      Amount(a.credits_pending, a.unit), Amount(a.credits_posted, a.unit),
                      Amount(a.debits_posted - a.credits_posted, a.unit)});
    }
    return Emit(ctx, opt, rows);
  };
  agreement_opt(Add(*ledger, ctx, o, "accounts", "every account with its balances", accounts));
  agreement_opt(Add(*ledger, ctx, o, "balance", "net position of each party per unit and in the settlement currency",
                    [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                      ASSIGN_OR_RETURN(auto net, l.service->NetPosition(l.actor, opt.agreement));
                      std::vector<std::vector<std::string>> rows = {
                          {"agreement", "party", "counterparty", "unit", "owed_to", "owes", "pending", "net", "row"}};
                      for (const auto& r : net) {
                        rows.push_back({opt.agreement, r.party, r.counterparty, r.unit, Amount(r.owed_to, r.unit),
                                        Amount(r.owes, r.unit), Amount(r.pending_owes, r.unit), Amount(r.net, r.unit),
                                        r.total ? "net-position" : "unit"});
                      }
                      return Emit(ctx, opt, rows);
                    }));
  agreement_opt(Add(*ledger, ctx, o, "orders", "every order with its balance and reconciliation state",
                    [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                      ASSIGN_OR_RETURN(auto positions, l.service->OrderPositions(l.actor, opt.agreement));
                      std::vector<std::vector<std::string>> rows = {
                          {"order", "state", "reconciliation", "outstanding", "pending"}};
                      auto sums = [](const std::map<std::string, int64_t>& m) {
                        std::string s;
                        for (const auto& [unit, v] : m) s += (s.empty() ? "" : "; ") + Amount(v, unit) + " " + unit;
                        return s;
                      };
                      for (const auto& p : positions) {
                        rows.push_back({p.order, p.state, p.reconciliation, sums(p.balance.outstanding),
                                        sums(p.balance.pending)});
                      }
                      return Emit(ctx, opt, rows);
                    }));
  agreement_opt(Add(*ledger, ctx, o, "trial-balance", "debits and credits per unit; they must be equal",
                    [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                      ASSIGN_OR_RETURN(auto tb, l.service->TrialBalanceOf(l.actor, opt.agreement));
                      std::vector<std::vector<std::string>> rows = {
                          {"unit", "debits_pending", "credits_pending", "debits_posted", "credits_posted", "balanced"}};
                      for (const auto& r : tb) {
                        rows.push_back({r.unit, Amount(r.debits_pending, r.unit), Amount(r.credits_pending, r.unit),
                                        Amount(r.debits_posted, r.unit), Amount(r.credits_posted, r.unit),
                                        r.balanced() ? "yes" : "NO"});
                      }
                      return Emit(ctx, opt, rows);
                    }));
  CLI::App* statement = Add(*ledger, ctx, o, "statement", "statement of account of a party for a period",
                            [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                              ASSIGN_OR_RETURN(Timestamp from, TimeOption(opt.from, "--from"));
                              ASSIGN_OR_RETURN(Timestamp to, TimeOption(opt.to, "--to"));
                              std::string party = opt.party.empty() ? l.actor.party : opt.party;
                              ASSIGN_OR_RETURN(auto lines, l.service->Statement(l.actor, opt.agreement, party, from, to));
                              std::vector<std::vector<std::string>> rows = {
                                  {"seq", "at", "transfer", "code", "order", "account", "debit", "credit", "unit"}};
                              for (const auto& s : lines) {
                                const auto& t = s.transfer;
                                rows.push_back({std::to_string(t.seq), t.at.ToIso8601(), t.id, t.code, t.order, s.account,
                                                Amount(s.debit, t.unit), Amount(s.credit, t.unit), t.unit});
                              }
                              return Emit(ctx, opt, rows);
                            });
  agreement_opt(statement);
  statement->add_option("--party", o->party, "party code (default: the actor's)");
  statement->add_option("--from", o->from, "start of the period (inclusive)");
  statement->add_option("--to", o->to, "end of the period (exclusive)");
  agreement_opt(Add(*ledger, ctx, o, "ageing", "open bills by age: 0-30, 31-60, 61-90, over 90 days",
                    [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                      ASSIGN_OR_RETURN(auto ageing, l.service->Ageing(l.actor, opt.agreement));
                      std::vector<std::vector<std::string>> rows = {
                          {"creditor", "debtor", "currency", "0-30", "31-60", "61-90", "over-90"}};
                      for (const auto& r : ageing) {
                        rows.push_back({r.creditor, r.debtor, r.currency, Amount(r.bucket[0], r.currency),
                                        Amount(r.bucket[1], r.currency), Amount(r.bucket[2], r.currency),
                                        Amount(r.bucket[3], r.currency)});
                      }
                      return Emit(ctx, opt, rows);
                    }));
  CLI::App* ceiling = Add(*ledger, ctx, o, "ceiling", "use of each party's annual ceiling",
                          [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                            const int year = opt.year > 0 ? opt.year : l.clock->Now().Year();
                            ASSIGN_OR_RETURN(auto uses, l.service->Ceiling(l.actor, opt.agreement, year));
                            std::vector<std::vector<std::string>> rows = {
                                {"party", "year", "currency", "ceiling", "pending", "posted", "available"}};
                            for (const auto& u : uses) {
                              rows.push_back({u.party, std::to_string(u.year), u.currency, Amount(u.ceiling, u.currency),
                                              Amount(u.pending, u.currency), Amount(u.posted, u.currency),
                                              Amount(u.ceiling - u.pending - u.posted, u.currency)});
                            }
                            return Emit(ctx, opt, rows);
                          });
  agreement_opt(ceiling);
  ceiling->add_option("--year", o->year, "calendar year (default: this year)");
  CLI::App* annual = Add(*ledger, ctx, o, "annual", "annual report: totals by category, facility, purpose, month",
                         [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                           const int year = opt.year > 0 ? opt.year : l.clock->Now().Year();
                           ASSIGN_OR_RETURN(auto report, l.service->Annual(l.actor, opt.agreement, year));
                           std::vector<std::vector<std::string>> rows = {{"dimension", "key", "currency", "amount", "orders"}};
                           for (const auto& r : report) {
                             rows.push_back({r.dimension, r.key, r.currency, Amount(r.amount, r.currency),
                                             std::to_string(r.orders)});
                           }
                           return Emit(ctx, opt, rows);
                         });
  agreement_opt(annual);
  annual->add_option("--year", o->year, "calendar year (default: this year)");
  CLI::App* alerts = Add(*ledger, ctx, o, "alerts", "unreceipted deliveries, unbilled receipts, overdue bills, RIK due",
                         [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                           ASSIGN_OR_RETURN(auto list, l.service->Alerts(l.actor, opt.agreement,
                                                                         {opt.receipt_days, opt.billing_days}));
                           std::vector<std::vector<std::string>> rows = {{"kind", "subject", "days", "detail"}};
                           for (const auto& a : list) rows.push_back({a.kind, a.subject, std::to_string(a.days), a.detail});
                           return Emit(ctx, opt, rows);
                         });
  agreement_opt(alerts);
  alerts->add_option("--receipt-days", o->receipt_days, "days a delivery may wait for its receipt")->capture_default_str();
  alerts->add_option("--billing-days", o->billing_days, "days a receipt may wait to be billed")->capture_default_str();

  CLI::App* bill = app.add_subcommand("bill", "bills for receipted support (supplier's finance officer)");
  bill->require_subcommand(1);
  CLI::App* create = Add(*bill, ctx, o, "create", "bill the partner's unbilled claims for a period",
                         [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                           ASSIGN_OR_RETURN(Timestamp from, TimeOption(opt.from, "--from"));
                           ASSIGN_OR_RETURN(Timestamp to, TimeOption(opt.to, "--to"));
                           ASSIGN_OR_RETURN(auto b, l.service->CreateBill(l.actor, opt.agreement, from, to,
                                                                          opt.idempotency_key));
                           return Emit(ctx, opt, BillRows({b}));
                         });
  agreement_opt(create);
  create->add_option("--idempotency-key", o->idempotency_key,
                     "makes a retry return the bill it made instead of billing again");
  create->add_option("--from", o->from, "claims posted from (inclusive)");
  create->add_option("--to", o->to, "claims posted before (exclusive)");
  agreement_opt(Add(*bill, ctx, o, "list", "bills under an agreement", [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
    ASSIGN_OR_RETURN(auto bills, l.service->ListBills(l.actor, opt.agreement));
    return Emit(ctx, opt, BillRows(bills));
  }));
  Add(*bill, ctx, o, "show", "one bill with its lines", [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
    ASSIGN_OR_RETURN(auto b, l.service->GetBill(l.actor, opt.bill));
    std::vector<std::vector<std::string>> rows = {{"bill", "order", "amount", "converted", "paid"}};
    for (const auto& line : b.lines) {
      rows.push_back({b.number, line.order, line.amount.ToString(), line.converted.ToString(), Amount(line.paid, b.currency)});
    }
    return Emit(ctx, opt, rows);
  })->add_option("bill", o->bill, "bill number")->required();

  CLI::App* pay = Add(app, ctx, o, "pay", "record a cash payment against a bill (debtor's finance officer)",
                      [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                        auto amount = Money::Parse(opt.amount);
                        if (!amount.ok()) return amount.status().WithContext("--amount");
                        ASSIGN_OR_RETURN(auto b, l.service->Pay(l.actor, opt.bill, *amount, opt.payment_id));
                        return Emit(ctx, opt, BillRows({b}));
                      });
  pay->add_option("bill", o->bill, "bill number")->required();
  pay->add_option("--amount", o->amount, "'1234.56 INR'")->required();
  pay->add_option("--payment-id", o->payment_id, "idempotency key of the payment")->required();

  CLI::App* rik = app.add_subcommand("rik", "replacement-in-kind obligations");
  rik->require_subcommand(1);
  agreement_opt(Add(*rik, ctx, o, "list", "obligations and their state", [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
    ASSIGN_OR_RETURN(auto riks, l.service->ListRik(l.actor, opt.agreement));
    return Emit(ctx, opt, RikRows(riks));
  }));
  CLI::App* deliver = Add(*rik, ctx, o, "deliver", "record a return delivery against an obligation",
                          [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                            auto q = Quantity::Parse(opt.quantity);
                            if (!q.ok()) return q.status().WithContext("--quantity");
                            ASSIGN_OR_RETURN(auto r, l.service->DeliverRik(l.actor, opt.key, *q, opt.delivery_id));
                            return Emit(ctx, opt, RikRows({r}));
                          });
  deliver->add_option("key", o->key, "obligation key ORDER:L<line>")->required();
  deliver->add_option("--quantity", o->quantity, "'12.5 tonne'")->required();
  deliver->add_option("--delivery-id", o->delivery_id,
                      "idempotency key of the delivery: run again with it, the delivery is recorded once");

  CLI::App* eve = app.add_subcommand("eve", "equal-value-exchange offsets (both finance officers accept)");
  eve->require_subcommand(1);
  CLI::App* propose = Add(*eve, ctx, o, "propose", "propose the offset netting both parties' positions",
                          [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                            ASSIGN_OR_RETURN(auto p, l.service->ProposeOffset(l.actor, opt.agreement,
                                                                              opt.idempotency_key));
                            return Emit(ctx, opt, OffsetRows({p}));
                          });
  agreement_opt(propose);
  propose->add_option("--idempotency-key", o->idempotency_key,
                      "makes a retry return the proposal it made instead of proposing again");
  agreement_opt(Add(*eve, ctx, o, "list", "offset proposals with their state (proposed, accepted-by-X, posted)",
                    [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
                      ASSIGN_OR_RETURN(auto list, l.service->ListOffsets(l.actor, opt.agreement));
                      return Emit(ctx, opt, OffsetRows(list));
                    }));
  Add(*eve, ctx, o, "accept", "accept a proposal; the second acceptance posts it",
      [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
        ASSIGN_OR_RETURN(auto p, l.service->AcceptOffset(l.actor, opt.id));
        return Emit(ctx, opt, OffsetRows({p}));
      })
      ->add_option("id", o->id, "proposal id")
      ->required();

  CLI::App* rates = app.add_subcommand("rates", "the dated exchange-rate table");
  rates->require_subcommand(1);
  Add(*rates, ctx, o, "import", "import rates from CSV: from,to,valid_from,rate", [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
    ASSIGN_OR_RETURN(std::string csv, ReadInputFile(opt.file));
    ASSIGN_OR_RETURN(int64_t n, l.service->ImportRates(l.actor, csv));
    *ctx.out << fmt::format("imported {} rates\n", n);
    return OkStatus();
  })->add_option("file", o->file, "CSV file")->required();
  Add(*rates, ctx, o, "list", "every rate", [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
    ASSIGN_OR_RETURN(auto list, l.service->ListRates());
    std::vector<std::vector<std::string>> rows = {{"from", "to", "valid_from", "rate"}};
    for (const auto& r : list) rows.push_back({r.from, r.to, r.valid_from.DateString(), FormatFixedPointTrimmed(r.rate_e9, 9)});
    return Emit(ctx, opt, rows);
  });

  CLI::App* clock = app.add_subcommand("clock", "deadline processing at --now");
  clock->require_subcommand(1);
  Add(*clock, ctx, o, "tick", "turn overdue replacement-in-kind obligations into cash claims",
      [&ctx](Ledger& l, LedgerOptions& opt) -> Status {
        ASSIGN_OR_RETURN(auto converted, l.service->Tick(l.actor));
        return Emit(ctx, opt, RikRows(converted));
      });
}

}  // namespace relos::cli

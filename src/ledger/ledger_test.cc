// The ledger through the real OrderService with the LedgerObserver wired in:
// a golden journal per settlement path, the ceiling refusal with its
// figures, close refused with an open balance, idempotent transfers, the
// trial balance and audit verification after every scenario.
//
// Golden journals live in tests/ledger/golden/<path>.txt: every transfer of
// the scenario and every account's final balances. They were checked by
// hand against the prices, rates and rules (docs/ledger.md, "Tests"). After
// a deliberate change, regenerate them with
//   RELOS_UPDATE_GOLDEN=1 build/src/ledger/relos_ledger_test --gtest_filter='*Golden*'
// and review the diff before committing it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "orders/testing/fixture.h"
#include "relos/audit/verify.h"
#include "relos/ledger/ledger.h"
#include "relos/ledger/settlement.h"
#include "relos/storage/memory_store.h"

namespace relos::ledger {
namespace {

using orders::Action;
using orders::Order;
using orders::OrderState;
using orders::Role;
using relos::testing::As;
using relos::testing::IsError;
using relos::testing::kAgreement;
using relos::testing::kF76;
using relos::testing::Q;
using relos::testing::T;
using relos::testing::kInPort;

class LedgerTest : public ::testing::Test {
 protected:
  LedgerTest() {
    auto n = settlement.ImportRates(As("IN", Role::kFinance), "from,to,valid_from,rate\nRUB,USD,2025-01-01,0.0105\nINR,USD,2025-01-01,0.012\n");
    RELOS_CHECK(n.ok(), n.status().ToString());
    Status s = fx.UpdateRegistry([](registry::RegistryData& d) {
      for (auto& a : d.agreements) {
        a.terms.annual_ceiling["IN"] = Money(6000000000, *Currency::FromCode("USD"));
        a.terms.annual_ceiling["RU"] = Money(6000000000, *Currency::FromCode("USD"));
      }
    });
    RELOS_CHECK(s.ok(), s.ToString());
  }

  // Creates the fixture's request (10 t F-76 and a 2-day berth at RU-VLD)
  // with `mode`, and takes it through submit, approve, deliver.
  Order Delivered(registry::SettlementMode mode, const std::string& requester = "IN") {
    auto req = requester == "IN" ? fx.Request() : RuRequest();
    req.settlement = mode;
    auto o = ledgered.Create(As(requester, Role::kRequester), req);
    RELOS_CHECK(o.ok(), o.status().ToString());
    for (Action a : {Action::kSubmit, Action::kApprove, Action::kDeliver}) {
      o = relos::testing::Perform(ledgered, a, relos::testing::RightActorFor(a).party == "IN" && requester == "RU"
                                                   ? Swap(relos::testing::RightActorFor(a))
                                                   : (requester == "RU" ? Swap(relos::testing::RightActorFor(a))
                                                                        : relos::testing::RightActorFor(a)),
                                  *o);
      RELOS_CHECK(o.ok(), o.status().ToString());
    }
    return *o;
  }
  static orders::Actor Swap(orders::Actor a) {
    a.party = a.party == "IN" ? "RU" : "IN";
    return a;
  }
  orders::CreateOrderRequest RuRequest() const {
    orders::CreateOrderRequest r;
    r.agreement = kAgreement;
    r.unit = relos::testing::kRuShip;
    r.facility = relos::testing::kInPort;
    r.purpose = registry::Purpose::kPortCall;
    r.lines = {fx.Line(kF76, Q("20 tonne"))};
    return r;
  }
  Order Receipted(registry::SettlementMode mode, const std::string& requester = "IN") {
    Order o = Delivered(mode, requester);
    orders::Actor receiver = As(requester, Role::kReceiver);
    auto r = ledgered.Receipt(receiver, o.id, {});
    RELOS_CHECK(r.ok(), r.status().ToString());
    return *r;
  }

  // Every transfer, one line each, then every account's final balances:
  // the journal a golden file holds.
  std::string Journal() {
    auto txn = store.BeginRead();
    TransferFilter f;
    f.limit = 100000;
    auto all = (*txn)->Ledger().ListTransfers(f);
    RELOS_CHECK(all.ok(), all.status().ToString());
    std::string s = "# transfers: seq date kind code [order L<line>] [ref] debit -> credit amount\n";
    for (const auto& t : *all) {
      s += std::to_string(t.seq) + " " + t.at.DateString() + " " + std::string(Name(t.kind)) + " " + t.code;
      if (!t.order.empty()) s += " " + t.order + (t.line_no ? " L" + std::to_string(t.line_no) : "");
      if (!t.reference.empty()) s += " ref=" + t.reference;
      if (!t.pending_id.empty()) s += " pending=" + t.pending_id;
      s += " " + t.debit_account + " -> " + t.credit_account + " " + ItemOrMoney(t.amount, t.unit) + "\n";
    }
    s += "# accounts: code debits_pending debits_posted credits_pending credits_posted\n";
    auto accounts = (*txn)->Ledger().ListAccounts("");
    RELOS_CHECK(accounts.ok(), accounts.status().ToString());
    for (const auto& a : *accounts) {
      s += a.code + " " + ItemOrMoney(a.debits_pending, a.unit) + " " + ItemOrMoney(a.debits_posted, a.unit) + " " +
           ItemOrMoney(a.credits_pending, a.unit) + " " + ItemOrMoney(a.credits_posted, a.unit) + "\n";
    }
    return s;
  }
  // Money in its currency; replacement-in-kind amounts in thousandths of the item.
  static std::string ItemOrMoney(int64_t v, const std::string& unit) {
    auto c = Currency::FromCode(unit);
    if (c.ok()) return Money(v, *c).ToString();
    return std::to_string(v) + " milli-" + unit;
  }

  // Compares Journal() with tests/ledger/golden/<name>.txt, or writes it
  // there when RELOS_UPDATE_GOLDEN is set.
  void ExpectGolden(const std::string& name) {
    const std::string path = std::string(RELOS_LEDGER_GOLDEN_DIR) + "/" + name + ".txt";
    const std::string journal = Journal();
    const char* update = std::getenv("RELOS_UPDATE_GOLDEN");
    if (update != nullptr && *update != '\0') {
      std::ofstream(path) << journal;
      return;
    }
    std::ifstream in(path);
    ASSERT_TRUE(in.good()) << "no golden journal " << path << "; create it with RELOS_UPDATE_GOLDEN=1";
    std::stringstream golden;
    golden << in.rdbuf();
    EXPECT_EQ(journal, golden.str()) << "journal differs from " << path;
  }

  void ExpectBalanced() {
    auto txn = store.BeginRead();
    auto rows = TrialBalance(**txn, "");
    ASSERT_TRUE(rows.ok()) << rows.status();
    for (const auto& r : *rows) EXPECT_TRUE(r.balanced()) << r.unit;
    auto report = audit::VerifyStore(**txn);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->ok()) << report->problem;
  }

  // How many transfers and audit events the store holds: a replayed call
  // must add neither.
  std::pair<size_t, int64_t> Written() {
    auto txn = store.BeginRead();
    TransferFilter f;
    f.limit = 100000;
    auto all = (*txn)->Ledger().ListTransfers(f);
    RELOS_CHECK(all.ok(), all.status().ToString());
    return {all->size(), relos::testing::FootprintOf(store).events};
  }

  OrderBalance BalanceOf(const Order& o) {
    auto txn = store.BeginRead();
    auto b = BalanceOfOrder(**txn, o.number);
    RELOS_CHECK(b.ok(), b.status().ToString());
    return *b;
  }

  storage::MemoryStore store;
  relos::testing::OrdersFixture fx{store};
  LedgerObserver observer;
  orders::OrderService ledgered{store, fx.clock, {&observer}};
  SettlementService settlement{store, fx.clock};
};

TEST_F(LedgerTest, GoldenCashPathPendingPostBillPayClose) {
  Order o = Delivered(registry::SettlementMode::kCash);
  EXPECT_EQ(BalanceOf(o).open_pending, 3);
  auto receipted = ledgered.Receipt(As("IN", Role::kReceiver), o.id, {});
  ASSERT_TRUE(receipted.ok()) << receipted.status();
  EXPECT_TRUE(IsError(ledgered.Close(As("IN", Role::kFinance), o.id), StatusCode::kFailedPrecondition,
                      "ledger.open_balance"));
  fx.clock.Advance(kSecondsPerDay);
  auto bill = settlement.CreateBill(As("RU", Role::kFinance), kAgreement, T("2026-01-01"), T("2027-01-01"));
  ASSERT_TRUE(bill.ok()) << bill.status();
  EXPECT_EQ(bill->lines.size(), 1u);
  EXPECT_EQ(bill->due, fx.clock.Now().PlusDays(30));
  EXPECT_TRUE(IsError(settlement.Pay(As("RU", Role::kFinance), bill->number, Money(1, bill->lines[0].converted.currency()), "p0"),
                      StatusCode::kPermissionDenied, "ledger.role"));
  // Two instalments: 4000.00 USD, then the rest.
  const Currency usd = bill->lines[0].converted.currency();
  auto part = settlement.Pay(As("IN", Role::kFinance), bill->number, Money(400000, usd), "p1");
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_EQ(part->status, "partly-paid");
  EXPECT_EQ(part->outstanding(), bill->total - 400000);
  EXPECT_TRUE(IsError(ledgered.Close(As("IN", Role::kFinance), o.id), StatusCode::kFailedPrecondition,
                      "ledger.open_balance"));
  auto paid = settlement.Pay(As("IN", Role::kFinance), bill->number, Money(part->outstanding(), usd), "p2");
  ASSERT_TRUE(paid.ok()) << paid.status();
  EXPECT_EQ(paid->status, "paid");
  // The same payment id again is a replay, not a second payment.
  auto replay = settlement.Pay(As("IN", Role::kFinance), bill->number, Money(part->outstanding(), usd), "p2");
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->paid, bill->total);
  EXPECT_TRUE(BalanceOf(o).zero()) << BalanceOf(o).ToString();
  auto closed = ledgered.Close(As("IN", Role::kFinance), o.id);
  ASSERT_TRUE(closed.ok()) << closed.status();
  ExpectGolden("cash");
  ExpectBalanced();
}

TEST_F(LedgerTest, CeilingRefusalNamesTheFigures) {
  ASSERT_TRUE(fx.UpdateRegistry([](registry::RegistryData& d) {
                  d.agreements[0].terms.annual_ceiling["IN"] = Money(500000, *Currency::FromCode("USD"));
                }).ok());
  auto req = fx.Request();
  auto o = ledgered.Create(As("IN", Role::kRequester), req);
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE(ledgered.Submit(As("IN", Role::kRequester), o->id).ok());
  auto r = ledgered.Approve(As("RU", Role::kApprover), o->id, {});
  ASSERT_TRUE(IsError(r, StatusCode::kResourceExhausted, "ledger.ceiling"));
  EXPECT_NE(r.status().message().find("5000.00 USD"), std::string::npos) << r.status();
  EXPECT_NE(r.status().message().find("excess"), std::string::npos) << r.status();
  // A disaster-relief order is not capped.
  ASSERT_TRUE(fx.UpdateRegistry([](registry::RegistryData& d) {
                  d.agreements[0].terms.ceiling_exempt_purposes = {registry::Purpose::kDisasterRelief};
                }).ok());
  auto relief = fx.Request({fx.Line(kF76, Q("10 tonne"))}, registry::Purpose::kDisasterRelief);
  auto d = ledgered.Create(As("IN", Role::kRequester), relief);
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_TRUE(ledgered.Submit(As("IN", Role::kRequester), d->id).ok());
  auto approved = ledgered.Approve(As("RU", Role::kApprover), d->id, {});
  EXPECT_TRUE(approved.ok()) << approved.status();
  ExpectBalanced();
}

TEST_F(LedgerTest, PartialReceiptPostsPartAndDisputeStaysPending) {
  Order o = Delivered(registry::SettlementMode::kCash);
  auto r = ledgered.Receipt(As("IN", Role::kReceiver), o.id,
                            {{1, orders::ReceiptVerdict::kDisputed, Q("6 tonne"), "short"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(BalanceOf(o).open_pending, 2);  // line 1 and the ceiling
  auto resolved = ledgered.Resolve(As("RU", Role::kApprover), o.id, 1, Q("8 tonne"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(BalanceOf(o).open_pending, 0);
  ExpectBalanced();
}

TEST_F(LedgerTest, CancelVoidsEveryPending) {
  auto o = ledgered.Create(As("IN", Role::kRequester), fx.Request());
  ASSERT_TRUE(ledgered.Submit(As("IN", Role::kRequester), o->id).ok());
  ASSERT_TRUE(ledgered.Approve(As("RU", Role::kApprover), o->id, {}).ok());
  EXPECT_EQ(BalanceOf(*o).open_pending, 3);
  ASSERT_TRUE(ledgered.Cancel(As("IN", Role::kRequester), o->id, {"not needed"}).ok());
  EXPECT_TRUE(BalanceOf(*o).zero());
  ExpectBalanced();
}

TEST_F(LedgerTest, ReplacementInKindDischargedThenClosed) {
  Order o = Receipted(registry::SettlementMode::kReplacementInKind);
  auto riks = settlement.ListRik(As("IN", Role::kFinance), kAgreement);
  ASSERT_TRUE(riks.ok());
  ASSERT_EQ(riks->size(), 2u);
  for (const auto& r : *riks) {
    auto d = settlement.DeliverRik(As("IN", Role::kFinance), r.key, r.quantity);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->status, "discharged");
  }
  EXPECT_TRUE(BalanceOf(o).zero()) << BalanceOf(o).ToString();
  ASSERT_TRUE(ledgered.Close(As("IN", Role::kFinance), o.id).ok());
  ExpectBalanced();
}

TEST_F(LedgerTest, GoldenReplacementInKindReturnedInPartThenOverdue) {
  Order o = Receipted(registry::SettlementMode::kReplacementInKind);
  auto riks = settlement.ListRik(As("IN", Role::kFinance), kAgreement);
  ASSERT_TRUE(riks.ok()) << riks.status();
  ASSERT_EQ(riks->size(), 2u);  // L1: 10 t F-76, L2: 2 berth-days
  fx.clock.Advance(10 * kSecondsPerDay);
  // The berth-days are returned in full, the fuel in part (4 of 10 t).
  auto berth = settlement.DeliverRik(As("IN", Role::kLogisticsOfficer), (*riks)[1].key, (*riks)[1].quantity);
  ASSERT_TRUE(berth.ok()) << berth.status();
  EXPECT_EQ(berth->status, "discharged");
  auto fuel = settlement.DeliverRik(As("IN", Role::kFinance), (*riks)[0].key, Q("4 tonne"));
  ASSERT_TRUE(fuel.ok()) << fuel.status();
  EXPECT_EQ(fuel->status, "open");
  auto early = settlement.Tick(As("IN", Role::kFinance));
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(early->empty());
  // The deadline (receipt + 365 days, 2027-03-02) passes: the 6 t left
  // become a cash claim at the price in force that day (66000.00 RUB/t).
  fx.clock.Advance(356 * kSecondsPerDay + 1);
  auto converted = settlement.Tick(As("IN", Role::kFinance));
  ASSERT_TRUE(converted.ok()) << converted.status();
  ASSERT_EQ(converted->size(), 1u);
  EXPECT_EQ((*converted)[0].status, "converted");
  EXPECT_EQ((*converted)[0].claim, 39600000);
  EXPECT_EQ((*converted)[0].claim_currency, "RUB");
  // The claim is billed and paid like cash, then the order closes.
  fx.clock.Advance(kSecondsPerDay);
  auto bill = settlement.CreateBill(As("RU", Role::kFinance), kAgreement, T("2026-01-01"), T("2028-01-01"));
  ASSERT_TRUE(bill.ok()) << bill.status();
  EXPECT_EQ(bill->total, 415800);  // 396000.00 RUB at 0.0105
  EXPECT_TRUE(IsError(ledgered.Close(As("IN", Role::kFinance), o.id), StatusCode::kFailedPrecondition,
                      "ledger.open_balance"));
  ASSERT_TRUE(settlement.Pay(As("IN", Role::kFinance), bill->number, Money(bill->total, *Currency::FromCode("USD")), "p").ok());
  EXPECT_TRUE(BalanceOf(o).zero()) << BalanceOf(o).ToString();
  ASSERT_TRUE(ledgered.Close(As("IN", Role::kFinance), o.id).ok());
  ExpectGolden("replacement-in-kind");
  ExpectBalanced();
}

TEST_F(LedgerTest, GoldenEqualValueOffsetNeedsBothAcceptances) {
  Order in_order = Receipted(registry::SettlementMode::kEqualValueExchange, "IN");
  Order ru_order = Receipted(registry::SettlementMode::kEqualValueExchange, "RU");
  auto p = settlement.ProposeOffset(As("IN", Role::kFinance), kAgreement);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_GT(p->offset, 0);
  auto first = settlement.AcceptOffset(As("IN", Role::kFinance), p->id);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->status, "proposed");
  EXPECT_TRUE(IsError(settlement.AcceptOffset(As("IN", Role::kFinance), p->id), StatusCode::kFailedPrecondition,
                      "ledger.eve_already_accepted"));
  auto second = settlement.AcceptOffset(As("RU", Role::kFinance), p->id);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->status, "accepted");
  // IN owes 900000.00 RUB (9450.00 USD), RU owes 1400000.00 INR (16800.00
  // USD): 9450.00 USD is netted, IN's order in full, RU's in part.
  EXPECT_EQ(second->offset, 945000);
  EXPECT_TRUE(BalanceOf(in_order).zero()) << BalanceOf(in_order).ToString();
  EXPECT_EQ(BalanceOf(ru_order).outstanding.at("INR"), 140000000 - 78750000);
  ASSERT_TRUE(ledgered.Close(As("IN", Role::kFinance), in_order.id).ok());
  ExpectGolden("equal-value-exchange");
  ExpectBalanced();
}

TEST_F(LedgerTest, ReturnDeliveryIsRecordedOncePerDeliveryId) {
  Receipted(registry::SettlementMode::kReplacementInKind);
  auto riks = settlement.ListRik(As("IN", Role::kFinance), kAgreement);
  ASSERT_TRUE(riks.ok()) << riks.status();
  const std::string fuel = (*riks)[0].key;  // 10 t F-76
  auto first = settlement.DeliverRik(As("IN", Role::kFinance), fuel, Q("4 tonne"), "return-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->returned.ToString(), "4 tonne");
  const auto written = Written();
  // The retry (by the other officer who may record it, too) is the same
  // delivery: the obligation is reduced once.
  auto retry = settlement.DeliverRik(As("IN", Role::kLogisticsOfficer), fuel, Q("4 tonne"), "return-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->returned.ToString(), "4 tonne");
  EXPECT_EQ(retry->status, "open");
  EXPECT_EQ(Written(), written);
  auto listed = settlement.ListRik(As("RU", Role::kAuditor), kAgreement);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)[0].returned.ToString(), "4 tonne");
  // The id again for another quantity: refused, naming the id.
  auto other = settlement.DeliverRik(As("IN", Role::kFinance), fuel, Q("3 tonne"), "return-1");
  ASSERT_TRUE(IsError(other, StatusCode::kAlreadyExists, "delivery_id"));
  EXPECT_NE(other.status().message().find("'return-1'"), std::string::npos) << other.status();
  EXPECT_EQ(Written(), written);
  EXPECT_TRUE(IsError(settlement.DeliverRik(As("IN", Role::kFinance), fuel, Q("1 tonne"), std::string(129, 'k')),
                      StatusCode::kInvalidArgument, "delivery_id"));
  // The rest discharges it; a retry of that last delivery still answers
  // with the obligation, not "not open".
  auto rest = settlement.DeliverRik(As("IN", Role::kFinance), fuel, Q("6 tonne"), "return-2");
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_EQ(rest->status, "discharged");
  const auto discharged = Written();
  auto late_retry = settlement.DeliverRik(As("IN", Role::kFinance), fuel, Q("6 tonne"), "return-2");
  ASSERT_TRUE(late_retry.ok()) << late_retry.status();
  EXPECT_EQ(late_retry->status, "discharged");
  EXPECT_EQ(late_retry->returned.ToString(), "10 tonne");
  EXPECT_EQ(Written(), discharged);
  // Without an id a call is a new delivery: refused now, nothing is owed.
  EXPECT_TRUE(IsError(settlement.DeliverRik(As("IN", Role::kFinance), fuel, Q("6 tonne")),
                      StatusCode::kFailedPrecondition, "ledger.rik_not_open"));
  ExpectBalanced();
}

TEST_F(LedgerTest, BillCreationRetriedWithItsKeyMakesOneBill) {
  Receipted(registry::SettlementMode::kCash);
  fx.clock.Advance(kSecondsPerDay);
  const orders::Actor ru = As("RU", Role::kFinance);
  auto bill = settlement.CreateBill(ru, kAgreement, T("2026-01-01"), std::nullopt, "bill-march");
  ASSERT_TRUE(bill.ok()) << bill.status();
  const auto written = Written();
  // Retried later, with the period up to "now" as before: the same bill.
  fx.clock.Advance(60);
  auto retry = settlement.CreateBill(ru, kAgreement, T("2026-01-01"), std::nullopt, "bill-march");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->number, bill->number);
  EXPECT_EQ(retry->total, bill->total);
  EXPECT_EQ(retry->period_to, bill->period_to);
  EXPECT_EQ(Written(), written);
  auto bills = settlement.ListBills(ru, kAgreement);
  ASSERT_TRUE(bills.ok());
  EXPECT_EQ(bills->size(), 1u);
  EXPECT_TRUE(IsError(settlement.CreateBill(ru, kAgreement, T("2026-02-01"), std::nullopt, "bill-march"),
                      StatusCode::kAlreadyExists, "idempotency_key"));
  // Without a key there is nothing left to bill.
  EXPECT_TRUE(IsError(settlement.CreateBill(ru, kAgreement, T("2026-01-01"), std::nullopt),
                      StatusCode::kFailedPrecondition, "ledger.nothing_to_bill"));
  EXPECT_EQ(Written(), written);
  ExpectBalanced();
}

TEST_F(LedgerTest, OffsetProposalRetriedWithItsKeyIsOneProposalListedWithItsState) {
  Receipted(registry::SettlementMode::kEqualValueExchange, "IN");
  Receipted(registry::SettlementMode::kEqualValueExchange, "RU");
  auto p = settlement.ProposeOffset(As("IN", Role::kFinance), kAgreement, "net-q1");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->proposed_by, "IN");
  const auto written = Written();
  auto retry = settlement.ProposeOffset(As("IN", Role::kFinance), kAgreement, "net-q1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id, p->id);
  EXPECT_EQ(Written(), written);
  // The other party's finance officer under the same key asks for another
  // proposal (its own): refused.
  EXPECT_TRUE(IsError(settlement.ProposeOffset(As("RU", Role::kFinance), kAgreement, "net-q1"),
                      StatusCode::kAlreadyExists, "idempotency_key"));
  auto states = [&](const orders::Actor& who) {
    std::vector<std::string> out;
    auto list = settlement.ListOffsets(who, kAgreement);
    RELOS_CHECK(list.ok(), list.status().ToString());
    for (const auto& x : *list) out.push_back(x.id + " " + OffsetState(x) + " by " + x.proposed_by);
    return out;
  };
  const std::string id = p->id;
  EXPECT_EQ(states(As("RU", Role::kAuditor)), std::vector<std::string>{id + " proposed by IN"});
  ASSERT_TRUE(settlement.AcceptOffset(As("RU", Role::kFinance), id).ok());
  EXPECT_EQ(states(As("IN", Role::kFinance)), std::vector<std::string>{id + " accepted-by-RU by IN"});
  ASSERT_TRUE(settlement.AcceptOffset(As("IN", Role::kFinance), id).ok());
  EXPECT_EQ(states(As("IN", Role::kAuditor)), std::vector<std::string>{id + " posted by IN"});
  EXPECT_TRUE(IsError(settlement.ListOffsets(As("IN", Role::kRequester), kAgreement), StatusCode::kPermissionDenied,
                      "ledger.role"));
  EXPECT_TRUE(IsError(settlement.ListOffsets(As("CN", Role::kFinance), kAgreement), StatusCode::kPermissionDenied,
                      "agreement"));
  ExpectBalanced();
}

TEST_F(LedgerTest, TransfersAreIdempotentAndCorrectedByReference) {
  Order o = Receipted(registry::SettlementMode::kCash);
  auto txn = store.BeginWrite();
  auto t = (*txn)->Ledger().FindTransfer("order:" + o.number + ":L1:post");
  ASSERT_TRUE(t.ok() && t->has_value());
  Transfer replay = **t;
  auto again = Apply(**txn, replay, As("RU", Role::kFinance));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->seq, (*t)->seq);
  replay.amount += 1;
  EXPECT_TRUE(IsError(Apply(**txn, replay, As("RU", Role::kFinance)), StatusCode::kAlreadyExists, "ledger.transfer_id"));
  auto post_again = (*t).value();
  post_again.id = "second-post";
  EXPECT_TRUE(IsError(Apply(**txn, post_again, As("RU", Role::kFinance)), StatusCode::kFailedPrecondition,
                      "ledger.pending_resolved"));
  auto fix = Correct(**txn, (*t)->id, "fix-1", fx.clock.Now(), As("RU", Role::kFinance));
  ASSERT_TRUE(fix.ok()) << fix.status();
  EXPECT_EQ(fix->corrects, (*t)->id);
  ASSERT_TRUE((*txn)->Commit().ok());
  ExpectBalanced();
}

}  // namespace
}  // namespace relos::ledger

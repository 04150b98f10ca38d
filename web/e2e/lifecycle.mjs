// End-to-end test of the web application in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) against a real `relos serve`
// on a temporary database seeded with the demo:
//   an Indian requester raises an order (first meeting the API's
//   validation), a Russian approver approves part of it, the Russian
//   logistics officer delivers, the Indian receiver receipts, Indian finance
//   sees the ledger balances change and its close refused while the balance
//   is open; Russian finance bills, Indian finance pays, the net position
//   changes on screen and the order closes; with equal-value-exchange
//   orders both ways, Indian finance proposes and accepts an offset and
//   Russian finance accepts it, which posts it and changes Russia's net
//   position; the mission planner draws a
//   route with its legs and drafts the partner stop's order; an exercise's
//   berth Gantt chart renders; an Indian user's attempt
//   to read a Russian unit is refused and the Russian approver is offered no
//   action on an Indian draft; a second order's line is disputed by the
//   receiver and resolved by the approver; no console errors anywhere else.
// Screenshots go to --out (default: a folder next to the binary).
//
// usage: node web/e2e/lifecycle.mjs --relos BUILD/src/cli/relos [--out DIR]
//        [--app-url URL --port N]   (URL: serve the app from elsewhere, e.g. vite preview)
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const RELOS = args.relos;
const CHROMIUM = process.env.RELOS_CHROMIUM ?? "/usr/bin/chromium";
if (!RELOS || !existsSync(RELOS)) fail(`--relos: no relos binary at '${RELOS ?? ""}'`);
if (!existsSync(CHROMIUM)) fail(`Chromium not found at ${CHROMIUM}: install Debian's chromium (scripts/apt-packages.txt)`);
const OUT = args.out ?? join(dirname(RELOS), "e2e-screenshots");
mkdirSync(OUT, { recursive: true });
const PASSWORD = "relos-e2e-password";
const T0 = Date.now();
const tokens = new Map(); // API tokens of the people the test acts as directly

function fail(msg) {
  console.error(`e2e: FAIL: ${msg}`);
  process.exit(1);
}
function check(cond, msg) {
  if (!cond) throw new Error(msg);
  console.log(`e2e: ok (${((Date.now() - T0) / 1000).toFixed(1)} s): ${msg}`);
}

const work = mkdtempSync(join(tmpdir(), "relos-e2e-"));
const DB = join(work, "e2e.db");
execFileSync(RELOS, ["--db", DB, "demo"], { stdio: "ignore" });
const users = [
  ["in-requester", "IN", "requester"],
  ["in-receiver", "IN", "receiver"],
  ["in-finance", "IN", "finance"],
  ["in-auditor", "IN", "auditor"],
  ["in-admin", "IN", "admin"],
  ["ru-approver", "RU", "approver"],
  ["ru-logistics", "RU", "logistics-officer"],
  ["ru-finance", "RU", "finance"],
  // The other direction, for equal-value exchange: Russia asks, India supplies.
  ["ru-requester", "RU", "requester"],
  ["ru-receiver", "RU", "receiver"],
  ["in-approver", "IN", "approver"],
  ["in-logistics", "IN", "logistics-officer"],
];
for (const [name, party, role] of users) {
  execFileSync(RELOS, ["--db", DB, "user", "add", name, "--party", party, "--role", role, "--password-stdin"], {
    input: `${PASSWORD}\n`,
    stdio: ["pipe", "ignore", "inherit"],
  });
}

console.log(`e2e: database ready in ${((Date.now() - T0) / 1000).toFixed(1)} s`);
const server = spawn(RELOS, ["--db", DB, "serve", "--port", args.port ?? "0"], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((resolve, reject) => {
  let out = "";
  const timer = setTimeout(() => reject(new Error("relos serve did not start in 20 s")), 20000);
  server.stdout.on("data", (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.on("exit", (code) => reject(new Error(`relos serve exited with ${code}`)));
});
const APP = args["app-url"] ?? base;
{
  const r = await fetch(`${APP}/`);
  if (!(r.headers.get("content-type") ?? "").startsWith("text/html")) {
    server.kill("SIGTERM");
    fail(`${APP}/ is no web application (${r.status}): build it (scripts/setup.sh) and place it next to the binary (scripts/build-data.sh BUILD)`);
  }
}

// The routes this server has: billing, payment, mission planning and
// exercises are checked where it has them, and their absence is said.
const openapi = (await (await fetch(`${base}/api/v1/openapi.json`)).json()).paths;
const paths = Object.keys(openapi);
const hasRoute = (re) => paths.some((p) => re.test(p.replace(/^\/api\/v1/, "")));
const hasOp = (method, re) => paths.some((p) => re.test(p.replace(/^\/api\/v1/, "")) && method.toLowerCase() in openapi[p]);
function skip(what, why = "this server has no route for it") {
  console.log(`e2e: skip: ${what}: ${why}`);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
});

const consoleErrors = [];
const pages = [];
// Each person gets a browser context of their own (own session storage).
async function signIn(name, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  pages.push(page);
  page.setDefaultTimeout(15000);
  page.expectRefusal = false;
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // A refusal the test provokes on purpose makes Chromium log the failed fetch.
    if (page.expectRefusal && /status of 40[0349]/.test(m.text())) return;
    consoleErrors.push(`${name}: ${m.text()}`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`${name}: ${e.message}`));
  await page.goto(`${APP}/`);
  await page.getByLabel("User name").fill(name);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("who").waitFor();
  check((await page.getByTestId("who").innerText()).startsWith(name), `${name} is signed in`);
  return page;
}
const shot = (page, name, opts = {}) => page.screenshot({ path: join(OUT, `${name}.png`), ...opts });
const state = (page) => page.locator(".title-row .badge").innerText();
async function act(page, action, fill) {
  const form = page.locator(`form[data-action="${action}"]`);
  if (fill) await fill(form);
  await form.getByRole("button").last().click();
  await page.locator(".notice").waitFor();
}

let failed = null;
let exerciseCreated = false;
try {
  // The Indian requester: dashboard, then a new order.
  const req = await signIn("in-requester");
  await page0Dashboard(req);
  await req.getByRole("link", { name: "Orders" }).click();
  await req.getByRole("link", { name: "Raise an order" }).click();
  await req.getByLabel("Unit").selectOption("IN-INS-TABAR");
  await req.getByLabel("Facility").selectOption("RU-VLD");
  await req.getByLabel("Purpose").selectOption("port-call");
  await req.getByLabel("Item").selectOption("FUEL-DL");
  // A quantity the API cannot read: the form shows the API's own message,
  // naming the field.
  await req.getByLabel("Quantity").fill("eighty tonne");
  req.expectRefusal = true;
  await req.getByRole("button", { name: "Create draft" }).click();
  const refusal = req.getByRole("alert");
  await refusal.waitFor();
  const why = (await refusal.innerText()).replace(/\s+/g, " ");
  check(/lines\[0\]\.quantity/.test(why), `the form shows the API's message: ${why}`);
  req.expectRefusal = false;
  await shot(req, "03-order-form-refused");
  await req.getByLabel("Quantity").fill("80 tonne");
  await req.getByRole("button", { name: "Create draft" }).click();
  await req.locator("form[data-action=submit]").waitFor();
  const number = (await req.locator("h1").innerText()).trim();
  check(/^RELOS-IN-RU-\d{4}-\d+$/.test(number) && (await state(req)) === "draft", `draft ${number} created`);
  await act(req, "submit");
  check((await state(req)) === "submitted", "the requester submits it");
  await shot(req, "04-order-submitted");

  // Cross-party: an Indian user asks for a Russian unit directly; the API
  // answers 404 as for a unit that does not exist, and the page shows it.
  req.expectRefusal = true;
  const status = await req.evaluate(async () => {
    const r = await fetch("/api/v1/units/RU-VARYAG", {
      headers: { Authorization: `Bearer ${sessionStorage.getItem("relos.token")}` },
    });
    return r.status;
  });
  check(status === 404, "an Indian requester reading a Russian unit is refused (404)");
  req.expectRefusal = false;

  // The Russian approver: no action on an Indian draft, approve this one in part.
  const appr = await signIn("ru-approver");
  await appr.goto(`${APP}/orders/${number}`);
  await appr.locator("form[data-action=approve]").waitFor();
  check((await appr.locator("form[data-action=submit]").count()) === 0, "the approver is offered no submit on the requester's side");
  const hint = await appr.locator("form[data-action=approve] .hint").first().innerText();
  check(hint === "list price 71500.00 RUB", `the approve form quotes the facility's list price (${hint})`);
  await act(appr, "approve", (f) => f.getByLabel(/Line 1/).fill("60 tonne"));
  check((await state(appr)) === "approved", "the Russian approver approves 60 of 80 tonne");
  check((await appr.locator("table").first().innerText()).includes("60 tonne"), "the approved quantity is on the line");
  await shot(appr, "05-order-approved");
  // The approver's role may not deliver: the API says so when asked directly.
  appr.expectRefusal = true;
  const refused = await appr.evaluate(async (n) => {
    const r = await fetch(`/api/v1/orders/${n}/deliver`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sessionStorage.getItem("relos.token")}`, "Content-Type": "application/json" },
      body: "{}",
    });
    return r.status;
  }, number);
  check(refused === 403, "the approver's role may not deliver (403)");

  // Indian finance before delivery: the approval reserved (pending) funds.
  const fin = await signIn("in-finance");
  await fin.goto(`${APP}/ledger`);
  await fin.locator("#acc-h").waitFor();
  const before = await fin.locator("section[aria-labelledby=acc-h] table").innerText();

  const log = await signIn("ru-logistics");
  await log.goto(`${APP}/orders/${number}`);
  await act(log, "deliver", (f) => f.getByLabel(/Line 1/).first().fill("59.5 tonne"));
  check((await state(log)) === "delivered", "the Russian logistics officer delivers 59.5 tonne");

  const rcv = await signIn("in-receiver");
  await rcv.goto(`${APP}/orders/${number}`);
  await rcv.locator("form[data-action=receipt]").waitFor();
  await shot(rcv, "06-order-receipt-form");
  await act(rcv, "receipt");
  check((await state(rcv)) === "receipted", "the Indian receiver receipts it");

  await fin.reload();
  await fin.locator("section[aria-labelledby=acc-h] table").waitFor();
  const after = await fin.locator("section[aria-labelledby=acc-h] table").innerText();
  // 59.5 tonne at 71,500.00 RUB a tonne, posted by the receipt.
  check(
    !before.includes("-4,254,250.00 RUB") && /payable:RU:RUB[^\n]*-4,254,250\.00 RUB/.test(after),
    "Indian finance sees the receipt post 4,254,250.00 RUB to India's payable to Russia",
  );
  check((await fin.locator("section[aria-labelledby=net-h]").innerText()).includes("4,254,250.00 RUB"), "the net position shows what India owes");
  await shot(fin, "07-ledger");
  // Closing needs a zero balance; billing and payment have no API route
  // yet, so the close is refused with the ledger's rule and nothing changes.
  await fin.goto(`${APP}/orders/${number}`);
  fin.expectRefusal = true;
  const closeForm = fin.locator("form[data-action=close]");
  await closeForm.getByRole("button").click();
  const closeRefusal = (await closeForm.getByRole("alert").innerText()).replace(/\s+/g, " ");
  check(/ledger\.open_balance/.test(closeRefusal) && (await state(fin)) === "receipted",
        `finance's close is refused until the balance is settled: ${closeRefusal}`);
  fin.expectRefusal = false;
  await shot(fin, "08-order-close-refused");

  // Russian finance bills the receipted support; Indian finance pays the
  // bill in full; India's position in roubles goes to zero and the order closes.
  if (hasRoute(/^\/ledger\/\{[^}]+\}\/bills$/) && hasRoute(/\/bills\/\{[^}]+\}\/pay/)) {
    const ruf = await signIn("ru-finance");
    await ruf.goto(`${APP}/ledger`);
    await ruf.locator("form[data-action=bill]").waitFor();
    const billsBefore = await ruf.locator("#bill-h-s > .table-wrap tbody tr").count();
    await ruf.locator("form[data-action=bill]").getByRole("button", { name: "Create bill" }).click();
    await ruf.locator("#bill-h-s > .table-wrap tbody tr").nth(billsBefore).waitFor();
    const billRow = await ruf.locator("#bill-h-s > .table-wrap tbody tr").nth(billsBefore).innerText();
    const billNo = billRow.trim().split(/\s+/)[0];
    // The bill converts the roubles owed into the settlement currency.
    const billTotal = /(\d[\d,]*\.\d\d [A-Z]{3})/.exec(billRow)[1];
    check(/\bRU\b[\s\S]*\bIN\b[\s\S]*open/.test(billRow), `Russian finance bills India: ${billRow.replace(/\s+/g, " ")}`);
    await shot(ruf, "12-ledger-billed");

    await fin.goto(`${APP}/ledger`);
    const payForm = fin.locator("form[data-action=pay]");
    await payForm.waitFor();
    const netBefore = await fin.locator("#net-h-s").innerText();
    check(netBefore.includes(billTotal) && !netBefore.includes("4,254,250.00 RUB"), `once billed, India owes ${billTotal} instead of 4,254,250.00 RUB`);
    await payForm.getByLabel("Bill").selectOption(billNo);
    await payForm.getByRole("button", { name: "Record payment" }).click();
    await fin.locator("#ledger-notice").waitFor();
    const netAfter = await fin.locator("#net-h-s").innerText();
    check(!netAfter.includes(billTotal), `after payment the net position no longer shows the debt: ${netAfter.replace(/\s+/g, " ")}`);
    check((await fin.locator("#bill-h-s > .table-wrap tbody").innerText()).includes("paid"), "the bill shows as paid");
    await shot(fin, "13-ledger-paid");
    await fin.goto(`${APP}/orders/${number}`);
    await act(fin, "close");
    check((await state(fin)) === "closed", "with the balance settled, Indian finance closes the order");
  } else skip("billing and payment");

  // Equal-value exchange: each party receipted water from the other under
  // an equal-value-exchange order; Indian finance proposes the offset and
  // accepts it, Russian finance accepts it too, and the offset is posted:
  // each side's claim shrinks, so Russia's net position changes.
  if (hasRoute(/^\/ledger\/\{[^}]+\}\/offsets$/) && hasRoute(/^\/offsets\/\{[^}]+\}\/accept$/)) {
    const listed = hasOp("GET", /^\/ledger\/\{[^}]+\}\/offsets$/);
    await receiptedThroughApi("in", "IN-INS-TABAR", "RU-VLD", "equal-value-exchange");
    await receiptedThroughApi("ru", "RU-VARYAG", "IN-VTZ", "equal-value-exchange");
    const ruf = await signIn("ru-finance");
    await ruf.goto(`${APP}/ledger`);
    await ruf.locator("#net-h-s table").waitFor();
    const ruNetBefore = await ruf.locator("#net-h-s table").innerText();

    await fin.goto(`${APP}/ledger`);
    await fin.locator("form[data-action=eve-propose]").getByRole("button", { name: "Propose offset" }).click();
    await fin.locator("#ledger-notice").waitFor();
    const proposed = /Offset (\S+) proposed: ([\d,.]+ [A-Z]{3})/.exec(await fin.locator("#ledger-notice").innerText());
    check(!!proposed, `Indian finance proposes an offset: ${proposed?.[0]}`);
    const [, offsetId, offsetAmount] = proposed;
    await fin.locator(`button[data-offset="${offsetId}"]`).click();
    await fin.locator("#ledger-notice").filter({ hasText: "accepted by IN" }).waitFor();
    check((await fin.locator(`button[data-offset="${offsetId}"]`).count()) === 0, `Indian finance accepts ${offsetId} and is offered no second acceptance`);

    await ruf.reload();
    if (listed) {
      const row = ruf.locator("#settle-h-s tr", { hasText: offsetId });
      check(/\bIN\b/.test(await row.innerText()) && (await row.locator(`button[data-offset="${offsetId}"]`).count()) === 1,
            `Russian finance sees India's proposal, accepted by IN, with an Accept button: ${(await row.innerText()).replace(/\s+/g, " ")}`);
      await row.scrollIntoViewIfNeeded();
      await shot(ruf, "17-offset-proposed");
      await ruf.locator(`button[data-offset="${offsetId}"]`).click();
    } else {
      await ruf.getByLabel("Proposal").fill(offsetId);
      await ruf.locator("form[data-action=eve-accept]").getByRole("button", { name: "Accept" }).click();
    }
    await ruf.locator("#ledger-notice").filter({ hasText: "accepted: posted" }).waitFor();
    const ruNetAfter = await ruf.locator("#net-h-s table").innerText();
    // Russia owed India the offset amount in rupees, and no longer does.
    check(
      ruNetBefore.includes(offsetAmount) && !ruNetAfter.includes(offsetAmount),
      `the offset of ${offsetAmount} is posted and Russia's net position changes: ${ruNetBefore.replace(/\s+/g, " ")} -> ${ruNetAfter.replace(/\s+/g, " ")}`,
    );
    await shot(ruf, "18-offset-accepted");
  } else skip("equal-value-exchange offsets");

  // The mission planner: a frigate from Visakhapatnam to Sovetskaya Gavan,
  // refuelling at its own Port Blair and at a Russian base.
  if (hasRoute(/^\/mission-plans$/)) {
    await req.goto(`${APP}/missions`);
    await req.getByLabel("Unit").selectOption("IN-INS-KOLKATA");
    await req.getByLabel("Origin").fill("IN-VTZ");
    await req.getByLabel("Destination").fill("RU-SOG");
    await req.getByRole("button", { name: "Plan", exact: true }).click();
    await req.locator("svg.map path.route").first().waitFor({ timeout: 30000 });
    const legs = await req.locator("#legs-h-s tbody tr").count();
    check(legs >= 2 && (await req.locator("svg.map path.route").count()) === legs, `the mission planner draws a route of ${legs} legs on the map and lists them`);
    check((await req.locator("#stops-h-s").innerText()).includes("partner"), "the stops table names a partner stop");
    check((await req.locator("svg.fuel .fuel-line").count()) === 1, "the fuel profile is drawn");
    await shot(req, "14-mission", { fullPage: true });
    if (hasRoute(/^\/mission-plans\/orders$/)) {
      await req.getByRole("button", { name: "Create the draft orders" }).click();
      await req.locator("#sum-h-s .notice").waitFor({ timeout: 30000 });
      check(/[1-9]\d* draft orders? created/.test(await req.locator("#sum-h-s .notice").innerText()), "the planner drafts the partner stop's orders");
    }
    await req.goto(`${APP}/`);
    await req.locator("svg.map .mark.ship").first().waitFor();
    check((await req.getByTestId("map-summary").innerText()).match(/[1-9]\d* own units? on planned missions/), "the dashboard map shows own units on planned missions");
    await shot(req, "15-dashboard-missions");
  } else skip("mission planning");

  // The exercise planner. The demo's exercise has four Indian ships at
  // Vladivostok, approved, holding its berths and billets; the Indian
  // requester creates a second exercise whose first call comes while they
  // are there, and raises its orders. The Russian logistics officer, whose
  // port it is, sees its berth Gantt chart with the call in conflict, the
  // conflicts, Vladivostok's capacity over time, and the alert on the dashboard.
  if (hasOp("POST", /^\/exercises$/) && hasOp("GET", /^\/exercises\/\{[^}]+\}\/plan$/) && hasOp("POST", /^\/exercises\/\{[^}]+\}\/orders$/)) {
    await req.goto(`${APP}/exercises`);
    await req.getByText("Create an exercise", { exact: true }).first().click();
    await req.getByLabel("Plan (JSON)").fill(JSON.stringify(harbourExercise(), null, 2));
    await req.getByRole("button", { name: "Create exercise" }).click();
    await req.waitForURL(/\/exercises\/E2E-HARBOUR$/);
    await req.locator("svg.gantt .slot").first().waitFor({ timeout: 30000 });
    check((await req.locator("h1").innerText()) === "E2E-HARBOUR", "the Indian requester creates an exercise from its plan and lands on its planner");
    exerciseCreated = true;
    const raise = req.locator("form[data-action=exercise-orders]");
    await raise.getByRole("button", { name: "Raise orders" }).click();
    await raise.locator(".notice").waitFor({ timeout: 30000 });
    const raised = await raise.locator(".notice").innerText();
    check(/^2 orders raised: RELOS-IN-RU-\d{4}-\d+, RELOS-IN-RU-\d{4}-\d+/.test(raised), `the requester raises the exercise's orders: ${raised}`);
    const xOrders = req.locator("#xorders-h-s tbody tr");
    check((await xOrders.count()) === 2 && (await xOrders.allInnerTexts()).every((t) => /draft/.test(t)), "both orders are listed on the exercise as drafts");

    await log.goto(`${APP}/exercises/E2E-HARBOUR`);
    await log.locator("svg.gantt .slot, #gantt-h-s .error").first().waitFor({ timeout: 30000 });
    const err = (await log.locator("#gantt-h-s .error").count()) ? await log.locator("#gantt-h-s .error").first().innerText() : "";
    const slots = await log.locator("svg.gantt .slot").count();
    const clashing = await log.locator("svg.gantt .slot.conflict").allTextContents();
    check(!err && slots === 2 && clashing.length === 1 && clashing[0].includes("IN-INS-TABAR"),
          `the berth Gantt chart shows ${slots} ships, IN-INS-TABAR's call in conflict${err ? `: ${err}` : ""}`);
    const conflictRows = await log.locator("#gantt-h-s tbody tr").allInnerTexts();
    check(conflictRows.some((t) => /accommodation/.test(t)) && conflictRows.some((t) => /berth/.test(t)),
          `the conflicts table lists the billets and the berth short (${conflictRows.length} rows)`);
    await log.locator("#cap-h-s [data-usage=RU-VLD] svg.capacity").first().waitFor();
    check((await log.locator("#cap-h-s [data-usage=RU-VLD] svg.capacity").count()) > 1, "Vladivostok's capacity over time is drawn for its owner");
    await shot(log, "16-exercise", { fullPage: true });
    // A tanker planned to arrive on the exercise's second day raises the
    // diesel stock drawn for the rest of the exercise by its 800 tonne.
    if (hasOp("POST", /^\/facilities\/\{[^}]+\}\/replenishments$/)) {
      const dl = log.locator("#cap-h-s [data-usage=RU-VLD] svg.capacity[aria-label^='fuel:DL']");
      const before = await dl.getAttribute("aria-label");
      await log.getByText("Plan a fuel delivery into RU-VLD", { exact: true }).first().click();
      const rp = log.locator("form[data-action=replenish]");
      await rp.getByLabel("Grade").selectOption("DL");
      await rp.getByLabel("Quantity").fill("800 tonne");
      await rp.getByLabel("Arrives (UTC)").fill(harbourExercise().calls[0].arrive.slice(0, 16));
      await rp.getByRole("button", { name: "Plan delivery" }).click();
      await rp.locator(".notice").waitFor();
      const after = await dl.getAttribute("aria-label");
      const finalStock = (label) => Number(/ to ([\d,.]+) tonne/.exec(label)[1].replace(/,/g, ""));
      check(finalStock(after) - finalStock(before) === 800 && /800 tonne DL planned/.test(await rp.locator(".notice").innerText()),
            `the port's logistics officer plans a diesel delivery and the stock line rises: ${before} -> ${after}`);
    }

    await log.goto(`${APP}/`);
    await log.getByTestId("capacity-alerts").locator("table").waitFor();
    const alert = await log.getByTestId("capacity-alerts").innerText();
    check(/RU-VLD/.test(alert) && /E2E-HARBOUR/.test(alert), "the Russian logistics officer's dashboard alerts to the conflicts at Vladivostok, linked to the exercise");
    await log.getByTestId("capacity-alerts").scrollIntoViewIfNeeded();
    await shot(log, "19-dashboard-conflicts");
    await log.getByTestId("capacity-alerts").getByRole("link", { name: "E2E-HARBOUR" }).first().click();
    await log.locator("svg.gantt .slot").first().waitFor({ timeout: 30000 });
    check((await log.locator("h1").innerText()) === "E2E-HARBOUR", "the alert's link opens the exercise's planner");
  } else skip("exercises");

  // A dispute: a second order taken to delivery through the API, then the
  // receiver disputes one line in the browser and the approver resolves it.
  const second = await orderDeliveredThroughApi();
  await rcv.goto(`${APP}/orders/${second}`);
  await act(rcv, "receipt", async (f) => {
    await f.getByLabel("Dispute this line").nth(1).check();
    await f.locator("#receipt-q-2").fill("90 tonne");
    await f.locator("#receipt-r-2").fill("tank gauge reads 90");
  });
  check((await rcv.locator("table").first().innerText()).includes("disputed"), `the receiver disputes line 2 of ${second}`);
  await appr.goto(`${APP}/orders/${second}`);
  await act(appr, "resolve", (f) => f.locator("#resolve-q").fill("95 tonne"));
  check(
    (await appr.locator("form[data-action=resolve]").count()) === 0 &&
      (await appr.locator("table").first().innerText()).includes("95 tonne"),
    "the approver resolves the dispute at 95 tonne",
  );

  // The registry: facilities on the map, one picked with the keyboard.
  await req.goto(`${APP}/registry`);
  await req.locator("svg.map .facility.partner").first().focus();
  await req.keyboard.press("Enter");
  await req.getByTestId("facility-detail").waitFor();
  check((await req.getByTestId("facility-detail").innerText()).includes("Partner"), "a partner facility opens from the map by keyboard");
  await shot(req, "02-registry");

  // The Indian auditor: the chain verifies and holds this order's events.
  const aud = await signIn("in-auditor");
  await aud.goto(`${APP}/audit`);
  await aud.locator("[data-testid=verify] .ok").waitFor();
  check((await aud.locator("table").innerText()).includes(number), "the auditor sees the order's events on a verified chain");
  await shot(aud, "10-audit");
  await aud.goto(`${APP}/orders/${number}`);
  await aud.getByRole("cell", { name: "order.receipt", exact: true }).waitFor();
  check((await aud.getByRole("cell", { name: "ledger.transfer", exact: true }).count()) >= 1, "the order's page shows its events on the chain, ledger postings included");

  // The Indian admin adds a receiver, who can then sign in.
  const adm = await signIn("in-admin");
  await adm.getByRole("link", { name: "Users" }).click();
  await adm.getByLabel("User name").fill("in-receiver-2");
  await adm.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await adm.getByLabel("receiver", { exact: true }).check();
  await adm.getByRole("button", { name: "Add user" }).click();
  await adm.locator(".notice").waitFor();
  // The notice comes with the answer to the POST; the list is read again after it.
  await adm.getByRole("cell", { name: "in-receiver-2", exact: true }).waitFor({ timeout: 10000 }).catch(() => {});
  check((await adm.locator("table").innerText()).includes("in-receiver-2"), "the admin adds a receiver to India's users");
  await shot(adm, "11-users");
  await signIn("in-receiver-2");

  // A narrow screen: the orders list still reads.
  const narrow = await signIn("in-requester", { width: 390, height: 800 });
  await narrow.goto(`${APP}/orders`);
  await narrow.locator("table").waitFor();
  await shot(narrow, "09-orders-narrow");
  if (exerciseCreated) {
    // The exercise planner on a narrow screen: the charts scale down.
    await narrow.goto(`${APP}/exercises/E2E-HARBOUR`);
    await narrow.locator("svg.gantt .slot").first().waitFor({ timeout: 30000 });
    const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(overflow <= 0, `the exercise planner fits a 390-pixel screen (${overflow} px too wide)`);
    await shot(narrow, "20-exercise-narrow", { fullPage: true });
  }

  // Signing out revokes the token on the server: the old token is refused.
  const oldToken = await narrow.evaluate(() => sessionStorage.getItem("relos.token"));
  await narrow.getByRole("button", { name: "Sign out" }).click();
  await narrow.getByRole("button", { name: "Sign in" }).waitFor();
  const after401 = await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${oldToken}` } });
  check(after401.status === 401, "signing out revokes the session (the old token gets 401)");

  check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? `: ${consoleErrors.join(" | ")}` : ""}`);
} catch (e) {
  failed = e;
  // Every person's page as it was when the test failed, for whoever reads the log.
  for (const [i, p] of pages.entries()) {
    await p.screenshot({ path: join(OUT, `failure-${i}.png`) }).catch(() => {});
  }
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
if (failed) fail(failed.message);
console.log(`e2e: PASS (screenshots in ${OUT})`);

async function apiToken(name) {
  if (!tokens.has(name)) {
    const r = await fetch(`${base}/api/v1/sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, password: PASSWORD }),
    });
    tokens.set(name, (await r.json()).token);
  }
  return tokens.get(name);
}
async function apiPost(name, path, body) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${await apiToken(name)}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`POST ${path} as ${name}: ${r.status} ${await r.text()}`);
  return r.json();
}
// Order line windows 10 to 12 days ahead: past every purpose's notice.
function orderWindow() {
  const day = 24 * 3600e3;
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { window_start: iso(Date.now() + 10 * day), window_end: iso(Date.now() + 12 * day) };
}

// Raises, submits, approves and delivers a two-line order with the API
// alone; returns its number.
async function orderDeliveredThroughApi() {
  const window = orderWindow();
  const o = await apiPost("in-requester", "/orders", {
    agreement: "RELOS-IN-RU",
    unit: "IN-INS-TABAR",
    facility: "RU-VLD",
    purpose: "port-call",
    lines: [
      { item: "FUEL-DL", quantity: "50 tonne", ...window },
      { item: "WATER-FRESH", quantity: "100 tonne", ...window },
    ],
  });
  await apiPost("in-requester", `/orders/${o.number}/submit`, {});
  await apiPost("ru-approver", `/orders/${o.number}/approve`, {});
  await apiPost("ru-logistics", `/orders/${o.number}/deliver`, {});
  return o.number;
}

// An order of `side` ("in" or "ru") for 100 tonne of water, taken through
// approval, delivery and receipt with the API alone; returns its number.
async function receiptedThroughApi(side, unit, facility, settlement) {
  const other = side === "in" ? "ru" : "in";
  const o = await apiPost(`${side}-requester`, "/orders", {
    agreement: "RELOS-IN-RU",
    unit,
    facility,
    purpose: "port-call",
    settlement,
    lines: [{ item: "WATER-FRESH", quantity: "100 tonne", ...orderWindow() }],
  });
  await apiPost(`${side}-requester`, `/orders/${o.number}/submit`, {});
  await apiPost(`${other}-approver`, `/orders/${o.number}/approve`, {});
  await apiPost(`${other}-logistics`, `/orders/${o.number}/deliver`, {});
  await apiPost(`${side}-receiver`, `/orders/${o.number}/receipt`, {});
  return o.number;
}

// A second exercise at Vladivostok: the frigate's call overlaps the demo
// exercise (which `relos demo` places 60 days after today), the
// destroyer's comes after it has left.
function harbourExercise() {
  const day = 24 * 3600e3;
  const t0 = Math.floor(Date.now() / day) * day + 60 * day;
  const at = (d) => new Date(t0 + d * day).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    code: "E2E-HARBOUR",
    name: "Harbour phase (e2e)",
    purpose: "exercise",
    agreement: "RELOS-IN-RU",
    start: at(0),
    end: at(10),
    parties: ["IN", "RU"],
    units: ["IN-INS-TABAR", "IN-INS-KOLKATA"],
    facilities: ["RU-VLD"],
    calls: [
      {
        unit: "IN-INS-TABAR",
        facility: "RU-VLD",
        arrive: at(1),
        depart: at(3),
        lines: [
          { item: "BERTH-DAY", quantity: "2 berth-day" },
          { item: "ACCOM-BED", quantity: "200 bed-day", note: "100 ashore for two nights" },
        ],
      },
      {
        unit: "IN-INS-KOLKATA",
        facility: "RU-VLD",
        arrive: at(5),
        depart: at(7),
        lines: [
          { item: "BERTH-DAY", quantity: "2 berth-day" },
          { item: "FUEL-DL", quantity: "300 tonne" },
        ],
      },
    ],
  };
}

async function page0Dashboard(page) {
  await page.locator("svg.map .facility").first().waitFor();
  const n = await page.locator("svg.map .facility").count();
  check(n > 1, `the dashboard map shows ${n} facilities`);
  await page.getByTestId("state-counts").waitFor();
  await shot(page, "01-dashboard");
}

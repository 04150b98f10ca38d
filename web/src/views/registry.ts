import type { Facility } from "../api";
import { agreements, facilities, units } from "../data";
import { errorBox, h, loading, table, when } from "../dom";
import { mapLegend, worldMap } from "../map";
import { party } from "../session";

function facilityDetail(f: Facility): HTMLElement {
  const own = f.owner === party();
  return h(
    "div",
    { class: "detail-card", "data-testid": "facility-detail" },
    h("h3", null, `${f.name} (${f.code})`),
    h("p", null, `${own ? "Own" : "Partner"} ${f.kind} of ${f.owner} at ${f.position.lat.toFixed(3)}, ${f.position.lon.toFixed(3)}`),
    f.berths?.length
      ? table(["Berth", "Length m", "Max draught m"], f.berths.map((b) => [b.id, String(b.length_m), String(b.max_draught_m)]), "Berths")
      : null,
    f.capacities && Object.keys(f.capacities).length
      ? table(["Capability", "Capacity"], Object.entries(f.capacities).map(([k, v]) => [k, String(v)]), "Capacities")
      : own
        ? null
        : h("p", { class: "muted" }, "A partner's capacities are not published."),
    f.fuel?.length
      ? table(["Fuel grade", "On hand", "Capacity"], f.fuel.map((x) => [x.grade, x.on_hand ?? "—", x.capacity ?? "—"]), "Fuel")
      : null,
    f.prices?.length
      ? table(["Item", "Unit price", "Valid from"], f.prices.map((p) => [p.item, p.unit_price, when(p.valid_from)]), "Prices")
      : null,
  );
}

export async function registryView(main: HTMLElement, params: Record<string, string> = {}): Promise<void> {
  main.append(h("h1", null, "Registry"));
  const status = main.appendChild(loading("the registry"));
  const [fs, us, ags] = await Promise.allSettled([facilities(), units(), agreements()]);
  status.remove();

  const facSection = h("section", { "aria-labelledby": "fac-h" }, h("h2", { id: "fac-h" }, "Facilities"));
  main.append(facSection);
  if (fs.status === "fulfilled") {
    const detail = h("div", { "aria-live": "polite" }, h("p", { class: "muted" }, "Choose a facility on the map or in the table."));
    const pick = (f: Facility) => detail.replaceChildren(facilityDetail(f));
    // /registry?facility=CODE (a link from an alert) opens that facility.
    const asked = fs.value.find((f) => f.code === params.facility);
    if (asked) pick(asked);
    facSection.append(
      h("div", { class: "split" }, h("div", null, worldMap(fs.value, party(), pick), mapLegend(party())), detail),
      table(
        ["Code", "Name", "Owner", "Kind", "Position", "Berths", "Fuel grades"],
        fs.value.map((f) => [
          h("button", { type: "button", class: "link", onclick: () => pick(f) }, f.code),
          f.name,
          f.owner,
          f.kind,
          `${f.position.lat.toFixed(2)}, ${f.position.lon.toFixed(2)}`,
          String(f.berths?.length ?? "—"),
          (f.fuel ?? []).map((x) => x.grade).join(", "),
        ]),
        "Facilities",
      ),
    );
  } else facSection.append(errorBox(fs.reason));

  const unitSection = h("section", { "aria-labelledby": "unit-h" }, h("h2", { id: "unit-h" }, `Units of ${party()}`));
  main.append(unitSection);
  if (us.status === "fulfilled") {
    unitSection.append(
      table(
        ["Code", "Name", "Kind", "Fuel grade", "Cruise kn", "Personnel"],
        us.value.map((u) => [u.code, u.name, u.kind, u.fuel_grade, String(u.cruise_speed_kn), String(u.personnel)]),
        "Units",
      ),
    );
  } else unitSection.append(errorBox(us.reason));

  const agSection = h("section", { "aria-labelledby": "ag-h" }, h("h2", { id: "ag-h" }, "Agreements"));
  main.append(agSection);
  if (ags.status === "fulfilled") {
    for (const a of ags.value) {
      agSection.append(
        h(
          "details",
          { class: "card", open: ags.value.length === 1 },
          h("summary", null, `${a.code} — ${a.title} (${a.party_a}–${a.party_b}, ${when(a.effective_from).slice(0, 10)} to ${when(a.effective_to).slice(0, 10)})`),
          table(
            ["Term", "Value"],
            Object.entries(a.terms).map(([k, v]) => [k.replace(/_/g, " "), termText(v)]),
            "Terms",
          ),
        ),
      );
    }
    if (!ags.value.length) agSection.append(h("p", { class: "empty" }, "No agreement binds your party."));
  } else agSection.append(errorBox(ags.reason));
}

function termText(v: unknown): string {
  if (Array.isArray(v)) return v.join(", ") || "—";
  if (v && typeof v === "object") {
    const e = Object.entries(v as Record<string, unknown>);
    return e.length ? e.map(([k, x]) => `${k}: ${x}`).join("; ") : "—";
  }
  return String(v);
}

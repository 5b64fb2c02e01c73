// The conversions explorer's table: its main action fits a desktop window, its rows stack on a phone, and an
// opened conversion reads in the Overview's words without repeating the order id.
import { readFileSync } from "node:fs";
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { evidenceInWords } from "../src/lib/evidence.ts";
import type { ConversionRow, ConversionsPage } from "../src/lib/types.ts";
import { ConversionsTab } from "../src/pages/attribution/Attribution.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  for (const s of document.head.querySelectorAll("style[data-test]")) s.remove();
});

const T = Date.UTC(2026, 10, 29, 11, 20);
const STYLES = readFileSync(`${process.cwd()}/src/styles.css`, "utf8");

function conversion(over: Partial<ConversionRow>): ConversionRow {
  return {
    conversionId: "C1", orderId: "order-1", type: "purchase", origin: "api", ts: T, value: 34.78, currency: "EUR",
    software: { channel: "messaging", source: "whatsapp" }, selfReport: null, blended: { channel: "messaging", source: "whatsapp" },
    responded: false, dark: false, darkReasons: [], path: { touchpoints: [], rules: { software: "software:lcid", selfReport: null, blended: "blended:software_only" } },
    linkId: null, campaign: null, rule: "blended:software_only", rulesetVersion: "r1", ...over,
  };
}

function render(rows: ConversionRow[]) {
  const page: ConversionsPage = { range: { from: 0, to: 1, fromIso: "", toIso: "" }, total: rows.length, conversions: rows, nextCursor: null };
  const unavailable = { status: 503, body: { error: { code: "unavailable", message: "not in this test", requestId: "r" } } };
  return renderPage(<ConversionsTab />, { server: fakeServer().on("GET", "/api/reports/conversions", { body: page }).on("GET", "/api/channels", unavailable) });
}

/** The page's own stylesheet, and optionally the rules it applies in a narrow card (jsdom evaluates no container queries). */
function addStyles(narrow = false) {
  const add = (css: string) => {
    const style = document.createElement("style");
    style.dataset.test = "";
    style.textContent = css;
    document.head.append(style);
    return style;
  };
  const sheet = add(STYLES).sheet!;
  if (!narrow) return;
  const stacked = [...sheet.cssRules].find((r): r is CSSContainerRule => r.constructor.name === "CSSContainerRule" && r.cssText.includes(".conv-table"));
  expect(stacked, "the conversions table has a container breakpoint").toBeDefined();
  expect(stacked!.conditionText ?? stacked!.cssText).toMatch(/max-width: \d+px/);
  add([...stacked!.cssRules].map((r) => r.cssText).join("\n"));
}

describe("the conversions table", () => {
  it("says how many conversions match, and which page of how many", async () => {
    const page: ConversionsPage = { range: { from: 0, to: 1, fromIso: "", toIso: "" }, total: 120, conversions: [conversion({})], nextCursor: "next-page" };
    const unavailable = { status: 503, body: { error: { code: "unavailable", message: "not in this test", requestId: "r" } } };
    renderPage(<ConversionsTab />, { server: fakeServer().on("GET", "/api/reports/conversions", { body: page }).on("GET", "/api/channels", unavailable) });
    expect(await screen.findByText("120 conversions match.")).toBeInTheDocument();
    expect(within(screen.getByRole("navigation", { name: "Pages" })).getByText("Page 1 of 3")).toBeInTheDocument();
  });

  it("has the path toggle under the time, in the first column, and no column of its own", async () => {
    render([conversion({ conversionId: "C1", orderId: "order-1" }), conversion({ conversionId: "C2", orderId: null, ts: T - 60_000 })]);
    const table = await screen.findByRole("table", { name: "Conversions, newest first" });
    const headers = within(table).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["When", "Software saw", "Customer said", "Blended", "Decided by", "Value"]);
    for (const tr of within(table).getAllByRole("row").slice(1)) {
      const cells = within(tr).getAllByRole("cell");
      expect(cells).toHaveLength(headers.length);
      // The main action is in the first cell, under the time (and the order id when there is one).
      expect(within(cells[0]!).getByRole("button", { name: /^Path \(\d+\)$/ })).toBeInTheDocument();
      expect(cells[0]!.querySelector("time")).not.toBeNull();
      // On a phone each cell is shown under its column's name.
      expect(cells.slice(1).map((c) => c.dataset.label)).toEqual(headers.slice(1));
    }
    expect(within(table).getAllByRole("row")[1]).toHaveTextContent(/^Nov 29, 2026, 11:20 UTCorder-1Path \(0\)/);
  });

  it("lets channel badges and the rule wrap, so the table fits a desktop card", async () => {
    addStyles();
    render([conversion({ software: { channel: "social", source: "tiktok" } })]);
    const table = await screen.findByRole("table", { name: "Conversions, newest first" });
    const row = within(table).getAllByRole("row")[1]!;
    for (const badge of row.querySelectorAll(".badge")) expect(getComputedStyle(badge).whiteSpace).toBe("normal");
    const cells = within(row).getAllByRole("cell");
    expect(getComputedStyle(cells[4]!).whiteSpace).not.toBe("nowrap");
    expect(getComputedStyle(cells[5]!).whiteSpace).toBe("nowrap");
  });

  it("stacks each conversion's cells in a narrow card (a phone), each under its column's name", async () => {
    addStyles(true);
    render([conversion({ dark: true, darkReasons: ["dark_tagged_link"] })]);
    const table = await screen.findByRole("table", { name: "Conversions, newest first" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(getComputedStyle(row).display).toBe("block");
    const [when, ...rest] = within(row).getAllByRole("cell");
    // The time, the order id and the path toggle on top; then each cell, its column's name to its left.
    expect(getComputedStyle(when!).display).toBe("flex");
    for (const cell of rest) {
      expect(getComputedStyle(cell).display).toBe("block");
      // Its label is drawn in the room left of it (jsdom does not cascade padding reliably: the rule is read instead).
      expect(getComputedStyle(cell).position).toBe("relative");
    }
    expect(STYLES).toMatch(/\.conv-table td\[data-label\] \{[^}]*padding: 2px 0 2px 112px;/);
    // The header row is there for screen readers, out of sight.
    expect(getComputedStyle(table.querySelector("thead")!).position).toBe("absolute");
    expect(STYLES).toMatch(/td\[data-label\]::before\s*\{[^}]*content: attr\(data-label\);[^}]*position: absolute;[^}]*width: 104px;/);

    // An opened path spans the whole row, so it stays on the screen instead of in a sideways-scrolled column.
    await userEvent.click(within(row).getByRole("button", { name: "Path (0)" }));
    const pathRow = document.getElementById("path-C1")!;
    expect(getComputedStyle(pathRow).display).toBe("block");
    expect(pathRow.querySelector("td")!.colSpan).toBe(6);
  });

  it("scrolls an opened path into view with its row when it would open low on the screen", async () => {
    const scrolled: Element[] = [];
    // jsdom lays nothing out: the path is said to start near the bottom of the window.
    const had = Object.getOwnPropertyDescriptor(Element.prototype, "scrollIntoView");
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    onTestFinished(() => {
      if (had) Object.defineProperty(Element.prototype, "scrollIntoView", had);
      else delete (Element.prototype as Partial<Element>).scrollIntoView;
    });
    vi.spyOn(Element.prototype, "getBoundingClientRect").mockImplementation(function (this: Element) {
      return { top: this.id === "path-C1" ? window.innerHeight - 10 : 0 } as DOMRect;
    });
    render([conversion({})]);
    const toggle = await screen.findByRole("button", { name: "Path (0)" });
    await userEvent.click(toggle);
    expect(scrolled).toEqual([toggle.closest("tr")]);
  });
});

describe("an opened conversion", () => {
  it("leaves out the conversion id when it is the order id, and keeps it when it differs", async () => {
    render([
      conversion({ conversionId: "sxmJu59AA_o1985", orderId: "sxmJu59AA_o1985", origin: "tracker" }),
      conversion({ conversionId: "C2", orderId: "order-2", ts: T - 60_000 }),
    ]);
    const [first, second] = await screen.findAllByRole("button", { name: "Path (0)" });
    await userEvent.click(first!);
    expect(screen.getByText(/^Purchase sxmJu59AA_o1985/)).toHaveTextContent(/^Purchase sxmJu59AA_o1985 · reported by lantern\.js on the site · rules r1$/);
    await userEvent.click(second!);
    expect(screen.getByText(/^Purchase order-2/)).toHaveTextContent(/^Purchase order-2 · conversion C2 · reported by the site's server · rules r1$/);
  });

  it("says why it is dark in the words of the Overview's “Why conversions count as dark” card", async () => {
    const reasons = ["dark_tagged_link", "messaging_unfurl_before_click"];
    const words = reasons.map(evidenceInWords);
    expect(words).toEqual(["Clicked a link made for a private channel", "A chat app drew the preview just before the click"]);
    render([
      conversion({
        dark: true,
        darkReasons: reasons,
        path: {
          touchpoints: [{ id: "K1", ts: T - 60_000, kind: "click", channel: "messaging", source: "whatsapp", dark: true, rule: "software:lcid", evidence: { rule: "link_tag", link: "lcid", darkReasons: reasons } }],
          rules: { software: "software:lcid", selfReport: null, blended: "blended:software_only" },
        },
      }),
    ]);
    const row = (await screen.findByRole("button", { name: "Path (1)" })).closest("tr")!;
    const blended = within(row).getAllByRole("cell")[3]!;
    expect(blended).toHaveTextContent("dark: clicked a link made for a private channel; a chat app drew the preview just before the click");
    expect(blended).not.toHaveTextContent(/unfurl|dark tagged/);
    await userEvent.click(within(row).getByRole("button", { name: "Path (1)" }));
    const step = within(screen.getByRole("list", { name: "Path of conversion C1" })).getByRole("listitem");
    expect(step).toHaveTextContent("tied by lcid · dark: clicked a link made for a private channel; a chat app drew the preview just before the click");
  });
});

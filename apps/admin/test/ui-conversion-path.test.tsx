// A conversion's path in the conversion explorer: each step named by its kind, a visit by where it came from.
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { touchpointTitle } from "../src/lib/touchpoints.ts";
import type { ConversionRow, ConversionsPage, Touchpoint } from "../src/lib/types.ts";
import { ConversionsTab } from "../src/pages/attribution/Attribution.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(cleanup);

const T = Date.UTC(2025, 5, 2, 12);
const step = (over: Partial<Touchpoint>): Touchpoint => ({ id: "x", ts: T, channel: "organic_search", source: "google", kind: "visit", dark: false, rule: "software:visitor", evidence: { rule: "visit:referrer", darkReasons: [] }, ...over });

describe("the steps of a conversion's path", () => {
  it("a visit is named by where it came from; other kinds by their kind", () => {
    expect(touchpointTitle(step({ evidence: { rule: "visit:referrer", referrerHost: "google.com" } }))).toBe("Visit from google.com");
    expect(touchpointTitle(step({ evidence: { rule: "visit:in_app", inApp: "whatsapp", referrerHost: "instagram.com" } }))).toBe("Visit in WhatsApp's in-app browser");
    expect(touchpointTitle(step({ evidence: { rule: "visit:campaign" } }))).toBe("Visit with campaign parameters");
    expect(touchpointTitle(step({ evidence: undefined }))).toBe("Visit");
    expect(touchpointTitle(step({ kind: "click" }))).toBe("Click");
    expect(touchpointTitle(step({ kind: "self_report" }))).toBe("Self report");
  });

  it("the conversion explorer shows a click followed by a Slack visit, with the visit's evidence", async () => {
    const path: Touchpoint[] = [
      step({ id: "K1", ts: T - 86_400_000, kind: "click", channel: "social", source: "linkedin", rule: "software:lcid", evidence: { rule: "link_tag", link: "lcid", linkSource: "linkedin", darkReasons: [] } }),
      step({ id: "V1", ts: T - 3_600_000, channel: "workchat", source: "slack", dark: true, evidence: { rule: "visit:referrer", link: "visitor", referrerHost: "app.slack.com", darkReasons: ["dark_referrer"] } }),
    ];
    const row: ConversionRow = {
      conversionId: "C1", orderId: "order-1042", type: "purchase", origin: "api", ts: T, value: 50, currency: "EUR", software: { channel: "workchat", source: "slack" }, selfReport: null, blended: { channel: "workchat", source: "slack" },
      responded: false, dark: true, darkReasons: ["dark_referrer"], path: { touchpoints: path, rules: { software: "software:visitor", selfReport: null, blended: "blended:software_only" } }, linkId: null, campaign: null, rule: "blended:software_only", rulesetVersion: "r",
    };
    const page: ConversionsPage = { range: { from: 0, to: 1, fromIso: "", toIso: "" }, total: 1, conversions: [row], nextCursor: null };
    const unavailable = { status: 503, body: { error: { code: "unavailable", message: "not in this test", requestId: "r" } } };
    const server = fakeServer().on("GET", "/api/reports/conversions", { body: page }).on("GET", "/api/channels", unavailable);
    renderPage(<ConversionsTab />, { server });
    await userEvent.click(await screen.findByRole("button", { name: "Path (2)" }));
    // The site's order id under the time, the value in its currency, and who reported it.
    const cells = within(screen.getAllByRole("row")[1]!).getAllByRole("cell");
    expect(cells[0]).toHaveTextContent("order-1042");
    expect(cells[5]).toHaveTextContent("50 EUR");
    expect(screen.getByText(/^Purchase order-1042 · conversion C1 · reported by the site's server · rules r$/)).toBeInTheDocument();
    const steps = within(screen.getByRole("list", { name: "Path of conversion C1" })).getAllByRole("listitem");
    expect(steps.map((s) => s.querySelector("strong")?.textContent)).toEqual(["Click", "Visit from app.slack.com"]);
    expect(steps[1]).toHaveTextContent("visit:referrer");
    expect(steps[1]).toHaveTextContent("tied by visitor · referrer app.slack.com · dark: referrer or UTM names a private channel");
    expect(steps[1]).toHaveClass("is-dark");
  });

  it("finds one conversion by the site's order id", async () => {
    const page: ConversionsPage = { range: { from: 0, to: 1, fromIso: "", toIso: "" }, total: 0, conversions: [], nextCursor: null };
    const server = fakeServer().on("GET", "/api/reports/conversions", { body: page }).on("GET", "/api/channels", { status: 503, body: { error: { code: "unavailable", message: "x", requestId: "r" } } });
    renderPage(<ConversionsTab />, { server });
    await userEvent.type(await screen.findByLabelText("Order id"), "  order-77 ");
    await userEvent.click(screen.getByRole("button", { name: "Find" }));
    expect(await screen.findByText("No conversion with order id “order-77” in this range.")).toBeInTheDocument();
    expect(server.sent("GET", "/api/reports/conversions").at(-1)!.query.get("order")).toBe("order-77");
  });
});

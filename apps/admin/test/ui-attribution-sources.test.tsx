// Attribution → Channels and sources: a source name that stands for several channels is told apart by its channel.
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ChannelsReport } from "../src/lib/types.ts";
import { ChannelsTab, sourceRows } from "../src/pages/attribution/Attribution.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(cleanup);

const report: ChannelsReport = {
  range: { from: 0, to: 1, fromIso: "", toIso: "" },
  model: "last_touch",
  view: "blended",
  models: ["last_touch"],
  views: ["blended"],
  totals: { credits: 100, value: 1000 },
  channels: [
    { channel: "messaging", label: "Messaging apps", dark: true, credits: 50, value: 500, share: 0.5 },
    { channel: "organic_search", label: "Organic search", dark: false, credits: 25, value: 250, share: 0.25 },
    { channel: "paid_search", label: "Paid search", dark: false, credits: 15, value: 150, share: 0.15 },
    { channel: "social", label: "Social (public feeds)", dark: false, credits: 10, value: 100, share: 0.1 },
  ],
  sources: [
    { channel: "messaging", source: "whatsapp", credits: 50, value: 500, share: 0.5 },
    { channel: "organic_search", source: "google", credits: 25, value: 250, share: 0.25 },
    { channel: "paid_search", source: "google", credits: 15, value: 150, share: 0.15 },
    { channel: "social", source: null, credits: 10, value: 100, share: 0.1 },
  ],
};

describe("the Sources chart's labels", () => {
  it("name a source alone when it is unique, with its channel when the name repeats, and never in nested brackets", () => {
    const label = (c: string) => report.channels.find((x) => x.channel === c)?.label ?? c;
    expect(sourceRows(report.sources, label).map((r) => r.label)).toEqual(["WhatsApp", "Google · Organic search", "Google · Paid search", "Unknown · Social (public feeds)"]);
    expect(sourceRows([{ channel: "direct", source: null, credits: 1, value: 0, share: 1 }], label).map((r) => r.label)).toEqual(["direct"]);
    // Keys stay one per channel and source.
    expect(new Set(sourceRows(report.sources, label).map((r) => r.key)).size).toBe(4);
  });

  it("on the page: the chart's table names each bar so that no two read alike", async () => {
    const server = fakeServer().on("GET", "/api/reports/channels", { body: report });
    renderPage(<ChannelsTab />, { server, path: "/attribution" });
    const table = await screen.findByRole("table", { name: "Credits per source", hidden: true });
    const names = within(table).getAllByRole("rowheader", { hidden: true }).map((h) => h.textContent);
    expect(names).toEqual(["WhatsApp", "Google · Organic search", "Google · Paid search", "Unknown · Social (public feeds)"]);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).not.toMatch(/\(\(|\)\)|^\(/);
    expect(screen.getByRole("img", { name: /^Credits per source\. Largest: WhatsApp, 50%$/ })).toBeInTheDocument();
  });
});

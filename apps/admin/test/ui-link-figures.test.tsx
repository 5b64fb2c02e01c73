// A link's figures say clicks are by people with bots left out, and a link with no activity reads 0, not a blank.
import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Link, LinkStats } from "../src/lib/types.ts";
import { LinkDetailPage } from "../src/pages/links/LinkDetail.tsx";
import { LinksListPage } from "../src/pages/links/LinksList.tsx";
import { fakeServer, renderPage } from "./ui-harness.tsx";

afterEach(cleanup);

const link: Link = {
  id: "l1", slug: "fresh", url: "https://example.com/a", shortUrl: "http://lnk.test/fresh", destination: "https://example.com/a", channel: "messaging", source: "whatsapp", campaign: null,
  utm: {}, tags: [], preview: null, kitId: null, status: "active", createdAt: "2024-06-15T12:00:00.000Z", updatedAt: "2024-06-15T12:00:00.000Z", expiresAt: null, archivedAt: null,
};
const noActivity: LinkStats = {
  linkId: "l1", from: null, to: null, clicks: { human: 0, bot: 0 }, unfurls: { total: 0, byApp: {} },
  byChannel: {}, bySource: {}, byDay: [], byDevice: {}, byBrowser: {}, byOs: {}, byInApp: {}, byCountry: {}, byReferrer: {},
};

/** [figure, what it rests on] of the KPI named `label`. */
function kpi(figures: HTMLElement, label: string): [string, string] {
  const card = within(figures).getByText(label, { selector: "dt" }).parentElement!;
  return [card.querySelector(".kpi-value")?.textContent ?? "", card.querySelector(".kpi-basis")?.textContent ?? ""];
}

describe("a link's figures", () => {
  it("says clicks are by people with bots left out, and a new link's in-app figure is 0, not a blank", async () => {
    const server = fakeServer()
      .on("GET", "/api/links/l1", { body: link })
      .on("GET", "/api/links/l1/stats", { body: noActivity })
      .on("GET", "/api/links/l1/journey", { status: 404, body: { error: { code: "not_found", message: "no", requestId: "t" } } });
    renderPage(<LinkDetailPage />, { server, path: "/links/l1?range=90d", pattern: "/links/:id" });
    const figures = await screen.findByLabelText("Figures of this link");
    expect(kpi(figures, "Clicks")).toEqual(["0", "by people (bots left out), last 90 days"]);
    expect(kpi(figures, "Bot hits")).toEqual(["0", "not counted as clicks"]);
    expect(kpi(figures, "In-app browsers")).toEqual(["0", "no clicks yet, so none opened inside an app"]);
    expect(figures).not.toHaveTextContent("—");
  });

  it("in the list: 0 for a link the whole links report has no activity for; — while the report is unavailable", async () => {
    const other = { ...link, id: "l2", slug: "busy", shortUrl: "http://lnk.test/busy" };
    const server = fakeServer()
      .on("GET", "/api/links", { body: { data: [link, other], nextCursor: null } })
      .on("GET", "/api/reports/links", { body: { range: {}, totals: {}, links: [{ linkId: "l2", clicks: 12, unfurls: 3, conversions: 1 }], campaigns: [] } });
    renderPage(<LinksListPage />, { server, path: "/links" });
    await screen.findByRole("table", { name: "Links, newest first, with their figures in the chosen range" });
    const cells = (name: string) => [...screen.getByRole("link", { name }).closest("tr")!.querySelectorAll("td.num")].map((td) => td.textContent);
    expect(cells("lnk.test/fresh")).toEqual(["0", "0", "0"]);
    expect(cells("lnk.test/busy")).toEqual(["12", "3", "1"]);
    cleanup();

    const down = fakeServer()
      .on("GET", "/api/links", { body: { data: [link], nextCursor: null } })
      .on("GET", "/api/reports/links", { status: 503, body: { error: { code: "unavailable", message: "down", requestId: "t" } } });
    renderPage(<LinksListPage />, { server: down, path: "/links" });
    const row = (await screen.findByRole("link", { name: "lnk.test/fresh" })).closest("tr")!;
    await expect.poll(() => down.sent("GET", "/api/reports/links").length).toBe(1);
    expect([...row.querySelectorAll("td.num")].map((td) => td.textContent)).toEqual(["—", "—", "—"]);
  });
});

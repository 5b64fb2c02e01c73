// Link and share-kit creation, and the links list for viewers.
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { LinkCreateForm } from "../src/pages/links/LinkCreate.tsx";
import { LinksListPage } from "../src/pages/links/LinksList.tsx";
import { channelForSource } from "@lantern/core/channels";
import { LABELLED_SOURCES, sourceLabel } from "@lantern/core/source-labels";
import { KIT_SOURCES } from "../src/lib/share-kit.ts";
import type { Link } from "../src/lib/types.ts";
import { fakeServer, renderPage, VIEWER } from "./ui-harness.tsx";

afterEach(cleanup);

const variantsTable = () => screen.getByRole("table", { name: "Planned variants" });

function kitAnswer(body: { url: string; campaign?: string; shareKit?: string[] }): Link {
  const campaign = body.campaign ?? null;
  const channel = (s: string) => ({ whatsapp: "messaging", slack: "workchat", linkedin: "social", email: "email", sms: "messaging" })[s] ?? "referral";
  return {
    id: "main1", slug: "k7x2abc", url: body.url, shortUrl: "http://lnk.test/k7x2abc", destination: body.url, channel: null, source: null, campaign,
    utm: campaign ? { campaign } : {}, tags: [], preview: null, kitId: "kit1", status: "active",
    createdAt: "2024-06-15T12:00:00.000Z", updatedAt: "2024-06-15T12:00:00.000Z", expiresAt: null, archivedAt: null,
    variants: (body.shareKit ?? []).map((s, i) => ({ id: `v${i}`, slug: `v${i}slug`, shortUrl: `http://lnk.test/v${i}slug`, source: s, channel: channel(s), utm: { source: s, medium: channel(s), ...(campaign ? { campaign } : {}) } })),
  };
}

describe("creating a share kit", () => {
  it("shows one variant per chosen source, with its channel and UTMs, before anything is created", async () => {
    const user = userEvent.setup({ delay: null });
    renderPage(<LinkCreateForm />, { server: fakeServer(), path: "/links/new" });
    await screen.findByLabelText("Destination URL");
    await user.type(screen.getByLabelText("Destination URL"), "https://example.com/launch");
    await user.type(screen.getByLabelText("Campaign"), "spring");

    const rows = within(variantsTable()).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual(["WhatsApp", "Slack", "LinkedIn", "Email", "SMS"]);
    const whatsapp = rows[0]!;
    expect(whatsapp).toHaveTextContent("Messaging apps");
    expect(whatsapp).toHaveTextContent("utm_source=whatsapp");
    expect(whatsapp).toHaveTextContent("utm_medium=messaging");
    expect(whatsapp).toHaveTextContent("utm_campaign=spring");
    expect(rows[1]!).toHaveTextContent("utm_medium=workchat");

    await user.click(screen.getByRole("checkbox", { name: "SMS" }));
    await user.type(screen.getByLabelText("Another source"), "Newsletter");
    await user.click(screen.getByRole("button", { name: "Add source" }));
    const after = within(variantsTable()).getAllByRole("row").slice(1);
    expect(after.map((r) => within(r).getByRole("rowheader").textContent)).toEqual(["WhatsApp", "Slack", "LinkedIn", "Email", "Newsletter"]);
    expect(after[4]!).toHaveTextContent("utm_medium=email");
    expect(screen.getByRole("button", { name: "Create share kit (5 variants)" })).toBeInTheDocument();
  });

  it("shows variant slugs derived from the chosen slug and a live preview of the unfurl", async () => {
    const user = userEvent.setup({ delay: null });
    renderPage(<LinkCreateForm />, { server: fakeServer(), path: "/links/new" });
    await screen.findByLabelText("Destination URL");
    await user.type(screen.getByLabelText("Destination URL"), "https://example.com/launch");
    await user.type(screen.getByLabelText("Slug (optional)"), "Launch");
    await user.type(screen.getByLabelText("Title"), "Spring launch");
    await user.type(screen.getByLabelText("Description"), "Forty new things");
    expect(within(variantsTable()).getByText("/launch-whatsapp")).toBeInTheDocument();
    const preview = screen.getByLabelText("Link preview");
    expect(preview).toHaveTextContent("example.com");
    expect(preview).toHaveTextContent("Spring launch");
    expect(preview).toHaveTextContent("Forty new things");
  });

  it("creates the kit and shows every variant's short link with its UTMs, a copy button and QR downloads", async () => {
    const server = fakeServer().on("POST", "/api/links", (req) => ({ status: 201, body: kitAnswer(req.body as never) }));
    const user = userEvent.setup({ delay: null });
    renderPage(<LinkCreateForm />, { server, path: "/links/new" });
    await screen.findByLabelText("Destination URL");
    await user.type(screen.getByLabelText("Destination URL"), "https://example.com/launch");
    await user.type(screen.getByLabelText("Campaign"), "spring");
    await user.type(screen.getByLabelText("Tags"), "q2, launch , q2");
    await user.click(screen.getByRole("button", { name: /Create share kit/ }));

    await screen.findByRole("heading", { name: "Share kit created" });
    const sent = server.sent("POST", "/api/links");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ url: "https://example.com/launch", campaign: "spring", tags: ["q2", "launch"], shareKit: ["whatsapp", "slack", "linkedin", "email", "sms"] });
    expect(sent[0]!.headers["x-csrf-token"]).toBe("csrf-123");

    const table = screen.getByRole("table", { name: "The links created" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(5);
    expect(rows[0]!).toHaveTextContent("http://lnk.test/v0slug");
    expect(rows[0]!).toHaveTextContent("utm_source=whatsapp");
    expect(within(rows[0]!).getByRole("link", { name: "Download QR code of v0slug as PNG" })).toHaveAttribute("href", "/api/links/v0/qr?format=png");
    expect(within(rows[0]!).getByRole("link", { name: "Download QR code of v0slug as SVG" })).toHaveAttribute("href", "/api/links/v0/qr?format=svg");

    await user.click(within(rows[1]!).getByRole("button", { name: "Copy slack link" }));
    expect(await navigator.clipboard.readText()).toBe("http://lnk.test/v1slug");
    expect(within(rows[1]!).getByText("Copied to the clipboard")).toBeInTheDocument();
  });

  it("creates a single link tagged for one source", async () => {
    const server = fakeServer().on("POST", "/api/links", (req) => ({ status: 201, body: { ...kitAnswer(req.body as never), variants: undefined, source: "slack", channel: "workchat", utm: { source: "slack", medium: "workchat" } } }));
    const user = userEvent.setup({ delay: null });
    renderPage(<LinkCreateForm />, { server, path: "/links/new" });
    await screen.findByLabelText("Destination URL");
    await user.click(screen.getByRole("radio", { name: "Single link" }));
    await user.type(screen.getByLabelText("Destination URL"), "https://example.com/");
    await user.type(screen.getByLabelText("Source (optional)"), "slack");
    expect(screen.getByRole("table", { name: "Planned variants" })).toHaveTextContent("utm_medium=workchat");
    await user.click(screen.getByRole("button", { name: "Create link" }));
    await screen.findByRole("heading", { name: "Link created" });
    expect(server.sent("POST", "/api/links")[0]!.body).toEqual({ url: "https://example.com/", source: "slack" });
  });

  it("explains a bad destination, a reserved slug and an empty kit next to their fields, and sends nothing", async () => {
    const server = fakeServer();
    const user = userEvent.setup({ delay: null });
    renderPage(<LinkCreateForm />, { server, path: "/links/new" });
    await screen.findByLabelText("Destination URL");
    await user.type(screen.getByLabelText("Destination URL"), "example.com/launch");
    await user.type(screen.getByLabelText("Slug (optional)"), "api");
    for (const s of ["WhatsApp", "Slack", "LinkedIn", "Email", "SMS"]) await user.click(screen.getByRole("checkbox", { name: s }));
    await user.click(screen.getByRole("button", { name: /Create share kit/ }));

    expect(screen.getByLabelText("Destination URL")).toHaveAccessibleDescription("Use a full web address starting with https:// or http://.");
    expect(screen.getByLabelText("Destination URL")).toHaveFocus();
    expect(screen.getByLabelText("Slug (optional)")).toHaveAccessibleDescription(expect.stringContaining('"api" is reserved'));
    expect(screen.getByText("Pick at least one place to share the link.")).toBeInTheDocument();
    expect(server.sent("POST", "/api/links")).toHaveLength(0);
  });

  it("shows the server's refusal, such as a taken slug, and keeps the form", async () => {
    const server = fakeServer().on("POST", "/api/links", { status: 409, body: { error: { code: "conflict", message: 'The slug "launch" or one of its variants\' slugs is taken.', requestId: "r" } } });
    const user = userEvent.setup({ delay: null });
    renderPage(<LinkCreateForm />, { server, path: "/links/new" });
    await screen.findByLabelText("Destination URL");
    await user.type(screen.getByLabelText("Destination URL"), "https://example.com/launch");
    await user.type(screen.getByLabelText("Slug (optional)"), "launch");
    await user.click(screen.getByRole("button", { name: /Create share kit/ }));
    expect(await screen.findByRole("alert")).toHaveTextContent('The slug "launch" or one of its variants\' slugs is taken.');
    expect(screen.getByLabelText("Destination URL")).toHaveValue("https://example.com/launch");
  });
});

describe("the links list", () => {
  const link = { ...kitAnswer({ url: "https://example.com/a", campaign: "spring" }), variants: undefined, id: "l1", slug: "spring-wa", shortUrl: "http://lnk.test/spring-wa", channel: "messaging", source: "whatsapp", tags: ["q2"] };

  it("shows a viewer the links with their figures, but no button to create one", async () => {
    const server = fakeServer(VIEWER)
      .on("GET", "/api/links", { body: { data: [link], nextCursor: null } })
      .on("GET", "/api/reports/links", { body: { range: {}, totals: {}, links: [{ linkId: "l1", clicks: 1204, unfurls: 31, conversions: 7 }], campaigns: [] } });
    renderPage(<LinksListPage />, { server, path: "/links" });
    const row = (await screen.findByRole("link", { name: "lnk.test/spring-wa" })).closest("tr")!;
    expect(row).toHaveTextContent("Messaging apps");
    expect(await within(row).findByText("1,204")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /New link/ })).not.toBeInTheDocument();
  });

  it("searches and filters through the links API and pages with its cursor", async () => {
    const server = fakeServer()
      .on("GET", "/api/links", (req) => ({ body: req.query.get("cursor") ? { data: [{ ...link, id: "l2", slug: "second", shortUrl: "http://lnk.test/second" }], nextCursor: null } : { data: [link], nextCursor: "c2" } }))
      .on("GET", "/api/reports/links", { body: { range: {}, totals: {}, links: [], campaigns: [] } });
    const user = userEvent.setup({ delay: null });
    renderPage(<LinksListPage />, { server, path: "/links" });
    expect(await screen.findByRole("link", { name: "New link or share kit" })).toBeInTheDocument();
    await user.type(screen.getByLabelText("Search"), "spring");
    await user.type(screen.getByLabelText("Campaign"), "launch");
    await user.selectOptions(screen.getByLabelText("Source"), "slack");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    await screen.findByRole("link", { name: "lnk.test/spring-wa" });
    const last = server.sent("GET", "/api/links").at(-1)!;
    expect(last.query.get("q")).toBe("spring");
    expect(last.query.get("campaign")).toBe("launch");
    expect(last.query.get("source")).toBe("slack");

    await user.click(screen.getByRole("button", { name: "Next →" }));
    await screen.findByRole("link", { name: "lnk.test/second" });
    expect(server.sent("GET", "/api/links").at(-1)!.query.get("cursor")).toBe("c2");
    await user.click(screen.getByRole("button", { name: "← Previous" }));
    await screen.findByRole("link", { name: "lnk.test/spring-wa" });
  });

  it("says so when no link matches the filters", async () => {
    const server = fakeServer().on("GET", "/api/links", { body: { data: [], nextCursor: null } }).on("GET", "/api/reports/links", { body: { range: {}, totals: {}, links: [], campaigns: [] } });
    renderPage(<LinksListPage />, { server, path: "/links?campaign=nothing" });
    expect(await screen.findByText("No links match these filters.")).toBeInTheDocument();
  });
});

describe("the sources a marketer shares to", () => {
  const common = ["instagram", "tiktok", "facebook", "x", "reddit", "discord", "telegram", "teams", "sms"];

  it("are all offered, each a source @lantern/core names and places in a channel", () => {
    for (const s of common) expect(KIT_SOURCES as readonly string[]).toContain(s);
    for (const s of KIT_SOURCES) {
      expect(LABELLED_SOURCES, s).toContain(s);
      expect(channelForSource(s), s).not.toBeNull();
    }
    expect(new Set(KIT_SOURCES).size).toBe(KIT_SOURCES.length);
  });

  it("the links' Source filter offers Instagram and TikTok, and filters by them", async () => {
    const server = fakeServer()
      .on("GET", "/api/links", { body: { data: [], nextCursor: null } })
      .on("GET", "/api/reports/links", { body: { range: {}, totals: {}, links: [], campaigns: [] } });
    const user = userEvent.setup({ delay: null });
    renderPage(<LinksListPage />, { server, path: "/links" });
    const select = await screen.findByLabelText("Source");
    const offered = within(select).getAllByRole("option").map((o) => o.textContent);
    for (const s of common) expect(offered).toContain(sourceLabel(s));
    expect(offered).toEqual(expect.arrayContaining(["Instagram", "TikTok", "Facebook", "X (Twitter)", "Reddit", "Discord", "Telegram", "Microsoft Teams", "SMS"]));
    await user.selectOptions(select, "TikTok");
    await expect.poll(() => server.sent("GET", "/api/links").at(-1)?.query.get("source")).toBe("tiktok");
  });

  it("keeps a source from the address in the filter even when it is not one of the usual ones", async () => {
    const server = fakeServer()
      .on("GET", "/api/links", { body: { data: [], nextCursor: null } })
      .on("GET", "/api/reports/links", { body: { range: {}, totals: {}, links: [], campaigns: [] } });
    renderPage(<LinksListPage />, { server, path: "/links?source=mastodon" });
    expect(await screen.findByLabelText("Source")).toHaveValue("mastodon");
    expect(within(screen.getByLabelText("Source")).getByRole("option", { name: "Mastodon" })).toBeInTheDocument();
  });

  it("a share kit can be made for Instagram and TikTok, each in the social channel", async () => {
    const user = userEvent.setup({ delay: null });
    renderPage(<LinkCreateForm />, { server: fakeServer(), path: "/links/new" });
    const shareOn = await screen.findByRole("group", { name: "Share on" });
    for (const s of common) expect(within(shareOn).getByRole("checkbox", { name: sourceLabel(s) })).toBeInTheDocument();
    await user.type(screen.getByLabelText("Destination URL"), "https://example.com/launch");
    await user.click(within(shareOn).getByRole("checkbox", { name: "Instagram" }));
    await user.click(within(shareOn).getByRole("checkbox", { name: "TikTok" }));
    const rows = within(variantsTable()).getAllByRole("row").slice(1);
    const instagram = rows.find((r) => within(r).getByRole("rowheader").textContent === "Instagram")!;
    const tiktok = rows.find((r) => within(r).getByRole("rowheader").textContent === "TikTok")!;
    expect(instagram).toHaveTextContent("utm_medium=social");
    expect(tiktok).toHaveTextContent("utm_source=tiktok");
  });
});

// API key creation: the key is shown once; revoking; viewers see no key management.
import { cleanup, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiKey } from "../src/lib/types.ts";
import { ApiKeysPage, linksServiceUrl } from "../src/pages/settings/ApiKeys.tsx";
import { fakeServer, renderPage, VIEWER } from "./ui-harness.tsx";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const SCOPES = ["links:read", "links:write", "surveys:read", "surveys:write", "conversions:write", "reports:read", "admin"];
const SECRET = "lt_AbC1234_s3cr3t-only-shown-once";

function keyServer() {
  const keys: ApiKey[] = [{ id: "k0", name: "old script", prefix: "lt_Old0000", scopes: ["reports:read"], createdAt: Date.UTC(2024, 0, 1), lastUsedAt: null, revokedAt: null }];
  return fakeServer()
    .on("GET", "/api/api-keys", () => ({ body: { apiKeys: [...keys], scopes: SCOPES } }))
    .on("POST", "/api/api-keys", (req) => {
      const body = req.body as { name: string; scopes: ApiKey["scopes"] };
      const apiKey: ApiKey = { id: "k1", name: body.name, prefix: "lt_AbC1234", scopes: body.scopes, createdAt: Date.UTC(2024, 5, 1), lastUsedAt: null, revokedAt: null };
      keys.unshift(apiKey);
      return { status: 201, body: { apiKey, key: SECRET } };
    })
    .on("DELETE", /^\/api\/api-keys\/[^/]+$/, (req) => {
      const key = keys.find((k) => req.path.endsWith(`/${k.id}`))!;
      key.revokedAt = Date.UTC(2024, 5, 2);
      return { body: { apiKey: key } };
    });
}

describe("API keys", () => {
  it("shows a new key once, with a copy button, and never again after it is dismissed", async () => {
    const server = keyServer();
    const user = userEvent.setup({ delay: null });
    renderPage(<ApiKeysPage />, { server, path: "/settings" });
    await user.type(await screen.findByLabelText("Name"), "checkout server");
    await user.click(screen.getByRole("checkbox", { name: /links:write/ }));
    await user.click(screen.getByRole("checkbox", { name: /surveys:write/ }));
    await user.click(screen.getByRole("button", { name: "Create key" }));

    const card = await screen.findByRole("region", { name: "Your new API key" });
    expect(card).toHaveTextContent(SECRET);
    expect(card).toHaveTextContent("it is shown only once");
    expect(server.sent("POST", "/api/api-keys")[0]!.body).toEqual({ name: "checkout server", scopes: ["links:read", "surveys:write"] });
    expect(server.sent("POST", "/api/api-keys")[0]!.headers["x-csrf-token"]).toBe("csrf-123");

    await user.click(within(card).getByRole("button", { name: "Copy API key" }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    const list = await screen.findByRole("table", { name: "API keys, newest first" });
    expect(await within(list).findByRole("rowheader", { name: "checkout server" })).toBeInTheDocument();
    expect(list).toHaveTextContent("lt_AbC1234…");
    expect(list).not.toHaveTextContent(SECRET);

    await user.click(within(card).getByRole("button", { name: "I have copied it" }));
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create key" })).toBeInTheDocument();
  });

  it("asks for a name and at least one scope before creating a key", async () => {
    const server = keyServer();
    const user = userEvent.setup({ delay: null });
    renderPage(<ApiKeysPage />, { server, path: "/settings" });
    await user.click(await screen.findByRole("checkbox", { name: /links:read/ }));
    await user.click(screen.getByRole("checkbox", { name: /links:write/ }));
    await user.click(screen.getByRole("button", { name: "Create key" }));
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription(expect.stringContaining("Name the key"));
    expect(screen.getByText("Pick at least one scope.")).toBeInTheDocument();
    expect(server.sent("POST", "/api/api-keys")).toHaveLength(0);
  });

  it("revokes a key after confirmation and shows it as revoked", async () => {
    vi.spyOn(window, "confirm").mockReturnValue(true);
    const server = keyServer();
    const user = userEvent.setup({ delay: null });
    renderPage(<ApiKeysPage />, { server, path: "/settings" });
    const row = (await screen.findByRole("rowheader", { name: "old script" })).closest("tr")!;
    await user.click(within(row).getByRole("button", { name: "Revoke old script" }));
    expect(await within(row).findByText("revoked")).toBeInTheDocument();
    expect(server.sent("DELETE", "/api/api-keys/k0")).toHaveLength(1);
    expect(within(row).queryByRole("button", { name: /Revoke/ })).not.toBeInTheDocument();
  });

  it("tells a viewer that only admins manage keys, without asking for them", async () => {
    const server = fakeServer(VIEWER);
    renderPage(<ApiKeysPage />, { server, path: "/settings" });
    expect(await screen.findByText("Only admins manage API keys.")).toBeInTheDocument();
    expect(server.sent("GET", "/api/api-keys")).toHaveLength(0);
  });
});

describe("API keys, in words a person can act on", () => {
  const link = { id: "l1", slug: "spring-wa", shortUrl: "https://go.shop.example/spring-wa" };

  async function createKey(server: ReturnType<typeof keyServer>, scopes: string[]) {
    const user = userEvent.setup({ delay: null });
    renderPage(<ApiKeysPage />, { server, path: "/settings" });
    await user.type(await screen.findByLabelText("Name"), "checkout server");
    for (const s of ["links:read", "links:write"]) await user.click(screen.getByRole("checkbox", { name: new RegExp(`^${s} `) }));
    for (const s of scopes) await user.click(screen.getByRole("checkbox", { name: new RegExp(`^${s} `) }));
    await user.click(screen.getByRole("button", { name: "Create key" }));
    return screen.findByRole("region", { name: "Your new API key" });
  }

  it("says to copy the key for the named program, not the name", async () => {
    const card = await createKey(keyServer(), ["reports:read"]);
    expect(within(card).getByText(/^Copy the key for/)).toHaveTextContent("Copy the key for “checkout server” now: it is shown only once.");
    expect(card).not.toHaveTextContent("Copy checkout server now");
    // No orders line for a key that cannot report them.
    expect(card).not.toHaveTextContent("/api/conversions");
  });

  it("names the endpoint for orders, at the links service's own address, when the key may report them", async () => {
    const server = keyServer().on("GET", "/api/links", { body: { data: [link], nextCursor: null } });
    const card = await createKey(server, ["conversions:write"]);
    expect(await within(card).findByText("POST https://go.shop.example/api/conversions")).toBeInTheDocument();
    expect(card).toHaveTextContent("To report orders from your server, send them with this key to POST https://go.shop.example/api/conversions.");
  });

  it("names the links service's /api/conversions when its address is not known (no link yet)", async () => {
    const server = keyServer().on("GET", "/api/links", { body: { data: [], nextCursor: null } });
    const card = await createKey(server, ["conversions:write"]);
    await expect.poll(() => server.sent("GET", "/api/links").length).toBe(1);
    expect(card).toHaveTextContent("To report orders from your server, send them with this key to the links service's POST /api/conversions.");
  });

  it("says that the key from the server's environment works and is not listed, also when no key was created here", async () => {
    const server = fakeServer().on("GET", "/api/api-keys", { body: { apiKeys: [], scopes: SCOPES } });
    renderPage(<ApiKeysPage />, { server, path: "/settings" });
    expect(await screen.findByText("No API keys created here yet.")).toBeInTheDocument();
    expect(screen.queryByText("No API keys yet.")).not.toBeInTheDocument();
    const keys = screen.getByRole("region", { name: "Keys" });
    expect(keys).toHaveTextContent("The key set in the server's environment (LANTERN_API_KEY) is accepted too; it is not listed here");
  });

  it("reads the links service's address off a short link it made", () => {
    expect(linksServiceUrl(link)).toBe("https://go.shop.example");
    expect(linksServiceUrl({ slug: "a", shortUrl: "http://127.0.0.1:3001/base/a" })).toBe("http://127.0.0.1:3001/base");
    expect(linksServiceUrl({ slug: "a", shortUrl: "https://x.test/b" })).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { ApiError, createApi, withQuery } from "../src/lib/api.ts";
import { fakeServer } from "./ui-harness.tsx";

describe("the api module", () => {
  it("sends the CSRF token on writes and never on reads", async () => {
    const server = fakeServer().on("POST", "/api/links", { status: 201, body: { id: "l1" } }).on("GET", "/api/links", { body: { data: [] } });
    const api = createApi({ fetch: server.fetch });
    api.setCsrfToken("tok-1");
    await api.get("/api/links");
    await api.post("/api/links", { url: "https://example.com" });
    expect(server.sent("GET", "/api/links")[0]!.headers["x-csrf-token"]).toBeUndefined();
    const write = server.sent("POST", "/api/links")[0]!;
    expect(write.headers["x-csrf-token"]).toBe("tok-1");
    expect(write.headers["content-type"]).toBe("application/json");
    expect(write.body).toEqual({ url: "https://example.com" });
  });

  it("turns an error answer into an ApiError carrying the server's message and code", async () => {
    const server = fakeServer().on("POST", "/api/links", { status: 409, body: { error: { code: "conflict", message: 'The slug "launch" is taken.', requestId: "r1" } } });
    const api = createApi({ fetch: server.fetch });
    const err = await api.post("/api/links", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('The slug "launch" is taken.');
    expect((err as ApiError).code).toBe("conflict");
    expect((err as ApiError).status).toBe(409);
    expect((err as ApiError).requestId).toBe("r1");
  });

  it("reports a 401 as a lost session, except on the sign-in request itself", async () => {
    const unauthorized = { status: 401, body: { error: { code: "unauthorized", message: "Sign in first.", requestId: "r" } } };
    const server = fakeServer().on("GET", "/api/reports/overview", unauthorized).on("POST", "/api/session", unauthorized);
    const api = createApi({ fetch: server.fetch });
    let lost = 0;
    api.onUnauthorized(() => lost++);
    await expect(api.post("/api/session", { email: "a@b.c", password: "x" })).rejects.toThrow("Sign in first.");
    expect(lost).toBe(0);
    await expect(api.get("/api/reports/overview")).rejects.toThrow("Sign in first.");
    expect(lost).toBe(1);
  });

  it("explains an unreachable server and a gateway failure without a JSON body", async () => {
    const down = createApi({ fetch: async () => Promise.reject(new TypeError("Failed to fetch")) });
    await expect(down.get("/api/system")).rejects.toThrow("Could not reach the server");
    const gateway = createApi({ fetch: async () => new Response("Bad Gateway", { status: 502, headers: { "content-type": "text/plain" } }) });
    await expect(gateway.get("/api/links")).rejects.toThrow("A service behind the admin server is not answering");
  });

  it("builds query strings without empty values", () => {
    expect(withQuery("/api/links", { q: "launch", campaign: "", tag: undefined, cursor: null, limit: 25 })).toBe("/api/links?q=launch&limit=25");
    expect(withQuery("/api/x", {})).toBe("/api/x");
  });

  it("answers a 204 with undefined", async () => {
    const server = fakeServer().on("DELETE", "/api/session", { status: 204 });
    const api = createApi({ fetch: server.fetch });
    await expect(api.del("/api/session")).resolves.toBeUndefined();
  });
});

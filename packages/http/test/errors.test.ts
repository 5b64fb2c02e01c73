import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, jsonBody, notFound, onError, requestId } from "../src/index.ts";

function app() {
  const a = new Hono();
  a.use(requestId);
  a.onError(onError());
  a.notFound(notFound);
  a.post("/echo", async (c) => c.json(await jsonBody(c, z.object({ name: z.string().min(1) }))));
  a.get("/teapot", () => {
    throw new ApiError(409, "conflict", "That slug is taken.");
  });
  a.get("/boom", () => {
    throw new Error("secret internals");
  });
  return a;
}

describe("errors", () => {
  it("an ApiError answers its status with { error: { code, message, requestId } }", async () => {
    const res = await app().request("/teapot", { headers: { "x-request-id": "abc123" } });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: "conflict", message: "That slug is taken.", requestId: "abc123" } });
  });

  it("broken JSON is a 400 that says so, not a 500", async () => {
    const res = await app().request("/echo", { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string; code: string } }).error.message).toMatch(/not valid JSON/);
  });

  it("a body that fails validation names the field", async () => {
    const res = await app().request("/echo", { method: "POST", body: JSON.stringify({ name: "" }), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toMatch(/^name:/);
  });

  it("a form body where JSON is expected is a 415", async () => {
    const res = await app().request("/echo", { method: "POST", body: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(415);
  });

  it("an unexpected error is a 500 without its message or stack", async () => {
    const res = await app().request("/boom");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(JSON.parse(text).error.code).toBe("internal_error");
  });

  it("an unknown route is a JSON 404", async () => {
    const res = await app().request("/nowhere");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string; code: string } }).error.code).toBe("not_found");
  });
});

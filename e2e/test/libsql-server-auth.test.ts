import { readdirSync } from "node:fs";
import { createDb, MIGRATIONS_FOLDER, migrate, schema } from "@lantern/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateJwtKeys, type JwtKeys, signJwt } from "../src/jwt.ts";
import { startLantern } from "../src/services.ts";
import { type Sqld, startSqld } from "../src/sqld.ts";

/**
 * A libSQL server that requires a JWT (`sqld --auth-jwt-key-file`, as Turso does), with Lantern given
 * `DATABASE_AUTH_TOKEN`: a good token works end to end, and a missing, foreign, expired or read-only one
 * stops start-up with an error that says what to fix (not drizzle's "Failed query: CREATE TABLE ...").
 */
let sqld: Sqld;
let keys: JwtKeys;
beforeAll(async () => {
  keys = generateJwtKeys();
  sqld = await startSqld({ jwtPublicKey: keys.publicKeyPem });
});
afterAll(async () => {
  await sqld?.stop();
});

const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;
const goodToken = () => signJwt(keys.privateKey, { exp: inSeconds(3600) });
const readOnlyToken = () => signJwt(keys.privateKey, { exp: inSeconds(3600), a: "ro" });
const foreignToken = () => signJwt(generateJwtKeys().privateKey, { exp: inSeconds(3600) });

describe("a libSQL server that requires a JWT", () => {
  test("with a token signed by the server's key, createDb migrates, writes and reads", async () => {
    const db = await createDb({ url: sqld.url, authToken: goodToken() });
    try {
      await migrate(db);
      const applied = await db.$client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
      expect(Number(applied.rows[0]!.n)).toBe(readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql")).length);
      await db.insert(schema.settings).values({ key: "auth-test", value: { ok: true }, updatedAt: Date.now() });
      const rows = await db.select().from(schema.settings);
      expect(rows.find((r) => r.key === "auth-test")?.value).toEqual({ ok: true });
    } finally {
      db.$client.close();
    }
  });

  test("without a token, createDb fails saying DATABASE_AUTH_TOKEN is not set", async () => {
    await expect(createDb(sqld.url)).rejects.toThrow(`libSQL server ${sqld.url} requires an auth token and DATABASE_AUTH_TOKEN is not set (HTTP 401)`);
  });

  test("a token signed by another key is refused, and the error names DATABASE_AUTH_TOKEN", async () => {
    await expect(createDb({ url: sqld.url, authToken: foreignToken() })).rejects.toThrow(
      `libSQL server ${sqld.url} refused the auth token (DATABASE_AUTH_TOKEN): the token is not signed by a key the server trusts`,
    );
  });

  test("a token that is not a JWT at all is refused the same way", async () => {
    await expect(createDb({ url: sqld.url, authToken: "not-a-jwt" })).rejects.toThrow("refused the auth token (DATABASE_AUTH_TOKEN)");
  });

  test("an expired token (sqld checks exp) is refused with the time it expired", async () => {
    const exp = inSeconds(-600);
    await expect(createDb({ url: sqld.url, authToken: signJwt(keys.privateKey, { exp }) })).rejects.toThrow(
      `refused the auth token (DATABASE_AUTH_TOKEN): the token expired at ${new Date(exp * 1000).toISOString()} (HTTP 401)`,
    );
  });

  test("a read-only token (\"a\": \"ro\") is refused at start-up, not at the first migration, and leaves nothing behind", async () => {
    await expect(createDb({ url: sqld.url, authToken: readOnlyToken() })).rejects.toThrow(
      `libSQL server ${sqld.url} accepted the auth token (DATABASE_AUTH_TOKEN) for reads only: Lantern migrates and writes, so it needs a token that may write (a JWT without "a": "ro") (HTTP 403)`,
    );
    // The same check with a token that may write passes, and its write probe left no table behind.
    const db = await createDb({ url: sqld.url, authToken: signJwt(keys.privateKey, { exp: inSeconds(3600), a: "rw" }) });
    try {
      const probes = await db.$client.execute("SELECT name FROM sqlite_master WHERE name LIKE '%probe%'");
      expect(probes.rows).toEqual([]);
    } finally {
      db.$client.close();
    }
  });

  test("over a WebSocket (ws://), a refused, read-only or missing token stops start-up with a line that names DATABASE_AUTH_TOKEN", async () => {
    const ws = sqld.url.replace(/^http/, "ws");
    const closed = `libSQL server ${ws} closed the WebSocket: the server refused the auth token (DATABASE_AUTH_TOKEN), or the token may only read`;
    await expect(createDb({ url: ws, authToken: foreignToken() })).rejects.toThrow(closed);
    await expect(createDb({ url: ws, authToken: readOnlyToken() })).rejects.toThrow(closed);
    // sqld answers AUTH_HEADER_NOT_FOUND, or closes the socket first: either way the line says the token is not set.
    await expect(createDb({ url: ws })).rejects.toThrow(/^libSQL server ws:\/\/[^ ]+ (requires an auth token and|closed the WebSocket and) DATABASE_AUTH_TOKEN is not set/);
    // A good token works over the WebSocket too.
    const db = await createDb({ url: ws, authToken: goodToken() });
    try {
      expect((await db.$client.execute("SELECT 1 AS one")).rows[0]?.one).toBe(1);
    } finally {
      db.$client.close();
    }
  });

  test("the worker started with DATABASE_URL and DATABASE_AUTH_TOKEN migrates and answers /healthz", async () => {
    const lantern = await startLantern({ databaseUrl: sqld.url, databaseAuthToken: goodToken(), services: ["worker"] });
    try {
      expect(lantern.env.DATABASE_AUTH_TOKEN).toBeTruthy();
      const res = await fetch(`${lantern.worker}/healthz`);
      expect(res.status).toBe(200);
      await res.body?.cancel();
    } finally {
      await lantern.stop();
    }
  });

  test("the worker given a token of another key exits at start-up with the refusal in its log, instead of hanging", async () => {
    // The test's own client migrates with the good token; only the worker gets the foreign one.
    const started = startLantern({
      databaseUrl: sqld.url,
      databaseAuthToken: goodToken(),
      env: { DATABASE_AUTH_TOKEN: foreignToken() },
      services: ["worker"],
    });
    await expect(started).rejects.toThrow(/worker exited \(1\)[\s\S]*worker failed to start[\s\S]*refused the auth token \(DATABASE_AUTH_TOKEN\)/);
  });

  test("the worker given a read-only token exits at start-up saying the token is for reads only", async () => {
    const started = startLantern({
      databaseUrl: sqld.url,
      databaseAuthToken: goodToken(),
      env: { DATABASE_AUTH_TOKEN: readOnlyToken() },
      services: ["worker"],
    });
    await expect(started).rejects.toThrow(/worker exited \(1\)[\s\S]*worker failed to start[\s\S]*accepted the auth token \(DATABASE_AUTH_TOKEN\) for reads only/);
  });
});

import type { Client } from "@libsql/client";

/**
 * A table no migration creates: dropping it "if it exists" is a write to the server and a no-op for the
 * database (nothing written, schema_version unchanged).
 */
const WRITE_PROBE = "DROP TABLE IF EXISTS __lantern_write_probe";

/**
 * A libSQL server answers a missing, wrongly signed or expired token with HTTP 401. @libsql/client says
 * only "Server returned HTTP status 401", and the first query is usually a migration, where drizzle's
 * "Failed query: CREATE TABLE ..." hides even that. So a query here, and an error that says what to fix.
 *
 * A read-only token (a JWT with `"a": "ro"`) passes SELECT 1. sqld classifies each statement before
 * running it and answers one that writes with HTTP 403 ("Current session doesn't not have Write
 * permission"), so a second query, WRITE_PROBE, catches it here rather than at the first migration.
 */
export async function checkServerAccepts(client: Client, url: string, authToken: string | undefined): Promise<void> {
  try {
    await client.execute("SELECT 1");
    await client.execute(WRITE_PROBE);
  } catch (err) {
    const server = `libSQL server ${serverName(url)}`;
    const refusedSocket = webSocketRefusal(err, server, authToken);
    if (refusedSocket) {
      client.close();
      throw refusedSocket;
    }
    const status = httpStatus(err);
    if (status !== 401 && status !== 403) throw err;
    client.close();
    if (status === 403) {
      const fix = 'Lantern migrates and writes, so it needs a token that may write (a JWT without "a": "ro")';
      throw new Error(`${server} accepted the auth token (DATABASE_AUTH_TOKEN) for reads only: ${fix} (HTTP 403)`, { cause: err });
    }
    if (!authToken) throw new Error(`${server} requires an auth token and DATABASE_AUTH_TOKEN is not set (HTTP 401)`, { cause: err });
    const expired = expiredAt(authToken);
    const why = expired
      ? `the token expired at ${expired.toISOString()}`
      : "the token is not signed by a key the server trusts (sqld --auth-jwt-key-file), is for another database, or is not a JWT";
    throw new Error(`${server} refused the auth token (DATABASE_AUTH_TOKEN): ${why} (HTTP 401)`, { cause: err });
  }
}

/**
 * Over a WebSocket (`ws://`, `wss://`) sqld answers a missing token with AUTH_HEADER_NOT_FOUND, but a
 * refused or read-only one only by closing the socket (HRANA_WEBSOCKET_ERROR, code 1006), which says
 * neither. The error names the token and the ways to tell: an http(s):// URL to the same server reports
 * the reason.
 */
function webSocketRefusal(err: unknown, server: string, authToken: string | undefined): Error | null {
  const code = (err as { code?: unknown }).code;
  if (code === "AUTH_HEADER_NOT_FOUND") return new Error(`${server} requires an auth token and DATABASE_AUTH_TOKEN is not set`, { cause: err });
  if (code !== "HRANA_WEBSOCKET_ERROR") return null;
  // Without a token sqld sometimes closes the socket before its AUTH_HEADER_NOT_FOUND arrives.
  if (!authToken) return new Error(`${server} closed the WebSocket and DATABASE_AUTH_TOKEN is not set: the server may require one (an http(s):// URL to the same server says)`, { cause: err });
  const why =
    'the server refused the auth token (DATABASE_AUTH_TOKEN), or the token may only read (a JWT with "a": "ro"; Lantern writes); over a WebSocket sqld does not say which: an http(s):// URL to the same server does';
  return new Error(`${server} closed the WebSocket: ${why}`, { cause: err });
}

/** The HTTP status @libsql/client keeps on the error's cause (HttpServerError). */
function httpStatus(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const status = (e as { status?: unknown }).status;
    if (typeof status === "number") return status;
  }
  return undefined;
}

/** Scheme and host only: a URL may carry `?authToken=`. */
function serverName(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

/** The token's `exp` if it is in the past. Read without checking the signature: only to explain a refusal. */
function expiredAt(token: string): Date | undefined {
  try {
    const { exp } = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof exp === "number" && exp * 1000 <= Date.now() ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

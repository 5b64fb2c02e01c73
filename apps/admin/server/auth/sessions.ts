import { createHash, randomBytes } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Db } from "@lantern/db";
import { sessions, users, type UserRole } from "@lantern/db/schema";

export const SESSION_COOKIE = "lantern_session";
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;
/** Sliding expiry is written at most this often, so reading pages does not write on every request. */
const RENEW_AFTER_MS = 3600 * 1000;

export interface SessionUser {
  id: string;
  email: string;
  role: UserRole;
}

export interface ActiveSession {
  idHash: string;
  csrfToken: string;
  expiresAt: number;
  /** True when the expiry moved and the cookie should be sent again. */
  renewed: boolean;
  user: SessionUser;
}

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/** Creates a session; returns the raw id (for the cookie only; the database keeps its sha256). */
export async function createSession(db: Db, userId: string, now: number) {
  const id = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(32).toString("base64url");
  const expiresAt = now + SESSION_TTL_MS;
  await db.insert(sessions).values({ idHash: hashSessionId(id), userId, csrfToken, createdAt: now, expiresAt });
  // Housekeeping: expired sessions of this user are useless.
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)));
  return { id, csrfToken, expiresAt };
}

/** Finds a live session of an enabled user, sliding its expiry forward. */
export async function findSession(db: Db, id: string, now: number): Promise<ActiveSession | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(id)) return null;
  const idHash = hashSessionId(id);
  const [row] = await db
    .select({ session: sessions, user: { id: users.id, email: users.email, role: users.role, disabledAt: users.disabledAt } })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.idHash, idHash));
  if (!row) return null;
  if (row.session.expiresAt <= now || row.user.disabledAt !== null) {
    await db.delete(sessions).where(eq(sessions.idHash, idHash));
    return null;
  }
  let expiresAt = row.session.expiresAt;
  let renewed = false;
  if (now + SESSION_TTL_MS - expiresAt > RENEW_AFTER_MS) {
    expiresAt = now + SESSION_TTL_MS;
    renewed = true;
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.idHash, idHash));
  }
  const { disabledAt: _disabled, ...user } = row.user;
  return { idHash, csrfToken: row.session.csrfToken, expiresAt, renewed, user };
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

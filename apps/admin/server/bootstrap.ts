import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "@lantern/db";
import { users } from "@lantern/db/schema";
import { hashPassword, generatePassword } from "./auth/passwords.ts";
import { parseEnv } from "./env.ts";
import { insertUser, normaliseEmail } from "./users.ts";

export const DEFAULT_ADMIN_EMAIL = "admin@lantern.local";

/**
 * Makes sure an instance has an admin. The first admin comes from LANTERN_ADMIN_EMAIL /
 * LANTERN_ADMIN_PASSWORD when both are set; otherwise admin@lantern.local is created with a random
 * password, which is returned this one time (only its scrypt hash is kept). When an active admin
 * already exists nothing changes and `password` is null.
 */
export async function ensureAdminUser(
  db: Db,
  options: { email?: string; password?: string; now?: number } = pickEnv(),
): Promise<{ email: string; password: string | null; created: boolean }> {
  const [existing] = await db
    .select()
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt))
    .limit(1);
  if (existing) return { email: existing.email, password: null, created: false };

  const now = options.now ?? Date.now();
  const fromEnv = Boolean(options.email && options.password);
  const email = normaliseEmail(fromEnv ? options.email! : DEFAULT_ADMIN_EMAIL);
  const password = fromEnv ? options.password! : generatePassword();
  const [sameEmail] = await db.select().from(users).where(eq(users.email, email));
  if (sameEmail) {
    // A disabled or demoted account with that address becomes the admin again, with the new password.
    await db.update(users).set({ role: "admin", disabledAt: null, passwordHash: await hashPassword(password) }).where(eq(users.id, sameEmail.id));
  } else {
    await insertUser(db, { email, password, role: "admin" }, now);
  }
  return { email, password: fromEnv ? null : password, created: true };
}

function pickEnv() {
  try {
    const env = parseEnv();
    return { email: env.LANTERN_ADMIN_EMAIL, password: env.LANTERN_ADMIN_PASSWORD };
  } catch {
    return {};
  }
}

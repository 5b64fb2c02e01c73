import type { Db } from "@lantern/db";
import { type UserRole, users } from "@lantern/db/schema";
import { newId } from "@lantern/http";
import { hashPassword } from "./auth/passwords.ts";

/** Emails are compared case-insensitively and without surrounding spaces. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}


export async function insertUser(db: Db, input: { email: string; password: string; role: UserRole }, now: number) {
  const row = { id: newId(), email: normaliseEmail(input.email), passwordHash: await hashPassword(input.password), role: input.role, createdAt: now, disabledAt: null };
  await db.insert(users).values(row);
  return row;
}

export function publicUser(u: { id: string; email: string; role: UserRole; createdAt: number; disabledAt: number | null }) {
  return { id: u.id, email: u.email, role: u.role, createdAt: u.createdAt, disabledAt: u.disabledAt };
}

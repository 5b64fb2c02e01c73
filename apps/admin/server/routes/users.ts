import { and, asc, eq, isNull, ne } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { users } from "@lantern/db/schema";
import { ApiError, jsonBody } from "@lantern/http";
import type { AdminDeps, AppEnv } from "../context.ts";
import { requireScope } from "../auth/middleware.ts";
import { hashPassword } from "../auth/passwords.ts";
import { deleteUserSessions } from "../auth/sessions.ts";
import { insertUser, normaliseEmail, publicUser } from "../users.ts";

const role = z.enum(["admin", "viewer"]);
const password = z.string().min(10, "must be at least 10 characters").max(200);
const createBody = z.object({ email: z.string().trim().email().max(254), role, password });
const patchBody = z
  .object({ role: role.optional(), disabled: z.boolean().optional(), password: password.optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined || b.password !== undefined, "send role, disabled or password");

/** Users: admins only, even to read. */
export function userRoutes(deps: AdminDeps) {
  const now = deps.clock ?? Date.now;
  return new Hono<AppEnv>()
    .use("*", requireScope("admin"))
    .get("/", async (c) => {
      const rows = await deps.db.select().from(users).orderBy(asc(users.createdAt), asc(users.email));
      return c.json({ users: rows.map(publicUser) });
    })
    .post("/", async (c) => {
      const body = await jsonBody(c, createBody);
      const email = normaliseEmail(body.email);
      const [taken] = await deps.db.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (taken) throw new ApiError(409, "conflict", `A user with the email ${email} exists already.`);
      const user = await insertUser(deps.db, { email, password: body.password, role: body.role }, now());
      return c.json({ user: publicUser(user) }, 201);
    })
    .patch("/:id", async (c) => {
      const body = await jsonBody(c, patchBody);
      const id = c.req.param("id");
      const [user] = await deps.db.select().from(users).where(eq(users.id, id));
      if (!user) throw new ApiError(404, "not_found", `No user ${id}.`);
      const losesAdmin = user.role === "admin" && user.disabledAt === null && (body.role === "viewer" || body.disabled === true);
      if (losesAdmin) {
        const [other] = await deps.db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, id)))
          .limit(1);
        if (!other) throw new ApiError(409, "conflict", "This is the last active admin. Make another user admin first.");
      }
      const changes: Partial<typeof users.$inferInsert> = {};
      if (body.role) changes.role = body.role;
      if (body.disabled !== undefined) changes.disabledAt = body.disabled ? (user.disabledAt ?? now()) : null;
      if (body.password) changes.passwordHash = await hashPassword(body.password);
      await deps.db.update(users).set(changes).where(eq(users.id, id));
      // A disabled user, a demoted admin or a reset password: existing sessions end.
      if (body.disabled || body.password || (body.role && body.role !== user.role)) await deleteUserSessions(deps.db, id);
      const [updated] = await deps.db.select().from(users).where(eq(users.id, id));
      return c.json({ user: publicUser(updated!) });
    });
}

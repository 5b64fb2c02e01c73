import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs, json } from "./_columns.ts";

export type ApiScope = "links:read" | "links:write" | "surveys:read" | "surveys:write" | "conversions:write" | "reports:read" | "admin";

/** API keys are stored only as a sha256 hash; `prefix` (first characters) lets a person recognise one. */
export const apiKeys = sqliteTable("api_keys", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  prefix: text("prefix").notNull(),
  hash: text("hash").notNull().unique(),
  scopes: json<ApiScope[]>("scopes").notNull(),
  createdAt: epochMs("created_at").notNull(),
  lastUsedAt: epochMs("last_used_at"),
  revokedAt: epochMs("revoked_at"),
});

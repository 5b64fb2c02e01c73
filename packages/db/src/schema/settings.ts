import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs, json } from "./_columns.ts";

/** Instance settings as key -> JSON value (privacy switches, retention, ...). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: json<unknown>("value").notNull(),
  updatedAt: epochMs("updated_at").notNull(),
});

/** The editable channel taxonomy, seeded from @lantern/core's defaults. */
export const channels = sqliteTable("channels", {
  key: text("key").primaryKey(),
  label: text("label").notNull(),
  group: text("group").notNull(),
  dark: integer("dark", { mode: "boolean" }).notNull(),
});

/** Daily salts for visitor hashes; old ones are deleted so yesterday's hashes cannot be recomputed. */
export const salts = sqliteTable("salts", {
  day: text("day").primaryKey(),
  salt: text("salt").notNull(),
});

import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { epochMs, json } from "./_columns.ts";

export interface LinkUtm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

export interface LinkPreview {
  title?: string;
  description?: string;
  image?: string;
}

export const links = sqliteTable(
  "links",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    url: text("url").notNull(),
    /** Channel key the link was made for (taxonomy), e.g. messaging. */
    channel: text("channel"),
    /** App or site the link was made for, e.g. whatsapp. */
    source: text("source"),
    campaign: text("campaign"),
    utm: json<LinkUtm>("utm").notNull(),
    tags: json<string[]>("tags").notNull(),
    preview: json<LinkPreview>("preview"),
    /** Set on the variants of a share kit: the id of the kit (shared by all its variants). */
    kitId: text("kit_id"),
    createdAt: epochMs("created_at").notNull(),
    updatedAt: epochMs("updated_at").notNull(),
    expiresAt: epochMs("expires_at"),
    archivedAt: epochMs("archived_at"),
  },
  (t) => [index("links_campaign_idx").on(t.campaign), index("links_kit_idx").on(t.kitId), index("links_created_idx").on(t.createdAt)],
);

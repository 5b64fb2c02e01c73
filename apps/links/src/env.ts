import { resolve } from "node:path";
import { envOptional as optional, parseServiceEnv, sharedServiceEnv } from "@lantern/http";
import { z } from "zod";

const list = optional(z.string().default("")).transform((v) =>
  v
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean),
);

const schema = z.object({
  ...sharedServiceEnv,
  /** 0 binds any free port (tests, benchmarks); the port is then logged as {"msg":"listening","port":N}. */
  LINKS_PORT: optional(z.coerce.number().int().min(0).max(65535).default(3001)),
  LINKS_HOST: optional(z.string().min(1).default("0.0.0.0")),
  /** Base of the short URLs. Its host can never be a destination. */
  LINKS_PUBLIC_URL: optional(z.url({ protocol: /^https?$/ }).default("http://localhost:3001")),
  /** More hosts that serve these short links (other domains of this instance): refused as destinations too. */
  LINKS_SHORT_HOSTS: list,
  /** A header set by a trusted proxy with the visitor's country (e.g. cf-ipcountry). Unset: no country. */
  LINKS_COUNTRY_HEADER: optional(z.string().toLowerCase().optional()),
  /** A header set by a trusted proxy with the visitor's IP (e.g. x-forwarded-for, cf-connecting-ip). Unset: the socket address. */
  LINKS_IP_HEADER: optional(z.string().toLowerCase().optional()),
  /** Links kept in the in-process cache (most recent first); beyond it, a miss costs one database lookup. */
  LINKS_CACHE_MAX: optional(z.coerce.number().int().min(100).default(200_000)),
  /** How long "no such slug" is remembered before the database is asked again. */
  LINKS_NEGATIVE_CACHE_MS: optional(z.coerce.number().int().min(0).default(5_000)),
  /** API requests per minute per key; 0 turns the limit off. */
  LINKS_API_RATE_LIMIT: optional(z.coerce.number().int().min(0).default(600)),
  LINKS_BUFFER_MAX_BATCH: optional(z.coerce.number().int().min(1).max(5000).default(500)),
  LINKS_BUFFER_MAX_DELAY_MS: optional(z.coerce.number().int().min(1).default(200)),
});

export type Env = z.infer<typeof schema> & { spoolDir: string };

/** Parses process.env once. Nothing else in the links service reads process.env. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const data = parseServiceEnv(schema, source, "links");
  return { ...data, spoolDir: resolve(data.LANTERN_DATA_DIR, "spool") };
}

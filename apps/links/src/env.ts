import { resolve } from "node:path";
import { z } from "zod";

/** An env var that is set but empty counts as unset, so `.env` files can list every name. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);
const bool = (fallback: boolean) =>
  optional(z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"]).default(fallback ? "true" : "false")).transform((v) => ["1", "true", "yes", "on"].includes(v));
const list = optional(z.string().default("")).transform((v) =>
  v
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean),
);

const schema = z.object({
  DATABASE_URL: optional(z.string().min(1).default("file:.lantern/lantern.db")),
  DATABASE_AUTH_TOKEN: optional(z.string().optional()),
  REDIS_URL: optional(z.string().min(1).default("redis://127.0.0.1:6379")),
  LANTERN_QUEUE_PREFIX: optional(z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only").default("lantern")),
  LANTERN_DATA_DIR: optional(z.string().min(1).default(".lantern")),
  /** Accepted as an admin API key (bootstrap). */
  LANTERN_API_KEY: optional(z.string().min(16, "use at least 16 characters").optional()),
  LANTERN_HONOR_DNT: bool(true),
  LANTERN_LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
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
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid links configuration:\n${lines}`);
  }
  return { ...parsed.data, spoolDir: resolve(parsed.data.LANTERN_DATA_DIR, "spool") };
}

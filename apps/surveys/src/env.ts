import { resolve } from "node:path";
import { z } from "zod";

/** An env var that is set but empty counts as unset, so `.env` files can list every name. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);
const bool = (fallback: boolean) =>
  optional(z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"]).default(fallback ? "true" : "false")).transform((v) => ["1", "true", "yes", "on"].includes(v));

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
  /** 0 binds any free port (tests); the port is then logged as {"msg":"listening","port":N}. */
  SURVEYS_PORT: optional(z.coerce.number().int().min(0).max(65535).default(3002)),
  SURVEYS_HOST: optional(z.string().min(1).default("0.0.0.0")),
  /** Base of the hosted page and widget URLs. Unset: http://localhost:<bound port>. */
  SURVEYS_PUBLIC_URL: optional(z.url({ protocol: /^https?$/ }).optional()),
  /** A header set by a trusted proxy with the visitor's IP (e.g. x-forwarded-for). Unset: the socket address. */
  SURVEYS_IP_HEADER: optional(z.string().toLowerCase().optional()),
  /** Public writes (answers, views, skips) per minute, per client address and per visitor hash. */
  SURVEYS_RATE_LIMIT_PER_IP: optional(z.coerce.number().int().min(1).default(120)),
  SURVEYS_RATE_LIMIT_PER_VISITOR: optional(z.coerce.number().int().min(1).default(30)),
  SURVEYS_BUFFER_MAX_BATCH: optional(z.coerce.number().int().min(1).max(5000).default(200)),
  SURVEYS_BUFFER_MAX_DELAY_MS: optional(z.coerce.number().int().min(1).default(200)),
});

export type Env = z.infer<typeof schema> & { spoolDir: string };

/** Parses process.env once. Nothing else in the survey service reads process.env. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid surveys configuration:\n${lines}`);
  }
  // One spool folder for every producer (files are named by producer), as the event buffer expects.
  return { ...parsed.data, spoolDir: resolve(parsed.data.LANTERN_DATA_DIR, "spool") };
}

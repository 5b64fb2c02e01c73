import { z } from "zod";

/** An env var that is set but empty counts as unset, so `.env` files can list every name. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);

const schema = z.object({
  DATABASE_URL: optional(z.string().min(1).default("file:.lantern/lantern.db")),
  DATABASE_AUTH_TOKEN: optional(z.string().optional()),
  REDIS_URL: optional(z.string().min(1).default("redis://127.0.0.1:6379")),
  LANTERN_QUEUE_PREFIX: optional(z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only").default("lantern")),
  /** Port of /healthz; 0 binds any free port (tests), which is then logged as {"msg":"listening","port":N}. */
  WORKER_PORT: optional(z.coerce.number().int().min(0).max(65535).default(3003)),
  /** Interface of /healthz. */
  WORKER_HOST: optional(z.string().min(1).default("0.0.0.0")),
  /** Batches processed at once. Database writes are serialised anyway; this overlaps classification with writing. */
  WORKER_CONCURRENCY: optional(z.coerce.number().int().min(1).max(64).default(2)),
  /**
   * How long a batch stays locked to this process; a batch whose process died is re-delivered after at
   * most about this long (BullMQ stalled-job recovery). Tests shorten it.
   */
  WORKER_LOCK_MS: optional(z.coerce.number().int().min(500).max(600_000).default(30_000)),
  /** Incremental reconciliation every this often (0: only after ingestion and on demand). */
  RECONCILE_EVERY_MS: optional(z.coerce.number().int().min(0).default(300_000)),
  /** A reconciliation requested after ingestion waits this long, so a burst of batches makes one run. */
  RECONCILE_DEBOUNCE_MS: optional(z.coerce.number().int().min(0).default(2_000)),
  /** Raw events past the retention setting (admin: Privacy) are deleted this often, and once after start-up (0: never). */
  PRUNE_EVERY_MS: optional(z.coerce.number().int().min(0).default(86_400_000)),
  LANTERN_LOG_LEVEL: optional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
  /** Base URL of the short links; its host is "our own" and never counts as a referrer. */
  LINKS_PUBLIC_URL: optional(z.string().url().default("http://localhost:3001")),
});

export type Env = z.infer<typeof schema>;

/** Parses process.env once. Nothing else in the worker reads process.env. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid worker configuration:\n${lines}`);
  }
  return parsed.data;
}

/** Hosts that belong to this Lantern instance (short links). */
export function ownHosts(env: Env): string[] {
  return [new URL(env.LINKS_PUBLIC_URL).hostname.toLowerCase()];
}

import { z } from "zod";

/** An env var that is set but empty counts as unset, so `.env` files can list every name. */
export const envOptional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema);

export const envBool = (fallback: boolean) =>
  envOptional(z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"]).default(fallback ? "true" : "false")).transform((v) =>
    ["1", "true", "yes", "on"].includes(v),
  );

/** The variables every public service reads: storage, queue, bootstrap key, privacy and logging. */
export const sharedServiceEnv = {
  DATABASE_URL: envOptional(z.string().min(1).default("file:.lantern/lantern.db")),
  DATABASE_AUTH_TOKEN: envOptional(z.string().optional()),
  REDIS_URL: envOptional(z.string().min(1).default("redis://127.0.0.1:6379")),
  LANTERN_QUEUE_PREFIX: envOptional(z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only").default("lantern")),
  LANTERN_DATA_DIR: envOptional(z.string().min(1).default(".lantern")),
  /** Accepted as an admin API key (bootstrap). */
  LANTERN_API_KEY: envOptional(z.string().min(16, "use at least 16 characters").optional()),
  LANTERN_HONOR_DNT: envBool(true),
  LANTERN_LOG_LEVEL: envOptional(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
};

/** Parses a service's environment once, or throws one error that lists every bad variable. */
export function parseServiceEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv, service: string): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid ${service} configuration:\n${lines}`);
  }
  return parsed.data;
}

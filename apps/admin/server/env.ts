import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Environment of the admin server, parsed once. Nothing else in the server reads process.env. */
const schema = z.object({
  ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ADMIN_HOST: z.string().default("0.0.0.0"),
  ADMIN_PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  DATABASE_URL: z.string().default("file:.lantern/lantern.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  LANTERN_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("lantern"),
  LANTERN_API_KEY: z.string().min(16).optional(),
  LANTERN_ADMIN_EMAIL: z.string().email().optional(),
  LANTERN_ADMIN_PASSWORD: z.string().min(10).optional(),
  LANTERN_HONOR_DNT: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  LANTERN_LOG_LEVEL: z.string().default("info"),
  LINKS_INTERNAL_URL: z.string().url().default("http://127.0.0.1:3001"),
  SURVEYS_INTERNAL_URL: z.string().url().default("http://127.0.0.1:3002"),
  /** Where the built SPA lives; served when it exists. */
  ADMIN_DIST_DIR: z.string().default(fileURLToPath(new URL("../dist", import.meta.url))),
  /** Trust X-Forwarded-For for the sign-in rate limit (only behind a reverse proxy you run). */
  ADMIN_TRUST_PROXY: z
    .enum(["true", "false", "1", "0"])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
});

export type AdminEnv = z.infer<typeof schema>;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): AdminEnv {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment for the admin server: ${issues}`);
  }
  return result.data;
}

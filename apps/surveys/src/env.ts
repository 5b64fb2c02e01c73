import { resolve } from "node:path";
import { envOptional as optional, parseServiceEnv, sharedServiceEnv } from "@lantern/http";
import { z } from "zod";

const schema = z.object({
  ...sharedServiceEnv,
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
  const data = parseServiceEnv(schema, source, "surveys");
  // One spool folder for every producer (files are named by producer), as the event buffer expects.
  return { ...data, spoolDir: resolve(data.LANTERN_DATA_DIR, "spool") };
}

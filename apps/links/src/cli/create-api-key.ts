import { parseArgs } from "node:util";
import { createDb, migrate } from "@lantern/db";
import type { ApiScope } from "@lantern/db/schema";
import { ALL_SCOPES, createApiKey } from "@lantern/http";
import { loadEnv } from "../env.ts";

/**
 * Creates an API key and prints it once (only its hash is stored).
 *   pnpm --filter @lantern/links create-api-key -- --name ci --scope links:read --scope links:write
 * Without --scope the key gets every scope.
 */
const USAGE = `usage: create-api-key --name <name> [--scope <scope>]... [--json]
scopes: ${ALL_SCOPES.join(", ")}`;

async function run() {
  const { values } = parseArgs({
    options: { name: { type: "string" }, scope: { type: "string", multiple: true }, json: { type: "boolean", default: false }, help: { type: "boolean", default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const name = values.name?.trim();
  if (!name) throw new Error(`--name is required\n${USAGE}`);
  const scopes = (values.scope ?? ALL_SCOPES) as ApiScope[];
  const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
  if (unknown.length) throw new Error(`unknown scope(s): ${unknown.join(", ")}\n${USAGE}`);
  const env = loadEnv();
  const db = await createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
  await migrate(db);
  const key = await createApiKey(db, name, scopes);
  db.$client.close();
  if (values.json) console.log(JSON.stringify({ id: key.id, name: key.name, scopes: key.scopes, key: key.key }));
  else {
    console.log(`API key "${key.name}" (id ${key.id}, scopes: ${key.scopes.join(", ")}):\n\n  ${key.key}\n`);
    console.log("It is shown this once; only its hash is stored. Use it as: Authorization: Bearer <key>");
  }
}

run().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

import { createHash } from "node:crypto";
import type { Db } from "@lantern/db";

/**
 * A digest of every row a reconcile run writes (attribution rows, credits, both roll-ups), in key order,
 * so that two versions of the writer can be shown to leave the same rows on the same data. Left out:
 * `reconciled_at` (the run's clock) and reconcile_state (run times). Read in slices of conversions,
 * packed into one JSON array per query.
 */
export async function hashWrittenRows(db: Db): Promise<{ digest: string; rows: number }> {
  const client = db.$client;
  const hash = createHash("sha256");
  let rows = 0;
  const add = (table: string, json: string) => {
    const parsed = JSON.parse(json) as unknown[];
    rows += parsed.length;
    hash.update(table);
    hash.update(json);
  };
  const packed = async (sql: string, args: (string | number)[] = []) => String((await client.execute({ sql, args })).rows[0]?.[0] ?? "[]");
  const ids = JSON.parse(await packed("SELECT json_group_array(conversion_id) FROM (SELECT conversion_id FROM conversion_attribution ORDER BY conversion_id)")) as string[];
  const attributionColumns =
    "conversion_id, ts, value, software_channel, software_source, self_channel, self_source, blended_channel, blended_source, responded, dark, dark_reasons, answer_named, answer_dark, software_dark, path, link_id, campaign, rule, ruleset_version";
  const creditColumns = "conversion_id, view, model, position, ts, channel, source, credit, value, rule, ruleset_version";
  for (let i = 0; i < ids.length; i += 5_000) {
    const from = ids[i]!;
    const to = ids[Math.min(i + 5_000, ids.length) - 1]!;
    add(
      "conversion_attribution",
      await packed(`SELECT json_group_array(json_array(${attributionColumns})) FROM (SELECT * FROM conversion_attribution WHERE conversion_id BETWEEN ?1 AND ?2 ORDER BY conversion_id)`, [from, to]),
    );
    add(
      "attribution_credits",
      await packed(
        `SELECT json_group_array(json_array(${creditColumns})) FROM (SELECT * FROM attribution_credits WHERE conversion_id BETWEEN ?1 AND ?2 ORDER BY conversion_id, view, model, position)`,
        [from, to],
      ),
    );
  }
  // Credits of conversions without an attribution row (there must be none).
  add("stray credits", await packed(`SELECT json_group_array(json_array(${creditColumns})) FROM attribution_credits WHERE conversion_id NOT IN (SELECT conversion_id FROM conversion_attribution)`));
  add("attribution_daily", await packed("SELECT json_group_array(json_array(day, view, model, channel, source, credits, value)) FROM (SELECT * FROM attribution_daily ORDER BY day, view, model, channel, source)"));
  add(
    "link_daily",
    await packed(
      "SELECT json_group_array(json_array(day, link_id, campaign, clicks, unfurls, reshares, conversions, dark_conversions, value)) FROM (SELECT * FROM link_daily ORDER BY day, link_id)",
    ),
  );
  return { digest: hash.digest("hex").slice(0, 16), rows };
}

import { Hono, type Context } from "hono";
import { z } from "zod";
import { ApiError, queryOr400 } from "@lantern/http";
import type { AdminDeps, AppEnv } from "../context.ts";
import { requireScope } from "../auth/middleware.ts";
import { channelsCsvRows, channelsReport, parseModel, parseView } from "../reports/channels.ts";
import { CONVERSION_COLUMNS, allConversions, conversionCsvRow, conversionsPage, conversionsTotal } from "../reports/conversions.ts";
import { csvLine, toCsv, type Cell } from "../reports/csv.ts";
import { darkSocialCsvRows, darkSocialReport } from "../reports/dark-social.ts";
import { gapCsvRows, gapReport } from "../reports/gap.ts";
import { linksCsvRows, linksReport } from "../reports/links.ts";
import { overviewCsvRows, overviewReport } from "../reports/overview.ts";
import { describeRange, parseRange, utcDay, type Range } from "../reports/range.ts";
import { channelLookup, loadChannels } from "../reports/taxonomy.ts";
import { createReportCache, reconcileStamp } from "../reports/cache.ts";

const rangeQuery = { from: z.string().max(40).optional(), to: z.string().max(40).optional(), table: z.string().max(20).optional() };
type RangeQuery = { from?: string; to?: string; table?: string };
const boolParam = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const intParam = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((v) => v ?? fallback);

function wantsCsv(c: Context): boolean {
  return c.req.path.endsWith(".csv") || (c.req.header("accept") ?? "").toLowerCase().startsWith("text/csv");
}

function csvHeaders(name: string, range: Range) {
  const last = range.to > range.from ? range.to - 1 : range.to;
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="lantern-${name}-${utcDay(range.from)}-${utcDay(last)}.csv"`,
    "Cache-Control": "no-store",
  };
}

function pickTable(table: string | undefined, allowed: readonly string[]): string {
  const value = table ?? allowed[0]!;
  if (!allowed.includes(value)) throw new ApiError(400, "bad_request", `Unknown table "${value.slice(0, 20)}". Valid tables: ${allowed.join(", ")}.`);
  return value;
}

/**
 * The reports. Each one reads roll-ups or the per-conversion table (never raw events except cheap,
 * indexed counts), answers JSON, or CSV for `.csv` paths and `Accept: text/csv`.
 */
export function reportRoutes(deps: AdminDeps) {
  const now = deps.clock ?? Date.now;
  const app = new Hono<AppEnv>();
  app.use("*", requireScope("reports:read"));
  const ttlMs = deps.config.reportCacheMs ?? 10_000;
  // Expiry runs on the wall clock, not the injected business clock.
  const cache = createReportCache({ ttlMs, maxEntries: 200, now: Date.now });

  /** Registers `name` and `name.csv` with the same handler. */
  function report<T extends RangeQuery>(
    name: string,
    schema: z.ZodType<T>,
    tables: readonly string[],
    build: (q: T, range: Range) => Promise<{ json: object; csv: (table: string) => { columns: string[]; rows: Cell[][] } }>,
  ) {
    const handler = async (c: Context<AppEnv>) => {
      const q = queryOr400(c, schema) as T;
      const range = parseRange(q, now());
      const csv = wantsCsv(c);
      const table = csv ? pickTable(q.table, tables) : "";
      // Cached per reconcile run; `Cache-Control: no-cache` on the request forces a fresh build.
      const fresh = (c.req.header("cache-control") ?? "").includes("no-cache");
      const key = `${name}|${range.from}|${range.to}|${JSON.stringify(q)}|${await reconcileStamp(deps.db)}`;
      const result = fresh || ttlMs === 0 ? await build(q, range) : await cache.get(key, () => build(q, range));
      if (csv) {
        const { columns, rows } = result.csv(table);
        return c.body(toCsv(columns, rows), 200, csvHeaders(name, range));
      }
      return c.json({ range: describeRange(range), ...result.json });
    };
    app.get(`/${name}`, handler);
    app.get(`/${name}.csv`, handler);
  }

  report("overview", z.object(rangeQuery), ["metrics"], async (_q, range) => {
    const taxonomy = await loadChannels(deps.db);
    const r = await overviewReport(deps.db, range, channelLookup(taxonomy), taxonomy.map((t) => t.key));
    return { json: r, csv: () => overviewCsvRows(r) };
  });

  report("channels", z.object({ ...rangeQuery, model: z.string().max(40).optional(), view: z.string().max(40).optional() }), ["channels", "sources"], async (q, range) => {
    const model = parseModel(q.model);
    const view = parseView(q.view);
    const r = await channelsReport(deps.db, range, model, view, channelLookup(await loadChannels(deps.db)));
    return { json: r, csv: (t) => channelsCsvRows(r, t) };
  });

  report("gap", z.object(rangeQuery), ["channels"], async (_q, range) => {
    const r = await gapReport(deps.db, range, channelLookup(await loadChannels(deps.db)));
    return { json: r, csv: () => gapCsvRows(r) };
  });

  report("dark-social", z.object({ ...rangeQuery, interval: z.string().max(10).optional() }), ["series", "sources", "evidence"], async (q, range) => {
    const interval = q.interval ?? "day";
    if (interval !== "day" && interval !== "week") throw new ApiError(400, "bad_request", `Unknown interval "${interval}". Valid intervals: day, week.`);
    const r = await darkSocialReport(deps.db, range, interval, await loadChannels(deps.db));
    return { json: r, csv: (t) => darkSocialCsvRows(r, t) };
  });

  report("links", z.object({ ...rangeQuery, limit: intParam(1, 1000, 100) }), ["links", "campaigns"], async (q, range) => {
    const r = await linksReport(deps.db, range, q.limit);
    return { json: r, csv: (t) => linksCsvRows(r, t) };
  });

  // Conversions page as JSON; as CSV every matching row, streamed in pages.
  const conversionsQuery = z.object({
    ...rangeQuery,
    cursor: z.string().max(200).optional(),
    limit: intParam(1, 500, 50),
    dark: boolParam.optional(),
    channel: z.string().max(40).optional(),
    order: z.string().trim().min(1).max(200).optional(),
  });
  const conversions = async (c: Context<AppEnv>) => {
    const q = queryOr400(c, conversionsQuery);
    const range = parseRange(q, now());
    if (q.channel) {
      const known = (await loadChannels(deps.db)).map((ch) => ch.key);
      if (!known.includes(q.channel)) throw new ApiError(400, "bad_request", `Unknown channel "${q.channel}". Valid channels: ${known.join(", ")}.`);
    }
    const filter = { dark: q.dark, channel: q.channel, order: q.order };
    if (wantsCsv(c)) {
      pickTable(q.table, ["conversions"]);
      const rows = allConversions(deps.db, range, filter);
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(csvLine(CONVERSION_COLUMNS)));
        },
        async pull(controller) {
          const next = await rows.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(csvLine(conversionCsvRow(next.value))));
        },
        async cancel() {
          await rows.return(undefined);
        },
      });
      return c.body(body, 200, csvHeaders("conversions", range));
    }
    const [page, total] = await Promise.all([conversionsPage(deps.db, range, { ...filter, limit: q.limit, cursor: q.cursor }), conversionsTotal(deps.db, range, filter)]);
    return c.json({ range: describeRange(range), total, ...page });
  };
  app.get("/conversions", conversions);
  app.get("/conversions.csv", conversions);

  return app;
}

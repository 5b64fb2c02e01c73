import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { clicks } from "@lantern/db/schema";
import { createTestDb } from "@lantern/db/testing";
import { count } from "drizzle-orm";
import { dropPrefix } from "../test/helpers.ts";
import { LINKS_ENTRY, type Proc, startProcess, WORKER_ENTRY } from "../test/processes.ts";
import { Redis } from "ioredis";
import { treeCpuMs } from "./cpu.ts";
import { combine, type LoadResult, runLoad } from "./load.ts";

/**
 * `pnpm bench` (links part): from one run, the redirect throughput and latency of the links service with
 * recording on (every hit pushed to the event buffer and sent to Redis as BullMQ batches) next to a bare
 * node:http server answering the same 302, their ratio, and, after draining through the worker, the
 * clicks stored against the requests sent, and the CPU time each server spent per request (Linux). Each
 * server runs in its own process; the load generator runs in this one.
 *
 * By default the worker starts after the measured phase: on a small machine it would otherwise take its
 * CPU from the very service being measured, while in production it runs elsewhere or on other cores.
 * BENCH_WORKER_DURING=1 runs it during the load too (the whole pipeline on one machine).
 *
 * Knobs (environment): REDIS_URL, BENCH_DURATION_MS (default 5000), BENCH_CONNECTIONS (default 32),
 * BENCH_WORKER_DURING (default 0).
 */
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const DURATION = Number(process.env.BENCH_DURATION_MS ?? 5_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP = 1_000;
const SLICE = 500;
const WORKER_DURING = process.env.BENCH_WORKER_DURING === "1";
const ADMIN = "lt_bench_admin_key_0123456789abcdef";
const HEADERS = {
  "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  referer: "https://www.google.com/",
};

const procs: Proc[] = [];
const cleanups: Array<() => unknown> = [];

async function main() {
  const loadBefore = loadavg()[0]!;
  const db = await createTestDb();
  cleanups.push(() => db.cleanup());
  const dataDir = mkdtempSync(join(tmpdir(), "lantern-bench-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const prefix = `bench-${Date.now().toString(36)}`;
  cleanups.push(() => dropPrefix(REDIS_URL, prefix));
  const common = { DATABASE_URL: db.url, REDIS_URL, LANTERN_QUEUE_PREFIX: prefix, LINKS_PUBLIC_URL: "https://lnk.test", LANTERN_LOG_LEVEL: "info" };

  const startWorker = async () => procs.push(await startProcess(WORKER_ENTRY, { ...common, WORKER_PORT: "0", WORKER_HOST: "127.0.0.1" }));
  const [links, bare] = await Promise.all([
    startProcess(LINKS_ENTRY, { ...common, LINKS_PORT: "0", LINKS_HOST: "127.0.0.1", LANTERN_DATA_DIR: dataDir, LANTERN_API_KEY: ADMIN }),
    startProcess("apps/links/bench/bare-server.ts", {}),
  ]);
  procs.push(links, bare);
  if (WORKER_DURING) await startWorker();

  const res = await fetch(`http://127.0.0.1:${links.port}/api/links`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify({ url: "https://shop.example/launch?x=1#top", source: "whatsapp", campaign: "launch" }),
  });
  if (res.status !== 201) throw new Error(`could not create the link: ${res.status} ${await res.text()}`);
  const { slug } = (await res.json()) as { slug: string };
  const path = `/${slug}`;

  const load = (port: number, durationMs: number) => runLoad({ port, path, headers: HEADERS, connections: CONNECTIONS, durationMs });
  await load(bare.port, WARMUP);
  const warm = await load(links.port, WARMUP);
  // CPU time of each server (and of Redis, which stores the links service's batches) during its own
  // slices: CPU per request is a property of the code, while req/s and their ratio move with whatever
  // else runs on the machine (the ratio went up under heavy load, the bare server losing more).
  const redisPid = await localRedisPid();
  const cpu = { bare: 0, links: 0, redis: 0 };
  const measured = async (port: number, pid: number | undefined, key: "bare" | "links") => {
    const before = [treeCpuMs(pid), treeCpuMs(redisPid)];
    const result = await load(port, SLICE);
    const after = [treeCpuMs(pid), treeCpuMs(redisPid)];
    cpu[key] += (after[0] ?? 0) - (before[0] ?? 0);
    if (key === "links") cpu.redis += (after[1] ?? 0) - (before[1] ?? 0);
    return result;
  };
  // Alternating slices: both servers see the same background load on average, so the ratio holds
  // even on a busy machine where one long run after the other would catch different conditions.
  const bareRuns: LoadResult[] = [];
  const linksRuns: LoadResult[] = [];
  for (let slice = 0; slice < DURATION / SLICE; slice++) {
    bareRuns.push(await measured(bare.port, bare.child.pid, "bare"));
    linksRuns.push(await measured(links.port, links.child.pid, "links"));
  }
  const bareResult = combine(bareRuns);
  const linksResult = combine(linksRuns);

  if (!WORKER_DURING) await startWorker();
  // Every 302 of the links service is a human click the worker must store.
  const sent = (warm.statuses[302] ?? 0) + (linksResult.statuses[302] ?? 0);
  const stored = async () => (await db.db.select({ n: count() }).from(clicks))[0]!.n;
  const drainStarted = Date.now();
  let n = await stored();
  while (n < sent && Date.now() - drainStarted < 180_000) {
    await new Promise((r) => setTimeout(r, 250));
    n = await stored();
  }
  const drainMs = Date.now() - drainStarted;

  const row = (name: string, r: LoadResult) =>
    `| ${name} | ${r.requests} | ${Math.round(r.rps)} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.errors + Object.entries(r.statuses).filter(([s]) => s !== "302").reduce((a, [, c]) => a + c, 0)} |`;
  const ratio = linksResult.rps / bareResult.rps;
  const cpuModel = cpus();
  const perRequest = (ms: number, r: LoadResult) => `${((ms * 1000) / r.requests).toFixed(1)} µs`;
  const cpuLine =
    treeCpuMs(process.pid) === null
      ? ""
      : `- CPU per request (user + system, during each server's own slices): links **${perRequest(cpu.links, linksResult)}**, bare ${perRequest(cpu.bare, bareResult)}${redisPid === undefined ? "" : `, Redis while serving links ${perRequest(cpu.redis, linksResult)}`}\n`;
  // The run itself keeps about two cores busy, so the load average at its end says little about others' load.
  const loadLine = `- load average (1 min): ${loadBefore.toFixed(2)} before the run, ${loadavg()[0]!.toFixed(2)} at its end\n`;
  const section = `
### Redirect benchmark (${new Date().toISOString().slice(0, 10)}, ${cpuModel.length} × ${cpuModel[0]?.model.trim() ?? "cpu"}, Node ${process.version})

${CONNECTIONS} keep-alive connections, ${DURATION / 1000} s per server in alternating ${SLICE} ms slices after a ${WARMUP / 1000} s warm-up, load generator, servers and Redis on one machine; ${WORKER_DURING ? "the worker ingesting during the load too" : "the worker started after the measured phase, to drain"}.

| server | requests | req/s | p50 ms | p99 ms | non-302 |
|---|---:|---:|---:|---:|---:|
${row("bare node:http 302", bareResult)}
${row("links, recording on", linksResult)}

- ratio links / bare: **${ratio.toFixed(2)}** (goal ≥ 0.5) ${ratio >= 0.5 ? "✅" : "❌"}
- clicks stored / requests sent (after ${(drainMs / 1000).toFixed(1)} s of draining, worker start included): **${n} / ${sent}** ${n === sent ? "✅ nothing lost" : `❌ ${sent - n} missing`}
${cpuLine}${loadLine}`;
  console.log(section);
  // scripts/bench.ts collects each benchmark's section from BENCH_OUT into docs/benchmarks.md.
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, section.trim());
  process.exitCode = ratio >= 0.5 && n === sent ? 0 : 1;
}

/** The pid of Redis when it runs on this machine (its CPU is part of what recording costs). */
async function localRedisPid(): Promise<number | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const pid = Number(/process_id:(\d+)/.exec(await redis.info("server"))?.[1]);
    const comm = Number.isFinite(pid) ? readFileSync(`/proc/${pid}/comm`, "utf8") : "";
    return comm.startsWith("redis") ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

async function shutdown() {
  await Promise.all(procs.map((p) => p.stop()));
  for (const c of cleanups.reverse()) await c();
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(shutdown);

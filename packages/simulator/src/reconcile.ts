import { randomBytes } from "node:crypto";
import { RECONCILE_QUEUE } from "@lantern/queue";
import { Queue } from "bullmq";
import { Redis } from "ioredis";

/**
 * Asks the worker to reconcile now and waits for the run: through the admin server's
 * POST /api/reconcile when it is reachable (what "reconcile now" in the UI does), else by putting the
 * same job on RECONCILE_QUEUE directly.
 */

export interface ReconcileRequest {
  mode?: "incremental" | "full";
  adminUrl?: string;
  apiKey?: string;
  redisUrl?: string;
  prefix?: string;
  timeoutMs?: number;
}

export interface ReconcileOutcome {
  via: "admin" | "queue";
  jobId: string;
  state: string;
  result: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function viaAdmin(adminUrl: string, apiKey: string, mode: string, timeoutMs: number): Promise<ReconcileOutcome> {
  const base = adminUrl.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const res = await fetch(`${base}/api/reconcile`, { method: "POST", headers, body: JSON.stringify({ mode }) });
  if (res.status !== 202) throw new Error(`POST ${base}/api/reconcile answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const { jobId } = (await res.json()) as { jobId: string };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const poll = await fetch(`${base}/api/reconcile/${encodeURIComponent(jobId)}`, { headers });
    if (poll.ok) {
      const job = (await poll.json()) as { state: string; result: unknown; failedReason: string | null };
      if (job.state === "completed") return { via: "admin", jobId, state: job.state, result: job.result };
      if (job.state === "failed") throw new Error(`reconcile job ${jobId} failed: ${job.failedReason}`);
    }
    if (Date.now() > deadline) throw new Error(`reconcile job ${jobId} did not finish within ${timeoutMs} ms`);
    await sleep(300);
  }
}

async function viaQueue(redisUrl: string, prefix: string, mode: string, timeoutMs: number): Promise<ReconcileOutcome> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  connection.on("error", () => {});
  const queue = new Queue(RECONCILE_QUEUE, { connection, prefix });
  queue.on("error", () => {});
  try {
    const jobId = `manual-sim-${randomBytes(6).toString("hex")}`;
    await queue.add("reconcile", { mode, reason: "manual" }, { jobId, attempts: 3, removeOnComplete: { count: 1000, age: 86_400 } });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await queue.getJob(jobId);
      const state = job ? await job.getState() : "unknown";
      if (state === "completed") return { via: "queue", jobId, state, result: job?.returnvalue ?? null };
      if (state === "failed") throw new Error(`reconcile job ${jobId} failed: ${job?.failedReason}`);
      if (Date.now() > deadline) throw new Error(`reconcile job ${jobId} did not finish within ${timeoutMs} ms: is the worker running on prefix "${prefix}"?`);
      await sleep(300);
    }
  } finally {
    await queue.close().catch(() => {});
    connection.disconnect();
  }
}

export async function reconcileNow(req: ReconcileRequest): Promise<ReconcileOutcome> {
  const mode = req.mode ?? "full";
  const timeoutMs = req.timeoutMs ?? 120_000;
  let adminError: Error | null = null;
  if (req.adminUrl && req.apiKey) {
    try {
      return await viaAdmin(req.adminUrl, req.apiKey, mode, timeoutMs);
    } catch (err) {
      adminError = err as Error;
      if (!req.redisUrl) throw err;
    }
  }
  if (!req.redisUrl) throw new Error("reconcileNow needs the admin server (adminUrl + apiKey) or Redis (redisUrl)");
  try {
    return await viaQueue(req.redisUrl, req.prefix ?? "lantern", mode, timeoutMs);
  } catch (err) {
    throw adminError ? new Error(`${adminError.message}; and through the queue: ${(err as Error).message}`) : err;
  }
}

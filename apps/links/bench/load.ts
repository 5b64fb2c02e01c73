import { connect, type Socket } from "node:net";

/**
 * A small closed-loop HTTP/1.1 load generator on raw keep-alive sockets: each connection sends a
 * request, reads the whole response, records the latency, sends the next. Parsing is minimal (status
 * line, Content-Length or chunked end), so the generator costs far less CPU than the servers it drives,
 * which keeps the ratio between two servers meaningful on a small machine. 127.0.0.1 only.
 */

export interface LoadOptions {
  port: number;
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Stop after this many requests even if time is left. */
  maxRequests?: number;
}

export interface LoadResult {
  /** Latency of every request, in ms, sorted. */
  latencies: Float64Array;
  requests: number;
  durationMs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<number, number>;
  errors: number;
}

const CRLF2 = Buffer.from("\r\n\r\n");
const CHUNK_END = Buffer.from("0\r\n\r\n");

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const head = Object.entries({ host: `127.0.0.1:${options.port}`, connection: "keep-alive", ...options.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const request = Buffer.from(`GET ${options.path} HTTP/1.1\r\n${head}\r\n`);
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const runConnection = () =>
    new Promise<void>((resolve) => {
      const socket: Socket = connect({ host: "127.0.0.1", port: options.port, noDelay: true });
      let buf = Buffer.alloc(0);
      let t0 = 0;
      const next = () => {
        if (performance.now() >= deadline || sent >= maxRequests) {
          socket.end();
          return resolve();
        }
        sent += 1;
        t0 = performance.now();
        socket.write(request);
      };
      socket.on("connect", next);
      socket.on("error", () => {
        errors += 1;
        resolve();
      });
      socket.on("close", () => resolve());
      socket.on("data", (chunk) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const end = buf.indexOf(CRLF2);
          if (end < 0) return;
          const header = buf.toString("latin1", 0, end);
          const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(header);
          let total: number;
          if (lengthMatch) total = end + 4 + Number(lengthMatch[1]);
          else if (/\r\ntransfer-encoding:\s*chunked/i.test(header)) {
            const chunkEnd = buf.indexOf(CHUNK_END, end + 4);
            if (chunkEnd < 0) return;
            total = chunkEnd + CHUNK_END.length;
          } else total = end + 4;
          if (buf.length < total) return;
          const status = Number(header.slice(9, 12));
          statuses[status] = (statuses[status] ?? 0) + 1;
          latencies.push(performance.now() - t0);
          buf = buf.subarray(total);
          next();
        }
      });
    });

  return Promise.all(Array.from({ length: options.connections }, runConnection)).then(() => {
    const durationMs = performance.now() - started;
    const sorted = Float64Array.from(latencies).sort();
    return {
      latencies: sorted,
      requests: latencies.length,
      durationMs,
      rps: (latencies.length / durationMs) * 1000,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      statuses,
      errors,
    };
  });
}

/** One result out of several runs against the same server (interleaved slices of one measurement). */
export function combine(results: LoadResult[]): LoadResult {
  const all = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
  let at = 0;
  for (const r of results) {
    all.set(r.latencies, at);
    at += r.latencies.length;
  }
  all.sort();
  const durationMs = results.reduce((t, r) => t + r.durationMs, 0);
  const statuses: Record<number, number> = {};
  for (const r of results) for (const [s, n] of Object.entries(r.statuses)) statuses[Number(s)] = (statuses[Number(s)] ?? 0) + n;
  return {
    latencies: all,
    requests: all.length,
    durationMs,
    rps: (all.length / durationMs) * 1000,
    p50Ms: percentile(all, 50),
    p99Ms: percentile(all, 99),
    statuses,
    errors: results.reduce((n, r) => n + r.errors, 0),
  };
}

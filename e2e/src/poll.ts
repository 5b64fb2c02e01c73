/**
 * Waiting for the system to get somewhere, never for a fixed time: the services, the queue and the
 * worker are asynchronous, and a loaded 2-core machine may be ten times slower than a laptop.
 */

export interface WaitOptions {
  /** What we wait for, for the error message. */
  what: string;
  /** Default 120 s: generous on purpose; a passing run returns as soon as the condition holds. */
  timeoutMs?: number;
  /** Default 200 ms. */
  intervalMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls `probe` until it returns something other than undefined/false, and returns that. A probe that
 * throws counts as "not yet" (a service still starting), unless the error has `fatal: true` (give up at
 * once: the process we wait for has exited); the last error or value is in the timeout message.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const interval = options.intervalMs ?? 200;
  let last: unknown = "never probed";
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
      last = value;
    } catch (err) {
      if ((err as { fatal?: boolean })?.fatal) throw err;
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${options.timeoutMs ?? 120_000} ms waiting for ${options.what} (last: ${typeof last === "string" ? last : JSON.stringify(last)})`);
    }
    await sleep(interval);
  }
}

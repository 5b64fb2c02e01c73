/**
 * The start and stop of a service process, the same for links, surveys, the worker and the admin server.
 */

interface ServiceLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ShutdownOptions {
  log: ServiceLog;
  /** How long `stop` may take before the process exits with 1 anyway (something hangs, e.g. Redis gone). */
  graceMs: number;
  /** Logged when the grace period runs out: what is lost, or not, by exiting now. */
  tooLong?: string;
}

/**
 * On SIGINT or SIGTERM (the first one; a second signal is ignored): logs it, runs `stop` (close the
 * server, flush, disconnect), logs "stopped" and exits 0; exits 1 if `stop` outlasts the grace period.
 */
export function onShutdownSignal(options: ShutdownOptions, stop: () => Promise<void>): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    options.log.info({ signal }, "shutting down");
    setTimeout(() => {
      options.log.error({}, options.tooLong ?? "shutdown took too long; exiting");
      process.exit(1);
    }, options.graceMs).unref();
    await stop();
    options.log.info({}, "stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/**
 * Runs a service's `main`; if it fails to start, writes one JSON log line to stderr (the logger may not
 * exist yet, e.g. with a bad configuration) and exits 1.
 */
export function runService(service: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`${JSON.stringify({ level: 60, service, msg: `${service} failed to start`, err: detail })}\n`);
    process.exit(1);
  });
}

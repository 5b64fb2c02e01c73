/**
 * One write transaction per database at a time in this process. The libSQL client keeps a pool of
 * connections and its embedded calls are synchronous, so two transactions opened at once in one process
 * cannot wait for each other: the second fails at once with SQLITE_BUSY. Every writer in a process
 * (ingestion, reconciliation) queues its transactions here instead. Other processes are handled by
 * SQLite's own lock and the callers' retries.
 */
const queues = new WeakMap<object, Promise<unknown>>();

export function serialiseWrites<T>(db: object, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(db) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  queues.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}

import type { Db } from "@lantern/db";

type Client = Db["$client"];
type Execute = Client["execute"];

export interface StatementTime {
  sql: string;
  calls: number;
  ms: number;
}

/**
 * Times every statement that goes through a libSQL client and the transactions it opens (wall time
 * of each `execute` and `commit`), so a benchmark can say which query its time went to. The cost is
 * one clock read per statement.
 */
export function timeStatements(client: Client) {
  const times = new Map<string, StatementTime>();
  const record = (sql: string, ms: number) => {
    const key = sql.replace(/\s+/g, " ").trim();
    const t = times.get(key) ?? { sql: key, calls: 0, ms: 0 };
    t.calls++;
    t.ms += ms;
    times.set(key, t);
  };
  const wrap = (execute: Execute): Execute =>
    (async (stmt: string | { sql: string }, args?: unknown) => {
      const t0 = performance.now();
      try {
        return await execute(stmt as never, args as never);
      } finally {
        record(typeof stmt === "string" ? stmt : stmt.sql, performance.now() - t0);
      }
    }) as Execute;

  const target = client as unknown as { execute: Execute; transaction: Client["transaction"] };
  target.execute = wrap(client.execute.bind(client));
  const transaction = client.transaction.bind(client);
  target.transaction = (async (mode?: "write" | "read" | "deferred") => {
    const tx = await transaction(mode);
    const t = tx as unknown as { execute: Execute; commit: () => Promise<void> };
    t.execute = wrap(tx.execute.bind(tx));
    const commit = tx.commit.bind(tx);
    t.commit = async () => {
      const t0 = performance.now();
      try {
        await commit();
      } finally {
        record("COMMIT", performance.now() - t0);
      }
    };
    return tx;
  }) as Client["transaction"];

  return {
    reset: () => times.clear(),
    /** The statements that took the most time in all, largest first. */
    top: (n: number): StatementTime[] => [...times.values()].sort((a, b) => b.ms - a.ms).slice(0, n),
  };
}

import { hash, randomBytes } from "node:crypto";
import { lt } from "drizzle-orm";
import type { Db } from "@lantern/db";
import { salts } from "@lantern/db/schema";

/**
 * Visitor hashes without storing IPs: sha256(daily salt + ip + user agent). The salt of each UTC day
 * lives in the `salts` table so every instance hashes alike; instances agree on it by insert-or-ignore
 * (the first writer wins, everyone then reads the winner). Salts of past days are deleted, so
 * yesterday's hashes cannot be recomputed from an IP.
 *
 * The request path never waits: salts are loaded in the background (today's and tomorrow's, so midnight
 * needs no round trip). If none is loaded for the current day (database away for a day), `visitorHash`
 * answers null rather than inventing a salt other instances would not share.
 */

export interface PrivacySignals {
  /** The DNT request header. */
  dnt?: string | null;
  /** The Sec-GPC request header. */
  gpc?: string | null;
}

export interface VisitorHasher {
  /** Loads the salts once; call (and await) at start-up. Later refreshes run in the background. */
  start(): Promise<void>;
  /** null when the visitor asked not to be tracked (and the instance honours it) or no salt is loaded. */
  visitorHash(ip: string, userAgent: string, signals?: PrivacySignals): string | null;
  close(): void;
}

export interface VisitorHasherOptions {
  db: Db;
  /** LANTERN_HONOR_DNT */
  honorDnt: boolean;
  now?: () => number;
  /** How often salts are refreshed. Default one minute. */
  refreshMs?: number;
  onError?: (err: unknown) => void;
}

/** True when the request carries `DNT: 1` or `Sec-GPC: 1`. */
export function asksNotToTrack(signals: PrivacySignals = {}): boolean {
  return signals.dnt?.trim() === "1" || signals.gpc?.trim() === "1";
}

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const DAY_MS = 86_400_000;

/** The salt in force from `from` (a UTC midnight) until `until`, with the separator already appended. */
interface SaltOfDay {
  from: number;
  until: number;
  prefix: string;
}

export function createVisitorHasher(options: VisitorHasherOptions): VisitorHasher {
  const now = options.now ?? Date.now;
  const refreshMs = options.refreshMs ?? 60_000;
  const loaded = new Map<string, string>();
  // The redirect calls visitorHash on every click: the day's salt is looked up once per day, not once
  // per call (formatting a date per click was a visible share of the redirect's CPU).
  let current: SaltOfDay | null = null;
  let timer: NodeJS.Timeout | null = null;
  let refreshing: Promise<void> | null = null;

  const refresh = async () => {
    const today = utcDay(now());
    const tomorrow = utcDay(now() + DAY_MS);
    const db = options.db;
    await db
      .insert(salts)
      .values([today, tomorrow].map((day) => ({ day, salt: randomBytes(32).toString("base64url") })))
      .onConflictDoNothing();
    await db.delete(salts).where(lt(salts.day, today));
    const rows = await db.select().from(salts);
    loaded.clear();
    for (const row of rows) if (row.day >= today) loaded.set(row.day, row.salt);
    current = null;
  };

  const saltAt = (ms: number): SaltOfDay | null => {
    if (current && ms >= current.from && ms < current.until) return current;
    const salt = loaded.get(utcDay(ms));
    if (!salt) return null;
    const from = ms - (ms % DAY_MS);
    current = { from, until: from + DAY_MS, prefix: `${salt}\n` };
    return current;
  };

  const refreshInBackground = () => {
    if (refreshing) return; // one refresh at a time
    refreshing = refresh()
      .catch((err) => options.onError?.(err))
      .finally(() => {
        refreshing = null;
      });
  };

  return {
    async start() {
      await refresh();
      timer = setInterval(refreshInBackground, refreshMs);
      timer.unref();
    },

    visitorHash(ip, userAgent, signals) {
      if (options.honorDnt && asksNotToTrack(signals)) return null;
      const salt = saltAt(now());
      if (!salt) {
        refreshInBackground();
        return null;
      }
      // Separators keep ("1.2.3.4", "5x") and ("1.2.3.45", "x") apart. One-shot hash of the joined
      // string: the same digest as updating a Hash piece by piece, without a Hash object per click.
      return hash("sha256", `${salt.prefix}${ip}\n${userAgent}`, "hex");
    },

    close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

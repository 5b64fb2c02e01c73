import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * The disk side of the event buffer: an append-only file of JSON lines (one event batch per line)
 * written while Redis is unreachable, and read back in order when it returns.
 *
 * File names carry their owner so several processes can share one folder:
 *   <producer>.<host>.<pid>.<instance>.live.jsonl                  appended to while Redis is away
 *   <producer>.<host>.<pid>.<instance>.<stamp>.replay.jsonl        being replayed (renamed from live, or claimed)
 *   <replay file>.offset                                           how far the replay got (an optimisation:
 *                                                                  losing it only re-sends batches, which BullMQ
 *                                                                  and the worker deduplicate by id)
 * A file whose owner is gone (same host: its pid is dead, or this process closed that instance; any host:
 * no heartbeat for `orphanAfterMs`) is claimed by renaming it to one of our own replay files. rename() is
 * atomic, so of two processes racing for an orphan exactly one wins.
 */

export interface SpoolChunk {
  file: string;
  lines: string[];
  endOffset: number;
  /** True when the chunk reaches the end of the file: committing it deletes the file. */
  eof: boolean;
}

export interface SpoolStats {
  files: number;
  bytes: number;
}

export interface Spool {
  readonly dir: string;
  /** Appends one line and fsyncs it. Synchronous on purpose: it only runs while Redis is away, and keeps lines whole and ordered. */
  append(line: string): void;
  hasBacklog(): boolean;
  /** Renames orphaned files of dead owners into our own replay files; returns how many were claimed. */
  claimOrphans(): number;
  /** The next lines to replay, oldest first (rotating the live file when no replay file is left). */
  next(maxBytes?: number): SpoolChunk | null;
  /** Records that a chunk was delivered. */
  commit(chunk: SpoolChunk): void;
  /** Touches our files so that other hosts do not take them for orphans. */
  heartbeat(): void;
  stats(): SpoolStats;
  /** Gives up ownership: after this, other instances (even in this process) may claim our files. */
  release(): void;
}

export interface SpoolOptions {
  dir: string;
  producer: string;
  /** Files of another host are orphans after this long without a heartbeat. Default 10 minutes. */
  orphanAfterMs?: number;
  onWarning?: (message: string, data?: Record<string, unknown>) => void;
}

const NAME = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.(\d+)\.([A-Za-z0-9_-]+)\.(live|\d{15}-\d{6}\.replay)\.jsonl$/;

/** Instances alive in this process: their files are not orphans even though the pid is ours. */
const activeInstances = new Set<string>();

/** Per owner, its replay files (by stamp) before its live file, which holds the newest lines. */
const orderKey = (m: RegExpExecArray) => `${m[1]}.${m[2]}.${m[3]}.${m[4]}.${m[5] === "live" ? "~" : m[5]}`;

const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64) || "x";

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function createSpool(options: SpoolOptions): Spool {
  const dir = options.dir;
  mkdirSync(dir, { recursive: true });
  const producer = safe(options.producer);
  const host = safe(hostname());
  const pid = process.pid;
  const instance = randomBytes(6).toString("hex");
  const orphanAfterMs = options.orphanAfterMs ?? 10 * 60_000;
  const owner = `${producer}.${host}.${pid}.${instance}`;
  const livePath = join(dir, `${owner}.live.jsonl`);
  activeInstances.add(instance);

  let liveFd: number | null = null;
  let liveBytes = 0;
  let released = false;
  /** Our replay files, oldest first (names sort chronologically by their stamp). */
  const replayFiles: string[] = [];
  let seq = 0;

  const newReplayPath = () => {
    seq = (seq + 1) % 1_000_000;
    const stamp = `${String(Date.now()).padStart(15, "0")}-${String(seq).padStart(6, "0")}`;
    return join(dir, `${owner}.${stamp}.replay.jsonl`);
  };

  const closeLive = () => {
    if (liveFd !== null) closeSync(liveFd);
    liveFd = null;
  };

  const readOffset = (file: string): number => {
    try {
      const n = Number(readFileSync(`${file}.offset`, "utf8"));
      return Number.isSafeInteger(n) && n > 0 ? n : 0;
    } catch {
      return 0;
    }
  };

  const removeFile = (file: string) => {
    for (const f of [file, `${file}.offset`]) {
      try {
        unlinkSync(f);
      } catch {
        // already gone
      }
    }
  };

  const isOrphan = (name: string, m: RegExpExecArray): boolean => {
    const [, , fileHost, filePid, fileInstance] = m;
    if (fileInstance === instance) return false;
    if (fileHost === host) {
      if (Number(filePid) === pid) return !activeInstances.has(fileInstance!);
      return !pidAlive(Number(filePid));
    }
    try {
      return Date.now() - statSync(join(dir, name)).mtimeMs > orphanAfterMs;
    } catch {
      return false;
    }
  };

  const spool: Spool = {
    dir,
    append(line) {
      if (liveFd === null) {
        liveFd = openSync(livePath, "a");
        liveBytes = fstatSync(liveFd).size;
      }
      const data = Buffer.from(`${line}\n`);
      let written = 0;
      while (written < data.length) written += writeSync(liveFd, data, written, data.length - written);
      fsyncSync(liveFd);
      liveBytes += data.length;
      // Once released, another instance may claim the file at any time: do not keep writing through an old handle.
      if (released) closeLive();
    },

    hasBacklog() {
      return replayFiles.length > 0 || liveBytes > 0;
    },

    claimOrphans() {
      let claimed = 0;
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return 0;
      }
      // Orphans are claimed oldest first so that, within one dead owner, replay order is kept.
      const candidates = names
        .map((name) => ({ name, m: NAME.exec(name) }))
        .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null && isOrphan(x.name, x.m))
        .sort((a, b) => (orderKey(a.m) < orderKey(b.m) ? -1 : 1));
      for (const { name } of candidates) {
        const from = join(dir, name);
        const to = newReplayPath();
        try {
          renameSync(from, to);
        } catch {
          continue; // another process claimed it first
        }
        if (existsSync(`${from}.offset`)) {
          try {
            renameSync(`${from}.offset`, `${to}.offset`);
          } catch {
            // without its offset the file is replayed from the start: duplicates are dropped downstream
          }
        }
        replayFiles.push(to);
        claimed += 1;
        options.onWarning?.("claimed an orphaned spool file", { from: name });
      }
      // Offsets left behind by a crash between the two renames.
      for (const name of names) {
        if (name.endsWith(".jsonl.offset") && !existsSync(join(dir, name.slice(0, -".offset".length)))) removeFile(join(dir, name));
      }
      return claimed;
    },

    next(maxBytes = 4 * 1024 * 1024) {
      if (replayFiles.length === 0) {
        if (liveBytes === 0) return null;
        closeLive();
        const to = newReplayPath();
        renameSync(livePath, to);
        liveBytes = 0;
        replayFiles.push(to);
      }
      const file = replayFiles[0]!;
      let fd: number;
      try {
        fd = openSync(file, "r");
      } catch {
        replayFiles.shift();
        return spool.next(maxBytes);
      }
      try {
        const size = fstatSync(fd).size;
        const offset = readOffset(file);
        let want = Math.max(1024, maxBytes);
        for (;;) {
          const len = Math.min(size - offset, want);
          if (len <= 0) return { file, lines: [], endOffset: offset, eof: true };
          const buf = Buffer.allocUnsafe(len);
          let got = 0;
          while (got < len) {
            const n = readSync(fd, buf, got, len - got, offset + got);
            if (n === 0) break;
            got += n;
          }
          const lastNl = buf.lastIndexOf(10, got - 1);
          if (lastNl < 0) {
            if (offset + got >= size) {
              // A torn last line: the process died in the middle of a write that was never acknowledged.
              options.onWarning?.("dropping a torn line at the end of a spool file", { file, bytes: got });
              return { file, lines: [], endOffset: size, eof: true };
            }
            want *= 2; // one line longer than the chunk: read more
            continue;
          }
          const lines = buf.toString("utf8", 0, lastNl).split("\n").filter((l) => l.length > 0);
          const endOffset = offset + lastNl + 1;
          return { file, lines, endOffset, eof: endOffset >= size };
        }
      } finally {
        closeSync(fd);
      }
    },

    commit(chunk) {
      if (chunk.eof) {
        removeFile(chunk.file);
        const i = replayFiles.indexOf(chunk.file);
        if (i >= 0) replayFiles.splice(i, 1);
      } else {
        writeFileSync(`${chunk.file}.offset`, String(chunk.endOffset));
      }
    },

    heartbeat() {
      const now = new Date();
      for (const f of [livePath, ...replayFiles]) {
        try {
          utimesSync(f, now, now);
        } catch {
          // not there (yet)
        }
      }
    },

    stats() {
      let bytes = liveBytes;
      for (const f of replayFiles) {
        try {
          bytes += statSync(f).size - readOffset(f);
        } catch {
          // removed meanwhile
        }
      }
      return { files: replayFiles.length + (liveBytes > 0 ? 1 : 0), bytes };
    },

    release() {
      released = true;
      closeLive();
      activeInstances.delete(instance);
    },
  };
  return spool;
}

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RULESET_VERSION } from "@lantern/core";
import { DATASET_VERSION, type DatasetSize } from "./dataset.ts";

/**
 * The reconciled data set that the reconcile benchmark leaves for the reports benchmark (`pnpm bench`
 * runs them one after the other), so the second one does not spend minutes building it again. One
 * fixed place, overwritten by every reconcile run and removed by the reports run that used it; the
 * description file says what it holds, so a stale or different one is never used.
 */
export const SHARED_DIR = join(tmpdir(), "lantern-bench-dataset");
export const SHARED_DB = join(SHARED_DIR, "reconciled.db");
const META = join(SHARED_DIR, "reconciled.json");

export interface SharedMeta {
  dataset: string;
  ruleset: string;
  migrations: string[];
  size: DatasetSize;
  start: number;
  end: number;
  rows: Record<string, number>;
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../../packages/db/drizzle", import.meta.url));
const migrations = () => readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql")).sort();

export function describe(size: DatasetSize, start: number, end: number, rows: Record<string, number>): SharedMeta {
  return { dataset: DATASET_VERSION, ruleset: RULESET_VERSION, migrations: migrations(), size, start, end, rows };
}

/** Starts a new shared data set: whatever was there goes. */
export function resetShared(): void {
  rmSync(SHARED_DIR, { recursive: true, force: true });
  mkdirSync(SHARED_DIR, { recursive: true });
}

export function publishShared(meta: SharedMeta): void {
  writeFileSync(META, JSON.stringify(meta, null, 2));
}

/** The shared data set when it was built with this size, generator, rules and schema, else null. */
export function findShared(size: DatasetSize): SharedMeta | null {
  if (!existsSync(META) || !existsSync(SHARED_DB)) return null;
  const meta = JSON.parse(readFileSync(META, "utf8")) as SharedMeta;
  const want = describe(size, meta.start, meta.end, meta.rows);
  return JSON.stringify(meta) === JSON.stringify(want) ? meta : null;
}

export function removeShared(): void {
  rmSync(SHARED_DIR, { recursive: true, force: true });
}

/**
 * The generated, not yet reconciled data set, kept when BENCH_REUSE_DATASET=1 so that comparing two
 * versions of the reconciler (one run each, interleaved) does not spend a minute building the same
 * rows every time. Keyed by size, generator and UTC day (the data ends at today's midnight); not by the
 * migrations: the bench migrates the copy it uses, so a schema change is applied to the same rows.
 */
const BUILT_DIR = join(tmpdir(), "lantern-bench-built");
const BUILT_DB = join(BUILT_DIR, "built.db");
const BUILT_META = join(BUILT_DIR, "built.json");

const builtKey = (size: DatasetSize) => JSON.stringify({ dataset: DATASET_VERSION, size, day: Math.floor(Date.now() / 86_400_000) });

/** Copies the kept data set to `to` and returns what built it, or null when there is none for this size today. */
export function reuseBuilt<T>(size: DatasetSize, to: string): T | null {
  if (!existsSync(BUILT_META) || !existsSync(BUILT_DB)) return null;
  const meta = JSON.parse(readFileSync(BUILT_META, "utf8")) as { key: string; result: T };
  if (meta.key !== builtKey(size)) return null;
  copyFileSync(BUILT_DB, to);
  return meta.result;
}

/** Keeps a copy of the freshly built (checkpointed, closed) data set at `from`. */
export function keepBuilt(size: DatasetSize, from: string, result: unknown): void {
  rmSync(BUILT_DIR, { recursive: true, force: true });
  mkdirSync(BUILT_DIR, { recursive: true });
  copyFileSync(from, BUILT_DB);
  writeFileSync(BUILT_META, JSON.stringify({ key: builtKey(size), result }));
}

// `pnpm bench`: runs every benchmark in one go and writes docs/benchmarks.md with the machine it ran on.
// Each benchmark is a script that prints its own figures and writes a markdown section to the file
// named by BENCH_OUT. Benchmarks print ratios against a baseline measured in the same run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv.slice(2);

const benches = [
  { name: "redirect", title: "Redirect throughput (links service vs bare node:http)", file: "apps/links/bench/redirect.bench.ts" },
  { name: "reconcile", title: "Reconciliation at scale", file: "apps/worker/bench/reconcile.bench.ts" },
  { name: "reports", title: "Reports API latency at scale", file: "apps/admin/bench/reports.bench.ts" },
].filter((b) => existsSync(join(ROOT, b.file)) && (only.length === 0 || only.includes(b.name)));

// Each benchmark's latest section is kept in docs/bench-results/<name>.md, so `pnpm bench redirect`
// refreshes one section and docs/benchmarks.md is always assembled from the latest of each.
const RESULTS = join(ROOT, "docs/bench-results");
mkdirSync(RESULTS, { recursive: true });
let failed = false;
for (const b of benches) {
  const out = join(mkdtempSync(join(tmpdir(), "lantern-bench-")), "section.md");
  console.log(`\n=== ${b.title} (${b.file}) ===`);
  const r = spawnSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, b.file)], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, BENCH_OUT: out },
    timeout: 20 * 60_000,
  });
  if (r.status !== 0) failed = true;
  const body = existsSync(out) ? readFileSync(out, "utf8").trim() : `_The benchmark did not finish (exit ${r.status ?? r.signal})._`;
  const machineLine = `_Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine()}._`;
  // Hand-written context (what changed, earlier runs) lives beside the results and survives a re-run.
  const notesFile = join(RESULTS, `${b.name}.notes.md`);
  const notes = existsSync(notesFile) ? `\n${readFileSync(notesFile, "utf8").trim()}\n` : "";
  writeFileSync(join(RESULTS, `${b.name}.md`), `## ${b.title}\n\nSource: \`${b.file}\`\n\n${machineLine}\n\n${body}\n${notes}`);
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} GiB free), load average ${loadavg()[0]!.toFixed(1)} at the end, Node ${process.version}`;
}

const ALL = ["redirect", "reconcile", "reports"];
const sections = ALL.filter((n) => existsSync(join(RESULTS, `${n}.md`))).map((n) => readFileSync(join(RESULTS, `${n}.md`), "utf8"));

const doc = `# Benchmarks

Written by \`pnpm bench\` (\`pnpm bench <name>\` refreshes one section: ${ALL.join(", ")}). Each section
names the machine and time it was measured on.

Every figure comes from one run, and each comparison is a ratio against a baseline measured in that
same run, so the ratios travel between machines better than the absolute numbers do.

${sections.join("\n")}`;
writeFileSync(join(ROOT, "docs/benchmarks.md"), doc);
process.exit(failed ? 1 : 0);

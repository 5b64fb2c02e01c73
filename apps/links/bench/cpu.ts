import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time (user + system, in ms) a process and its descendants have used so far, from /proc. The
 * services run under tsx, whose CLI process spawns the real node process: summing the tree counts
 * the server however it was started. Linux only; elsewhere (no /proc) it answers null.
 *
 * Why it is in the bench: the throughput ratio moves with whatever else runs on the machine (it went
 * up under heavy load, as the bare server lost more than the links service), while CPU time per
 * request is a property of the code.
 */
const TICK_MS = 10; // USER_HZ is 100 on every Linux that node supports

function ticksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const list = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    if (list) for (const c of list.split(" ")) out.push(Number(c));
  }
  return out;
}

export function treeCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    let ticks = 0;
    const stack = [pid];
    while (stack.length > 0) {
      const p = stack.pop()!;
      try {
        ticks += ticksOf(p);
        stack.push(...childrenOf(p));
      } catch {
        // exited meanwhile
      }
    }
    return ticks * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * CPU (user + system) used so far by processes and all their descendants, from /proc (Linux): the benches' measure
 * of what a run cost the machine, server processes included, which does not move with the neighbours' load as wall
 * time does. Undefined where there is no /proc.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

const ticksPerSecond = 100;

export function processTreeCpuMilliseconds(roots: readonly number[]): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  const processes = new Map<number, { parent: number; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces, in parentheses): state, ppid, … utime (14), stime (15).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      processes.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // The process ended while we read.
    }
  }
  const wanted = new Set(roots);
  let ticks = 0;
  for (const [pid, { ticks: own }] of processes) {
    for (let ancestor: number | undefined = pid; ancestor !== undefined && ancestor > 0; ancestor = processes.get(ancestor)?.parent) {
      if (wanted.has(ancestor)) {
        ticks += own;
        break;
      }
    }
  }
  return (ticks * 1000) / ticksPerSecond;
}

/** The postmaster of the PostgreSQL server listening on `port` (its command line holds `-p <port>`), from /proc. */
export function postmasterPid(port: string): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (commandLine[0]?.endsWith("/postgres") && commandLine.join(" ").includes(`-p ${port} `)) return Number(entry);
    } catch {
      // The process ended while we read.
    }
  }
  return undefined;
}

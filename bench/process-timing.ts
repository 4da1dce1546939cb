/**
 * What the start-up benchmarks (bench/startup.ts, bench/startup-pair.ts) share: the environment a timed `hearth` runs
 * in, a process's wall time and its children's CPU (the median they report is bench/statistics.ts's).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** The extractive answerer, no embeddings, no OCR: the offline default a user starts with, whatever the shell sets. */
export const extractiveEnvironment: NodeJS.ProcessEnv = { ...process.env, HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none", HEARTH_OCR: "off" };


/** Milliseconds of wall time of `command args` run to its end in `env`; throws naming `label` when it fails. */
export function wallMilliseconds(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { env, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${label}: exit ${result.status}`);
  return performance.now() - started;
}

/** A whole process's run: its wall time, and its CPU (user + system, NaN where there is no /proc). */
export interface ProcessRun {
  wall: number;
  cpu: number;
}

/** Runs `command args` to its end in `env` and measures it; throws naming `label` when it fails. */
export function measuredProcess(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): ProcessRun {
  const before = endedChildrenCpuMilliseconds();
  const wall = wallMilliseconds(label, command, args, env);
  return { wall, cpu: endedChildrenCpuMilliseconds() - before };
}

/**
 * CPU milliseconds (user + system) of this process's children that have ended, from /proc/self/stat (cutime and
 * cstime, in ticks of 10 ms); NaN where there is no /proc. The difference across a spawnSync is that child's CPU.
 */
function endedChildrenCpuMilliseconds(): number {
  if (!existsSync("/proc/self/stat")) return Number.NaN;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

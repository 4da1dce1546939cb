/**
 * What the start-up benchmarks (bench/startup.ts, bench/startup-pair.ts) share: the environment a timed `hearth` runs
 * in, a process's wall time, and the median they report.
 */
import { spawnSync } from "node:child_process";

/** The extractive answerer, no embeddings, no OCR: the offline default a user starts with, whatever the shell sets. */
export const extractiveEnvironment: NodeJS.ProcessEnv = { ...process.env, HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none", HEARTH_OCR: "off" };

/** The middle value (the upper of the two middle ones for an even count); NaN for none. */
export const median = (values: number[]): number => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] ?? NaN;

/** Milliseconds of wall time of `command args` run to its end in `env`; throws naming `label` when it fails. */
export function wallMilliseconds(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { env, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${label}: exit ${result.status}`);
  return performance.now() - started;
}

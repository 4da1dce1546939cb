// The task of bench/worker-pool-queueing.ts: keeps its thread busy for the given milliseconds, as an answer does.
import { performance } from "node:perf_hooks";
export default function busy(milliseconds) {
  const end = performance.now() + milliseconds;
  let turns = 0;
  while (performance.now() < end) turns++;
  return turns;
}

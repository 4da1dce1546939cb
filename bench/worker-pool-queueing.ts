/**
 * `node --import tsx bench/worker-pool-queueing.ts`: how the answer pool's queue order shapes the latency tail under
 * sustained load, with Hearth's own pool options (src/server/worker-pool.ts) and piscina's default order beside them.
 * 20 users ask one at a time, back to back (as one server's half of bench:cluster), two threads, each task keeps its
 * thread busy for a random time (lognormal, mean 8 ms, coefficient of variation 0.6: answers differ in cost). The
 * work and the throughput are the same either way; only the order in which queued tasks start differs, so the
 * difference in p95 is the queue's. HEARTH_QUEUE_SECONDS (20) per run, two runs of each, alternating.
 */
import { Piscina } from "piscina";
import { workerPoolOptions } from "../src/server/worker-pool.ts";

const seconds = Number(process.env.HEARTH_QUEUE_SECONDS ?? 20);
const users = 20;
const meanMilliseconds = 8;
const variation = 0.6;
const sigma = Math.sqrt(Math.log(1 + variation ** 2));
const mu = Math.log(meanMilliseconds) - sigma ** 2 / 2;
const normal = (): number => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());

async function measure(stricterFIFO: boolean): Promise<string> {
  const options = workerPoolOptions({ name: "default", threads: 2, maxQueue: 500, idleTimeoutMs: 60_000 });
  const pool = new Piscina<number, number>({ ...options, filename: new URL("./worker-pool-task.mjs", import.meta.url).href, execArgv: [], minThreads: 2, stricterFIFO });
  const latencies: number[] = [];
  const warmUntil = performance.now() + 2_000;
  const deadline = performance.now() + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: users }, async () => {
        while (performance.now() < deadline) {
          const started = performance.now();
          await pool.run(Math.exp(mu + sigma * normal()));
          if (started > warmUntil) latencies.push(performance.now() - started);
          // The user reads the answer and asks again: a few milliseconds, so arrivals interleave with completions.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
        }
      }),
    );
  } finally {
    await pool.close();
  }
  latencies.sort((left, right) => left - right);
  const at = (fraction: number): number => latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))] ?? NaN;
  const label = stricterFIFO === options.stricterFIFO ? "Hearth's pool (first come, first served)" : "piscina's default order";
  return `${label.padEnd(42)} ${String(latencies.length).padStart(5)} tasks (${(latencies.length / (seconds - 2)).toFixed(0)}/s), p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, p95/p50 ${(at(0.95) / at(0.5)).toFixed(2)}`;
}

for (const stricterFIFO of [false, true, false, true]) console.log(await measure(stricterFIFO));

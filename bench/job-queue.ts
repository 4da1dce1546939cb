/**
 * The job queue's own cost, apart from extraction: N jobs of 16 KB queued in batches of 10, then claimed and
 * completed (with a progress event each) by W concurrent workers, on SQLite (jobs.db) and on PostgreSQL (a
 * throwaway cluster, or HEARTH_TEST_POSTGRES_URL). Prints jobs per second and claim latency p50/p95.
 *   node --import tsx bench/job-queue.ts [jobs=400] [workers=4]
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { JobQueue, NewJob } from "../src/store/job-queue-types.ts";
import { openPostgresJobQueue } from "../src/store/postgres/postgres-job-queue.ts";
import { openSqliteJobQueue } from "../src/store/sqlite-job-queue.ts";
import { findPostgresBin, startPostgres } from "../test/support/postgres-server.ts";
import { percentile } from "./statistics.ts";

const jobCount = Number(process.argv[2] ?? 400);
const workerCount = Number(process.argv[3] ?? 4);
const bytes = new Uint8Array(16 * 1024).fill(65);

async function measure(name: string, queue: JobQueue): Promise<void> {
  // Many workspaces, so that workers are not held to one job per workspace.
  const workspaces = Array.from({ length: 40 }, () => randomUUID());
  let started = performance.now();
  for (let index = 0; index < jobCount; index += 10) {
    const batchId = randomUUID();
    const jobs: NewJob[] = Array.from({ length: Math.min(10, jobCount - index) }, (_, offset) => ({
      workspaceId: workspaces[(index + offset) % workspaces.length] ?? "w",
      batchId,
      kind: "ingest",
      label: `file-${index + offset}.pdf`,
      payload: { n: index + offset },
      bytes,
    }));
    await queue.enqueue(jobs);
  }
  const enqueueSeconds = (performance.now() - started) / 1000;
  const claims: number[] = [];
  started = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: workerCount }, async (_, worker) => {
      for (;;) {
        const claimStarted = performance.now();
        const claimed = await queue.claim({ workerId: `bench ${worker}`, leaseMs: 30_000 });
        claims.push(performance.now() - claimStarted);
        if (!claimed) {
          if (done >= jobCount) return;
          continue;
        }
        await queue.progress(claimed.lease, { status: "ingesting" });
        await queue.complete(claimed.lease, { result: { status: "ingested" }, event: { status: "ingested" } });
        done++;
      }
    }),
  );
  const runSeconds = (performance.now() - started) / 1000;
  console.log(
    `${name}: enqueue ${Math.round(jobCount / enqueueSeconds)} jobs/s; claim+progress+complete with ${workerCount} workers ${Math.round(jobCount / runSeconds)} jobs/s; claim p50 ${percentile(claims, 0.5).toFixed(1)} ms, p95 ${percentile(claims, 0.95).toFixed(1)} ms`,
  );
}

const folder = mkdtempSync(join(tmpdir(), "hearth-bench-jobs-"));
try {
  const sqlite = openSqliteJobQueue({ dataDir: folder });
  await measure("SQLite jobs.db", sqlite);
  await sqlite.close();

  let serverUrl = process.env.HEARTH_TEST_POSTGRES_URL;
  const bin = serverUrl ? undefined : findPostgresBin();
  const cluster = bin ? await startPostgres(bin) : undefined;
  serverUrl ??= cluster?.url;
  if (!serverUrl) {
    console.log("PostgreSQL: skipped (not installed and HEARTH_TEST_POSTGRES_URL unset)");
  } else {
    const name = `hearth_bench_${randomUUID().slice(0, 8)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const queue = await openPostgresJobQueue(url.toString());
    await measure("PostgreSQL", queue);
    await queue.close();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
    cluster?.stop();
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

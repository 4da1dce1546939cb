/**
 * The server's own ingestion (serverIngest "in-process", the default): claims ingest jobs from the queue and runs
 * each in the ingest pool's worker threads, as many at once as there are threads, then tidies the uploaded files and
 * writes the audit line. The same jobs can as well be run by `hearth worker` processes (serverIngest "workers"), so
 * that a job this server was running when it stopped is taken over by whoever claims it once its lease runs out.
 */
import { hostname } from "node:os";
import type { HearthConfig } from "../config/config.ts";
import { describeError } from "../errors/hearth-error.ts";
import type { IngestJobPayload, IngestJobResult } from "../ingest/ingest-job.ts";
import { processIngestJob, tidyUploadedFiles } from "../ingest/ingest-job.ts";
import type { ClaimedJob, JobQueue } from "../store/job-queue-types.ts";
import type { IngestPool } from "./ingest-pool.ts";
import type { WorkspaceLibraries } from "./workspace-libraries.ts";

export interface IngestConsumer {
  /** Stops claiming and waits for the jobs in hand. */
  close(): Promise<void>;
}

export interface IngestConsumerOptions {
  queue: JobQueue;
  pool: IngestPool;
  config: HearthConfig;
  libraries: WorkspaceLibraries;
  /** After each job that came to a result (the audit line). */
  onSettled(job: ClaimedJob["job"], payload: IngestJobPayload, result: IngestJobResult): void;
  /** How long a claim holds without a heartbeat (default a minute: a stopped server's jobs are taken over after it). */
  leaseMs?: number;
}

export function startIngestConsumer({ queue, pool, config, libraries, onSettled, leaseMs = 60_000 }: IngestConsumerOptions): IngestConsumer {
  const workerId = `${hostname()}:${process.pid}:server`;
  const stop = new AbortController();
  const running = new Set<Promise<void>>();

  const handle = async (claimed: ClaimedJob): Promise<void> => {
    const { workspaceId } = claimed.job;
    await processIngestJob(
      queue,
      claimed,
      // Through the workspace's queue, so that a document removal in this process never runs beside the write.
      (payload, bytes) => libraries.enqueue(workspaceId, () => pool.run({ config, workspaceId, payload, bytes })),
      {
        leaseMs,
        beforeComplete: async (payload, result) => {
          await tidyUploadedFiles(config.dataDir, workspaceId, payload, result);
          onSettled(claimed.job, payload, result);
        },
      },
    );
  };

  const loop = (async () => {
    while (!stop.signal.aborted) {
      if (running.size >= pool.threads) {
        await Promise.race(running);
        continue;
      }
      let claimed: ClaimedJob | undefined;
      try {
        claimed = await queue.claim({ workerId, leaseMs });
      } catch (error) {
        console.error(`hearth serve: cannot claim ingest jobs: ${describeError(error)}`);
        await queue.waitForChange({ timeoutMs: 5_000, signal: stop.signal }).catch(() => undefined);
        continue;
      }
      if (!claimed) {
        await queue.waitForChange({ timeoutMs: 5_000, signal: stop.signal });
        continue;
      }
      const task = handle(claimed)
        .catch((error: unknown) => console.error(`hearth serve: ingest job ${claimed.job.id} stopped: ${describeError(error)}`))
        .finally(() => running.delete(task));
      running.add(task);
    }
  })();

  return {
    async close() {
      stop.abort();
      await loop;
      await Promise.allSettled([...running]);
    },
  };
}

/**
 * The JobQueue on PostgreSQL (component "jobs"), for servers and `hearth worker` processes on several machines.
 * Uploaded bytes travel in the job row (bytea) and are set to NULL when the job ends. Claims select with
 * `FOR UPDATE SKIP LOCKED` (a row another transaction is completing or failing is passed over, never waited on)
 * under a short transaction-scoped advisory lock, so that two claims never both see a workspace idle and start two
 * of its jobs at once. Each batch's events are numbered under a per-batch advisory lock, so a reader that has seen
 * event n never later finds an n-1 committed behind it. Every change sends NOTIFY hearth_jobs; waiters LISTEN on a
 * connection of their own and poll when it is lost.
 */
import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { ClaimOptions, ClaimedJob, JobEvent, JobLease, JobQueue, JobQueueOptions, JobRecord, JobState, JsonValue, NewJob, NewJobEvent } from "../job-queue-types.ts";
import { acquirePostgresPool, inTransaction, releasePostgresPool } from "./postgres-connection.ts";
import { migrate } from "./postgres-migrations.ts";
import type { PostgresMigration } from "./postgres-migrations.ts";

const steps: PostgresMigration[] = [
  {
    version: 1,
    description: "job queue with bytes and leases, per-batch event logs",
    sql: `
      CREATE TABLE job_queue (
        position bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        workspace_id text NOT NULL,
        batch_id text NOT NULL,
        kind text NOT NULL,
        label text NOT NULL,
        payload jsonb NOT NULL,
        bytes bytea,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        error text,
        result jsonb,
        worker_id text,
        lease_token uuid,
        lease_expires_at timestamptz,
        available_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX job_queue_open ON job_queue (position) WHERE state IN ('queued', 'running');
      CREATE INDEX job_queue_workspace ON job_queue (workspace_id, position);
      CREATE INDEX job_queue_batch ON job_queue (workspace_id, batch_id, position);
      CREATE TABLE job_events (
        workspace_id text NOT NULL,
        batch_id text NOT NULL,
        sequence integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('progress', 'failed', 'finished')),
        job_id uuid,
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, batch_id, sequence)
      );
    `,
  },
];

/** Fixed advisory lock keys (first half: which lock; second half: the batch's hash where there is one). */
const claimLock = 4_823_118;
const batchLockClass = 4_823_119;
const channel = "hearth_jobs";

interface JobRow {
  id: string;
  workspace_id: string;
  batch_id: string;
  kind: string;
  label: string;
  payload: JsonValue;
  has_bytes: boolean;
  state: JobState;
  attempts: number;
  max_attempts: number;
  error: string | null;
  result: JsonValue | null;
  worker_id: string | null;
  lease_expires_at: Date | null;
  created_at: Date;
  finished_at: Date | null;
}

const jobColumns = `id, workspace_id, batch_id, kind, label, payload, bytes IS NOT NULL AS has_bytes, state, attempts, max_attempts,
  error, result, worker_id, lease_expires_at, created_at, finished_at`;

const toRecord = (row: JobRow): JobRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  batchId: row.batch_id,
  kind: row.kind as JobRecord["kind"],
  label: row.label,
  payload: row.payload,
  state: row.state,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  error: row.error,
  result: row.result,
  hasBytes: row.has_bytes,
  workerId: row.worker_id,
  leaseExpiresAt: row.lease_expires_at,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

type Queryable = pg.Pool | pg.PoolClient;

async function appendEvent(client: Queryable, workspaceId: string, batchId: string, kind: JobEvent["kind"], jobId: string | null, data: JsonValue): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [batchLockClass, batchId]);
  await client.query(
    `INSERT INTO job_events (workspace_id, batch_id, sequence, kind, job_id, data)
     SELECT $1, $2, COALESCE(MAX(sequence), 0) + 1, $3, $4, $5 FROM job_events WHERE workspace_id = $1 AND batch_id = $2`,
    [workspaceId, batchId, kind, jobId, JSON.stringify(data)],
  );
  await client.query("SELECT pg_notify($1, $2)", [channel, batchId]);
}

async function finishBatchIfDone(client: pg.PoolClient, workspaceId: string, batchId: string): Promise<void> {
  // The batch lock first, so that of two jobs ending at once exactly one sees the other finished.
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [batchLockClass, batchId]);
  const counts = await client.query<{ open: number; done: number; failed: number }>(
    `SELECT COUNT(*) FILTER (WHERE state IN ('queued', 'running'))::int AS open, COUNT(*) FILTER (WHERE state = 'done')::int AS done,
            COUNT(*) FILTER (WHERE state = 'failed')::int AS failed
     FROM job_queue WHERE workspace_id = $1 AND batch_id = $2`,
    [workspaceId, batchId],
  );
  const row = counts.rows[0];
  if (!row || row.open > 0) return;
  await appendEvent(client, workspaceId, batchId, "finished", null, { done: row.done, failed: row.failed });
}

interface HeldRow {
  id: string;
  workspace_id: string;
  batch_id: string;
  label: string;
  attempts: number;
  max_attempts: number;
}

async function failForGood(client: pg.PoolClient, row: HeldRow, error: string): Promise<void> {
  await client.query(
    `UPDATE job_queue SET state = 'failed', error = $2, bytes = NULL, lease_token = NULL, lease_expires_at = NULL, finished_at = now()
     WHERE id = $1`,
    [row.id, error],
  );
  await appendEvent(client, row.workspace_id, row.batch_id, "failed", row.id, { label: row.label, error });
  await finishBatchIfDone(client, row.workspace_id, row.batch_id);
}

/** Locks and returns the running job this lease still holds, or undefined. */
async function held(client: pg.PoolClient, lease: JobLease): Promise<HeldRow | undefined> {
  if (!isUuid(lease.jobId) || !isUuid(lease.token)) return undefined;
  const result = await client.query<HeldRow>(
    `SELECT id, workspace_id, batch_id, label, attempts, max_attempts FROM job_queue
     WHERE id = $1 AND lease_token = $2 AND state = 'running' AND lease_expires_at >= now() FOR UPDATE`,
    [lease.jobId, lease.token],
  );
  return result.rows[0];
}

const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export async function openPostgresJobQueue(url: string, options: JobQueueOptions = {}): Promise<JobQueue> {
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const pool = await acquirePostgresPool(url);
  try {
    await migrate(pool, "jobs", steps);
  } catch (error) {
    await releasePostgresPool(url);
    throw error;
  }
  const notices = new EventEmitter();
  notices.setMaxListeners(0);
  let listener: Promise<pg.Client | undefined> | undefined;
  let closed = false;

  /** One connection LISTENing for the whole queue, started on the first wait; lost, the waits poll until it is back. */
  const listen = (): Promise<pg.Client | undefined> => {
    listener ??= (async () => {
      const client = new pg.Client({ connectionString: url });
      client.on("notification", () => notices.emit("change"));
      client.on("error", () => {
        listener = undefined;
        void client.end().catch(() => {});
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${channel}`);
        return client;
      } catch {
        listener = undefined;
        await client.end().catch(() => {});
        return undefined;
      }
    })();
    return listener;
  };

  return {
    async enqueue(jobs: readonly NewJob[], events: readonly (NewJobEvent & { workspaceId: string; batchId: string })[] = []) {
      return inTransaction(pool, async (client) => {
        for (const event of events) await appendEvent(client, event.workspaceId, event.batchId, event.kind, null, event.data);
        const records: JobRecord[] = [];
        for (const job of jobs) {
          const inserted = await client.query<JobRow>(
            `INSERT INTO job_queue (id, workspace_id, batch_id, kind, label, payload, bytes, state, max_attempts)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8) RETURNING ${jobColumns}`,
            [randomUUID(), job.workspaceId, job.batchId, job.kind, job.label, JSON.stringify(job.payload), job.bytes ? Buffer.from(job.bytes) : null, job.maxAttempts ?? 3],
          );
          records.push(toRecord(inserted.rows[0] as JobRow));
        }
        if (jobs.length > 0) await client.query("SELECT pg_notify($1, 'queued')", [channel]);
        return records;
      });
    },

    async claim({ workerId, leaseMs, kinds = ["ingest"] }: ClaimOptions): Promise<ClaimedJob | undefined> {
      return inTransaction(pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [claimLock]);
        const exhausted = await client.query<HeldRow>(
          `SELECT id, workspace_id, batch_id, label, attempts, max_attempts FROM job_queue
           WHERE state = 'running' AND lease_expires_at < now() AND attempts >= max_attempts FOR UPDATE SKIP LOCKED`,
        );
        for (const row of exhausted.rows) await failForGood(client, row, `the worker stopped before finishing (attempt ${row.attempts} of ${row.max_attempts})`);
        const candidate = await client.query<{ id: string }>(
          `SELECT id FROM job_queue AS candidate
           WHERE kind = ANY($1::text[])
             AND ((state = 'queued' AND available_at <= now()) OR (state = 'running' AND lease_expires_at < now()))
             AND NOT EXISTS (SELECT 1 FROM job_queue AS busy WHERE busy.workspace_id = candidate.workspace_id AND busy.id <> candidate.id
                             AND busy.state = 'running' AND busy.lease_expires_at >= now())
           ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [kinds],
        );
        const id = candidate.rows[0]?.id;
        if (!id) return undefined;
        const token = randomUUID();
        const updated = await client.query<JobRow & { bytes: Buffer | null }>(
          `UPDATE job_queue SET state = 'running', attempts = attempts + 1, worker_id = $2, lease_token = $3,
             lease_expires_at = now() + $4 * interval '1 millisecond'
           WHERE id = $1 RETURNING ${jobColumns}, bytes`,
          [id, workerId, token, leaseMs],
        );
        const row = updated.rows[0] as JobRow & { bytes: Buffer | null };
        return { job: toRecord(row), lease: { jobId: id, token }, bytes: row.bytes ? new Uint8Array(row.bytes) : new Uint8Array() };
      });
    },

    async heartbeat(lease, leaseMs) {
      if (!isUuid(lease.jobId) || !isUuid(lease.token)) return false;
      const result = await pool.query(
        `UPDATE job_queue SET lease_expires_at = now() + $3 * interval '1 millisecond'
         WHERE id = $1 AND lease_token = $2 AND state = 'running' AND lease_expires_at >= now()`,
        [lease.jobId, lease.token, leaseMs],
      );
      return result.rowCount === 1;
    },

    async progress(lease, data) {
      return inTransaction(pool, async (client) => {
        const job = await held(client, lease);
        if (!job) return false;
        await appendEvent(client, job.workspace_id, job.batch_id, "progress", job.id, data);
        return true;
      });
    },

    async complete(lease, { result, event }) {
      return inTransaction(pool, async (client) => {
        const job = await held(client, lease);
        if (!job) return false;
        await client.query(
          `UPDATE job_queue SET state = 'done', result = $2, bytes = NULL, lease_token = NULL, lease_expires_at = NULL, finished_at = now()
           WHERE id = $1`,
          [job.id, JSON.stringify(result)],
        );
        if (event !== undefined) await appendEvent(client, job.workspace_id, job.batch_id, "progress", job.id, event);
        await finishBatchIfDone(client, job.workspace_id, job.batch_id);
        return true;
      });
    },

    async fail(lease, error) {
      return inTransaction(pool, async (client) => {
        const job = await held(client, lease);
        if (!job) return undefined;
        if (job.attempts < job.max_attempts) {
          await client.query(
            `UPDATE job_queue SET state = 'queued', error = $2, lease_token = NULL, lease_expires_at = NULL, worker_id = NULL,
               available_at = now() + $3 * interval '1 millisecond' WHERE id = $1`,
            [job.id, error, retryDelayMs * job.attempts],
          );
          await client.query("SELECT pg_notify($1, 'queued')", [channel]);
          return { retried: true };
        }
        await failForGood(client, job, error);
        return { retried: false };
      });
    },

    async release(lease) {
      return inTransaction(pool, async (client) => {
        const job = await held(client, lease);
        if (!job) return false;
        await client.query(
          `UPDATE job_queue SET state = 'queued', attempts = attempts - 1, lease_token = NULL, lease_expires_at = NULL, worker_id = NULL
           WHERE id = $1`,
          [job.id],
        );
        await client.query("SELECT pg_notify($1, 'queued')", [channel]);
        return true;
      });
    },

    async get(workspaceId, jobId) {
      if (!isUuid(jobId)) return undefined;
      const result = await pool.query<JobRow>(`SELECT ${jobColumns} FROM job_queue WHERE workspace_id = $1 AND id = $2`, [workspaceId, jobId]);
      const row = result.rows[0];
      return row ? toRecord(row) : undefined;
    },

    async list(workspaceId, { batchId, states, limit = 100 } = {}) {
      const result = await pool.query<JobRow>(
        `SELECT ${jobColumns} FROM job_queue
         WHERE workspace_id = $1 AND ($2::text IS NULL OR batch_id = $2) AND ($3::text[] IS NULL OR state = ANY($3))
         ORDER BY position ${batchId === undefined ? "DESC" : "ASC"} LIMIT $4`,
        [workspaceId, batchId ?? null, states && states.length > 0 ? states : null, limit],
      );
      return result.rows.map(toRecord);
    },

    async events(workspaceId, batchId, afterSequence = 0) {
      const result = await pool.query<{ batch_id: string; sequence: number; kind: JobEvent["kind"]; job_id: string | null; data: JsonValue; created_at: Date }>(
        `SELECT batch_id, sequence, kind, job_id, data, created_at FROM job_events
         WHERE workspace_id = $1 AND batch_id = $2 AND sequence > $3 ORDER BY sequence`,
        [workspaceId, batchId, afterSequence],
      );
      return result.rows.map((row) => ({ batchId: row.batch_id, sequence: row.sequence, kind: row.kind, jobId: row.job_id, data: row.data, createdAt: row.created_at }));
    },

    async waitForChange({ timeoutMs, signal }) {
      if (signal?.aborted || closed) return;
      const listening = await listen();
      if (signal?.aborted || closed) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          notices.off("change", done);
          signal?.removeEventListener("abort", done);
          resolve();
        };
        // Without a listening connection, poll once a second.
        const timer = setTimeout(done, listening ? timeoutMs : Math.min(timeoutMs, 1_000));
        notices.on("change", done);
        signal?.addEventListener("abort", done);
      });
    },

    async purge(olderThanMs) {
      return inTransaction(pool, async (client) => {
        const removed = await client.query(
          "DELETE FROM job_queue WHERE state IN ('done', 'failed') AND finished_at < now() - $1 * interval '1 millisecond'",
          [olderThanMs],
        );
        await client.query(
          `DELETE FROM job_events AS event WHERE (event.workspace_id, event.batch_id) IN (
             SELECT workspace_id, batch_id FROM job_events GROUP BY workspace_id, batch_id
             HAVING MAX(created_at) < now() - $1 * interval '1 millisecond')
           AND NOT EXISTS (SELECT 1 FROM job_queue WHERE job_queue.workspace_id = event.workspace_id AND job_queue.batch_id = event.batch_id)`,
          [olderThanMs],
        );
        return removed.rowCount ?? 0;
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      notices.emit("change");
      const client = await listener;
      await client?.end().catch(() => {});
      await releasePostgresPool(url);
    },
  };
}

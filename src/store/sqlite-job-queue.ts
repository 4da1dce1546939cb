/**
 * The embedded JobQueue: `jobs.db` beside `accounts.db` in the data folder. Its own file rather than tables in
 * accounts.db because it holds uploaded files in flight (hundreds of megabytes at times) and is written on every
 * heartbeat and progress step: kept apart, it neither bloats nor contends with sign-ins, and it can be deleted
 * whole when no job is in flight. Every operation is one IMMEDIATE transaction (SQLite has one writer, so a claim
 * can never be taken twice); processes sharing the file see each other's changes by polling, a process sees its own
 * at once.
 */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { HearthError, describeError } from "../errors/hearth-error.ts";
import type { ClaimOptions, ClaimedJob, JobEvent, JobLease, JobQueue, JobQueueOptions, JobRecord, JobState, JsonValue, NewJob, NewJobEvent } from "./job-queue-types.ts";
import type { Migration } from "./sqlite-migrations.ts";
import { migrate } from "./sqlite-migrations.ts";
import { restrictToOwner } from "./sqlite-accounts.ts";

export const jobsFileName = "jobs.db";

const jobMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "jobs with their bytes and leases, per-batch event logs",
    sql: `
      CREATE TABLE jobs (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        workspace_id TEXT NOT NULL,
        batch_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        payload TEXT NOT NULL,
        bytes BLOB,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        error TEXT,
        result TEXT,
        worker_id TEXT,
        lease_token TEXT,
        lease_expires_at INTEGER,
        available_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX jobs_claimable ON jobs (state, available_at, position);
      CREATE INDEX jobs_workspace ON jobs (workspace_id, position);
      CREATE INDEX jobs_batch ON jobs (batch_id, position);
      CREATE TABLE job_events (
        batch_id TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        workspace_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('progress', 'failed', 'finished')),
        job_id TEXT,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (batch_id, sequence)
      ) WITHOUT ROWID;
    `,
  },
];

interface JobRow {
  id: string;
  workspace_id: string;
  batch_id: string;
  kind: string;
  label: string;
  payload: string;
  has_bytes: number;
  state: JobState;
  attempts: number;
  max_attempts: number;
  error: string | null;
  result: string | null;
  worker_id: string | null;
  lease_expires_at: number | null;
  created_at: number;
  finished_at: number | null;
}

const jobColumns = `id, workspace_id, batch_id, kind, label, payload, bytes IS NOT NULL AS has_bytes, state, attempts, max_attempts,
  error, result, worker_id, lease_expires_at, created_at, finished_at`;

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    batchId: row.batch_id,
    kind: row.kind as JobRecord["kind"],
    label: row.label,
    payload: JSON.parse(row.payload) as JsonValue,
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    error: row.error,
    result: row.result === null ? null : (JSON.parse(row.result) as JsonValue),
    hasBytes: row.has_bytes === 1,
    workerId: row.worker_id,
    leaseExpiresAt: row.lease_expires_at === null ? null : new Date(row.lease_expires_at),
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
  };
}

/** Wakes waiters in this process on any change to the same file (other processes are found by polling). */
const changes = new Map<string, EventEmitter>();
function changesOf(path: string): EventEmitter {
  let emitter = changes.get(path);
  if (!emitter) {
    emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    changes.set(path, emitter);
  }
  return emitter;
}

export function openSqliteJobQueue(options: ({ dataDir: string } | { path: string }) & JobQueueOptions): JobQueue {
  const path = "path" in options ? options.path : join(options.dataDir, jobsFileName);
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  let database: Database.Database;
  try {
    if ("dataDir" in options) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    database = new Database(path);
  } catch (error) {
    throw new HearthError("STORE_FAILED", `${path}: cannot open the job queue (${describeError(error)})`, { subject: path, cause: error });
  }
  try {
    database.pragma("busy_timeout = 5000");
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    migrate(database, path, jobMigrations);
    if (path !== ":memory:") restrictToOwner(path);
  } catch (error) {
    database.close();
    throw error instanceof HearthError ? error : new HearthError("STORE_FAILED", `${path}: cannot open the job queue`, { subject: path, cause: error });
  }
  const emitter = changesOf(path);
  const changed = (): void => {
    emitter.emit("change");
  };

  const appendEvent = (workspaceId: string, batchId: string, kind: JobEvent["kind"], jobId: string | null, data: JsonValue): void => {
    const next = database.prepare("SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM job_events WHERE batch_id = ?").get(batchId) as { next: number };
    database
      .prepare("INSERT INTO job_events (batch_id, sequence, workspace_id, kind, job_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(batchId, next.next, workspaceId, kind, jobId, JSON.stringify(data), Date.now());
  };

  /** After a job ended: when none of its batch is queued or running any more, the batch's `finished` event. */
  const finishBatchIfDone = (workspaceId: string, batchId: string): void => {
    const counts = database
      .prepare(
        `SELECT SUM(state IN ('queued', 'running')) AS open, SUM(state = 'done') AS done, SUM(state = 'failed') AS failed
         FROM jobs WHERE batch_id = ? AND workspace_id = ?`,
      )
      .get(batchId, workspaceId) as { open: number | null; done: number | null; failed: number | null };
    if ((counts.open ?? 0) > 0) return;
    appendEvent(workspaceId, batchId, "finished", null, { done: counts.done ?? 0, failed: counts.failed ?? 0 });
  };

  const failForGood = (row: { id: string; workspace_id: string; batch_id: string; label: string }, error: string, now: number): void => {
    database
      .prepare("UPDATE jobs SET state = 'failed', error = ?, bytes = NULL, lease_token = NULL, lease_expires_at = NULL, finished_at = ? WHERE id = ?")
      .run(error, now, row.id);
    appendEvent(row.workspace_id, row.batch_id, "failed", row.id, { label: row.label, error });
    finishBatchIfDone(row.workspace_id, row.batch_id);
  };

  /** The running job the lease still holds (its token, lease not run out), or undefined. */
  const held = (lease: JobLease, now: number): { id: string; workspace_id: string; batch_id: string; label: string; attempts: number; max_attempts: number } | undefined =>
    database
      .prepare(
        `SELECT id, workspace_id, batch_id, label, attempts, max_attempts FROM jobs
         WHERE id = ? AND lease_token = ? AND state = 'running' AND lease_expires_at >= ?`,
      )
      .get(lease.jobId, lease.token, now) as ReturnType<typeof held>;

  const transaction = <T>(work: () => T): T => {
    const result = database.transaction(work).immediate();
    changed();
    return result;
  };

  return {
    async enqueue(jobs: readonly NewJob[], events: readonly (NewJobEvent & { workspaceId: string; batchId: string })[] = []) {
      const now = Date.now();
      const ids = transaction(() => {
        for (const event of events) appendEvent(event.workspaceId, event.batchId, event.kind, null, event.data);
        return jobs.map((job) => {
          const id = randomUUID();
          database
            .prepare(
              `INSERT INTO jobs (id, workspace_id, batch_id, kind, label, payload, bytes, state, max_attempts, available_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
            )
            .run(id, job.workspaceId, job.batchId, job.kind, job.label, JSON.stringify(job.payload), job.bytes ? Buffer.from(job.bytes) : null, job.maxAttempts ?? 3, now, now);
          return id;
        });
      });
      const rows = ids.map((id) => database.prepare(`SELECT ${jobColumns} FROM jobs WHERE id = ?`).get(id) as JobRow);
      return rows.map(toRecord);
    },

    async claim({ workerId, leaseMs, kinds = ["ingest"] }: ClaimOptions): Promise<ClaimedJob | undefined> {
      const now = Date.now();
      const claimed = transaction(() => {
        // Jobs whose last lease ran out with no attempt left fail for good rather than be claimed again.
        const exhausted = database
          .prepare(
            `SELECT id, workspace_id, batch_id, label, attempts, max_attempts FROM jobs
             WHERE state = 'running' AND lease_expires_at < ? AND attempts >= max_attempts`,
          )
          .all(now) as { id: string; workspace_id: string; batch_id: string; label: string; attempts: number; max_attempts: number }[];
        for (const row of exhausted) failForGood(row, `the worker stopped before finishing (attempt ${row.attempts} of ${row.max_attempts})`, now);
        const row = database
          .prepare(
            `SELECT id FROM jobs AS candidate
             WHERE kind IN (${kinds.map(() => "?").join(", ")})
               AND ((state = 'queued' AND available_at <= ?) OR (state = 'running' AND lease_expires_at < ?))
               AND NOT EXISTS (SELECT 1 FROM jobs AS busy WHERE busy.workspace_id = candidate.workspace_id AND busy.id <> candidate.id
                               AND busy.state = 'running' AND busy.lease_expires_at >= ?)
             ORDER BY position LIMIT 1`,
          )
          .get(...kinds, now, now, now) as { id: string } | undefined;
        if (!row) return undefined;
        const token = randomUUID();
        database
          .prepare(
            `UPDATE jobs SET state = 'running', attempts = attempts + 1, worker_id = ?, lease_token = ?, lease_expires_at = ?
             WHERE id = ?`,
          )
          .run(workerId, token, now + leaseMs, row.id);
        const job = database.prepare(`SELECT ${jobColumns}, bytes FROM jobs WHERE id = ?`).get(row.id) as JobRow & { bytes: Buffer | null };
        return { job: toRecord(job), lease: { jobId: row.id, token }, bytes: job.bytes ? new Uint8Array(job.bytes) : new Uint8Array() };
      });
      return claimed;
    },

    async heartbeat(lease, leaseMs) {
      const now = Date.now();
      const result = database
        .prepare("UPDATE jobs SET lease_expires_at = ? WHERE id = ? AND lease_token = ? AND state = 'running' AND lease_expires_at >= ?")
        .run(now + leaseMs, lease.jobId, lease.token, now);
      return result.changes === 1;
    },

    async progress(lease, data) {
      return transaction(() => {
        const job = held(lease, Date.now());
        if (!job) return false;
        appendEvent(job.workspace_id, job.batch_id, "progress", job.id, data);
        return true;
      });
    },

    async complete(lease, { result, event }) {
      const now = Date.now();
      return transaction(() => {
        const job = held(lease, now);
        if (!job) return false;
        database
          .prepare("UPDATE jobs SET state = 'done', result = ?, bytes = NULL, lease_token = NULL, lease_expires_at = NULL, finished_at = ? WHERE id = ?")
          .run(JSON.stringify(result), now, job.id);
        if (event !== undefined) appendEvent(job.workspace_id, job.batch_id, "progress", job.id, event);
        finishBatchIfDone(job.workspace_id, job.batch_id);
        return true;
      });
    },

    async fail(lease, error) {
      const now = Date.now();
      return transaction(() => {
        const job = held(lease, now);
        if (!job) return undefined;
        if (job.attempts < job.max_attempts) {
          database
            .prepare("UPDATE jobs SET state = 'queued', error = ?, lease_token = NULL, lease_expires_at = NULL, worker_id = NULL, available_at = ? WHERE id = ?")
            .run(error, now + retryDelayMs * job.attempts, job.id);
          return { retried: true };
        }
        failForGood(job, error, now);
        return { retried: false };
      });
    },

    async release(lease) {
      return transaction(() => {
        const job = held(lease, Date.now());
        if (!job) return false;
        database
          .prepare(
            "UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_token = NULL, lease_expires_at = NULL, worker_id = NULL WHERE id = ?",
          )
          .run(job.id);
        return true;
      });
    },

    async get(workspaceId, jobId) {
      const row = database.prepare(`SELECT ${jobColumns} FROM jobs WHERE workspace_id = ? AND id = ?`).get(workspaceId, jobId) as JobRow | undefined;
      return row ? toRecord(row) : undefined;
    },

    async list(workspaceId, { batchId, states, limit = 100 } = {}) {
      const conditions = ["workspace_id = ?"];
      const values: (string | number)[] = [workspaceId];
      if (batchId !== undefined) {
        conditions.push("batch_id = ?");
        values.push(batchId);
      }
      if (states && states.length > 0) {
        conditions.push(`state IN (${states.map(() => "?").join(", ")})`);
        values.push(...states);
      }
      const order = batchId === undefined ? "DESC" : "ASC";
      const rows = database
        .prepare(`SELECT ${jobColumns} FROM jobs WHERE ${conditions.join(" AND ")} ORDER BY position ${order} LIMIT ?`)
        .all(...values, limit) as JobRow[];
      return rows.map(toRecord);
    },

    async events(workspaceId, batchId, afterSequence = 0) {
      const rows = database
        .prepare(
          `SELECT batch_id, sequence, kind, job_id, data, created_at FROM job_events
           WHERE workspace_id = ? AND batch_id = ? AND sequence > ? ORDER BY sequence`,
        )
        .all(workspaceId, batchId, afterSequence) as { batch_id: string; sequence: number; kind: JobEvent["kind"]; job_id: string | null; data: string; created_at: number }[];
      return rows.map((row) => ({
        batchId: row.batch_id,
        sequence: row.sequence,
        kind: row.kind,
        jobId: row.job_id,
        data: JSON.parse(row.data) as JsonValue,
        createdAt: new Date(row.created_at),
      }));
    },

    waitForChange({ timeoutMs, signal }) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const done = (): void => {
          clearTimeout(timer);
          emitter.off("change", done);
          signal?.removeEventListener("abort", done);
          resolve();
        };
        // Another process writing the same file sends no notice: look again after the poll interval.
        const timer = setTimeout(done, Math.min(timeoutMs, pollIntervalMs));
        emitter.on("change", done);
        signal?.addEventListener("abort", done);
      });
    },

    async purge(olderThanMs) {
      const cutoff = Date.now() - olderThanMs;
      return transaction(() => {
        const removed = database.prepare("DELETE FROM jobs WHERE state IN ('done', 'failed') AND finished_at < ?").run(cutoff).changes;
        database
          .prepare(
            `DELETE FROM job_events WHERE batch_id IN (SELECT batch_id FROM job_events GROUP BY batch_id HAVING MAX(created_at) < ?)
             AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.batch_id = job_events.batch_id)`,
          )
          .run(cutoff);
        return removed;
      });
    },

    async close() {
      if (database.open) database.close();
    },
  };
}

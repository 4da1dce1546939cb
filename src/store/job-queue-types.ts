/**
 * The job queue contract: work (today, ingesting one uploaded file) handed from the process that receives it (a
 * server) to whichever process runs it (a worker thread of that server, or a `hearth worker` on another machine).
 * Implementations: SQLite (`sqlite-job-queue.ts`, a `jobs.db` beside `accounts.db`) and PostgreSQL
 * (`postgres/postgres-job-queue.ts`); both pass `job-queue-contract.ts`.
 *
 * - A job belongs to a workspace and to a batch (one upload: several files, one job each). The uploaded bytes travel
 *   with the job, so a worker on another machine needs nothing but the database; they are deleted once the job is
 *   done or failed for good.
 * - A worker claims a job with a lease (`leaseMs`); it renews the lease (`heartbeat`) while it works. A lease that
 *   runs out makes the job claimable again, so a killed worker loses nothing. Only the lease holder (its `token`) can
 *   report, complete, fail or release the job. One workspace runs one job at a time (its library has one writer and
 *   a new version of a file replaces the old one by name), many workspaces run at once.
 * - Progress is an ordered log of events per batch (sequence 1, 2, 3 …), kept in the database, so that any server
 *   process can replay it to a browser that connects late. The queue itself writes two kinds: `failed` when a job
 *   fails for good (data: { label, error }) and `finished` when no job of the batch is left queued or running
 *   (data: { done, failed }: how many jobs ended each way).
 * - `fail` retries (the job is queued again) until the job has been attempted `maxAttempts` times; then it is failed
 *   for good. A lease that expired counts as an attempt.
 */

export type JobKind = "ingest";

export type JobState = "queued" | "running" | "done" | "failed";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface NewJob {
  workspaceId: string;
  batchId: string;
  kind: JobKind;
  /** What people see for this job (the file name). */
  label: string;
  payload: JsonValue;
  /** The uploaded file; kept until the job is done or failed for good. */
  bytes?: Uint8Array;
  /** Attempts before the job fails for good (default 3). */
  maxAttempts?: number;
}

export interface JobRecord {
  id: string;
  workspaceId: string;
  batchId: string;
  kind: JobKind;
  label: string;
  payload: JsonValue;
  state: JobState;
  /** Claims so far (each claim, including one whose lease ran out, is an attempt). */
  attempts: number;
  maxAttempts: number;
  /** The last failure's message (kept when a retry later succeeds). */
  error: string | null;
  /** What the job came to (set by `complete`). */
  result: JsonValue | null;
  /** Whether the uploaded bytes are still held (false once the job is done or failed for good). */
  hasBytes: boolean;
  /** The worker holding the lease while running. */
  workerId: string | null;
  leaseExpiresAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface JobLease {
  jobId: string;
  /** Proof of the claim: a job claimed again after this lease ran out has a new token, and the old one is refused. */
  token: string;
}

export interface ClaimedJob {
  job: JobRecord;
  lease: JobLease;
  /** The uploaded bytes (an empty array when the job was enqueued without any). */
  bytes: Uint8Array;
}

export type JobEventKind = "progress" | "failed" | "finished";

export interface JobEvent {
  batchId: string;
  /** 1, 2, 3 … within the batch, in the order written. */
  sequence: number;
  kind: JobEventKind;
  /** The job the event is about, when it is about one. */
  jobId: string | null;
  data: JsonValue;
  createdAt: Date;
}

export interface NewJobEvent {
  kind: "progress" | "finished";
  data: JsonValue;
}

export interface ClaimOptions {
  /** Names the worker (host and process) in the job record, for people and logs. */
  workerId: string;
  /** How long the claim holds without a heartbeat. */
  leaseMs: number;
  kinds?: readonly JobKind[];
}

export interface JobQueueOptions {
  /** Wait before a failed job is tried again: `retryDelayMs` × attempts so far (default 5 s). */
  retryDelayMs?: number;
  /** SQLite only: how often another process's changes are looked for (default 500 ms). */
  pollIntervalMs?: number;
}

export interface JobQueue {
  /**
   * Queues the jobs (one transaction) after writing `events` to their batches' logs (e.g. "queued" for each file,
   * or a refusal), so that a worker's first event always follows them. With no jobs and a `finished` event, a batch
   * whose every file was refused is complete at once.
   */
  enqueue(jobs: readonly NewJob[], events?: readonly (NewJobEvent & { workspaceId: string; batchId: string })[]): Promise<JobRecord[]>;
  /** The oldest claimable job (queued, or running with its lease run out), or undefined when there is none. */
  claim(options: ClaimOptions): Promise<ClaimedJob | undefined>;
  /** Extends the lease by `leaseMs` from now; false when the lease was lost (ran out and the job claimed again). */
  heartbeat(lease: JobLease, leaseMs: number): Promise<boolean>;
  /** Appends a progress event about the job to its batch's log; false when the lease was lost (nothing written). */
  progress(lease: JobLease, data: JsonValue): Promise<boolean>;
  /** Done: keeps `result`, deletes the bytes, appends `event` (if any) and, when it was the batch's last job, `finished`. */
  complete(lease: JobLease, outcome: { result: JsonValue; event?: JsonValue }): Promise<boolean>;
  /** Failed attempt: queued again while attempts remain, else failed for good (bytes deleted, `failed` event, maybe `finished`). */
  fail(lease: JobLease, error: string): Promise<{ retried: boolean } | undefined>;
  /** Gives the job back unfinished (a worker stopping): queued again, the attempt not counted. */
  release(lease: JobLease): Promise<boolean>;
  get(workspaceId: string, jobId: string): Promise<JobRecord | undefined>;
  /** Jobs of the workspace, newest first; `batchId` narrows to one batch (oldest first then, in upload order). */
  list(workspaceId: string, options?: { batchId?: string; states?: readonly JobState[]; limit?: number }): Promise<JobRecord[]>;
  /** The batch's events after `afterSequence` (0: from the start), in order. */
  events(workspaceId: string, batchId: string, afterSequence?: number): Promise<JobEvent[]>;
  /**
   * Resolves when something may have changed (a job queued, an event written) or after `timeoutMs`, whichever is
   * first, or when `signal` aborts. PostgreSQL: LISTEN/NOTIFY; SQLite: in-process notice, else polling.
   */
  waitForChange(options: { timeoutMs: number; signal?: AbortSignal }): Promise<void>;
  /** Deletes finished jobs and their batches' events older than `olderThanMs`; returns how many jobs went. */
  purge(olderThanMs: number): Promise<number>;
  close(): Promise<void>;
}

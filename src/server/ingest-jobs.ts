/**
 * Upload progress, read from the job queue: each upload (or re-ingest) is a batch of jobs with an ordered event log
 * in the queue's database (src/store/job-queue-types.ts), so any server process can replay it to a client that
 * connects late and follow it to `done`, whichever process or `hearth worker` runs the jobs. Nothing about an
 * upload lives in one process's memory.
 */
import type { FileProgress, IngestJobResult } from "../ingest/ingest-job.ts";
import type { JobEvent, JobQueue } from "../store/job-queue-types.ts";

export type FileStatus = FileProgress["status"];

export interface ProgressEvent {
  event: "progress";
  data: FileProgress;
}

export interface DoneEvent {
  event: "done";
  data: {
    ingested: number;
    unchanged: number;
    failed: number;
    /** With an embedding model configured: passages given vectors after the ingest, or why none could be. */
    embedded?: number;
    embeddingError?: string;
  };
}

export type UploadEvent = ProgressEvent | DoneEvent;

/** How long a follower waits for a change notice before it looks again anyway. */
const followWaitMs = 15_000;

/** The upload's events as the client sees them: a job that failed for good is its file's "failed" progress. */
function toProgress(event: JobEvent): FileProgress | undefined {
  if (event.kind === "progress") return event.data as unknown as FileProgress;
  if (event.kind === "failed") {
    const data = event.data as { label?: string; error?: string };
    return { file: data.label ?? "file", status: "failed", error: data.error ?? "could not be ingested" };
  }
  return undefined;
}

/** Counts from each file's final status, and what embedding the new passages came to. */
async function doneOf(queue: JobQueue, workspaceId: string, batchId: string, finalStatus: Map<string, FileStatus>): Promise<DoneEvent> {
  const count = (status: FileStatus): number => [...finalStatus.values()].filter((value) => value === status).length;
  const results = (await queue.list(workspaceId, { batchId, limit: 1_000 })).map((job) => job.result as unknown as IngestJobResult | null);
  const embeddingError = results.find((result) => result?.embeddingError !== undefined)?.embeddingError;
  const embedded = results.filter((result) => result?.embedded !== undefined).map((result) => result?.embedded ?? 0);
  const embedding = embeddingError !== undefined ? { embeddingError } : embedded.length > 0 ? { embedded: embedded.reduce((sum, value) => sum + value, 0) } : {};
  return { event: "done", data: { ingested: count("ingested"), unchanged: count("unchanged"), failed: count("failed"), ...embedding } };
}

/** Whether the queue holds any event of this upload for this workspace (else: no such upload). */
export async function uploadExists(queue: JobQueue, workspaceId: string, batchId: string): Promise<boolean> {
  return (await queue.events(workspaceId, batchId)).length > 0;
}

/** Every event of the upload from the first, then new ones as they come, ending with `done` (or when `signal` aborts). */
export async function* followUpload(queue: JobQueue, workspaceId: string, batchId: string, signal: AbortSignal): AsyncGenerator<UploadEvent> {
  const finalStatus = new Map<string, FileStatus>();
  let after = 0;
  while (!signal.aborted) {
    const events = await queue.events(workspaceId, batchId, after);
    for (const event of events) {
      after = event.sequence;
      if (event.kind === "finished") {
        yield await doneOf(queue, workspaceId, batchId, finalStatus);
        return;
      }
      const progress = toProgress(event);
      if (!progress) continue;
      finalStatus.set(progress.file, progress.status);
      yield { event: "progress", data: progress };
    }
    if (events.length === 0) await queue.waitForChange({ timeoutMs: followWaitMs, signal });
  }
}

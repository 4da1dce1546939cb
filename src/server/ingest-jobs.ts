/**
 * Upload jobs: each upload (or re-ingest) gets an id and an ordered log of progress events. The SSE route replays
 * the log to a client that connects late, then follows new events until `done`. Finished jobs are forgotten after
 * an hour.
 */
import { randomUUID } from "node:crypto";

export type FileStatus = "queued" | "ingesting" | "ingested" | "unchanged" | "failed";

export interface ProgressEvent {
  event: "progress";
  data: { file: string; status: FileStatus; error?: string; units?: number; passages?: number };
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

export type JobEvent = ProgressEvent | DoneEvent;

export interface IngestJob {
  id: string;
  workspaceId: string;
  events: JobEvent[];
  finished: boolean;
}

export interface IngestJobs {
  create(workspaceId: string): IngestJob;
  get(workspaceId: string, id: string): IngestJob | undefined;
  progress(job: IngestJob, data: ProgressEvent["data"]): void;
  /** Emits `done` with counts from the job's final statuses (and what embedding the new passages came to). */
  finish(job: IngestJob, embedding?: { embedded: number } | { embeddingError: string }): void;
  /** Calls `listener` for each event from `fromIndex` on; returns an unsubscribe function. */
  follow(job: IngestJob, fromIndex: number, listener: (event: JobEvent) => void): () => void;
}

const keepFinishedMs = 60 * 60_000;

export function createIngestJobs(): IngestJobs {
  const jobs = new Map<string, IngestJob>();
  const listeners = new Map<string, Set<(event: JobEvent) => void>>();

  const emit = (job: IngestJob, event: JobEvent): void => {
    job.events.push(event);
    for (const listener of listeners.get(job.id) ?? []) listener(event);
  };

  return {
    create(workspaceId) {
      const job: IngestJob = { id: randomUUID(), workspaceId, events: [], finished: false };
      jobs.set(job.id, job);
      return job;
    },
    get(workspaceId, id) {
      const job = jobs.get(id);
      return job && job.workspaceId === workspaceId ? job : undefined;
    },
    progress(job, data) {
      emit(job, { event: "progress", data });
    },
    finish(job, embedding) {
      const finalStatus = new Map<string, FileStatus>();
      for (const event of job.events) if (event.event === "progress") finalStatus.set(event.data.file, event.data.status);
      const count = (status: FileStatus): number => [...finalStatus.values()].filter((value) => value === status).length;
      job.finished = true;
      emit(job, { event: "done", data: { ingested: count("ingested"), unchanged: count("unchanged"), failed: count("failed"), ...embedding } });
      listeners.delete(job.id);
      setTimeout(() => jobs.delete(job.id), keepFinishedMs).unref();
    },
    follow(job, fromIndex, listener) {
      for (const event of job.events.slice(fromIndex)) listener(event);
      if (job.finished) return () => undefined;
      let set = listeners.get(job.id);
      if (!set) listeners.set(job.id, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

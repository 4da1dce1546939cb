/**
 * Uploads and re-ingests. Files are streamed into <workspace>/files/<uploadId>/ (kept there as the originals that
 * downloads and re-ingests read) and each becomes an ingest job in the job queue, its bytes with it, so that the
 * server's own worker threads (ingest-consumer.ts) or `hearth worker` processes on other machines can run it
 * (src/ingest/ingest-job.ts). GET .../uploads/:uploadId/events streams the upload's event log from the queue as SSE.
 * A file that fails is deleted again and nothing else in the workspace changes; a new version of a file (same name,
 * new content) replaces the old document once it is in.
 */
import { readFile, readdir, rmdir } from "node:fs/promises";
import { basename } from "node:path";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { describeError } from "../errors/hearth-error.ts";
import type { FileProgress, IngestJobPayload, IngestJobResult } from "../ingest/ingest-job.ts";
import { sha256 } from "../ingest/ingest-job.ts";
import type { JsonValue, NewJob, NewJobEvent } from "../store/job-queue-types.ts";
import { currentUser } from "./auth.ts";
import { notFound } from "./http-error.ts";
import { followUpload, uploadExists } from "./ingest-jobs.ts";
import { receiveFiles } from "./multipart.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import { allow } from "./authorise.ts";
import { randomUUID } from "node:crypto";

const maxFilesPerUpload = 100;

async function removeIfEmpty(folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => undefined);
  if (entries && entries.length === 0) await rmdir(folder).catch(() => undefined);
}

type BatchEvent = NewJobEvent & { workspaceId: string; batchId: string };

const progressEvent = (workspaceId: string, batchId: string, data: FileProgress): BatchEvent => ({ workspaceId, batchId, kind: "progress", data: data as unknown as JsonValue });

function ingestJob(workspaceId: string, batchId: string, payload: IngestJobPayload, bytes: Uint8Array): NewJob {
  return { workspaceId, batchId, kind: "ingest", label: payload.fileName, payload: payload as unknown as JsonValue, bytes };
}

/** What the upload route says about each file it received (the web app's upload list is typed from it). */
export type ReceivedFile = { name: string; status: "queued" } | { name: string; status: "refused"; error: string };

export function uploadRoutes(services: ServerServices) {
  const { config, libraries, queue } = services;
  // With ingestion left to `hearth worker` processes the outcome is not known here: the audit says it was queued.
  const auditQueued = config.serverIngest === "workers";

  return new Hono<ServerEnv>()
  .post("/api/workspaces/:workspaceId/uploads", allow("editor"), async (c) => {
    const workspace = c.get("workspace");
    const user = currentUser(c);
    const library = await libraries.get(workspace.id);
    const batchId = randomUUID();
    const folder = `${library.filesFolder}/${batchId}`;
    const received = await receiveFiles(c.req.raw, {
      folder,
      fieldName: "files",
      maxFileBytes: config.server.maxUploadBytes,
      maxFiles: maxFilesPerUpload,
    });
    const events: BatchEvent[] = [];
    const jobs: NewJob[] = [];
    for (const file of received) {
      if ("error" in file) {
        events.push(progressEvent(workspace.id, batchId, { file: file.name, status: "failed", error: file.error }));
        await services.accounts.recordAudit({ userId: user.id, workspaceId: workspace.id, action: "upload", detail: `${file.name}: refused (${file.error})` });
        continue;
      }
      const bytes = new Uint8Array(await readFile(file.path));
      const payload: IngestJobPayload = { fileName: file.name, contentHash: sha256(bytes), byteSize: bytes.byteLength, sourcePath: file.path, uploaded: true, forgetHashes: false, userId: user.id };
      jobs.push(ingestJob(workspace.id, batchId, payload, bytes));
      events.push(progressEvent(workspace.id, batchId, { file: file.name, status: "queued" }));
      if (auditQueued) await services.accounts.recordAudit({ userId: user.id, workspaceId: workspace.id, action: "upload", detail: `${file.name}: queued` });
    }
    // Every file refused: the upload is over at once.
    if (jobs.length === 0) {
      events.push({ workspaceId: workspace.id, batchId, kind: "finished", data: { done: 0, failed: 0 } });
      await removeIfEmpty(folder);
    }
    await queue.enqueue(jobs, events);
    return c.json(
      {
        uploadId: batchId,
        files: received.map((file): ReceivedFile => ("error" in file ? { name: file.name, status: "refused", error: file.error } : { name: file.name, status: "queued" })),
      },
      202,
    );
  })

  .post("/api/workspaces/:workspaceId/documents/:documentId/reingest", allow("editor"), async (c) => {
    const workspace = c.get("workspace");
    const user = currentUser(c);
    const library = await libraries.get(workspace.id);
    const document = await library.store.documents.get(Number(c.req.param("documentId")));
    if (!document) throw notFound("No such document in this workspace");
    const batchId = randomUUID();
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(document.sourcePath));
    } catch (error) {
      const reason = `${document.fileName}: the original file cannot be read (${describeError(error)})`;
      await queue.enqueue(
        [],
        [progressEvent(workspace.id, batchId, { file: document.fileName, status: "failed", error: reason }), { workspaceId: workspace.id, batchId, kind: "finished", data: { done: 0, failed: 0 } }],
      );
      return c.json({ uploadId: batchId }, 202);
    }
    const payload: IngestJobPayload = {
      fileName: document.fileName || basename(document.sourcePath),
      contentHash: sha256(bytes),
      byteSize: bytes.byteLength,
      sourcePath: document.sourcePath,
      uploaded: false,
      forgetHashes: true,
      userId: user.id,
    };
    await queue.enqueue([ingestJob(workspace.id, batchId, payload, bytes)], [progressEvent(workspace.id, batchId, { file: document.fileName, status: "queued" })]);
    if (auditQueued) await services.accounts.recordAudit({ userId: user.id, workspaceId: workspace.id, action: "reingest", detail: `${document.fileName}: queued` });
    return c.json({ uploadId: batchId }, 202);
  })

  // The workspace's recent ingest jobs (newest first): what is queued, running, done or failed, and why.
  .get("/api/workspaces/:workspaceId/uploads", allow("editor"), async (c) => {
    const jobs = await queue.list(c.get("workspace").id, { limit: 100 });
    return c.json({
      jobs: jobs.map((job) => {
        // A file that could not be read is a done job whose result says so.
        const result = job.result as unknown as Partial<IngestJobResult> | null;
        return {
          id: job.id,
          uploadId: job.batchId,
          file: job.label,
          state: job.state,
          outcome: result?.status ?? null,
          rechunked: result?.rechunked ?? false,
          attempts: job.attempts,
          maxAttempts: job.maxAttempts,
          error: result?.error?.message ?? job.error,
          createdAt: job.createdAt.toISOString(),
          finishedAt: job.finishedAt?.toISOString() ?? null,
        };
      }),
    });
  })

  .get("/api/workspaces/:workspaceId/uploads/:uploadId/events", async (c) => {
    const workspaceId = c.get("workspace").id;
    const batchId = c.req.param("uploadId");
    if (!(await uploadExists(queue, workspaceId, batchId))) throw notFound("No such upload");
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      for await (const event of followUpload(queue, workspaceId, batchId, stop.signal)) {
        await stream.writeSSE({ event: event.event, data: JSON.stringify(event.data) });
      }
    });
  });
}

export type UploadRoutes = ReturnType<typeof uploadRoutes>;

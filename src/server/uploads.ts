/**
 * Uploads and re-ingests. Files are streamed into <workspace>/files/<uploadId>/ and ingested one at a time through
 * the same `ingestFile` as the CLI, in a worker thread (ingest-pool.ts), in the workspace's queue; each step is pushed to the upload's event log, which
 * GET .../uploads/:uploadId/events streams as SSE. A file that fails is deleted again and nothing else in the
 * workspace changes; a new version of a file (same name, new content) replaces the old document once it is in.
 */
import { readdir, rm, rmdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { HearthConfig } from "../config/config.ts";
import type { IngestOutcome } from "../ingest/ingest.ts";
import { embedNewPassages } from "../retrieval/embed-new-passages.ts";
import type { Store } from "../store/types.ts";
import { currentUser } from "./auth.ts";
import { notFound } from "./http-error.ts";
import type { IngestJob, JobEvent } from "./ingest-jobs.ts";
import { receiveFiles } from "./multipart.ts";
import type { ServerEnv, ServerServices } from "./server-types.ts";
import type { WorkspaceLibrary } from "./workspace-libraries.ts";
import { allow } from "./authorise.ts";

const maxFilesPerUpload = 100;

async function removeIfEmpty(folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => undefined);
  if (entries && entries.length === 0) await rmdir(folder).catch(() => undefined);
}

interface IngestContext {
  services: ServerServices;
  config: HearthConfig;
  library: WorkspaceLibrary;
  workspaceId: string;
  userId: string;
  job: IngestJob;
}

/** Records one outcome: progress event, audit line, and the file system kept in step with the library. */
/** With an embedding model configured, the new passages get their vectors in the same queue, as after `hearth ingest`. */
async function embedUploads(store: Store, config: HearthConfig, folder: string): Promise<{ embedded: number } | { embeddingError: string } | undefined> {
  if (config.embeddings.provider === "none") return undefined;
  const embedded = await embedNewPassages(store, { ...config, dataDir: folder }, () => undefined);
  return embedded.ok
    ? { embedded: embedded.value.embedded }
    : { embeddingError: `${embedded.error.message} Keyword search still works; an admin can run hearth embed.` };
}

async function settle(context: IngestContext, name: string, outcome: IngestOutcome, uploaded: boolean): Promise<void> {
  const { services, library, workspaceId, userId, job } = context;
  const { store } = library;
  if (outcome.status === "ingested") {
    if (uploaded) {
      // A new version of a file already in the library replaces it once the new one is safely in.
      for (const older of await store.documents.list()) {
        if (older.id === outcome.document.id || older.fileName !== outcome.document.fileName) continue;
        await store.documents.remove(older.id);
        if (services.libraries.ownsFile(workspaceId, older.sourcePath)) {
          await rm(older.sourcePath, { force: true });
          await removeIfEmpty(dirname(older.sourcePath));
        }
      }
    }
    services.jobs.progress(job, {
      file: name,
      status: "ingested",
      units: outcome.document.unitCount,
      passages: outcome.document.chunkCount,
    });
  } else if (outcome.status === "unchanged") {
    // The library already holds these bytes under their first path; the duplicate copy is not kept.
    if (uploaded && outcome.path !== outcome.document.sourcePath) await rm(outcome.path, { force: true });
    services.jobs.progress(job, {
      file: name,
      status: "unchanged",
      units: outcome.document.unitCount,
      passages: outcome.document.chunkCount,
    });
  } else {
    if (uploaded) await rm(outcome.path, { force: true });
    services.jobs.progress(job, { file: name, status: "failed", error: outcome.error.message });
  }
  const detail = outcome.status === "failed" ? `${name}: failed (${outcome.error.message})` : `${name}: ${outcome.status}`;
  services.accounts.recordAudit({ userId, workspaceId, action: uploaded ? "upload" : "reingest", detail });
}

export function registerUploadRoutes(app: Hono<ServerEnv>, services: ServerServices): void {
  const { config, jobs, libraries } = services;

  app.post("/api/workspaces/:workspaceId/uploads", allow("editor"), async (c) => {
    const workspace = c.get("workspace");
    const user = currentUser(c);
    const library = await libraries.get(workspace.id);
    const job = jobs.create(workspace.id);
    const folder = `${library.filesFolder}/${job.id}`;
    const received = await receiveFiles(c.req.raw, {
      folder,
      fieldName: "files",
      maxFileBytes: config.server.maxUploadBytes,
      maxFiles: maxFilesPerUpload,
    });
    const accepted = received.filter((file): file is Extract<typeof file, { path: string }> => "path" in file);
    for (const file of received) {
      if ("error" in file) {
        jobs.progress(job, { file: file.name, status: "failed", error: file.error });
        services.accounts.recordAudit({ userId: user.id, workspaceId: workspace.id, action: "upload", detail: `${file.name}: refused (${file.error})` });
      } else {
        jobs.progress(job, { file: file.name, status: "queued" });
      }
    }
    const context: IngestContext = { services, config, library, workspaceId: workspace.id, userId: user.id, job };
    let embedding: Parameters<typeof jobs.finish>[1];
    void libraries
      .enqueue(workspace.id, async () => {
        let ingested = 0;
        for (const file of accepted) {
          jobs.progress(job, { file: file.name, status: "ingesting" });
          const outcome = await services.ingestPool.ingest(file.path, { folder: library.folder, store: library.store, config });
          if (outcome.status === "ingested") ingested++;
          await settle(context, file.name, outcome, true);
        }
        if (ingested > 0) embedding = await embedUploads(library.store, config, library.folder);
      })
      .finally(async () => {
        await removeIfEmpty(folder);
        jobs.finish(job, embedding);
      });
    return c.json(
      {
        uploadId: job.id,
        files: received.map((file) => ("error" in file ? { name: file.name, status: "refused", error: file.error } : { name: file.name, status: "queued" })),
      },
      202,
    );
  });

  app.post("/api/workspaces/:workspaceId/documents/:documentId/reingest", allow("editor"), async (c) => {
    const workspace = c.get("workspace");
    const library = await libraries.get(workspace.id);
    const document = await library.store.documents.get(Number(c.req.param("documentId")));
    if (!document) throw notFound("No such document in this workspace");
    const job = jobs.create(workspace.id);
    jobs.progress(job, { file: document.fileName, status: "queued" });
    const context: IngestContext = { services, config, library, workspaceId: workspace.id, userId: currentUser(c).id, job };
    let embedding: Parameters<typeof jobs.finish>[1];
    void libraries
      .enqueue(workspace.id, async () => {
        jobs.progress(job, { file: document.fileName, status: "ingesting" });
        const outcome = await services.ingestPool.ingest(document.sourcePath, { folder: library.folder, store: library.store, config, forgetHashes: true });
        await settle(context, document.fileName, outcome, false);
        if (outcome.status === "ingested") embedding = await embedUploads(library.store, config, library.folder);
      })
      .finally(() => jobs.finish(job, embedding));
    return c.json({ uploadId: job.id }, 202);
  });

  app.get("/api/workspaces/:workspaceId/uploads/:uploadId/events", (c) => {
    const job = jobs.get(c.get("workspace").id, c.req.param("uploadId"));
    if (!job) throw notFound("No such upload");
    return streamSSE(c, async (stream) => {
      let writing = Promise.resolve();
      await new Promise<void>((resolve) => {
        let stop = (): void => undefined;
        const send = (event: JobEvent): void => {
          writing = writing.then(() => stream.writeSSE({ event: event.event, data: JSON.stringify(event.data) }));
          if (event.event === "done") resolve();
        };
        stop = jobs.follow(job, 0, send);
        stream.onAbort(() => {
          stop();
          resolve();
        });
      });
      await writing;
    });
  });
}

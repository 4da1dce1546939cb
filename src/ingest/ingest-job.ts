/**
 * Ingestion as a queued job: the one code path that `hearth worker` processes and the server's own ingest threads
 * run for an upload or a re-ingest. A job's payload names the file and how to ingest it; its bytes travel with it,
 * so the worker needs only the queue and the workspace's library.
 *
 * - `runIngestJob`: the work (extraction, the library write, a new version replacing the old one by name, new
 *   passages' embeddings), against the workspace's store. A file that cannot be read is a result ("failed"), not a
 *   failed job: trying it again would fail the same way.
 * - `processIngestJob`: the queue's side around it: "ingesting", a heartbeat while it works, then complete (with
 *   the file's final progress event) or, when the work itself broke (a worker thread died), fail (retried).
 * - `tidyUploadedFiles`: keeps the server's copies of originals in step with the library (a failed or duplicate
 *   upload's copy, and a replaced version's file, deleted), where those copies are on this machine.
 */
import { createHash } from "node:crypto";
import { readdir, rm, rmdir } from "node:fs/promises";
import { dirname } from "node:path";
import * as z from "zod";
import type { HearthConfig } from "../config/config.ts";
import { describeError } from "../errors/hearth-error.ts";
import { embedNewPassages } from "../retrieval/embed-new-passages.ts";
import type { ClaimedJob, JobQueue, JsonValue } from "../store/job-queue-types.ts";
import type { Store } from "../store/types.ts";
import { isWorkspaceFile } from "../store/workspace-library.ts";
import { forgettingHashes } from "./forgetting-hashes.ts";
import { chunkedByOlderVersion, ingestFile } from "./ingest.ts";

export const ingestJobPayloadSchema = z.object({
  fileName: z.string().min(1),
  /** SHA-256 of the bytes, checked before they are read. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  byteSize: z.number().int().min(0),
  /** The path the document is recorded under: the server's copy of the original (downloads, re-ingest). */
  sourcePath: z.string().min(1),
  /** An upload: a new version replaces the document of the same file name once it is in. */
  uploaded: z.boolean(),
  /** A re-ingest: read the file again even when its bytes are already in the library. */
  forgetHashes: z.boolean(),
  /** Who queued it (for the audit log). */
  userId: z.string().optional(),
});

export type IngestJobPayload = z.infer<typeof ingestJobPayloadSchema>;

export interface IngestJobResult {
  status: "ingested" | "unchanged" | "failed";
  fileName: string;
  documentId?: number;
  /** Where the library records the document (for an unchanged upload: the first copy's path). */
  documentPath?: string;
  units?: number;
  passages?: number;
  /** An upload replacing a document of the same name: the paths of the versions it replaced. */
  replacedPaths: string[];
  /** Bytes already in the library, read again because an older version of Hearth chunked them (src/chunking/chunking-version.ts). */
  rechunked?: boolean;
  error?: { code: string; message: string };
  embedded?: number;
  embeddingError?: string;
}

/** The file's progress event as the upload's event stream shows it. */
export interface FileProgress {
  file: string;
  status: "queued" | "ingesting" | "ingested" | "unchanged" | "failed";
  error?: string;
  units?: number;
  passages?: number;
  /** "ingested" by reading again an unchanged file that an older version of Hearth chunked. */
  rechunked?: boolean;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** `folder`: the workspace's folder (its request log, when embedding calls a model). */
export async function runIngestJob(store: Store, config: HearthConfig, payload: IngestJobPayload, bytes: Uint8Array, folder: string): Promise<IngestJobResult> {
  const { fileName } = payload;
  if (bytes.byteLength !== payload.byteSize || sha256(bytes) !== payload.contentHash) {
    return { status: "failed", fileName, replacedPaths: [], error: { code: "STORE_FAILED", message: `${fileName}: the queued copy of the file is damaged; upload it again` } };
  }
  // Each upload's copy lies at a new path, so `ingestFile`'s rule (read again only at the path it came from) would
  // never re-read one: bytes already in the library, chunked by an older version of Hearth, are read again where
  // the library keeps them (its first copy), as `hearth ingest` reads again an unchanged file in place.
  const known = payload.uploaded && !payload.forgetHashes ? await store.documents.findByHash(payload.contentHash) : undefined;
  const path = known && (await chunkedByOlderVersion(store, payload.contentHash)) ? known.sourcePath : payload.sourcePath;
  const outcome = await ingestFile(path, { store: payload.forgetHashes ? forgettingHashes(store) : store, config }, {}, bytes);
  if (outcome.status === "failed") {
    return { status: "failed", fileName, replacedPaths: [], error: { code: outcome.error.code, message: outcome.error.message } };
  }
  const { document } = outcome;
  const rechunked = outcome.status === "ingested" && outcome.rechunked;
  const replacedPaths: string[] = [];
  // A re-read document is the same content, not a new version of others of its name: nothing else is replaced.
  if (outcome.status === "ingested" && payload.uploaded && !rechunked) {
    // A new version of a file already in the library replaces it once the new one is safely in.
    for (const older of await store.documents.list()) {
      if (older.id === document.id || older.fileName !== document.fileName) continue;
      await store.documents.remove(older.id);
      replacedPaths.push(older.sourcePath);
    }
  }
  const result: IngestJobResult = {
    status: outcome.status,
    fileName,
    documentId: document.id,
    documentPath: document.sourcePath,
    units: document.unitCount,
    passages: document.chunkCount,
    replacedPaths,
    ...(rechunked ? { rechunked } : {}),
  };
  // With an embedding model configured, the new passages get their vectors now, as after `hearth ingest`.
  if (outcome.status === "ingested" && config.embeddings.provider !== "none") {
    const embedded = await embedNewPassages(store, { ...config, dataDir: folder }, () => undefined);
    if (embedded.ok) result.embedded = embedded.value.embedded;
    else result.embeddingError = `${embedded.error.message} Keyword search still works; an admin can run hearth embed.`;
  }
  return result;
}

export function progressOf(result: IngestJobResult): FileProgress {
  return result.status === "failed"
    ? { file: result.fileName, status: "failed", error: result.error?.message ?? "could not be ingested" }
    : { file: result.fileName, status: result.status, units: result.units, passages: result.passages, ...(result.rechunked ? { rechunked: true } : {}) };
}

export interface ProcessedIngestJob {
  payload: IngestJobPayload;
  /** Undefined when the work broke (the job was failed, to be retried or failed for good). */
  result?: IngestJobResult;
  /** False when the lease was lost before the end (another worker took the job over). */
  completed: boolean;
}

/**
 * Runs a claimed ingest job: "ingesting", the work under a heartbeat, then complete or fail. `work` is where the
 * extraction happens (in this thread for `hearth worker`, a worker thread for the server); `beforeComplete` tidies
 * files and audits before the job reads as done.
 */
export async function processIngestJob(
  queue: JobQueue,
  claimed: ClaimedJob,
  work: (payload: IngestJobPayload, bytes: Uint8Array) => Promise<IngestJobResult>,
  { leaseMs, beforeComplete }: { leaseMs: number; beforeComplete?: (payload: IngestJobPayload, result: IngestJobResult) => Promise<void> },
): Promise<ProcessedIngestJob | undefined> {
  const parsed = ingestJobPayloadSchema.safeParse(claimed.job.payload);
  if (!parsed.success) {
    // A payload no Hearth can read will not improve with retries.
    const error = `${claimed.job.label}: the queued job is not an ingest job this Hearth can read (${parsed.error.issues[0]?.message ?? "invalid"})`;
    await queue.complete(claimed.lease, { result: { status: "failed", error }, event: { file: claimed.job.label, status: "failed", error } });
    return undefined;
  }
  const payload = parsed.data;
  await queue.progress(claimed.lease, { file: payload.fileName, status: "ingesting" } satisfies FileProgress);
  let beating = Promise.resolve();
  const heartbeat = setInterval(() => {
    beating = beating.then(() => queue.heartbeat(claimed.lease, leaseMs).then(() => undefined, () => undefined));
  }, Math.max(50, Math.floor(leaseMs / 3)));
  let result: IngestJobResult;
  try {
    result = await work(payload, claimed.bytes);
  } catch (error) {
    clearInterval(heartbeat);
    await beating;
    await queue.fail(claimed.lease, `${payload.fileName}: ${describeError(error)}`);
    return { payload, completed: false };
  }
  clearInterval(heartbeat);
  await beating;
  // Before the job reads as done (an upload's `done` event), so that whoever sees it finds the files tidied.
  await beforeComplete?.(payload, result).catch(() => undefined);
  const completed = await queue.complete(claimed.lease, { result: result as unknown as JsonValue, event: progressOf(result) as unknown as JsonValue });
  return { payload, result, completed };
}

async function removeIfEmpty(folder: string): Promise<void> {
  const entries = await readdir(folder).catch(() => undefined);
  if (entries && entries.length === 0) await rmdir(folder).catch(() => undefined);
}

/**
 * Deletes the server's copies the library no longer points to: a failed upload's, a duplicate upload's (the library
 * keeps the first copy, and reads it again there when an older version chunked it), and the files of versions an
 * upload replaced. Only inside the workspace's files folder;
 * a copy that is not on this machine (a worker elsewhere) is left for the server.
 */
export async function tidyUploadedFiles(dataDir: string, workspaceId: string, payload: IngestJobPayload, result: IngestJobResult): Promise<void> {
  const doomed = [...result.replacedPaths];
  // The upload's copy goes when the library keeps the document elsewhere: already there, or read again in place.
  if (payload.uploaded && (result.status === "failed" || result.documentPath !== payload.sourcePath)) doomed.push(payload.sourcePath);
  for (const path of doomed) {
    if (!isWorkspaceFile(dataDir, workspaceId, path)) continue;
    await rm(path, { force: true });
    await removeIfEmpty(dirname(path));
  }
}

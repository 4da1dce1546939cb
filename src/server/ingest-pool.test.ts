import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import type { IngestJobPayload } from "../ingest/ingest-job.ts";
import { sha256 } from "../ingest/ingest-job.ts";
import { openWorkspaceLibrary } from "../store/workspace-library.ts";
import { createIngestPool } from "./ingest-pool.ts";

const folder = mkdtempSync(join(tmpdir(), "hearth-pool-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const loaded = loadConfig({ HEARTH_OCR: "off" } as NodeJS.ProcessEnv, { dataDir: folder });
if (!loaded.ok) throw loaded.error;
const config = loaded.value;

function job(workspaceId: string, name: string, text: string, options: Partial<IngestJobPayload> = {}): { payload: IngestJobPayload; bytes: Uint8Array } {
  const bytes = new TextEncoder().encode(text);
  const sourcePath = join(folder, "workspaces", workspaceId, "files", "upload", name);
  return { payload: { fileName: name, contentHash: sha256(bytes), byteSize: bytes.byteLength, sourcePath, uploaded: true, forgetHashes: false, ...options }, bytes };
}

describe("ingest pool (worker threads)", () => {
  it("runs ingest jobs in a worker into the library the server reads, re-ingests on request, and fails a bad file by name", async () => {
    const workspaceId = randomUUID();
    const library = await openWorkspaceLibrary(config, workspaceId);
    const pool = createIngestPool({ threads: 1 });
    try {
      const staffing = job(workspaceId, "staffing.md", "# Staffing\n\nEach home reviews its staffing ratios every month.\n");
      const first = await pool.run({ config, workspaceId, ...staffing });
      expect(first).toMatchObject({ status: "ingested", fileName: "staffing.md", units: 1, passages: 1, replacedPaths: [] });
      expect((await library.store.documents.get(first.documentId ?? 0))?.sourcePath).toBe(staffing.payload.sourcePath);
      expect((await pool.run({ config, workspaceId, ...staffing })).status).toBe("unchanged");
      const again = await pool.run({ config, workspaceId, payload: { ...staffing.payload, uploaded: false, forgetHashes: true }, bytes: staffing.bytes });
      expect(again.status).toBe("ingested");

      // A new version of the file (same name, new words) replaces the old document.
      const newer = job(workspaceId, "staffing.md", "# Staffing\n\nEach home reviews its staffing ratios every week.\n", { sourcePath: join(folder, "workspaces", workspaceId, "files", "later", "staffing.md") });
      const replaced = await pool.run({ config, workspaceId, ...newer });
      expect(replaced).toMatchObject({ status: "ingested", replacedPaths: [staffing.payload.sourcePath] });
      expect((await library.store.documents.list()).map((document) => document.sourcePath)).toEqual([newer.payload.sourcePath]);

      const bad = await pool.run({ config, workspaceId, ...job(workspaceId, "broken.pdf", "not a pdf at all") });
      expect(bad).toMatchObject({ status: "failed", error: { message: expect.stringContaining("broken.pdf") } });
      expect(bad.error?.code).not.toBe("EXTRACT_FAILED");

      // Bytes that do not match the job's hash are never read.
      const damaged = job(workspaceId, "damaged.md", "# Damaged\n\nSome text.\n");
      const refused = await pool.run({ config, workspaceId, payload: damaged.payload, bytes: new TextEncoder().encode("# Damaged\n\nOther text.\n") });
      expect(refused).toMatchObject({ status: "failed", error: { message: "damaged.md: the queued copy of the file is damaged; upload it again" } });
    } finally {
      await pool.close();
      await library.store.close();
    }
  });

  it("rejects when the work itself breaks (the job is then retried), not with a result", async () => {
    const pool = createIngestPool({ threads: 1 });
    try {
      await expect(pool.run({ config, workspaceId: "not-a-workspace", ...job("x", "a.md", "# A\n\nText.\n") })).rejects.toThrow(/Not a workspace id/);
    } finally {
      await pool.close();
    }
  });
});

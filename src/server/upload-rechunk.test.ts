/**
 * An upload of a file already in the library that an older version of Hearth chunked: read again, once, for this
 * version's passages (src/chunking/chunking-version.ts), as `hearth ingest` reads such a file again in place
 * (test/cli-rechunk.test.ts), and said so in the upload's progress. On SQLite with the server's own ingest threads,
 * and on PostgreSQL with the job run by a `hearth worker`.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres } from "../../test/support/postgres.ts";
import type { TestDatabase } from "../../test/support/postgres.ts";
import { runHearth } from "../../test/support/run-hearth.ts";
import { chunkingVersion } from "../chunking/chunking-version.ts";
import { chunkedBySetting } from "../store/content-settings.ts";
import { sha256 } from "../ingest/ingest-job.ts";
import { readEvents, startServerWithAdmin } from "./test-support.ts";
import type { ApiClient, ServerSentEvent, TestServer } from "./test-support.ts";

const strategy = new TextEncoder().encode(
  "# Northshire Placement Strategy\n\n## Unit costs\n\nThe weekly cost of an in-house residential placement is £2,278.\n\n## Sufficiency\n\nThe council plans two new children's homes by 2026.\n",
);
const fileName = "Northshire strategy.md";

type Progress = { file: string; status: string; rechunked?: boolean };
const finalProgress = (events: ServerSentEvent[]): Progress | undefined => events.filter((event) => event.event === "progress").map((event) => event.data as Progress).at(-1);

function describeRechunkingUploads(name: string, options: { postgres: boolean }): void {
  describe.skipIf(options.postgres && withoutPostgres())(name, () => {
    let database: TestDatabase | undefined;
    let server: TestServer;
    let admin: ApiClient;
    let workspaceId: string;
    beforeAll(async () => {
      database = options.postgres ? await createTestDatabase() : undefined;
      ({ server, admin, workspaceId } = await startServerWithAdmin((config) => (database ? { ...config, storeUrl: database.url, serverIngest: "workers" } : config)));
    }, 60_000);
    afterAll(async () => {
      await server.close();
      await database?.drop();
    });

    /** Uploads the strategy and follows it to `done` (a `hearth worker` running the job on PostgreSQL). */
    async function upload(): Promise<{ events: ServerSentEvent[]; worker?: string }> {
      if (!database) return admin.uploadAndWait(workspaceId, [{ name: fileName, bytes: strategy }]);
      const { body } = await admin.upload(workspaceId, [{ name: fileName, bytes: strategy }]);
      const following = admin.request("GET", `/api/workspaces/${workspaceId}/uploads/${body.uploadId}/events`).then(readEvents);
      const worker = await runHearth(["worker", "--once"], { data: server.dataDir, env: { HEARTH_STORE_URL: database.url, HEARTH_OCR: "off" } });
      expect(worker.code).toBe(0);
      return { events: await following, worker: worker.stdout };
    }

    it("reads an unchanged upload again when an older version chunked it, keeps one document and one copy, then reports it unchanged", async () => {
      const first = await upload();
      expect(finalProgress(first.events)).toEqual(expect.objectContaining({ file: fileName, status: "ingested" }));
      expect(finalProgress(first.events)?.rechunked).toBeUndefined();
      const { store } = await server.server.hearth.services.libraries.get(workspaceId);
      const [before] = await store.documents.list();
      expect(await store.settings.get(chunkedBySetting(sha256(strategy)))).toBe(chunkingVersion);

      // As a library written before the chunking version was recorded (version 1) would be.
      await store.settings.set(chunkedBySetting(sha256(strategy)), 1);
      const reread = await upload();
      expect(finalProgress(reread.events)).toEqual(expect.objectContaining({ file: fileName, status: "ingested", rechunked: true }));
      expect(reread.events.at(-1)?.data).toEqual({ ingested: 1, unchanged: 0, failed: 0 });
      if (reread.worker !== undefined) expect(reread.worker).toMatch(/^re-read {3}Northshire strategy\.md \(.*read again for this version's better passages\)/m);
      expect(await store.settings.get(chunkedBySetting(sha256(strategy)))).toBe(chunkingVersion);

      // The same document read again where the library keeps it (the first upload's copy); the second copy deleted.
      const documents = await store.documents.list();
      expect(documents).toEqual([expect.objectContaining({ fileName, sourcePath: before!.sourcePath })]);
      expect(documents[0]!.id).not.toBe(before!.id);
      const files = readdirSync(join(server.dataDir, "workspaces", workspaceId, "files"), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      expect(files.map((entry) => entry.name)).toEqual([fileName]);
      const listed = await admin.call<{ jobs: { outcome: string; rechunked: boolean }[] }>("GET", `/api/workspaces/${workspaceId}/uploads`);
      expect(listed.body.jobs.map((job) => [job.outcome, job.rechunked])).toEqual([["ingested", true], ["ingested", false]]);

      const again = await upload();
      expect(finalProgress(again.events)).toEqual(expect.objectContaining({ file: fileName, status: "unchanged" }));
      expect((await store.documents.list()).map((document) => document.id)).toEqual([documents[0]!.id]);
      const found = await (await server.server.hearth.services.libraries.get(workspaceId)).searcher.search("weekly cost in-house residential", { limit: 3 });
      expect(found[0]?.text).toContain("£2,278");

      // Deleted from the web app: nothing kept for its content remains, and the same file uploaded again is read afresh.
      expect((await admin.request("DELETE", `/api/workspaces/${workspaceId}/documents/${documents[0]!.id}`)).status).toBe(204);
      expect((await store.settings.list()).filter((setting) => setting.key.startsWith("chunking-version:"))).toEqual([]);
      const readded = await upload();
      expect(finalProgress(readded.events)).toEqual(expect.objectContaining({ file: fileName, status: "ingested" }));
      expect(finalProgress(readded.events)?.rechunked).toBeUndefined();
      expect(await store.settings.get(chunkedBySetting(sha256(strategy)))).toBe(chunkingVersion);
    }, 60_000);
  });
}

describeRechunkingUploads("hearth serve on SQLite: uploads re-read what an older chunking version cut", { postgres: false });
describeRechunkingUploads("hearth serve on PostgreSQL with a hearth worker: uploads re-read what an older chunking version cut", { postgres: true });

/**
 * hearth serve with the job queue (SQLite, jobs.db): an upload becomes a queued job whose bytes wait in the queue,
 * the server's own threads run it (serverIngest "in-process"), or a `hearth worker` does (serverIngest "workers");
 * either way the upload's progress is read back from the queue and the document ends up searchable.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres } from "../../test/support/postgres.ts";
import type { TestDatabase } from "../../test/support/postgres.ts";
import { runHearth } from "../../test/support/run-hearth.ts";
import { openSqliteJobQueue } from "../store/sqlite-job-queue.ts";
import { readEvents, startServerWithAdmin } from "./test-support.ts";
import type { ApiClient, ServerSentEvent, TestServer } from "./test-support.ts";

const staffing = new TextEncoder().encode(
  "# Staffing and ratios\n\nEach home reviews its staffing ratios every month with the registered manager.\n\n## Night cover\n\nTwo waking night staff cover every home with four or more children.\n",
);

const statuses = (events: ServerSentEvent[]): string[] =>
  events.map((event) => (event.event === "progress" ? `${(event.data as { file: string }).file}: ${(event.data as { status: string }).status}` : event.event));

describe("hearth serve: uploads through the job queue, run by the server's threads", () => {
  let server: TestServer;
  let admin: ApiClient;
  let workspaceId: string;
  beforeAll(async () => {
    ({ server, admin, workspaceId } = await startServerWithAdmin());
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it("queues the upload, streams queued → ingesting → ingested → done, makes it searchable and lets go of the queued bytes", async () => {
    const { reply, events } = await admin.uploadAndWait(workspaceId, [
      { name: "staffing.md", bytes: staffing },
      { name: "notes.exe", bytes: new Uint8Array([1, 2, 3]) },
    ]);
    expect(statuses(events)).toEqual([
      "staffing.md: queued",
      "notes.exe: queued",
      "staffing.md: ingesting",
      "staffing.md: ingested",
      "notes.exe: ingesting",
      "notes.exe: failed",
      "done",
    ]);
    expect(events[5]?.data).toMatchObject({ error: expect.stringMatching(/^notes\.exe: unsupported file type/) });
    expect(events.at(-1)?.data).toEqual({ ingested: 1, unchanged: 0, failed: 1 });

    const results = await (await server.server.hearth.services.libraries.get(workspaceId)).searcher.search("staffing ratios registered manager", { limit: 3 });
    expect(results[0]?.text).toContain("reviews its staffing ratios every month");

    // The job, as another process sees it in jobs.db: done, with its result, its bytes gone; the original kept for downloads.
    const queue = openSqliteJobQueue({ dataDir: server.dataDir });
    try {
      const [job] = await queue.list(workspaceId, { batchId: reply.uploadId });
      expect(job).toMatchObject({ label: "staffing.md", state: "done", attempts: 1, hasBytes: false, result: { status: "ingested", passages: expect.any(Number) } });
      expect(readdirSync(join(server.dataDir, "workspaces", workspaceId, "files", reply.uploadId))).toEqual(["staffing.md"]);
    } finally {
      await queue.close();
    }
    // Replayed in full to a client that connects late.
    const replay = await readEvents(await admin.request("GET", `/api/workspaces/${workspaceId}/uploads/${reply.uploadId}/events`));
    expect(replay).toEqual(events);
    // The workspace's jobs, newest first, for a page listing uploads in progress.
    const listed = await admin.call<{ jobs: { uploadId: string; file: string; state: string; attempts: number }[] }>("GET", `/api/workspaces/${workspaceId}/uploads`);
    expect(listed.body.jobs).toEqual([
      expect.objectContaining({ uploadId: reply.uploadId, file: "notes.exe", state: "done", outcome: "failed", error: expect.stringMatching(/unsupported file type/), attempts: 1 }),
      expect.objectContaining({ uploadId: reply.uploadId, file: "staffing.md", state: "done", outcome: "ingested", error: null, attempts: 1 }),
    ]);
    // Another workspace's upload id is no upload here.
    expect((await admin.request("GET", `/api/workspaces/${workspaceId}/uploads/00000000-0000-0000-0000-000000000000/events`)).status).toBe(404);
  });
});

describe("hearth serve with serverIngest \"workers\": a hearth worker runs the upload", () => {
  let server: TestServer;
  let admin: ApiClient;
  let workspaceId: string;
  beforeAll(async () => {
    ({ server, admin, workspaceId } = await startServerWithAdmin((config) => ({ ...config, serverIngest: "workers" })));
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it("leaves the job queued until a worker takes it, and the browser following the upload sees the worker's progress", async () => {
    const { status, body } = await admin.upload(workspaceId, [{ name: "staffing.md", bytes: staffing }]);
    expect(status).toBe(202);
    const following = admin.request("GET", `/api/workspaces/${workspaceId}/uploads/${body.uploadId}/events`).then(readEvents);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await (await server.server.hearth.services.libraries.get(workspaceId)).store.documents.list()).toEqual([]);

    const worker = await runHearth(["worker", "--once"], { data: server.dataDir, env: { HEARTH_OCR: "off" } });
    expect(worker.stderr).toContain("taking ingest jobs from");
    expect(worker.stdout).toMatch(/ingested\s+staffing\.md \(\d+ passages?, workspace /);
    expect(worker.stdout).toContain("1 job done, 0 failed");
    expect(worker.code).toBe(0);

    const events = await following;
    expect(statuses(events)).toEqual(["staffing.md: queued", "staffing.md: ingesting", "staffing.md: ingested", "done"]);
    const results = await (await server.server.hearth.services.libraries.get(workspaceId)).searcher.search("staffing ratios registered manager", { limit: 3 });
    expect(results[0]?.text).toContain("reviews its staffing ratios every month");
  });
});

describe.skipIf(withoutPostgres())("hearth serve on a PostgreSQL job queue, ingestion left to hearth worker", () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: ApiClient;
  let workspaceId: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    ({ server, admin, workspaceId } = await startServerWithAdmin((config) => ({ ...config, storeUrl: database.url, serverIngest: "workers" })));
  }, 60_000);
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  it("queues the upload in PostgreSQL; a worker runs it and the server streams its progress (LISTEN/NOTIFY)", async () => {
    const { body } = await admin.upload(workspaceId, [{ name: "staffing.md", bytes: staffing }]);
    const following = admin.request("GET", `/api/workspaces/${workspaceId}/uploads/${body.uploadId}/events`).then(readEvents);
    const worker = await runHearth(["worker", "--once"], { data: server.dataDir, env: { HEARTH_STORE_URL: database.url, HEARTH_OCR: "off" } });
    expect(worker.stdout).toContain("1 job done, 0 failed");
    const events = await following;
    expect(statuses(events)).toEqual(["staffing.md: queued", "staffing.md: ingesting", "staffing.md: ingested", "done"]);
    expect(events.at(-1)?.data).toEqual({ ingested: 1, unchanged: 0, failed: 0 });
    const results = await (await server.server.hearth.services.libraries.get(workspaceId)).searcher.search("staffing ratios registered manager", { limit: 3 });
    expect(results[0]?.text).toContain("reviews its staffing ratios every month");
    const [job] = await server.server.hearth.services.queue.list(workspaceId);
    expect(job).toMatchObject({ state: "done", hasBytes: false });
  });
});

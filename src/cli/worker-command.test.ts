/**
 * `hearth worker` against a real PostgreSQL queue (the library store stays SQLite in the data folder until the
 * PostgreSQL Store lands): jobs queued elsewhere are ingested with their bytes from the database, which are then
 * deleted; a worker killed mid-job loses nothing (its lease runs out and another worker completes the job).
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres } from "../../test/support/postgres.ts";
import type { TestDatabase } from "../../test/support/postgres.ts";
import { hearthBin, runHearth, temporaryDirectory } from "../../test/support/run-hearth.ts";
import { sha256 } from "../ingest/ingest-job.ts";
import type { IngestJobPayload } from "../ingest/ingest-job.ts";
import type { JobQueue, JsonValue } from "../store/job-queue-types.ts";
import { openPostgresJobQueue } from "../store/postgres/postgres-job-queue.ts";
import { openWorkspaceLibrary } from "../store/workspace-library.ts";

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe.skipIf(withoutPostgres())("hearth worker on a PostgreSQL job queue", () => {
  let database: TestDatabase;
  let queue: JobQueue;
  let data: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    queue = await openPostgresJobQueue(database.url);
    data = temporaryDirectory("hearth-worker-");
  });
  afterAll(async () => {
    await queue.close();
    await database.drop();
    rmSync(data, { recursive: true, force: true });
  });
  const env = (): NodeJS.ProcessEnv => ({ HEARTH_STORE_URL: database.url, HEARTH_OCR: "off" });

  /** Queues a file as the server would, the original's path on the server's machine (not on this worker's disk). */
  async function enqueue(workspaceId: string, name: string, text: string): Promise<{ jobId: string; batchId: string; payload: IngestJobPayload }> {
    const bytes = new TextEncoder().encode(text);
    const batchId = randomUUID();
    const payload: IngestJobPayload = {
      fileName: name,
      contentHash: sha256(bytes),
      byteSize: bytes.byteLength,
      sourcePath: `/srv/hearth/workspaces/${workspaceId}/files/${batchId}/${name}`,
      uploaded: true,
      forgetHashes: false,
    };
    const [job] = await queue.enqueue(
      [{ workspaceId, batchId, kind: "ingest", label: name, payload: payload as unknown as JsonValue, bytes }],
      [{ workspaceId, batchId, kind: "progress", data: { file: name, status: "queued" } }],
    );
    if (!job) throw new Error("not queued");
    return { jobId: job.id, batchId, payload };
  }

  it("ingests a queued job with --once into the workspace's library, then deletes its bytes", async () => {
    const workspaceId = randomUUID();
    const { jobId, batchId, payload } = await enqueue(
      workspaceId,
      "night cover.md",
      "# Night cover\n\nTwo waking night staff cover every home with four or more children, and a manager is on call.\n",
    );
    const run = await runHearth(["worker", "--once"], { data, env: env() });
    expect(run.stderr).toContain(`taking ingest jobs from postgres://`);
    expect(run.stdout).toMatch(/ingested\s+night cover\.md \(1 passage, workspace /);
    expect(run.code).toBe(0);

    expect(await queue.get(workspaceId, jobId)).toMatchObject({ state: "done", attempts: 1, hasBytes: false, result: { status: "ingested", passages: 1 } });
    expect((await queue.events(workspaceId, batchId)).map((event) => [event.kind, event.data])).toEqual([
      ["progress", { file: "night cover.md", status: "queued" }],
      ["progress", { file: "night cover.md", status: "ingesting" }],
      ["progress", { file: "night cover.md", status: "ingested", units: 1, passages: 1 }],
      ["finished", { done: 1, failed: 0 }],
    ]);
    const library = await openWorkspaceLibrary({ dataDir: data, storeUrl: database.url }, workspaceId);
    try {
      expect(await library.store.documents.list()).toEqual([expect.objectContaining({ fileName: "night cover.md", sourcePath: payload.sourcePath })]);
    } finally {
      await library.store.close();
    }
    // Nothing left: --once ends at once.
    const idle = await runHearth(["worker", "--once", "--json"], { data, env: env() });
    expect(idle).toMatchObject({ code: 0, stdout: "" });
  });

  it("loses nothing when a worker is killed mid-job: the lease runs out and another worker completes it", async () => {
    const workspaceId = randomUUID();
    // Long enough that the killed worker is still extracting when it is killed.
    const paragraphs = Array.from({ length: 6_000 }, (_, index) => `Paragraph ${index}: the home's placement review for child ${index} notes staffing, education and health visits in ${2000 + (index % 25)}.`);
    const { jobId, batchId } = await enqueue(workspaceId, "reviews.md", `# Placement reviews\n\n${paragraphs.join("\n\n")}\n`);

    const child = spawn(process.execPath, [hearthBin, "--data", data, "worker", "--lease", "1"], { env: { ...process.env, ...env() }, stdio: "ignore" });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      const deadline = Date.now() + 60_000;
      while (!(await queue.events(workspaceId, batchId)).some((event) => (event.data as { status?: string }).status === "ingesting")) {
        if (Date.now() > deadline) throw new Error("the first worker never started the job");
        await sleep(20);
      }
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
    expect(await queue.get(workspaceId, jobId)).toMatchObject({ state: "running", attempts: 1, hasBytes: true });

    await sleep(1_500);
    const second = await runHearth(["worker", "--once"], { data, env: env() });
    expect(second.stdout).toMatch(/ingested\s+reviews\.md/);
    const job = await queue.get(workspaceId, jobId);
    expect(job).toMatchObject({ state: "done", attempts: 2, hasBytes: false, result: { status: "ingested" } });
    // Completed by the second worker (this process), not the killed one.
    expect(job?.workerId).toBe(`${hostname()}:${process.pid}`);
    const statuses = (await queue.events(workspaceId, batchId)).map((event) => (event.kind === "finished" ? "finished" : (event.data as { status: string }).status));
    expect(statuses).toEqual(["queued", "ingesting", "ingesting", "ingested", "finished"]);
    const library = await openWorkspaceLibrary({ dataDir: data, storeUrl: database.url }, workspaceId);
    try {
      expect((await library.store.documents.list()).map((document) => document.fileName)).toEqual(["reviews.md"]);
      expect((await library.store.documents.checkIntegrity()).ok).toBe(true);
    } finally {
      await library.store.close();
    }
  }, 180_000);
});

describe("hearth worker stopping", () => {
  it("stops cleanly on SIGTERM while waiting for jobs (SQLite queue in the data folder)", async () => {
    const data = temporaryDirectory("hearth-worker-stop-");
    try {
      const child = spawn(process.execPath, [hearthBin, "--data", data, "worker"], { env: { ...process.env, HEARTH_STORE_URL: "" }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
      const started = new Promise<void>((resolve) =>
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString("utf8");
          if (stderr.includes("taking ingest jobs from")) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      await started;
      expect(stderr).toContain(`${data}/jobs.db; Ctrl+C stops it`);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stderr).toContain("Stopping…");
      expect(stdout).toBe("0 jobs done, 0 failed\n");
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);
});

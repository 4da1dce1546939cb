import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeJobQueueContract } from "./job-queue-contract.ts";
import { jobsFileName, openSqliteJobQueue } from "./sqlite-job-queue.ts";

describeJobQueueContract("SQLite (two connections to one jobs.db)", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "hearth-jobs-"));
  const first = openSqliteJobQueue({ dataDir, retryDelayMs: 0, pollIntervalMs: 50 });
  const second = openSqliteJobQueue({ dataDir, retryDelayMs: 0, pollIntervalMs: 50 });
  return {
    first,
    second,
    async cleanup() {
      await first.close();
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

describe("SQLite job queue file", () => {
  it("is the owner's only, and keeps queued jobs across reopening", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hearth-jobs-"));
    try {
      const queue = openSqliteJobQueue({ dataDir });
      await queue.enqueue([{ workspaceId: "w", batchId: "b", kind: "ingest", label: "a.pdf", payload: { fileName: "a.pdf" }, bytes: new Uint8Array([1, 2, 3]) }]);
      await queue.close();
      expect(statSync(join(dataDir, jobsFileName)).mode & 0o777).toBe(0o600);
      const reopened = openSqliteJobQueue({ dataDir });
      const claimed = await reopened.claim({ workerId: "w", leaseMs: 1_000 });
      expect([...(claimed?.bytes ?? [])]).toEqual([1, 2, 3]);
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

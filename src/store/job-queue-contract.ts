/**
 * The one contract suite every JobQueue implementation passes (SQLite and PostgreSQL). The factory gives, per test,
 * two handles on one fresh, empty queue (as two processes would have: a server and a worker, or two workers) with
 * no retry delay, and a cleanup.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { JobQueue, NewJob } from "./job-queue-types.ts";

export interface JobQueueFixture {
  first: JobQueue;
  second: JobQueue;
  cleanup(): Promise<void>;
}

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

function newJob(workspaceId: string, batchId: string, label: string, extra: Partial<NewJob> = {}): NewJob {
  return {
    workspaceId,
    batchId,
    kind: "ingest",
    label,
    payload: { fileName: label, contentHash: `hash of ${label}`, byteSize: label.length, options: { forgetHashes: false } },
    bytes: new TextEncoder().encode(`the bytes of ${label}`),
    ...extra,
  };
}

export function describeJobQueueContract(name: string, open: () => Promise<JobQueueFixture>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let fixture: JobQueueFixture | undefined;
    const setUp = async (): Promise<JobQueueFixture> => (fixture = await open());
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it("queues jobs after their batch's first events, hands one to a worker with its bytes, and records what it came to", async () => {
      const { first, second } = await setUp();
      const workspaceId = randomUUID();
      const batchId = randomUUID();
      const [job] = await first.enqueue([newJob(workspaceId, batchId, "plan.pdf")], [
        { workspaceId, batchId, kind: "progress", data: { file: "refused.exe", status: "failed" } },
        { workspaceId, batchId, kind: "progress", data: { file: "plan.pdf", status: "queued" } },
      ]);
      expect(job).toMatchObject({ workspaceId, batchId, kind: "ingest", label: "plan.pdf", state: "queued", attempts: 0, maxAttempts: 3, hasBytes: true });
      expect((await first.get(workspaceId, job?.id ?? ""))?.payload).toEqual({ fileName: "plan.pdf", contentHash: "hash of plan.pdf", byteSize: 8, options: { forgetHashes: false } });

      const claimed = await second.claim({ workerId: "worker one", leaseMs: 30_000 });
      expect(claimed?.job).toMatchObject({ id: job?.id, state: "running", attempts: 1, workerId: "worker one" });
      expect(new TextDecoder().decode(claimed?.bytes)).toBe("the bytes of plan.pdf");
      expect(claimed?.job.leaseExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 20_000);
      expect(await first.claim({ workerId: "worker two", leaseMs: 30_000 })).toBeUndefined();

      if (!claimed) throw new Error("no job claimed");
      expect(await second.progress(claimed.lease, { file: "plan.pdf", status: "ingesting" })).toBe(true);
      expect(await second.heartbeat(claimed.lease, 60_000)).toBe(true);
      expect(await second.complete(claimed.lease, { result: { status: "ingested", passages: 12 }, event: { file: "plan.pdf", status: "ingested" } })).toBe(true);

      const done = await first.get(workspaceId, claimed.job.id);
      expect(done).toMatchObject({ state: "done", result: { status: "ingested", passages: 12 }, hasBytes: false, leaseExpiresAt: null });
      expect(done?.finishedAt).toBeInstanceOf(Date);
      // Every event, in order, for any process that reads the log (a browser that connects late).
      const events = await first.events(workspaceId, batchId);
      expect(events.map((event) => [event.sequence, event.kind, event.data])).toEqual([
        [1, "progress", { file: "refused.exe", status: "failed" }],
        [2, "progress", { file: "plan.pdf", status: "queued" }],
        [3, "progress", { file: "plan.pdf", status: "ingesting" }],
        [4, "progress", { file: "plan.pdf", status: "ingested" }],
        [5, "finished", { done: 1, failed: 0 }],
      ]);
      expect(events[2]?.jobId).toBe(claimed.job.id);
      expect((await second.events(workspaceId, batchId, 3)).map((event) => event.sequence)).toEqual([4, 5]);
      // A done job's lease is spent.
      expect(await second.progress(claimed.lease, { late: true })).toBe(false);
      expect(await second.complete(claimed.lease, { result: null })).toBe(false);
    });

    it("keeps each workspace's jobs, events and batches to itself", async () => {
      const { first } = await setUp();
      const own = randomUUID();
      const other = randomUUID();
      const batchId = randomUUID();
      const [job] = await first.enqueue([newJob(own, batchId, "a.pdf"), newJob(own, randomUUID(), "b.pdf")], [{ workspaceId: own, batchId, kind: "progress", data: { n: 1 } }]);
      expect(await first.get(other, job?.id ?? "")).toBeUndefined();
      expect(await first.get(own, "not-a-job-id")).toBeUndefined();
      expect(await first.list(other)).toEqual([]);
      expect(await first.events(other, batchId)).toEqual([]);
      expect((await first.list(own)).map((record) => record.label)).toEqual(["b.pdf", "a.pdf"]);
      expect((await first.list(own, { batchId })).map((record) => record.label)).toEqual(["a.pdf"]);
      expect(await first.list(own, { states: ["done"] })).toEqual([]);
    });

    it("never gives one job to two workers claiming at once, and runs one job per workspace at a time", async () => {
      const { first, second } = await setUp();
      const workspaces = Array.from({ length: 8 }, () => randomUUID());
      const jobs = await first.enqueue(workspaces.flatMap((workspaceId) => [newJob(workspaceId, randomUUID(), "one.pdf"), newJob(workspaceId, randomUUID(), "two.pdf")]));
      expect(jobs).toHaveLength(16);
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, index) => (index % 2 === 0 ? first : second).claim({ workerId: `worker ${index}`, leaseMs: 30_000 })),
      );
      const claimed = claims.filter((claim) => claim !== undefined);
      // Eight workspaces: eight jobs, one each, every one different; the other four claims find nothing claimable.
      expect(claimed).toHaveLength(8);
      expect(new Set(claimed.map((claim) => claim.job.id)).size).toBe(8);
      expect(new Set(claimed.map((claim) => claim.job.workspaceId)).size).toBe(8);
      expect(claimed.every((claim) => claim.job.label === "one.pdf")).toBe(true);
      // The second job of a workspace is claimable once its first is done.
      const firstClaim = claimed[0];
      if (!firstClaim) throw new Error("no claim");
      await first.complete(firstClaim.lease, { result: null });
      const next = await second.claim({ workerId: "worker again", leaseMs: 30_000 });
      expect(next?.job).toMatchObject({ workspaceId: firstClaim.job.workspaceId, label: "two.pdf" });
    });

    it("makes a job whose lease ran out claimable again, and refuses the old lease", async () => {
      const { first, second } = await setUp();
      const workspaceId = randomUUID();
      const batchId = randomUUID();
      await first.enqueue([newJob(workspaceId, batchId, "big.pdf")]);
      const killed = await first.claim({ workerId: "killed worker", leaseMs: 150 });
      if (!killed) throw new Error("no claim");
      expect(await second.claim({ workerId: "second worker", leaseMs: 30_000 })).toBeUndefined();
      await sleep(400);
      const again = await second.claim({ workerId: "second worker", leaseMs: 30_000 });
      expect(again?.job).toMatchObject({ id: killed.job.id, attempts: 2, workerId: "second worker" });
      expect(new TextDecoder().decode(again?.bytes)).toBe("the bytes of big.pdf");
      expect(await first.heartbeat(killed.lease, 30_000)).toBe(false);
      expect(await first.progress(killed.lease, { stale: true })).toBe(false);
      expect(await first.complete(killed.lease, { result: { stale: true } })).toBe(false);
      expect(await first.fail(killed.lease, "stale")).toBeUndefined();
      if (!again) throw new Error("no claim");
      expect(await second.complete(again.lease, { result: { status: "ingested" } })).toBe(true);
      expect((await first.events(workspaceId, batchId)).map((event) => event.kind)).toEqual(["finished"]);
    });

    it("retries a failed job until its attempts are spent, then fails it for good with its reason", async () => {
      const { first, second } = await setUp();
      const workspaceId = randomUUID();
      const batchId = randomUUID();
      await first.enqueue([newJob(workspaceId, batchId, "flaky.pdf", { maxAttempts: 2 }), newJob(workspaceId, batchId, "fine.pdf")]);
      const attempt = await second.claim({ workerId: "w", leaseMs: 30_000 });
      if (!attempt) throw new Error("no claim");
      expect(await second.fail(attempt.lease, "the worker thread stopped")).toEqual({ retried: true });
      expect(await first.get(workspaceId, attempt.job.id)).toMatchObject({ state: "queued", attempts: 1, error: "the worker thread stopped", hasBytes: true });

      const retry = await second.claim({ workerId: "w", leaseMs: 30_000 });
      expect(retry?.job).toMatchObject({ id: attempt.job.id, attempts: 2 });
      if (!retry) throw new Error("no claim");
      expect(await second.fail(retry.lease, "the worker thread stopped again")).toEqual({ retried: false });
      expect(await first.get(workspaceId, attempt.job.id)).toMatchObject({ state: "failed", attempts: 2, error: "the worker thread stopped again", hasBytes: false });
      expect(await first.events(workspaceId, batchId)).toEqual([
        expect.objectContaining({ sequence: 1, kind: "failed", jobId: attempt.job.id, data: { label: "flaky.pdf", error: "the worker thread stopped again" } }),
      ]);

      const fine = await first.claim({ workerId: "w", leaseMs: 30_000 });
      if (!fine) throw new Error("no claim");
      await first.complete(fine.lease, { result: null });
      expect((await first.events(workspaceId, batchId)).map((event) => [event.kind, event.data])).toEqual([
        ["failed", { label: "flaky.pdf", error: "the worker thread stopped again" }],
        ["finished", { done: 1, failed: 1 }],
      ]);
    });

    it("fails for good a job whose every attempt's lease ran out (a file that kills its worker)", async () => {
      const { first, second } = await setUp();
      const workspaceId = randomUUID();
      const batchId = randomUUID();
      await first.enqueue([newJob(workspaceId, batchId, "poison.pdf", { maxAttempts: 1 })]);
      expect(await first.claim({ workerId: "w", leaseMs: 100 })).toBeDefined();
      await sleep(300);
      expect(await second.claim({ workerId: "w2", leaseMs: 30_000 })).toBeUndefined();
      const [job] = await first.list(workspaceId);
      expect(job).toMatchObject({ state: "failed", hasBytes: false, error: expect.stringMatching(/stopped before finishing \(attempt 1 of 1\)/) });
      expect((await first.events(workspaceId, batchId)).map((event) => event.kind)).toEqual(["failed", "finished"]);
    });

    it("takes back a released job without counting the attempt", async () => {
      const { first, second } = await setUp();
      const workspaceId = randomUUID();
      await first.enqueue([newJob(workspaceId, randomUUID(), "a.pdf")]);
      const claimed = await first.claim({ workerId: "stopping worker", leaseMs: 30_000 });
      if (!claimed) throw new Error("no claim");
      expect(await first.release(claimed.lease)).toBe(true);
      expect(await first.release(claimed.lease)).toBe(false);
      const again = await second.claim({ workerId: "w", leaseMs: 30_000 });
      expect(again?.job).toMatchObject({ id: claimed.job.id, attempts: 1, state: "running" });
    });

    it("wakes a waiter when a job is queued elsewhere, and times out otherwise", async () => {
      const { first, second } = await setUp();
      // Start listening (PostgreSQL's LISTEN connection) before the race.
      await second.waitForChange({ timeoutMs: 10 });
      // Nothing happens: it still comes back (at the latest after the time-out; SQLite polls sooner).
      let started = performance.now();
      await second.waitForChange({ timeoutMs: 150 });
      expect(performance.now() - started).toBeLessThan(2_000);

      started = performance.now();
      const waiting = second.waitForChange({ timeoutMs: 20_000 });
      await sleep(20);
      await first.enqueue([newJob(randomUUID(), randomUUID(), "new.pdf")]);
      await waiting;
      expect(performance.now() - started).toBeLessThan(5_000);

      const controller = new AbortController();
      const aborted = second.waitForChange({ timeoutMs: 20_000, signal: controller.signal });
      controller.abort();
      started = performance.now();
      await aborted;
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it("purges finished jobs and their events, and keeps jobs in flight", async () => {
      const { first } = await setUp();
      const workspaceId = randomUUID();
      const doneBatch = randomUUID();
      const openBatch = randomUUID();
      await first.enqueue([newJob(workspaceId, doneBatch, "done.pdf")], [{ workspaceId, batchId: doneBatch, kind: "progress", data: { queued: true } }]);
      const claimed = await first.claim({ workerId: "w", leaseMs: 30_000 });
      if (!claimed) throw new Error("no claim");
      await first.complete(claimed.lease, { result: null });
      await first.enqueue([newJob(workspaceId, openBatch, "waiting.pdf")]);
      expect(await first.purge(60_000)).toBe(0);
      await sleep(50);
      expect(await first.purge(10)).toBe(1);
      expect((await first.list(workspaceId)).map((job) => job.label)).toEqual(["waiting.pdf"]);
      expect(await first.events(workspaceId, doneBatch)).toEqual([]);
    });
  });
}

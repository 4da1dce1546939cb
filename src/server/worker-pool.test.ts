import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { afterAll, describe, expect, it } from "vitest";
import { workerPoolOptions } from "./worker-pool.ts";

const folder = mkdtempSync(join(tmpdir(), "hearth-worker-pool-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("the server's worker pools", () => {
  it("start queued tasks in the order they came (first come, first served under sustained load)", async () => {
    // A task that takes a little while, so that the queue is never empty while the threads are busy.
    const worker = join(folder, "sleep.mjs");
    writeFileSync(worker, "export default async (index) => { await new Promise((resolve) => setTimeout(resolve, 20)); return index; };\n");
    const options = workerPoolOptions({ name: "default", threads: 1, maxQueue: 100, idleTimeoutMs: 1_000 });
    const pool = new Piscina<number, number>({ ...options, filename: pathToFileURL(worker).href, execArgv: [] });
    try {
      const finished: number[] = [];
      await Promise.all(Array.from({ length: 12 }, (_, index) => pool.run(index).then((done) => finished.push(done))));
      // One thread, so the order they finish in is the order they started in.
      expect(finished).toEqual(Array.from({ length: 12 }, (_, index) => index));
    } finally {
      await pool.close();
    }
  });
});

/**
 * kill -9 during ingest: the store stays consistent, and the next ingest completes the batch with no duplicate
 * passages (compared with a clean ingest of the same files).
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { corpus, hearthBin, runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import { withoutCorpus } from "./support/corpus.ts";

interface ListJson {
  documents: { file: string; passages: number; units: number }[];
}

describe.skipIf(withoutCorpus())("crash during ingest", () => {
  it("recovers from SIGKILL with no partial or duplicate documents", async () => {
    // The sample library (two PDFs and a deck): enough for a kill after the first commit to leave work undone.
    const folders = [corpus("library")];
    const data = temporaryDirectory();

    // Start an ingest and kill it hard as soon as the first document has been committed.
    const killedAfter = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [hearthBin, "--data", data, "ingest", ...folders], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HEARTH_OCR: "off" } });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/^ingested/m.test(stdout)) child.kill("SIGKILL");
      });
      child.on("close", (_code, signal) => resolve(`${signal ?? "exited"}:${stdout}`));
    });
    expect(killedAfter.startsWith("SIGKILL")).toBe(true);

    const doctorAfterCrash = await runHearth(["doctor", "--json"], { data });
    expect((JSON.parse(doctorAfterCrash.stdout) as { ok: boolean }).ok).toBe(true);
    const partial = JSON.parse((await runHearth(["list", "--json"], { data })).stdout) as ListJson;
    expect(partial.documents.length).toBeGreaterThanOrEqual(1);

    const resumed = await runHearth(["ingest", ...folders], { data, timeoutMs: 300_000 });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/unchanged/);

    const clean = temporaryDirectory();
    await runHearth(["ingest", ...folders], { data: clean, timeoutMs: 300_000 });
    const afterResume = JSON.parse((await runHearth(["list", "--json"], { data })).stdout) as ListJson;
    const fresh = JSON.parse((await runHearth(["list", "--json"], { data: clean })).stdout) as ListJson;
    const summary = (list: ListJson): string[] => list.documents.map((document) => `${document.file}:${document.units}:${document.passages}`).sort();
    expect(summary(afterResume)).toEqual(summary(fresh));
    const names = afterResume.documents.map((document) => document.file);
    expect(new Set(names).size).toBe(names.length);

    const doctor = await runHearth(["doctor", "--json"], { data });
    expect((JSON.parse(doctor.stdout) as { ok: boolean }).ok).toBe(true);
  }, 600_000);
});

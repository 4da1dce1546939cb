/**
 * Bad input through the real CLI: each bad file gets one clear line naming it and the reason, the rest of the batch
 * is ingested, nothing stored is lost, the exit code is non-zero, and memory stays bounded for a zip bomb.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { corpus, hearthBin, runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import { writeDocxZipBomb } from "./support/zip-bomb.ts";
import { withoutCorpus } from "./support/corpus.ts";

const goodPdf = "Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf";

describe.skipIf(withoutCorpus())("bad input", () => {
  const folder = temporaryDirectory("hearth-bad-");
  const data = temporaryDirectory();
  const badFiles: Record<string, RegExp> = {
    "empty.pdf": /empty/i,
    "truncated.docx": /not a valid|corrupt|truncated|zip/i,
    "random bytes.pdf": /content is|not a PDF|unrecognised/i,
    "notes.docx": /named as DOCX but the content is plain text/i,
    "locked.pdf": /password/i,
    "locked.docx": /password|encrypted/i,
    "bomb.docx": /zip bomb|inflates|limit/i,
  };

  beforeAll(async () => {
    mkdirSync(folder, { recursive: true });
    copyFileSync(corpus(`library/${goodPdf}`), join(folder, goodPdf));
    copyFileSync(corpus("formats/Somerset Homes and Horizons Members Briefing.md"), join(folder, "briefing.md"));
    writeFileSync(join(folder, "empty.pdf"), "");
    const docx = readFileSync(corpus("formats/Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.docx"));
    writeFileSync(join(folder, "truncated.docx"), docx.subarray(0, Math.floor(docx.length / 2)));
    writeFileSync(join(folder, "random bytes.pdf"), randomBytes(64 * 1024));
    writeFileSync(join(folder, "notes.docx"), "These are meeting notes, saved with the wrong extension.\n");
    copyFileSync(corpus("robustness/issue6010_1.pdf"), join(folder, "locked.pdf"));
    // An encrypted Office document is an OLE compound file, not a ZIP.
    writeFileSync(join(folder, "locked.docx"), Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), randomBytes(4096)]));
    await writeDocxZipBomb(join(folder, "bomb.docx"));
  }, 120_000);

  it("names each bad file and its reason on one line, ingests the rest, and exits non-zero", async () => {
    let peakKilobytes = 0;
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [hearthBin, "--data", data, "ingest", folder], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      // VmHWM is the process's peak resident memory so far; the last reading before exit is the peak.
      const poll = setInterval(() => {
        try {
          const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
          const match = /VmHWM:\s+(\d+) kB/.exec(status);
          if (match?.[1]) peakKilobytes = Math.max(peakKilobytes, Number(match[1]));
        } catch {
          // The process has exited between polls.
        }
      }, 25);
      child.on("close", (code) => {
        clearInterval(poll);
        resolve({ code, stdout, stderr });
      });
    });
    expect(run.code).toBe(1);
    const failureLines = run.stderr.split("\n").filter((line) => line.startsWith("failed"));
    for (const [fileName, reason] of Object.entries(badFiles)) {
      const lines = failureLines.filter((line) => line.includes(fileName));
      expect(lines, `${fileName} in:\n${run.stderr}`).toHaveLength(1);
      expect(lines[0]).toMatch(reason);
    }
    expect(failureLines).toHaveLength(Object.keys(badFiles).length);
    expect(run.stdout).toContain(`ingested  ${goodPdf}`);
    expect(run.stdout).toContain("ingested  briefing.md");
    expect(peakKilobytes / 1024).toBeLessThan(1536);
    expect(peakKilobytes).toBeGreaterThan(0);
  }, 180_000);

  it("keeps what was stored when a later batch fails", async () => {
    const before = await runHearth(["list", "--json"], { data });
    await runHearth(["ingest", join(folder, "empty.pdf"), join(folder, "random bytes.pdf")], { data });
    const after = await runHearth(["list", "--json"], { data });
    expect(after.stdout).toBe(before.stdout);
  });

  it("ingests a damaged PDF with a warning, in the lines and in --json", async () => {
    const damaged = "xref_command_missing.pdf";
    const warning = `${damaged}: the PDF is damaged and was repaired on reading, so some text may be missing`;
    const damagedFolder = temporaryDirectory("hearth-damaged-");
    copyFileSync(corpus(`robustness/${damaged}`), join(damagedFolder, damaged));
    const lines = await runHearth(["ingest", damagedFolder], { data: temporaryDirectory() });
    expect(lines.code).toBe(0);
    expect(lines.stderr).toContain(`warning   ${warning}`);
    const json = await runHearth(["ingest", "--json", damagedFolder], { data: temporaryDirectory() });
    expect(json.code).toBe(0);
    const files = (JSON.parse(json.stdout) as { files: { file: string; status: string; warnings: string[] }[] }).files;
    expect(files).toEqual([expect.objectContaining({ file: damaged, status: "ingested", warnings: [warning] })]);
  });

  it("honours a configured size limit", async () => {
    const limited = temporaryDirectory();
    const run = await runHearth(["ingest", join(folder, goodPdf)], { data: limited, env: { HEARTH_MAX_FILE_MB: "0.05" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`failed +${goodPdf}: .*over the .* limit`));
  });

  it("rejects an invalid setting, naming it", async () => {
    const run = await runHearth(["list"], { data, env: { HEARTH_MAX_FILE_MB: "lots" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("limits.maxFileBytes");
  });
});

/**
 * What only a real process shows: `bin/hearth` starts (from dist/ or the sources), prints its version, and exits
 * with the codes a shell script relies on. Everything else about the CLI is tested in-process (runHearth).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot, runHearthProcess, temporaryDirectory } from "./support/run-hearth.ts";

const version = (JSON.parse(readFileSync(join(repositoryRoot, "package.json"), "utf8")) as { version: string }).version;

describe("bin/hearth as a process", () => {
  const data = temporaryDirectory();

  it("prints package.json's version and exits 0", async () => {
    const run = await runHearthProcess(["--version"], { data });
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
  }, 60_000);

  it("exits 2 on a usage error and 2 on bad input, 0 on success", async () => {
    const usage = await runHearthProcess(["search"], { data });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'query'");
    const bad = await runHearthProcess(["search", "-k", "lots", "x"], { data });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('hearth: -k must be a positive whole number, not "lots"\n');
    const list = await runHearthProcess(["list"], { data });
    expect(list).toMatchObject({ code: 0, stdout: "The library is empty. Add documents with: hearth ingest <folder>\n" });
  }, 60_000);
});

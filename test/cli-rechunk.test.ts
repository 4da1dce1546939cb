/**
 * A library kept across an upgrade whose chunking changed: `hearth ingest` reads an unchanged file again, once, for
 * the new version's passages (src/chunking/chunking-version.ts), and only where the file is at the path it was
 * ingested from; the same bytes at another path stay one document.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chunkingVersion } from "../src/chunking/chunking-version.ts";
import { chunkedBySetting } from "../src/ingest/ingest.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

describe("re-reading documents an older chunking version cut", () => {
  it("re-reads an unchanged file chunked by an older version once, then reports it unchanged", async () => {
    const data = temporaryDirectory();
    const folder = temporaryDirectory("hearth-docs-");
    const path = join(folder, "Northshire strategy.md");
    writeFileSync(
      path,
      "# Northshire Placement Strategy\n\n## Unit costs\n\nThe weekly cost of an in-house residential placement is £2,278.\n\n## Sufficiency\n\nThe council plans two new children's homes by 2026.\n",
    );
    expect((await runHearth(["ingest", path], { data })).stdout).toMatch(/^ingested {2}Northshire strategy\.md/m);
    expect((await runHearth(["ingest", path], { data })).stdout).toMatch(/^unchanged Northshire strategy\.md/m);

    // As a library written before the chunking version was recorded (version 1) would be.
    const store = openSqliteStore({ dataDir: data });
    const [before] = await store.documents.list();
    expect(await store.settings.get(chunkedBySetting(before!.contentHash))).toBe(chunkingVersion);
    await store.settings.set(chunkedBySetting(before!.contentHash), 1);
    await store.close();

    // The same bytes at another path while stale: still the one document, not a second copy.
    const copy = join(folder, "copy of strategy.md");
    copyFileSync(path, copy);
    expect((await runHearth(["ingest", copy], { data })).stdout).toMatch(/^unchanged copy of strategy\.md/m);

    const reread = await runHearth(["ingest", path], { data });
    expect(reread.code).toBe(0);
    expect(reread.stdout).toMatch(/^re-read {3}Northshire strategy\.md \(.*read again for this version's better passages\)/m);
    expect((await runHearth(["ingest", path], { data })).stdout).toMatch(/^unchanged Northshire strategy\.md/m);

    const reopened = openSqliteStore({ dataDir: data });
    const documents = await reopened.documents.list();
    expect(documents.map((document) => document.fileName)).toEqual(["Northshire strategy.md"]);
    expect(await reopened.settings.get(chunkedBySetting(before!.contentHash))).toBe(chunkingVersion);
    await reopened.close();
    const found = await runHearth(["search", "--json", "weekly cost in-house residential"], { data });
    expect((JSON.parse(found.stdout) as { results: { text: string }[] }).results[0]?.text).toContain("£2,278");
  }, 60_000);
});

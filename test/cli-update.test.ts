/** A changed file replaces its old version; an unchanged one is a no-op; remove takes it out of search. */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { corpus, runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import type { SearchJson } from "./support/run-hearth.ts";
import { withoutCorpus } from "./support/corpus.ts";

describe.skipIf(withoutCorpus())("re-ingesting a changed file", () => {
  it("replaces the old version, and remove takes it out of search", async () => {
    const data = temporaryDirectory();
    const folder = temporaryDirectory("hearth-docs-");
    const path = join(folder, "Somerset briefing.md");
    copyFileSync(corpus("formats/Somerset Homes and Horizons Members Briefing.md"), path);

    const first = await runHearth(["ingest", path], { data });
    expect(first.stdout).toMatch(/^ingested {2}Somerset briefing\.md/m);
    const again = await runHearth(["ingest", path], { data });
    expect(again.stdout).toMatch(/^unchanged Somerset briefing\.md/m);

    writeFileSync(path, `${readFileSync(path, "utf8")}\n\n## Zephyr wing\n\nThe Zephyr wing opens in spring with four beds.\n`);
    const changed = await runHearth(["ingest", path], { data });
    expect(changed.stdout).toMatch(/^updated {3}Somerset briefing\.md/m);

    const list = JSON.parse((await runHearth(["list", "--json"], { data })).stdout) as { documents: { file: string }[] };
    expect(list.documents.map((document) => document.file)).toEqual(["Somerset briefing.md"]);
    const found = JSON.parse((await runHearth(["search", "--json", "Zephyr wing beds"], { data })).stdout) as SearchJson;
    expect(found.results[0]?.text).toContain("Zephyr wing opens in spring");
    expect(found.results[0]?.section).toBe("Zephyr wing");
    expect(found.results[0]?.page).toBeNull();

    const removed = await runHearth(["remove", "Somerset briefing.md"], { data });
    expect(removed.stdout).toContain("removed   Somerset briefing.md");
    const gone = JSON.parse((await runHearth(["search", "--json", "Zephyr wing beds"], { data })).stdout) as SearchJson;
    expect(gone.results).toEqual([]);
    const doctor = await runHearth(["doctor", "--json"], { data });
    expect((JSON.parse(doctor.stdout) as { ok: boolean; documents: number }).documents).toBe(0);
  });
});

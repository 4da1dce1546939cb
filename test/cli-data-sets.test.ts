/**
 * `hearth ask` over a data set: the computed figure first, how it was computed, and `--rows` printing the rows
 * behind it (recomputed from the stored table); `hearth eval` accepts such questions; a library ingested before
 * typed tables were kept gets them on re-ingest.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

const csv = [
  "Homes at 31 March 2025,,,",
  "Provision type,Local authority,Sector,Places",
  ...Array.from({ length: 12 }, (_, index) => `Children's home,${["Somerset", "Devon", "North Somerset"][index % 3]},${index % 4 === 0 ? "Local Authority" : "Private"},${(index % 5) + 1}`),
].join("\n");

describe("hearth ask over a data set", () => {
  it("answers with the figure, the method and, with --rows, the rows as CSV; eval scores it; re-ingest backfills tables", async () => {
    const data = temporaryDirectory();
    const folder = temporaryDirectory();
    const file = join(folder, "homes.csv");
    writeFileSync(file, csv);
    expect((await runHearth(["ingest", file], { data })).code).toBe(0);

    const asked = await runHearth(["ask", "--rows", "How many children's homes are there in Devon?"], { data });
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain('lists 4 rows where Local authority is "Devon", Provision type is "Children\'s home"');
    expect(asked.stdout).toContain("How it was computed: file homes.csv");
    expect(asked.stdout).toContain('[1] homes.csv: 4 rows where Local authority is "Devon"');
    const csvLines = asked.stdout.slice(asked.stdout.indexOf("Provision type,Local authority")).trim().split(/\r?\n/);
    expect(csvLines).toHaveLength(5);
    expect(csvLines.slice(1).every((line) => line.includes(",Devon,"))).toBe(true);

    const questions = join(folder, "questions.json");
    writeFileSync(questions, JSON.stringify([{ question: "How many children's homes are there in Devon?", answers: ["lists 4 rows"], gold: [{ file: "homes.csv", pages: [null] }] }]));
    const evaluated = await runHearth(["eval", questions, "--json"], { data });
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ answerKeyRate: 1, goldCitationRate: 1 });

    // A library from before typed tables: the tables go, and re-ingesting the unchanged file brings them back.
    const store = openSqliteStore({ dataDir: data });
    const [document] = await store.documents.list();
    await store.tables.replace(document?.id ?? -1, []);
    expect(await store.tables.list()).toEqual([]);
    await store.close();
    const again = await runHearth(["ingest", file], { data });
    expect(again.stdout).toMatch(/unchanged/);
    const reopened = openSqliteStore({ dataDir: data });
    expect((await reopened.tables.list()).map((table) => table.rowCount)).toEqual([12]);
    await reopened.close();
  }, 120_000);
});

/** `hearth search` leads a data-set question with the row its figure comes from, as `hearth ask` computes it. */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

describe("hearth search over a data set", () => {
  const folder = temporaryDirectory("hearth-cli-search-tables-");
  const data = join(folder, "data");

  beforeAll(async () => {
    mkdirSync(join(folder, "library"));
    const councils = ["Kent", "Essex", "Surrey", "Devon", "Norfolk", "Suffolk", "Dorset", "Somerset", "Wigan", "Oldham", "Bolton", "Salford"];
    const lines = ["time_period,la_name,vacancy_rate_fte"];
    for (const year of [2019, 2020, 2021, 2022, 2023, 2024]) councils.forEach((council, index) => lines.push(`${year},${council},${council === "Bolton" && year === 2024 ? 33.3 : 5 + ((index * 3 + year) % 11)}`));
    writeFileSync(join(folder, "library", "indicators.csv"), `${lines.join("\n")}\n`);
    writeFileSync(join(folder, "library", "workforce note.txt"), "Vacancy rates among social workers in the council stayed high in 2024, the highest for years.\n");
    const ingest = await runHearth(["ingest", join(folder, "library")], { data, env: { HEARTH_OCR: "off" } });
    expect(ingest.code).toBe(0);
  }, 60_000);

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("shows the row of the council with the highest rate first", async () => {
    const run = await runHearth(["search", "--json", "-k", "3", "Which council had the highest vacancy rate in 2024?"], { data });
    expect(run.code).toBe(0);
    const results = (JSON.parse(run.stdout) as { results: { file: string; text: string }[] }).results;
    expect(results[0]?.file).toBe("indicators.csv");
    expect(results[0]?.text).toContain("2024 | Bolton | 33.3");
  });
});

/**
 * `hearth tag` and `hearth list` for document identity through the real CLI: guessed values shown and marked,
 * tags that win and are validated, and a date-named report found by its council with `hearth search`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";

interface ListedIdentity {
  title: string | null;
  author: string | null;
  authorKind: string | null;
  about: string | null;
  date: string | null;
  source: Record<"title" | "author" | "about" | "date", "tagged" | "guessed">;
}

interface ListJson {
  documents: { file: string; identity: ListedIdentity }[];
}

const filler = "Leaders have strengthened the front door and managers review plans each month. Partners share information well. ".repeat(8);
const reportFile = "children's services inspection - 01 february 2023.txt";
const strategyFile = "Sufficiency strategy.txt";

describe("hearth tag and hearth list: who wrote a document and which council it is about", () => {
  const data = temporaryDirectory("hearth-identity-");
  const folder = temporaryDirectory("hearth-identity-docs-");

  beforeAll(async () => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, reportFile),
      [
        "Ofsted",
        "Inspection of Blackpool local authority children’s services",
        "Inspection dates: 5 to 16 December 2022",
        "1. Help and protection",
        filler,
        "2. Children in care",
        "The children in care council is called the Voice Crew and meets senior leaders every month.",
      ].join("\n\n"),
    );
    writeFileSync(join(folder, strategyFile), ["Sufficiency strategy", "We have developed specific provision for our children in care."].join("\n\n"));
    const run = await runHearth(["ingest", folder], { data, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
  }, 120_000);

  const listed = async (): Promise<Map<string, ListedIdentity>> => {
    const run = await runHearth(["list", "--json"], { data });
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as ListJson;
    return new Map(parsed.documents.map((document) => [document.file, document.identity]));
  };

  // Each step is a separate hearth process: on a shared 2-core machine a test of several takes a while.
  const slow = 180_000;

  it("lists what each document's first page says, marked as guessed", async () => {
    const identities = await listed();
    expect(identities.get(reportFile)).toEqual({
      title: "Inspection of Blackpool local authority children’s services",
      author: "Ofsted",
      authorKind: "inspectorate",
      about: "Blackpool",
      date: "2023-02-01",
      source: { title: "guessed", author: "guessed", about: "guessed", date: "guessed" },
    });
    const text = await runHearth(["list"], { data });
    expect(text.stdout).toContain("author: Ofsted (inspectorate)?; about: Blackpool?; date: 2023-02-01?");
  }, slow);

  it("finds the date-named report by its council's name", async () => {
    const run = await runHearth(["search", "--json", "-k", "3", "blackpool children in care council"], { data });
    expect(run.code, run.stderr).toBe(0);
    const results = (JSON.parse(run.stdout) as { results: { file: string; text: string }[] }).results;
    expect(results[0]?.file).toBe(reportFile);
    expect(results.some((result) => result.text.includes("Voice Crew"))).toBe(true);
  }, slow);

  it("tags author, council, title and date; tagged values win and show without the mark", async () => {
    const run = await runHearth(
      ["tag", strategyFile, "--author", "Nottinghamshire County Council", "--about", "notts", "--title", "Sufficiency and Commissioning Strategy", "--date", "2023-02-01", "--json"],
      { data },
    );
    expect(run.code, run.stderr).toBe(0);
    const tagged = JSON.parse(run.stdout) as { documents: { file: string; identity: ListedIdentity; year: number | null }[] };
    expect(tagged.documents[0]).toMatchObject({
      file: strategyFile,
      year: 2023,
      identity: {
        author: "Nottinghamshire County Council",
        authorKind: "council",
        about: "Nottinghamshire",
        title: "Sufficiency and Commissioning Strategy",
        date: "2023-02-01",
        source: { title: "tagged", author: "tagged", about: "tagged", date: "tagged" },
      },
    });
    expect((await listed()).get(strategyFile)).toMatchObject({ about: "Nottinghamshire", source: { about: "tagged" } });

    const shown = await runHearth(["tag", strategyFile], { data });
    expect(shown.stdout).toContain("author: Nottinghamshire County Council (council); about: Nottinghamshire; date: 2023-02-01");

    // One field at a time keeps the others; "none" clears a field.
    const cleared = await runHearth(["tag", strategyFile, "--about", "none", "--json"], { data });
    expect(cleared.code, cleared.stderr).toBe(0);
    expect((await listed()).get(strategyFile)).toMatchObject({ about: null, author: "Nottinghamshire County Council", source: { about: "tagged" } });
  }, slow);

  it("refuses a council it does not know, a bad date or an unknown file, naming the option", async () => {
    const council = await runHearth(["tag", reportFile, "--about", "Atlantis"], { data });
    expect(council.code).toBe(2);
    expect(council.stderr).toContain("--about must name an English local authority");
    const date = await runHearth(["tag", reportFile, "--date", "soon"], { data });
    expect(date.code).toBe(2);
    expect(date.stderr).toContain("--date must be");
    const kind = await runHearth(["tag", reportFile, "--author", "Someone", "--author-kind", "gossip"], { data });
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("--author-kind must be one of council");
    const missing = await runHearth(["tag", "nothing.pdf", "--about", "Kent"], { data });
    expect(missing.code).toBe(2);
    // Nothing was changed by the refused tags.
    expect((await listed()).get(reportFile)).toMatchObject({ about: "Blackpool", source: { about: "guessed" } });
  }, slow);
});

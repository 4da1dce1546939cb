/**
 * End-to-end on PostgreSQL: a laptop's SQLite library copied across with `hearth migrate`, then every everyday
 * command run against PostgreSQL through HEARTH_STORE_URL, answering exactly as the SQLite library does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpus, runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import { withoutCorpus } from "./support/corpus.ts";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "./support/postgres.ts";

const question = "What is Cambridgeshire's weekly cost for in-house residential children's homes?";

describe.skipIf(withoutPostgres() || withoutCorpus())("hearth on PostgreSQL (HEARTH_STORE_URL)", () => {
  const data = temporaryDirectory();
  let database: TestDatabase;
  const onPostgres = () => ({ data, env: { HEARTH_STORE_URL: database.url }, timeoutMs: 120_000 });

  beforeAll(async () => {
    database = await createTestDatabase();
    const ingested = await runHearth(["ingest", corpus("library/Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf"), corpus("library/Somerset Homes and Horizons Members Briefing.pptx")], { data, timeoutMs: 120_000 });
    expect(ingested.code, ingested.stderr).toBe(0);
    await runHearth(["ask", "--session", "Board briefing", question], { data });
  }, 180_000);

  afterAll(async () => {
    await database?.drop();
  });

  it("copies the SQLite library across with hearth migrate, verified, and refuses to copy it twice", async () => {
    const migrated = await runHearth(["migrate", "--to", database.url], { data, timeoutMs: 120_000 });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/2 documents/);
    expect(migrated.stdout).toMatch(/verified/i);
    const again = await runHearth(["migrate", "--to", database.url], { data });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/not empty|already holds/i);
  });

  it("lists, searches and answers on PostgreSQL exactly as on SQLite, cited to the same page", async () => {
    const listed = await runHearth(["list", "--json"], onPostgres());
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { documents: { file: string }[] }).documents.map((document) => document.file).sort()).toEqual([
      "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf",
      "Somerset Homes and Horizons Members Briefing.pptx",
    ]);
    const onSqlite = await runHearth(["ask", "--json", question], { data });
    const onServer = await runHearth(["ask", "--json", question], onPostgres());
    expect(onServer.code, onServer.stderr).toBe(0);
    const answer = JSON.parse(onServer.stdout) as { answer: string; citations: { file: string; page: number | null; quote: string }[] };
    expect(answer.answer).toContain("2,278");
    expect(answer.citations[0]).toMatchObject({ file: "Cambridgeshire Placement Strategy for Looked After Children 2011-2015.pdf", page: 4 });
    const local = JSON.parse(onSqlite.stdout) as typeof answer;
    expect(answer.answer).toBe(local.answer);
    expect(answer.citations).toEqual(local.citations);
    const searched = await runHearth(["search", "--json", "residential weekly cost"], onPostgres());
    const searchedLocally = await runHearth(["search", "--json", "residential weekly cost"], { data });
    expect(searched.code, searched.stderr).toBe(0);
    expect(searched.stdout).toBe(searchedLocally.stdout);
  });

  it("keeps sessions, ingests, removes and checks integrity on PostgreSQL", async () => {
    const sessions = await runHearth(["sessions"], onPostgres());
    expect(sessions.stdout).toContain("Board briefing");
    const ingested = await runHearth(["ingest", corpus("library/Nottinghamshire Sufficiency and Commissioning Strategy 2023-25.pdf")], onPostgres());
    expect(ingested.code, ingested.stderr).toBe(0);
    expect((await runHearth(["list"], onPostgres())).stdout).toContain("Nottinghamshire Sufficiency");
    // The SQLite library in the data folder is untouched.
    expect((await runHearth(["list"], { data })).stdout).not.toContain("Nottinghamshire Sufficiency");
    const removed = await runHearth(["remove", "Somerset Homes and Horizons Members Briefing.pptx"], onPostgres());
    expect(removed.code, removed.stderr).toBe(0);
    const doctor = await runHearth(["doctor", "--json"], onPostgres());
    expect(doctor.stdout).toMatch(/"ok":\s*true/);
    expect(doctor.stdout).not.toContain(new URL(database.url).password || "no-password-in-url");
  });
});

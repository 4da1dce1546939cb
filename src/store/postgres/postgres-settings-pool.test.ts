/**
 * Statements that need planner settings (the search's ranking may not scan sequentially) run on connections that
 * carry the settings for their session (settingsPool, WorkspaceQueries.withSettings), in one round trip instead of
 * `BEGIN; SET LOCAL …`, the statement and `COMMIT`. What must hold: the settings apply there and nowhere else, every
 * statement is still bound to the workspace (refused otherwise, and another workspace's rows are never read), a
 * setting cannot smuggle other start-up options in, and the extra pools end with their parent.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store } from "../types.ts";
import { acquirePostgresPool, releasePostgresPool, settingsPool } from "./postgres-connection.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { WorkspaceQueries } from "./workspace-queries.ts";

const fostering = sampleDocument("fostering.md", {
  format: "markdown",
  paged: false,
  sourcePath: "/library/fostering.md",
  text: "# Fostering\n\nMost children in care live with foster carers.\n\nResidential homes care for the rest.",
});

/** Settings as a connection sees them, read through a statement bound to the workspace (as every one must be). */
const settingsSeen =
  "SELECT current_setting('enable_seqscan') AS seqscan, current_setting('enable_indexscan') AS indexscan, count(*)::int AS documents FROM library_documents WHERE workspace_id = $1";

describe.skipIf(withoutPostgres())("PostgreSQL statements with planner settings", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let first: Store;
  let second: Store;

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await openPostgresStore({ url: database.url, workspaceId: "first" });
    second = await openPostgresStore({ url: database.url, workspaceId: "second" });
    await first.documents.replace(fostering.document, fostering.units, fostering.chunks);
    pool = await acquirePostgresPool(database.url);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await releasePostgresPool(database.url);
    await database.drop();
  });

  it("applies the settings to its own connections only", async () => {
    const queries = new WorkspaceQueries(pool, "first");
    const tuned = await queries.withSettings({ enable_seqscan: "off", enable_indexscan: "off" }).query<{ seqscan: string; indexscan: string; documents: number }>(settingsSeen);
    expect(tuned.rows).toEqual([{ seqscan: "off", indexscan: "off", documents: 1 }]);
    const plain = await queries.query<{ seqscan: string; indexscan: string }>(settingsSeen);
    expect(plain.rows[0]).toMatchObject({ seqscan: "on", indexscan: "on" });
    const other = await queries.withSettings({ enable_seqscan: "off" }).query<{ seqscan: string; indexscan: string }>(settingsSeen);
    expect(other.rows[0]).toMatchObject({ seqscan: "off", indexscan: "on" });
    // One pool per distinct settings, whatever order they are given in.
    expect(settingsPool(pool, { enable_indexscan: "off", enable_seqscan: "off" })).toBe(settingsPool(pool, { enable_seqscan: "off", enable_indexscan: "off" }));
    expect(settingsPool(pool, { enable_seqscan: "off" })).not.toBe(pool);
  });

  it("still refuses a statement not bound to the workspace, and never reads another workspace's rows", async () => {
    const tuned = new WorkspaceQueries(pool, "second").withSettings({ enable_seqscan: "off" });
    await expect(tuned.query("SELECT id FROM library_documents")).rejects.toMatchObject({ code: "STORE_FAILED" });
    await expect(tuned.query("SELECT id FROM library_documents WHERE workspace_id = 'first'")).rejects.toMatchObject({ code: "STORE_FAILED" });
    const seen = await tuned.query<{ documents: number }>(settingsSeen);
    expect(seen.rows[0]?.documents).toBe(0);
    // The search goes this way: the second workspace finds nothing of the first's.
    expect(await second.passages.searchText({ terms: [{ phrase: ["foster"], weight: 1 }], limit: 5 })).toEqual([]);
    const found = await first.passages.searchText({ terms: [{ phrase: ["foster"], weight: 1 }], limit: 5 });
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((hit) => hit.fileName))).toEqual(new Set(["fostering.md"]));
  });

  it("refuses setting names and values that could carry other start-up options", () => {
    expect(() => settingsPool(pool, { "enable_seqscan=off -c search_path": "evil" })).toThrow(/setting name/);
    expect(() => settingsPool(pool, { enable_seqscan: "off -c search_path=evil" })).toThrow(/setting value/);
    expect(() => settingsPool(pool, { enable_seqscan: "'off'" })).toThrow(/setting value/);
  });

  it("sends a search's ranking alone, without a transaction around it to set its settings in", async () => {
    const sent: string[] = [];
    const original = pg.Client.prototype.query;
    const spy = vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const [first] = args;
      sent.push(typeof first === "string" ? first : String((first as { text?: unknown } | undefined)?.text ?? ""));
      return (original as (...values: unknown[]) => unknown).apply(this, args) as never;
    });
    try {
      const hits = await first.passages.searchText({ terms: [{ phrase: ["care"], weight: 1 }, { phrase: ["home"], weight: 1 }], limit: 5 });
      expect(hits.length).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
    expect(sent.some((text) => text.includes("library_chunks"))).toBe(true);
    expect(sent.filter((text) => /^\s*(BEGIN|COMMIT|SET)\b/i.test(text))).toEqual([]);
  });

  it("ends its pools with the parent pool", async () => {
    const url = `${database.url}${database.url.includes("?") ? "&" : "?"}application_name=settings_pool_test`;
    const parent = await acquirePostgresPool(url);
    const sibling = settingsPool(parent, { enable_seqscan: "off" });
    const queries = new WorkspaceQueries(parent, "first").withSettings({ enable_seqscan: "off" });
    await queries.query(settingsSeen);
    expect(sibling.totalCount).toBe(1);
    await releasePostgresPool(url);
    expect(sibling.ended).toBe(true);
    expect(parent.ended).toBe(true);
  });
});

/**
 * Backfilling typed tables runs before every question: it must cost one library-version read when nothing changed,
 * not a listing of every document, and still fill a data set stored without tables once the library changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { backfillDataTables } from "./backfill.ts";

const csv = ["Local authority,Places", "Devon,4", "Somerset,6"].join("\n");

describe("backfillDataTables: once per library version", () => {
  let folder: string;
  let store: Store;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "hearth-backfill-"));
    writeFileSync(join(folder, "places.csv"), csv);
    store = openSqliteStore({ dataDir: join(folder, "library") });
    const config = loadConfig({}, { dataDir: join(folder, "library") });
    if (!config.ok) throw config.error;
    await ingestPaths([join(folder, "places.csv")], { store, config: config.value });
  });
  afterAll(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("lists nothing while the library is unchanged, and fills tables lost in a change", async () => {
    const list = vi.spyOn(store.documents, "list");
    try {
      await backfillDataTables(store);
      const listed = list.mock.calls.length;
      expect(await backfillDataTables(store)).toBe(0);
      expect(await backfillDataTables(store)).toBe(0);
      expect(list.mock.calls.length).toBe(listed);

      // The tables go (as in a library from before tables were kept): the next check sees the change and fills them.
      const [document] = await store.documents.list();
      await store.tables.replace(document!.id, []);
      expect(await store.tables.list()).toEqual([]);
      expect(await backfillDataTables(store)).toBe(1);
      expect((await store.tables.list()).map((table) => table.rowCount)).toEqual([2]);
    } finally {
      list.mockRestore();
    }
  });
});

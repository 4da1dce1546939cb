/**
 * What the library keeps for a document's content (its chunking version, src/store/content-settings.ts) goes with
 * the document: `hearth remove` leaves no setting for it behind, a new version of the file takes the old one's with
 * it, and the same file added again is read afresh. On SQLite and on PostgreSQL (HEARTH_STORE_URL).
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkingVersion } from "../src/chunking/chunking-version.ts";
import { openStore } from "../src/store/open-store.ts";
import { runHearth, temporaryDirectory } from "./support/run-hearth.ts";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "./support/postgres.ts";

const firstVersion = "# Northshire Placement Strategy\n\n## Unit costs\n\nThe weekly cost of an in-house residential placement is £2,278.\n";
const secondVersion = `${firstVersion}\n## Sufficiency\n\nThe council plans two new children's homes by 2026.\n`;
const contentHash = (text: string): string => createHash("sha256").update(text).digest("hex");

function describeRemovingSettings(name: string, options: { postgres: boolean }): void {
  describe.skipIf(options.postgres && withoutPostgres())(name, () => {
    const data = temporaryDirectory();
    let database: TestDatabase | undefined;
    beforeAll(async () => {
      database = options.postgres ? await createTestDatabase() : undefined;
    });
    afterAll(async () => {
      await database?.drop();
    });
    const hearth = (...args: string[]) => runHearth(args, { data, env: database ? { HEARTH_STORE_URL: database.url } : {} });
    /** Every setting the library keeps for a content's chunking, by content hash. */
    async function chunkingSettings(): Promise<Record<string, unknown>> {
      const store = await openStore({ url: database?.url ?? data });
      try {
        const settings = await store.settings.list();
        return Object.fromEntries(settings.filter((setting) => setting.key.startsWith("chunking-version:")).map((setting) => [setting.key.slice("chunking-version:".length), setting.value]));
      } finally {
        await store.close();
      }
    }

    it("removes the document's chunking version with it, takes an older version's with a new one, and reads the file afresh when added again", async () => {
      const path = join(temporaryDirectory("hearth-docs-"), "Northshire strategy.md");
      writeFileSync(path, firstVersion);
      expect((await hearth("ingest", path)).stdout).toMatch(/^ingested {2}Northshire strategy\.md/m);
      expect(await chunkingSettings()).toEqual({ [contentHash(firstVersion)]: chunkingVersion });

      const removed = await hearth("remove", "Northshire strategy.md");
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toMatch(/^removed {3}Northshire strategy\.md/m);
      expect(await chunkingSettings()).toEqual({});

      const readded = await hearth("ingest", path);
      expect(readded.stdout).toMatch(/^ingested {2}Northshire strategy\.md/m);
      expect(await chunkingSettings()).toEqual({ [contentHash(firstVersion)]: chunkingVersion });
      expect((await hearth("ingest", path)).stdout).toMatch(/^unchanged Northshire strategy\.md/m);

      // A new version at the same path replaces the old one, and what was kept for the old content with it.
      writeFileSync(path, secondVersion);
      expect((await hearth("ingest", path)).stdout).toMatch(/^updated {3}Northshire strategy\.md/m);
      expect(await chunkingSettings()).toEqual({ [contentHash(secondVersion)]: chunkingVersion });
      const found = await hearth("search", "--json", "new children's homes 2026");
      expect((JSON.parse(found.stdout) as { results: { text: string }[] }).results[0]?.text).toContain("two new children's homes");
    }, 60_000);
  });
}

describeRemovingSettings("hearth remove on SQLite: no setting of the document left behind", { postgres: false });
describeRemovingSettings("hearth remove on PostgreSQL: no setting of the document left behind", { postgres: true });

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { createIngestPool } from "./ingest-pool.ts";

const folder = mkdtempSync(join(tmpdir(), "hearth-pool-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const loaded = loadConfig({ HEARTH_OCR: "off" } as NodeJS.ProcessEnv, { dataDir: folder });
if (!loaded.ok) throw loaded.error;
const config = loaded.value;

function note(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

describe("ingest pool (worker threads)", () => {
  it("ingests in a worker into the library the server reads, re-ingests on request, and fails a bad file by name", async () => {
    const store = openSqliteStore({ dataDir: folder });
    const pool = createIngestPool({ threads: 1 });
    try {
      const path = note("staffing.md", "# Staffing\n\nEach home reviews its staffing ratios every month.\n");
      const first = await pool.ingest(path, { folder, store, config });
      expect(first.status).toBe("ingested");
      if (first.status === "ingested") expect((await store.documents.get(first.document.id))?.fileName).toBe("staffing.md");
      expect((await pool.ingest(path, { folder, store, config })).status).toBe("unchanged");
      expect((await pool.ingest(path, { folder, store, config, forgetHashes: true })).status).toBe("ingested");
      const bad = await pool.ingest(note("broken.pdf", "not a pdf at all"), { folder, store, config });
      expect(bad.status).toBe("failed");
      if (bad.status === "failed") {
        expect(bad.error.message).toContain("broken.pdf");
        expect(bad.error.code).not.toBe("EXTRACT_FAILED");
      }
    } finally {
      await pool.close();
      await store.close();
    }
  });

  it("refuses work beyond its queue at once, saying the server is busy, and does the rest", async () => {
    const store = openSqliteStore({ dataDir: folder });
    const pool = createIngestPool({ threads: 1, maxQueue: 1 });
    try {
      const paths = [1, 2, 3, 4].map((index) => note(`queued-${index}.md`, `# Note ${index}\n\nPlacement note number ${index} for the queue.\n`));
      const outcomes = await Promise.all(paths.map((path) => pool.ingest(path, { folder, store, config })));
      const busy = outcomes.filter((outcome) => outcome.status === "failed");
      expect(busy.length).toBeGreaterThan(0);
      for (const outcome of busy) if (outcome.status === "failed") expect(outcome.error.message).toMatch(/busy ingesting/);
      expect(outcomes.filter((outcome) => outcome.status === "ingested").length).toBeGreaterThanOrEqual(2);
    } finally {
      await pool.close();
      await store.close();
    }
  });
});

/**
 * The whole library's identities and authorities at scale: read in a few calls per library version (not settings
 * per document), and seen again when another process (here a second connection on the same file) changes a tag.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as z from "zod";
import type { Chunk, UnitText } from "../chunking/types.ts";
import { libraryAuthorities, tagSourceAuthority } from "../authority/source-authority.ts";
import { memoizeReads } from "../store/read-memo.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { DocumentRecord, Store } from "../store/types.ts";
import { identityLookup, libraryIdentities, recordDocumentIdentity, tagDocumentIdentity } from "./document-identity.ts";

/** A one-page document whose first page names its author and council. */
function councilDocument(council: string, index: number): { document: Parameters<Store["documents"]["replace"]>[0]; units: UnitText[]; chunks: Chunk[] } {
  const text = `${council} County Council\n\nPlacement Sufficiency Strategy 2024\n\nWe will open ${index + 2} more children's homes in ${council}.`;
  return {
    document: {
      fileName: `strategy ${index}.txt`,
      sourcePath: `/library/strategy ${index}.txt`,
      contentHash: `hash-${index}`,
      format: "text",
      title: null,
      byteSize: text.length,
      warnings: [],
    },
    units: [{ index: 0, page: 1, section: null, text }],
    chunks: [{ ordinal: 0, page: 1, section: null, headingPath: [], kind: "text", text, start: 0, end: text.length }],
  };
}

const councils = ["Kent", "Devon", "Somerset", "Norfolk", "Suffolk", "Essex"];

describe("library identities and authorities: one read per library version, changes from another process seen", () => {
  let folder: string;
  let store: Store;
  let other: Store;
  const stored: DocumentRecord[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "hearth-library-identities-"));
    store = openSqliteStore({ dataDir: folder });
    // A second connection on the same file, as another process (a second server, the CLI) would have.
    other = openSqliteStore({ dataDir: folder });
    for (const [index, council] of councils.entries()) {
      const sample = councilDocument(council, index);
      const record = await store.documents.replace(sample.document, sample.units, sample.chunks);
      // Half the library as ingest leaves it (a stored guess), half without one (read from its pages).
      if (index % 2 === 0) await recordDocumentIdentity(store, record, sample.units);
      stored.push(record);
    }
  });

  afterAll(async () => {
    await other.close();
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("reads every identity with a few family reads and no setting per document, once per version", async () => {
    const get = vi.spyOn(store.settings, "get");
    const getFamily = vi.spyOn(store.settings, "getFamily");
    const unitTexts = vi.spyOn(store.documents, "unitTexts");
    try {
      const all = await (await libraryIdentities(store)).all();
      expect(all.map(({ identity }) => identity.about)).toEqual(stored.map((_, index) => councils[index]));
      expect(all.every(({ identity }) => identity.authorKind === "council")).toBe(true);
      // Guesses, tags, authority tags: three family reads; the profile is one setting (not one per document).
      expect(getFamily.mock.calls.map(([family]) => family.prefix).sort()).toEqual(["authority:", "identity-guess:", "identity:"]);
      expect(get.mock.calls.length).toBeLessThanOrEqual(1);
      // The three documents with no stored guess had their pages read in one call.
      expect(unitTexts.mock.calls).toHaveLength(1);
      expect([...unitTexts.mock.calls[0]![0]].sort()).toEqual([stored[1]!.id, stored[3]!.id, stored[5]!.id].sort());
      // ... and those guesses stored (one write), so no process reads those pages again.
      const kept = await store.settings.getFamily({ prefix: "identity-guess:", schema: z.object({ hash: z.string(), about: z.string().nullable() }).passthrough() });
      expect([1, 3, 5].map((index) => kept.get(stored[index]!.fileName))).toEqual(
        [1, 3, 5].map((index) => expect.objectContaining({ hash: stored[index]!.contentHash, about: councils[index] })),
      );
      // The write moved the library version: the next read takes the stored guesses, and reads no page.
      unitTexts.mockClear();
      await (await libraryIdentities(store)).all();
      expect(unitTexts).not.toHaveBeenCalled();

      // The same version again: nothing read but the version.
      getFamily.mockClear();
      get.mockClear();
      unitTexts.mockClear();
      expect((await identityLookup(store)(stored[2]!.id))?.about).toBe("Somerset");
      await (await libraryIdentities(store)).all();
      expect([getFamily.mock.calls.length, get.mock.calls.length, unitTexts.mock.calls.length]).toEqual([0, 0, 0]);
    } finally {
      get.mockRestore();
      getFamily.mockRestore();
      unitTexts.mockRestore();
    }
  });

  it("sees a tag another process set, without re-reading pages it already read", async () => {
    expect((await identityLookup(store)(stored[1]!.id))?.about).toBe("Devon");
    await tagDocumentIdentity(other, stored[1]!, { about: "Cornwall" });
    await tagSourceAuthority(other, stored[3]!.fileName, { kind: "own_policy" });
    const unitTexts = vi.spyOn(store.documents, "unitTexts");
    try {
      const identity = await identityLookup(store)(stored[1]!.id);
      expect(identity?.about).toBe("Cornwall");
      expect(identity?.tagged).toEqual(["about"]);
      expect((await libraryAuthorities(store)).of(stored[3]!).kind).toBe("own_policy");
      // Guesses read from pages were stored by the first reading (as ingest stores a new document's): no page is read
      // again, and like an ingested document's guess, a stored guess stands when an authority tag changes later.
      await (await libraryIdentities(store)).all();
      expect(unitTexts).not.toHaveBeenCalled();
    } finally {
      unitTexts.mockRestore();
    }
  });

  it("keeps an answer thread's remembered reads across questions until another process writes", async () => {
    const reads = memoizeReads(store);
    const list = vi.spyOn(store.documents, "list");
    try {
      await reads.refresh();
      await reads.store.documents.list();
      await reads.refresh();
      await reads.store.documents.list();
      expect(list).toHaveBeenCalledTimes(1);
      const sample = councilDocument("Dorset", 9);
      await other.documents.replace(sample.document, sample.units, sample.chunks);
      await reads.refresh();
      expect(await reads.store.documents.list()).toHaveLength(councils.length + 1);
      expect(list).toHaveBeenCalledTimes(2);
      expect(await reads.store.version()).toBe(await other.version());
    } finally {
      list.mockRestore();
    }
  });
});
